# fuzz/fuzz.mk: coverage-guided fuzzers of hyp/core built for the host (libFuzzer, AFL++, replay).
#   make fuzz              AFL++ main + secondaries on FUZZ_TARGET for FUZZ_SECONDS on FUZZ_JOBS cores
#                          (resumable; live progress line every FUZZ_PROGRESS=10 s; summary at the end)
#   make fuzz-libfuzzer    the same with libFuzzer -jobs
#   make fuzz-seeds        seed corpora under $(FUZZ_BUILD)/seeds/<target> (hand-made + conformance traces)
#   make fuzz-triage       minimize, group by stack hash, symbolize; reproducer + replay line per group
#   make fuzz-coverage     source-based coverage of hyp/core over the corpora (HTML + branch figure),
#                          then make fuzz-coverage-system (hyp/arch functions the suite and the
#                          system fuzzer reach in hyp.elf at EL2, and those neither reaches)
#   make fuzz-throughput   inputs per CPU second of one fuzzer on one core on FUZZ_TARGET from its seeds
#                          (FUZZ_THROUGHPUT_ENGINE=libfuzzer|afl|replay; libFuzzer also from fixed
#                          work, -seed=1 -runs=FUZZ_THROUGHPUT_RUNS, which load cannot shorten)
#   make bench-fuzz        make bench, then both engines' and the replay program's throughput on
#                          hypercall_seq merged into its JSON
#   make fuzz-bugbench     fuzz each planted bug (-DHUMPY_PLANT_BUG=N) for BUGBENCH_SECONDS
#   make test-fuzz         (in make test) build every variant, short runs, regression corpus replays
#   make test-fuzz-runs    (in make test) the runners under bad values, aborts and Ctrl-C
# Binaries: $(FUZZ_BUILD)/{libfuzzer,afl,afl-cmplog,replay,cov}/<target>. Output under $(REPORTS)/fuzz.

FUZZ_BUILD      := $(BUILD)/fuzz
FUZZ_REPORTS    := $(REPORTS)/fuzz
FUZZ_TARGETS    := hypercall_seq fdt esr pte ich_lr rm_rpc
FUZZ_TARGET     ?= hypercall_seq
FUZZ_SECONDS    ?= 28800
FUZZ_JOBS       ?= $(shell nproc)
FUZZ_CC         ?= clang
FUZZ_AFL_CC     ?= afl-clang-fast
FUZZ_PROFDATA   ?= llvm-profdata
FUZZ_COV        ?= $(shell command -v llvm-cov-14 || command -v llvm-cov)
BUGBENCH_SECONDS ?= 600
BUGBENCH_BUGS   ?= 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
BUGBENCH_SEEDS  ?=
FUZZ_TEST_SECONDS ?= 8
FUZZ_PROGRESS   ?= 10
FUZZ_THROUGHPUT_SECONDS ?= 20
FUZZ_THROUGHPUT_ENGINE ?= libfuzzer
FUZZ_THROUGHPUT_RUNS ?= 30000
FUZZ_TRACE_SEEDS ?= yes
# The planted bugs (-DHUMPY_PLANT_BUG=N in hyp/core).
BUGBENCH_ALL    := 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15

# Every FUZZ_* (and BUGBENCH_*) variable is checked before anything builds or runs: a bad value
# stops make with one line naming the accepted values, never a silent default, a linker error or a
# run that exits 0 without fuzzing. Only for the goals that use them (a bad FUZZ_JOBS must not stop
# `make hyp`).
fuzz_nondigits = $(subst 0,,$(subst 1,,$(subst 2,,$(subst 3,,$(subst 4,,$(subst 5,,$(subst 6,,$(subst \
	7,,$(subst 8,,$(subst 9,,$1))))))))))
fuzz_count = $(if $(and $(filter 1,$(words $($1))),$(if $(call fuzz_nondigits,$($1)),,digits),\
	$(filter-out 0%,$($1)),$(shell [ $($1) -le $2 ] 2>/dev/null && echo ok)),,\
	$(error $1=$($1): expected a whole number of $3 from 1 to $2))
fuzz_one_of = $(if $(filter-out 1,$(words $($1)))$(filter-out $2,$($1)),\
	$(error $1=$($1): expected one of: $2))
