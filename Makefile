# SPDX-License-Identifier: GPL-2.0
#
# qrpc top-level Makefile.
#
#   make                build the module (for KERNELS), library, tools, tests
#   make module KDIR=/lib/modules/$(uname -r)/build
#                       build the module for one kernel tree, e.g. a server's
#   make demo           boot a guest, load the module and show it working
#   make check          host unit tests, then the selftests in a guest on
#                       each of KERNELS; ends with "N passed, N failed"
#   make check-debug    the guest selftests on a KASAN/lockdep/kmemleak kernel
#   make lint           checkpatch, sparse, W=1, cppcheck, clang-tidy
#   make fuzz           fuzz the marshalling decoder (FUZZ_SECONDS, default 300)
#   make setup          install what the above need (done automatically)
#   make clean
#
# V=1 shows the commands.  KERNELS (default "6.1 6.12") limits the kernels
# that module, check, demo and lint use.

TOP	:= $(CURDIR)
BUILD	:= $(TOP)/build
KERNELS	?= 6.1 6.12
V	?= 0
export V

SETUP	:= $(TOP)/tools/setup-deps
# Each entry point that needs the toolchain checks for it first; the check
# takes well under a second when everything is installed.
ENSURE_SETUP = @$(SETUP) --check || $(SETUP)

all: module user

user: lib tools selftests

lib:
	@$(MAKE) --no-print-directory -C libshim

tools: lib
	@$(MAKE) --no-print-directory -C tools

selftests: lib
	@$(MAKE) --no-print-directory -C selftests

ifneq ($(KDIR),)
module:
	@tools/build-module kdir:$(KDIR)
else
module:
	@tools/build-module $(KERNELS)
endif

setup:
	@$(SETUP)

demo:
	$(ENSURE_SETUP)
	@$(MAKE) --no-print-directory KERNELS="$(firstword $(KERNELS))" all
	@tools/demo --kernel $(firstword $(KERNELS))

check:
	$(ENSURE_SETUP)
	@$(MAKE) --no-print-directory all
	@tools/check $(KERNELS)

debug-kernel:
	$(ENSURE_SETUP)
	@tools/debug-kernel/build

check-debug: debug-kernel
	@$(MAKE) --no-print-directory user
	@tools/build-module debug
	@tools/check --no-unit debug

FUZZ_SECONDS ?= 300
fuzz:
	$(ENSURE_SETUP)
	@$(MAKE) --no-print-directory user
	@QRPC_FUZZ_SECONDS=$(FUZZ_SECONDS) $(BUILD)/unit/marshal_fuzz_test

lint:
	$(ENSURE_SETUP)
	@tools/lint $(KERNELS)

clean:
	rm -rf $(BUILD)/kmod $(BUILD)/libshim $(BUILD)/bin $(BUILD)/selftests \
		$(BUILD)/unit $(BUILD)/logs
	rm -f kmod/compat_probed.h

.PHONY: all user lib tools selftests module setup demo check debug-kernel \
	check-debug fuzz lint clean
