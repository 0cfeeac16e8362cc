#!/usr/bin/env python3
"""The table of bench/analysis_bench.sh: one row per size from what the run left in OUT.

    python3 bench/analysis_table.py OUT SIZES

For each size N it reads results{N}.json (abtime.py's last line: medians of wall and CPU
seconds, the largest peak), exact{N}.txt (analysis_exact: the engine's pairs against brute
force) and check{N}.txt (analysis_check.py: opennos's pairs against the peer's), and prints a
Markdown table. The peer's 1,000,000 figure, when it was not run there, is extrapolated from
its measured growth between the two largest sizes it ran at, and marked so.
"""

import json
import math
import os
import sys


def last_json_line(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    return json.loads(lines[-1]) if lines else None


def text_of(path):
    if not os.path.exists(path):
        return "not run"
    with open(path, encoding="utf-8") as f:
        return " ".join(f.read().split())


def main():
    out, sizes = sys.argv[1], [int(n) for n in sys.argv[2].split()]
    rows, peer = [], {}
    for n in sizes:
        r = last_json_line(os.path.join(out, f"results{n}.json"))
        if r is None:
            continue
        a, b = r["A"], r.get("B")
        if b:
            peer[n] = b["cpu"]["median"]
        rows.append((n, r, a, b))
    print("| statements | runs | opennos wall | opennos CPU | opennos peak | peer wall | peer CPU |"
          " peer peak | peer/opennos wall | peer/opennos CPU |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    measured = sorted(peer)
    for n, r, a, b in rows:
        if b:
            pw, pc, pp = (f"{b['wall']['median']:.2f} s", f"{b['cpu']['median']:.2f} s",
                          f"{b['peak_mb']:.0f} MiB")
            rw = f"{b['wall']['median'] / a['wall']['median']:.1f}x"
            rc = f"{b['cpu']['median'] / a['cpu']['median']:.1f}x"
        elif len(measured) >= 2 and n > measured[-1]:
            n1, n2 = measured[-2], measured[-1]
            growth = math.log(peer[n2] / peer[n1]) / math.log(n2 / n1)
            est = peer[n2] * (n / n2) ** growth
            pw, pc, pp = "not run", f"~{est:.0f} s (extrapolated, growth n^{growth:.2f})", "-"
            rw, rc = "-", f"~{est / a['cpu']['median']:.0f}x (extrapolated)"
        else:
            pw = pc = pp = rw = rc = "not run"
        print(f"| {n:,} | {r['runs']} | {a['wall']['median']:.2f} s | {a['cpu']['median']:.2f} s |"
              f" {a['peak_mb']:.0f} MiB | {pw} | {pc} | {pp} | {rw} | {rc} |")
    print()
    for n, _, _, _ in rows:
        print(f"- {n:,}: brute force: {text_of(os.path.join(out, f'exact{n}.txt'))}")
        print(f"  peer: {text_of(os.path.join(out, f'check{n}.txt'))}")


if __name__ == "__main__":
    main()
