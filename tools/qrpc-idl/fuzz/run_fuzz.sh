#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bounded libFuzzer runs of qrpc-idl's targets, reported as KTAP tests so
# that the unit-test runner counts them: idl_fuzz (the compiler),
# idl_cache_fuzz (the preprocessor cache's reader) and idl_cpp_lite_fuzz
# (the in-process preprocessor, compared with cpp).  QRPC_FUZZ_SECONDS
# sets the time of each (default 10); crashes are kept next to the
# fuzzers as crash-*, the corpora grow in NAME-corpus/.
dir=$(dirname "$0")
seconds=${QRPC_FUZZ_SECONDS:-10}
echo "TAP version 13"
echo "1..3"
failed=0
n=0
for f in idl_fuzz idl_cache_fuzz idl_cpp_lite_fuzz; do
	n=$((n + 1))
	corpus=$dir/${f%_fuzz}-fuzz-corpus
	mkdir -p "$corpus"
	if "$dir/$f" -max_total_time="$seconds" -timeout=10 \
		-artifact_prefix="$dir/" "$corpus" >"$dir/$f.log" 2>&1; then
		echo "# $(grep 'DONE' "$dir/$f.log" | tail -n 1)"
		echo "ok $n $f ${seconds}s"
	else
		tail -n 30 "$dir/$f.log" | sed 's/^/# /'
		echo "not ok $n $f"
		failed=1
	fi
done
exit $failed
