#!/usr/bin/env bash
# Server CPU per paid checkout (user and system, from /proc), builds side by side under the same wrk load as
# bench/ab.sh's checkout case (64 funded buyers, two-line orders), rounds alternating. Throughput swings with the
# machine's load; CPU per order swings less, and it shows system time, which callgrind (bench/checkout_ir.sh) does
# not count: the sub-journal writes of savepoints, page reads of a small cache, WAL writes, fsync.
# Usage: bench/checkout_cpu.sh SECONDS ROUNDS BASAR...
#   A build under OLD_ROOT (default: none) reads Content and Fixtures from there, as A_ROOT does in bench/ab.sh.
source "$(dirname "$0")/lib.sh"
SECS=${1:?seconds}; ROUNDS=${2:?rounds}; shift 2
BINS=("$@")
declare -a CPORTS CPIDS
for i in "${!BINS[@]}"; do
  BASAR=$(realpath "${BINS[$i]}"); BASAR_ROOT=$ROOT
  if [ -n "${OLD_ROOT:-}" ] && [[ "$BASAR" == "$(realpath "$OLD_ROOT")"/* ]]; then BASAR_ROOT=$OLD_ROOT; fi
  checkout_shop "cpu-$i"
  CPORTS[$i]=$SHOP_PORT; CPIDS[$i]=$LAST_PID
done
ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }
echo "| round | build | checkouts/s | user µs/order | system µs/order |"
echo "|---:|---|---:|---:|---:|"
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!BINS[@]}"; do
    pid=${CPIDS[$i]}
    read -r u0 s0 < <(ticks "$pid")
    out=$(timeout $((SECS + 30)) wrk -t2 -c64 -d"${SECS}s" --timeout 5s -s "$BENCH/lua/checkout.lua" \
      "http://127.0.0.1:${CPORTS[$i]}" -- "$WORK/buyers-cpu-$i.lua" 2)
    wait_idle "$pid"   # the consumers finish the last orders' work after wrk stops; it counts
    read -r u1 s1 < <(ticks "$pid")
    n=$(awk '/requests in/ {print $1}' <<<"$out"); rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    python3 -c 'import sys; u, s, n, hz = map(float, sys.argv[3:7]); print(f"| {sys.argv[1]} | {sys.argv[2]} | {float(sys.argv[7]):,.0f} | {1e6 * u / hz / n:.0f} | {1e6 * s / hz / n:.0f} |")' \
      "$round" "${BINS[$i]}" $((u1 - u0)) $((s1 - s0)) "$n" "$(getconf CLK_TCK)" "$rps"
  done
done
