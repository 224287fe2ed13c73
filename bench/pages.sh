#!/usr/bin/env bash
# Every public page against nginx serving the same bytes, in the same run, on loopback (issue 17):
# each page is fetched once from hromada and saved; nginx serves the saved file; wrk measures
# both with the same connections and duration. Then a cache miss of the heaviest pages: wrk asks
# for a new address every time (an unused query parameter), so every answer is rendered and
# compressed again; the server's CPU time over the requests gives the cost of one miss.
# Release build, `serve --demo` on SQLite in a temporary directory.
#   bench/pages.sh                 # the table on stdout (markdown), progress on stderr
#   DURATION=3s bench/pages.sh     # a quicker run
#   MISSES_ONLY=1 bench/pages.sh   # only the cache misses of the heaviest pages
# Needs wrk, nginx (Debian: apt-get install wrk nginx-light), curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
STATIC_PORT=${STATIC_PORT:-18081}

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx is not installed (apt-get install nginx-light)"; exit 1; }
cargo build --release --locked -q
bin=target/release/hromada
tmp=$(mktemp -d)
chmod 755 "$tmp"
export DATABASE_URL=sqlite://$tmp/bench.db
export HROMADA_LISTEN=127.0.0.1:$PORT HROMADA_LOG_LEVEL=warn
trap 'kill $server 2>/dev/null || true; [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true; rm -rf "$tmp"' EXIT

$bin serve --demo >"$tmp/server.log" 2>&1 &
server=$!
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.1; done
base="http://127.0.0.1:$PORT"

first() { # first() URL PYTHON-EXPRESSION-ON-j
  curl -fs "$base$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)" 2>/dev/null || true
}
news=$(first "/api/v1/news?limit=1" "j['items'][0]['id']")
member=$(first "/api/v1/members?limit=1" "j['items'][0]['code']")
section=$(first "/api/v1/sections" "(j['items'] if isinstance(j, dict) else j)[0]['slug']")
digest=$(first "/api/v1/digests" "(j['items'] if isinstance(j, dict) else j)[0]['key']")
indicator=$(first "/api/v1/indicators" "[i['code'] for i in (j['items'] if isinstance(j, dict) else j)][0]")
person=$(first "/api/v1/people?limit=1" "j['items'][0]['id']")
office=$(first "/api/v1/regional-offices" "(j['items'] if isinstance(j, dict) else j)[0]['slug']")
crimea=UA01000000000013043
hromada=${member:-UA05020030000031457}

pages=(
  /uk/ /en/ /uk/news "/uk/news/$news" /uk/news/feed.atom "/uk/news?sector=education"
  /uk/units "/uk/units/$crimea" "/uk/units/$hromada" "/uk/units/$hromada/statistics"
  /uk/about/data /uk/members "/uk/members/$hromada" /uk/offices "/uk/offices/$office"
  /uk/sections "/uk/sections/$section" /uk/club /uk/digest "/uk/digest/$digest"
  "/uk/people/$person" /uk/statistics /uk/statistics/releases
  "/uk/statistics/indicators/$indicator" "/uk/statistics/indicators/$indicator/map.svg"
  /sitemap.xml "/api/v1/units?limit=50" "/api/v1/units/$hromada" /api/v1/news
  /api/v1/members /api/v1/indicators /api/v1/openapi.json
)

mkdir -p "$tmp/www"
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

# wrk's summary as "requests/s p99-in-ms".
measure() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" >"$tmp/wrk.out" 2>&1 || true
  python3 - "$tmp/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
print(int(float(rps.group(1))) if rps else 0,
      round(float(p99.group(1)) * unit[p99.group(2)], 2) if p99 else 0,
      errors.group(1) if errors else 0)
PY
}

echo "| page | bytes | br bytes | nginx req/s | hromada req/s | % of nginx | nginx p99 ms | hromada p99 ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
n=0
if [ -z "${MISSES_ONLY:-}" ]; then
for page in "${pages[@]}"; do
  n=$((n + 1))
  file="$tmp/www/p$n"
  if ! curl -fs "$base$page" -o "$file"; then
    echo "skipped $page (not served)" >&2
    continue
  fi
  bytes=$(stat -c %s "$file")
  br=$(curl -fs -H 'Accept-Encoding: br' "$base$page" | wc -c)
  read -r s_rps s_p99 _ < <(measure "http://127.0.0.1:$STATIC_PORT/p$n")
  read -r h_rps h_p99 h_err < <(measure "$base$page")
  [ "$h_err" = 0 ] || echo "warning: $h_err answers of $page were not 2xx" >&2
  echo "| \`$page\` | $bytes | $br | $s_rps | $h_rps | $(( h_rps * 100 / (s_rps > 0 ? s_rps : 1) )) | $s_p99 | $h_p99 |"
done
fi

# Cache misses: a new query string every request, one connection so the CPU per request is clean.
# Twice: without Accept-Encoding (the rendering alone) and as a browser asks (the rendering and
# the brotli body made for it; gzip is made only for a client without brotli).
cat >"$tmp/miss.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", wrk.path .. "?miss=" .. n .. "-" .. math.random(1e9))
end
LUA
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
miss() { # miss() PAGE [wrk header args]: prints "requests ms-of-CPU-per-request"
  local page=$1
  shift
  local before after requests
  before=$(cpu)
  wrk -t1 -c1 -d"$DURATION" -s "$tmp/miss.lua" "$@" "$base$page" >"$tmp/miss.out" 2>&1 || true
  after=$(cpu)
  requests=$(awk '/requests in/ {print $1}' "$tmp/miss.out")
  python3 -c "print($requests, '%.2f' % (($after - $before) * 1000 / $ticks / max($requests, 1)))"
}
echo
echo "| cache miss of | bytes | requests | ms of CPU, rendering | requests | ms of CPU, rendering + brotli |"
echo "|---|---:|---:|---:|---:|---:|"
for page in "/uk/units/$crimea" "/uk/statistics/indicators/$indicator" "/uk/news/$news" "/uk/units/$hromada"; do
  bytes=$(curl -fs "$base$page?size=1" | wc -c)
  read -r plain_n plain_ms < <(miss "$page")
  read -r br_n br_ms < <(miss "$page" -H "Accept-Encoding: gzip, deflate, br")
  echo "| \`$page\` | $bytes | $plain_n | $plain_ms | $br_n | $br_ms |"
done
echo
echo "server RSS after the runs: $(ps -o rss= -p $server | tr -d ' ') KiB" >&2
