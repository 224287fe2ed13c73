#!/usr/bin/env bash
# The news list page against nginx serving a static page of the same size, on loopback, on
# the same machine: the issue asks for at least half nginx's requests per second. Release
# build, the demo content (three weeks of news) on SQLite in a temporary directory.
#   bench/news.sh
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
STATIC_PORT=${STATIC_PORT:-18081}

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx is not installed (apt-get install nginx-light)"; exit 1; }
cargo build --release --locked -q
bin=target/release/hromada
tmp=$(mktemp -d)
chmod 755 "$tmp"   # nginx's workers run as another user
export DATABASE_URL=sqlite://$tmp/bench.db
export HROMADA_LISTEN=127.0.0.1:$PORT HROMADA_LOG_LEVEL=warn
trap 'kill $server 2>/dev/null || true; [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true; rm -rf "$tmp"' EXIT

$bin serve --demo >"$tmp/server.log" 2>&1 &
server=$!
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.05; done

page="/uk/news"
mkdir -p "$tmp/www"
curl -fs "http://127.0.0.1:$PORT$page" -o "$tmp/www/news.html"
cat >"$tmp/nginx.conf" <<CONF
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$STATIC_PORT;
    root $tmp/www;
    location / { default_type text/html; }
  }
}
CONF
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp"
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$STATIC_PORT/news.html" >/dev/null && break; sleep 0.05; done
curl -fs "http://127.0.0.1:$STATIC_PORT/news.html" >/dev/null || { echo "nginx does not serve the page"; cat "$tmp/nginx-error.log"; exit 1; }
echo "page size: $(stat -c %s "$tmp/www/news.html") bytes (both)"

rps() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1" | tee "$tmp/wrk.out" \
    | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors" >&2
  awk '/Requests\/sec/ {print int($2)}' "$tmp/wrk.out"
}
echo "== nginx, the same page as a static file"
static=$(rps "http://127.0.0.1:$STATIC_PORT/news.html")
echo "== hromada, GET $page"
dynamic=$(rps "http://127.0.0.1:$PORT$page")
echo "nginx $static req/s, hromada $dynamic req/s: $(( dynamic * 100 / static ))% of nginx (the bar is 50%)"
echo "server RSS after the runs: $(ps -o rss= -p $server | tr -d ' ') KiB"
