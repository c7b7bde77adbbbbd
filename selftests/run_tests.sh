#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh DIR [TIMEOUT]
#
# Run every executable DIR/*_test, each under a time limit (default 120 s),
# and frame its KTAP output with lines the host-side summary reads:
#
#   qrpc-test-plan: N          (once, before the first program)
#   qrpc-test-begin: NAME
#   ...the test program's own KTAP output...
#   qrpc-test-end: NAME status=N
#
# Plain POSIX sh: it runs on the build host and in the busybox guest.
# Exits 1 if any program failed, else 0.

dir=${1:?usage: run_tests.sh DIR [TIMEOUT]}
limit=${2:-120}
failed=0

# Announce how many programs will run, so that the summary can tell if
# one went missing from the log.
planned=0
for t in "$dir"/*_test; do
	[ -x "$t" ] && planned=$((planned + 1))
done
echo "qrpc-test-plan: $planned"

for t in "$dir"/*_test; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	# Tell the kernel log which test runs, so a splat can be placed; at
	# debug level, so that it stays off the console this output shares.
	[ -w /dev/kmsg ] && echo "<7>qrpc-test: running $name" >/dev/kmsg
	echo "qrpc-test-begin: $name"
	timeout "$limit" "$t" 2>&1
	status=$?
	echo "qrpc-test-end: $name status=$status"
	# 0 = pass, 4 = kselftest skip; 124 = timed out.
	[ "$status" -eq 0 ] || [ "$status" -eq 4 ] || failed=1
done
exit $failed
