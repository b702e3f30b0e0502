# harness/: the QEMU runner, its report writers, its own tests, and the runs of the suite.
#   make conformance-run   run the guest tests over $(HYP_ELF) and $(GUEST_BIN) (what `make conformance` calls),
#                          checked against $(EXPECT) (EXPECT= runs without: SKIPs then go unchecked),
#                          in both profiles: root, then hlos (humpy.root=rm, checked against $(EXPECT_HLOS))
#   make bench             boot with -icount shift=0 and humpy.bench, print the BENCH table, write reports/bench.json;
#                          then the hlos profile (the RM's rm.* rows) to reports/bench-hlos.json (PROFILES= picks one)
#   make bench-compare A=one/hyp.elf B=other/hyp.elf
#                          the same benchmark guest over both builds: both values per row and B/A, and
#                          reports/bench-compare.json (each side's own in bench-compare-{a,b}.json)
#   HYP=path               conformance-run (so make conformance) and bench over another hypervisor
#                          build, ELF or arm64 Image (the guest stays ours); HYP_VARIANT= (hyp/hyp.mk)
#                          builds and runs a variant of humpy itself
#   make test-harness      the harness's own tests: canned consoles and a fake QEMU (no images needed)
#   make test-qemu         real QEMU runs over the built images (whole suite, self-tests, plugin, errors), and
#                          the proof builds under $(BUILD)/proof/ (harness/qemu_tests/test_proof.py)

HYP_ELF   ?= $(BUILD)/hyp/hyp.elf
GUEST_BIN ?= $(BUILD)/conformance/guest.bin
# More options for the conformance run, e.g. CONFORMANCE_ARGS='-k identify --jobs 2 -v'.
CONFORMANCE_ARGS ?=
BENCH_ARGS ?=
# The build's expected results (the profile, every test allowed to SKIP): humpy's default build.
# For another hypervisor give its file (conformance/expect/), or EXPECT= for none.
# On GICv2 (MACHINE=virt-gicv2) the tests that need a GICv3 SKIP too: expect/humpy-gicv2.yaml.
# On the ZCU102 model (GIC-400, no PL061): expect/humpy-zcu102.yaml.
EXPECT ?= conformance/expect/$(if $(filter virt-gicv2,$(MACHINE)),humpy-gicv2,$(if $(filter zcu102,$(MACHINE)),humpy-zcu102,humpy)).yaml
HARNESS_RUN = PYTHONPATH=harness $(PYTHON) -m humpy_harness
HYP ?=
# MACHINE=virt (default) | virt-gicv2 | zcu102: the board model (harness --machine; one that humpy
# cannot run on yet is refused in one line). BOARD_DTB=F: the board's own device tree where QEMU
# makes none (zcu102; default: the one in $(HUMPY_BOARD_DTBS), Debian's linux-image folder that
# hyp/README.md names). HYP_LOAD_ADDR=0x...: boot hyp.bin put at that address by QEMU's loader
# instead of hyp.elf at its link address (humpy relocates itself). zcu102 packs hyp.bin with the
# guest and its VM tree into humpy.bin for each boot (the LAVA ZCU102 job's image, lava.mk) and boots
# that with -kernel (QEMU puts it at 2 MiB, the DT in x0): hyp.elf's link address is no RAM there.
MACHINE ?= virt
# Without HUMPY_BOARD_DTBS, scripts/board-dtbs.sh fetches Debian's arm64 kernel package's DTBs once
# into $(BUILD)/boards (only when MACHINE=zcu102; a failed fetch says why in one line).
BOARD_DTBS_DIR = $(or $(HUMPY_BOARD_DTBS),$(shell scripts/board-dtbs.sh $(BUILD)/boards))
BOARD_DTB ?= $(if $(filter zcu102,$(MACHINE)),$(BOARD_DTBS_DIR)/xilinx/zynqmp-zcu102-rev1.0.dtb)
HYP_LOAD_ADDR ?=
HARNESS_HYP = $(or $(HYP),$(if $(or $(HYP_LOAD_ADDR),$(filter zcu102,$(MACHINE))),$(HYP_BIN),$(HYP_ELF)))
HARNESS_IMAGES = --hyp $(HARNESS_HYP) --guest $(GUEST_BIN) --qemu $(QEMU) --reports $(REPORTS) --spec $(SPEC_JSON) \
	--machine $(MACHINE) $(if $(BOARD_DTB),--board-dtb $(BOARD_DTB)) $(if $(HYP_LOAD_ADDR),--hyp-addr $(HYP_LOAD_ADDR))
# No .pytest_cache in the tree. pytest exits 5 when it collected nothing: like any non-zero status
# that fails the make target, so a test folder that silently lost its tests cannot pass.
HARNESS_PYTEST = PYTHONPATH=harness $(PYTHON) -m pytest -p no:cacheprovider -q

