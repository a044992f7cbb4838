#!/usr/bin/env bash
# The feedback report (issue 19) over ORDERS orders and ANSWERS NPS/CSAT/CES answers: `basar feedback report
# --json` on a database written by bench/tools/feedback_data.py, timed over RUNS runs (target: under 2 s).
# Usage: bench/feedback.sh [orders (default 1000000)] [answers (default 100000)] [runs (default 3)]
source "$(dirname "$0")/lib.sh"
ORDERS=${1:-1000000}
ANSWERS=${2:-100000}
RUNS=${3:-3}
build_release
DB="$WORK/feedback.sqlite"
PORT=$(free_port); start_basar "$PORT" "$DB"; stop_pid "$LAST_PID"   # creates and migrates the database
python3 "$BENCH/tools/feedback_data.py" "$DB" "$ORDERS" "$ANSWERS"
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  "$BASAR" feedback report --json --db "$DB" --content "$ROOT/Content" >"$WORK/report.json"
  end=$(date +%s.%N)
  echo "run $run: $(python3 -c "print(round(($end - $start) * 1000))") ms"
done
head -c 600 "$WORK/report.json"; echo
