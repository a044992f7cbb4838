#!/usr/bin/env bash
# CPU instructions per request on the hot paths, counted by valgrind's callgrind (stable on a noisy machine):
# Basar's release binary and the Hummingbird peer each run under callgrind; for every endpoint the counters are
# zeroed after a warm-up, N requests are sent one by one on a keep-alive connection, and the dump's total of
# instructions (Ir, every thread of the server) is divided by N. Also writes the top functions per endpoint.
# Usage: bench/callgrind.sh [requests per endpoint (default 2000)] [output dir (default $TMPDIR/basar-callgrind)]
source "$(dirname "$0")/lib.sh"
N=${1:-2000}
OUT=${2:-${TMPDIR:-/tmp}/basar-callgrind}
rm -rf "$OUT"; mkdir -p "$OUT"
build_release
build_peer
ECHO='{"name":"Frischer Käse von Alpenhof","quantity":3,"price_cents":1299,"tags":["bio","käse","alpen"],"gift":false}'

# A database with one product, prepared natively (password hashing under valgrind would take long).
P=$(free_port); start_basar "$P" "$WORK/cg.sqlite"
TOKEN=$(staff "$P" "$WORK/cg.sqlite" merchant@bench.test merchant)
PRODUCT=$(api POST "http://127.0.0.1:$P/v1/products" "$(python3 -c 'import json,sys; sys.path.insert(0, "'"$BENCH"'/tools"); import catalog; print(json.dumps(catalog.product(4711)))')" "$TOKEN" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
stop_pid "$LAST_PID"

# valgrind 3.19 reads neither the DWARF 5 of today's Swift toolchain (the peer) nor survives libdispatch's
# sigsuspend on a read-only mask (both): run copies without debug info (symbols kept) and preload a sigsuspend
# that passes a writable copy (bench/tools/sigsuspend-shim.c).
cc -O2 -shared -fPIC -o "$WORK/sigsuspend-shim.so" "$BENCH/tools/sigsuspend-shim.c"
strip -g -o "$WORK/basar" "$BASAR"
strip -g -o "$WORK/peer" "$PEER"

run_under_callgrind() {   # NAME PORT COMMAND…
  local name=$1 port=$2; shift 2
  LD_PRELOAD="$WORK/sigsuspend-shim.so" valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.%p.out" "$@" >"$WORK/$name-valgrind.log" 2>&1 &
  PIDS+=($!); VG=$!
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$port/bench/plaintext" 2>/dev/null && return 0; sleep 0.2; done
  echo "$name did not start under valgrind" >&2; return 1
}

count() {   # CONTENDER ENDPOINT PORT METHOD PATH [BODY]
  local contender=$1 endpoint=$2 port=$3; shift 3
  timeout 600 python3 "$BENCH/tools/requests.py" "$port" "$1" "$2" 200 "${3:-}"     # warm-up
  callgrind_control --zero "$VG" >/dev/null 2>&1
  timeout 900 python3 "$BENCH/tools/requests.py" "$port" "$1" "$2" "$N" "${3:-}"
  callgrind_control --dump="$contender-$endpoint" "$VG" >/dev/null 2>&1
  sleep 1
  local dump; dump=$(ls -t "$OUT/$contender".*.out.* 2>/dev/null | head -1)
  local total; total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
  callgrind_annotate --inclusive=no "$dump" 2>/dev/null | sed -n '/file:function/,$p' | head -45 |
    swift demangle --simplified --compact >"$OUT/top-$contender-$endpoint.txt"
  mv "$dump" "$OUT/$contender-$endpoint.callgrind"
  echo -e "$contender\t$endpoint\t$((total / N))" >>"$WORK/ir.tsv"
  printf '  %-12s %-14s %12s instructions per request\n' "$contender" "$endpoint" "$((total / N))" >&2
}

: >"$WORK/ir.tsv"
BP=$(free_port)
run_under_callgrind basar "$BP" "$WORK/basar" serve --port "$BP" --db "$WORK/cg.sqlite" --content "$ROOT/Content" --log-level warning --bench-routes
count basar plaintext "$BP" GET /bench/plaintext
count basar json "$BP" GET /bench/json
count basar echo "$BP" POST /bench/echo "$ECHO"
count basar product-by-id "$BP" GET "/v1/products/$PRODUCT"
count basar search "$BP" GET "/v1/products?q=kase&limit=20"
stop_pid "$VG"
HP=$(free_port)
run_under_callgrind hummingbird "$HP" "$WORK/peer" "$HP" 10000
count hummingbird plaintext "$HP" GET /bench/plaintext
count hummingbird json "$HP" GET /bench/json
count hummingbird echo "$HP" POST /bench/echo "$ECHO"
count hummingbird product-by-id "$HP" GET /v1/products/prd_B000000000004711
stop_pid "$VG"

python3 - "$WORK/ir.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
ir = {(c, e): int(v) for c, e, v in rows}
print("\n| endpoint | Basar instructions/request | Hummingbird instructions/request | Basar ÷ Hummingbird |")
print("|---|---:|---:|---:|")
for e in dict.fromkeys(e for _, e, _ in rows):
    b, h = ir.get(("basar", e)), ir.get(("hummingbird", e))
    print(f"| {e} | {b:,} | {f'{h:,}' if h else '-'} | {f'{b / h:.2f}' if b and h else '-'} |")
PY
echo "top functions per endpoint: $OUT/top-*.txt; full dumps: $OUT/*.callgrind (callgrind_annotate FILE)"
