# hyp/rm/test/rmmem.mk: host tests of the RM's device-tree patch, memory parcels and IRQ lending,
# built with ASan and UBSan (hyp/host.mk's flags); the RM sources build unchanged on the host.
#   make test-rm-mem   the DT patch over a real QEMU virt DTB (checked with fdtget/dtc), the
#                      memparcel / irq_lend parsers and state machines, and the image's parcel
#                      hypervisor side (mem_hyp.c) against a model of humpy's extents and mappings

RMMEM_HOST_DIR := $(BUILD)/rm-host
RMMEM_CFLAGS   := -std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Ihyp/rm

RMMEM_FDT_TEST := $(RMMEM_HOST_DIR)/test_fdt_patch
RMMEM_VM_DTB   := $(RMMEM_HOST_DIR)/vm.dtb

$(RMMEM_FDT_TEST): hyp/rm/test/test_fdt_patch.c hyp/rm/fdt_patch.c hyp/rm/fdt_patch.h \
		hyp/rm/test/rmmem_check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(RMMEM_CFLAGS) -o $@ hyp/rm/test/test_fdt_patch.c hyp/rm/fdt_patch.c

# The primary VM's tree exactly as the payload ships it (QEMU's own virt DTB, scripts/vm-dtb.sh).
$(RMMEM_VM_DTB): scripts/vm-dtb.sh
	@mkdir -p $(dir $@)
	QEMU=$(QEMU) scripts/vm-dtb.sh $@

RMMEM_MP_TEST  := $(RMMEM_HOST_DIR)/test_memparcel
RMMEM_IRQ_TEST := $(RMMEM_HOST_DIR)/test_irq_lend
RMMEM_HYP_TEST := $(RMMEM_HOST_DIR)/test_mem_hyp
RMMEM_MP_SRCS  := hyp/rm/memparcel.c hyp/rm/memparcel_rpc.c
RMMEM_IRQ_SRCS := hyp/rm/irq_lend.c hyp/rm/irq_lend_rpc.c
RMMEM_HDRS     := hyp/rm/memparcel.h hyp/rm/irq_lend.h hyp/rm/rm_abi.h hyp/rm/rpc.h \
	hyp/rm/rpc_handlers.h hyp/rm/test/rmmem_check.h

$(RMMEM_MP_TEST): hyp/rm/test/test_memparcel.c $(RMMEM_MP_SRCS) $(RMMEM_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(RMMEM_CFLAGS) -o $@ hyp/rm/test/test_memparcel.c $(RMMEM_MP_SRCS)

# The image's hypervisor side (mem_hyp.c) against a model of the hypercalls it makes.
$(RMMEM_HYP_TEST): hyp/rm/test/test_mem_hyp.c hyp/rm/mem_hyp.c hyp/rm/mem_hyp.h $(RMMEM_MP_SRCS) \
		$(RMMEM_HDRS) hyp/rm/hvc.h hyp/rm/vm_state.h hyp/rm/primary.h hyp/rm/boot_info.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(RMMEM_CFLAGS) -o $@ hyp/rm/test/test_mem_hyp.c hyp/rm/mem_hyp.c $(RMMEM_MP_SRCS)

$(RMMEM_IRQ_TEST): hyp/rm/test/test_irq_lend.c $(RMMEM_IRQ_SRCS) $(RMMEM_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(RMMEM_CFLAGS) -o $@ hyp/rm/test/test_irq_lend.c $(RMMEM_IRQ_SRCS)

.PHONY: test-rm-mem test-rm-fdt-patch test-rm-memparcel
test-rm-fdt-patch: $(RMMEM_FDT_TEST) $(RMMEM_VM_DTB)
	timeout -k 10 120 $(RMMEM_FDT_TEST) $(RMMEM_VM_DTB) $(RMMEM_HOST_DIR)/patched.dtb \
		$(RMMEM_HOST_DIR)/patched-odd-order.dtb
	hyp/rm/test/check_fdt_patch.sh $(RMMEM_VM_DTB) $(RMMEM_HOST_DIR)/patched.dtb \
		$(RMMEM_HOST_DIR)/patched-odd-order.dtb

test-rm-memparcel: $(RMMEM_MP_TEST) $(RMMEM_IRQ_TEST) $(RMMEM_HYP_TEST)
	timeout -k 10 120 $(RMMEM_MP_TEST)
	timeout -k 10 120 $(RMMEM_IRQ_TEST)
	timeout -k 10 120 $(RMMEM_HYP_TEST)

test-rm-mem: test-rm-fdt-patch test-rm-memparcel

TEST_TARGETS += test-rm-mem
LINT_C_FILES += hyp/rm/fdt_patch.c hyp/rm/fdt_patch.h hyp/rm/test/test_fdt_patch.c \
	hyp/rm/test/rmmem_check.h $(RMMEM_MP_SRCS) $(RMMEM_IRQ_SRCS) hyp/rm/memparcel.h \
	hyp/rm/irq_lend.h hyp/rm/test/test_memparcel.c hyp/rm/test/test_irq_lend.c \
	hyp/rm/test/test_mem_hyp.c
