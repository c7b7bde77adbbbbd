#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh [--fuzz SECONDS --seed N] DIR [TIMEOUT]
#
# Run every executable DIR/*_test, each under a time limit (default 120 s),
# then, with --fuzz, the raw ABI fuzzer DIR/abi_fuzz for SECONDS with seed
# N (under a limit of SECONDS + 300 s), and frame each program's KTAP
# output with lines the host-side summary reads:
#
#   qrpc-test-plan: N          (once, before the first program)
#   qrpc-test-begin: NAME
#   ...the test program's own KTAP output...
#   qrpc-test-end: NAME status=N
#
# Plain POSIX sh: it runs on the build host and in the busybox guest.
# Exits 1 if any program failed, else 0.

usage='usage: run_tests.sh [--fuzz SECONDS --seed N] DIR [TIMEOUT]'
fuzz_seconds=0
fuzz_seed=
while [ $# -gt 0 ]; do
	case $1 in
	--fuzz) fuzz_seconds=${2:?$usage}; shift 2 ;;
	--seed) fuzz_seed=${2:?$usage}; shift 2 ;;
	*) break ;;
	esac
done
dir=${1:?$usage}
limit=${2:-120}
failed=0
if [ "$fuzz_seconds" -gt 0 ] && [ -z "$fuzz_seed" ]; then
	echo "run_tests.sh: --fuzz needs --seed" >&2
	exit 2
fi

# Announce how many programs will run, so that the summary can tell if
# one went missing from the log.
planned=0
for t in "$dir"/*_test; do
	[ -x "$t" ] && planned=$((planned + 1))
done
[ "$fuzz_seconds" -eq 0 ] || planned=$((planned + 1))
echo "qrpc-test-plan: $planned"

# run_one NAME LIMIT COMMAND...
run_one() {
	name=$1
	lim=$2
	shift 2
	# Tell the kernel log which test runs, so a splat can be placed; at
	# debug level, so that it stays off the console this output shares.
	[ -w /dev/kmsg ] && echo "<7>qrpc-test: running $name" >/dev/kmsg
	echo "qrpc-test-begin: $name"
	timeout "$lim" "$@" 2>&1
	status=$?
	echo "qrpc-test-end: $name status=$status"
	# 0 = pass, 4 = kselftest skip; 124 = timed out.
	[ "$status" -eq 0 ] || [ "$status" -eq 4 ] || failed=1
}

for t in "$dir"/*_test; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" "$limit" "$t"
done
# Last, so that whatever the fuzzer leaves in the kernel cannot fail a
# test; the module's removal and the leak scan afterwards still see it.
if [ "$fuzz_seconds" -gt 0 ]; then
	run_one abi_fuzz $((fuzz_seconds + 300)) "$dir/abi_fuzz" \
		--seed "$fuzz_seed" --seconds "$fuzz_seconds"
fi
exit $failed
