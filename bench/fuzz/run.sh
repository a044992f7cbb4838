#!/usr/bin/env bash
# Fuzzes the HTTP request parser (Sources/HTTP) with libFuzzer for a bounded time.
#
#   bench/fuzz/run.sh [seconds=60] [extra libFuzzer flags…]
#
# Builds a standalone fuzz executable with swiftc -sanitize=fuzzer,address straight from Sources/HTTP plus
# FuzzHTTPParser.swift (outside SwiftPM, so Package.swift stays untouched). HTTP imports Core for one helper
# (JSONString); the copy here drops that import and takes JSONString's source from Sources/Core/Logger.swift.
# The committed seed corpus (bench/fuzz/corpus) is read-only input; new inputs go to a temp folder, crashes to
# bench/fuzz/findings/. Prints libFuzzer's final statistics (executions, coverage).
set -euo pipefail
SECONDS_TO_RUN=${1:-60}
shift || true
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basar-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/src" "$WORK/corpus" "$HERE/findings"
for file in "$ROOT"/Sources/HTTP/*.swift; do
  grep -v '^import Core$' "$file" >"$WORK/src/$(basename "$file")"
done
# JSONString: from its doc comment to the end of Logger.swift.
awk '/^\/\/\/ Escapes a string as a JSON string literal/ {found=1} found' "$ROOT/Sources/Core/Logger.swift" >"$WORK/src/JSONString.swift"
grep -q 'enum JSONString' "$WORK/src/JSONString.swift" || { echo "fuzz: JSONString not found in Logger.swift" >&2; exit 1; }
cp "$HERE/FuzzHTTPParser.swift" "$WORK/src/"

echo "fuzz: building (swiftc -O -sanitize=fuzzer,address)…" >&2
swiftc -O -g -parse-as-library -module-name HTTPFuzz -package-name basar -sanitize=fuzzer,address \
  "$WORK"/src/*.swift -o "$WORK/fuzz-http" >"$WORK/build.log" 2>&1 || { grep -v 'ld.gold: warning' "$WORK/build.log" >&2; exit 1; }

echo "fuzz: running for ${SECONDS_TO_RUN} s" >&2
# -timeout: one input taking over 10 s is a hang; -rss_limit_mb: memory must stay bounded; -max_len covers
# inputs past the small limits (the default limits need larger inputs to hit 413/414/431, the seeds do that).
# Swift's own backtracer would run inside ASan's report and muddy it.
set +e
SWIFT_BACKTRACE=enable=no "$WORK/fuzz-http" "$WORK/corpus" "$HERE/corpus" \
  -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=512 -timeout=10 -max_len=16384 \
  -artifact_prefix="$HERE/findings/" -print_final_stats=1 "$@" >"$WORK/log" 2>&1
status=$?
set -e
grep -E '^#[0-9]+ +(INITED|DONE)|stat::|Fatal error|ERROR|SUMMARY' "$WORK/log" || true
if [ "$status" -ne 0 ]; then
  echo "fuzz: libFuzzer exited $status; the input is in $HERE/findings" >&2
  tail -40 "$WORK/log" >&2
  exit "$status"
fi
echo "fuzz: no crash, hang or memory blow-up in ${SECONDS_TO_RUN} s" >&2
