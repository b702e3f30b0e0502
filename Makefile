# humpy: top-level build. Each part keeps its own rules in <part>/<part>.mk; this file ties them together.
#   make              cross-build the hypervisor and the conformance guest into $(BUILD)
#   make conformance  install what is missing, build, run the suite under QEMU, print the verdicts
#   make test         install what is missing, run every host and QEMU test (what CI runs)
#   make bench        instruction counts under QEMU -icount shift=0
#   make lint         clang-format (check mode) and cppcheck

BUILD   ?= build
CROSS   ?= aarch64-linux-gnu-
QEMU    ?= qemu-system-aarch64
# Debian's interpreter: the python3 first on PATH may lack Debian's python3-* modules.
PYTHON  ?= /usr/bin/python3
REPORTS ?= reports

# Filled in by the parts' fragments.
TEST_TARGETS  :=
LINT_C_FILES  :=
LINT_INCLUDES :=
LINT_DEPS     :=
CLEAN_FILES   :=

# Style is part of the tests: CI rejects unformatted or cppcheck-flagged C.
TEST_TARGETS  += lint

.DEFAULT_GOAL := all
.PHONY: all setup conformance test bench lint clean
all:

# The spec first: other fragments name its generated files (SPEC_GUEST_HEADER, ...) as prerequisites.
include conformance/spec/spec.mk
include hyp/hyp.mk
include hyp/host.mk
# Host tests of the RM image's sources: one fragment per owner, hyp/rm/test/<name>.mk.
include $(sort $(wildcard hyp/rm/test/*.mk))
include conformance/conformance.mk
include harness/harness.mk
include harness/report.mk
include fuzz/fuzz.mk
include lava-jobs/lava.mk

setup:
	@scripts/setup.sh

# The main job: build both images and run every guest test under QEMU; non-zero on any bad verdict.
conformance: setup
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory conformance-run

test: setup
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -k $(TEST_TARGETS)

# Generated headers come first so cppcheck sees the spec's macros.
lint: $(LINT_DEPS)
	clang-format --dry-run --Werror $(sort $(LINT_C_FILES))
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem --suppress=missingInclude \
		$(sort $(LINT_INCLUDES)) $(sort $(filter %.c,$(LINT_C_FILES)))

clean:
	rm -rf $(BUILD) $(CLEAN_FILES)
