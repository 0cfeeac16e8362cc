#!/usr/bin/env python3
"""End-to-end search latency through the server: starts `opennos serve --quiet --port 0` on a
data directory, sends each query to GET /api/v1/search?q=... one after another over one
keep-alive connection (http.client), and stops the server.

    python3 bench/search_http.py --opennos BIN --data DIR QUERIES [--warmup 1] [--repeat 1]
                                 [--times FILE]

A request is timed from before it is sent to after the whole body is read, on the client
(Python's own cost included: the "floor" line gives it, the same loop on q= with nothing to
search, which the API answers without touching the index). Two modes, as the library benchmark
has them: facets and snippets on (as the search page uses them), and a plain top 10
(`facets=false&snippets=false`). The port is read from /proc (the socket the server's process listens on), since a
quiet server does not print it. --repeat N keeps each query's fastest of N timed passes (as
search_latency does). Prints one JSON line per measurement: p50/p90/p99/max/mean ms.
"""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse


def listening_port(pid):
    """The TCP port a process listens on, from /proc: its socket inodes, then the LISTEN rows."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return None
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[3] == "0A" and cols[9] in inodes:  # 0A: LISTEN
                        return int(cols[1].rsplit(":", 1)[1], 16)
        except OSError:
            pass
    return None


def percentile(sorted_values, p):
    rank = max(1, min(len(sorted_values), -(-len(sorted_values) * p // 100)))
    return sorted_values[int(rank) - 1]


def summary(name, times, extra=None):
    s = sorted(times)
    out = {"system": name, "queries": len(times), "p50_ms": round(percentile(s, 50), 3),
           "p90_ms": round(percentile(s, 90), 3), "p99_ms": round(percentile(s, 99), 3),
           "max_ms": round(s[-1], 3), "mean_ms": round(statistics.fmean(s), 3)}
    out.update(extra or {})
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--opennos", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("queries")
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--times")
    args = p.parse_args()
    with open(args.queries, encoding="utf-8") as f:
        queries = [line.rstrip("\n") for line in f if line.strip()]

    server = subprocess.Popen([args.opennos, "--data", args.data, "serve", "--quiet", "--port", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        port = None
        deadline = time.monotonic() + 600  # a server may build a missing index first
        while port is None:
            if server.poll() is not None:
                raise SystemExit("opennos serve exited: " + server.stderr.read().decode())
            if time.monotonic() > deadline:
                raise SystemExit("opennos serve did not listen within 600 s")
            time.sleep(0.1)
            port = listening_port(server.pid)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        modes = [("api, facets+snippets", {}),
                 ("api, plain top-10", {"facets": "false", "snippets": "false"})]

        def get(q, params=None):
            conn.request("GET", "/api/v1/search?" + urllib.parse.urlencode({"q": q, **(params or {})}))
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                raise SystemExit(f"{q!r}: HTTP {r.status}: {body[:200]!r}")
            return body

        for _ in range(args.warmup):
            for _, params in modes:
                for q in queries:
                    get(q, params)
        times = {name: [float("inf")] * len(queries) for name, _ in modes}
        size = {name: 0 for name, _ in modes}
        total = {name: 0 for name, _ in modes}
        floor = [float("inf")] * len(queries)
        for r in range(args.repeat):
            for name, params in modes:
                for i, q in enumerate(queries):
                    t0 = time.perf_counter()
                    body = get(q, params)
                    times[name][i] = min(times[name][i], (time.perf_counter() - t0) * 1000)
                    if r == 0:
                        size[name] += len(body)
                        total[name] += json.loads(body).get("total", 0)
            for i in range(len(queries)):
                t0 = time.perf_counter()
                get("")
                floor[i] = min(floor[i], (time.perf_counter() - t0) * 1000)
        if args.times:
            with open(args.times, "w", encoding="utf-8") as out:
                for name, _ in modes:
                    for q, t in zip(queries, times[name]):
                        out.write(f"{name}\t{t * 1000:.1f}\t{q}\n")
        extra = {"best_of": args.repeat}
        for name, _ in modes:
            print(json.dumps(summary(name, times[name],
                                     dict(extra, mean_bytes=size[name] // len(queries),
                                          mean_total=total[name] // len(queries)))))
        print(json.dumps(summary("api floor (q empty)", floor, extra)))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
