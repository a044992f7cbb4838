#!/usr/bin/env bash
# Flash sale (issue 7): BUYERS connections buy one of UNITS flash units at the same moment. Target: exactly UNITS
# sold, every buyer answered within 1 s. Usage: bench/flash.sh [buyers (default 2000)] [units (default 100)]
source "$(dirname "$0")/lib.sh"
BUYERS=${1:-2000}
UNITS=${2:-100}
build_release
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
PORT=$(free_port)
DB="$WORK/flash.sqlite"
start_basar "$PORT" "$DB"
host=$(staff "$PORT" "$DB" host@bench.test host)
merchant=$(staff "$PORT" "$DB" merchant@bench.test merchant)
echo "load average before: $(cut -d' ' -f1 /proc/loadavg)"
timeout 600 python3 "$BENCH/tools/flash.py" "http://127.0.0.1:$PORT" "$BUYERS" "$host" "$merchant" "$UNITS"
"$BASAR" check --db "$DB" | sed 's/^/check: /'
