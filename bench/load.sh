#!/usr/bin/env bash
# Load benchmark on loopback: start-up time on an empty SQLite file (which loads the registry),
# then wrk against the home page, one API list (GET /api/v1/users with a bearer token), unit
# pages, the search page (bench/search.lua cycles through 12 queries) and the units API.
# Release build.
#   bench/load.sh            # SQLite in a temporary directory
#   DATABASE_URL=postgres://… bench/load.sh   # an empty PostgreSQL database instead
# Needs wrk (Debian: apt-get install wrk). Prints requests/s and latency percentiles.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
cargo build --release --locked -q
bin=target/release/hromada
tmp=$(mktemp -d)
export DATABASE_URL=${DATABASE_URL:-sqlite://$tmp/bench.db}
# PostgreSQL needs the secret key named (SQLite would make one beside its file).
if [ -z "${HROMADA_SECRET_KEY_FILE:-}" ]; then
  $bin secrets new-key > "$tmp/secret.key"
  export HROMADA_SECRET_KEY_FILE=$tmp/secret.key
fi
export HROMADA_LISTEN=127.0.0.1:$PORT HROMADA_LOG_LEVEL=warn
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT

start=$(date +%s%N)
$bin serve >"$tmp/server.log" 2>&1 &
server=$!
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.01; done
ready=$(date +%s%N)
echo "start-up (empty database, to first healthy answer): $(( (ready - start) / 1000000 )) ms"

echo "bench-password-123" | $bin user add --email bench@example.ua --role admin >/dev/null
token=$($bin token create --email bench@example.ua --name bench | grep -o 'hro_[A-Za-z0-9_-]*' | head -n 1)
for i in $(seq 1 40); do
  echo "bench-password-123" | $bin user add --email "user$i@example.ua" --role partner >/dev/null
done

run() {
  echo "== $1"
  shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors"
}
run "GET /uk/ (home page)" "http://127.0.0.1:$PORT/uk/"
run "GET /api/v1/users (41 accounts, bearer token)" -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$PORT/api/v1/users"
run "GET /uk/units/UA05020030000031457 (a hromada's page)" \
  "http://127.0.0.1:$PORT/uk/units/UA05020030000031457"
run "GET /uk/units/UA05000000000010236 (an oblast with 63 hromadas on its map)" \
  "http://127.0.0.1:$PORT/uk/units/UA05000000000010236"
run "GET /uk/units?q=… (search page, 12 queries in turn)" -s bench/search.lua "http://127.0.0.1:$PORT"
run "GET /uk/units?q=… (search page, 4 connections)" -s bench/search.lua -c4 "http://127.0.0.1:$PORT"
run "GET /api/v1/units?q=vinnyts" "http://127.0.0.1:$PORT/api/v1/units?q=vinnyts"
echo "server RSS after the runs: $(ps -o rss= -p $server | tr -d ' ') KiB"
