#!/usr/bin/env python3
"""The peer for the import benchmark: a native framework file loaded into SQLite by a short
Python script (Python's json module, sqlite3 executemany, one transaction, WAL).

    python3 bench/peer_import.py init DB [--fts]          # a fresh database with the schema
    python3 bench/peer_import.py import DB FILE [--fts]   # load one native framework file

What it does, as `opennos import` does:
- reads the whole file and parses it with `json.load`;
- opens the database as opennos does (src/storage/sqlite/db.cc): WAL, synchronous=NORMAL,
  foreign_keys=ON (deferred in the import's transaction), a 64 MB page cache, temp_store=MEMORY;
- uses the same schema as opennos (the tables and indexes of opennos's migrations 1 to 5, copied
  below, so every insert also maintains the same indexes and foreign-key checks);
- derives the framework's and each item's UUID as opennos does (a name-based UUID v5 from
  the framework's code and edition, then from the framework's UUID and the item's code), unless
  the file gives one;
- flattens the tree into one row per item (uuid, framework, parent, position, type, code, title,
  text, the unit fields as columns, keywords and occupations as JSON lists) and resolves
  associations named by `{"code"}` to item UUIDs;
- writes one revision row per framework, item and association, holding a compact JSON snapshot
  of it (as opennos keeps a revision for every change), and one change-log row;
- inserts with `executemany`, all in one transaction, and commits.

What it does not do, that opennos does:
- no validation beyond what it needs to run: it does not refuse unknown keys, wrong types,
  unknown item types, bad dates or enumerated values, duplicate codes or UUIDs (the database's
  primary keys would still refuse a duplicate UUID), trees nested too deep; it gives no JSON
  pointers or line numbers in errors;
- it does not compare with a framework already in the store (no update, no per-item change
  detection, no check that a different framework has the same code and edition): it is meant
  for a fresh database, which is what the benchmark gives both;
- no migration bookkeeping (schema_migrations table) and no progress reporting.
It does the part of the work that dominates the time on a fresh store, and it is written
plainly, the way a competent Python programmer would write it, not tuned and not slowed down.

Search. opennos also brings its Xapian search index up to date after an import (stemmed
terms, facets, spelling data). The peer has no search index by default. With --fts it keeps a
SQLite FTS5 full-text index of the items' code, title, text and overview, rebuilt in one batch
at the end of the same transaction: a yardstick for the import-with-index figure, not an
equivalent of the Xapian index (no facets, no spelling suggestions, no stemming).
"""

import json
import os
import sqlite3
import sys
import time
import uuid as uuidlib
from datetime import datetime, timezone

# opennos's namespace for name-based UUIDs (src/core/uuid.cc).
OPENNOS_NAMESPACE = uuidlib.UUID("3f6c1a52-7d0e-5b8a-9c41-2e6f0d9b7a13")

# The schema of opennos's migrations 1 to 5 (src/storage/sql/migrations.cc); the peer leaves
# the items' tree_link_uuid empty (it derives no identifiers).
SCHEMA = """
CREATE TABLE frameworks (
  uuid TEXT PRIMARY KEY,
  code TEXT NOT NULL,
  edition TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  publisher TEXT, key_purpose TEXT, description TEXT, language TEXT, licence TEXT,
  published TEXT, review TEXT, previous_edition TEXT, translation_note TEXT, extra TEXT,
  revision INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (code, edition)
);
CREATE TABLE items (
  uuid TEXT PRIMARY KEY,
  framework_uuid TEXT NOT NULL REFERENCES frameworks(uuid),
  parent_uuid TEXT,
  position INTEGER NOT NULL,
  type TEXT NOT NULL,
  type_name TEXT, code TEXT, title TEXT, text TEXT,
  urn TEXT, overview TEXT, version INTEGER, unit_status TEXT, developed_by TEXT,
  originating_organisation TEXT, approved TEXT, review TEXT, validity TEXT, category TEXT,
  original_urn TEXT, keywords TEXT, occupations TEXT,
  cy_title TEXT, cy_text TEXT, cy_overview TEXT,
  extra TEXT,
  revision INTEGER NOT NULL,
  child_of_uuid TEXT,
  tree_link_uuid TEXT
);
CREATE INDEX items_by_framework ON items (framework_uuid, type);
CREATE INDEX items_by_tree_link ON items (tree_link_uuid);
CREATE INDEX items_by_urn ON items (urn COLLATE NOCASE) WHERE urn IS NOT NULL;
CREATE TABLE associations (
  uuid TEXT PRIMARY KEY,
  framework_uuid TEXT NOT NULL REFERENCES frameworks(uuid),
  position INTEGER NOT NULL,
  type TEXT NOT NULL,
  origin_uuid TEXT, origin_framework TEXT, origin_code TEXT, origin_uri TEXT, origin_title TEXT,
  dest_uuid TEXT, dest_framework TEXT, dest_code TEXT, dest_uri TEXT, dest_title TEXT,
  provenance TEXT NOT NULL, score REAL, decision TEXT, extra TEXT,
  revision INTEGER NOT NULL
);
CREATE INDEX associations_by_framework ON associations (framework_uuid);
CREATE INDEX associations_by_origin ON associations (origin_uuid);
CREATE INDEX associations_by_destination ON associations (dest_uuid);
CREATE TABLE revisions (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_uuid TEXT NOT NULL,
  framework_uuid TEXT NOT NULL,
  number INTEGER NOT NULL,
  author TEXT NOT NULL,
  at TEXT NOT NULL,
  reason TEXT,
  before TEXT,
  after TEXT
);
CREATE INDEX revisions_by_entity ON revisions (entity_uuid, number);
CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  framework_uuid TEXT NOT NULL,
  at TEXT NOT NULL
);
"""
FTS_SCHEMA = """
CREATE VIRTUAL TABLE items_fts USING fts5(code, title, text, overview,
  content='items', content_rowid='rowid', tokenize='porter unicode61');
"""

