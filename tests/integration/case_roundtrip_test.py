#!/usr/bin/python3
"""CASE packages through the real opennos binary (issue 6, "Lossless").

For every package under ../shared/corpora/case (and the hand-written fixtures under
tests/fixtures/case), in a fresh data directory each time:

  import -> export --format case (E1) -> import E1 elsewhere -> export again (E2)

and check that
  * E1 and E2 are the same bytes;
  * every field, extension object, item and association of the original is in E1 with its
    identifier (semantically: "sequenceNumber": "2" is 2; only CFPackageURI and CFDocumentURI
    may go; unknown fields may move under extensions["opennos.unmapped"]);
  * E1 validates against 1EdTech's official v1.1 package schema, with format checking. An error
    whose value comes unchanged from the original package (which fails the schema in the same
    place) is reported as inherited, not failed: losslessness keeps it.
And the demo suites exported with --format case and --format case-1.0 validate against the v1.1
and v1.0 schemas with no exception at all.

Needs Python's standard library and jsonschema (Debian python3-jsonschema). Exits 77 (skipped)
when ../shared/corpora/case is not there.
Environment: OPENNOS_BINARY (default build/opennos), OPENNOS_CASE_CORPUS (default
<repo>/../shared/corpora/case).
"""

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

SKIP = 77
REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("OPENNOS_BINARY", str(REPO / "build" / "opennos"))
CORPUS = Path(os.environ.get("OPENNOS_CASE_CORPUS", str(REPO.parent / "shared" / "corpora" / "case")))
FIXTURES = REPO / "tests" / "fixtures" / "case"
SCHEMA_V1P1 = "case-v1p1-cfpackage-schema-official.json"
SCHEMA_V1P0 = "case-v1p0-cfpackage-schema.json"
UNMAPPED = "opennos.unmapped"
DERIVABLE = {"CFDocument": {"CFPackageURI"}, "CFItems": {"CFDocumentURI"},
             "CFAssociations": {"CFDocumentURI"}}

failures = []
notes = []
kinds = {}  # (package, kind of failure) -> count

def fail(message):
    """Records a failure. Prints the first of each kind (the same field of any item, say) in
    full; main() prints how many of each kind there were."""
    package, _, rest = message.partition(": ")
    kind = re.sub(r"/\d+ \([^)]*\)", "/*", rest.split(":", 1)[0])
    key = (package, kind)
    kinds[key] = kinds.get(key, 0) + 1
    failures.append(message)
    if kinds[key] == 1:
        print("FAIL: " + message, flush=True)


def note(message):
    notes.append(message)
    print("note: " + message, flush=True)


def run(*args):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("opennos %s: exit %d: %s" % (" ".join(args), result.returncode,
                                                        result.stderr.strip()))
    return result.stdout


def fresh_data(parent, name):
    data = os.path.join(parent, name)
    run("--data", data, "init")
    return data


def round_trip(path, fmt, work):
    """Imports `path` into an empty data dir, exports it; imports that into another, exports.

    Returns (first export bytes, second export bytes)."""
    framework = json.loads(Path(path).read_bytes())["CFDocument"]["identifier"]
    first = os.path.join(work, "first.json")
    second = os.path.join(work, "second.json")
    a = fresh_data(work, "a")
    run("--data", a, "import", "--as", "case-test", str(path))
    run("--data", a, "export", framework.lower(), "--format", fmt, "-o", first)
    b = fresh_data(work, "b")
    run("--data", b, "import", "--as", "case-test", first)
    run("--data", b, "export", framework.lower(), "--format", fmt, "-o", second)
    return Path(first).read_bytes(), Path(second).read_bytes()


# ---- semantic comparison ------------------------------------------------------------------

