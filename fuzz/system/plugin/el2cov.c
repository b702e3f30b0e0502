/*
 * el2cov: a QEMU TCG plugin that sees only the hypervisor's own code (translation blocks starting
 * inside hyp.elf's .text, bounds given as lo=/hi=) and
 *   - counts AFL-style edges (prev ^ cur) into AFL++'s shared-memory bitmap (__AFL_SHM_ID), and
 *   - with cov=PATH ("%p" becomes QEMU's pid), writes at exit every block that ran: "pc insns".
 * The guest's EL1 code lies outside [lo, hi) and is never instrumented, so its own loops neither
 * cost time nor become "new coverage" for the fuzzer. One guest block is the exception: with
 * wait=ADDR (the fuzzing guest's sysfuzz_host_wait) and chan=FD (a socket the sysfuzz shim holds
 * the other end of), each time the guest reaches that block between two inputs the plugin writes
 * 'w' ("waiting: the last answer is in the mailbox") once, then blocks the vCPU thread until the
 * shim writes 'g' ("the next input is in place"), so that neither side polls. The wait gives up
 * after EL2COV_WAIT_MS and the guest looks at its mailbox again (and calls again): QEMU can then
 * stop the vCPU in between (the shim's reset pauses the VM).
 */
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

#include "qemu_plugin_api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define EL2COV_MAP_SIZE_DEFAULT 65536u
#define EL2COV_WAIT_MS          10

/* One translated block of EL2 code: its AFL location and whether it ever ran. */
struct el2cov_block {
	uint64_t pc;
	uint32_t insns;
	uint32_t loc;
	bool ran;
	struct el2cov_block *next;
};

static uint64_t el2cov_lo, el2cov_hi;
static unsigned char *el2cov_map; /* AFL++'s bitmap, or NULL outside afl-fuzz */
static uint32_t el2cov_map_mask;
static uint32_t el2cov_prev;
static char el2cov_path[4096];
static struct el2cov_block *el2cov_blocks;
static uint64_t el2cov_wait_pc; /* 0: no wait block */
static int el2cov_chan = -1;
static bool el2cov_told; /* 'w' written since the last 'g' */

static void el2cov_exec(unsigned int vcpu_index, void *userdata)
{
	struct el2cov_block *b = userdata;

	(void)vcpu_index;
	b->ran = true;
	if (el2cov_map != NULL) {
		el2cov_map[(b->loc ^ el2cov_prev) & el2cov_map_mask]++;
		el2cov_prev = b->loc >> 1;
	}
}

/* The guest at sysfuzz_host_wait: tell the shim once, then wait for its go (see the top). */
static void el2cov_wait(unsigned int vcpu_index, void *userdata)
{
	struct pollfd p = {.fd = el2cov_chan, .events = POLLIN};

	(void)vcpu_index;
	(void)userdata;
	if (!el2cov_told)
		el2cov_told = write(el2cov_chan, "w", 1) == 1;
	if (poll(&p, 1, EL2COV_WAIT_MS) > 0) {
		char buf[64];

		if (read(el2cov_chan, buf, sizeof(buf)) > 0)
			el2cov_told = false;
	}
}

static void el2cov_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t pc = qemu_plugin_tb_vaddr(tb);
	struct el2cov_block *b;

	(void)id;
	if (pc == el2cov_wait_pc && el2cov_chan >= 0) {
		qemu_plugin_register_vcpu_tb_exec_cb(tb, el2cov_wait, QEMU_PLUGIN_CB_NO_REGS, NULL);
		return;
	}
	if (pc < el2cov_lo || pc >= el2cov_hi)
		return;
	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return;
	b->pc = pc;
	b->insns = (uint32_t)qemu_plugin_tb_n_insns(tb);
	/* AFL's QEMU-mode location hash: mixes the low bits that differ between nearby blocks. */
	b->loc = (uint32_t)((pc >> 4) ^ (pc << 8));
	b->next = el2cov_blocks;
	el2cov_blocks = b;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, el2cov_exec, QEMU_PLUGIN_CB_NO_REGS, b);
}

static void el2cov_exit(qemu_plugin_id_t id, void *userdata)
{
	FILE *f;

	(void)id;
	(void)userdata;
	if (el2cov_path[0] == '\0')
		return;
	f = fopen(el2cov_path, "w");
	if (f == NULL) {
		perror(el2cov_path);
		return;
	}
	for (const struct el2cov_block *b = el2cov_blocks; b != NULL; b = b->next) {
		if (b->ran)
			fprintf(f, "0x%llx %u\n", (unsigned long long)b->pc, b->insns);
	}
	fclose(f);
}

/* cov=PATH with "%p" replaced by our pid (one file per QEMU when the fuzzer restarts it). */
static bool el2cov_set_path(const char *spec)
{
	const char *p = strstr(spec, "%p");
	int n;

	if (p == NULL)
		n = snprintf(el2cov_path, sizeof(el2cov_path), "%s", spec);
	else
		n = snprintf(el2cov_path, sizeof(el2cov_path), "%.*s%ld%s", (int)(p - spec), spec,
		             (long)getpid(), p + 2);
	return n > 0 && (size_t)n < sizeof(el2cov_path);
}

static void el2cov_attach_afl(void)
{
	const char *id = getenv("__AFL_SHM_ID");
	const char *size = getenv("AFL_MAP_SIZE");
	unsigned long map_size = size != NULL ? strtoul(size, NULL, 0) : EL2COV_MAP_SIZE_DEFAULT;
	void *m;

	if (id == NULL)
		return;
	/* The edge index is masked, so the size must be a power of two; AFL++'s default is. */
	if (map_size == 0 || (map_size & (map_size - 1)) != 0)
		map_size = EL2COV_MAP_SIZE_DEFAULT;
	m = shmat(atoi(id), NULL, 0);
	if (m == (void *)-1) {
		perror("el2cov: shmat(__AFL_SHM_ID)");
		return;
	}
	el2cov_map = m;
	el2cov_map_mask = (uint32_t)(map_size - 1);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                           char **argv);

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "lo=", 3) == 0)
			el2cov_lo = strtoull(argv[i] + 3, NULL, 0);
		else if (strncmp(argv[i], "hi=", 3) == 0)
			el2cov_hi = strtoull(argv[i] + 3, NULL, 0);
		else if (strncmp(argv[i], "cov=", 4) == 0) {
			if (!el2cov_set_path(argv[i] + 4)) {
				fprintf(stderr, "el2cov: cov= path too long\n");
				return -1;
			}
		} else if (strncmp(argv[i], "wait=", 5) == 0) {
			el2cov_wait_pc = strtoull(argv[i] + 5, NULL, 0);
		} else if (strncmp(argv[i], "chan=", 5) == 0) {
			el2cov_chan = atoi(argv[i] + 5);
			/* never block on a write: a 'w' the shim has not read yet says the same */
			fcntl(el2cov_chan, F_SETFL, fcntl(el2cov_chan, F_GETFL) | O_NONBLOCK);
		} else {
			fprintf(stderr,
			        "el2cov: unknown argument %s (lo=, hi=, cov=, wait=, chan=)\n",
			        argv[i]);
			return -1;
		}
	}
	if (el2cov_lo == 0 || el2cov_hi <= el2cov_lo) {
		fprintf(stderr, "el2cov: give the hypervisor's text as lo=0x... hi=0x...\n");
		return -1;
	}
	el2cov_attach_afl();
	qemu_plugin_register_vcpu_tb_trans_cb(id, el2cov_trans);
	qemu_plugin_register_atexit_cb(id, el2cov_exit, NULL);
	return 0;
}
