# fuzz/system/system.mk: system-mode fuzzing of the real hyp.elf under QEMU (included by fuzz/fuzz.mk).
#   make fuzz-system            AFL++ drives hyp.elf under qemu-system-aarch64 for FUZZ_SECONDS: a
#                               fuzzing guest runs each input as hypercalls, MMIO, system-register
#                               accesses and faults; EL2 edges reach AFL++ through a TCG plugin
#   make fuzz-system-replay INPUT=file   boot once, run that input, say what happened (exit 1 if a finding);
#                               INPUT=folder: a sequence, its inputs in name order in one boot
#   make fuzz-bugbench-system   fuzz each planted arch bug (-DHUMPY_PLANT_BUG=N, SYSFUZZ_BUGS) for
#                               BUGBENCH_SECONDS; how many are found
#   make fuzz-coverage-system   hyp/arch functions reached by the conformance suite and by the
#                               system fuzzer's corpus, and those neither reaches (EL2 coverage)
#   make test-fuzz-system       (in make test) build, fuzz ~15 s, replay planted bugs' reproducers
#                               (bug 23's input, bug 22's sequence: a folder of inputs in one boot)
# Everything under $(SYSFUZZ_BUILD); output under $(SYSFUZZ_REPORTS).

SYSFUZZ_BUILD   := $(FUZZ_BUILD)/system
SYSFUZZ_REPORTS := $(FUZZ_REPORTS)/system
SYSFUZZ_PLUGIN  := $(SYSFUZZ_BUILD)/el2cov.so
SYSFUZZ_SHIM    := $(SYSFUZZ_BUILD)/sysfuzz-shim
SYSFUZZ_GUEST_BUILD := $(SYSFUZZ_BUILD)/guest
SYSFUZZ_GUEST_ELF   := $(SYSFUZZ_GUEST_BUILD)/guest.elf
SYSFUZZ_GUEST_BIN   := $(SYSFUZZ_GUEST_BUILD)/guest.bin
# The planted arch bugs (hyp/arch/aarch64, -DHUMPY_PLANT_BUG=N): one hyp.elf each.
SYSFUZZ_BUGS_ALL := 21 22 23 24 25
SYSFUZZ_BUGS     ?= $(SYSFUZZ_BUGS_ALL)
SYSFUZZ_TEST_SECONDS ?= 15
SYSFUZZ_RESTART ?= 1000
SYSFUZZ_WATCHDOG_MS ?= 2000
INPUT ?=
# Checked like fuzz.mk's variables, for the goals that use them.
ifneq ($(filter fuzz-system% fuzz-bugbench-system fuzz-coverage-system test test-fuzz-system,$(MAKECMDGOALS)),)
$(foreach b,$(SYSFUZZ_BUGS),$(if $(filter $(SYSFUZZ_BUGS_ALL),$(b)),,\
	$(error SYSFUZZ_BUGS=$(SYSFUZZ_BUGS): expected planted arch bug numbers from: $(SYSFUZZ_BUGS_ALL))))
$(if $(SYSFUZZ_BUGS),,$(error SYSFUZZ_BUGS is empty: expected numbers from: $(SYSFUZZ_BUGS_ALL)))
$(call fuzz_count,SYSFUZZ_TEST_SECONDS,3600,seconds)
$(call fuzz_count,SYSFUZZ_RESTART,100000000,inputs)
$(call fuzz_count,SYSFUZZ_WATCHDOG_MS,600000,milliseconds)
endif

