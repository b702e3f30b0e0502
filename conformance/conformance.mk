# conformance/: the bare-metal EL1 conformance guest (guest/ runtime, tests/<area>/ tests).
#   GUEST_ELF  $(BUILD)/conformance/guest.elf   (with symbols, for debugging)
#   GUEST_BIN  $(BUILD)/conformance/guest.bin   (raw arm64 Image, linked at 0x41000000)

GUEST_BUILD := $(BUILD)/conformance
GUEST_ELF   := $(GUEST_BUILD)/guest.elf
GUEST_BIN   := $(GUEST_BUILD)/guest.bin
GUEST_LDS   := conformance/guest/guest.ld

GUEST_C_SRCS := $(sort $(wildcard conformance/guest/*.c)) $(sort $(wildcard conformance/tests/*/*.c))
GUEST_S_SRCS := $(sort $(wildcard conformance/guest/*.S))
GUEST_OBJS   := $(patsubst %.c,$(GUEST_BUILD)/obj/%.o,$(GUEST_C_SRCS)) \
		$(patsubst %.S,$(GUEST_BUILD)/obj/%.o,$(GUEST_S_SRCS))

# The compiler's own freestanding headers (stdint.h, stdarg.h, ...), and no libc's: asked once, when
# first needed, so a machine without the cross compiler can still run `make setup`.
GUEST_GCC_INCLUDE = $(eval GUEST_GCC_INCLUDE := $(shell $(CROSS)gcc -print-file-name=include))$(GUEST_GCC_INCLUDE)

# -mgeneral-regs-only: FP/SIMD stay untouched so register tests see only what they set.
# -mstrict-align: C runs before the MMU is on, when all memory is Device and must be aligned.
GUEST_CFLAGS = -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc \
	-isystem $(GUEST_GCC_INCLUDE) \
	-fno-pic -fno-pie -fno-stack-protector -fno-common -fno-tree-loop-distribute-patterns \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics -march=armv8-a \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Iconformance/include -I$(dir $(SPEC_GUEST_HEADER)) -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,-T,$(GUEST_LDS) \
	-Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

.PHONY: guest
all: guest
guest: $(GUEST_BIN)

$(GUEST_BUILD)/obj/%.o: %.c $(SPEC_GUEST_HEADER)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_BUILD)/obj/%.o: %.S $(SPEC_GUEST_HEADER)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(GUEST_CFLAGS) -D__ASSEMBLER__ -c -o $@ $<

$(GUEST_ELF): $(GUEST_OBJS) $(GUEST_LDS)
	$(CROSS)gcc $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(GUEST_OBJS) -lgcc

$(GUEST_BIN): $(GUEST_ELF)
	$(CROSS)objcopy -O binary $< $@

-include $(GUEST_OBJS:.o=.d)

LINT_C_FILES += $(GUEST_C_SRCS) $(wildcard conformance/include/humpy/*.h)