FRAMEWORK_KEYS = [  # native key -> column, in the order of the native format
    ("uuid", "uuid"), ("code", "code"), ("edition", "edition"), ("title", "title"),
    ("status", "status"), ("publisher", "publisher"), ("keyPurpose", "key_purpose"),
    ("description", "description"), ("language", "language"), ("licence", "licence"),
    ("published", "published"), ("review", "review"), ("previousEdition", "previous_edition"),
    ("translationNote", "translation_note"), ("extra", "extra")]
UNIT_KEYS = [
    ("urn", "urn"), ("overview", "overview"), ("version", "version"), ("status", "unit_status"),
    ("developedBy", "developed_by"), ("originatingOrganisation", "originating_organisation"),
    ("approved", "approved"), ("review", "review"), ("validity", "validity"),
    ("category", "category"), ("originalUrn", "original_urn"), ("keywords", "keywords"),
    ("occupations", "occupations")]
ITEM_COLUMNS = [
    "uuid", "framework_uuid", "parent_uuid", "position", "type", "type_name", "code", "title",
    "text"] + [c for _, c in UNIT_KEYS] + ["cy_title", "cy_text", "cy_overview", "extra",
                                           "revision"]
ASSOCIATION_COLUMNS = [
    "uuid", "framework_uuid", "position", "type", "origin_uuid", "origin_framework",
    "origin_code", "origin_uri", "origin_title", "dest_uuid", "dest_framework", "dest_code",
    "dest_uri", "dest_title", "provenance", "score", "decision", "extra", "revision"]


def connect(path):
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL",
                   "cache_size=-65536", "temp_store=MEMORY"):  # as opennos
        db.execute("PRAGMA " + pragma)
    return db


def init(path, fts=False):
    db = connect(path)
    db.executescript(SCHEMA + (FTS_SCHEMA if fts else ""))
    db.close()


