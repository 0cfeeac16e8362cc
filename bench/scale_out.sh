#!/bin/sh
# Scale-out benchmark (issue 5): wrk (loopback) on the unit page
#   sqlite-1  one `opennos serve` on SQLite
#   pg-1      one `opennos serve` on PostgreSQL
#   pg-2      two `opennos serve` on the same PostgreSQL, a wrk on each at once (summed)
# first reads only, then a mixed load: the same reads while a writer imports a changed framework
# into the same store again and again (each write drops every server's response cache and is
# re-indexed by every server). Rounds alternate the three set-ups, so load from elsewhere
# affects them alike. On a 2-core machine this shows correctness and overhead, not speed-up.
# Needs wrk (apt) and the PostgreSQL server (scripts/deps.sh). See bench/README.md.
#
#   bench/scale_out.sh                  # ROUNDS=3, DURATION=10s
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OPENNOS=${OPENNOS:-$ROOT/build/opennos}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
PAGE=${PAGE:-/nos/ODSMLC3}
OUT=${OUT:-$ROOT/bench/out/scale}
PORT=${PORT:-18110}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "needs the PostgreSQL server (scripts/deps.sh)" >&2; exit 1; }

rm -rf "$OUT" && mkdir -p "$OUT"
PGDIR=$(mktemp -d /tmp/opennos-bench-pg-XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap cleanup EXIT
# A PostgreSQL as a deployment would run it (fsync on), on a unix socket.
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
  -o "-k $PGDIR -c listen_addresses= -c max_connections=100" start >/dev/null
as_pg "$PGBIN/psql" -q -h "$PGDIR" -U postgres -c "CREATE DATABASE opennos" postgres
URL="postgresql:///opennos?host=$PGDIR&user=postgres"

cp "$OPENNOS" "$OUT/opennos.bin"
O="$OUT/opennos.bin"
"$O" --data "$OUT/sqlite" init >/dev/null && "$O" --data "$OUT/sqlite" demo >/dev/null
"$O" --data "$OUT/cli" --database "$URL" init >/dev/null
"$O" --data "$OUT/cli" --database "$URL" demo >/dev/null

# The written framework: tests' tiny suite, in two versions that differ in one statement.
for v in 0 1; do
  sed "s/Name the test after what it checks\./Name the test after what it checks, version $v./" \
    "$ROOT/tests/fixtures/good/tiny.json" >"$OUT/write-$v.json"
done

serve() {  # NAME PORT [--database URL]
  name=$1; port=$2; shift 2
  "$O" --data "$OUT/$name" "$@" serve --port "$port" >"$OUT/$name.log" 2>&1 &
  PIDS="$PIDS $!"
  for i in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port$PAGE" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server $name did not start" >&2; exit 1
}
serve sqlite "$PORT"
serve pga $((PORT + 1)) --database "$URL"
serve pgb $((PORT + 2)) --database "$URL"

writer() {  # DATA [--database URL]: imports the two versions in turn until $OUT/stop exists
  n=0
  while [ ! -f "$OUT/stop" ]; do
    "$O" --data "$@" import --no-index "$OUT/write-$((n % 2)).json" >/dev/null
    n=$((n + 1))
  done
  echo "$n" >"$OUT/writes"
}

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
bad() { awk '/Non-2xx/ {print $5; f=1} END {if (!f) print 0}' "$1"; }

run() {  # LOAD SETUP ROUND
  load=$1; setup=$2; r=$3; f="$OUT/$load-$setup-$r"
  rm -f "$OUT/stop" "$OUT/writes"
  if [ "$load" = mixed ]; then
    if [ "$setup" = sqlite-1 ]; then writer "$OUT/sqlite" & else writer "$OUT/cli" --database "$URL" & fi
    WRITER=$!
  fi
  case $setup in
    sqlite-1) wrk -t2 -c64 -d"$DURATION" --latency "http://127.0.0.1:$PORT$PAGE" >"$f.a" ;;
    pg-1) wrk -t2 -c64 -d"$DURATION" --latency "http://127.0.0.1:$((PORT + 1))$PAGE" >"$f.a" ;;
    pg-2)
      wrk -t1 -c32 -d"$DURATION" --latency "http://127.0.0.1:$((PORT + 1))$PAGE" >"$f.a" &
      W=$!
      wrk -t1 -c32 -d"$DURATION" --latency "http://127.0.0.1:$((PORT + 2))$PAGE" >"$f.b"
      wait $W ;;
  esac
  writes=-
  if [ "$load" = mixed ]; then touch "$OUT/stop"; wait $WRITER; writes=$(cat "$OUT/writes"); fi
  total=$(rps "$f.a"); errors=$(bad "$f.a"); tail99=$(p99 "$f.a")
  if [ -f "$f.b" ]; then
    total=$(echo "$total $(rps "$f.b")" | awk '{print $1 + $2}')
    errors=$((errors + $(bad "$f.b")))
    tail99="$tail99/$(p99 "$f.b")"
  fi
  printf "%-5s round %s %-8s %10s req/s  p99 %-15s non-2xx %s  writes %s\n" \
    "$load" "$r" "$setup" "$total" "$tail99" "$errors" "$writes" | tee -a "$OUT/summary.txt"
}

echo "page: $PAGE; wrk 2 threads x 64 connections in all (pg-2: 1 x 32 on each server); $DURATION each" |
  tee "$OUT/summary.txt"
for load in read mixed; do
  for r in $(seq 1 "$ROUNDS"); do
    for setup in sqlite-1 pg-1 pg-2; do run "$load" "$setup" "$r"; done
  done
done

# Correctness after the mixed load: both PostgreSQL servers serve the last version written,
# in the page and in search.
sleep 1
for port in $((PORT + 1)) $((PORT + 2)); do
  curl -sf "http://127.0.0.1:$port/api/v1/frameworks/TINY/tree" | grep -o "version [01]\." | sort -u |
    tr '\n' ' ' | sed "s/^/server :$port serves TINY with: /" | tee -a "$OUT/summary.txt"
  echo | tee -a "$OUT/summary.txt"
done
