#!/bin/sh
# CASE and NOS catalogue import benchmarks (issue 6), each beside a short Python peer in the
# same run (CLARIFICATIONS 10), timed A B A B ... by bench/abtime.py (whole processes; the
# store is removed and initialised before every run, untimed). See bench/README.md.
#
#   bench/case_import.sh                 # N=100000, RUNS=5, BIG_N=280000 (a ~300 MB package)
#   RUNS=3 BIG=0 bench/case_import.sh    # without the one-line 300 MB package
#
# 1. A 100,000-item CASE v1.1 package from real text, one object to a line as CASE tools write
#    them: `import --no-index` and `import` (with the search index step, CLARIFICATIONS 11),
#    each beside the peer (json.load, sqlite3 executemany, one transaction, WAL).
# 2. The same kind of package, ~300 MB on one line: peak memory (the goal: under twice the file).
# 3. The largest real package in ../shared/corpora/case, and the full NOS catalogue export
#    (../shared/corpora/nos/published_nos_details_old.csv) beside its own peer.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
OPENNOS=${OPENNOS:-$ROOT/build/opennos}
PYTHON=${PYTHON:-/usr/bin/python3}
N=${N:-100000}
BIG_N=${BIG_N:-280000}
BIG=${BIG:-1}
RUNS=${RUNS:-5}
OUT=${OUT:-$BENCH/out/case_import}
WORK="$OUT/work"
mkdir -p "$WORK"
cp "$OPENNOS" "$WORK/opennos.bin"
BIN="$WORK/opennos.bin"
CORPORA="$ROOT/../shared/corpora"
TASKS=""
[ -f "$CORPORA/onet/Task_Statements.csv" ] && TASKS="--tasks $CORPORA/onet/Task_Statements.csv"

# A CASE package of $1 statements from real text: a native framework through opennos, exported
# as CASE, rewritten as $2 (lines: one object to a line; oneline: the whole package on one line).
make_package() {
  n=$1; form=$2; out=$3
  [ -f "$out" ] && return 0
  [ -f "$WORK/native-$n.json" ] || "$PYTHON" "$BENCH/gen_framework.py" -n "$n" $TASKS -o "$WORK/native-$n.json"
  rm -rf "$WORK/gen"
  "$BIN" --data "$WORK/gen" init >/dev/null
  "$BIN" --data "$WORK/gen" import --no-index "$WORK/native-$n.json" >/dev/null
  uuid=$("$BIN" --data "$WORK/gen" list --json | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["frameworks"][0]["uuid"])')
  "$BIN" --data "$WORK/gen" export "$uuid" --format case -o "$WORK/case-pretty.json"
  "$PYTHON" - "$WORK/case-pretty.json" "$out" "$form" <<'PY'
import json, sys
p = json.load(open(sys.argv[1], encoding="utf-8"))
with open(sys.argv[2], "w", encoding="utf-8") as out:
    if sys.argv[3] == "oneline":
        out.write(json.dumps(p, ensure_ascii=False))
    else:  # one object to a line, as CASE servers write packages
        out.write('{"CFDocument": ' + json.dumps(p["CFDocument"], ensure_ascii=False) + ',\n')
        for key in ("CFItems", "CFAssociations"):
            out.write('"%s": [\n' % key)
            out.write(",\n".join(json.dumps(o, ensure_ascii=False) for o in p.get(key, [])))
            out.write("\n],\n")
        out.write('"CFDefinitions": {}}\n')
PY
  rm -rf "$WORK/gen" "$WORK/case-pretty.json"
}

# The CASE peer: the package into SQLite, items and associations with their JSON.
cat > "$WORK/peer_case.py" <<'PY'
import json, sqlite3, sys, os
path, db = sys.argv[1], sys.argv[2]
for f in (db, db + "-wal", db + "-shm"):
    if os.path.exists(f): os.remove(f)