FUZZ_CHECK_GOALS := fuzz fuzz-% test test-fuzz test-fuzz-% bench-fuzz
ifneq ($(filter $(FUZZ_CHECK_GOALS),$(MAKECMDGOALS)),)
$(call fuzz_one_of,FUZZ_TARGET,$(FUZZ_TARGETS))
$(call fuzz_count,FUZZ_SECONDS,100000000,seconds)
$(call fuzz_count,FUZZ_JOBS,256,jobs)
$(call fuzz_count,FUZZ_PROGRESS,3600,seconds)
$(call fuzz_count,FUZZ_TEST_SECONDS,3600,seconds)
$(call fuzz_count,FUZZ_THROUGHPUT_SECONDS,3600,seconds)
$(call fuzz_count,FUZZ_THROUGHPUT_RUNS,100000000,runs)
$(call fuzz_count,BUGBENCH_SECONDS,100000000,seconds)
$(call fuzz_one_of,FUZZ_TRACE_SEEDS,yes no)
$(call fuzz_one_of,FUZZ_THROUGHPUT_ENGINE,libfuzzer afl replay)
$(if $(BUGBENCH_BUGS),,$(error BUGBENCH_BUGS is empty: expected planted bug numbers from: $(BUGBENCH_ALL)))
$(foreach b,$(BUGBENCH_BUGS),$(if $(filter $(BUGBENCH_ALL),$(b)),,\
	$(error BUGBENCH_BUGS=$(BUGBENCH_BUGS): expected planted bug numbers from: $(BUGBENCH_ALL))))
$(if $(filter-out none,$(BUGBENCH_SEEDS)),$(error BUGBENCH_SEEDS=$(BUGBENCH_SEEDS): expected \
	nothing (fuzz from the seeds) or none (from an empty corpus)))
endif

# The core's host flags without its sanitizer choice (each variant picks its own).
FUZZ_CFLAGS := $(filter-out $(HYP_HOST_SAN),$(HYP_HOST_CFLAGS)) -fno-omit-frame-pointer \
	$(HYP_HOST_INCLUDES) -Ihyp/core -Ifuzz/harness \
	-I$(dir $(SPEC_GUEST_HEADER)) -I$(dir $(SPEC_FUZZ_HEADER))
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
# The shadow of every partition allocation (fuzz/harness/world.c).
FUZZ_WRAP   := -Wl,--wrap=partition_alloc,--wrap=partition_free,--wrap=object_create

FUZZ_CORE_SRCS := $(HYP_HOST_CORE_SRCS) fuzz/harness/world.c fuzz/harness/oracle.c \
	fuzz/harness/oracle_heap.c fuzz/harness/fail.c fuzz/harness/asan_options.c
