# Shared helpers for the benchmark scripts: build, start and stop servers, run wrk, and parse its figures.
# Every server started here is stopped by process id on exit, and every run is bounded in time.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basar-bench.XXXXXX")
PIDS=()

cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

build_release() {
  (cd "$ROOT" && swift build -c release --product basar >&2)
  BASAR="$ROOT/.build/release/basar"
}

# start_basar PORT [extra args…]: starts the release server on a fresh database and waits for /healthz.
start_basar() {
  local port=$1; shift
  "$BASAR" serve --port "$port" --db "$WORK/basar-$port.sqlite" --content "$ROOT/Content" --fixtures "$ROOT/Fixtures" \
    --log-level warning "$@" >"$WORK/server-$port.log" 2>&1 &
  PIDS+=($!)
  wait_ready "$port"
}

wait_ready() {
  local port=$1
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server on port $port did not become ready" >&2
  return 1
}

# run_wrk URL [wrk args…]: prints "RPS P50_MS P99_MS" from wrk's --latency output.
run_wrk() {
  local url=$1; shift
  local out
  out=$(wrk --latency "$@" "$url")
  echo "$out" >&2
  python3 - "$out" <<'PY'
import re, sys
text = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def ms(label):
    m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {ms('50'):.2f} {ms('99'):.2f} {errors.group(1) if errors else 0}")
PY
}

median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
