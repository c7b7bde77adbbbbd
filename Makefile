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
#   make check-debug    the guest selftests on a KASAN/lockdep/kmemleak kernel,
#                       then the raw ABI fuzzer for CHECK_FUZZ_SECONDS (120)
#   make bench          measure qrpc against pipes, sockets, mq, eventfd,
#                       futex, MSG_RING, binder and TCP in a guest (2 vCPUs);
#                       results in build/bench/KERNEL/.  BENCH_ARGS are
#                       passed to qrpc-bench (e.g. BENCH_ARGS=--quick)
#   make lint           checkpatch, sparse, W=1, cppcheck, clang-tidy
#   make fuzz           fuzz the marshalling decoder and the IDL compiler's
#                       front end (FUZZ_SECONDS each, default 300)
#   make idl-corpus     qrpc-idl against widl on Wine's 309 IDL files
#   make fuzz-kernel    fuzz the module's raw ABI in a guest (KERNEL, SEED,
#                       SECONDS; see tools/scripts/fuzz-kernel)
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

SETUP	:= $(TOP)/tools/scripts/setup-deps
# Each entry point that needs the toolchain checks for it first; the check
# takes well under a second when everything is installed.
ENSURE_SETUP = @$(SETUP) --check || $(SETUP)

all: module user

user: lib tools selftests

lib:
	@$(MAKE) --no-print-directory -C libshim

tools: lib
	@$(MAKE) --no-print-directory -C tools

# The selftests' stubs are qrpc-idl's.
selftests: lib tools
	@$(MAKE) --no-print-directory -C selftests

ifneq ($(KDIR),)
module:
	@tools/scripts/build-module kdir:$(KDIR)
else
module:
	@tools/scripts/build-module $(KERNELS)
endif

setup:
	@$(SETUP)

demo:
	$(ENSURE_SETUP)
	@$(MAKE) --no-print-directory KERNELS="$(firstword $(KERNELS))" all
	@tools/scripts/demo --kernel $(firstword $(KERNELS))

bench:
	$(ENSURE_SETUP)
	@$(MAKE) --no-print-directory KERNELS="$(firstword $(KERNELS))" all
	@tools/scripts/bench --kernel $(firstword $(KERNELS)) -- $(BENCH_ARGS)

check:
	$(ENSURE_SETUP)
	@$(MAKE) --no-print-directory all
	@tools/scripts/check $(KERNELS)

debug-kernel:
	$(ENSURE_SETUP)
	@tools/scripts/debug-kernel/build

# make check-debug ends with the raw ABI fuzzer for CHECK_FUZZ_SECONDS.
CHECK_FUZZ_SECONDS ?= 120
check-debug: debug-kernel
	@$(MAKE) --no-print-directory user
	@tools/scripts/build-module debug
	@tools/scripts/check --no-unit --fuzz $(CHECK_FUZZ_SECONDS) debug

FUZZ_SECONDS ?= 300
fuzz:
	$(ENSURE_SETUP)
	@$(MAKE) --no-print-directory user
	@QRPC_FUZZ_SECONDS=$(FUZZ_SECONDS) $(BUILD)/unit/marshal_fuzz_test
	@QRPC_FUZZ_SECONDS=$(FUZZ_SECONDS) $(BUILD)/unit/idl_fuzz_test

# qrpc-idl and Wine's widl over Wine's 309 IDL files, side by side.
idl-corpus:
	$(ENSURE_SETUP)
	@$(MAKE) --no-print-directory tools
	@tools/scripts/idl-corpus/idl-corpus run

# The raw ABI fuzzer (selftests/abi_fuzz) in a guest: tools/scripts/fuzz-kernel.
# KERNEL 6.1 (default), 6.12 or debug; SEED (default: from the time);
# SECONDS (default 60).
fuzz-kernel:
	$(ENSURE_SETUP)
	@$(MAKE) --no-print-directory user
	@$(if $(filter debug,$(KERNEL)),$(MAKE) --no-print-directory debug-kernel && )tools/scripts/build-module $(or $(KERNEL),6.1)
	@tools/scripts/fuzz-kernel --kernel $(or $(KERNEL),6.1) $(if $(SEED),--seed $(SEED)) \
		$(if $(SECONDS),--seconds $(SECONDS))

lint:
	$(ENSURE_SETUP)
	@tools/scripts/lint $(KERNELS)

clean:
	rm -rf $(BUILD)/kmod $(BUILD)/libshim $(BUILD)/bin $(BUILD)/selftests \
		$(BUILD)/unit $(BUILD)/logs $(BUILD)/bench
	rm -f kmod/compat_probed.h

.PHONY: all user lib tools selftests module setup demo bench check debug-kernel \
	check-debug fuzz fuzz-kernel idl-corpus lint clean

