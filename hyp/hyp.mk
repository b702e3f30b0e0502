# hyp/: the EL2 hypervisor, cross-built for AArch64.
#   HYP_ELF     $(BUILD)/hyp/hyp.elf     boot with qemu -kernel (linked at HYP_LINK_ADDR, QEMU virt's)
#   HYP_PACKED  $(BUILD)/hyp/humpy.bin   arm64 Image for U-Boot booti, carrying $(GUEST_BIN) and a VM DTB
# The portable core (hyp/core) is listed file by file: only what the EL2 image links.

# Build variants: HYP_VARIANT names a compiler (gcc, clang), an optimisation level (O0 O1 O2 O3 Os
# Og) and/or debug or release, joined by '-' (clang-O0, gcc-debug, clang-O2-release); what it does
# not name stays the default (gcc, O2). debug: DWARF for a debugger, frame pointers, and UBSan's
# checks as traps (an EL2 brk: humpy reports the fault and stops); O0 unless a level is named.
# release: no debug info (the same code as the default build). A variant builds into
# $(BUILD)/hyp-$(HYP_VARIANT), so variants never share objects; the guest stays the default one.
HYP_VARIANT  ?=
HYP_VARIANT_WORDS := $(subst -, ,$(HYP_VARIANT))
ifneq ($(filter-out gcc clang O0 O1 O2 O3 Os Og debug release,$(HYP_VARIANT_WORDS)),)
$(error HYP_VARIANT=$(HYP_VARIANT): unknown '$(filter-out gcc clang O0 O1 O2 O3 Os Og debug release,$(HYP_VARIANT_WORDS))' (words: gcc clang O0 O1 O2 O3 Os Og debug release))
endif
HYP_CC_KIND  := $(or $(filter gcc clang,$(HYP_VARIANT_WORDS)),gcc)
HYP_OPT      := -$(or $(filter O0 O1 O2 O3 Os Og,$(HYP_VARIANT_WORDS)),$(if $(filter debug,$(HYP_VARIANT_WORDS)),O0,O2))
HYP_BUILD    := $(BUILD)/hyp$(if $(HYP_VARIANT),-$(HYP_VARIANT))
# HYP_ELF is the link's output: named on the command line, make would overwrite that file with humpy.
ifeq ($(origin HYP_ELF),command line)
$(error HYP_ELF=$(HYP_ELF) would be overwritten by humpy's link; to run another build give HYP=$(HYP_ELF))
endif
HYP_ELF      := $(HYP_BUILD)/hyp.elf
HYP_BIN      := $(HYP_BUILD)/hyp.bin
HYP_PACKED   := $(HYP_BUILD)/humpy.bin
# humpy.bin in a FIT image for U-Boot's bootm (make hyp-fit; mkimage from u-boot-tools).
HYP_FIT      := $(HYP_BUILD)/humpy.itb
HYP_VM_DTB   := $(HYP_BUILD)/vm-board.dtb
HYP_LDS      := $(HYP_BUILD)/hyp.ld
# conformance/conformance.mk sets the same path; the default keeps this fragment self-contained.
GUEST_BIN    ?= $(BUILD)/conformance/guest.bin

include hyp/platform/platform.mk

HYP_CORE_SRCS := hyp/core/main.c hyp/core/log.c hyp/core/string.c hyp/core/fdt.c \
	hyp/core/hypercall.c hyp/core/vm.c hyp/core/vm_ram.c hyp/core/payload.c
# The object/capability core and its hypercalls (hyp/host.mk builds the same files for the host).
HYP_CORE_SRCS += hyp/core/heap.c hyp/core/object.c hyp/core/partition.c hyp/core/cspace.c \
	hyp/core/thread.c hyp/core/doorbell_obj.c hyp/core/msgqueue_obj.c hyp/core/object_calls.c \
	hyp/core/cspace_calls.c hyp/core/root.c hyp/core/root_dt.c hyp/core/hypercall_object.c \
	hyp/core/hypercall_cspace.c hyp/core/hypercall_vic.c hyp/core/vic.c \
	hyp/core/virq.c hyp/core/vic_calls.c hyp/core/hwirq.c hyp/core/doorbell_calls.c \
	hyp/core/hypercall_doorbell.c hyp/core/msgqueue.c hyp/core/msgqueue_calls.c \
	hyp/core/hypercall_msgqueue.c
# Memory extents and address spaces.
HYP_CORE_SRCS += hyp/core/memdb.c hyp/core/memextent.c hyp/core/addrspace.c \
	hyp/core/root_memory.c hyp/core/memextent_calls.c hyp/core/addrspace_calls.c \
	hyp/core/hypercall_memextent.c hyp/core/hypercall_addrspace.c
# vCPUs and the scheduler.
HYP_CORE_SRCS += hyp/core/sched.c hyp/core/vcpu_calls.c hyp/core/hypercall_vcpu.c
HYP_ARCH_SRCS := $(sort $(wildcard hyp/arch/aarch64/*.c))
# The pure encoders among them (no system registers, no state): host unit tests and fuzzers link them.
HYP_ARCH_PURE_SRCS := hyp/arch/aarch64/esr.c hyp/arch/aarch64/pte.c hyp/arch/aarch64/vgic_v2.c
HYP_ARCH_PURE_HDRS := hyp/arch/aarch64/esr.h hyp/arch/aarch64/pte.h hyp/arch/aarch64/ich_lr.h \
	hyp/arch/aarch64/gich_lr.h hyp/arch/aarch64/vgic_v2.h hyp/arch/aarch64/gicv2_frame.h
HYP_ASM_SRCS  := $(sort $(wildcard hyp/arch/aarch64/*.S))
HYP_ASM_SRCS  := $(filter-out hyp/arch/aarch64/hyp.ld.S,$(HYP_ASM_SRCS))
HYP_C_SRCS    := $(HYP_CORE_SRCS) $(HYP_ARCH_SRCS) $(HYP_PLAT_SRCS)
HYP_OBJS      := $(patsubst %,$(HYP_BUILD)/obj/%.o,$(HYP_C_SRCS) $(HYP_ASM_SRCS))
# The Resource Manager's image, carried inside the hypervisor's (adds to HYP_OBJS).
include hyp/rm/rm.mk

# Proof builds (harness/qemu_tests/test_proof.py): HYP_EXTRA_CFLAGS=-DHUMPY_BREAK_<what> plants one
# known bug (a #ifdef each), so a test can show the suite fails that build. Use its own BUILD folder.
HYP_EXTRA_CFLAGS ?=
# hyp.elf's link address: where QEMU's ELF loader puts it on virt (-kernel hyp.elf). hyp.bin and
# humpy.bin run wherever they are put (boot.S relocates; the Image header's flags say so).
HYP_LINK_ADDR := 0x80000000
HYP_INCLUDES := -Ihyp/include -Ihyp/arch/aarch64 -Ihyp/platform \
	-DHYP_LINK_ADDR=$(HYP_LINK_ADDR)
# -mgeneral-regs-only: EL2 never touches FP/SIMD, so guest FP state needs no saving.
# -mstrict-align: the first C code runs with the MMU off, where memory is Device.
# (Quiet when the cross compiler is missing: make conformance/test install it, then re-read this.)
# Debian's clang cross-compiles with --target (no other package); GNU ld links either compiler's
# objects, with libgcc. The compiler's own freestanding headers, no libc's.
ifeq ($(HYP_CC_KIND),clang)
HYP_CC         := clang --target=aarch64-linux-gnu
HYP_CC_INCLUDE := $(shell clang -print-resource-dir 2>/dev/null)/include
# gcc's flag: no loop turned into a memset/memcpy call; clang has no switch for it (string.c has both).
HYP_CC_FLAGS   :=
# GNU ld has no plugin for clang's bitcode: no link-time optimisation.
HYP_LTO_FLAGS  :=
else
HYP_CC         := $(CROSS)gcc
HYP_CC_INCLUDE := $(shell $(CROSS)gcc -print-file-name=include 2>/dev/null)
HYP_CC_FLAGS   := -fno-tree-loop-distribute-patterns
# Link-time optimisation (not for debug builds): a hypercall crosses a file at every layer (handler,
# core call, cap lookup, queue, guest copy). Fat objects keep real code for the tools that read
# objects (mutation.py, nm); string.c.o stays out of it, or LTO drops the memset/memcpy that gcc
# calls on its own (undefined at link).
HYP_LTO_FLAGS  := $(if $(filter debug,$(HYP_VARIANT_WORDS)),,-flto -ffat-lto-objects)
endif
# Frame pointers only in debug builds (for gdb): nothing in the hypervisor walks the frame chain
# (a panic reports registers), and Debian's gcc keeps x29 by default, two instructions in every
# function that calls another, hypercall handlers included.
HYP_DEBUG_FLAGS := $(if $(filter debug,$(HYP_VARIANT_WORDS)),-g3 -fno-omit-frame-pointer \
	-fsanitize=undefined -fsanitize-undefined-trap-on-error,-fomit-frame-pointer $(if $(filter release,$(HYP_VARIANT_WORDS)),-g0,-g))
HYP_CFLAGS := -std=gnu11 $(HYP_OPT) $(HYP_DEBUG_FLAGS) -ffreestanding -nostdinc \
	-isystem $(HYP_CC_INCLUDE) \
	-fpie -fvisibility=hidden -fno-stack-protector -fno-common $(HYP_CC_FLAGS) $(HYP_LTO_FLAGS) \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics -march=armv8-a \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	$(HYP_INCLUDES) -MMD -MP $(HYP_EXTRA_CFLAGS)
HYP_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,text -Wl,-T,$(HYP_LDS) -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments

LINT_C_FILES += $(HYP_C_SRCS)

.PHONY: hyp hyp-packed
all: hyp hyp-packed
hyp: $(HYP_ELF)
hyp-packed: $(HYP_PACKED)

$(HYP_BUILD)/obj/hyp/core/string.c.o: HYP_CFLAGS += -fno-lto

# Objects depend on the flags they were built with: a build folder made before a flag changed
# (e.g. before -fpie) is rebuilt instead of linked stale ("read-only segment has dynamic relocations").
# The stamp is rewritten only when the flags differ, so an unchanged build rebuilds nothing.
HYP_FLAGS_STAMP := $(HYP_BUILD)/flags.stamp
HYP_FLAGS_NOW   := $(HYP_CC) $(HYP_CFLAGS) $(HYP_LDFLAGS)
$(HYP_FLAGS_STAMP): hyp-flags-check
	@:
.PHONY: hyp-flags-check
hyp-flags-check:
	@mkdir -p $(HYP_BUILD)
	@printf '%s\n' '$(subst ','\'',$(HYP_FLAGS_NOW))' > $(HYP_FLAGS_STAMP).new
	@if cmp -s $(HYP_FLAGS_STAMP).new $(HYP_FLAGS_STAMP); then rm -f $(HYP_FLAGS_STAMP).new; \
	else mv $(HYP_FLAGS_STAMP).new $(HYP_FLAGS_STAMP); fi
$(HYP_OBJS) $(HYP_LDS): $(HYP_FLAGS_STAMP)

$(HYP_BUILD)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(HYP_CC) $(HYP_CFLAGS) -c -o $@ $<

$(HYP_BUILD)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(HYP_CC) $(HYP_CFLAGS) -D__ASSEMBLER__ -c -o $@ $<

$(HYP_LDS): hyp/arch/aarch64/hyp.ld.S hyp/platform/platform.h hyp/arch/aarch64/frame.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc -E -P -x c -D__ASSEMBLER__ $(HYP_INCLUDES) -o $@ $<

$(HYP_ELF): $(HYP_OBJS) $(HYP_LDS)
	@echo "  LD      $@"
	@$(CROSS)gcc $(filter-out -fsanitize%,$(HYP_CFLAGS)) $(HYP_LDFLAGS) -o $@ $(HYP_OBJS) -lgcc

$(HYP_BIN): $(HYP_ELF)
	$(CROSS)objcopy -O binary $< $@

$(HYP_VM_DTB): scripts/vm-dtb.sh
	@mkdir -p $(dir $@)
	QEMU=$(QEMU) scripts/vm-dtb.sh $@ ""

# Payload: the guest at its entry IPA and the VM DTB where x0 points (platform.h).
$(HYP_PACKED): $(HYP_BIN) $(GUEST_BIN) $(HYP_VM_DTB) hyp/tools/pack-image.py
	$(PYTHON) hyp/tools/pack-image.py -o $@ $(HYP_BIN) \
		$(GUEST_BIN)@0x41000000 $(HYP_VM_DTB)@0x40F00000

.PHONY: hyp-fit
hyp-fit: $(HYP_FIT)
# mkimage resolves the .its file's /incbin/ next to it: a copy beside humpy.bin.
$(HYP_FIT): $(HYP_PACKED) hyp/tools/humpy.its
	cp hyp/tools/humpy.its $(HYP_BUILD)/humpy.its
	mkimage -f $(HYP_BUILD)/humpy.its $@ >/dev/null

-include $(HYP_OBJS:.o=.d)
