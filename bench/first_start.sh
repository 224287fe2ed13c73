#!/usr/bin/env bash
# The first start on an empty database (issue 17): `hromada migrate` creates the tables and loads
# what hromada ships (the codifier's units, the reference attributes and statuses, the sections,
# the news sectors, and some 80,000 statistics values), on SQLite and on PostgreSQL, three times
# each; prints the wall-clock seconds of each run. Release build.
#   bench/first_start.sh
#   PG_URL=postgres://USER@HOST:PORT/postgres bench/first_start.sh
#   BIN=/path/to/hromada bench/first_start.sh     # a binary built before, as it is
set -euo pipefail
cd "$(dirname "$0")/.."
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
RUNS=${RUNS:-3}
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked -q
fi
bin=${BIN:-$PWD/target/release/hromada}
tmp=$(mktemp -d)
db="hromada_first_start_$$"
trap 'psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $db" 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$bin" secrets new-key >"$tmp/key"

seconds() { # seconds() DATABASE_URL [key file]: runs migrate, prints its wall-clock seconds
  local start end
  start=$(date +%s.%N)
  if [ -n "${2:-}" ]; then
    DATABASE_URL=$1 HROMADA_SECRET_KEY_FILE=$2 HROMADA_LOG_LEVEL=warn "$bin" migrate >/dev/null
  else
    DATABASE_URL=$1 HROMADA_LOG_LEVEL=warn "$bin" migrate >/dev/null
  fi
  end=$(date +%s.%N)
  python3 -c "print('%.2f' % ($end - $start))"
}

echo "| database | runs (s) |"
echo "|---|---|"
runs=()
for _ in $(seq "$RUNS"); do
  rm -f "$tmp"/first.db*
  runs+=("$(seconds "sqlite://$tmp/first.db")")
done
echo "| SQLite | ${runs[*]} |"
runs=()
for _ in $(seq "$RUNS"); do
  psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  runs+=("$(seconds "${PG_URL%/*}/$db" "$tmp/key")")
done
echo "| PostgreSQL | ${runs[*]} |"
