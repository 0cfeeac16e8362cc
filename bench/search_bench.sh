#!/bin/sh
# Search benchmark (issue 4): index build time and size, and query latency of the Xapian
# search (library call and end to end through the API) against SQLite FTS5, on a million
# statements of real text. See the "Search" section of bench/README.md.
#
#   bench/search_bench.sh                       # everything, 3 runs of each build
#   RUNS=1 STEPS="latency api" bench/search_bench.sh
#   RUNS=1 STEPS="rebuild latency api fts5" bench/search_bench.sh   # on the data already imported
#
# Environment: BUILD_DIR (default build; the binaries are copied out of it first, so that a
# rebuild during the run changes nothing), NO_BUILD=1 (use BUILD_DIR as it is), PYTHON
# (default /usr/bin/python3: its sqlite3 has FTS5), RUNS (build timings, default 3), REPEAT
# (query latency: each query's fastest of REPEAT timed passes, default 3, after one untimed),
# FRAMEWORKS (25), PER (statements per framework, 40000), UNITS (per framework, 1000),
# QUERIES (1000), STEPS (default "corpus build latency api fts5"; "rebuild" times `opennos
# reindex` alone, RUNS times, on the data directory a build step left), OUT (bench/out/search).
# Results: $OUT/results.jsonl (one JSON line per measurement), $OUT/summary.txt (the table),
# $OUT/times-*.tsv (every query's time, for finding the slow ones).
#
# Build timings are whole processes, from /usr/bin/time: wall, user and system seconds and
# peak memory. "import, no index step": `import --no-index` (for a binary without that
# option, a helper holds the index's write lock as a running server would, so the CLI skips
# its index update); "index step": the catch-up the next `opennos search` then does, timed
# alone; "import with index step": what a user waits for; "full rebuild": `opennos reindex`.
# Every import starts from an empty, initialised data directory.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
PYTHON=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-3}
REPEAT=${REPEAT:-3}
FRAMEWORKS=${FRAMEWORKS:-25}
PER=${PER:-40000}
UNITS=${UNITS:-1000}
QUERIES=${QUERIES:-1000}
STEPS=${STEPS:-corpus build latency api fts5}
OUT=${OUT:-$BENCH/out/search}
WORK=${WORK:-$OUT/work}
CORPUS=${CORPUS:-$OUT/corpus-$FRAMEWORKS-$PER}
QFILE=$OUT/queries-$QUERIES.txt
DATA=$WORK/data           # the data directory the latency steps search
SCRATCH=$WORK/data-nolock # the import timed without its index step
TIME=/usr/bin/time

[ -x "$TIME" ] || { echo "needs GNU time at $TIME (apt-get install time)" >&2; exit 1; }
mkdir -p "$OUT" "$WORK/bin"
RESULTS=$OUT/results.jsonl
LOG=$WORK/log.txt
has() { case " $STEPS " in *" $1 "*) return 0 ;; esac; return 1; }
say() { echo "search_bench: $*" >&2; }

# Binaries: built, then copied, so that the run measures one build throughout.
if [ "${NO_BUILD:-0}" != 1 ]; then
  cmake --build "$BUILD_DIR" --target opennos search_latency >/dev/null
fi
cp "$BUILD_DIR/opennos" "$BUILD_DIR/bench/search_latency" "$WORK/bin/"
OPENNOS=$WORK/bin/opennos
LATENCY=$WORK/bin/search_latency

# One JSON line per timed command: label, run, wall/user/sys seconds, peak MB.
timed() {
  label=$1; run=$2; shift 2
  "$TIME" -f '%e %U %S %M' -o "$WORK/time.txt" "$@" >>"$LOG" 2>&1 || {
    echo "failed: $*" >&2; tail -5 "$LOG" >&2; exit 1; }
  read -r wall user sys kb <"$WORK/time.txt"
  printf '{"kind": "build", "label": "%s", "run": %s, "wall_s": %s, "user_s": %s, "sys_s": %s, "peak_mb": %s}\n' \
    "$label" "$run" "$wall" "$user" "$sys" "$((kb / 1024))" >>"$RESULTS"
  say "$label (run $run): ${wall}s wall, ${user}s user, ${sys}s sys"
}

fresh() {  # an empty, initialised data directory with an empty index
  rm -rf "$1"
  "$OPENNOS" --data "$1" init >>"$LOG"
  "$OPENNOS" --data "$1" reindex >>"$LOG" 2>&1
}

{
  printf '{"kind": "machine", "date": "%s", "cores": %s, "cpu": "%s", "mem_gb": %s, "load": "%s", "commit": "%s", "dirty": %s, "index_cc": "%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
    "$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null | grep -c . || true)" \
    "$(sha1sum "$ROOT/src/search/index.cc" | cut -c1-10)$(git -C "$ROOT" diff --quiet HEAD -- src/search/index.cc 2>/dev/null || echo ' (modified)')"
} >>"$RESULTS"

