#!/usr/bin/env python3
"""Checks that two pair sets are the same (CLARIFICATIONS, issue 8): identical except pairs
whose score is within 1e-6 of the threshold.

    python3 bench/analysis_check.py OPENNOS_JSON PEER_PAIRS THRESHOLD

OPENNOS_JSON is `opennos analyse duplicates --json` output; PEER_PAIRS the lines
"id_a id_b score" that peer_duplicates.py --pairs writes. Exits 1 when they differ, naming
the first differences.
"""

import json
import sys


def main():
    ours_path, peer_path, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with open(ours_path) as f:
        report = json.load(f)
    ours = {}
    for p in report["pairs"]:
        a, b = sorted((p["a"]["id"], p["b"]["id"]))
        ours[(a, b)] = p["score"]
    peer = {}
    with open(peer_path) as f:
        for line in f:
            a, b, score = line.split()
            peer[(a, b)] = float(score)
    near = lambda s: abs(s - threshold) <= 1e-6  # noqa: E731
    missing = [k for k, s in peer.items() if k not in ours and not near(s)]
    extra = [k for k, s in ours.items() if k not in peer and not near(s)]
    worst = max((abs(ours[k] - peer[k]) for k in ours.keys() & peer.keys()), default=0.0)
    print(f"opennos {len(ours)} pairs, peer {len(peer)}; only in peer {len(missing)}, only in "
          f"opennos {len(extra)} (beyond 1e-6 of the threshold); largest score difference "
          f"{worst:.2e}")
    for k in (missing + extra)[:10]:
        print("  differs:", k, ours.get(k), peer.get(k))
    sys.exit(1 if missing or extra else 0)


if __name__ == "__main__":
    main()
