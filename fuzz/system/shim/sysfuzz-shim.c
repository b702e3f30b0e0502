/*
 * sysfuzz-shim: the glue between afl-fuzz and one long-running QEMU that boots the real hyp.elf
 * with the fuzzing guest (fuzz/system/guest). It speaks AFL's forkserver protocol on FDs 198/199
 * without forking a target per input: each input goes into the guest's mailbox page (QEMU's RAM is
 * a shared file), the guest runs it and answers there, and the EL2 edges land in AFL++'s bitmap
 * from the TCG plugin inside QEMU. Every --restart inputs the machine is reset to a fresh boot
 * inside the same QEMU (qemu_reset: paused, its RAM zeroed, QEMU's system reset, which loads the
 * images again); after a finding, or when that reset fails, QEMU is started afresh (qemu_boot).
 * Both costs are counted in the stats file. A finding is reported to afl-fuzz as a crash whose
 * signal names its class (see sysfuzz_class). The inputs run since the last boot or reset are kept
 * (hist): after a finding they are written out as a sequence (a folder of inputs run in name order
 * in one boot), for a finding that needs what earlier inputs left behind. Also: --replay runs the
 * given inputs in a fresh QEMU each (a folder: its inputs in order in one fresh QEMU) and says what
 * happened.
 */
#define _GNU_SOURCE /* fallocate, memmem */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "mailbox.h"

#define FORKSRV_CTL 198           /* afl-fuzz -> us: "run one" */
#define FORKSRV_ST  199           /* us -> afl-fuzz: hello, then pid and status per run */
#define RAM_SIZE    0x80000000ull /* QEMU -m 2G, as the harness runs it */

/* What an input did; the signal is what afl-fuzz records for a finding of that class. */
enum sysfuzz_class { C_OK, C_INVARIANT, C_PANIC, C_GUEST_CRASH, C_WATCHDOG, C_QEMU_EXIT, C_N };
static const char *const class_name[C_N] = {"ok",          "invariant", "panic",
                                            "guest-crash", "watchdog",  "qemu-exit"};
static const int class_signal[C_N] = {0, SIGABRT, SIGSEGV, SIGBUS, SIGALRM, SIGILL};

static struct {
	const char *qemu, *hyp, *guest, *dtb, *plugin, *text, *work, *cov, *input;
	const char *wait_pc; /* the guest's sysfuzz_host_wait: where the plugin parks the vCPU */
	unsigned restart, watchdog_ms, boot_ms;
} opt = {.qemu = "qemu-system-aarch64", .restart = 1000, .watchdog_ms = 2000, .boot_ms = 20000};

static struct {
	pid_t qemu;
	int ram_fd;
	int qmp_fd;     /* our end of QEMU's QMP monitor (a socketpair), -1 without QEMU */
	int chan_fd;    /* our end of the el2cov plugin's channel: 'g' to it, 'w' from it */
	bool qmp_ready; /* greeting read and capabilities negotiated */
	char qmp_buf[8192];
	size_t qmp_len;
	volatile struct sysfuzz_mailbox *mb;
	unsigned since_boot;
	char console[4096];
	char ram_path[256];
	/* stats */
	unsigned long long execs, boots, boot_ns, run_ns, resets, reset_ns, findings[C_N];
	/* what the guest measured (mailbox): time it waited for inputs and ran them */
	double guest_wait_s, guest_run_s;
	double last_boot_ms;
} st = {.qemu = -1, .ram_fd = -1, .qmp_fd = -1, .chan_fd = -1};

static volatile sig_atomic_t stop_requested;

/*
 * The inputs run since the last boot or reset, oldest first (a ring: beyond HIST_MAX the oldest
 * go), so that a finding that only shows after what earlier inputs left behind can be replayed in
 * a fresh boot with them. At most SEQ_KEEP sequences are written per run (findings are rare; each
 * folder holds up to HIST_MAX small files).
 */
