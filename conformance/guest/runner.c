/* The test runner: options from bootargs, selection, running with a time limit, the protocol. */
#include <humpy/arch.h>
#include <humpy/bench.h>
#include <humpy/console.h>
#include <humpy/cover.h>
#include <humpy/exc.h>
#include <humpy/frame.h>
#include <humpy/libc.h>
#include <humpy/profile.h>
#include <humpy/psci.h>
#include <humpy/runner.h>
#include <humpy/setup.h>
#include <humpy/tlimit.h>
#include <humpy/trace.h>

#define RUNNER_DEFAULT_LIMIT_MS 2000
#define RUNNER_REASON_MAX       200
#define RUNNER_ID_MAX           TEST_ID_MAX
#define RUNNER_HIDDEN_AREA      "selftest"

enum verdict { V_PASS, V_FAIL, V_SKIP, V_ERROR, V_COUNT };
static const char *const verdict_names[V_COUNT] = {"PASS", "FAIL", "SKIP", "ERROR"};

extern const struct test __tests_start[], __tests_end[];
/* One slot per test, sized by the link (guest.ld asserts it): selection never drops a test. */
extern const struct test *__test_slots_start[], *__test_slots_end[];
_Static_assert(sizeof(struct test) == 3 * sizeof(const struct test *),
               "guest.ld checks slots * 3 == tests: one slot is a third of a test entry");
int test_ctx_save(struct test_ctx *c) __attribute__((returns_twice));
NORETURN void test_ctx_restore(struct test_ctx *c, int value);

static struct {
	volatile bool active; /* a test body is running: abandoning it is possible */
	enum verdict verdict;
	char reason[RUNNER_REASON_MAX];
	struct test_ctx ctx;
	unsigned abandoned; /* tests abandoned so far (runner_abandoned) */
} run;

static void runner_verdict(enum verdict v, const char *fmt, va_list ap)
{
	if (run.verdict != V_PASS)
		return;
	run.verdict = v;
	vsnprintf(run.reason, sizeof(run.reason), fmt, ap);
}

void test_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	runner_verdict(V_FAIL, fmt, ap);
	va_end(ap);
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	runner_verdict(V_SKIP, fmt, ap);
	va_end(ap);
}

void test_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	runner_verdict(V_ERROR, fmt, ap);
	va_end(ap);
}

bool test_has_failed(void)
{
	return run.verdict != V_PASS;
}

unsigned runner_abandoned(void)
{
	return run.abandoned;
}

