# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Resolve a kernel name as the project's tools accept it into the three
# paths they need.  Sourced by tools/qrpc-vm/qrpc-vm, the Makefile's helpers and the
# debug-kernel builder, so that "6.1" means the same kernel everywhere.
#
#   6.1, 6.12  the newest installed Debian amd64-flavour kernel of that
#              series that has both an image in /boot and its headers
#   debug      the debug kernel built by tools/scripts/debug-kernel/build
#   PATH       a kernel image file; its release is read from the file
#
# On success qrpc_kernel_resolve sets QRPC_KREL (release string),
# QRPC_VMLINUZ (image) and QRPC_KDIR (tree to build modules against; may be
# empty for a bare image) and returns 0.  On failure it prints why to
# stderr and returns 1.

qrpc_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)

qrpc_kernel_resolve()
{
	local name=$1 krel f dir

	QRPC_KREL= QRPC_VMLINUZ= QRPC_KDIR=
	case $name in
	debug)
		dir=$("$qrpc_top/tools/scripts/debug-kernel/build" --print-dir) || return 1
		if [ ! -f "$dir/vmlinuz" ] || [ ! -f "$dir/kernelrelease" ]; then
			echo "qrpc: the debug kernel is not built yet (run: make debug-kernel)" >&2
			return 1
		fi
		QRPC_KREL=$(cat "$dir/kernelrelease")
		QRPC_VMLINUZ=$dir/vmlinuz
		QRPC_KDIR=$dir/linux
		;;
	[0-9]*.[0-9]*)
		# Newest first; a series matches "6.1." but not "6.12.".
		for f in $(ls -1 /boot/vmlinuz-"$name".* 2>/dev/null | sort -rV); do
			krel=${f#/boot/vmlinuz-}
			case $krel in *-amd64) ;; *) continue ;; esac
			[ -d "/usr/src/linux-headers-$krel" ] || continue
			QRPC_KREL=$krel
			QRPC_VMLINUZ=$f
			QRPC_KDIR=/usr/src/linux-headers-$krel
			break
		done
		if [ -z "$QRPC_KREL" ]; then
			echo "qrpc: no Debian $name amd64 kernel with headers is installed (run: make setup)" >&2
			return 1
		fi
		;;
	*)
		if [ ! -f "$name" ]; then
			echo "qrpc: unknown kernel '$name' (use 6.1, 6.12, debug or an image path)" >&2
			return 1
		fi
		QRPC_VMLINUZ=$name
		# bzImage carries its version string at the offset in the header.
		QRPC_KREL=$(file -bL "$name" 2>/dev/null | sed -n 's/.*version \([^ ]*\).*/\1/p')
		[ -n "$QRPC_KREL" ] && [ -d "/lib/modules/$QRPC_KREL/build" ] &&
			QRPC_KDIR=/lib/modules/$QRPC_KREL/build
		;;
	esac
	return 0
}