#define HIST_MAX 1000u
#define SEQ_KEEP 32u
static struct {
	uint8_t (*data)[SYSFUZZ_MAX_INPUT]; /* HIST_MAX slots, allocated by the forkserver only */
	uint32_t len[HIST_MAX];
	unsigned first, count;
	unsigned saved; /* sequences written in this run */
} hist;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void qemu_stop(void)
{
	if (st.qemu > 0) {
		kill(st.qemu, SIGTERM);
		for (int i = 0; i < 200; i++) { /* 2 s for the plugin's coverage file */
			if (waitpid(st.qemu, NULL, WNOHANG) == st.qemu) {
				st.qemu = -1;
				break;
			}
			usleep(10000);
		}
		if (st.qemu > 0) {
			kill(st.qemu, SIGKILL);
			waitpid(st.qemu, NULL, 0);
		}
		st.qemu = -1;
	}
	if (st.mb != NULL) {
		munmap((void *)st.mb, SYSFUZZ_MAILBOX_SIZE);
		st.mb = NULL;
	}
	if (st.ram_fd >= 0)
		close(st.ram_fd);
	st.ram_fd = -1;
	if (st.qmp_fd >= 0)
		close(st.qmp_fd);
	st.qmp_fd = -1;
	if (st.chan_fd >= 0)
		close(st.chan_fd);
	st.chan_fd = -1;
	st.qmp_ready = false;
	st.qmp_len = 0;
	if (st.ram_path[0] != '\0')
		unlink(st.ram_path);
	st.ram_path[0] = '\0';
}

/* CPU seconds of a live process from /proc/PID/stat (utime + stime, fields 14 and 15). */
static double proc_cpu_s(pid_t pid)
{
	char path[64], buf[1024];
	unsigned long long ut = 0, stime = 0;
	const char *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
	                        &stime) != 2)
		return 0;
	return (double)(ut + stime) / (double)sysconf(_SC_CLK_TCK);
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* The QEMUs this shim has reaped and the one running (its only other child is an idle sleeper). */
static double qemu_cpu_s(void)
{
	struct rusage kids;

	getrusage(RUSAGE_CHILDREN, &kids);
	return tv_s(kids.ru_utime) + tv_s(kids.ru_stime) + (st.qemu > 0 ? proc_cpu_s(st.qemu) : 0);
}

/* The shim and its QEMUs: what the fuzzing costs besides afl-fuzz. */
static double cpu_s(void)
{
	struct rusage self;

	getrusage(RUSAGE_SELF, &self);
	return tv_s(self.ru_utime) + tv_s(self.ru_stime) + qemu_cpu_s();
}

