# hyp/host.mk: the portable core built for the host (hyp/arch/host) with ASan and UBSan, and its unit tests.
#   HYP_HOST_CORE_SRCS  the core sources a host program (tests, fuzzers) links
#   HYP_HOST_INCLUDES   their include flags
#   make test-hyp-host  runs the unit tests (twice: obfuscated and plain cap IDs); they include the
#                       cross-check of hyp's hand-written ABI against the spec's generated headers

HOST_CC        ?= clang
HYP_HOST_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HYP_HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE $(HYP_HOST_SAN)
HYP_HOST_INCLUDES := -Ihyp/include -Ihyp/arch/host

HYP_HOST_CORE_SRCS := \
	hyp/core/heap.c hyp/core/object.c hyp/core/partition.c hyp/core/cspace.c \
	hyp/core/thread.c hyp/core/doorbell_obj.c hyp/core/msgqueue_obj.c \
	hyp/core/object_calls.c hyp/core/cspace_calls.c hyp/core/root.c hyp/core/root_dt.c \
	hyp/core/hypercall.c hyp/core/hypercall_object.c hyp/core/hypercall_cspace.c \
	hyp/core/hypercall_vic.c hyp/core/vic.c hyp/core/virq.c hyp/core/vic_calls.c hyp/core/hwirq.c hyp/core/doorbell_calls.c \
	hyp/core/hypercall_doorbell.c hyp/core/msgqueue.c hyp/core/msgqueue_calls.c \
	hyp/core/hypercall_msgqueue.c \
	hyp/core/memdb.c hyp/core/memextent.c hyp/core/addrspace.c hyp/core/root_memory.c \
	hyp/core/memextent_calls.c hyp/core/addrspace_calls.c \
	hyp/core/hypercall_memextent.c hyp/core/hypercall_addrspace.c \
	hyp/core/sched.c hyp/core/vcpu_calls.c hyp/core/hypercall_vcpu.c \
	hyp/arch/host/host.c hyp/arch/host/host_stage2.c hyp/arch/host/host_vcpu.c