def name_uuid(namespace, name):
    return str(uuidlib.uuid5(namespace, name))


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def import_file(path, file, fts=False):
    with open(file, encoding="utf-8") as f:
        doc = json.load(f)
    fw = doc["framework"]
    fw_uuid = fw.get("uuid") or name_uuid(OPENNOS_NAMESPACE,
                                          f"framework:{fw['code']}@{fw['edition']}")
    fw_ns = uuidlib.UUID(fw_uuid)
    at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    author = os.environ.get("USER", "peer")
    reason = "import"

    framework = {"uuid": fw_uuid, **{k: v for k, v in fw.items() if k != "uuid"}}
    framework.setdefault("status", "approved")
    framework.setdefault("language", "en")
    framework_row = [framework.get(k) for k, _ in FRAMEWORK_KEYS]
    if framework_row[-1] is not None:
        framework_row[-1] = compact(framework_row[-1])

    item_rows = []
    revision_rows = [("framework", fw_uuid, fw_uuid, 1, author, at, reason, None,
                      compact(framework))]
    uuid_by_code = {}

    # Depth-first, parents before children, as opennos stores them.
    stack = [(doc.get("items") or [], None, "/items")]
    while stack:
        items, parent, pointer = stack.pop()
        for position, item in enumerate(items):
            code = item.get("code")
            uuid = item.get("uuid") or (
                name_uuid(fw_ns, "item:" + code) if code
                else name_uuid(fw_ns, f"item-at:{pointer}/{position}"))
            if code:
                uuid_by_code[code] = uuid
            cy = item.get("cy") or {}
            extra = item.get("extra")
            row = [uuid, fw_uuid, parent, position, item["type"], item.get("typeName"), code,
                   item.get("title"), item.get("text")]
            for key, _ in UNIT_KEYS:
                value = item.get(key)
                if key in ("keywords", "occupations"):
                    value = compact(value) if value else None
                row.append(value)
            row += [cy.get("title"), cy.get("text"), cy.get("overview"),
                    compact(extra) if extra else None, 1]
            item_rows.append(row)
            snapshot = {"uuid": uuid, **{k: v for k, v in item.items() if k != "children"},
                        "parent": parent or "", "position": position}
            revision_rows.append(("item", uuid, fw_uuid, 1, author, at, reason, None,
                                  compact(snapshot)))
            children = item.get("children")
            if children:
                stack.append((children, uuid, f"{pointer}/{position}/children"))

    def node(n):
        """An association's end as columns, and as its snapshot with the UUID resolved."""
        if "uuid" in n:
            row = [n["uuid"], n.get("framework", fw_uuid), n.get("code"), n.get("uri"),
                   n.get("title")]
        elif "code" in n and "framework" not in n:
            row = [uuid_by_code[n["code"]], fw_uuid, n["code"], n.get("uri"), n.get("title")]
        else:
            row = [None, n.get("framework"), n.get("code"), n.get("uri"), n.get("title")]
        return row, {"uuid": row[0], **n} if row[0] else n

    association_rows = []
    for position, a in enumerate(doc.get("associations") or []):
        (origin, origin_json), (destination, destination_json) = (
            node(a["origin"]), node(a["destination"]))
        a_uuid = a.get("uuid") or name_uuid(
            fw_ns, f"association:{a['type']}:{origin[0] or origin[3]}>"
                   f"{destination[0] or destination[3]}")
        extra = a.get("extra")
        association_rows.append(
            [a_uuid, fw_uuid, position, a["type"], *origin, *destination,
             a.get("provenance", "authored"), a.get("score"), a.get("decision"),
             compact(extra) if extra else None, 1])
        revision_rows.append(("association", a_uuid, fw_uuid, 1, author, at, reason, None,
                              compact({"uuid": a_uuid, **a, "origin": origin_json,
                                       "destination": destination_json})))

    db = connect(path)
    db.execute("BEGIN IMMEDIATE")
    db.execute("PRAGMA defer_foreign_keys = ON")
    db.execute("INSERT INTO frameworks (" + ", ".join(c for _, c in FRAMEWORK_KEYS) +
               ", revision, updated_at) VALUES (" + ", ".join("?" * 17) + ")",
               framework_row + [1, at])
    db.executemany("INSERT INTO items (" + ", ".join(ITEM_COLUMNS) + ") VALUES (" +
                   ", ".join("?" * len(ITEM_COLUMNS)) + ")", item_rows)
    db.executemany("INSERT INTO associations (" + ", ".join(ASSOCIATION_COLUMNS) +
                   ") VALUES (" + ", ".join("?" * len(ASSOCIATION_COLUMNS)) + ")",
                   association_rows)
    db.executemany("INSERT INTO revisions (entity, entity_uuid, framework_uuid, number, author,"
                   " at, reason, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   revision_rows)
    db.execute("INSERT INTO change_log (framework_uuid, at) VALUES (?, ?)", (fw_uuid, at))
    if fts:  # the search index, in one batch at the end
        db.execute("INSERT INTO items_fts (items_fts) VALUES ('rebuild')")
    db.execute("COMMIT")
    db.close()
    return len(item_rows), len(association_rows)


def main(argv):
    fts = "--fts" in argv
    argv = [a for a in argv if a != "--fts"]
    if len(argv) == 3 and argv[1] == "init":
        init(argv[2], fts)
        return 0
    if len(argv) == 4 and argv[1] == "import":
        start = time.perf_counter()
        items, associations = import_file(argv[2], argv[3], fts)
        print(f"peer: {items} items, {associations} associations in "
              f"{time.perf_counter() - start:.3f} s")
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
