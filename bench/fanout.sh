#!/usr/bin/env bash
# "A host is live" to many followers (issues 16 and 17): the host starts a session; the host_live signal sends an
# inbox item to every follower through the one send path (pages of 500 followers per scheduler job). Measures the
# time from the start request to the last of FOLLOWERS inbox items being committed, and to the last of STREAMS open
# account event streams (GET /v1/me/events) receiving its inbox.created.
# Followers and their tokens are written straight into the database (signing up 100,000 accounts would measure
# password hashing); the streams are held by bench/tools/fanout_streams.py (asyncio, one thread).
# Usage: bench/fanout.sh [followers (default 100000)] [streams (default 10000)]
#   STREAM_SPREAD=1 puts the streams on every (followers/streams)-th follower instead of the first ones in page order.
source "$(dirname "$0")/lib.sh"
FOLLOWERS=${1:-100000}
STREAMS=${2:-10000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
build_release
DB="$WORK/fanout.sqlite"
PORT=$(free_port); start_basar "$PORT" "$DB"; SERVER=$LAST_PID
HOST=$(staff "$PORT" "$DB" host@bench.test host)
HOST_ID=$(api GET "http://127.0.0.1:$PORT/v1/me" "" "$HOST" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
stop_pid "$SERVER"
python3 "$BENCH/tools/fanout_streams.py" seed "$DB" "$HOST_ID" "$FOLLOWERS" "$STREAMS" "$WORK/tokens.txt"
PORT=$(free_port); start_basar "$PORT" "$DB"; SERVER=$LAST_PID
SESSION=$(api POST "http://127.0.0.1:$PORT/v1/live-sessions" '{"title":"Teestunde","description":"Bench"}' "$HOST" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
timeout 300 python3 "$BENCH/tools/fanout_streams.py" run "$PORT" "$DB" "$HOST" "$SESSION" "$FOLLOWERS" "$WORK/tokens.txt" \
  | tee "$WORK/fanout.json"
stop_pid "$SERVER"
