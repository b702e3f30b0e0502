# hyp/rm/test/rmboot.mk: the RM's boot DT on the host, with ASan and UBSan: rm-boot.dts as dtc
# builds it ($(RM_DTB)), filled by the hypervisor's root_dt_publish (hyp/core/root_dt.c) and read
# back by the RM's rm_boot_info_read (hyp/rm/boot_info.c), for QEMU virt's and the ZCU102's shapes.
#   make test-rm-boot-info

RMBOOT_TEST   := $(BUILD)/rm-host/test_boot_info
RMBOOT_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Ihyp/rm -Ihyp/rm/test -Ihyp/include -Ihyp/arch/host

$(RMBOOT_TEST): hyp/rm/test/test_boot_info.c hyp/rm/boot_info.c hyp/rm/boot_info.h \
		hyp/core/root_dt.c $(wildcard hyp/include/*.h) hyp/rm/test/rmmem_check.h \
		hyp/rm/test/rmboot.mk
	@mkdir -p $(dir $@)
	$(HOST_CC) $(RMBOOT_CFLAGS) -o $@ hyp/rm/test/test_boot_info.c hyp/rm/boot_info.c \
		hyp/core/root_dt.c

.PHONY: test-rm-boot-info
test-rm-boot-info: $(RMBOOT_TEST) $(RM_DTB)
	timeout -k 10 120 $(RMBOOT_TEST) $(RM_DTB)

TEST_TARGETS += test-rm-boot-info
LINT_C_FILES += hyp/rm/test/test_boot_info.c
