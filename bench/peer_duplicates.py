#!/usr/bin/python3
"""The peer for `opennos analyse duplicates`: scikit-learn, the way an analyst would do it.

    /usr/bin/python3 bench/peer_duplicates.py DATA_DIR CODE@EDITION [--threshold 0.8]
        [--chunk-cells 20000000] [--pairs FILE]

Reads the framework's statements from the opennos SQLite database (the same rows `analyse`
reads), turns them into TF-IDF vectors with TfidfVectorizer (the same smoothed idf and L2
normalisation as opennos, over the same terms: an analyzer that does what src/text does -
NFKC case folding, accents removed, letter-and-digit tokens, the same stop words, Snowball
English stems from PyStemmer), then multiplies the matrix by its transpose a chunk of rows at a
time (scipy.sparse), keeping each pair i < j with a cosine at or above the threshold. The chunk
is sized so that a chunk's product has at most about --chunk-cells cells (rows x statements).
Prints the pair count; --pairs writes "id_a id_b score" lines (ids ordered) for
bench/analysis_check.py.

Needs Debian's python3-numpy, python3-sklearn-lib and python3-stemmer, and scipy and scikit-learn
unpacked by bench/analysis_bench.sh into bench/out/peer/root (apt refuses python3-scipy beside
libboost1.81-dev); run it with /usr/bin/python3.
"""

import argparse
import os
import re
import sqlite3
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "out", "peer", "root", "usr", "lib", "python3", "dist-packages"))

import numpy as np  # noqa: E402
import Stemmer  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

# src/text/text.cc's stop words.
STOP = set("""a an and are as at be by for from has have how i in into is it its of on or that
the their them there this to was what when which who will with you your they these those were
been being do does so such than then my me our we us he she his her him""".split())
STATEMENT_TYPES = ("performance-criterion", "knowledge", "behaviour", "skill", "scope",
                   "glossary-term", "statement")
WORD = re.compile(r"[^\W_]+")


def make_analyzer():
    stemmer = Stemmer.Stemmer("english")
    cache = {}

    def normalise(text):
        if text.isascii():
            return text.lower()
        folded = unicodedata.normalize("NFKC", text).casefold()
        return "".join(c for c in unicodedata.normalize("NFD", folded)
                       if unicodedata.category(c) != "Mn")

    def analyse(text):
        out = []
        for token in WORD.findall(normalise(text)):
            stem = cache.get(token)
            if stem is None:
                stem = "" if token in STOP else stemmer.stemWord(token)
                cache[token] = stem
            if stem:
                out.append(stem)
        return out
    return analyse


def statements(db, name):
    code, _, edition = name.partition("@")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    row = con.execute("SELECT uuid FROM frameworks WHERE code = ? AND edition = ?",
                      (code, edition)).fetchone()
    if row is None:
        sys.exit(f"peer: no framework {name}")
    marks = ",".join("?" * len(STATEMENT_TYPES))
    rows = con.execute(f"SELECT uuid, COALESCE(NULLIF(text, ''), title, '') FROM items "
                       f"WHERE framework_uuid = ? AND type IN ({marks})",
                       (row[0], *STATEMENT_TYPES)).fetchall()
    return [r[0] for r in rows], [r[1] for r in rows]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data_dir")
    p.add_argument("framework", help="CODE@EDITION")
    p.add_argument("--threshold", type=float, default=0.8)
    p.add_argument("--chunk-cells", type=int, default=20_000_000)
    p.add_argument("--pairs")
    args = p.parse_args()
    ids, texts = statements(os.path.join(args.data_dir, "opennos.db"), args.framework)
    x = TfidfVectorizer(analyzer=make_analyzer()).fit_transform(texts).tocsr()
    xt = x.T.tocsr()
    n = x.shape[0]
    chunk = max(1, args.chunk_cells // max(n, 1))
    found_a, found_b, found_s = [], [], []
    for start in range(0, n, chunk):
        product = (x[start:start + chunk] @ xt).tocoo()
        keep = (product.data >= args.threshold) & (product.col > product.row + start)
        found_a.append(product.row[keep] + start)
        found_b.append(product.col[keep])
        found_s.append(product.data[keep])
    a = np.concatenate(found_a) if found_a else np.array([], dtype=int)
    b = np.concatenate(found_b) if found_b else np.array([], dtype=int)
    s = np.concatenate(found_s) if found_s else np.array([])
    print(f"{len(a)} pairs among {n} statements at {args.threshold}")
    if args.pairs:
        with open(args.pairs, "w") as f:
            for i, j, score in zip(a.tolist(), b.tolist(), s.tolist()):
                first, second = sorted((ids[i], ids[j]))
                f.write(f"{first} {second} {score:.9f}\n")


if __name__ == "__main__":
    main()
