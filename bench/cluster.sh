#!/usr/bin/env bash
# Basar scaled out on loopback (issue 25, API.md §23): a throw-away PostgreSQL cluster started as CI starts one
# (initdb + pg_ctl, run as the `postgres` user when this runs as root), 3 Basar nodes on that one database, and nginx
# in front, round-robin over upstream keep-alive connections with SSE-safe proxying.
#
# Usage:
#   bench/cluster.sh [start] [--detach] [--seed] [--vapor]   PostgreSQL + 3 nodes + nginx
#   bench/cluster.sh pg [--detach] [--seed] [--vapor]        PostgreSQL alone (pgbench, Vapor)
#   bench/cluster.sh stop                                              stops a detached cluster, by its PIDs
# Without --detach it prints the URLs and PIDs and stays in the foreground; Ctrl-C (or its time limit,
# BENCH_TIME_LIMIT, default 4 h) stops everything it started. With --detach it writes $CLUSTER_DIR/cluster.env
# (URLs, PIDs) and returns; `bench/cluster.sh stop` reads it.
#   --seed             loads bench/pg/seed.sql (products prd_C…, funded buyers with tokens) once the schema exists
#                      and writes $CLUSTER_DIR/buyers.lua for bench/lua/checkout.lua and bench/lua/ids.lua
#   --vapor            also starts the Vapor + Fluent peer (bench/peers/vapor-pg) on the same database
#
# Environment:
#   DATABASE_URL     an existing database to use instead of starting PostgreSQL; otherwise it is
#                    postgresql://postgres@127.0.0.1:PORT/basar (PG_VIA=tcp, default) or
#                    postgresql://postgres@/basar?host=SOCKETDIR&port=PORT (PG_VIA=socket). The nodes, the Vapor
#                    peer and pgbench all get exactly this URL.
#   CLUSTER_DB=sqlite  nodes on one shared SQLite file instead (a smoke test of nodes + nginx without PostgreSQL)
#   NODES (3), NGINX_PORT (free), NODE_ARGS (extra `basar serve` arguments),
#   PG_SYNCHRONOUS_COMMIT (on), PG_MAX_CONNECTIONS (200), CLUSTER_DIR (/tmp/basar-cluster-$USER),
#   BENCH_SKIP_BUILD=1 (use the binary already built), BASAR (a basar binary to use as it is)
: "${BENCH_TIME_LIMIT:=14400}"
export BENCH_TIME_LIMIT
source "$(dirname "$0")/lib.sh"

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
CLUSTER_DIR=${CLUSTER_DIR:-${TMPDIR:-/tmp}/basar-cluster-$(id -un)}
STATE="$CLUSTER_DIR/cluster.env"
NODES=${NODES:-3}
CLUSTER_DB=${CLUSTER_DB:-postgres}

# --- PostgreSQL ---------------------------------------------------------------------------------------------------

# as_postgres CMD…: initdb and postgres refuse to run as root, so root runs them as the `postgres` user.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres: a new cluster in $CLUSTER_DIR/pg (data and unix socket), on a free loopback port; sets PG_PORT,
# PG_SOCKET_DIR, PG_PID and DATABASE_URL. Tuned for a benchmark box, not for durability tests: fsync stays on and
# synchronous_commit is PG_SYNCHRONOUS_COMMIT (on by default; Basar's SQLite default is synchronous=NORMAL).
start_postgres() {
  local data="$CLUSTER_DIR/pg"
  mkdir -p "$data" && chmod 755 "$CLUSTER_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$data"
  as_postgres "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/initdb.log"
  PG_PORT=${PG_PORT:-$(free_port)}
  PG_SOCKET_DIR=$data
  as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$data/postgres.log" -w -t 60 start -o "-p $PG_PORT \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories='$PG_SOCKET_DIR' \
    -c max_connections=${PG_MAX_CONNECTIONS:-200} -c shared_buffers=256MB \
    -c synchronous_commit=${PG_SYNCHRONOUS_COMMIT:-on} -c max_wal_size=2GB" >/dev/null
  PG_PID=$(head -1 "$data/postmaster.pid")
  as_postgres "$PG_BIN/createdb" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres basar
  if [ "${PG_VIA:-tcp}" = socket ]; then
    DATABASE_URL="postgresql://postgres@/basar?host=$PG_SOCKET_DIR&port=$PG_PORT"
  else
    DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/basar"
  fi
}