# Installation.  PREFIX (default /usr/local) and DESTDIR as liburing has
# them; LIBDIR, INCLUDEDIR, BINDIR and MANDIR (see libshim/Makefile and
# tools/Makefile) and UDEVDIR may be given too.
#
#   make install [PREFIX=/usr] [DESTDIR=/tmp/stage]
#                       the library, headers, pkg-config file, qrpcctl,
#                       man pages and the udev rule
#   make uninstall      remove them again (same PREFIX and DESTDIR)
#   make install-module [KDIR=...]
#                       build the module for KDIR (default: the running
#                       kernel's) and install it with kbuild's
#                       modules_install; depmod unless DESTDIR is set
#   make uninstall-module [KDIR=...]
#   make dkms-source    the module's sources in $(DESTDIR)/usr/src/qrpc-VERSION,
#                       for `dkms add`
PREFIX	?= /usr/local
UDEVDIR	?= /lib/udev/rules.d
DKMS_VERSION = $(shell sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$$/\1/p' dkms.conf)
DKMS_DIR = $(DESTDIR)/usr/src/qrpc-$(DKMS_VERSION)
# The module build tree: KDIR, else the running kernel's.  A recursive
# variable, so that uname runs only for the targets that use it.
MODULE_KDIR = $(if $(KDIR),$(KDIR),/lib/modules/$(shell uname -r)/build)
# Shell code setting krel to the kernel release as tools/scripts/build-module
# finds it, which names the build directory build/kmod/<release>/, and
# modrel to the release the module is for, which names /lib/modules/<modrel>
# (they differ for Debian's 6.1 headers: "make kernelrelease" says 6.1.192
# where the tree is 6.1.0-56-amd64).
MODULE_KREL = krel=$$(MAKEFLAGS= make -s -C $(MODULE_KDIR) kernelrelease 2>/dev/null); \
	[ -n "$$krel" ] || krel=$$(basename "$$(dirname $(MODULE_KDIR))"); \
	modrel=$$(sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
		$(MODULE_KDIR)/include/generated/utsrelease.h 2>/dev/null); \
	[ -n "$$modrel" ] || modrel=$$krel

ifeq ($(V),1)
Q	:=
quiet	= @:
else
Q	:= @
quiet	= @printf '  %-7s %s\n'
endif

install: lib tools
	@$(MAKE) --no-print-directory -C libshim install
	@$(MAKE) --no-print-directory -C tools install
	$(quiet) INSTALL $(DESTDIR)$(UDEVDIR)/60-qrpc.rules
	$(Q)install -D -m 0644 udev/60-qrpc.rules $(DESTDIR)$(UDEVDIR)/60-qrpc.rules

uninstall:
	@$(MAKE) --no-print-directory -C libshim uninstall
	@$(MAKE) --no-print-directory -C tools uninstall
	$(quiet) RM $(DESTDIR)$(UDEVDIR)/60-qrpc.rules
	$(Q)rm -f $(DESTDIR)$(UDEVDIR)/60-qrpc.rules

# kbuild's modules_install runs depmod only when the tree has a System.map
# (Debian's header packages have none), so depmod is run here instead, and
# only without DESTDIR: DEPMOD=true keeps kbuild from running it.  Where
# the tree has no signing key (Debian's headers), kbuild's SIGN step says
# so and installs the module unsigned.
install-module:
	@tools/scripts/build-module kdir:$(MODULE_KDIR)
	$(Q)$(MODULE_KREL); \
	$(MAKE) --no-print-directory -C $(MODULE_KDIR) M=$(BUILD)/kmod/$$krel \
		INSTALL_MOD_PATH=$(DESTDIR) DEPMOD=true modules_install
	$(if $(DESTDIR),,$(Q)$(MODULE_KREL); echo "  DEPMOD  $$modrel"; depmod -a $$modrel)

# modules_install puts the module in extra/ (up to 6.11) or updates/
# (6.12 on), or INSTALL_MOD_DIR, as kmod/qrpc.ko, perhaps compressed.
uninstall-module:
	$(Q)$(MODULE_KREL); \
	for d in $(or $(INSTALL_MOD_DIR),extra updates); do \
		dir=$(DESTDIR)/lib/modules/$$modrel/$$d; \
		for f in $$dir/kmod/qrpc.ko $$dir/kmod/qrpc.ko.*; do \
			[ -e "$$f" ] || continue; \
			echo "  RM      $$f"; rm -f "$$f"; \
		done; \
		rmdir $$dir/kmod $$dir 2>/dev/null; \
	done; \
	$(if $(DESTDIR),true,echo "  DEPMOD  $$modrel" && depmod -a $$modrel)

dkms-source:
	$(quiet) INSTALL $(DKMS_DIR)
	$(Q)install -D -m 0644 -t $(DKMS_DIR) Kbuild dkms.conf
	$(Q)install -D -m 0644 -t $(DKMS_DIR)/kmod \
		$(filter-out kmod/compat_probed.h,$(wildcard kmod/Kbuild kmod/*.c kmod/*.h))
	$(Q)install -D -m 0644 -t $(DKMS_DIR)/kmod/compat $(wildcard kmod/compat/*)
	$(Q)install -D -m 0644 -t $(DKMS_DIR)/uapi/linux $(wildcard uapi/linux/*.h)

.PHONY: install uninstall install-module uninstall-module dkms-source