void runner_abandon(const char *fmt, ...)
{
	static bool stopping;
	char why[RUNNER_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (run.active) {
		run.active = false;
		run.abandoned++;
		/* An abandoned test ends in ERROR even if it had already recorded a FAIL. */
		run.verdict = V_ERROR;
		snprintf(run.reason, sizeof(run.reason), "%s", why);
		test_ctx_restore(&run.ctx, 1);
	}
	/* Outside a test there is nothing to go back to: say why and power off (CRASH). */
	console_printf("\nguest: %s outside a test; powering off\n", why);
	if (!stopping) {
		stopping = true;
		psci_system_off();
	}
	for (;;)
		__asm__ volatile("wfi");
}

/* --- options --- */

static bool token_is(const char *tok, size_t len, const char *want)
{
	return strlen(want) == len && strncmp(tok, want, len) == 0;
}

void runner_parse_bootargs(const char *args, struct runner_options *opt)
{
	const char *p = args;

	*opt = (struct runner_options){.timeout_ms = RUNNER_DEFAULT_LIMIT_MS};
	while (*p) {
		const char *tok;
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		tok = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		len = (size_t)(p - tok);
		if (len == 0)
			break;
		if (token_is(tok, len, "humpy.list")) {
			opt->list = true;
		} else if (token_is(tok, len, "humpy.trace")) {
			opt->trace = true;
		} else if (token_is(tok, len, "humpy.cover")) {
			opt->cover = true;
		} else if (token_is(tok, len, "humpy.bench")) {
			opt->bench = true;
		} else if (len > 12 && strncmp(tok, "humpy.tests=", 12) == 0) {
			opt->tests = tok + 12;
			opt->tests_len = len - 12;
		} else if (len > 17 && strncmp(tok, "humpy.timeout_ms=", 17) == 0) {
			u64 ms;

			if (parse_u64(tok + 17, len - 17, &ms) && ms > 0 && ms <= 3600000)
				opt->timeout_ms = (u32)ms;
			else
				console_printf("guest: ignoring bad %.*s\n", (int)len, tok);
		}
		/* Anything else belongs to someone else (PROTOCOL.md: unknown tokens are ignored).
		 */
	}
}

/* --- selection --- */

static void test_id(const struct test *t, char *buf, size_t n)
{
	snprintf(buf, n, "%s.%s", t->area, t->name); /* TEST() checks the length at build time */
}

static bool test_is_hidden(const struct test *t)
{
	return strcmp(t->area, RUNNER_HIDDEN_AREA) == 0;
}

/* Hidden tests need a pattern that names their area explicitly: "selftest." + anything. */
static bool test_selected(const struct test *t, const struct runner_options *opt)
{
	const char *p, *end;
	char id[RUNNER_ID_MAX];

	if (!opt->tests)
		return !test_is_hidden(t);
	test_id(t, id, sizeof(id));
	p = opt->tests;
	end = p + opt->tests_len;
	while (p < end) {
		const char *comma = p;
		size_t len;

		while (comma < end && *comma != ',')
			comma++;
		len = (size_t)(comma - p);
		if (len && (!test_is_hidden(t) || (len >= 9 && strncmp(p, "selftest.", 9) == 0)) &&
		    glob_match(p, len, id))
			return true;
		p = comma + 1;
	}
	return false;
}

/*
 * Visible tests first, then hidden; by id within each, so the order never depends on linking.
 * Area, then name: the same order as comparing "area.name", since '.' sorts below [a-z0-9_].
 */
static bool test_before(const struct test *a, const struct test *b)
{
	int by_area;

	if (test_is_hidden(a) != test_is_hidden(b))
		return !test_is_hidden(a);
	by_area = strcmp(a->area, b->area);
	return by_area < 0 || (by_area == 0 && strcmp(a->name, b->name) < 0);
}

static unsigned runner_select(const struct runner_options *opt, const struct test **sel)
{
	/* The linker's bounds of the humpy_tests section, compared as addresses. */
	size_t total = ((uintptr_t)__tests_end - (uintptr_t)__tests_start) / sizeof(struct test);
	unsigned n = 0, i;
	size_t k;

	for (k = 0; k < total; k++) {
		const struct test *t = &__tests_start[k];

		if (!test_selected(t, opt))
			continue;
		for (i = n; i > 0 && test_before(t, sel[i - 1]); i--)
			sel[i] = sel[i - 1];
		sel[i] = t;
		n++;
	}
	return n;
}

/* --- running --- */

/* ID_AA64PFR1_EL1.MTE (11:8): non-zero when PSTATE.TCO exists (FEAT_MTE). */
#define RUNNER_PFR1_MTE(v) (((v) >> 8) & 0xfULL)

/*
 * What an exception return would have put back in PSTATE besides DAIF: exception entry sets
 * PSTATE.TCO, and an abandoned test leaves through test_ctx_restore, not ERET, so later tests
 * would run with tag checks suppressed.
 */
static void runner_pstate_after_abandon(void)
{
	/* msr tco, #0, encoded: the guest is built for v8.0 */
	if (RUNNER_PFR1_MTE(sysreg_read(id_aa64pfr1_el1)) != 0)
		__asm__ volatile(".inst 0xd503409f" ::: "memory");
}

static void runner_run_one(const struct test *t, u32 limit_ms)
{
	run.verdict = V_PASS;
	run.reason[0] = '\0';
	exc_reset();
	if (test_ctx_save(&run.ctx) == 0) {
		run.active = true;
		tlimit_arm(limit_ms);
		__asm__ volatile("msr daifclr, #7" ::: "memory"); /* SError, IRQ, FIQ */
		t->fn();
		__asm__ volatile("msr daifset, #7" ::: "memory");
		run.active = false;
		tlimit_disarm();
	} else {
		/* Abandoned: the exception left DAIF masked; only the timer needs quietening. */
		tlimit_disarm();
		runner_pstate_after_abandon();
	}
	exc_reset();
}

/* BEGIN, then the profile and why, then any set-up failure kept from before BEGIN. */
static void runner_begin(unsigned tests)
{
	const struct profile *p = profile_get();

	proto_line("BEGIN profile=%s tests=%u", profile_name(p), tests);
	proto_line("PROFILE %s %s", profile_name(p), p->reason);
	setup_report_pending();
}

void runner_main(const struct runner_options *opt)
{
	const struct test **selected = __test_slots_start;
	unsigned n = runner_select(opt, selected), i, count[V_COUNT] = {0};
	char id[RUNNER_ID_MAX];

	if (opt->bench) {
		runner_begin(0);
		bench_run();
		proto_line("END pass=0 fail=0 skip=0 error=0");
		psci_system_off();
	}
	runner_begin(n);
	if (opt->trace && !opt->list)
		trace_start();
	for (i = 0; i < n; i++) {
		const struct test *t = selected[i];

		test_id(t, id, sizeof(id));
		if (opt->list) {
			proto_line("TEST %s", id);
			continue;
		}
		proto_line("RUN %s", id);
		trace_test_begin(id);
		runner_run_one(t, opt->timeout_ms);
		trace_test_end();
		count[run.verdict]++;
		proto_line("RESULT %s %s%s%s", id, verdict_names[run.verdict],
		           run.verdict == V_PASS ? "" : " ",
		           run.verdict == V_PASS ? ""
		                                 : (run.reason[0] ? run.reason : "(no reason)"));
	}
	/* Opt-in: a burst of COVER lines right before END hides the last RESULT from LAVA. */
	if (opt->cover && !opt->list)
		cover_print();
	proto_line("END pass=%u fail=%u skip=%u error=%u", count[V_PASS], count[V_FAIL],
	           count[V_SKIP], count[V_ERROR]);
	psci_system_off();
}
