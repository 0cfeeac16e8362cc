#!/bin/sh
# The analysis benchmark (issue 8): `opennos analyse duplicates` at threshold 0.8 beside the
# scikit-learn peer (bench/peer_duplicates.py), on generated corpora of real text with planted
# near-duplicates (bench/gen_analysis.py), with the pair sets checked.
#
#   bench/analysis_bench.sh                 # SIZES="20000 200000 1000000", PEER_SIZES="20000 200000"
#   RUNS=3 SIZES=20000 bench/analysis_bench.sh
#
# The whole table in one command: `bench/analysis_bench.sh` (RUNS=3 by default; about 15 minutes
# on a quiet 2-core machine once the corpora are imported, about 10 more the first time). It
# ends with the table (bench/out/analysis/table.md): time and peak of each size, the peer
# beside opennos at 20,000 and 200,000 and extrapolated to 1,000,000, and the two checks.
#
# Needs build/opennos and build/bench/analysis_exact, GNU time, and for the peer Debian's
# python3-numpy, python3-sklearn-lib, python3-stemmer, python3-joblib, python3-threadpoolctl
# (installed here with apt when missing), plus python3-scipy and python3-sklearn, which apt
# refuses beside libboost1.81-dev (python3-pythran wants libboost-dev 1.74): this script
# downloads those two .deb files with `apt-get download` and unpacks them into
# bench/out/peer/root (git-ignored), where peer_duplicates.py finds them.
#
# For each size it: generates the corpus once; imports it (--no-index) into its own data
# directory; checks the engine against brute force (analysis_exact: every pair at 20,000, 2,000
# rows against all the others above that); times opennos and the peer A B A B (abtime.py,
# whole processes; the peer only at PEER_SIZES, its 1,000,000 figure is extrapolated from its
# measured growth); and checks that both found the same pairs (analysis_check.py).
# Everything goes to bench/out/analysis/.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
OUT="$HERE/out/analysis"
OPENNOS=${OPENNOS:-$ROOT/build/opennos}
EXACT=${EXACT:-$ROOT/build/bench/analysis_exact}
SIZES=${SIZES:-"20000 200000 1000000"}
PEER_SIZES=${PEER_SIZES:-"20000 200000"}
RUNS=${RUNS:-3}
mkdir -p "$OUT"
cp "$OPENNOS" "$OUT/opennos"  # a rebuild during the run cannot change what is measured
cp "$EXACT" "$OUT/analysis_exact"
EXACT="$OUT/analysis_exact"

# The peer's packages.
PEER="$HERE/out/peer"
if ! /usr/bin/python3 -c 'import numpy, Stemmer, joblib, threadpoolctl' 2>/dev/null; then
  apt-get install -y python3-numpy python3-sklearn-lib python3-stemmer python3-joblib \
    python3-threadpoolctl python3-decorator liblbfgsb0 libgfortran5 libblas3 liblapack3
fi
if [ ! -d "$PEER/root/usr/lib/python3/dist-packages/sklearn" ]; then
  mkdir -p "$PEER"
  (cd "$PEER" && apt-get download python3-scipy python3-sklearn)
  for deb in "$PEER"/*.deb; do dpkg-deb -x "$deb" "$PEER/root"; done
  # The compiled half of scikit-learn comes from python3-sklearn-lib.
  cp -rn /usr/lib/python3/dist-packages/sklearn/. "$PEER/root/usr/lib/python3/dist-packages/sklearn/"
fi

for n in $SIZES; do
  corpus="$OUT/a$n.json" data="$OUT/d$n"
  [ -f "$corpus" ] || /usr/bin/python3 "$HERE/gen_analysis.py" -n "$n" -o "$corpus"
  if [ ! -f "$data/opennos.db" ]; then
    "$OUT/opennos" --data "$data" init >/dev/null
    "$OUT/opennos" --data "$data" import --no-index "$corpus" >/dev/null
  fi
  name="ANALYSIS@$n"
  if [ "$n" -le 50000 ]; then sample=0; else sample=2000; fi
  "$EXACT" "$data" "$name" --threshold 0.8 --sample "$sample" | tee "$OUT/exact$n.txt"
  a="$OUT/opennos --data $data analyse duplicates $name --json --no-progress > $OUT/dup$n.json"
  case " $PEER_SIZES " in
    *" $n "*)
      b="/usr/bin/python3 $HERE/peer_duplicates.py $data $name --pairs $OUT/peer$n.txt > /dev/null"
      /usr/bin/python3 "$HERE/abtime.py" -n "$RUNS" --warmup 0 --label "duplicates $n" \
        --json "$OUT/results$n.json" --a "$a" --b "$b" | tee "$OUT/time$n.txt"
      /usr/bin/python3 "$HERE/analysis_check.py" "$OUT/dup$n.json" "$OUT/peer$n.txt" 0.8 \
        | tee "$OUT/check$n.txt" ;;
    *)
      /usr/bin/python3 "$HERE/abtime.py" -n "$RUNS" --warmup 0 --label "duplicates $n" \
        --json "$OUT/results$n.json" --a "$a" | tee "$OUT/time$n.txt" ;;
  esac
done
/usr/bin/python3 "$HERE/analysis_table.py" "$OUT" "$SIZES" | tee "$OUT/table.md"
