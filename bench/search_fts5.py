#!/usr/bin/env python3
"""The search benchmark's peer: SQLite FTS5 over the same statements, queried by the same list.

    python3 bench/search_fts5.py build CORPUS_DIR DB        # prints one JSON line: build times
    python3 bench/search_fts5.py query DB QUERIES [--warmup 1] [--repeat 1] [--snippets]
                                                  [--times FILE]

build: one FTS5 table, tokenize='porter' (Porter stemmer over the unicode61 tokenizer), one row
per statement (performance criterion, knowledge, behaviour) of every search-NN.json, inserted
in one transaction, then 'optimize' (merges the segments into one, as a read-mostly index
would be). Reading the JSON is timed apart from indexing.

query: each query becomes an OR of its words (a quoted phrase stays a phrase), ranked by
bm25, top 10: SELECT rowid, code, text ... ORDER BY rank LIMIT 10, every row fetched.
--snippets also asks FTS5 for a highlighted snippet of each hit (what the search page shows).
--repeat N keeps each query's fastest of N timed passes (as search_latency does). Prints one
JSON line: p50/p90/p99/max/mean in ms.
"""

import argparse
import glob
import json
import os
import re
import sqlite3
import statistics
import sys
import time

STATEMENT_TYPES = ("performance-criterion", "knowledge", "behaviour")


def statements(corpus):
    for path in sorted(glob.glob(os.path.join(corpus, "search-*.json"))):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        fw = doc["framework"]["code"]
        stack = list(reversed(doc["items"]))
        while stack:
            it = stack.pop()
            stack.extend(reversed(it.get("children", [])))
            if it["type"] in STATEMENT_TYPES:
                yield fw, it["code"], it["text"]


def build(args):
    t0 = time.perf_counter()
    rows = list(statements(args.corpus))
    t1 = time.perf_counter()
    if os.path.exists(args.db):
        os.remove(args.db)
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(framework UNINDEXED, code UNINDEXED, text, "
               "tokenize='porter')")
    db.execute("BEGIN")
    db.executemany("INSERT INTO s(framework, code, text) VALUES (?, ?, ?)", rows)
    db.execute("COMMIT")
    t2 = time.perf_counter()
    db.execute("INSERT INTO s(s) VALUES ('optimize')")
    t3 = time.perf_counter()
    db.close()
    print(json.dumps({"system": "fts5", "statements": len(rows), "read_json_s": round(t1 - t0, 3),
                      "insert_s": round(t2 - t1, 3), "optimize_s": round(t3 - t2, 3),
                      "build_s": round(t3 - t1, 3), "bytes": os.path.getsize(args.db)}))


def to_match(query):
    """'fire "risk assessment" safety' -> '"fire" OR "risk assessment" OR "safety"'."""
    parts = []
    for phrase, plain in re.findall(r'"([^"]*)"|(\S+)', query):
        words = re.findall(r"[0-9a-z]+", (phrase or plain).lower())
        if not words:
            continue
        if phrase:
            parts.append('"' + " ".join(words) + '"')
        else:
            parts.extend(f'"{w}"' for w in words)
    return " OR ".join(parts)


def percentile(sorted_values, p):
    rank = max(1, min(len(sorted_values), -(-len(sorted_values) * p // 100)))
    return sorted_values[int(rank) - 1]


def query(args):
    with open(args.queries, encoding="utf-8") as f:
        queries = [line.rstrip("\n") for line in f if line.strip()]
    db = sqlite3.connect(args.db)
    if args.snippets:
        sql = ("SELECT rowid, code, text, snippet(s, 2, '<mark>', '</mark>', '…', 32) FROM s "
               "WHERE s MATCH ? ORDER BY rank LIMIT 10")
    else:
        sql = "SELECT rowid, code, text FROM s WHERE s MATCH ? ORDER BY rank LIMIT 10"
    matches = [to_match(q) for q in queries]

    def run(m):
        if not m:
            return []
        return db.execute(sql, (m,)).fetchall()

    for _ in range(args.warmup):
        for m in matches:
            run(m)
    times, hits = [float("inf")] * len(queries), 0
    for r in range(args.repeat):
        for i, m in enumerate(matches):
            t0 = time.perf_counter()
            rows = run(m)
            times[i] = min(times[i], (time.perf_counter() - t0) * 1000)
            if r == 0:
                hits += len(rows)
    if args.times:
        with open(args.times, "w", encoding="utf-8") as out:
            for q, t in zip(queries, times):
                out.write(f"fts5\t{t * 1000:.1f}\t{q}\n")
    s = sorted(times)
    print(json.dumps({"system": "fts5" + (" +snippets" if args.snippets else ""),
                      "queries": len(queries), "p50_ms": round(percentile(s, 50), 3),
                      "p90_ms": round(percentile(s, 90), 3), "p99_ms": round(percentile(s, 99), 3),
                      "max_ms": round(s[-1], 3), "mean_ms": round(statistics.fmean(s), 3),
                      "best_of": args.repeat, "mean_hits": round(hits / len(queries), 2)}))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("corpus")
    b.add_argument("db")
    q = sub.add_parser("query")
    q.add_argument("db")
    q.add_argument("queries")
    q.add_argument("--warmup", type=int, default=1)
    q.add_argument("--snippets", action="store_true")
    q.add_argument("--repeat", type=int, default=1)
    q.add_argument("--times")
    args = p.parse_args()
    if args.command == "build":
        build(args)
    else:
        query(args)


if __name__ == "__main__":
    sys.exit(main())
