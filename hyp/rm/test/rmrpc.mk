# hyp/rm/test/rmrpc.mk: host tests of the RM's RPC server (framing, reassembly, drops, VM and
# console handlers), built with ASan and UBSan; the RM sources build unchanged on the host.
#   make test-rm-rpc   runs them (RM_RPC_TEST_ARGS='glob' picks tests by name)

RM_RPC_HOST_DIR  := $(BUILD)/rm-host
RM_RPC_CFLAGS    := -std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The pure RPC sources: the RM image, these tests and fuzz/rm_rpc build them alike.
RM_RPC_SRCS      := hyp/rm/rpc.c hyp/rm/vm_state.c hyp/rm/vm_rpc.c hyp/rm/console_rpc.c \
	hyp/rm/rpc_table_host.c
RM_RPC_HDRS      := hyp/rm/rpc.h hyp/rm/rm_abi.h hyp/rm/vm_state.h hyp/rm/rpc_handlers.h
RM_RPC_TEST_SRCS := $(wildcard hyp/rm/test/rpc_test_main.c hyp/rm/test/test_rpc_*.c)
RM_RPC_TEST      := $(RM_RPC_HOST_DIR)/rpc-unit
RM_RPC_TEST_ARGS ?=

$(RM_RPC_TEST): $(RM_RPC_SRCS) $(RM_RPC_HDRS) $(RM_RPC_TEST_SRCS) hyp/rm/test/rpc_test.h \
		hyp/rm/test/rmrpc.mk
	@mkdir -p $(dir $@)
	$(HOST_CC) $(RM_RPC_CFLAGS) -o $@ $(RM_RPC_SRCS) $(RM_RPC_TEST_SRCS)

.PHONY: test-rm-rpc
test-rm-rpc: $(RM_RPC_TEST)
	timeout -k 10 120 $(RM_RPC_TEST) $(RM_RPC_TEST_ARGS)

TEST_TARGETS += test-rm-rpc
LINT_C_FILES += $(RM_RPC_SRCS) $(RM_RPC_HDRS) hyp/rm/rpc_dispatch.c $(RM_RPC_TEST_SRCS) \
	hyp/rm/test/rpc_test.h