if has corpus; then
  if [ ! -s "$CORPUS/search-$(printf %02d "$FRAMEWORKS").json" ]; then
    say "generating $FRAMEWORKS frameworks of $PER statements"
    "$PYTHON" "$BENCH/search_corpus.py" --frameworks "$FRAMEWORKS" --statements "$PER" \
      --units "$UNITS" -o "$CORPUS" 2>>"$LOG"
    tail -1 "$LOG" >&2
  fi
  [ -s "$QFILE" ] || "$PYTHON" "$BENCH/search_queries.py" -n "$QUERIES" -o "$QFILE" "$CORPUS"
fi
FILES=$(ls "$CORPUS"/search-*.json)


# The index's size, and what the last rebuild said it holds: documents (one per unit or
# statement outside any unit) and the units and statements in them.
size_record() {
  local line docs items
  line=$(grep 'rebuilt: ' "$LOG" | tail -1)
  docs=$(printf '%s' "$line" | sed -n 's/.*rebuilt: \([0-9]*\) documents.*/\1/p')
  items=$(printf '%s' "$line" | sed -n 's/.* holding \([0-9]*\) units and statements.*/\1/p')
  printf '{"kind": "size", "index": "%s", "index_bytes": %s, "store": "%s", "documents": %s, "items": %s}\n' \
    "$(du -sh "$DATA/index" | cut -f1)" "$(du -sb "$DATA/index" | cut -f1)" \
    "$(du -sh "$DATA/opennos.db" | cut -f1)" "${docs:-0}" "${items:-0}" >>"$RESULTS"
}

if has build; then
  run=1
  while [ "$run" -le "$RUNS" ]; do
    # Import without the index step: `import --no-index`, or for a binary without it, hold
    # the index's lock as a server would.
    fresh "$SCRATCH"
    if "$OPENNOS" import --help 2>/dev/null | grep -q -- --no-index; then
      # shellcheck disable=SC2086
      timed "import, no index step" "$run" "$OPENNOS" --data "$SCRATCH" import --no-index $FILES
    else
      "$PYTHON" "$BENCH/search_lock.py" "$SCRATCH/index" >"$WORK/lock.txt" &
      lock=$!
      while ! grep -q locked "$WORK/lock.txt" 2>/dev/null; do
        kill -0 "$lock" 2>/dev/null || { echo "search_lock.py failed" >&2; exit 1; }
        sleep 0.1
      done
      # shellcheck disable=SC2086
      timed "import, no index step" "$run" "$OPENNOS" --data "$SCRATCH" import $FILES
      kill "$lock"; wait "$lock" 2>/dev/null || true
    fi
    timed "index step (catch-up)" "$run" "$OPENNOS" --data "$SCRATCH" search benchmark
    rm -rf "$SCRATCH"
    # What a user waits for.
    fresh "$DATA"
    # shellcheck disable=SC2086
    timed "import with index step" "$run" "$OPENNOS" --data "$DATA" import $FILES
    timed "full rebuild (reindex)" "$run" "$OPENNOS" --data "$DATA" reindex
    run=$((run + 1))
  done
  size_record
fi

if has rebuild; then
  [ -s "$DATA/opennos.db" ] || { echo "no data at $DATA: run the build step" >&2; exit 1; }
  run=1
  while [ "$run" -le "$RUNS" ]; do
    timed "full rebuild (reindex)" "$run" "$OPENNOS" --data "$DATA" reindex
    run=$((run + 1))
  done
  size_record
fi

[ -d "$DATA/index" ] || { echo "no index at $DATA/index: run the build step" >&2; exit 1; }

if has latency; then
  say "library call: $QUERIES queries, facets+snippets and plain"
  "$LATENCY" "$DATA/index" "$QFILE" --json --repeat "$REPEAT" --times "$OUT/times-library.tsv" |
    "$PYTHON" -c 'import json, sys
d = json.load(sys.stdin)
for mode, s in d["modes"].items():
    print(json.dumps({"kind": "latency", "system": "library, " + mode, **s}))' \
    >>"$RESULTS"
fi

if has api; then
  say "API: $QUERIES queries through opennos serve"
  "$PYTHON" "$BENCH/search_http.py" --opennos "$OPENNOS" --data "$DATA" --repeat "$REPEAT" --times \
    "$OUT/times-api.tsv" "$QFILE" | sed 's/^{/{"kind": "latency", /' >>"$RESULTS"
fi

if has fts5; then
  run=1
  while [ "$run" -le "$RUNS" ]; do
    say "FTS5 build (run $run)"
    "$PYTHON" "$BENCH/search_fts5.py" build "$CORPUS" "$WORK/fts5.db" |
      sed "s/^{/{\"kind\": \"fts5-build\", \"run\": $run, /" >>"$RESULTS"
    run=$((run + 1))
  done
  say "FTS5 queries"
  "$PYTHON" "$BENCH/search_fts5.py" query "$WORK/fts5.db" "$QFILE" --repeat "$REPEAT" \
    --times "$OUT/times-fts5.tsv" |
    sed 's/^{/{"kind": "latency", /' >>"$RESULTS"
  "$PYTHON" "$BENCH/search_fts5.py" query "$WORK/fts5.db" "$QFILE" --repeat "$REPEAT" --snippets |
    sed 's/^{/{"kind": "latency", /' >>"$RESULTS"
fi

printf '{"kind": "machine-end", "load": "%s"}\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS"
"$PYTHON" "$BENCH/search_report.py" "$RESULTS" | tee "$OUT/summary.txt"