# fdt.c and payload.c are pure too (no arch code): test_fdt.c and test_payload.c drive them.
HYP_HOST_TEST_SRCS := $(wildcard hyp/test/*.c) $(HYP_ARCH_PURE_SRCS) hyp/core/fdt.c hyp/core/payload.c \
	hyp/core/vm_ram.c
# The board table (hyp/platform/platform.mk): test_console_boards.c checks it on the boards' trees.
HYP_HOST_TEST_SRCS += hyp/platform/common/board.c $(foreach b,$(HYP_PLAT_BOARDS),hyp/platform/$(b)/board.c)
# string.c and log.c define names the host program has already (libc's memcpy and friends, host.c's
# log_printf and panic): the unit tests (test_string.c, test_log.c) link them under hyp_ names, each
# compiled alone with these flags (-fno-builtin: no loop of theirs turned into a call of libc's).
HYP_HOST_RENAMED_SRCS := hyp/core/string.c hyp/core/log.c
HYP_HOST_RENAME_FLAGS := -fno-builtin -Dmemcpy=hyp_memcpy -Dmemmove=hyp_memmove -Dmemset=hyp_memset \
	-Dmemcmp=hyp_memcmp -Dstrnlen=hyp_strnlen -Dlog_vprintf=hyp_log_vprintf \
	-Dlog_printf=hyp_log_printf -Dpanic=hyp_panic -Dplat_console_putc=hyp_test_console_putc
HYP_HOST_RENAMED_OBJS := $(patsubst %,$(BUILD)/hyp-host/renamed/%.o,$(HYP_HOST_RENAMED_SRCS))
HYP_HOST_TEST_HDRS := $(wildcard hyp/test/*.h) $(wildcard hyp/include/*.h) hyp/arch/host/host.h \
	$(HYP_ARCH_PURE_HDRS) \
	$(SPEC_GUEST_HEADER) $(SPEC_FUZZ_HEADER)
HYP_HOST_TEST_INCLUDES := $(HYP_HOST_INCLUDES) -I$(dir $(SPEC_GUEST_HEADER)) -I$(dir $(SPEC_FUZZ_HEADER))

HYP_HOST_TEST       := $(BUILD)/hyp-host/hyp-unit
HYP_HOST_TEST_PLAIN := $(BUILD)/hyp-host/hyp-unit-plain-ids

$(HYP_HOST_RENAMED_OBJS): $(BUILD)/hyp-host/renamed/%.o: % $(HYP_HOST_TEST_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HYP_HOST_CFLAGS) $(HYP_HOST_RENAME_FLAGS) $(HYP_HOST_TEST_INCLUDES) -c -o $@ $<

$(HYP_HOST_TEST): $(HYP_HOST_CORE_SRCS) $(HYP_HOST_TEST_SRCS) $(HYP_HOST_TEST_HDRS) \
		$(HYP_HOST_RENAMED_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HYP_HOST_CFLAGS) $(HYP_HOST_TEST_INCLUDES) -o $@ \
		$(HYP_HOST_CORE_SRCS) $(HYP_HOST_TEST_SRCS) $(HYP_HOST_RENAMED_OBJS)

# The build option that turns cap ID obfuscation off (IDs are slot numbers).
$(HYP_HOST_TEST_PLAIN): $(HYP_HOST_CORE_SRCS) $(HYP_HOST_TEST_SRCS) $(HYP_HOST_TEST_HDRS) \
		$(HYP_HOST_RENAMED_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HYP_HOST_CFLAGS) -DHYP_CAP_ID_PLAIN $(HYP_HOST_TEST_INCLUDES) -o $@ \
		$(HYP_HOST_CORE_SRCS) $(HYP_HOST_TEST_SRCS) $(HYP_HOST_RENAMED_OBJS)

# A hung test binary must not stall make test: each run is bounded (timeout signals its whole
# process group, then KILLs it) and says so in one line.
HYP_HOST_TEST_TIMEOUT ?= 300
HYP_HOST_RUN = timeout -k 10 $(HYP_HOST_TEST_TIMEOUT) $(1) || { rc=$$?; \
	if [ $$rc -eq 124 ] || [ $$rc -eq 137 ]; then \
	echo "test-hyp-host: $(1) killed after $(HYP_HOST_TEST_TIMEOUT) s (hung)"; fi; exit $$rc; }
# A core function named like a libc one replaces libc's in the whole host program (sched_yield did:
# LeakSanitizer's exit-time check called it and hung): refuse any such name.
HYP_HOST_LIBC_CLASH = clash=$$(nm -g --defined-only $(1) | awk '$$2 == "T" { print $$3 }' | \
	grep -Fxf - <(nm -D --defined-only $$($(HOST_CC) -print-file-name=libc.so.6) | \
	awk '{ sub(/@.*/, "", $$3); print $$3 }')); \
	if [ -n "$$clash" ]; then echo "test-hyp-host: $(1) defines libc's $$clash"; exit 1; fi

.PHONY: test-hyp-host
test-hyp-host: SHELL := /bin/bash
# test_console_boards.c reads the boards' own DTBs: $(HUMPY_BOARD_DTBS), else the folder
# scripts/board-dtbs.sh fetches once into $(BUILD)/boards (harness.mk's BOARD_DTBS_DIR; the same
# cache make test's zcu102 selection uses). A failed fetch says why and those tests SKIP.
test-hyp-host: $(HYP_HOST_TEST) $(HYP_HOST_TEST_PLAIN)
	@$(call HYP_HOST_LIBC_CLASH,$(HYP_HOST_TEST))
	HUMPY_BOARD_DTBS='$(BOARD_DTBS_DIR)' $(call HYP_HOST_RUN,$(HYP_HOST_TEST))
	HUMPY_BOARD_DTBS='$(BOARD_DTBS_DIR)' $(call HYP_HOST_RUN,$(HYP_HOST_TEST_PLAIN))

TEST_TARGETS += test-hyp-host
# hypercall.c is linted with hyp.mk's sources.
LINT_C_FILES += $(filter-out hyp/core/hypercall.c,$(HYP_HOST_CORE_SRCS)) $(HYP_HOST_TEST_SRCS) \
	$(wildcard hyp/test/*.h) hyp/arch/host/host.h hyp/include/error.h hyp/include/rights.h \
	hyp/include/object.h hyp/include/heap.h hyp/include/partition.h hyp/include/cspace.h \
	hyp/include/thread.h hyp/include/doorbell.h hyp/include/msgqueue.h hyp/include/core_call.h \
	hyp/include/root.h hyp/include/root_dt.h hyp/include/hypercall_handlers.h hyp/include/vic.h hyp/include/virq.h hyp/include/hwirq.h hyp/include/guest_mem.h \
	hyp/include/sched.h hyp/include/vcpu.h hyp/include/cpu_local.h hyp/arch/host/vcpu_context.h
