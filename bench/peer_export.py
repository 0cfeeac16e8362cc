#!/usr/bin/env python3
"""The peer for the export benchmark: reads a framework back from the database that
peer_import.py wrote and writes it as a native framework file with Python's json module
(`json.dump`, two-space indentation), or in the OpenNOS CSV layout with Python's csv module.

    python3 bench/peer_export.py DB CODE native|csv OUTPUT

What it does, as `opennos export` does:
- finds the framework by code (the newest edition), selects its items and associations;
- rebuilds the tree from parent and position (children in position order, pre-order);
- writes the native format: the same keys in the same order, empty fields left out, keywords
  and occupations as lists, `cy` and `extra` as objects, a final newline; or the CSV layout: a
  framework row, then a row per item with its parent's code;
- writes beside the target and renames, so a failure leaves no half-written file.

What it does not do: the native output is json.dump's layout, which puts short lists of
scalars on several lines where opennos keeps them on one, so the files are equal as JSON, not
byte for byte; the CSV output is equal byte for byte. It takes the framework by code only (no
UUID or CODE@EDITION), and reports no errors beyond Python's own.
"""

import csv
import json
import os
import sqlite3
import sys
import time

FRAMEWORK_KEYS = [
    ("uuid", "uuid"), ("code", "code"), ("edition", "edition"), ("title", "title"),
    ("status", "status"), ("publisher", "publisher"), ("keyPurpose", "key_purpose"),
    ("description", "description"), ("language", "language"), ("licence", "licence"),
    ("published", "published"), ("review", "review"), ("previousEdition", "previous_edition"),
    ("translationNote", "translation_note"), ("extra", "extra")]
# Native key, column, for the item fields in the order the native format writes them.
ITEM_KEYS = [
    ("uuid", "uuid"), ("type", "type"), ("typeName", "type_name"), ("code", "code"),
    ("title", "title"), ("text", "text"), ("urn", "urn"), ("overview", "overview"),
    ("version", "version"), ("status", "unit_status"), ("developedBy", "developed_by"),
    ("originatingOrganisation", "originating_organisation"), ("approved", "approved"),
    ("review", "review"), ("validity", "validity"), ("category", "category"),
    ("originalUrn", "original_urn"), ("keywords", "keywords"), ("occupations", "occupations")]
ITEM_COLUMNS = [c for _, c in ITEM_KEYS] + [
    "parent_uuid", "position", "cy_title", "cy_text", "cy_overview", "extra"]
NODE_KEYS = ["uuid", "framework", "code", "uri", "title"]
CSV_COLUMNS = [
    "framework_code", "framework_edition", "type", "code", "parent", "uuid", "title", "text",
    "overview", "urn", "version", "status", "developed_by", "originating_organisation",
    "approved", "review", "validity", "category", "original_urn", "keywords", "occupations",
    "type_name", "cy_title", "cy_text", "cy_overview"]


def load(db, code):
    db.row_factory = sqlite3.Row
    fw = db.execute("SELECT * FROM frameworks WHERE code = ? ORDER BY edition DESC LIMIT 1",
                    (code,)).fetchone()
    if fw is None:
        sys.exit(f"peer: no framework {code}")
    items = db.execute("SELECT " + ", ".join(ITEM_COLUMNS) +
                       " FROM items WHERE framework_uuid = ?", (fw["uuid"],)).fetchall()
    associations = db.execute("SELECT * FROM associations WHERE framework_uuid = ?"
                              " ORDER BY position", (fw["uuid"],)).fetchall()
    children = {}
    for row in items:
        children.setdefault(row["parent_uuid"], []).append(row)
    for kids in children.values():
        kids.sort(key=lambda r: r["position"])
    return fw, children, associations


def item_json(row, children):
    o = {}
    for key, column in ITEM_KEYS:
        value = row[column]
        if value is None or value == "":
            continue
        o[key] = json.loads(value) if key in ("keywords", "occupations") else value
    cy = {k: row["cy_" + k] for k in ("title", "text", "overview") if row["cy_" + k]}
    if cy:
        o["cy"] = cy
    if row["extra"]:
        o["extra"] = json.loads(row["extra"])
    kids = children.get(row["uuid"])
    if kids:
        o["children"] = [item_json(k, children) for k in kids]
    return o


def node_json(row, prefix, own):
    values = [row[prefix + "uuid"], row[prefix + "framework"], row[prefix + "code"],
              row[prefix + "uri"], row[prefix + "title"]]
    if values[1] == own:
        values[1] = None
    return {k: v for k, v in zip(NODE_KEYS, values) if v}


def write_native(fw, children, associations, out):
    framework = {}
    for key, column in FRAMEWORK_KEYS:
        if fw[column]:
            framework[key] = json.loads(fw[column]) if key == "extra" else fw[column]
    links = []
    for a in associations:
        o = {"uuid": a["uuid"], "type": a["type"],
             "origin": node_json(a, "origin_", fw["uuid"]),
             "destination": node_json(a, "dest_", fw["uuid"])}
        if a["provenance"] != "authored":
            o["provenance"] = a["provenance"]
        if a["score"] is not None:
            o["score"] = a["score"]
        if a["decision"]:
            o["decision"] = a["decision"]
        if a["extra"]:
            o["extra"] = json.loads(a["extra"])
        links.append(o)
    doc = {"opennos": "framework/1", "framework": framework,
           "items": [item_json(r, children) for r in children.get(None, [])],
           "associations": links}
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(fw, children, out):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    w.writerow([fw["code"], fw["edition"], "framework", "", "", fw["uuid"], fw["title"],
                fw["key_purpose"], fw["description"], "", "", fw["status"], fw["publisher"], "",
                fw["published"], fw["review"]] + [""] * 9)
    code_of = {}
    stack = list(reversed(children.get(None, [])))
    while stack:  # pre-order, as the native tree
        r = stack.pop()
        code_of[r["uuid"]] = r["code"]
        parent = r["parent_uuid"]
        w.writerow([
            fw["code"], fw["edition"], r["type"], r["code"],
            (code_of.get(parent) or parent) if parent else "", r["uuid"], r["title"], r["text"],
            r["overview"], r["urn"], r["version"], r["unit_status"], r["developed_by"],
            r["originating_organisation"], r["approved"], r["review"], r["validity"],
            r["category"], r["original_urn"],
            "; ".join(json.loads(r["keywords"])) if r["keywords"] else "",
            "; ".join(json.loads(r["occupations"])) if r["occupations"] else "",
            r["type_name"], r["cy_title"], r["cy_text"], r["cy_overview"]])
        stack.extend(reversed(children.get(r["uuid"], [])))


def main(argv):
    if len(argv) != 5 or argv[3] not in ("native", "csv"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    start = time.perf_counter()
    db = sqlite3.connect(argv[1])
    fw, children, associations = load(db, argv[2])
    tmp = argv[4] + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as out:
        if argv[3] == "native":
            write_native(fw, children, associations, out)
        else:
            write_csv(fw, children, out)
    os.replace(tmp, argv[4])
    db.close()
    print(f"peer: exported in {time.perf_counter() - start:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
