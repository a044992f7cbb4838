#!/usr/bin/env bash
# CPU instructions per paid checkout, two builds side by side, counted by valgrind's callgrind: stable on a noisy
# machine, where throughput figures of checkout (bench/ab.sh) swing with the load. Every thread of the server is
# counted, so the consumers' work an order causes (inbox item, counts, recommendations) is in the figure: after the
# orders the count goes on until the server's CPU time stops moving. Kernel work (WAL writes, fsync) is not counted.
# Usage: bench/checkout_ir.sh BASAR_A BASAR_B [orders (default 300)]
#   A reads Content and Fixtures from A_ROOT (default: this tree), as in bench/ab.sh.
source "$(dirname "$0")/lib.sh"
A=$(realpath "$1"); B=$(realpath "$2")
N=${3:-300}
OUT=${CALLGRIND_OUT:-${TMPDIR:-/tmp}/basar-checkout-ir}
rm -rf "$OUT"; mkdir -p "$OUT"
cc -O2 -shared -fPIC -o "$WORK/sigsuspend-shim.so" "$BENCH/tools/sigsuspend-shim.c"

measure_build() {   # NAME BINARY ROOT
  local name=$1 root=$3 port db token buyer products body
  BASAR=$2; BASAR_ROOT=$root
  db="$WORK/$name.sqlite"; port=$(free_port)
  start_basar "$port" "$db"
  token=$(staff "$port" "$db" "merchant-$name@bench.test" merchant)
  products=$(for i in 1 2; do
    api POST "http://127.0.0.1:$port/v1/products" \
      "{\"sku\":\"IR-$i\",\"title\":\"Teekanne $i\",\"price_cents\":$((100 + i)),\"stock\":100000,\"category\":\"kueche\"}" "$token" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
  done)
  buyer=$(sign_up "$port" "buyer-$name@bench.test")
  for k in $(seq 1 $(( (N + 50) * 203 / 100000 + 1 ))); do
    curl -fsS -o /dev/null -X POST "http://127.0.0.1:$port/v1/wallet/top-ups" -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $buyer" -H "Idempotency-Key: top-up-$k" --data '{"amount_cents":100000,"method":"sandbox"}'
  done
  stop_pid "$LAST_PID"
  body=$(python3 -c 'import json,sys; print(json.dumps({"items": [{"product_id": p, "quantity": 1} for p in sys.argv[1:]]}))' $products)

  LD_PRELOAD="$WORK/sigsuspend-shim.so" valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.%p.out" \
    "$BASAR" serve --port "$port" --db "$db" --content "$root/Content" --fixtures "$root/Fixtures" --log-level warning \
    >"$WORK/$name-valgrind.log" 2>&1 &
  PIDS+=($!); local vg=$!
  wait_ready "$port" /healthz
  timeout 600 python3 "$BENCH/tools/requests.py" "$port" POST /v1/orders 50 "$body" "$buyer" 201
  wait_idle "$vg"
  callgrind_control --zero "$vg" >/dev/null 2>&1
  timeout 1200 python3 "$BENCH/tools/requests.py" "$port" POST /v1/orders "$N" "$body" "$buyer" 201
  wait_idle "$vg"
  callgrind_control --dump="$name-checkout" "$vg" >/dev/null 2>&1
  sleep 1
  local dump total
  dump=$(ls -t "$OUT/$name".*.out.* 2>/dev/null | head -1)
  total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')   # no early exit: pipefail
  callgrind_annotate --inclusive=no "$dump" 2>/dev/null | sed -n '/file:function/,$p' | head -45 |
    swift demangle --simplified --compact >"$OUT/top-$name.txt" || true   # head closes the pipe early
  callgrind_annotate --inclusive=yes "$dump" 2>/dev/null | sed -n '/file:function/,$p' | head -120 |
    swift demangle --simplified --compact >"$OUT/inclusive-$name.txt" || true
  mv "$dump" "$OUT/$name-checkout.callgrind"
  stop_pid "$vg"
  printf '| %s | %s | %s |\n' "$name" "$((total / N))" "$(sqlite3 "$db" "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") tables" >>"$WORK/ir.md"
}

: >"$WORK/ir.md"
measure_build before "$A" "${A_ROOT:-$ROOT}"
measure_build basar "$B" "$ROOT"
echo "| build | instructions per checkout (all threads, consumers included) | schema |"
echo "|---|---:|---|"
cat "$WORK/ir.md"
echo "top functions: $OUT/top-*.txt, inclusive: $OUT/inclusive-*.txt; dumps: $OUT/*.callgrind"