# The conformance guest's runtime (start, vectors, console, MMU, hypercall stubs, register rules),
# compiled here from its sources (never edited); its own main and tests are left out.
SYSFUZZ_GUEST_SRCS := $(filter-out conformance/guest/main.c conformance/guest/bench%,$(sort $(wildcard conformance/guest/*.c))) \
	$(sort $(wildcard conformance/guest/*.S)) fuzz/system/guest/main.c fuzz/system/guest/ops.c \
	fuzz/system/guest/probe.S
SYSFUZZ_GUEST_OBJS := $(patsubst %,$(SYSFUZZ_GUEST_BUILD)/obj/%.o,$(SYSFUZZ_GUEST_SRCS))
SYSFUZZ_GUEST_CFLAGS = $(GUEST_CFLAGS) -Ifuzz/system

$(SYSFUZZ_GUEST_BUILD)/obj/%.c.o: %.c $(SPEC_GUEST_HEADER)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(SYSFUZZ_GUEST_CFLAGS) -c -o $@ $<

$(SYSFUZZ_GUEST_BUILD)/obj/%.S.o: %.S $(SPEC_GUEST_HEADER)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(SYSFUZZ_GUEST_CFLAGS) -D__ASSEMBLER__ -c -o $@ $<

$(SYSFUZZ_GUEST_ELF): $(SYSFUZZ_GUEST_OBJS) $(GUEST_LDS)
	$(CROSS)gcc $(SYSFUZZ_GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(SYSFUZZ_GUEST_OBJS) -lgcc

$(SYSFUZZ_GUEST_BIN): $(SYSFUZZ_GUEST_ELF)
	$(CROSS)objcopy -O binary $< $@

-include $(SYSFUZZ_GUEST_OBJS:.o=.d)

# Host side: the TCG plugin (against the plugin API's declarations) and the forkserver shim.
SYSFUZZ_HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes

$(SYSFUZZ_PLUGIN): fuzz/system/plugin/el2cov.c fuzz/system/plugin/qemu_plugin_api.h
	@mkdir -p $(dir $@)
	gcc $(SYSFUZZ_HOST_CFLAGS) -fPIC -shared -fvisibility=hidden -o $@ $<

$(SYSFUZZ_SHIM): fuzz/system/shim/sysfuzz-shim.c fuzz/system/mailbox.h
	@mkdir -p $(dir $@)
	gcc $(SYSFUZZ_HOST_CFLAGS) -Ifuzz/system -o $@ $<

# One hyp.elf per planted bug, built by hyp/hyp.mk in a BUILD folder of its own.
$(SYSFUZZ_BUILD)/bug/%/hyp/hyp.elf: $(HYP_C_SRCS) $(HYP_ASM_SRCS) hyp/arch/aarch64/hyp.ld.S
	$(MAKE) --no-print-directory BUILD=$(SYSFUZZ_BUILD)/bug/$* \
		HYP_EXTRA_CFLAGS="$(HYP_EXTRA_CFLAGS) -DHUMPY_PLANT_BUG=$*" $(SYSFUZZ_BUILD)/bug/$*/hyp/hyp.elf

SYSFUZZ_DEPS := $(HYP_ELF) $(HYP_VM_DTB) $(SYSFUZZ_GUEST_BIN) $(SYSFUZZ_PLUGIN) $(SYSFUZZ_SHIM)
SYSFUZZ_ENV = SYSFUZZ_BUILD=$(SYSFUZZ_BUILD) SYSFUZZ_REPORTS=$(SYSFUZZ_REPORTS) QEMU=$(QEMU) \
	SYSFUZZ_SHIM=$(SYSFUZZ_SHIM) SYSFUZZ_PLUGIN=$(abspath $(SYSFUZZ_PLUGIN)) \
	SYSFUZZ_GUEST=$(SYSFUZZ_GUEST_BIN) SYSFUZZ_DTB=$(HYP_VM_DTB) CROSS=$(CROSS) \
	FUZZ_PROGRESS=$(FUZZ_PROGRESS) PYTHON=$(PYTHON) SYSFUZZ_RESTART=$(SYSFUZZ_RESTART) \
	SYSFUZZ_WATCHDOG_MS=$(SYSFUZZ_WATCHDOG_MS)

.PHONY: fuzz-system-build fuzz-system fuzz-system-replay fuzz-bugbench-system fuzz-coverage-system \
	test-fuzz-system test-fuzz-coverage
fuzz-system-build: $(SYSFUZZ_DEPS)

fuzz-system: $(SYSFUZZ_DEPS)
	$(SYSFUZZ_ENV) fuzz/system/scripts/fuzz-system.sh $(HYP_ELF) $(FUZZ_SECONDS) $(SYSFUZZ_REPORTS)/run

fuzz-system-replay: $(SYSFUZZ_DEPS)
	$(if $(INPUT),,$(error fuzz-system-replay needs INPUT=file: a reproducer, e.g. from $(SYSFUZZ_REPORTS)/run/afl/default/crashes))
	$(SYSFUZZ_ENV) fuzz/system/scripts/replay.sh $(if $(SYSFUZZ_HYP),$(SYSFUZZ_HYP),$(HYP_ELF)) $(INPUT)

fuzz-bugbench-system: $(SYSFUZZ_DEPS) $(foreach n,$(SYSFUZZ_BUGS),$(SYSFUZZ_BUILD)/bug/$(n)/hyp/hyp.elf)
	$(SYSFUZZ_ENV) SYSFUZZ_CLEAN_HYP=$(HYP_ELF) fuzz/system/scripts/bugbench-system.sh $(BUGBENCH_SECONDS) $(SYSFUZZ_BUGS)

# make conformance EL2COV=DIR (also conformance-run): every QEMU of the run, both profiles, loads the
# el2cov plugin, which writes the hyp.elf blocks it ran to DIR/el2cov-<QEMU pid>.txt ("pc insns"
# lines, at QEMU's exit: a QEMU the harness kills writes none). The text bounds come from the
# hypervisor's ELF (HYP= must then be an ELF too), which must run at its link address: not on
# MACHINE=zcu102 (packed, relocated) nor with HYP_LOAD_ADDR.
EL2COV ?=
ifneq ($(EL2COV),)
ifneq ($(or $(filter zcu102,$(MACHINE)),$(HYP_LOAD_ADDR)),)
$(error EL2COV=$(EL2COV): EL2 coverage needs hyp.elf at its link address (MACHINE=virt or virt-gicv2, no HYP_LOAD_ADDR))
endif
EL2COV_ELF = $(or $(HYP),$(HYP_ELF))
EL2COV_SYM = $$($(CROSS)nm $(EL2COV_ELF) | awk '$$3 == "$(1)" { print "0x" $$1 }')
override CONFORMANCE_ARGS += --extra-qemu-args "-plugin $(abspath $(SYSFUZZ_PLUGIN)),lo=$(call \
	EL2COV_SYM,__hyp_start),hi=$(call EL2COV_SYM,__text_end),cov=$(abspath $(EL2COV))/el2cov-%p.txt"
conformance-run: $(SYSFUZZ_PLUGIN) $(EL2COV)/.dir
$(EL2COV)/.dir:
	@mkdir -p $(dir $@) && touch $@
endif

# The suite's EL2 coverage: a make conformance run (conformance-run, both profiles as PROFILES says,
# reports in a folder of its own) with EL2COV, then the fuzzer's corpus replayed.
fuzz-coverage-system: $(SYSFUZZ_DEPS) $(GUEST_BIN) $(SPEC_JSON)
	$(SYSFUZZ_ENV) fuzz/system/scripts/coverage-system.sh $(HYP_ELF) \
		"$(MAKE) --no-print-directory conformance-run REPORTS=$(SYSFUZZ_BUILD)/coverage/suite-run EL2COV=$(SYSFUZZ_BUILD)/coverage/suite"

# make test-fuzz-coverage (in make test, ~5 s): fuzz-coverage-system on the identify tests of the
# root profile with reports in a scratch folder (no corpus: the seeds), its report checked by
# test-fuzz-coverage.sh against what follows from the code.
SYSFUZZ_TEST_COV := $(SYSFUZZ_BUILD)/test-coverage
test-fuzz-coverage: $(SYSFUZZ_DEPS) $(GUEST_BIN) $(SPEC_JSON)
	fuzz/system/scripts/test-fuzz-coverage.sh $(SYSFUZZ_TEST_COV) "$(MAKE) --no-print-directory \
		fuzz-coverage-system REPORTS=$(SYSFUZZ_TEST_COV)/reports PROFILES=root CONFORMANCE_ARGS='-k identify'"

test-fuzz-system: $(SYSFUZZ_DEPS) $(SYSFUZZ_BUILD)/bug/23/hyp/hyp.elf $(SYSFUZZ_BUILD)/bug/22/hyp/hyp.elf
	$(SYSFUZZ_ENV) SYSFUZZ_TEST_SECONDS=$(SYSFUZZ_TEST_SECONDS) fuzz/system/scripts/test-fuzz-system.sh \
		$(HYP_ELF) $(SYSFUZZ_BUILD)/bug/23/hyp/hyp.elf $(SYSFUZZ_BUILD)/bug/22/hyp/hyp.elf

LINT_C_FILES += fuzz/system/guest/main.c fuzz/system/guest/ops.c fuzz/system/guest/ops.h \
	fuzz/system/mailbox.h fuzz/system/plugin/el2cov.c fuzz/system/plugin/qemu_plugin_api.h \
	fuzz/system/shim/sysfuzz-shim.c
TEST_TARGETS += test-fuzz-system test-fuzz-coverage