FUZZ_SRCS_hypercall_seq := $(FUZZ_CORE_SRCS) fuzz/targets/hypercall_seq.c
FUZZ_SRCS_fdt           := hyp/core/fdt.c hyp/core/root_dt.c fuzz/harness/fail.c fuzz/targets/fdt.c
FUZZ_DEPS := $(wildcard fuzz/harness/*.h hyp/include/*.h hyp/arch/host/*.h hyp/core/*.c) \
	$(SPEC_GUEST_HEADER) $(SPEC_FUZZ_HEADER) fuzz/fuzz.mk
# The pure encoders of hyp/arch/aarch64 (their headers last on the path, so they shadow nothing).
FUZZ_CFLAGS      += -Ihyp/arch/aarch64
FUZZ_SRCS_esr    := hyp/arch/aarch64/esr.c fuzz/harness/fail.c fuzz/targets/esr.c
FUZZ_SRCS_pte    := hyp/arch/aarch64/pte.c fuzz/harness/fail.c fuzz/targets/pte.c
FUZZ_SRCS_ich_lr := fuzz/harness/fail.c fuzz/targets/ich_lr.c
# The RM's RPC decoder and pure handlers (hyp/rm/test/rmrpc.mk lists them; fuzz/rm_rpc/ owns the rest).
FUZZ_SRCS_rm_rpc := $(RM_RPC_SRCS) fuzz/harness/fail.c fuzz/rm_rpc/rm_rpc.c
FUZZ_DEPS        += $(RM_RPC_HDRS)
FUZZ_DEPS        += $(HYP_ARCH_PURE_HDRS)

# The code under test of each target: only these files get the fuzzers' coverage and comparison
# tracing. The harness, the oracle and the target's own decoding and checks are built with the
# sanitizers but without it: traced, the oracle's loops took three quarters of the time in
# __sanitizer_cov_trace_*cmp* and its branches became "features" the fuzzer chased instead of the
# hypervisor's. ich_lr's code under test is inline (ich_lr.h), so its target file is traced.
FUZZ_SUT_hypercall_seq := $(filter hyp/core/%,$(HYP_HOST_CORE_SRCS))
FUZZ_SUT_fdt           := hyp/core/fdt.c hyp/core/root_dt.c
FUZZ_SUT_esr           := hyp/arch/aarch64/esr.c
FUZZ_SUT_pte           := hyp/arch/aarch64/pte.c
FUZZ_SUT_ich_lr        := fuzz/targets/ich_lr.c
FUZZ_SUT_rm_rpc        := $(RM_RPC_SRCS)
FUZZ_LF_COV := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

# $(call fuzz_libfuzzer_recipe,PROGRAM,TARGET,EXTRA-CFLAGS): each source compiled on its own
# (traced or not), then linked with libFuzzer; objects in PROGRAM.obj/. FUZZ_LIVE counts each input
# on its way to the target (--wrap) for make fuzz-libfuzzer's live progress line.
FUZZ_LIVE := fuzz/harness/live_libfuzzer.c
fuzz_obj = $1.obj/$(subst /,__,$(2:.c=.o))
fuzz_compile = $(foreach f,$2,$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_EXTRA) $3 -c $f -o $(call fuzz_obj,$1,$f) &&)
define fuzz_libfuzzer_recipe
	@echo "FUZZ $1: traced $(FUZZ_SUT_$2); sanitizers only: $(filter-out $(FUZZ_SUT_$2),$(FUZZ_SRCS_$2)) $(FUZZ_LIVE)"
	@rm -rf $1.obj && mkdir -p $1.obj && \
		$(call fuzz_compile,$1,$(FUZZ_SUT_$2),$(FUZZ_LF_COV) $3) \
		$(call fuzz_compile,$1,$(filter-out $(FUZZ_SUT_$2),$(FUZZ_SRCS_$2)) $(FUZZ_LIVE),$(FUZZ_SAN) $3) \
		$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $1 $1.obj/*.o $(FUZZ_WRAP) \
		-Wl,--wrap=LLVMFuzzerTestOneInput
endef
# AFL++: its instrumentation allowlist (AFL_LLVM_ALLOWLIST) names the same files.
fuzz_allowlist = $(FUZZ_BUILD)/allowlist/$1.txt
.PRECIOUS: $(FUZZ_BUILD)/allowlist/%.txt
$(FUZZ_BUILD)/allowlist/%.txt: fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	@printf 'source:%s\n' $(FUZZ_SUT_$*) >$@

FUZZ_LIBFUZZER := $(addprefix $(FUZZ_BUILD)/libfuzzer/,$(FUZZ_TARGETS))
FUZZ_AFL       := $(addprefix $(FUZZ_BUILD)/afl/,$(FUZZ_TARGETS))
FUZZ_CMPLOG    := $(addprefix $(FUZZ_BUILD)/afl-cmplog/,$(FUZZ_TARGETS))
FUZZ_REPLAY    := $(addprefix $(FUZZ_BUILD)/replay/,$(FUZZ_TARGETS))
FUZZ_COVBIN    := $(addprefix $(FUZZ_BUILD)/cov/,$(FUZZ_TARGETS))

.SECONDEXPANSION:
$(FUZZ_BUILD)/libfuzzer/%: $$(FUZZ_SRCS_$$*) $(FUZZ_LIVE) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(call fuzz_libfuzzer_recipe,$@,$*,)

$(FUZZ_BUILD)/afl/%: $$(FUZZ_SRCS_$$*) fuzz/harness/driver_afl.c $(FUZZ_DEPS) $$(call fuzz_allowlist,$$*)
	@mkdir -p $(dir $@)
	AFL_QUIET=1 AFL_LLVM_ALLOWLIST=$(abspath $(call fuzz_allowlist,$*)) $(FUZZ_AFL_CC) \
		$(FUZZ_CFLAGS) $(FUZZ_SAN) -o $@ $(FUZZ_SRCS_$*) fuzz/harness/driver_afl.c $(FUZZ_WRAP)

# CmpLog companion (no sanitizers, as AFL++ recommends): solves comparisons against input bytes.
$(FUZZ_BUILD)/afl-cmplog/%: $$(FUZZ_SRCS_$$*) fuzz/harness/driver_afl.c $(FUZZ_DEPS) $$(call fuzz_allowlist,$$*)
	@mkdir -p $(dir $@)
	AFL_QUIET=1 AFL_LLVM_CMPLOG=1 AFL_LLVM_ALLOWLIST=$(abspath $(call fuzz_allowlist,$*)) \
		$(FUZZ_AFL_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SRCS_$*) fuzz/harness/driver_afl.c $(FUZZ_WRAP)

$(FUZZ_BUILD)/replay/%: $$(FUZZ_SRCS_$$*) fuzz/harness/driver_replay.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -o $@ $(FUZZ_SRCS_$*) fuzz/harness/driver_replay.c \
		$(FUZZ_WRAP)

$(FUZZ_BUILD)/cov/%: $$(FUZZ_SRCS_$$*) fuzz/harness/driver_replay.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fprofile-instr-generate -fcoverage-mapping -o $@ \
		$(FUZZ_SRCS_$*) fuzz/harness/driver_replay.c $(FUZZ_WRAP)

# One libFuzzer build per planted bug.
$(FUZZ_BUILD)/bug/%/hypercall_seq: $(FUZZ_SRCS_hypercall_seq) $(FUZZ_LIVE) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(call fuzz_libfuzzer_recipe,$@,hypercall_seq,-DHUMPY_PLANT_BUG=$*)

FUZZ_ENV := FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_REPORTS=$(FUZZ_REPORTS) PYTHON=$(PYTHON) \
	FUZZ_PROGRESS=$(FUZZ_PROGRESS) FUZZ_TARGETS="$(FUZZ_TARGETS)" \
	FUZZ_THROUGHPUT_RUNS=$(FUZZ_THROUGHPUT_RUNS)

.PHONY: fuzz-build fuzz fuzz-libfuzzer fuzz-seeds fuzz-seeds-encoders fuzz-triage fuzz-coverage fuzz-bugbench test-fuzz
fuzz-build: $(FUZZ_LIBFUZZER) $(FUZZ_AFL) $(FUZZ_REPLAY)

# The conformance tests' hypercalls: one humpy.trace boot of every test through the harness (a bad
# verdict, exit 1, still gives a trace); trace2seeds.py adds a seed trace-<test id> per test.
FUZZ_TRACE := $(FUZZ_BUILD)/seeds/conformance.trace
$(FUZZ_TRACE): $(HYP_ELF) $(GUEST_BIN) $(SPEC_JSON)
	@mkdir -p $(dir $@)
	$(HARNESS_RUN) run $(HARNESS_IMAGES) --reports $(FUZZ_BUILD)/trace-run --trace $@.tmp \
		> $(FUZZ_BUILD)/trace-run.txt || [ $$? -eq 1 ]
	@grep -E '^(humpy run|trace):' $(FUZZ_BUILD)/trace-run.txt
	mv $@.tmp $@

# Seeds of the encoder targets (esr, pte, ich_lr), written from readable values.
fuzz-seeds-encoders:
	$(PYTHON) fuzz/scripts/encoder-seeds.py --out $(FUZZ_BUILD)/seeds

# FUZZ_TRACE_SEEDS=no leaves the conformance-trace seeds out: a builder without the cross compiler
# or QEMU (the OSS-Fuzz image) still gets the hand-made seeds. The seeds are made again only when
# what they are made from changes (a stamp per FUZZ_TRACE_SEEDS value), so `make fuzz` starts at
# once the second time.
FUZZ_SEEDS_STAMP := $(FUZZ_BUILD)/seeds/.made-trace-$(FUZZ_TRACE_SEEDS)
fuzz-seeds: $(FUZZ_SEEDS_STAMP)
$(FUZZ_SEEDS_STAMP): $(SPEC_FUZZ_HEADER) $(SPEC_GUEST_HEADER) \
		$(if $(filter yes,$(FUZZ_TRACE_SEEDS)),$(FUZZ_TRACE)) fuzz/scripts/encoder-seeds.py \
		$(wildcard fuzz/seeds/*.py fuzz/seeds/fdt/*) fuzz/rm_rpc/make_seeds.py fuzz/fuzz.mk
	$(PYTHON) fuzz/scripts/encoder-seeds.py --out $(FUZZ_BUILD)/seeds
	$(PYTHON) fuzz/rm_rpc/make_seeds.py --out $(FUZZ_BUILD)/seeds --dict-out $(FUZZ_BUILD)/dict
	QEMU=$(QEMU) $(PYTHON) fuzz/seeds/make_seeds.py --out $(FUZZ_BUILD)/seeds --dict-out $(FUZZ_BUILD)/dict \
		--dts-dir fuzz/seeds/fdt --spec-calls $(SPEC_FUZZ_HEADER) --guest-header $(SPEC_GUEST_HEADER)
ifeq ($(FUZZ_TRACE_SEEDS),yes)
	$(PYTHON) fuzz/seeds/trace2seeds.py --trace $(FUZZ_TRACE) --spec-calls $(SPEC_FUZZ_HEADER) \
		--out $(FUZZ_BUILD)/seeds/hypercall_seq
endif
	@rm -f $(FUZZ_BUILD)/seeds/.made-trace-*
	@touch $@

fuzz: $(FUZZ_BUILD)/afl/$(FUZZ_TARGET) $(FUZZ_BUILD)/afl-cmplog/$(FUZZ_TARGET) fuzz-seeds
	$(FUZZ_ENV) fuzz/scripts/fuzz-afl.sh $(FUZZ_TARGET) $(FUZZ_SECONDS) $(FUZZ_JOBS)

fuzz-libfuzzer: $(FUZZ_BUILD)/libfuzzer/$(FUZZ_TARGET) fuzz-seeds
	$(FUZZ_ENV) fuzz/scripts/fuzz-libfuzzer.sh $(FUZZ_TARGET) $(FUZZ_SECONDS) $(FUZZ_JOBS)

# Inputs per CPU second of one fuzzer pinned to one core, from the seeds (fuzz/README.md keeps the
# figures).
.PHONY: fuzz-throughput bench-fuzz
fuzz-throughput: $(FUZZ_BUILD)/$(FUZZ_THROUGHPUT_ENGINE)/$(FUZZ_TARGET) fuzz-seeds
	$(FUZZ_ENV) fuzz/scripts/throughput.sh $(FUZZ_TARGET) $(FUZZ_THROUGHPUT_SECONDS) \
		$(FUZZ_THROUGHPUT_ENGINE)

# make bench's JSON with the host fuzzers' throughput in it ("fuzz_throughput": libFuzzer (its
# fuzzing loop, and its intake of the seeds), AFL++ and the replay program on hypercall_seq, one
# core each, FUZZ_THROUGHPUT_SECONDS each, and the recorded figures from before issue 14). A target
# of its own so that make bench stays as fast as it is (about a minute more).
bench-fuzz: bench $(FUZZ_BUILD)/libfuzzer/hypercall_seq $(FUZZ_BUILD)/afl/hypercall_seq \
		$(FUZZ_BUILD)/replay/hypercall_seq fuzz-seeds
	$(FUZZ_ENV) fuzz/scripts/throughput.sh hypercall_seq $(FUZZ_THROUGHPUT_SECONDS) libfuzzer
	$(FUZZ_ENV) fuzz/scripts/throughput.sh hypercall_seq $(FUZZ_THROUGHPUT_SECONDS) afl
	$(FUZZ_ENV) fuzz/scripts/throughput.sh hypercall_seq $(FUZZ_THROUGHPUT_SECONDS) replay
	$(PYTHON) fuzz/scripts/bench-merge.py $(REPORTS)/bench.json fuzz/throughput-before.json \
		$(FUZZ_REPORTS)/throughput-hypercall_seq.json $(FUZZ_REPORTS)/throughput-hypercall_seq-afl.json \
		$(FUZZ_REPORTS)/throughput-hypercall_seq-replay.json

fuzz-triage: $(FUZZ_LIBFUZZER) $(FUZZ_REPLAY)
	$(FUZZ_ENV) $(PYTHON) fuzz/scripts/triage.py

# Both halves of issue 14's coverage: hyp/core on the host over the host fuzzers' corpora, then the
# real hyp.elf at EL2 (fuzz-coverage-system: the hyp/arch functions a make conformance run and the
# system fuzzer's corpus reach, and those neither does).
fuzz-coverage: $(FUZZ_COVBIN) fuzz-seeds
	$(FUZZ_ENV) FUZZ_PROFDATA=$(FUZZ_PROFDATA) FUZZ_COV=$(FUZZ_COV) fuzz/scripts/coverage.sh \
		$(FUZZ_TARGETS)
	@$(MAKE) --no-print-directory fuzz-coverage-system
	@echo "fuzz-coverage: host (hyp/core) $(FUZZ_REPORTS)/coverage/summary.txt and html/index.html;" \
		"EL2 (hyp/arch by function) $(FUZZ_REPORTS)/system/el2-coverage.md"

fuzz-bugbench: fuzz-seeds $(foreach n,$(BUGBENCH_BUGS),$(FUZZ_BUILD)/bug/$(n)/hypercall_seq) \
		$(FUZZ_BUILD)/replay/hypercall_seq \
		$(FUZZ_BUILD)/libfuzzer/hypercall_seq
	$(FUZZ_ENV) BUGBENCH_SEEDS=$(BUGBENCH_SEEDS) fuzz/scripts/bugbench.sh $(BUGBENCH_SECONDS) $(FUZZ_JOBS) $(BUGBENCH_BUGS)

# Each target: builds three ways, fuzzes briefly from its seeds with no finding, replays the
# regression corpus and the seeds, and the AFL++ build runs an input outside afl-fuzz.
test-fuzz: fuzz-build fuzz-seeds test-fuzz-seeds
	$(FUZZ_ENV) FUZZ_TEST_SECONDS=$(FUZZ_TEST_SECONDS) fuzz/scripts/test-fuzz.sh $(FUZZ_TARGETS)

# The runners under a user's mistakes: bad FUZZ_* values refused at once, an aborting afl-fuzz
# fails the run, `make fuzz` and `make fuzz-libfuzzer` interrupted with SIGINT leave no process and
# the next run starts cleanly with fresh figures (fuzz/scripts/test-fuzz-runs.sh, ~40 s).
FUZZ_RUNS_TARGET ?= ich_lr
.PHONY: test-fuzz-runs
test-fuzz-runs: $(addprefix $(FUZZ_BUILD)/,$(addsuffix /$(FUZZ_RUNS_TARGET),afl afl-cmplog libfuzzer replay)) \
		fuzz-seeds-encoders
	MAKE="$(MAKE)" BUILD=$(BUILD) FUZZ_BUILD=$(FUZZ_BUILD) PYTHON=$(PYTHON) \
		FUZZ_RUNS_TARGET=$(FUZZ_RUNS_TARGET) fuzz/scripts/test-fuzz-runs.sh

# The seed tools' own tests (trace2seeds on a canned trace).
.PHONY: test-fuzz-seeds
test-fuzz-seeds:
	$(PYTHON) -m pytest -p no:cacheprovider -q fuzz/seeds

TEST_TARGETS += test-fuzz test-fuzz-runs
# System-mode fuzzing of hyp.elf under QEMU (its own fragment).
include fuzz/system/system.mk
LINT_C_FILES += $(wildcard fuzz/harness/*.c fuzz/harness/*.h fuzz/targets/*.c) fuzz/rm_rpc/rm_rpc.c
CLEAN_FILES  += $(FUZZ_REPORTS)

# Source lists for builders outside make (fuzz/oss-fuzz/build.sh): make -s fuzz-srcs-<target>
fuzz-srcs-%:
	@echo $(FUZZ_SRCS_$*)
fuzz-sut-%:
	@echo $(FUZZ_SUT_$*)
fuzz-targets:
	@echo $(FUZZ_TARGETS)
fuzz-cflags:
	@echo $(filter-out -Werror,$(FUZZ_CFLAGS))
fuzz-wrap:
	@echo $(FUZZ_WRAP)
