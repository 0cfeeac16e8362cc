#!/bin/sh
# CASE import benchmark (issue 6): a 100,000-item CASE v1.1 package, written one object to a
# line as CASE tools write them, imported by opennos (with and without the search index step)
# beside a short Python peer (json + sqlite3 executemany, one transaction, WAL), timed with
# farm-bench in the same run. Also the largest real package in ../shared/corpora/case when it
# is there. See bench/README.md.
#
#   bench/case_import.sh            # N=100000, RUNS=5
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
OPENNOS=${OPENNOS:-$ROOT/build/opennos}
PYTHON=${PYTHON:-/usr/bin/python3}
N=${N:-100000}
RUNS=${RUNS:-5}
OUT=${OUT:-$BENCH/out/case_import}
WORK="$OUT/work"
mkdir -p "$WORK"
cp "$OPENNOS" "$WORK/opennos.bin"
BIN="$WORK/opennos.bin"
CORPORA="$ROOT/../shared/corpora"

# 1. A native framework of N statements from real text, through opennos into a CASE package.
TASKS=""
[ -f "$CORPORA/onet/Task_Statements.csv" ] && TASKS="--tasks $CORPORA/onet/Task_Statements.csv"
[ -f "$WORK/native-$N.json" ] || "$PYTHON" "$BENCH/gen_framework.py" -n "$N" $TASKS -o "$WORK/native-$N.json"
if [ ! -f "$WORK/case-$N.json" ]; then
  rm -rf "$WORK/gen"
  "$BIN" --data "$WORK/gen" init >/dev/null
  "$BIN" --data "$WORK/gen" import --no-index "$WORK/native-$N.json" >/dev/null
  uuid=$("$BIN" --data "$WORK/gen" list --json | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["frameworks"][0]["uuid"])')
  "$BIN" --data "$WORK/gen" export "$uuid" --format case -o "$WORK/case-pretty.json"
  # One object to a line, as CASE servers write packages.
  "$PYTHON" - "$WORK/case-pretty.json" "$WORK/case-$N.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as out:
    out.write('{"CFDocument": ' + json.dumps(p["CFDocument"], ensure_ascii=False) + ',\n')
    for key in ("CFItems", "CFAssociations"):
        out.write('"%s": [\n' % key)
        out.write(",\n".join(json.dumps(o, ensure_ascii=False) for o in p.get(key, [])))
        out.write("\n],\n")
    out.write('"CFDefinitions": {}}\n')
PY
fi
PACKAGE="$WORK/case-$N.json"
ITEMS=$("$PYTHON" -c "import json; p=json.load(open('$PACKAGE')); print(len(p['CFItems']))")
echo "package: $PACKAGE ($(du -h "$PACKAGE" | cut -f1), $ITEMS CFItems)"

# 2. The peer: the same package into SQLite.
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

run_pair() {  # label, opennos flags
  echo "== $1"
  farm-bench -n "$RUNS" --timeout 1800 \
    --vs "$PYTHON $WORK/peer_case.py $PACKAGE $WORK/peer.db" \
    -- sh -c "rm -rf '$WORK/d' && '$BIN' --data '$WORK/d' init >/dev/null && exec '$BIN' --data '$WORK/d' import $2 '$PACKAGE' >/dev/null" \
    | tee -a "$OUT/summary.txt"
}
: > "$OUT/summary.txt"
run_pair "CASE $ITEMS items, opennos import --no-index vs peer (figures include a ~10 ms init)" "--no-index"
run_pair "CASE $ITEMS items, opennos import with its search index step vs peer" ""

# 3. The largest real package in the corpora, when present.
if [ -d "$CORPORA/case" ]; then
  big=$(ls -S "$CORPORA"/case/*.json "$CORPORA"/case/opensalt-tests/*.json | head -1)
  echo "== largest real package: $big ($(du -h "$big" | cut -f1))" | tee -a "$OUT/summary.txt"
  farm-bench -n "$RUNS" -- sh -c "rm -rf '$WORK/r' && '$BIN' --data '$WORK/r' init >/dev/null && exec '$BIN' --data '$WORK/r' import '$big' >/dev/null" | tee -a "$OUT/summary.txt"
else
  echo "SKIP: ../shared/corpora is absent: no real package to time" | tee -a "$OUT/summary.txt"
fi
