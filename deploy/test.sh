#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs the whole
# suite (unit, integration, end-to-end) twice: once plain and once under
# AddressSanitizer + UndefinedBehaviorSanitizer. Each ctest run starts
# its own throw-away PostgreSQL and removes it. Exits non-zero on any
# failure and leaves no process behind. Then every libFuzzer target runs
# for a bounded time.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

deploy/deps.sh

cleanup() {
	# Anything a failed test left running: servers from this tree and
	# throw-away clusters.
	pkill -TERM -f "$top/build[^ ]*/server/jobfaird" 2>/dev/null || true
	for f in build/test-pg.env build-asan/test-pg.env; do
		[ -f "$f" ] && tests/integration/pg_fixture.sh stop "$(dirname "$f")" || true
	done
}
trap cleanup EXIT

jobs=$(nproc)
status=0
for variant in plain asan; do
	dir=build
	flags=(-DCMAKE_BUILD_TYPE=Debug -DJOBFAIR_SANITIZE=OFF)
	if [ $variant = asan ]; then
		dir=build-asan
		flags=(-DCMAKE_BUILD_TYPE=Debug -DJOBFAIR_SANITIZE=ON)
	fi
	echo "=== $variant: build ($dir)"
	cmake -S . -B "$dir" "${flags[@]}" >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	echo "=== $variant: ctest"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir "$dir" -j"$jobs" --output-on-failure || status=1
done
echo "=== fuzz: each target for ${FUZZ_SECONDS:-20} s"
tests/fuzz/run.sh || status=1
exit $status
