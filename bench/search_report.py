#!/usr/bin/env python3
"""Prints the search benchmark's table from its results.jsonl (bench/search_bench.sh).

    python3 bench/search_report.py bench/out/search/results.jsonl

Each invocation of search_bench.sh starts a session (a "machine" line); for each measurement
the table shows the latest session that made it, so a partial re-run (STEPS="api") keeps the
others. Build times: median of the runs, with min-max.
"""

import json
import statistics
import sys


def main():
    sessions = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if d["kind"] == "machine" or not sessions:
                sessions.append({"machine": d if d["kind"] == "machine" else {}, "rows": []})
            sessions[-1]["rows"].append(d)

    latest = {}  # measurement key -> (session index, rows)
    for i, s in enumerate(sessions):
        keys = {}
        for d in s["rows"]:
            if d["kind"] in ("machine", "machine-end"):
                continue
            k = (d["kind"], d.get("label") or d.get("system") or "")
            keys.setdefault(k, []).append(d)
        for k, rows in keys.items():
            latest[k] = (i, rows)
    used = sorted({i for i, _ in latest.values()})
    for i in used:
        m = sessions[i]["machine"]
        end = next((d for d in sessions[i]["rows"] if d["kind"] == "machine-end"), {})
        print(f"machine: {m.get('cores')} cores ({m.get('cpu')}), {m.get('mem_gb')} GB; "
              f"{m.get('date')}; load average {m.get('load')} at start, {end.get('load', '?')} "
              f"at end; commit {m.get('commit')} ({m.get('dirty')} files changed under src/; "
              f"index.cc {m.get('index_cc', '?')})")

    def med(rows, field):
        v = [r[field] for r in rows]
        return statistics.median(v), min(v), max(v)

    builds = [(k[1], rows) for k, (_, rows) in latest.items() if k[0] == "build"]
    if builds:
        print()
        print(f"{'build (whole process)':34} {'wall s median':>14} {'(min-max)':>15} "
              f"{'user s':>8} {'sys s':>7} {'peak MB':>8}  runs")
        order = ["import, no index step", "index step (catch-up)", "import with index step",
                 "full rebuild (reindex)"]
        for label, rows in sorted(builds, key=lambda b: order.index(b[0]) if b[0] in order else 9):
            w, lo, hi = med(rows, "wall_s")
            print(f"{label:34} {w:14.1f} {f'({lo:.1f}-{hi:.1f})':>15} "
                  f"{med(rows, 'user_s')[0]:8.1f} {med(rows, 'sys_s')[0]:7.1f} "
                  f"{med(rows, 'peak_mb')[0]:8.0f}  {len(rows)}")
    fts = [rows for k, (_, rows) in latest.items() if k[0] == "fts5-build"]
    if fts:
        rows = fts[0]
        b, lo, hi = med(rows, "build_s")
        print(f"{'FTS5 build (insert + optimize)':34} {b:14.1f} {f'({lo:.1f}-{hi:.1f})':>15}"
              f"   (reading the JSON: {med(rows, 'read_json_s')[0]:.1f} s, not included; "
              f"{rows[0]['statements']:,} rows)")
    sizes = [rows[-1] for k, (_, rows) in latest.items() if k[0] == "size"]
    if sizes:
        s = sizes[0]
        holding = f" holding {s['items']:,} units and statements" if s.get("items") else ""
        print(f"\nindex size: {s['index']} ({s['index_bytes']:,} bytes, {s['documents']:,} "
              f"documents{holding}); store: {s['store']}")
    if fts:
        print(f"FTS5 database: {fts[0][-1]['bytes'] / 2**20:.0f} MB")

    lat = [rows[-1] for k, (_, rows) in latest.items() if k[0] == "latency"]
    if lat:
        print()
        print(f"{'query latency, ms':38} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8} {'mean':>8}")
        for d in lat:
            print(f"{d['system']:38} {d['p50_ms']:8.2f} {d['p90_ms']:8.2f} {d['p99_ms']:8.2f} "
                  f"{d['max_ms']:8.2f} {d['mean_ms']:8.2f}")


if __name__ == "__main__":
    main()