# stop_postgres DATA_DIR: pg_ctl signals the postmaster whose PID is in DATA_DIR/postmaster.pid (fast shutdown).
stop_postgres() {
  [ -f "$1/postmaster.pid" ] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$1" -m fast -w -t 60 stop >/dev/null || true
}

# sql ARGS…: psql on DATABASE_URL, stopping at the first error.
sql() { psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }

# --- Basar nodes and nginx ----------------------------------------------------------------------------------------

build_basar() {
  if [ -n "${BASAR:-}" ]; then return 0; fi
  if [ "$CLUSTER_DB" = sqlite ]; then build_release; return; fi
  # The PostgreSQL engine exists only under the package trait, in its own scratch path.
  BASAR="${BASAR_SCRATCH:-$ROOT/.build-bench}-pg/release/basar"
  [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && [ -x "$BASAR" ] && return 0
  (cd "$ROOT" && swift build -c release --product basar --traits PostgreSQL \
    --scratch-path "${BASAR_SCRATCH:-$ROOT/.build-bench}-pg" >&2)
}

# start_nodes: NODES Basar processes on one database (lib.sh's start_basar: logs in $WORK, which is $CLUSTER_DIR
# here). The first one migrates alone before the others start, so that no two nodes race through the migrations.
start_nodes() {
  local db=${DATABASE_URL:-} i port
  [ "$CLUSTER_DB" = sqlite ] && db="$CLUSTER_DIR/basar.sqlite"
  NODE_PORTS=() NODE_PIDS=()
  for ((i = 1; i <= NODES; i++)); do
    port=$(free_port)
    # shellcheck disable=SC2086
    start_basar "$port" "$db" ${NODE_ARGS:-}
    NODE_PORTS+=("$port") NODE_PIDS+=("$LAST_PID")
  done
}

# start_proxy PORT: nginx round-robin over the nodes. SSE-safe: HTTP/1.1 upstream with the client's Connection
# header cleared (so upstream keep-alive works), no response buffering (each event leaves at once), an hour of
# read timeout (streams are idle between events; Basar's heartbeats keep them alive). Non-idempotent requests
# (POST checkouts) are never retried on another node (nginx ≥ 1.9.13 default).
start_proxy() {
  local port=$1 dir="$CLUSTER_DIR/nginx" servers="" p
  mkdir -p "$dir/tmp"
  for p in "${NODE_PORTS[@]}"; do servers+="    server 127.0.0.1:$p max_fails=0;"$'\n'; done
  cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_max_body_size 16m;
  upstream basar {
$servers    keepalive 256;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://basar;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
    }
  }
}
EOF
  nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
  PIDS+=($!)
  NGINX_PID=$!
  wait_ready "$port" /healthz
}

# start_vapor PORT: the Vapor + Fluent peer on DATABASE_URL (built in its own scratch path, .build-peer).
start_vapor() {
  local dir="$BENCH/peers/vapor-pg" peer
  peer="$dir/.build-peer/release/VaporPGPeer"
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -x "$peer" ]; then
    swift build -c release --package-path "$dir" --scratch-path "$dir/.build-peer" >&2
  fi
  DATABASE_URL=$DATABASE_URL "$peer" serve --hostname 127.0.0.1 --port "$1" >"$CLUSTER_DIR/vapor-$1.log" 2>&1 &
  PIDS+=($!)
  VAPOR_PID=$!
  wait_ready "$1" /healthz
}

# --- start, stop --------------------------------------------------------------------------------------------------

stop_cluster() {
  [ -f "$STATE" ] || { echo "no cluster state in $STATE" >&2; return 1; }
  # shellcheck disable=SC1090
  source "$STATE"
  local pid
  for pid in $NGINX_PID $NODE_PIDS ${VAPOR_PID:-}; do kill "$pid" 2>/dev/null || true; done
  for pid in $NGINX_PID $NODE_PIDS ${VAPOR_PID:-}; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  [ -n "${PG_DATA:-}" ] && stop_postgres "$PG_DATA"
  rm -rf "$CLUSTER_DIR"
  echo "stopped: nginx ${NGINX_PID:--}, nodes ${NODE_PIDS:--}, vapor ${VAPOR_PID:--}, postgres ${PG_PID:--}" >&2
}