def same(a, b):
    """JSON equality with numbers compared by value (1 == 1.0), bools kept apart from numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def normalised(key, value):
    """The value a faithful writer gives for an original field: sequenceNumber "2" is 2."""
    if key == "sequenceNumber" and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def uuid_key(text):
    return text.lower() if isinstance(text, str) else text


def compare_object(where, original, exported, derivable):
    """Every key of `original` is in `exported` (or in its extensions["opennos.unmapped"])."""
    if not isinstance(exported, dict):
        fail("%s: missing from the export" % where)
        return
    extensions = exported.get("extensions") if isinstance(exported.get("extensions"), dict) else {}
    unmapped = extensions.get(UNMAPPED) if isinstance(extensions.get(UNMAPPED), dict) else {}
    for key, value in original.items():
        if key in derivable:
            continue
        if key == "extensions" and isinstance(value, dict):
            for name, ext in value.items():
                if name not in extensions or not same(extensions[name], ext):
                    fail("%s/extensions/%s: %s became %s" % (
                        where, name, json.dumps(ext, ensure_ascii=False)[:120],
                        json.dumps(extensions.get(name), ensure_ascii=False)[:120]))
            continue
        want = normalised(key, value)
        if key in ("originNodeURI", "destinationNodeURI") and isinstance(value, dict):
            # Field by field, so that each loss (a uri, a targetType) is named.
            compare_object(where + "/" + key, value, exported.get(key), set())
            continue
        if key == "identifier":
            if uuid_key(exported.get(key)) != uuid_key(value):
                fail("%s/identifier: %r became %r" % (where, value, exported.get(key)))
            continue
        if key in exported and same(exported[key], want):
            continue
        if key in unmapped and same(unmapped[key], value):
            continue
        shown = exported[key] if key in exported else unmapped.get(key, "(absent)")
        fail("%s/%s: %s became %s" % (where, key, json.dumps(value, ensure_ascii=False)[:160],
                                      json.dumps(shown, ensure_ascii=False)[:160]))


def by_identifier(objects):
    out = {}
    for o in objects or []:
        if isinstance(o, dict) and isinstance(o.get("identifier"), str):
            out[uuid_key(o["identifier"])] = o
    return out


def compare_package(name, original, exported):
    top_unmapped = (exported.get("extensions") or {}).get(UNMAPPED) or {}
    for key, value in original.items():
        if key in ("CFDocument", "CFItems", "CFAssociations"):
            continue
        if key == "extensions" and isinstance(value, dict):
            compare_object(name, {"extensions": value}, exported, set())
            continue
        if not (key in exported and same(exported[key], value)) and not (
                key in top_unmapped and same(top_unmapped[key], value)):
            fail("%s: /%s is not in the export as it was" % (name, key))
    compare_object(name + ": /CFDocument", original["CFDocument"], exported.get("CFDocument"),
                   DERIVABLE["CFDocument"])
    for collection in ("CFItems", "CFAssociations"):
        theirs = by_identifier(exported.get(collection))
        mine = original.get(collection) or []
        if len(theirs) != len(mine):
            fail("%s: %d %s became %d" % (name, len(mine), collection, len(theirs)))
        for i, o in enumerate(mine):
            where = "%s: /%s/%d (%s)" % (name, collection, i, o.get("identifier"))
            compare_object(where, o, theirs.get(uuid_key(o.get("identifier"))),
                           DERIVABLE[collection])


# ---- schema validation ----------------------------------------------------------------------

RFC3339_DATE_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
RFC3339_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def format_checker(jsonschema):
    """A FormatChecker that checks date, date-time and uri wherever it runs.

    Debian's python3-jsonschema (4.10) checks "date-time" only with rfc3339-validator, which
    Debian does not package; without it every string passes as a date-time, and the 1.0 schema's
    oneOf [date, date-time] refuses every plain date ("valid under each of"). So the test brings
    its own RFC 3339 checks, the same everywhere."""
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time")
    def is_date_time(value):
        if not isinstance(value, str):
            return True
        m = RFC3339_DATE_TIME.match(value)
        if not m:
            return False
        try:
            datetime.date.fromisoformat(m.group(1))
        except ValueError:
            return False
        return int(m.group(2)) < 24 and int(m.group(3)) < 60 and int(m.group(4)) < 61

    @checker.checks("date")
    def is_date(value):
        if not isinstance(value, str):
            return True
        if not RFC3339_DATE.match(value):
            return False
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return False
        return True

    # An absolute URI is all we ask (jsonschema checks "uri" only with an optional package).
    @checker.checks("uri")
    def is_uri(value):
        if not isinstance(value, str):
            return True
        parts = urllib.parse.urlsplit(value)
        return bool(parts.scheme) and not any(c.isspace() for c in value)

    return checker


def original_value(original, exported, path):
    """The original package's value at the place of `path` in the export (items and
    associations matched by identifier), or a sentinel when it has none."""
    missing = object()
    node, twin = exported, original
    steps = list(path)
    for i, step in enumerate(steps):
        if isinstance(step, int) and i > 0 and steps[i - 1] in ("CFItems", "CFAssociations"):
            ident = uuid_key(node[step].get("identifier")) if isinstance(node[step], dict) else None
            node = node[step]
            twin = by_identifier(twin).get(ident, missing) if isinstance(twin, list) else missing
        else:
            try:
                node = node[step]
                twin = twin[step]
            except (KeyError, IndexError, TypeError):
                return missing
        if twin is missing:
            return missing
    return twin


def validate(name, validator, document, original=None):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    inherited = 0
    inherited_kinds = {}
    for e in errors:
        path = list(e.absolute_path)
        if original is not None and same(original_value(original, document, path), e.instance):
            original_errors = [o for o in validator.iter_errors(original)
                               if same(o.instance, e.instance) and o.validator == e.validator]
            if original_errors:
                inherited += 1
                kind = re.sub(r"/\d+", "/*", "/" + "/".join(map(str, path)))
                inherited_kinds.setdefault(kind, e.message[:90])
                continue
        fail("%s: schema: /%s: %s" % (name, "/".join(map(str, path)), e.message[:200]))
    if inherited:
        note("%s: %d schema error(s) inherited unchanged from the original package, which "
             "fails the schema in the same places: %s" % (name, inherited, "; ".join(
                 "%s: %s" % kv for kv in sorted(inherited_kinds.items()))))
    return len(errors) - inherited == 0


def main():
    if not CORPUS.is_dir():
        print("SKIP: no CASE corpus at %s (../shared is not there)" % CORPUS)
        return SKIP
    if not os.access(BINARY, os.X_OK):
        print("FAIL: no opennos binary at %s (build first, or set OPENNOS_BINARY)" % BINARY)
        return 1
    try:
        import jsonschema
    except ImportError:
        print("FAIL: jsonschema is not installed (Debian: python3-jsonschema)")
        return 1
    checker = format_checker(jsonschema)
    v1p1 = jsonschema.Draft201909Validator(
        json.loads((CORPUS / "schema" / SCHEMA_V1P1).read_text()), format_checker=checker)
    # The 1.0 schema names no draft; it is draft 4 (Swagger 2), the draft its keywords are.
    v1p0 = jsonschema.Draft4Validator(
        json.loads((CORPUS / "schema" / SCHEMA_V1P0).read_text()), format_checker=checker)

    packages = sorted(p for p in CORPUS.rglob("*.json") if "schema" not in p.relative_to(CORPUS).parts)
    packages += sorted(FIXTURES.glob("*.json"))
    checked = 0
    for path in packages:
        try:
            original = json.loads(path.read_bytes())
        except ValueError:
            continue
        if not isinstance(original, dict) or "CFDocument" not in original:
            continue
        name = str(path.relative_to(CORPUS) if path.is_relative_to(CORPUS) else path.relative_to(REPO))
        with tempfile.TemporaryDirectory(prefix="case-rt-") as work:
            try:
                first, second = round_trip(path, "case", work)
            except RuntimeError as e:
                fail("%s: %s" % (name, e))
                continue
        checked += 1
        if first != second:
            a, b = first.decode().splitlines(), second.decode().splitlines()
            line = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            fail("%s: the second export differs from the first: from line %d: %r vs %r" % (
                name, line + 1, a[line] if line < len(a) else "", b[line] if line < len(b) else ""))
        exported = json.loads(first)
        compare_package(name, original, exported)
        validate(name + " (export, v1.1 schema)", v1p1, exported, original)
        print("checked %s" % name, flush=True)

    # The demo, exported in both versions, must validate outright.
    with tempfile.TemporaryDirectory(prefix="case-demo-") as work:
        data = fresh_data(work, "demo")
        run("--data", data, "demo")
        listing = json.loads(run("--data", data, "list", "--json"))["frameworks"]
        for f in listing:
            name = "%s@%s" % (f["code"], f["edition"])
            for fmt, validator in (("case", v1p1), ("case-1.0", v1p0)):
                out = os.path.join(work, "%s.%s.json" % (name, fmt))
                run("--data", data, "export", f["uuid"], "--format", fmt, "-o", out)
                validate("demo %s --format %s" % (name, fmt), validator,
                         json.loads(Path(out).read_bytes()))
                checked += 1
            print("checked demo %s" % name, flush=True)

    for (package, kind), count in sorted(kinds.items()):
        if count > 1:
            print("  %s: %s: %d times" % (package, kind, count))
    print("%d packages and exports checked, %d failure(s), %d note(s)" % (
        checked, len(failures), len(notes)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
