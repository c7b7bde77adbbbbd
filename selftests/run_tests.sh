#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh DIR [TIMEOUT]
#
# Run every executable DIR/*_test, each under a time limit (default 120 s),
# and frame its KTAP output with lines the host-side summary reads:
#
#   qrpc-test-begin: NAME
#   ...the test program's own KTAP output...
#   qrpc-test-end: NAME status=N
#
# Plain POSIX sh: it runs on the build host and in the busybox guest.
# Exits 1 if any program failed, else 0.

dir=${1:?usage: run_tests.sh DIR [TIMEOUT]}
limit=${2:-120}
failed=0

for t in "$dir"/*_test; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	echo "qrpc-test-begin: $name"
	# Tell the kernel log which test runs, so a splat can be placed.
	[ -w /dev/kmsg ] && echo "qrpc-test: running $name" >/dev/kmsg
	timeout "$limit" "$t" 2>&1
	status=$?
	echo "qrpc-test-end: $name status=$status"
	# 0 = pass, 4 = kselftest skip; 124 = timed out.
	[ "$status" -eq 0 ] || [ "$status" -eq 4 ] || failed=1
done
exit $failed
