#!/usr/bin/env bash
# Property-based API tests generated from Content/openapi.json with schemathesis (PyPI), against a running
# `basar serve --demo` on a temp database.
#
#   bench/schemathesis.sh [max-seconds=180] [max-examples=25] [extra st run flags…]
#
# Checks: not_a_server_error (no 5xx), response_schema_conformance, status_code_conformance,
# content_type_conformance. Requests carry the demo admin's token (admin passes every role check, so every
# operation is reachable). Left out: DELETE /v1/sessions/current (it would log the run's own token out) and the
# event stream (it never ends). bench/schemathesis.toml leaves TRACE/OPTIONS/QUERY out of the method probes
# (they answer 501 by contract). schemathesis lives in a virtualenv under the temp folder; BASAR_BIN reuses a built
# `basar` (default: a debug build in .build-reliability). JUnit reports go to $ST_REPORT_DIR (default /tmp/basar-schemathesis-report).
set -euo pipefail
MAX_TIME=${1:-180}
MAX_EXAMPLES=${2:-25}
shift 2 || shift $# || true
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basar-st.XXXXXX")
VENV=${ST_VENV:-${TMPDIR:-/tmp}/basar-schemathesis-venv}
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q schemathesis
fi
if [ -z "${BASAR_BIN:-}" ]; then
  (cd "$ROOT" && swift build --product basar --scratch-path .build-reliability >&2)
  BASAR_BIN="$ROOT/.build-reliability/debug/basar"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
(cd "$ROOT" && exec "$BASAR_BIN" serve --demo --port "$PORT" --db "$WORK/basar.sqlite" --log-level error) &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.1
done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/v1/sessions" -H 'Content-Type: application/json' \
  -d '{"email": "admin@basar.test", "password": "basar-admin-pass"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

REPORT_DIR=${ST_REPORT_DIR:-${TMPDIR:-/tmp}/basar-schemathesis-report}
mkdir -p "$REPORT_DIR"
set +e
cd "$WORK"  # schemathesis keeps a .schemathesis cache in the working directory
"$VENV/bin/st" --config-file "$ROOT/bench/schemathesis.toml" run "$ROOT/Content/openapi.json" --url "http://127.0.0.1:$PORT" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --exclude-path /v1/sessions/current --exclude-path-regex '.*/events$' \
  --max-examples "$MAX_EXAMPLES" --max-time "$MAX_TIME" --workers 2 --request-timeout 10 \
  --phases examples,coverage,fuzzing --continue-on-failure --no-color --seed 8 \
  --report junit --report-dir "$REPORT_DIR" "$@"
status=$?
set -e
kill -0 "$SERVER_PID" 2>/dev/null || { echo "schemathesis: the server died during the run" >&2; exit 1; }
exit "$status"
