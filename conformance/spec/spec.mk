# conformance/spec: the machine-readable ABI spec and what is generated from it.
#   SPEC_GUEST_HEADER  constants header for the conformance guest (GH_HVC_*, GH_ERROR_*, GH_CALL_TABLE, ...)
#   SPEC_FUZZ_HEADER   call table for the fuzzers (spec_calls[])
#   SPEC_ABI_DOC       the readable ABI page
#   SPEC_JSON          the checked spec as JSON, for the harness's spec coverage
# Depend on the file you need; one run of gen.py writes all four.

SPEC_YAML         := conformance/spec/gunyah.yaml
SPEC_GEN          := conformance/spec/gen.py
SPEC_GUEST_HEADER := $(BUILD)/conformance/gen/gunyah_spec.h
SPEC_FUZZ_HEADER  := $(BUILD)/fuzz/gen/spec_calls.h
SPEC_ABI_DOC      := $(BUILD)/docs/abi.md
SPEC_JSON         := $(BUILD)/conformance/gen/spec.json
SPEC_OUTPUTS      := $(SPEC_GUEST_HEADER) $(SPEC_FUZZ_HEADER) $(SPEC_ABI_DOC) $(SPEC_JSON)

.PHONY: spec test-spec
all: spec
spec: $(SPEC_OUTPUTS)

$(SPEC_OUTPUTS) &: $(SPEC_YAML) $(SPEC_GEN)
	$(PYTHON) $(SPEC_GEN) $(SPEC_YAML) --guest-header $(SPEC_GUEST_HEADER) \
		--fuzz-header $(SPEC_FUZZ_HEADER) --doc $(SPEC_ABI_DOC) --json $(SPEC_JSON)

# The generated headers compile warning-free (host and cross) and agree with themselves; gen.py rejects
# broken specs.
SPEC_CHECK_HOST  := $(BUILD)/conformance/spec/check_header.host
SPEC_CHECK_CROSS := $(BUILD)/conformance/spec/check_header.o

$(SPEC_CHECK_HOST): conformance/spec/check_header.c $(SPEC_GUEST_HEADER) $(SPEC_FUZZ_HEADER)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -I$(dir $(SPEC_GUEST_HEADER)) -I$(dir $(SPEC_FUZZ_HEADER)) -o $@ $<

$(SPEC_CHECK_CROSS): conformance/spec/check_header.c $(SPEC_GUEST_HEADER)
	@mkdir -p $(dir $@)
	$(CROSS)gcc -std=c11 -ffreestanding -Wall -Wextra -Werror -DSPEC_CHECK_FREESTANDING \
		-I$(dir $(SPEC_GUEST_HEADER)) -c -o $@ $<

test-spec: $(SPEC_CHECK_HOST) $(SPEC_CHECK_CROSS)
	$(SPEC_CHECK_HOST)
	$(PYTHON) -m pytest -q -p no:cacheprovider conformance/spec/test_gen.py

TEST_TARGETS += test-spec
LINT_C_FILES += conformance/spec/check_header.c

# make lint: cppcheck needs the generated headers to expand the spec's macros.
LINT_DEPS     += $(SPEC_GUEST_HEADER) $(SPEC_FUZZ_HEADER)
LINT_INCLUDES += -I$(dir $(SPEC_GUEST_HEADER)) -I$(dir $(SPEC_FUZZ_HEADER))
