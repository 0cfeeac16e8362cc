#!/bin/sh
# Web benchmark (issue 3): wrk (2 threads, 64 connections, loopback) on a unit page served by
# `opennos serve` (request logging on, as shipped), beside nginx serving the same bytes as a
# static file, in the same run, alternating. Needs wrk and nginx-light (apt). See bench/README.md.
#
#   bench/web_unit_page.sh              # ROUNDS=3, DURATION=10s
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OPENNOS=${OPENNOS:-$ROOT/build/opennos}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
PAGE=${PAGE:-/nos/ODSMLC3}
OUT=${OUT:-$ROOT/bench/out/web}
PORT_OPENNOS=${PORT_OPENNOS:-18097}
PORT_NGINX=${PORT_NGINX:-18098}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "needs nginx (apt-get install nginx-light)" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT/html"
cp "$OPENNOS" "$OUT/opennos.bin"
"$OUT/opennos.bin" --data "$OUT/data" init >/dev/null
"$OUT/opennos.bin" --data "$OUT/data" demo >/dev/null
"$OUT/opennos.bin" --data "$OUT/data" serve --port "$PORT_OPENNOS" >"$OUT/opennos.log" 2>&1 &
SERVER=$!
cat >"$OUT/nginx.conf" <<CONF
worker_processes 2;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $OUT/nginx-access.log;
  server { listen 127.0.0.1:$PORT_NGINX; root $OUT/html; location / { default_type text/html; } }
}
CONF
trap 'kill $SERVER 2>/dev/null; [ -f "$OUT/nginx.pid" ] && kill $(cat "$OUT/nginx.pid") 2>/dev/null; true' EXIT
for i in 1 2 3 4 5 6 7 8 9 10; do
  curl -sf "http://127.0.0.1:$PORT_OPENNOS$PAGE" >"$OUT/html/unit.html" && break
  sleep 0.5
done
nginx -c "$OUT/nginx.conf" -p "$OUT"
sleep 0.5
echo "page: $PAGE, $(wc -c <"$OUT/html/unit.html") bytes; both log every request" | tee "$OUT/summary.txt"
for r in $(seq 1 "$ROUNDS"); do
  for who in opennos nginx; do
    if [ $who = opennos ]; then url="http://127.0.0.1:$PORT_OPENNOS$PAGE"; else url="http://127.0.0.1:$PORT_NGINX/unit.html"; fi
    wrk -t2 -c64 -d"$DURATION" --latency "$url" >"$OUT/$who-$r.txt"
    printf "round %s %-8s %10s req/s  p50 %8s  p99 %8s\n" "$r" "$who" \
      "$(awk '/Requests\/sec/ {print $2}' "$OUT/$who-$r.txt")" \
      "$(awk '$1=="50%" {print $2}' "$OUT/$who-$r.txt")" \
      "$(awk '$1=="99%" {print $2}' "$OUT/$who-$r.txt")" | tee -a "$OUT/summary.txt"
  done
done
