#!/usr/bin/env bash
# Applies the PostgreSQL text of every migration, in BasarApp.migrations order, each in its own transaction as
# Database.migrate does, to the database that psql reaches through the usual PG* variables (PGHOST, PGDATABASE, …).
# It stops at the first failing migration, which is rolled back.
#
#   bench/pg/apply_migrations.sh [DIR]
#
# DIR holds the texts as NNN_name.sql; without it they are written first by the test that checks them
# (Tests/ReliabilityTests/PostgresMigrationTests.swift, with BASAR_PG_MIGRATIONS set). The migrator's own
# schema_migrations table is not written: this checks the DDL, the engine's test run checks the migrator.
# Needs PostgreSQL 15 with its contrib modules (unaccent) and ICU (the "und-x-icu" collation), as Debian's has.
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${1:-}
if [ -z "$dir" ]; then
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    if ! BASAR_PG_MIGRATIONS=$dir swift test --build-path "${BUILD_PATH:-.build}" --filter 'PostgresMigrationTests' \
        >"$dir/test.log" 2>&1; then
        tail -20 "$dir/test.log" >&2
        echo "PostgresMigrationTests failed: a migration's PostgreSQL text has an SQLite-only form" >&2
        exit 1
    fi
fi

count=0
for file in "$dir"/*.sql; do
    name=$(basename "$file" .sql)
    name=${name#*_}
    if ! psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$file" >/dev/null; then
        echo "FAILED: $name (rolled back; $count applied before it)" >&2
        exit 1
    fi
    count=$((count + 1))
    echo "applied $name"
done
echo "all $count migrations applied"