static void write_stats(void)
{
	char path[4096], tmp[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/shim-stats", opt.work);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return;
	fprintf(
	    f, "execs %llu\nboots %llu\nboot_ms_total %.1f\nboot_ms_last %.1f\nrun_ms_total %.1f\n",
	    st.execs, st.boots, st.boot_ns / 1e6, st.last_boot_ms, st.run_ns / 1e6);
	fprintf(f, "resets %llu\nreset_ms_total %.1f\n", st.resets, st.reset_ns / 1e6);
	fprintf(f, "guest_wait_ms %.1f\nguest_run_ms %.1f\n", st.guest_wait_s * 1e3,
	        st.guest_run_s * 1e3);
	fprintf(f, "cpu_s %.2f\nqemu_cpu_s %.2f\n", cpu_s(), qemu_cpu_s());
	for (int c = 1; c < C_N; c++)
		fprintf(f, "finding_%s %llu\n", class_name[c], st.findings[c]);
	fclose(f);
	rename(tmp, path);
}

static bool qemu_alive(int *status)
{
	if (st.qemu <= 0)
		return false;
	if (waitpid(st.qemu, status, WNOHANG) == st.qemu) {
		st.qemu = -1;
		return false;
	}
	return true;
}

/* Waits for the guest's READY in the mailbox (from a boot or a reset that began at t0). */
static bool wait_ready(uint64_t t0, const char *what)
{
	while (st.mb->magic != SYSFUZZ_READY_MAGIC) {
		int status;

		if (!qemu_alive(&status) || now_ns() - t0 > opt.boot_ms * 1000000ull) {
			fprintf(stderr,
			        "sysfuzz-shim: %s did not bring the fuzzing guest up (see %s and "
			        "%s/qemu-stderr.log)\n",
			        what, st.console, opt.work);
			qemu_stop();
			return false;
		}
		usleep(200);
	}
	return true;
}

/* A fresh RAM file, QEMU on it (with a QMP monitor on a socketpair), and the guest's READY. */
static bool qemu_boot(void)
{
	char text_lo[32], plugin_arg[8192], ram_obj[512], dtb_dev[4096], guest_dev[4096];
	char console[4200], qmp_dev[64], chan_arg[96] = "";
	const char *hi;
	int qmp[2], chan[2];
	uint64_t t0 = now_ns();

	qemu_stop();
	snprintf(st.ram_path, sizeof(st.ram_path), "/dev/shm/humpy-sysfuzz-%d-%llu", (int)getpid(),
	         st.boots);
	st.ram_fd = open(st.ram_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (st.ram_fd < 0 || ftruncate(st.ram_fd, (off_t)RAM_SIZE) != 0)
		die(st.ram_path);
	st.mb = mmap(NULL, SYSFUZZ_MAILBOX_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, st.ram_fd,
	             (off_t)SYSFUZZ_MAILBOX_OFFSET);
	if (st.mb == MAP_FAILED)
		die("mmap mailbox");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, qmp) != 0)
		die("socketpair");
	st.qmp_fd = qmp[0];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, chan) != 0)
		die("socketpair");
	st.chan_fd = chan[0];
	if (opt.wait_pc != NULL)
		snprintf(chan_arg, sizeof(chan_arg), ",wait=%s,chan=%d", opt.wait_pc, chan[1]);
	hi = strchr(opt.text, ':');
	snprintf(text_lo, sizeof(text_lo), "%.*s", (int)(hi - opt.text), opt.text);
	snprintf(plugin_arg, sizeof(plugin_arg), "%s,lo=%s,hi=%s%s%s%s", opt.plugin, text_lo,
	         hi + 1, opt.cov ? ",cov=" : "", opt.cov ? opt.cov : "", chan_arg);
	snprintf(ram_obj, sizeof(ram_obj),
	         "memory-backend-file,id=mem,size=2G,mem-path=%s,share=on", st.ram_path);
	snprintf(dtb_dev, sizeof(dtb_dev), "loader,file=%s,addr=0x40F00000,force-raw=on", opt.dtb);
	snprintf(guest_dev, sizeof(guest_dev), "loader,file=%s,addr=0x41000000,force-raw=on",
	         opt.guest);
	snprintf(st.console, sizeof(st.console), "%s/console.log", opt.work);
	snprintf(console, sizeof(console), "file:%s", st.console);
	snprintf(qmp_dev, sizeof(qmp_dev), "socket,id=qmp,fd=%d", qmp[1]);
	char *argv[] = {(char *)opt.qemu,
	                "-machine",
	                "virt,virtualization=on,gic-version=3,highmem=off,memory-backend=mem",
	                "-cpu",
	                "max",
	                "-m",
	                "2G",
	                "-smp",
	                "1",
	                "-display",
	                "none",
	                "-monitor",
	                "none",
	                "-chardev",
	                qmp_dev,
	                "-mon",
	                "chardev=qmp,mode=control",
	                "-object",
	                ram_obj,
	                "-kernel",
	                (char *)opt.hyp,
	                "-device",
	                dtb_dev,
	                "-device",
	                guest_dev,
	                "-serial",
	                console,
	                "-plugin",
	                plugin_arg,
	                NULL};
	st.qemu = fork();
	if (st.qemu < 0)
		die("fork");
	if (st.qemu == 0) {
		char err[4200];
		int fd;

		/* QEMU dies with us even if afl-fuzz kills us with SIGKILL. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(FORKSRV_CTL);
		close(FORKSRV_ST);
		fcntl(qmp[1], F_SETFD, 0); /* QEMU's ends of the socketpairs stay open */
		fcntl(chan[1], F_SETFD, 0);
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		snprintf(err, sizeof(err), "%s/qemu-stderr.log", opt.work);
		fd = open(err, O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		fprintf(stderr, "sysfuzz-shim: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(qmp[1]);
	close(chan[1]);
	st.boots++;
	st.since_boot = 0;
	hist.first = hist.count = 0;
	if (!wait_ready(t0, "QEMU"))
		return false;
	/* QEMU holds the file open: the name can go, and the memory with the last user. */
	unlink(st.ram_path);
	st.ram_path[0] = '\0';
	st.boot_ns += now_ns() - t0;
	st.last_boot_ms = (now_ns() - t0) / 1e6;
	return true;
}

/*
 * One QMP exchange: sends `cmd` (a JSON object, or nothing), then reads lines until one starts
 * with `until` (`{"return"`, `{"QMP"`, or an event's name) or an error; events read on the way
 * are dropped. False on an error answer, a closed socket or no answer within the boot time.
 */
static bool qmp(const char *cmd, const char *until)
{
	uint64_t t0 = now_ns();

	if (cmd != NULL && write(st.qmp_fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		return false;
	for (;;) {
		char *nl = memchr(st.qmp_buf, '\n', st.qmp_len);
		ssize_t n;

		if (nl != NULL) {
			size_t line = (size_t)(nl - st.qmp_buf) + 1;
			bool error = strncmp(st.qmp_buf, "{\"error\"", 8) == 0;
			bool hit = !error && memmem(st.qmp_buf, line, until, strlen(until)) != NULL;

			if (error)
				fprintf(stderr, "sysfuzz-shim: QMP %s: %.*s", cmd ? cmd : "",
				        (int)line, st.qmp_buf);
			memmove(st.qmp_buf, st.qmp_buf + line, st.qmp_len - line);
			st.qmp_len -= line;
			if (error || hit)
				return hit;
			continue;
		}
		if (st.qmp_len == sizeof(st.qmp_buf))
			st.qmp_len = 0; /* a line longer than any QMP answer we wait for */
		if (now_ns() - t0 > opt.boot_ms * 1000000ull)
			return false;
		if (poll(&(struct pollfd){.fd = st.qmp_fd, .events = POLLIN}, 1, 100) <= 0)
			continue; /* nothing yet (or EINTR): look at the clock again */
		n = read(st.qmp_fd, st.qmp_buf + st.qmp_len, sizeof(st.qmp_buf) - st.qmp_len);
		if (n <= 0)
			return false;
		st.qmp_len += (size_t)n;
	}
}

/*
 * The reset between inputs, as good as a fresh QEMU and about a fifth of its cost: the VM is
 * paused, every byte of its RAM is dropped from the shared file (a hole reads as zeros, as a new
 * file does), and QEMU's system reset puts back what a start gives: the CPU at hyp.elf's entry,
 * every device in its reset state, the images (hyp.elf, DTB, guest) loaded again. Then the VM
 * runs and the guest boots until READY. QEMU's translated code survives: it translates again every
 * page the reset loads and every page written later, so only a jump into never-written memory
 * could run a stale translation (a fresh boot would run zeros there); every finding is replayed in
 * a fresh QEMU (--replay) before it counts. Falls back to a fresh QEMU on any failure.
 */
static bool qemu_reset(void)
{
	uint64_t t0 = now_ns();

	if (!st.qmp_ready) {
		if (!qmp(NULL, "{\"QMP\"") ||
		    !qmp("{\"execute\":\"qmp_capabilities\"}\n", "{\"return\""))
			return qemu_boot();
		st.qmp_ready = true;
	}
	if (!qmp("{\"execute\":\"stop\"}\n", "{\"return\""))
		return qemu_boot();
	if (fallocate(st.ram_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)RAM_SIZE) !=
	    0)
		die("fallocate(PUNCH_HOLE) of the guest RAM");
	/* The reset happens in QEMU's main loop after the answer: its RESET event says it is done.
	 */
	if (!qmp("{\"execute\":\"system_reset\"}\n", "\"RESET\"") ||
	    !qmp("{\"execute\":\"cont\"}\n", "{\"return\""))
		return qemu_boot();
	st.since_boot = 0;
	hist.first = hist.count = 0;
	if (!wait_ready(t0, "QEMU's system reset"))
		return qemu_boot();
	st.resets++;
	st.reset_ns += now_ns() - t0;
	return true;
}

/* At a watchdog: where the vCPU is (QEMU's "info registers" over QMP) into
 * <work>/watchdog-<execs>.txt, for whoever looks into the hang. */
static void qemu_dump_registers(void)
{
	static const char cmd[] = "{\"execute\":\"human-monitor-command\",\"arguments\":"
	                          "{\"command-line\":\"info registers\"}}\n";
	char path[4200];
	FILE *f;

	if (st.qmp_fd < 0)
		return;
	if (!st.qmp_ready) {
		if (!qmp(NULL, "{\"QMP\"") ||
		    !qmp("{\"execute\":\"qmp_capabilities\"}\n", "{\"return\""))
			return;
		st.qmp_ready = true;
	}
	if (write(st.qmp_fd, cmd, sizeof(cmd) - 1) != (ssize_t)sizeof(cmd) - 1)
		return;
	snprintf(path, sizeof(path), "%s/watchdog-%llu.txt", opt.work, st.execs);
	f = fopen(path, "w");
	if (f == NULL)
		return;
	for (int tries = 0; tries < 50; tries++) {
		struct pollfd pfd = {.fd = st.qmp_fd, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(st.qmp_fd, st.qmp_buf, sizeof(st.qmp_buf));
		if (n <= 0)
			break;
		fwrite(st.qmp_buf, 1, (size_t)n, f);
		if (memmem(st.qmp_buf, (size_t)n, "\"return\"", 8) != NULL)
			break;
	}
	st.qmp_len = 0;
	fclose(f);
}

static off_t file_size(const char *path)
{
	struct stat s;

	return stat(path, &s) == 0 ? s.st_size : 0;
}

/* The first console line since `from` holding `needle`, into line[]. */
static bool console_find(off_t from, const char *needle, char *line, size_t len)
{
	FILE *f = fopen(st.console, "r");
	char buf[300];
	bool found = false;

	if (f == NULL)
		return false;
	fseeko(f, from, SEEK_SET);
	while (!found && fgets(buf, sizeof(buf), f) != NULL) {
		if (strstr(buf, needle) != NULL) {
			buf[strcspn(buf, "\r\n")] = '\0';
			snprintf(line, len, "%s", buf);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* Runs one input; *what says why for a finding. */
static enum sysfuzz_class run_one(const uint8_t *data, size_t len, char *what, size_t what_len)
{
	volatile struct sysfuzz_mailbox *mb;
	uint64_t t0, deadline;
	uint32_t req;
	off_t console_at;
	int status = 0;
	enum sysfuzz_class c = C_OK;

	what[0] = '\0';
	if (st.qemu > 0 && st.since_boot >= opt.restart && !qemu_reset()) {
		snprintf(what, what_len, "QEMU did not boot");
		return C_QEMU_EXIT;
	}
	if (st.qemu <= 0 && !qemu_boot()) {
		snprintf(what, what_len, "QEMU did not boot");
		return C_QEMU_EXIT;
	}
	mb = st.mb;
	console_at = file_size(st.console);
	if (len > SYSFUZZ_MAX_INPUT)
		len = SYSFUZZ_MAX_INPUT;
	memcpy((void *)mb->input, data, len);
	mb->len = (uint32_t)len;
	if (hist.data != NULL) {
		unsigned slot = (hist.first + hist.count) % HIST_MAX;

		memcpy(hist.data[slot], data, len);
		hist.len[slot] = (uint32_t)len;
		if (hist.count < HIST_MAX)
			hist.count++;
		else
			hist.first = (hist.first + 1) % HIST_MAX;
	}
	req = mb->request + 1;
	__atomic_store_n(&mb->request, req, __ATOMIC_RELEASE);
	t0 = now_ns();
	deadline = t0 + opt.watchdog_ms * 1000000ull;
	/* 'g': the plugin lets the vCPU go on from sysfuzz_host_wait (ignored without --wait-pc) */
	if (opt.wait_pc != NULL && write(st.chan_fd, "g", 1) != 1)
		c = C_QEMU_EXIT;
	while (c == C_OK && __atomic_load_n(&mb->done, __ATOMIC_ACQUIRE) != req) {
		uint64_t now = now_ns();
		struct pollfd pfd = {.fd = st.chan_fd, .events = POLLIN};

		if (!qemu_alive(&status)) {
			c = C_QEMU_EXIT;
			break;
		}
		if (now > deadline) {
			c = C_WATCHDOG;
			break;
		}
		if (opt.wait_pc ==
		    NULL) { /* no channel: the guest's answer is only in the mailbox */
			struct timespec ts = {0, 20000};

			nanosleep(&ts, NULL);
			continue;
		}
		/* 'w' once the guest is back at sysfuzz_host_wait: the answer is in the mailbox. */
		if (poll(&pfd, 1, 100) > 0) {
			char buf[64];

			if (read(st.chan_fd, buf, sizeof(buf)) <= 0)
				usleep(1000); /* QEMU closed it: gone, qemu_alive will say so */
		}
	}
	st.run_ns += now_ns() - t0;
	st.execs++;
	st.since_boot++;
	if (c == C_OK && mb->freq != 0) {
		st.guest_wait_s += (double)mb->wait_ticks / (double)mb->freq;
		st.guest_run_s += (double)mb->run_ticks / (double)mb->freq;
	}
	if (c == C_OK && mb->status != SYSFUZZ_OK) {
		c = C_INVARIANT;
		snprintf(what, what_len, "op %u: %.*s", mb->op, (int)SYSFUZZ_WHY_MAX,
		         (const char *)mb->why);
	} else if (c != C_OK) {
		char line[300];

		if (c == C_WATCHDOG) {
			qemu_dump_registers();
			qemu_stop(); /* flushes the console too */
		}
		if (console_find(console_at, "PANIC", line, sizeof(line))) {
			c = C_PANIC;
			snprintf(what, what_len, "%s", line);
		} else if (console_find(console_at, "outside a test", line, sizeof(line))) {
			c = C_GUEST_CRASH;
			snprintf(what, what_len, "%s", line);
		} else if (c == C_WATCHDOG) {
			snprintf(what, what_len, "no answer in %u ms", opt.watchdog_ms);
		} else {
			snprintf(what, what_len, "QEMU exited (status 0x%x) without a panic line",
			         status);
		}
	}
	if (c != C_OK) {
		st.findings[c]++;
		qemu_stop(); /* the next input starts from a fresh boot */
	}
	return c;
}

static size_t read_input(const char *path, uint8_t *buf, size_t max)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, max);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

/*
 * After a finding: the inputs since the last boot or reset (the finding's own last) into the folder
 * <work>/sequences/<execs>, files 0000, 0001, ... in the order they ran; its name into *dir. Only
 * when earlier inputs ran in that boot (else the input alone is the whole story).
 */
static bool hist_save(char *dir, size_t dir_len)
{
	char path[4400];

	if (hist.data == NULL || hist.count < 2 || hist.saved >= SEQ_KEEP)
		return false;
	snprintf(path, sizeof(path), "%s/sequences", opt.work);
	mkdir(path, 0755);
	snprintf(dir, dir_len, "%s/sequences/%llu", opt.work, st.execs);
	if (mkdir(dir, 0755) != 0)
		return false;
	for (unsigned i = 0; i < hist.count; i++) {
		unsigned slot = (hist.first + i) % HIST_MAX;
		int fd;

		snprintf(path, sizeof(path), "%s/%04u", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 ||
		    write(fd, hist.data[slot], hist.len[slot]) != (ssize_t)hist.len[slot]) {
			if (fd >= 0)
				close(fd);
			return false;
		}
		close(fd);
	}
	hist.saved++;
	return true;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void forkserver(void)
{
	static uint8_t buf[SYSFUZZ_MAX_INPUT];
	uint32_t hello = 0, token;
	pid_t sleeper;
	uint64_t last_stats = 0;

	/* afl-fuzz kills "the child" on its own timeout: give it one that holds nothing. */
	sleeper = fork();
	if (sleeper == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	hist.data = malloc(HIST_MAX * sizeof(*hist.data));
	if (hist.data == NULL)
		die("malloc of the input history");
	if (write(FORKSRV_ST, &hello, 4) != 4)
		die("forkserver hello");
	while (!stop_requested && read(FORKSRV_CTL, &token, 4) == 4) {
		char what[512];
		size_t len = read_input(opt.input, buf, sizeof(buf));
		enum sysfuzz_class c;
		int status;

		if (waitpid(sleeper, NULL, WNOHANG) == sleeper) { /* afl-fuzz timed it out */
			sleeper = fork();
			if (sleeper == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				for (;;)
					pause();
			}
		}
		if (write(FORKSRV_ST, &sleeper, 4) != 4)
			break;
		c = run_one(buf, len, what, sizeof(what));
		if (c != C_OK) {
			char log[4200], seq[4300];
			uint64_t t_save = now_ns();
			bool kept = hist_save(seq, sizeof(seq));
			FILE *f;

			t_save = now_ns() - t_save;

			snprintf(log, sizeof(log), "%s/findings.log", opt.work);
			f = fopen(log, "a");
			if (f != NULL) {
				fprintf(f, "%s: %s\n", class_name[c], what);
				fclose(f);
			}
			if (kept) {
				snprintf(log, sizeof(log), "%s/sequences.log", opt.work);
				f = fopen(log, "a");
				if (f != NULL) {
					fprintf(f, "%s %u inputs (written in %.1f ms) %s: %s\n",
					        seq, hist.count, t_save / 1e6, class_name[c], what);
					fclose(f);
				}
			}
		}
		status = class_signal[c];
		if (write(FORKSRV_ST, &status, 4) != 4)
			break;
		if (now_ns() - last_stats > 1000000000ull) {
			write_stats();
			last_stats = now_ns();
		}
	}
	write_stats();
	kill(sleeper, SIGKILL);
	waitpid(sleeper, NULL, 0);
}

static int is_input(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/*
 * A sequence: the inputs of folder `dir` (in name order) in one fresh QEMU, no reset between
 * them, up to the first finding. One line per input, then "sysfuzz replay: DIR: CLASS: what
 * (input K of N)" for the whole: a finding at input N of N is the sequence's own.
 */
static enum sysfuzz_class replay_sequence(const char *dir, uint8_t *buf)
{
	struct dirent **names;
	int n = scandir(dir, &names, is_input, alphasort), k;
	unsigned restart = opt.restart;
	enum sysfuzz_class c = C_OK;
	char what[512] = "";

	if (n < 0) {
		printf("sysfuzz replay: %s: cannot read the folder: %s\n", dir, strerror(errno));
		return C_QEMU_EXIT;
	}
	qemu_stop();
	opt.restart = UINT32_MAX; /* one boot for the whole sequence */
	for (k = 0; k < n && c == C_OK && !stop_requested; k++) {
		char path[4300];

		snprintf(path, sizeof(path), "%s/%s", dir, names[k]->d_name);
		c = run_one(buf, read_input(path, buf, SYSFUZZ_MAX_INPUT), what, sizeof(what));
		printf("sysfuzz replay: %s: %s%s%s\n", path, class_name[c], what[0] ? ": " : "",
		       what);
	}
	qemu_stop();
	opt.restart = restart;
	printf("sysfuzz replay: %s: %s%s%s (input %d of %d, one boot)\n", dir, class_name[c],
	       what[0] ? ": " : "", what, k, n);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return c;
}

/* Every input in a fresh QEMU (a folder: a sequence, see replay_sequence): "sysfuzz replay: FILE:
 * CLASS: what". Exit 1 if any finding. */
static int replay(int n, char **files)
{
	static uint8_t buf[SYSFUZZ_MAX_INPUT];
	int found = 0;

	for (int i = 0; i < n && !stop_requested; i++) {
		char what[512];
		struct stat sb;
		enum sysfuzz_class c;

		if (stat(files[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			found += replay_sequence(files[i], buf) != C_OK;
			continue;
		}
		if (opt.restart <= 1 || i == 0)
			qemu_stop();
		c = run_one(buf, read_input(files[i], buf, sizeof(buf)), what, sizeof(what));
		printf("sysfuzz replay: %s: %s%s%s\n", files[i], class_name[c], what[0] ? ": " : "",
		       what);
		if (c != C_OK)
			found++;
	}
	qemu_stop();
	write_stats();
	printf("sysfuzz replay: %d input(s), %d finding(s), %llu boot(s), %.0f ms per boot\n", n,
	       found, st.boots, st.boots ? st.boot_ns / 1e6 / st.boots : 0.0);
	return found ? 1 : 0;
}

/* For the runner's cleanup: a RAM file left by a shim killed mid-boot carries its pid. */
static void note_pid(void)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/shim.pids", opt.work);
	f = fopen(path, "a");
	if (f != NULL) {
		fprintf(f, "%d\n", (int)getpid());
		fclose(f);
	}
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: sysfuzz-shim --hyp ELF --guest BIN --dtb DTB --plugin SO --text LO:HI "
	        "--work DIR [--qemu Q] [--restart N] [--watchdog-ms MS] [--cov PATTERN]\n"
	        "         [--wait-pc ADDR]\n"
	        "         (--input FILE under afl-fuzz | --replay FILE|FOLDER...)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int i;
	bool is_replay = false;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--replay") == 0) {
			is_replay = true;
			i++;
			break;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(a, "--qemu") == 0)
			opt.qemu = argv[++i];
		else if (strcmp(a, "--hyp") == 0)
			opt.hyp = argv[++i];
		else if (strcmp(a, "--guest") == 0)
			opt.guest = argv[++i];
		else if (strcmp(a, "--dtb") == 0)
			opt.dtb = argv[++i];
		else if (strcmp(a, "--plugin") == 0)
			opt.plugin = argv[++i];
		else if (strcmp(a, "--text") == 0)
			opt.text = argv[++i];
		else if (strcmp(a, "--work") == 0)
			opt.work = argv[++i];
		else if (strcmp(a, "--cov") == 0)
			opt.cov = argv[++i];
		else if (strcmp(a, "--input") == 0)
			opt.input = argv[++i];
		else if (strcmp(a, "--restart") == 0)
			opt.restart = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (strcmp(a, "--watchdog-ms") == 0)
			opt.watchdog_ms = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (strcmp(a, "--wait-pc") == 0)
			opt.wait_pc = argv[++i];
		else
			usage();
	}
	if (!opt.hyp || !opt.guest || !opt.dtb || !opt.plugin || !opt.text || !opt.work ||
	    !strchr(opt.text, ':') || opt.restart == 0 || opt.watchdog_ms == 0)
		usage();
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_TIMERSLACK, 1UL);
	note_pid();
	if (is_replay) {
		int rc = replay(argc - i, argv + i);
		return rc;
	}
	if (opt.input == NULL || fcntl(FORKSRV_ST, F_GETFD) < 0)
		usage();
	forkserver();
	qemu_stop();
	return 0;
}