MODE=start DETACH=0 SEED=0 VAPOR=0
for arg in "$@"; do
  case $arg in
    start | pg | stop) MODE=$arg ;;
    --detach) DETACH=1 ;;
    --seed) SEED=1 ;;
    --vapor) VAPOR=1 ;;
    *) echo "unknown argument $arg (see the header of $0)" >&2; exit 64 ;;
  esac
done
if [ "$MODE" = stop ]; then stop_cluster; exit; fi
if [ -f "$STATE" ]; then echo "a cluster is already running ($STATE); bench/cluster.sh stop first" >&2; exit 1; fi
rm -rf "$CLUSTER_DIR" && mkdir -p "$CLUSTER_DIR"
# lib.sh's helpers log into $WORK: here the cluster's own dir, which outlives this script when detached.
LIB_WORK=$WORK WORK=$CLUSTER_DIR

PG_DATA="" PG_PID="" NGINX_PID="" VAPOR_PID="" VAPOR_PORT="" NODE_PORTS=() NODE_PIDS=() NGINX_PORT=${NGINX_PORT:-}
# Foreground: stop everything on exit (lib.sh's own trap stops the PIDs it knows; this adds PostgreSQL and the dir).
on_exit() {
  WORK=$LIB_WORK
  if [ "$DETACH" = 1 ] && [ -f "$STATE" ]; then
    PIDS=("${PIDS[@]:0:1}")    # the watchdog only; the cluster lives on until `stop`
    cleanup
  else
    cleanup
    [ -n "$PG_DATA" ] && stop_postgres "$PG_DATA"
    rm -rf "$CLUSTER_DIR"
  fi
}
trap on_exit EXIT

if [ "$CLUSTER_DB" != sqlite ] && [ -z "${DATABASE_URL:-}" ]; then
  start_postgres
  PG_DATA="$CLUSTER_DIR/pg"
fi
# `pg` has no node to create Basar's schema: one `basar serve` migrates the database and stops.
if [ "$MODE" = pg ]; then
  build_basar
  start_basar "$(free_port)" "$DATABASE_URL"
  stop_pid "$LAST_PID"
fi
if [ "$MODE" = start ]; then
  build_basar
  start_nodes
  NGINX_PORT=${NGINX_PORT:-$(free_port)}
  start_proxy "$NGINX_PORT"
fi
if [ "$VAPOR" = 1 ]; then
  VAPOR_PORT=$(free_port)
  start_vapor "$VAPOR_PORT"
fi
if [ "$SEED" = 1 ]; then
  # The schema is Basar's own, from its migrations (the first node, or the `serve` above).
  sql -v products="${PRODUCTS:-1000}" -v buyers="${BUYERS:-64}" -f "$BENCH/pg/seed.sql"
  sql -At -v buyers="${BUYERS:-64}" -f "$BENCH/pg/buyers-lua.sql" >"$CLUSTER_DIR/buyers.lua"
fi

{
  echo "DATABASE_URL='${DATABASE_URL:-}'"
  echo "PG_DATA='$PG_DATA' PG_PID='$PG_PID' PG_BIN='$PG_BIN'"
  echo "NGINX_PID='$NGINX_PID' NGINX_URL='${NGINX_PORT:+http://127.0.0.1:$NGINX_PORT}'"
  local_urls=$(for p in "${NODE_PORTS[@]:-}"; do [ -n "$p" ] && printf 'http://127.0.0.1:%s ' "$p"; done)
  echo "NODE_PIDS='${NODE_PIDS[*]:-}' NODE_URLS='${local_urls% }'"
  echo "VAPOR_PID='$VAPOR_PID' VAPOR_URL='${VAPOR_PORT:+http://127.0.0.1:$VAPOR_PORT}'"
  echo "CLUSTER_DIR='$CLUSTER_DIR'"
} >"$STATE.tmp" && mv "$STATE.tmp" "$STATE"
cat "$STATE"
[ "$SEED" = 1 ] && echo "BUYERS_LUA='$CLUSTER_DIR/buyers.lua'"
if [ "$DETACH" = 1 ]; then
  echo "detached; stop with: CLUSTER_DIR=$CLUSTER_DIR $0 stop" >&2
  exit 0
fi
echo "running; Ctrl-C stops everything" >&2
sleep infinity &
PIDS+=($!)
wait $! || true
