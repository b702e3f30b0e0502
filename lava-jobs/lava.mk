# lava-jobs: LAVA job templates per device type, rendered from the guest's test list, validated,
# run locally with LAVA's own dispatcher, and submitted to a lab. Included from the top Makefile.
#   make lava-jobs     render every job into reports/lava/jobs/ and validate each (schema, device
#                      config from lava-server's templates, lava-run --validate)
#   make lava-local    run the qemu job and the emulated U-Boot board job with lava-run; reports in
#                      reports/lava/local/, compared test for test with a harness run
#   make lava-submit   LAVA_IDENTITY=NAME LAVA_ARTEFACT_URL=https://HOST/DIR [LAVA_DEVICE_TYPE=...]
#                      submit to a lab with lavacli, wait, fetch results into reports/lava/lab/
#   make lava-test     the pytest suite in lava-jobs/tests (part of make test)

LAVA_BUILD        ?= $(BUILD)/lava
LAVA_REPORTS      ?= $(REPORTS)/lava
LAVA_HYP_ELF      ?= $(or $(HYP_ELF),$(BUILD)/hyp/hyp.elf)
LAVA_HUMPY_BIN    ?= $(or $(HYP_PACKED),$(BUILD)/hyp/humpy.bin)
LAVA_GUEST_BIN    ?= $(or $(GUEST_BIN),$(BUILD)/conformance/guest.bin)
# The xilinx-zcu102 job's image: what `make conformance MACHINE=zcu102` boots on QEMU's model
# (hyp.bin, the guest and the VM tree the harness makes for that machine, packed; no bootargs, so
# the guest runs every test), made by the harness's own code (python3 -m humpy_harness pack).
LAVA_HYP_BIN      ?= $(or $(HYP_BIN),$(BUILD)/hyp/hyp.bin)
LAVA_HUMPY_ZCU102 ?= $(dir $(LAVA_HUMPY_BIN))humpy-zcu102.bin
# The qemu job's VM device tree: empty bootargs, so the guest runs every test (like humpy.bin).
LAVA_VM_DTB       ?= $(LAVA_BUILD)/vm.dtb
# A saved test list (ids, or the guest's list output) instead of a list boot through the harness.
LAVA_TESTS_FILE   ?=
# Device tree the board jobs deploy next to humpy.bin (default: U-Boot's own, ${fdtcontroladdr}).
LAVA_BOARD_DTB    ?=
# Lab submission: lavacli identity, where the lab downloads the images, which device types.
LAVA_IDENTITY     ?=
LAVA_ARTEFACT_URL ?=
LAVA_DEVICE_TYPE  ?=
# How long lava-submit waits for each job, and how often it asks the lab.
LAVA_WAIT_S       ?= 3600
LAVA_POLL_S       ?= 10
# Optional command that uploads the images to LAVA_ARTEFACT_URL; gets the image paths as arguments.
LAVA_UPLOAD       ?=
# The expected results the converted runs are checked against (the profile, the SKIPs allowed), as
# make conformance checks a QEMU run: harness.mk's EXPECT (humpy's default build); empty for none.
LAVA_EXPECT       ?= $(EXPECT)
LAVA_EXPECT_ARG    = $(if $(LAVA_EXPECT),--expect $(LAVA_EXPECT))

# lava-jobs copies the images here and renders from the copies, so the jobs, the list boot and the
# harness run lava-local compares with all see the same bytes while the build tree moves on.
LAVA_SNAPSHOT     := $(LAVA_BUILD)/images
LAVA_SERVER_DIR   := $(LAVA_BUILD)/lava-server
LAVA_SERVER_STAMP := $(LAVA_SERVER_DIR)/.unpacked
LAVA_PY           := PYTHONPATH=lava-jobs/tools $(PYTHON) -m humpy_lava
LAVA_IMAGES        = $(LAVA_HYP_ELF) $(LAVA_GUEST_BIN) $(LAVA_VM_DTB) $(LAVA_HUMPY_BIN) $(LAVA_HUMPY_ZCU102)
LAVA_IMAGE_ARGS    = --hyp $(LAVA_HYP_ELF) --guest $(LAVA_GUEST_BIN) --vm-dtb $(LAVA_VM_DTB) \
                     --humpy-bin $(LAVA_HUMPY_BIN) --humpy-zcu102 $(LAVA_HUMPY_ZCU102) $(if $(LAVA_BOARD_DTB),--board-dtb $(LAVA_BOARD_DTB)) \
                     $(if $(LAVA_TESTS_FILE),--tests-file $(LAVA_TESTS_FILE)) --reports $(LAVA_REPORTS)
LAVA_TYPE_ARGS     = $(foreach d,$(LAVA_DEVICE_TYPE),--device-type $(d))
LAVA_SNAPSHOT_IMAGES = $(addprefix $(LAVA_SNAPSHOT)/,$(notdir $(LAVA_IMAGES) $(LAVA_BOARD_DTB)))
LAVA_SNAPSHOT_ARGS = $(foreach a,hyp:HYP_ELF guest:GUEST_BIN vm-dtb:VM_DTB humpy-bin:HUMPY_BIN humpy-zcu102:HUMPY_ZCU102,\
                     --$(word 1,$(subst :, ,$(a))) $(LAVA_SNAPSHOT)/$(notdir $(LAVA_$(word 2,$(subst :, ,$(a)))))) \
                     $(if $(LAVA_BOARD_DTB),--board-dtb $(LAVA_SNAPSHOT)/$(notdir $(LAVA_BOARD_DTB)))

