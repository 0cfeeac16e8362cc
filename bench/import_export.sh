#!/bin/sh
# Import and export benchmark: opennos against a short Python peer (json + sqlite3 executemany,
# one transaction, WAL), in the same run, on the same generated file. See bench/README.md.
#
#   bench/import_export.sh                      # 100,000 and 20,000 statements, 5 runs each
#   RUNS=9 bench/import_export.sh
#
# Environment: OPENNOS (binary, default build/opennos), PYTHON (default: the interpreter behind
# python3, not a pyenv shim), RUNS (default 5), N (default 100000), N_SMALL (20000), OUT
# (default bench/out/import_export, gitignored). Results: $OUT/results.jsonl (one JSON line
# per comparison), $OUT/peak_rss.txt, $OUT/summary.txt; files and stores under $OUT/work.
#
# Timing: whole processes from outside, A B A B ... (bench/abtime.py), medians quoted. Every
# import run starts from an empty, initialised store: before each run, untimed, the data
# directory (or the peer's database) is removed and initialised again, so the figure is the
# import alone. The set-up itself is timed once on its own ("init").
#
# The search index (CLARIFICATIONS 11: report imports with and without it). `opennos import`
# brings the Xapian index up to date at its end: "import N" is the import as users run it,
# index included; "import N, no index" is `opennos import --no-index`, which writes the store
# and leaves the index for later. The peer has no search index; with --fts it builds a SQLite
# FTS5 index at the end of the same transaction, the yardstick for the with-index figure.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
OPENNOS=${OPENNOS:-$ROOT/build/opennos}
PYTHON=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
RUNS=${RUNS:-5}
N=${N:-100000}
N_SMALL=${N_SMALL:-20000}
OUT=${OUT:-$BENCH/out/import_export}
WORK="$OUT/work"
TIME=/usr/bin/time

[ -x "$OPENNOS" ] || { echo "no opennos binary at $OPENNOS (cmake --build build)" >&2; exit 1; }
[ -x "$TIME" ] || { echo "needs GNU time at $TIME (apt-get install time)" >&2; exit 1; }
mkdir -p "$OUT" "$WORK"
# Run a copy, so that a rebuild during the run cannot change or remove the binary under test.
cp "$OPENNOS" "$WORK/opennos.bin"
VERSION="$OPENNOS, $(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo '?'), built $(date -u -r "$OPENNOS" '+%Y-%m-%d %H:%M UTC')"
OPENNOS="$WORK/opennos.bin"
RESULTS="$OUT/results.jsonl"
: >"$RESULTS"
: >"$OUT/peak_rss.txt"

D="$WORK/data"          # opennos data directory
P="$WORK/peer.db"       # the peer's database

# Untimed set-up, run before every timed run ("prepare"): these are shell snippets.
FRESH_A="rm -rf '$D' && '$OPENNOS' --data '$D' init"
FRESH_B="rm -f '$P' '$P-wal' '$P-shm' && '$PYTHON' '$BENCH/peer_import.py' init '$P'"
FRESH_B_FTS="$FRESH_B --fts"

AB() { "$PYTHON" "$BENCH/abtime.py" -n "$RUNS" --json "$RESULTS" "$@"; }

# Peak resident memory of one command, from /usr/bin/time -v.
peak() {
  label=$1; shift
  "$TIME" -v "$@" >/dev/null 2>"$WORK/time.txt"
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt")
  printf '%-34s %6s MiB  (wall %s)\n' "$label" "$((kb / 1024))" "$wall" | tee -a "$OUT/peak_rss.txt"
}

for n in "$N" "$N_SMALL"; do
  f="$WORK/framework-$n.json"
  [ -s "$f" ] || "$PYTHON" "$BENCH/gen_framework.py" -n "$n" -o "$f"
done
F="$WORK/framework-$N.json"
echo "opennos: $VERSION"
echo "python:  $PYTHON ($("$PYTHON" -c 'import sqlite3, sys; print(sys.version.split()[0], "sqlite", sqlite3.sqlite_version)'))"

echo "== set-up alone (an empty store), for reference"
AB --label "init" --prepare-a "rm -rf '$D'" --a "'$OPENNOS' --data '$D' init" \
   --prepare-b "rm -f '$P' '$P-wal' '$P-shm'" --b "'$PYTHON' '$BENCH/peer_import.py' init '$P'"

