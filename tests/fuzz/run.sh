#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz/ and runs each for
# a bounded time (FUZZ_SECONDS, default 20) from its seed corpus. Fails on
# any crash, leak or sanitizer report. See tests/fuzz/README.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
seconds=${FUZZ_SECONDS:-20}
CC=clang cmake -S . -B build-fuzz -DJOBFAIR_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
status=0
for bin in build-fuzz/tests/fuzz/fuzz_*; do
	name=$(basename "$bin")
	corpus=build-fuzz/corpus/${name#fuzz_}
	mkdir -p "$corpus"
	seeds=tests/fuzz/seeds/${name#fuzz_}
	log=build-fuzz/$name.log
	if "$bin" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
		-artifact_prefix=build-fuzz/"$name"- "$corpus" "$seeds" >"$log" 2>&1; then
		stats=$(grep -E '^#[0-9]+.*DONE' "$log" | tail -n 1)
		echo "fuzz $name: ok ${stats:-}"
	else
		echo "fuzz $name: FAILED (see $log)"
		tail -n 30 "$log"
		status=1
	fi
done
exit $status