.PHONY: lava-jobs lava-local lava-submit lava-test lava-server-pkg
TEST_TARGETS += lava-test
CLEAN_FILES  += $(LAVA_REPORTS)

# lava-server's device-type templates, from the .deb unpacked (never installed: it pulls in Django,
# PostgreSQL and a web server).
lava-server-pkg: $(LAVA_SERVER_STAMP)
$(LAVA_SERVER_STAMP):
	@mkdir -p $(LAVA_BUILD)/deb
	@rm -f $(LAVA_BUILD)/deb/lava-server_*.deb
	@cd $(LAVA_BUILD)/deb && apt-get -q -o APT::Sandbox::User=root download lava-server >/dev/null \
		|| { echo "lava-jobs: apt-get download lava-server failed (no apt lists? run apt-get update)" >&2; exit 1; }
	@rm -rf $(LAVA_SERVER_DIR)
	@dpkg -x $(LAVA_BUILD)/deb/lava-server_*.deb $(LAVA_SERVER_DIR)
	@touch $@

$(LAVA_VM_DTB): scripts/vm-dtb.sh
	@mkdir -p $(dir $@)
	@QEMU=$(QEMU) scripts/vm-dtb.sh $@ ""

$(LAVA_HUMPY_ZCU102): $(LAVA_HYP_BIN) $(LAVA_GUEST_BIN) harness/humpy_harness/qemu.py scripts/vm-dtb.sh \
		hyp/tools/pack-image.py
	@PYTHONPATH=harness $(PYTHON) -m humpy_harness pack --machine zcu102 --hyp $(LAVA_HYP_BIN) \
		--guest $(LAVA_GUEST_BIN) --qemu $(QEMU) -o $@

lava-jobs: $(LAVA_SERVER_STAMP)
	@$(MAKE) --no-print-directory -s all $(LAVA_VM_DTB) $(LAVA_HUMPY_ZCU102)
	@$(LAVA_PY) jobs --out $(LAVA_REPORTS)/jobs --server $(LAVA_SERVER_DIR) $(LAVA_IMAGE_ARGS) \
		--snapshot $(LAVA_SNAPSHOT)

lava-local: lava-jobs
	@$(LAVA_PY) local --jobs $(LAVA_REPORTS)/jobs --server $(LAVA_SERVER_DIR) \
		--out $(LAVA_REPORTS)/local --hyp $(LAVA_SNAPSHOT)/$(notdir $(LAVA_HYP_ELF)) \
		--guest $(LAVA_SNAPSHOT)/$(notdir $(LAVA_GUEST_BIN)) $(LAVA_EXPECT_ARG)

# Checks the lab first, so a missing identity or server costs no build and no list boot.
lava-submit:
	@$(LAVA_PY) submit --check-only --identity "$(LAVA_IDENTITY)"
	@test -n "$(LAVA_ARTEFACT_URL)" || { echo "lava-submit: set LAVA_ARTEFACT_URL=https://HOST/DIR," \
		"the directory the lab downloads $(notdir $(LAVA_IMAGES)) from" >&2; exit 2; }
	@$(MAKE) --no-print-directory lava-jobs
	@$(if $(LAVA_UPLOAD),$(LAVA_UPLOAD) $(LAVA_SNAPSHOT_IMAGES))
	@$(LAVA_PY) jobs --out $(LAVA_REPORTS)/submit --schema-only --base-url "$(LAVA_ARTEFACT_URL)" \
		$(LAVA_SNAPSHOT_ARGS) --tests-file $(LAVA_REPORTS)/jobs/tests.txt $(LAVA_TYPE_ARGS)
	@$(LAVA_PY) submit --jobs $(LAVA_REPORTS)/submit --identity "$(LAVA_IDENTITY)" \
		--out $(LAVA_REPORTS)/lab --wait-s $(LAVA_WAIT_S) --poll-s $(LAVA_POLL_S) $(LAVA_TYPE_ARGS) \
		$(LAVA_EXPECT_ARG)

lava-test: $(LAVA_SERVER_STAMP) $(LAVA_VM_DTB) $(LAVA_HUMPY_ZCU102)
	@LAVA_TEST_BUILD=$(BUILD) LAVA_SERVER_DIR=$(LAVA_SERVER_DIR) LAVA_HYP_ELF=$(LAVA_HYP_ELF) LAVA_GUEST_BIN=$(LAVA_GUEST_BIN) \
		LAVA_HUMPY_BIN=$(LAVA_HUMPY_BIN) LAVA_VM_DTB=$(LAVA_VM_DTB) LAVA_HUMPY_ZCU102=$(LAVA_HUMPY_ZCU102) \
		LAVA_HYP_BIN=$(LAVA_HYP_BIN) QEMU=$(QEMU) \
		$(PYTHON) -m pytest -q -p no:cacheprovider lava-jobs/tests
