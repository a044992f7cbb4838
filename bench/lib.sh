# Shared helpers for the benchmark scripts: build, start and stop servers, wait for a quiet machine, run wrk,
# record every round and print medians and ratios.
#
# Every process started here is stopped by process id on exit (trap), every run is bounded in time, and a
# watchdog ends the whole script after BENCH_TIME_LIMIT seconds (default 1800).
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basar-bench.XXXXXX")
PIDS=()
# Release builds live in their own scratch paths so that a benchmark never waits on another build's lock.
SCRATCH="${BASAR_SCRATCH:-$ROOT/.build-bench}"
PEER_DIR="$BENCH/peers/hummingbird"
RESULTS="$WORK/results.tsv"   # contender, case, round, rps, p50_ms, p99_ms, errors, load1
: >"$RESULTS"
LOADED_ROUNDS=0

cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The watchdog: a sleeping child that ends this script (and so, through the trap, everything it started). Its
# output goes nowhere and it kills its own sleep when stopped: a leftover sleep holding this script's stdout would
# keep a pipe such as `bench/http.sh | tee` open for the rest of the time limit.
watchdog() {
  sleep "$1" &
  local sleeper=$!
  trap 'kill $sleeper 2>/dev/null; exit 0' TERM
  wait "$sleeper" || return 0
  kill -TERM "$2"
}
( watchdog "${BENCH_TIME_LIMIT:-1800}" $$ ) </dev/null >/dev/null 2>&1 &
PIDS+=($!)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

load1() { cut -d' ' -f1 /proc/loadavg; }

# wait_quiet: waits (up to QUIET_TRIES × 20 s) until the 1-minute load average is below 1.0, so that figures are
# not taken while others compile. Goes on anyway after that and counts the round as taken under load.
wait_quiet() {
  local tries=${QUIET_TRIES:-15} i
  for ((i = 0; i < tries; i++)); do
    if python3 -c "import sys; sys.exit(0 if float('$(load1)') < 1.0 else 1)"; then return 0; fi
    echo "bench: load average $(load1), waiting for a quiet machine…" >&2
    sleep 20
  done
  echo "bench: still busy (load $(load1)); measuring anyway, marked as under load" >&2
  LOADED_ROUNDS=$((LOADED_ROUNDS + 1))
}

# BENCH_SKIP_BUILD=1 uses the binaries already built (handy while others are mid-edit in Sources/).
build_release() {
  BASAR="$SCRATCH/release/basar"
  [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && [ -x "$BASAR" ] && return 0
  (cd "$ROOT" && swift build -c release --product basar --scratch-path "$SCRATCH" >&2)
}

build_peer() {
  PEER="$PEER_DIR/.build/release/HummingbirdPeer"
  [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && [ -x "$PEER" ] && return 0
  swift build -c release --package-path "$PEER_DIR/HummingbirdPeer" --scratch-path "$PEER_DIR/.build" >&2
}

# start_basar PORT DB [extra args…]: starts the release server and waits for /healthz; CONTENT=DIR serves another
# Content folder (bench/signals_checkout.sh: one without signal rules).
start_basar() {
  local port=$1 db=$2; shift 2
  # /bench/* exist only with --bench-routes; builds from before that flag serve them always (bench/ab.sh).
  local bench_routes=()
  "$BASAR" serve --help 2>/dev/null | grep -q -- --bench-routes && bench_routes=(--bench-routes)
  "$BASAR" serve --port "$port" --db "$db" --content "${CONTENT:-${BASAR_ROOT:-$ROOT}/Content}" --fixtures "${BASAR_ROOT:-$ROOT}/Fixtures" \
    --log-level warning "${bench_routes[@]}" "$@" >"$WORK/server-$port.log" 2>&1 &
  PIDS+=($!)
  LAST_PID=$!
  wait_ready "$port" /healthz
}

# start_peer PORT [PRODUCTS]: the Hummingbird 2 reference server.
start_peer() {
  "$PEER" "$1" "${2:-10000}" >"$WORK/peer-$1.log" 2>&1 &
  PIDS+=($!)
  LAST_PID=$!
  wait_ready "$1" /bench/plaintext
}

# start_nginx PORT: nginx in the foreground serving a 13-byte static file, the loopback ceiling.
start_nginx() {
  local port=$1 dir="$WORK/nginx-$1"
  mkdir -p "$dir/www" "$dir/tmp"
  printf 'Hello, World!' >"$dir/www/plaintext"
  chmod 755 "$WORK" "$dir" "$dir/www" && chmod 644 "$dir/www/plaintext"   # workers run as an unprivileged user
  cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    location = /bench/plaintext { default_type text/plain; try_files /plaintext =404; }
  }
}
EOF
  nginx -c "$dir/nginx.conf" -p "$dir" &
  PIDS+=($!)
  LAST_PID=$!
  wait_ready "$port" /bench/plaintext
}

