#!/usr/bin/env python3
"""Draws the search benchmark's queries from the corpus itself, one a line.

    python3 bench/search_queries.py [-n 1000] [--seed 11] -o queries.txt CORPUS_DIR

What people type into a standards search box: one to four words, mostly topic words (taken
from unit titles and keywords, and from statements, so frequent words come up as often as
they are used), some as a "quoted phrase", and a few with a typing mistake (which exercise the
"did you mean"). Mix: 1 word 25%, 2 words 35%, 3 words 18%, 4 words 10%, a quoted phrase of
2-3 words 10%, a misspelt word 2%. Every system of the benchmark runs the same list.
"""

import argparse
import glob
import json
import os
import random
import re

STOP = set("a an and are as at be by for from has have how i in into is it its of on or that the "
           "their them there this to was what when with which who will you your they these those "
           "were been being do does so such than then my me our we us he she his her him all any "
           "other others not can may must should would could also about within during including using "
           "following taking account after before through without upon per while where each "
           "etc e.g i.e ensure".split())
# Wrappers the generator adds to statements: not what anyone searches for.
BOILERPLATE = set("consistently personal responsibility openly carefully respect seek advice unsure "
                  "make time methods techniques legal regulatory organisational requirements apply "
                  "important information tools equipment need risks involved control consult "
                  "procedures follow limits own role check quality records must keep standard "
                  "line".split())


def runs(text):
    """Runs of consecutive content words (a stop word or punctuation ends a run)."""
    out, cur = [], []
    for tok in re.findall(r"[A-Za-z][A-Za-z'-]*|[^\sA-Za-z]", text):
        w = tok.lower().strip("'-")
        if len(w) >= 3 and w not in STOP and w.isascii() and w.replace("-", "").isalpha():
            cur.append(w)
        else:
            if cur:
                out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def typo(rng, word):
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", help="directory of search-NN.json (bench/search_corpus.py)")
    p.add_argument("-n", type=int, default=1000)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    rng = random.Random(args.seed)

    titles, statements = [], []
    for path in sorted(glob.glob(os.path.join(args.corpus, "search-*.json"))):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        stack = list(doc["items"])
        while stack:
            it = stack.pop()
            stack.extend(it.get("children", []))
            if it["type"] == "unit":
                titles.append(it["title"])
                titles.extend(it.get("keywords", []))
            elif it["type"] in ("performance-criterion", "knowledge", "behaviour"):
                if rng.random() < 0.05:  # a sample is plenty for the vocabulary
                    statements.append(it["text"])
    if not titles:
        raise SystemExit(f"no corpus in {args.corpus}")

    def source_runs(length):
        for _ in range(1000):
            text = rng.choice(titles) if rng.random() < 0.5 else rng.choice(statements)
            candidates = [r for r in runs(text) if len(r) >= length]
            candidates = [[w for w in r if w not in BOILERPLATE] for r in candidates]
            candidates = [r for r in candidates if len(r) >= length]
            if candidates:
                r = rng.choice(candidates)
                start = rng.randrange(len(r) - length + 1)
                return r[start:start + length]
        raise SystemExit("corpus too small for queries")

    queries, seen = [], set()
    while len(queries) < args.n:
        x = rng.random()
        if x < 0.25:
            q = " ".join(source_runs(1))
        elif x < 0.60:
            q = " ".join(source_runs(2))
        elif x < 0.78:
            q = " ".join(source_runs(3))
        elif x < 0.88:
            q = " ".join(source_runs(4))
        elif x < 0.98:
            q = '"' + " ".join(source_runs(rng.choice((2, 2, 3)))) + '"'
        else:
            words = source_runs(rng.choice((1, 2)))
            long = [i for i, w in enumerate(words) if len(w) >= 6]
            if not long:
                continue
            i = rng.choice(long)
            words[i] = typo(rng, words[i])
            q = " ".join(words)
        if q not in seen:
            seen.add(q)
            queries.append(q)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")


if __name__ == "__main__":
    main()
