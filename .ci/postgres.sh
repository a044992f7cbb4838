#!/usr/bin/env bash
# `swift test` on PostgreSQL: installs Debian's PostgreSQL and libpq-dev where missing, builds with the PostgreSQL
# trait into .build-postgres, starts a throw-away cluster and runs the suite with BASAR_TEST_DATABASE_URL set.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -f /usr/include/postgresql/libpq-fe.h ] || need+=(libpq-dev)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}"
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

swift build --build-tests --traits PostgreSQL --build-path .build-postgres

# initdb refuses to run as root: the cluster belongs to the postgres user then.
dir=$(mktemp -d "${TMPDIR:-/tmp}/basar-pg.XXXXXX")
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
stop() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
# C.UTF-8 orders text by code point, as SQLite does: ids and keyset cursors compare the same on both engines.
as_owner "$bin/initdb" -U postgres -A trust --locale=C.UTF-8 --encoding=UTF8 -D "$dir/data" >/dev/null
# Durability settings are off because the cluster is thrown away; many tests run at once, each with its own pool.
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start -o "-k $dir -c listen_addresses='' \
  -c max_connections=1000 -c shared_buffers=128MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
as_owner "$bin/createdb" -h "$dir" -U postgres basar

export BASAR_TEST_DATABASE_URL="postgresql://postgres@/basar?host=$dir"
swift test --skip-build --build-path .build-postgres