# stop_pid PID: stops one process this script started, waits for it and forgets it.
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() pid
  for pid in "${PIDS[@]}"; do [ "$pid" != "$1" ] && kept+=("$pid"); done
  PIDS=("${kept[@]}")
}

# need_open_files N: raises the soft limit of open files to the hard one and exits (2) if it stays below N. The
# server (which inherits the limit) and a load tool each hold one socket per event stream.
need_open_files() {
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$1" ]; then
    echo "ulimit -n is $(ulimit -n) (hard limit $(ulimit -Hn)): fewer than the $1 open files needed" >&2
    exit 2
  fi
}

# rss_kib PID: resident memory of a process, from /proc.
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# api METHOD URL [JSON] [TOKEN]: one API call with curl; prints the body, fails on a status ≥ 400.
api() {
  local args=(-fsS -X "$1" "$2" -H 'Content-Type: application/json')
  [ -n "${3:-}" ] && args+=(--data "$3")
  [ -n "${4:-}" ] && args+=(-H "Authorization: Bearer $4")
  curl "${args[@]}"
}

# sign_up PORT EMAIL: creates an account and prints its token.
sign_up() {
  api POST "http://127.0.0.1:$1/v1/accounts" \
    "{\"email\":\"$2\",\"password\":\"bench-password-123\",\"display_name\":\"Bench\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# staff PORT DB EMAIL ROLE…: signs up an account, grants it each role with the CLI, prints its token.
staff() {
  local port=$1 db=$2 email=$3 token role; shift 3
  token=$(sign_up "$port" "$email")
  for role in "$@"; do "$BASAR" accounts grant "$email" "$role" --db "$db" >/dev/null; done
  echo "$token"
}

# seed_catalog PORT DB N IDS_LUA: creates N products through the API as a merchant and writes their ids as the
# Lua table that bench/lua/ids.lua reads.
seed_catalog() {
  local token
  token=$(staff "$1" "$2" merchant@bench.test merchant)
  timeout 600 python3 "$BENCH/tools/catalog.py" api "$3" "http://127.0.0.1:$1" "$token" "$WORK/ids.txt"
  python3 "$BENCH/tools/catalog.py" lua-ids "$WORK/ids.txt" "$4"
}

# checkout_shop NAME: starts $BASAR on a database of its own (NAME.sqlite), seeds it as bench/ab.sh's checkout case
# does (1,000 products, 64 funded buyers for two-line orders, in $WORK/buyers-NAME.lua) and warms it up with 2 s of
# checkouts; sets SHOP_PORT, and LAST_PID as start_basar does.
checkout_shop() {
  local db="$WORK/$1.sqlite" token
  SHOP_PORT=$(free_port); start_basar "$SHOP_PORT" "$db"
  token=$(staff "$SHOP_PORT" "$db" "merchant-$1@bench.test" merchant)
  timeout 600 python3 "$BENCH/tools/buyers.py" "http://127.0.0.1:$SHOP_PORT" "$token" 1000 64 2 "$WORK/buyers-$1.lua"
  timeout 30 wrk -t2 -c64 -d2s -s "$BENCH/lua/checkout.lua" "http://127.0.0.1:$SHOP_PORT" -- "$WORK/buyers-$1.lua" 2 >/dev/null
}

# wait_idle PID: returns once the process used under a tenth of a core for two seconds in a row (its consumers caught
# up with the last requests; under valgrind the idle polls of the dispatcher and the followers still cost a few ticks
# a second), at most 300 s.
wait_idle() {
  local pid=$1 last now still=0 hz; hz=$(getconf CLK_TCK)
  last=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  for _ in $(seq 1 300); do
    sleep 1
    now=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    if [ $((now - last)) -lt $((hz / 10)) ]; then still=$((still + 1)); [ "$still" -ge 2 ] && return 0; else still=0; fi
    last=$now
  done
}

wait_ready() {
  local port=$1 path=${2:-/healthz}
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$port$path" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server on port $port did not become ready" >&2
  return 1
}

# run_wrk URL [wrk args…]: prints "RPS P50_MS P99_MS ERRORS" from wrk's --latency output
# (ERRORS = non-2xx/3xx answers + socket errors).
run_wrk() {
  local url=$1; shift
  local out opts=() script_args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift && script_args=(-- "$@")
  out=$(timeout 300 wrk --latency "${opts[@]}" "$url" "${script_args[@]}")
  echo "$out" >"$WORK/last-wrk.txt"
  python3 - "$out" <<'PY'
import re, sys
text = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def ms(label):
    m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
bad = (int(errors.group(1)) if errors else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
print(f"{rps:.0f} {ms('50'):.3f} {ms('99'):.3f} {bad}")
PY
}

# warm_up IDS_LUA PORT…: two seconds of product reads (bench/lua/ids.lua) on each server before anything is measured.
warm_up() {
  local ids=$1 port; shift
  for port in "$@"; do
    timeout 30 wrk -t2 -c64 -d2s -s "$BENCH/lua/ids.lua" "http://127.0.0.1:$port" -- "$ids" >/dev/null
  done
}

# ab_rounds PORT_A PORT_B CASES: ROUNDS rounds of build A ("before") then build B ("basar", which report() puts
# over every other contender); `CASES SIDE ROUND URL` measures one side's cases.
ab_rounds() {
  local pa=$1 pb=$2 cases=$3 round side
  for round in $(seq 1 "$ROUNDS"); do
    for side in before basar; do
      if [ "$side" = before ]; then "$cases" "$side" "$round" "http://127.0.0.1:$pa"; else "$cases" "$side" "$round" "http://127.0.0.1:$pb"; fi
    done
  done
}

# measure CONTENDER CASE ROUND URL [wrk args…]: waits for a quiet machine, runs wrk, records the round.
measure() {
  local contender=$1 case=$2 round=$3 url=$4; shift 4
  wait_quiet
  local load; load=$(load1)
  local r a b e
  read -r r a b e < <(run_wrk "$url" "$@")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$contender" "$case" "$round" "$r" "$a" "$b" "$e" "$load" >>"$RESULTS"
  printf '  round %s %-12s %-22s %8s rps  p50 %7s ms  p99 %7s ms  errors %s  (load %s)\n' \
    "$round" "$contender" "$case" "$r" "$a" "$b" "$e" "$load" >&2
}

# record CONTENDER CASE ROUND RPS [P50 P99 ERRORS]: records a figure measured by another tool.
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:--}" "${6:--}" "${7:-0}" "$(load1)" >>"$RESULTS"
  printf '  round %s %-12s %-22s %8s /s\n' "$3" "$1" "$2" "$4" >&2
}