p = json.load(open(path, encoding="utf-8"))
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
con.execute("CREATE TABLE items (id TEXT PRIMARY KEY, doc TEXT, code TEXT, type TEXT, statement TEXT, data TEXT)")
con.execute("CREATE TABLE associations (id TEXT PRIMARY KEY, type TEXT, origin TEXT, destination TEXT, seq INTEGER, data TEXT)")
doc = p["CFDocument"]["identifier"]
with con:
    con.executemany("INSERT INTO items VALUES (?,?,?,?,?,?)",
        ((i["identifier"], doc, i.get("humanCodingScheme"), i.get("CFItemType"), i["fullStatement"], json.dumps(i)) for i in p["CFItems"]))
    con.executemany("INSERT INTO associations VALUES (?,?,?,?,?,?)",
        ((a["identifier"], a["associationType"], a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"], a.get("sequenceNumber"), json.dumps(a)) for a in p["CFAssociations"]))
con.close()
PY

# The NOS catalogue peer: every row into SQLite as it comes (no normalising, no report).
cat > "$WORK/peer_catalogue.py" <<'PY'
import csv, sqlite3, sys, os
path, db = sys.argv[1], sys.argv[2]
for f in (db, db + "-wal", db + "-shm"):
    if os.path.exists(f): os.remove(f)
with open(path, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
header = rows[0]
con.execute("CREATE TABLE units (%s)" % ", ".join('"c%d" TEXT' % i for i in range(len(header))))
with con:
    con.executemany("INSERT INTO units VALUES (%s)" % ",".join("?" * len(header)),
                    (r + [""] * (len(header) - len(r)) for r in rows[1:] if len(r) <= len(header)))
con.close()
PY

: > "$OUT/summary.txt"
ab() {  # label, opennos flags, file, peer command (or "")
  label=$1; flags=$2; file=$3; peer=$4
  set -- -n "$RUNS" --label "$label" --json "$OUT/results.jsonl" \
    --prepare-a "rm -rf '$WORK/d' && '$BIN' --data '$WORK/d' init" \
    --a "'$BIN' --data '$WORK/d' import $flags '$file' 2>/dev/null"
  [ -n "$peer" ] && set -- "$@" --b "$peer"
  "$PYTHON" "$BENCH/abtime.py" "$@" | tee -a "$OUT/summary.txt"
}

PACKAGE="$WORK/case-$N.json"
make_package "$N" lines "$PACKAGE"
echo "package: $PACKAGE ($(stat -c %s "$PACKAGE") bytes)" | tee -a "$OUT/summary.txt"
ab "CASE $N statements, opennos import --no-index (A) vs peer (B)" --no-index "$PACKAGE" \
   "$PYTHON $WORK/peer_case.py $PACKAGE $WORK/peer.db"
ab "CASE $N statements, opennos import with its search index step (A) vs peer (B)" "" "$PACKAGE" \
   "$PYTHON $WORK/peer_case.py $PACKAGE $WORK/peer.db"

if [ "$BIG" = 1 ]; then
  BIGPKG="$WORK/case-oneline-$BIG_N.json"
  make_package "$BIG_N" oneline "$BIGPKG"
  echo "one-line package: $BIGPKG ($(stat -c %s "$BIGPKG") bytes, $(wc -l < "$BIGPKG") newlines)" | tee -a "$OUT/summary.txt"
  runs=$RUNS
  RUNS=${BIG_RUNS:-3}
  ab "CASE $BIG_N statements on one line, opennos import --no-index (A) vs peer (B)" --no-index "$BIGPKG" \
     "$PYTHON $WORK/peer_case.py $BIGPKG $WORK/peer.db"
  RUNS=1
  ab "CASE $BIG_N statements on one line, opennos import with its search index step" "" "$BIGPKG" ""
  RUNS=$runs
fi

if [ -d "$CORPORA/case" ]; then
  real=$(ls -S "$CORPORA"/case/*.json "$CORPORA"/case/opensalt-tests/*.json | head -1)
  echo "largest real package: $real ($(stat -c %s "$real") bytes)" | tee -a "$OUT/summary.txt"
  ab "largest real CASE package, opennos import (A) vs peer (B)" "" "$real" \
     "$PYTHON $WORK/peer_case.py $real $WORK/peer.db"
else
  echo "SKIP: ../shared/corpora is absent: no real package to time" | tee -a "$OUT/summary.txt"
fi

CATALOGUE="$CORPORA/nos/published_nos_details_old.csv"
if [ -f "$CATALOGUE" ]; then
  echo "NOS catalogue: $CATALOGUE ($(stat -c %s "$CATALOGUE") bytes)" | tee -a "$OUT/summary.txt"
  ab "NOS catalogue, opennos import --no-index (A) vs peer (B)" --no-index "$CATALOGUE" \
     "$PYTHON $WORK/peer_catalogue.py $CATALOGUE $WORK/peer.db"
  ab "NOS catalogue, opennos import with its search index step (A) vs peer (B)" "" "$CATALOGUE" \
     "$PYTHON $WORK/peer_catalogue.py $CATALOGUE $WORK/peer.db"
else
  echo "SKIP: no NOS catalogue export under ../shared/corpora/nos" | tee -a "$OUT/summary.txt"
fi