for n in "$N_SMALL" "$N"; do
  file="$WORK/framework-$n.json"
  echo "== import $n statements into an empty store, search index included: opennos (A) vs peer --fts (B)"
  AB --label "import $n" \
     --prepare-a "$FRESH_A" --a "'$OPENNOS' --data '$D' import '$file'" \
     --prepare-b "$FRESH_B_FTS" --b "'$PYTHON' '$BENCH/peer_import.py' import '$P' '$file' --fts"
  echo "== import $n statements into an empty store, without the search index: opennos (A) vs peer (B)"
  AB --label "import $n, no index" \
     --prepare-a "$FRESH_A" --a "'$OPENNOS' --data '$D' import --no-index '$file'" \
     --prepare-b "$FRESH_B" --b "'$PYTHON' '$BENCH/peer_import.py' import '$P' '$file'"
done

# Both stores now hold the $N framework, for the exports.
for format in native csv; do
  echo "== export $N statements, $format: opennos (A) vs peer (B)"
  AB --label "export $N $format" \
     --a "'$OPENNOS' --data '$D' export BENCH --format $format -o '$WORK/opennos.$format'" \
     --b "'$PYTHON' '$BENCH/peer_export.py' '$P' BENCH $format '$WORK/peer.$format'"
done

echo "== peak resident memory (/usr/bin/time -v), $N statements ($(wc -c <"$F") bytes of JSON)"
sh -c "$FRESH_A" >/dev/null
peak "opennos import" "$OPENNOS" --data "$D" import "$F"
sh -c "$FRESH_A" >/dev/null
peak "opennos import --no-index" "$OPENNOS" --data "$D" import --no-index "$F"
peak "opennos export native" "$OPENNOS" --data "$D" export BENCH --format native -o "$WORK/opennos.native"
peak "opennos export csv" "$OPENNOS" --data "$D" export BENCH --format csv -o "$WORK/opennos.csv"
sh -c "$FRESH_B_FTS" >/dev/null
peak "peer import --fts" "$PYTHON" "$BENCH/peer_import.py" import "$P" "$F" --fts
sh -c "$FRESH_B" >/dev/null
peak "peer import" "$PYTHON" "$BENCH/peer_import.py" import "$P" "$F"
peak "peer export native" "$PYTHON" "$BENCH/peer_export.py" "$P" BENCH native "$WORK/peer.native"
peak "peer export csv" "$PYTHON" "$BENCH/peer_export.py" "$P" BENCH csv "$WORK/peer.csv"

# The two sides must have done the same work: same CSV bytes, same native JSON.
if cmp -s "$WORK/opennos.csv" "$WORK/peer.csv"; then echo "check: CSV exports identical"
else echo "check FAILED: CSV exports differ" >&2; exit 1; fi
if "$PYTHON" -c 'import json, sys; a, b = (json.load(open(p)) for p in sys.argv[1:]); sys.exit(a != b)' \
    "$WORK/opennos.native" "$WORK/peer.native"; then echo "check: native exports equal as JSON"
else echo "check FAILED: native exports differ" >&2; exit 1; fi

"$PYTHON" - "$RESULTS" "$N" "$N_SMALL" <<'EOF' | tee "$OUT/summary.txt"
import json, sys
results = [json.loads(line) for line in open(sys.argv[1])]
n, n_small = int(sys.argv[2]), int(sys.argv[3])
print(f"\n{'benchmark (medians)':26} {'opennos s':>10} {'stmts/s':>10} {'peer s':>9} {'stmts/s':>10}"
      f" {'opennos/peer':>13}")
for r in results:
    count = n_small if r["label"].startswith(f"import {n_small}") else n
    a, b = r["A"]["wall"]["median"], r["B"]["wall"]["median"]
    rate = (lambda s: "" if r["label"] == "init" else f"{count / s:,.0f}")
    print(f"{r['label']:26} {a:10.3f} {rate(a):>10} {b:9.3f} {rate(b):>10} "
          f"{r['ratio']['median']:13.2f}")
print("(import N: opennos with its search index vs the peer with --fts; "
      "no index: both without)")
EOF
