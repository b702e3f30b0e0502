# harness/report.mk: the HTML report of the runs under $(REPORTS), and the verdict diff of two stored runs.
#   make report              $(REPORTS)/index.html (+ its PNGs): runs, tests, spec coverage, drift,
#                            hyp/ code coverage, bench, fuzzing, history; stores each run under
#                            $(REPORTS)/history/. Runs the conformance suite first when no run is there.
#   make report-diff A= B=   the tests whose verdict changed from run A to run B (default: the two newest)
#   make test-report         the page on a canned run, loaded in headless Chromium, its content checked

REPORT_HTML    := $(REPORTS)/index.html
REPORT_HISTORY := $(REPORTS)/history
REPORT_BUILD   := $(BUILD)/report
REPORT_PY       = PYTHONPATH=harness $(PYTHON) -m humpy_harness
# llvm-cov and llvm-profdata from Debian's llvm (the same clang that builds the host tests).
REPORT_PROFDATA ?= llvm-profdata
REPORT_COV      ?= llvm-cov
A ?= -2
B ?= -1
# More results JSONs for the page and the history, e.g. a run against another build:
# REPORT_RUNS='reports/gunyah/conformance.json'.
REPORT_RUNS ?=

# hyp/core's host unit tests with source-based coverage instead of the sanitizers (their runtime
# only slows the run; the coverage is the same), both cap-ID variants like test-hyp-host.
HYP_COV_UNIT   := $(REPORT_BUILD)/hyp-unit-cov
HYP_COV_PLAIN  := $(REPORT_BUILD)/hyp-unit-cov-plain-ids
HYP_COV_CFLAGS  = $(filter-out $(HYP_HOST_SAN),$(HYP_HOST_CFLAGS)) -fprofile-instr-generate -fcoverage-mapping
HYP_COV_EXPORT := $(REPORT_BUILD)/hyp-coverage.json

$(HYP_COV_UNIT): $(HYP_HOST_CORE_SRCS) $(HYP_HOST_TEST_SRCS) $(HYP_HOST_TEST_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HYP_COV_CFLAGS) $(HYP_HOST_TEST_INCLUDES) -o $@ $(HYP_HOST_CORE_SRCS) $(HYP_HOST_TEST_SRCS)

$(HYP_COV_PLAIN): $(HYP_HOST_CORE_SRCS) $(HYP_HOST_TEST_SRCS) $(HYP_HOST_TEST_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HYP_COV_CFLAGS) -DHYP_CAP_ID_PLAIN $(HYP_HOST_TEST_INCLUDES) -o $@ \
		$(HYP_HOST_CORE_SRCS) $(HYP_HOST_TEST_SRCS)

# A failing unit test still gives coverage: its exit status goes into the page, not into make's.
$(HYP_COV_EXPORT): $(HYP_COV_UNIT) $(HYP_COV_PLAIN)
	@rm -f $(REPORT_BUILD)/*.profraw
	@st=0; for t in $^; do LLVM_PROFILE_FILE=$$t.profraw $$t >$$t.out 2>&1 || st=$$?; done; \
		echo $$st >$(REPORT_BUILD)/hyp-unit.status
	$(REPORT_PROFDATA) merge -sparse -o $(REPORT_BUILD)/hyp-unit.profdata $(addsuffix .profraw,$^)
	$(REPORT_COV) export $(HYP_COV_UNIT) -object $(HYP_COV_PLAIN) \
		-instr-profile=$(REPORT_BUILD)/hyp-unit.profdata >$@.tmp
	@mv $@.tmp $@

.PHONY: report report-diff test-report
# A tree whose host tests do not build still gets its page: the coverage section then shows the
# build log's tail (and no stale figures).
report: $(SPEC_JSON)
	@mkdir -p $(REPORT_BUILD)
	@$(MAKE) --no-print-directory $(HYP_COV_EXPORT) >$(REPORT_BUILD)/hyp-coverage.log 2>&1 || \
		{ rm -f $(HYP_COV_EXPORT); echo "report: hyp/ code coverage failed: $(REPORT_BUILD)/hyp-coverage.log"; }
	@[ -f $(REPORTS)/conformance.json ] || { $(MAKE) --no-print-directory all && \
		$(MAKE) --no-print-directory conformance-run || true; }
	@$(REPORT_PY).history --reports $(REPORTS) --history $(REPORT_HISTORY) store $(REPORT_RUNS) >/dev/null
	@$(REPORT_PY).html_report --reports $(REPORTS) --history $(REPORT_HISTORY) --spec $(SPEC_JSON) \
		$(addprefix --run ,$(REPORT_RUNS)) \
		--hyp-coverage $(HYP_COV_EXPORT) --hyp-unit-status $(REPORT_BUILD)/hyp-unit.status \
		--hyp-coverage-log $(REPORT_BUILD)/hyp-coverage.log \
		--diff-a=$(A) --diff-b=$(B) --out $(REPORT_HTML)

report-diff:
	@$(REPORT_PY).history --reports $(REPORTS) --history $(REPORT_HISTORY) diff -- $(A) $(B)

test-report:
	PYTHONPATH=harness $(PYTHON) -m pytest -p no:cacheprovider -q harness/report_tests

TEST_TARGETS += test-report