.PHONY: conformance-run bench bench-compare test-harness test-qemu
# EXPECT's default gives way to a --preset in CONFORMANCE_ARGS (the preset names its own file); an
# EXPECT given on the command line or in the environment is always passed.
EXPECT_ARG = $(if $(EXPECT),$(if $(and $(filter file,$(origin EXPECT)),$(findstring --preset,$(CONFORMANCE_ARGS))),,--expect $(EXPECT)))
# Both profiles of humpy's own build: root (the guest is the root VM), then hlos (the same images,
# the hypervisor booted with humpy.root=rm: its Resource Manager builds the guest as the primary
# VM; --preset humpy-hlos, expectations EXPECT_HLOS, reports $(REPORTS)/conformance-hlos.*). Both
# always run; the target fails when either does. PROFILES=root (or hlos) runs one; another
# hypervisor (HYP=) or a --preset in CONFORMANCE_ARGS runs only the first, as before.
# QEMU virt and the ZCU102 model run both (the RM's hyp/rm/gic.c drives GICv3 or GICv2, its
# console.c a PL011 or a Cadence UART; the hlos run is checked against expect/humpy-hlos-gicv2.yaml
# on virt-gicv2, expect/humpy-hlos-zcu102.yaml on zcu102); another board the root profile alone.
PROFILES ?= $(if $(filter virt virt-gicv2 zcu102,$(MACHINE)),root hlos,root)
EXPECT_HLOS ?= conformance/expect/humpy-hlos$(if $(filter virt-gicv2,$(MACHINE)),-gicv2,$(if $(filter zcu102,$(MACHINE)),-zcu102)).yaml
HLOS_RUNS = $(and $(filter hlos,$(PROFILES)),$(if $(or $(HYP),$(findstring --preset,$(CONFORMANCE_ARGS))),,yes))
conformance-run:
	@status=0; \
	$(if $(or $(filter root,$(PROFILES)),$(if $(HLOS_RUNS),,yes)),$(HARNESS_RUN) run $(HARNESS_IMAGES) $(EXPECT_ARG) $(CONFORMANCE_ARGS) || status=1;) \
	$(if $(HLOS_RUNS),echo "humpy: profile hlos (humpy.root=rm)"; $(HARNESS_RUN) run $(HARNESS_IMAGES) --preset humpy-hlos --name conformance-hlos --expect '$(if $(EXPECT),$(EXPECT_HLOS))' $(CONFORMANCE_ARGS) || status=1;) \
	exit $$status

# Both profiles as conformance-run: root (reports/bench.json), then hlos (humpy.root=rm: the RM
# rows, rm.*, in instructions too: humpy.guest_pmu grants the PMU to the primary VM the RM builds;
# reports/bench-hlos.json). PROFILES=root (or hlos) runs one; HYP= or a --preset in BENCH_ARGS only
# the first.
HLOS_BENCH = $(and $(filter hlos,$(PROFILES)),$(if $(or $(HYP),$(findstring --preset,$(BENCH_ARGS))),,yes))
bench: all
	@status=0; \
	$(if $(or $(filter root,$(PROFILES)),$(if $(HLOS_BENCH),,yes)),$(HARNESS_RUN) bench $(HARNESS_IMAGES) $(BENCH_ARGS) || status=1;) \
	$(if $(HLOS_BENCH),echo "humpy: profile hlos (humpy.root=rm)"; $(HARNESS_RUN) bench $(HARNESS_IMAGES) --preset humpy-hlos --name bench-hlos $(BENCH_ARGS) || status=1;) \
	exit $$status

# Only the guest is built: A and B are whatever builds the user names (checked before any build).
ifneq ($(filter bench-compare,$(MAKECMDGOALS)),)
ifeq ($(and $(A),$(B)),)
$(error make bench-compare: name both builds, A=path/to/hyp.elf B=path/to/other.elf)
endif
endif
bench-compare: guest
	@$(HARNESS_RUN) bench-compare $(A) $(B) --guest $(GUEST_BIN) --qemu $(QEMU) --reports $(REPORTS) $(BENCH_ARGS)

test-harness:
	$(HARNESS_PYTEST) harness/tests

test-qemu:
	HUMPY_HYP=$(HYP_ELF) HUMPY_GUEST=$(GUEST_BIN) HUMPY_QEMU=$(QEMU) HUMPY_REPORTS=$(REPORTS)/test-qemu HUMPY_SPEC=$(SPEC_JSON) \
		HUMPY_BUILD=$(BUILD) HUMPY_CROSS=$(CROSS) HUMPY_PYTHON=$(PYTHON) \
		$(HARNESS_PYTEST) harness/qemu_tests

TEST_TARGETS += test-harness test-qemu
# make clean: the console logs (one per boot, never pruned) and the runs' lock files; the reports
# folder's README.md and templates/ stay.
CLEAN_FILES += $(REPORTS)/logs $(wildcard $(REPORTS)/.*.lock)

# make mutation: mutants of hyp/core and hyp/arch/aarch64 at one commit, each built and judged by the
# host unit tests and the guest suite; the kill rate and each survivor's diff in $(REPORTS)/mutation.txt
# and .json (make report shows it). Long (about 20 s a mutant): not part of make test.
#   MUTANTS=150 SEED=12 FILES='hyp/core/*.c,hyp/arch/aarch64/*.c' MUTATION_COMMIT=HEAD
#   MUTATION_IDS=id,...  re-run those mutants of $(REPORTS)/mutation.json into mutation-ids.json/.txt
#   MUTATION_CAMPAIGN=path/mutation.json  continue that campaign at MUTATION_COMMIT (kills kept,
#                        survivors and unjudged mutants judged again; resumable) into $(REPORTS)
MUTANTS ?= 150
SEED ?= 12
FILES ?= hyp/core/*.c,hyp/arch/aarch64/*.c
MUTATION_COMMIT ?= HEAD
MUTATION_IDS ?=
MUTATION_CAMPAIGN ?=
.PHONY: mutation
mutation: setup
	@$(HARNESS_RUN).mutation run --mutants $(MUTANTS) --seed $(SEED) --files '$(FILES)' \
		--commit $(MUTATION_COMMIT) --work $(BUILD)/mutation-work --out $(REPORTS) --qemu $(QEMU) \
		$(if $(MUTATION_IDS),--ids $(MUTATION_IDS) --from-json $(REPORTS)/mutation.json --name mutation-ids) \
		$(if $(MUTATION_CAMPAIGN),--campaign $(MUTATION_CAMPAIGN))