# report BASELINE…: the table of medians per case and contender, with rps ratios of Basar against each other
# contender (a ratio > 1 means Basar serves more).
report() {
  python3 - "$RESULTS" "$LOADED_ROUNDS" "$@" <<'PY'
import collections, statistics, sys
path, loaded = sys.argv[1], int(sys.argv[2])
rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
data = collections.OrderedDict()
for contender, case, rnd, rps, p50, p99, err, load in rows:
    data.setdefault(case, collections.OrderedDict()).setdefault(contender, []).append((rps, p50, p99, err, load))
def med(values):
    nums = [float(v) for v in values if v not in ("-", "")]
    return statistics.median(nums) if nums else None
def fmt(v, digits=0):
    return "-" if v is None else f"{v:,.{digits}f}"
print()
print("| case | contender | rounds | rate/s (median) | p50 ms | p99 ms | errors | vs Basar |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for case, by in data.items():
    for contender, runs in by.items():
        # "-full" contenders (synchronous=FULL) compare with Basar's own FULL run.
        base_name = "basar-full" if contender.endswith("-full") and "basar-full" in by else "basar"
        base = med(r[0] for r in by.get(base_name, []))
        rps = med(r[0] for r in runs)
        ratio = "" if contender.startswith("basar") or base is None or not rps else f"{base_name} = {base / rps:.2f}×"
        print(f"| {case} | {contender} | {len(runs)} | {fmt(rps)} | {fmt(med(r[1] for r in runs), 2)} | "
              f"{fmt(med(r[2] for r in runs), 2)} | {sum(int(r[3]) for r in runs)} | {ratio} |")
loads = [float(r[7]) for r in rows]
print()
print(f"load average (1 min) at the start of the rounds: min {min(loads):.2f}, max {max(loads):.2f}"
      + (f"; {loaded} round(s) measured with load ≥ 1.0" if loaded else "; every round started below 1.0"))
PY
}
