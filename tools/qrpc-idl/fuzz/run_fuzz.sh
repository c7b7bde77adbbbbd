#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A bounded libFuzzer run of the IDL front end, reported as one KTAP test
# so that the unit-test runner counts it.  QRPC_FUZZ_SECONDS sets the time
# (default 10); crashes are kept next to the fuzzer as crash-*.
dir=$(dirname "$0")
seconds=${QRPC_FUZZ_SECONDS:-10}
mkdir -p "$dir/idl-fuzz-corpus"
echo "TAP version 13"
echo "1..1"
if "$dir/idl_fuzz" -max_total_time="$seconds" -timeout=10 \
	-artifact_prefix="$dir/" "$dir/idl-fuzz-corpus" \
	>"$dir/idl_fuzz.log" 2>&1; then
	echo "# $(grep 'DONE' "$dir/idl_fuzz.log" | tail -n 1)"
	echo "ok 1 idl_fuzz ${seconds}s"
	exit 0
fi
tail -n 30 "$dir/idl_fuzz.log" | sed 's/^/# /'
echo "not ok 1 idl_fuzz"
exit 1
