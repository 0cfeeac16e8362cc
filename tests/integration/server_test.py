#!/usr/bin/python3
"""The real `opennos serve`, started on 127.0.0.1 over a fresh demo data directory and checked
through live HTTP: every page and API route, caching and conditional requests, gzip, security
headers, keep-alive, the OpenAPI document against the live answers, and malformed requests.

Standard library only. The binary is $OPENNOS_BINARY (set by ctest), else build/opennos.
Run alone: /usr/bin/python3 tests/integration/server_test.py -v
"""

import gzip
import http.client
import itertools
import json
import os
import re
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import live_server  # noqa: E402  (the server, the CLI, requests)

SOURCE_DIR = live_server.SOURCE_DIR
BINARY = live_server.BINARY
SITE_CC = os.path.join(SOURCE_DIR, "src", "web", "site.cc")
OPENAPI_JSON = os.path.join(SOURCE_DIR, "src", "web", "static", "openapi.json")

YEAR_IMMUTABLE = "public, max-age=31536000, immutable"
DEMO_ORGANISATION = live_server.DEMO_ORGANISATION


# --- The server under test -------------------------------------------------------------------

Server = live_server.Server  # the demo on 127.0.0.1 (tests/integration/live_server.py)

SERVER = None
DEMO = {}  # real identifiers from the demo data, found through the API


def setUpModule():
    global SERVER
    SERVER = Server()
    unittest.addModuleCleanup(SERVER.stop)
    SERVER.start()
    tree = get_json("/api/v1/frameworks/ML@2012/tree")
    units = [i for i in walk(tree["items"]) if i["type"] == "unit"]
    statements = [i for i in walk(tree["items"]) if i["type"] == "performance-criterion"]
    DEMO["unit_2012"] = next(u for u in units if u.get("urn") == "ODSMLA1")
    DEMO["statement"] = statements[0]
    DEMO["key_area"] = tree["items"][0]
    DEMO["function"] = tree["items"][0]["children"][0]  # its children are units
    # Search answers 503 until the server has its index: give it a moment.
    deadline = time.monotonic() + 15
    while get("/api/v1/search?q=time").status == 503 and time.monotonic() < deadline:
        time.sleep(0.1)


def walk(items):
    for item in items:
        yield item
        yield from walk(item.get("children", []))


# --- HTTP helpers ----------------------------------------------------------------------------


def request(method, path, headers=None, body=None, conn=None, server=None):
    """One request; on `conn` if given (kept open), else on a fresh connection to `server`
    (by default the module's)."""
    return live_server.request(server or SERVER, method, path, headers, body, conn)


def get(path, **headers):
    return request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})


def get_json(path):
    answer = get(path)
    if answer.status != 200:
        raise AssertionError(f"GET {path}: {answer}")
    return answer.json()


def raw_exchange(data, shut_write=False, timeout=5, answers=1):
    """Sends raw bytes on a new connection and reads until `answers` whole answers have come or
    the server closes the connection. Returns the bytes read (b"" when the server closed without
    answering). A reset after the answer, or when the server refused the rest of a large body,
    is not an error."""
    s = socket.create_connection(("127.0.0.1", SERVER.port), timeout=timeout)
    try:
        try:
            s.sendall(data)
            if shut_write:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early (413, 431) and closed: read what it sent
        received = b""
        while complete_answers(received) < answers:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
        return received
    finally:
        s.close()


def complete_answers(data):
    """How many whole answers `data` holds, by Content-Length (HEAD answers aside)."""
    count = 0
    while True:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            return count
        match = re.search(rb"\r\ncontent-length: *(\d+)", head, re.I)
        length = int(match.group(1)) if match else 0
        if len(rest) < length:
            return count
        count += 1
        data = rest[length:]


def parse_answers(data, methods=()):
    """Splits raw bytes into (status, headers, body) answers, using Content-Length; `methods`
    names the requests in order where some were HEAD (whose answers have no body)."""
    answers = []
    methods = list(methods)
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            raise AssertionError(f"an incomplete answer: {data[:200]!r}")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if len(methods) > len(answers) and methods[len(answers)] == "HEAD":
            length = 0
        answers.append((status, headers, rest[:length]))
        data = rest[length:]
    return answers


def raw_status(data):
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", data)
    return int(match.group(1)) if match else None


# --- The route table in site.cc ----------------------------------------------------------------


# Numbers no earlier request used, for thresholds that start a new analysis job.
FRESH = itertools.count(1000)


def fresh_job():
    """The identifier of a new analysis job (a report asked for with wait=0)."""
    answer = get(f"/api/v1/frameworks/CM/duplicates?threshold=0.5{next(FRESH)}&wait=0")
    assert answer.status == 202, answer
    return answer.json()["job"]["id"]


def site_operations():
    """(method, pattern) of every line of site.cc's route table, in order."""
    with open(SITE_CC, encoding="utf-8") as f:
        source = f.read()
    table = re.search(r"kRoutes\[\] = \{(.*?)\n\};", source, re.S)
    if not table:
        raise AssertionError("no kRoutes table in site.cc")
    return re.findall(r'\{"([A-Z]+)",\s*"(/[^"]*)",\s*[\w:]+', table.group(1))


def site_routes():
    """The patterns of site.cc's GET routes, in order."""
    return [pattern for method, pattern in site_operations() if method == "GET"]


def route_matches(pattern, path):
    """The same matching as site.cc: "{x}" is one segment; "{x}.{a|b}" a segment and extension."""
    path = path.split("?", 1)[0]
    if pattern == "/":
        return path == "/"
    pattern_segments, path_segments = pattern.split("/")[1:], path.split("/")[1:]
    if len(pattern_segments) != len(path_segments):
        return False
    for p, s in zip(pattern_segments, path_segments):
        ext = re.fullmatch(r"(.*)\.\{([^}]*)\}", p)
        if ext:
            stem, _, extension = s.rpartition(".")
            if not stem or extension not in ext.group(2).split("|"):
                return False
            p, s = ext.group(1), stem
        if p.startswith("{"):
            if not s:
                return False
        elif p != s:
            return False
    return True


# --- A JSON Schema validator for the subset openapi.json uses ----------------------------------

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
KNOWN_KEYWORDS = {"type", "required", "properties", "items", "enum", "$ref", "nullable",
                  "additionalProperties", "allOf", "anyOf", "pattern", "format", "minimum", "maximum",
                  "description", "example", "examples"}


class SchemaValidator:
    """Validates JSON values against OpenAPI 3.0 schemas: type, nullable, required, properties,
    additionalProperties, items, enum, $ref, allOf, anyOf, pattern, format (uuid, date),
    minimum and maximum. A keyword it does not know is an error, so the document cannot use one unchecked."""

    def __init__(self, document):
        self.document = document

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise AssertionError(f"only local $refs are supported: {ref}")
        node = self.document
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def errors(self, value, schema, where="$"):
        out = []
        self._check(value, schema, where, out)
        return out

    def _check(self, value, schema, where, out):
        unknown = set(schema) - KNOWN_KEYWORDS
        if unknown:
            out.append(f"{where}: the schema uses unsupported keywords {sorted(unknown)}")
        if "$ref" in schema:
            self._check(value, self.resolve(schema["$ref"]), where, out)
            return
        for sub in schema.get("allOf", []):
            self._check(value, sub, where, out)
        if "anyOf" in schema:
            if not any(not self.errors(value, sub, where) for sub in schema["anyOf"]):
                out.append(f"{where}: {value!r} matches none of anyOf")
        kind = schema.get("type")
        if value is None:
            # OpenAPI 3.0.3: `nullable` adds null to an explicit `type`, and nothing else does.
            if kind is not None and not schema.get("nullable", False):
                out.append(f"{where}: null is not allowed")
            if "enum" in schema and None not in schema["enum"]:
                out.append(f"{where}: null is not one of {schema['enum']}")
            return
        if kind is not None and not self._is_type(value, kind):
            out.append(f"{where}: expected {kind}, got {type(value).__name__} {value!r:.60}")
            return
        if "enum" in schema and value not in schema["enum"]:
            out.append(f"{where}: {value!r} is not one of {schema['enum']}")
        if isinstance(value, str):
            self._check_string(value, schema, where, out)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                out.append(f"{where}: {value} is below the minimum {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                out.append(f"{where}: {value} is above the maximum {schema['maximum']}")
        if isinstance(value, list) and "items" in schema:
            for i, element in enumerate(value):
                self._check(element, schema["items"], f"{where}[{i}]", out)
        if isinstance(value, dict):
            self._check_object(value, schema, where, out)

    @staticmethod
    def _is_type(value, kind):
        return {
            "object": isinstance(value, dict),
            "array": isinstance(value, list),
            "string": isinstance(value, str),
            "boolean": isinstance(value, bool),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        }[kind]

    @staticmethod
    def _check_string(value, schema, where, out):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{where}: {value!r} does not match {schema['pattern']}")
        fmt = schema.get("format")
        if fmt == "uuid" and not UUID_RE.match(value):
            out.append(f"{where}: {value!r} is not a lower-case UUID")
        if fmt == "date" and not DATE_RE.match(value):
            out.append(f"{where}: {value!r} is not a YYYY-MM-DD date")

    def _check_object(self, value, schema, where, out):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                out.append(f"{where}: the required property {name!r} is missing")
        extra = schema.get("additionalProperties", True)
        for name, element in value.items():
            if name in properties:
                self._check(element, properties[name], f"{where}.{name}", out)
            elif extra is False:
                out.append(f"{where}: the property {name!r} is not in the schema")
            elif isinstance(extra, dict):
                self._check(element, extra, f"{where}.{name}", out)


def load_openapi():
    with open(OPENAPI_JSON, encoding="utf-8") as f:
        return json.load(f)


# --- Pages -----------------------------------------------------------------------------------


class PagesTest(unittest.TestCase):
    def page_table(self):
        """(path, status, content type) for every page route, and the 404s around them."""
        unit = DEMO["unit_2012"]["uuid"]
        statement = DEMO["statement"]["uuid"]
        html, csv, js = "text/html; charset=utf-8", "text/csv; charset=utf-8", "application/json"
        org = "/admin/organisations/" + DEMO_ORGANISATION
        return [
            ("/", 200, html),
            ("/?lang=cy", 200, html),
            ("/about", 200, html),
            # Pages for signed-in users send others to sign in
            # (tests/integration/accounts_test.py signs in).
            ("/sign-in", 200, html),
            ("/account", 303, None),
            ("/account/password", 303, None),
            (org, 303, None),
            (org + "/audit", 303, None),
            (org + "/import", 303, None),
            (org + "/export", 303, None),
            (org + "/export/ML", 303, None),
            ("/drafts", 303, None),
            ("/suites/ML/suggestions", 303, None),
            ("/drafts/" + unit, 303, None),
            ("/drafts/" + unit + "/details", 303, None),
            ("/drafts/" + unit + "/map", 303, None),
            ("/drafts/" + unit + "/items/" + statement, 303, None),
            ("/drafts/" + unit + "/items/" + statement + "/remove", 303, None),
            ("/drafts/" + unit + "/mappings", 303, None),
            ("/drafts/" + unit + "/publish", 303, None),
            # A published item's history and diffs are public.
            ("/items/" + statement + "/history", 200, html),
            ("/items/" + statement + "/diff?from=1&to=1", 200, html),
            ("/review-dates", 200, html),
            ("/review-dates?months=24", 200, html),
            ("/search", 200, html),
            ("/search?q=time+management", 200, html),
            ("/suites", 200, html),
            ("/suites/ML", 200, html),
            ("/suites/ML@2012", 200, html),
            ("/suites/ML%402012", 200, html),
            ("/suites/ML/editions", 200, html),
            ("/suites/ML/editions?threshold=0.4&by=similarity", 200, html),
            ("/suites/ML/duplicates", 200, html),
            ("/suites/ML@2012/duplicates?threshold=0.6", 200, html),
            ("/suites/ML/coverage", 200, html),
            ("/suites/ML/coverage?against=CM&threshold=0.4", 200, html),
            ("/suites/CM/crosswalk?against=ML", 200, html),
            ("/analysis/jobs/" + fresh_job(), 200, html),
            ("/suites/ML/duplicates?threshold=0", 400, html),
            ("/suites/ML/coverage?against=NOPE", 400, html),
            ("/suites/ML/crosswalk?against=ML", 400, html),
            ("/suites/NOPE/duplicates", 404, html),
            ("/analysis/jobs/nope", 404, html),
            ("/suites/ML@2024/download.json", 200, js),
            ("/suites/CM/download.csv", 200, csv),
            ("/nos/ODSMLC3", 200, html),
            ("/nos/ODSMLA1?edition=2012", 200, html),
            ("/nos/ODSMLC3/download.json", 200, js),
            ("/nos/ODSMLC3/download.csv", 200, csv),
            ("/items/" + statement, 200, html),
            ("/items/" + unit, 303, None),
            ("/nope", 404, html),
            ("/suites/NOPE", 404, html),
            ("/suites/NOPE/editions", 404, html),
            ("/suites/ML/download.xml", 404, html),
            ("/nos/ODSMLC33", 404, html),
            ("/nos/ODSMLC3?edition=1999", 404, html),
            ("/nos/NOPE/download.csv", 404, html),
            ("/items/not-a-uuid", 404, html),
            ("/items/00000000-0000-4000-8000-000000000000", 404, html),
            ("/about/", 404, html),
            ("/static/nope.css", 404, "text/plain; charset=utf-8"),
            ("/assets/images/nope.png", 404, "text/plain; charset=utf-8"),
        ]

    def test_every_page_answers_with_its_status_and_content_type(self):
        for path, status, content_type in self.page_table():
            with self.subTest(path=path):
                answer = get(path)
                self.assertEqual(answer.status, status, answer)
                if content_type:
                    self.assertEqual(answer.header("content-type"), content_type)
                if status == 200:
                    self.assertGreater(len(answer.body), 0)

    def test_every_page_route_in_the_route_table_is_exercised(self):
        paths = [path for path, status, _ in self.page_table() if status in (200, 303)]
        for pattern in site_routes():
            if pattern.startswith("/api/") or pattern.startswith("/ims/case/"):
                continue  # the CASE routes: tests/integration/case_service_test.py
            with self.subTest(route=pattern):
                self.assertTrue(any(route_matches(pattern, p) for p in paths),
                                f"no request in the page table reaches {pattern}")

    def test_an_item_page_for_a_unit_redirects_to_its_standard(self):
        answer = get("/items/" + DEMO["unit_2012"]["uuid"])
        self.assertEqual(answer.status, 303)
        self.assertEqual(answer.header("location"), "/nos/ODSMLA1?edition=2012")

    def test_downloads_are_attachments_named_after_the_suite_or_unit(self):
        self.assertEqual(get("/suites/ML@2012/download.csv").header("content-disposition"),
                         'attachment; filename="ML@2012.csv"')
        self.assertIn("attachment;", get("/nos/ODSMLC3/download.json").header(
            "content-disposition"))

    def test_a_suite_download_is_a_native_framework_file(self):
        document = get("/suites/ML@2012/download.json").json()
        self.assertEqual(document["opennos"], "framework/1")
        self.assertEqual(document["framework"]["edition"], "2012")

    def test_the_not_found_page_is_a_full_page_with_a_search_box(self):
        answer = get("/nope")
        self.assertIn(b"<html", answer.body)
        self.assertIn(b'action="/search"', answer.body)

    def test_pages_need_no_inline_script_or_style(self):
        # The Content-Security-Policy forbids inline code: a page that relied on it would break.
        for path in ["/", "/?lang=cy", "/about", "/search?q=team", "/suites", "/suites/ML",
                     "/suites/ML/editions", "/nos/ODSMLC3", "/nos/ODSMLA1?edition=2012",
                     "/nope", "/items/" + DEMO["statement"]["uuid"]]:
            with self.subTest(path=path):
                html = get(path).body.decode("utf-8")
                self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)[^>]*>")
                self.assertNotRegex(html, r"<[^>]+\sstyle=")
                self.assertNotRegex(html, r"<[^>]+\son[a-z]+=")
                self.assertNotIn("javascript:", html)

    def test_every_asset_a_page_links_to_is_served(self):
        html = get("/").body.decode("utf-8")
        links = re.findall(r'(?:href|src)="(/(?:static|assets)/[^"]+)"', html)
        self.assertGreaterEqual(len(links), 3, links)
        for link in links:
            with self.subTest(link=link):
                self.assertEqual(get(link).status, 200)


# --- Caching, conditional requests and compression --------------------------------------------


class CachingTest(unittest.TestCase):
    def cacheable_paths(self):
        css = re.search(r'href="(/static/site-[^"]+\.css)"', get("/").body.decode()).group(1)
        return ["/", "/suites/ML", "/api/v1/frameworks", "/api/v1/frameworks/ML/tree",
                "/api/v1/openapi.json", css, "/static/govuk-frontend-6.6.0.min.css",
                "/favicon.ico"]

    def test_every_answer_of_200_has_a_strong_etag(self):
        for path in self.cacheable_paths():
            with self.subTest(path=path):
                etag = get(path).header("etag")
                self.assertRegex(etag or "", r'^"[0-9a-f]{16}"$')

    def test_if_none_match_with_the_etag_gives_304_and_no_body(self):
        for path in self.cacheable_paths():
            with self.subTest(path=path):
                etag = get(path).header("etag")
                for header in [etag, "W/" + etag, '"other", ' + etag, "*"]:
                    answer = get(path, If_None_Match=header)
                    self.assertEqual(answer.status, 304, header)
                    self.assertEqual(answer.body, b"")
                    self.assertEqual(answer.header("etag"), etag)
                self.assertEqual(get(path, If_None_Match='"0000000000000000"').status, 200)

    def test_a_304_carries_no_body_on_the_wire(self):
        etag = get("/suites/ML").header("etag")
        data = raw_exchange(b"GET /suites/ML HTTP/1.1\r\nHost: t\r\nIf-None-Match: " +
                            etag.encode() + b"\r\nConnection: close\r\n\r\n")
        head, _, rest = data.partition(b"\r\n\r\n")
        self.assertEqual(raw_status(data), 304)
        self.assertEqual(rest, b"")

    def test_a_304_does_not_claim_a_content_length_of_zero(self):
        # RFC 9110 8.6: a 304 may carry Content-Length only if it equals the 200's.
        answer = get("/suites/ML", If_None_Match=get("/suites/ML").header("etag"))
        self.assertIn(answer.header("content-length"), (None, str(len(get("/suites/ML").body))))

    def test_a_static_file_with_an_unversioned_name_is_not_cached_for_a_year(self):
        # Only versioned names (the CSS, the scripts, the hashed fonts) are immutable.
        for path in ("/favicon.ico", "/assets/images/favicon.ico", "/robots.txt"):
            with self.subTest(path=path):
                answer = get(path)
                self.assertEqual(answer.status, 200)
                self.assertEqual(answer.header("cache-control"), "public, max-age=86400")

    def test_the_etag_changes_with_the_content(self):
        self.assertNotEqual(get("/suites/ML").header("etag"), get("/suites/CM").header("etag"))
        self.assertEqual(get("/suites/ML").header("etag"), get("/suites/ML").header("etag"))

    def test_versioned_static_files_are_cached_for_a_year(self):
        for path in [p for p in self.cacheable_paths()[5:] if "/assets/images/" not in p and p != "/favicon.ico"]:
            with self.subTest(path=path):
                self.assertEqual(get(path).header("cache-control"), YEAR_IMMUTABLE)

    def test_every_font_and_image_the_css_names_is_served_and_cached(self):
        css = get("/static/govuk-frontend-6.6.0.min.css").body.decode()
        urls = sorted(set(re.findall(r"url\(\"?(/assets/[^\")]+)", css)))
        self.assertGreater(len(urls), 0)
        for url in urls:
            with self.subTest(url=url):
                answer = get(url)
                self.assertEqual(answer.status, 200)
                # Fonts carry a hash in their names; images do not.
                expected = YEAR_IMMUTABLE if "/assets/fonts/" in url else "public, max-age=86400"
                self.assertEqual(answer.header("cache-control"), expected)

    def test_pages_and_api_answers_must_be_revalidated(self):
        for path in ["/", "/about", "/suites/ML", "/nos/ODSMLC3", "/api/v1/frameworks",
                     "/api/v1/frameworks/ML", "/nope", "/api/v1/nope"]:
            with self.subTest(path=path):
                self.assertEqual(get(path).header("cache-control"), "no-cache")

    def test_gzip_is_given_when_asked_and_decompresses_to_the_plain_body(self):
        for path in ["/", "/suites/ML", "/api/v1/frameworks/ML/tree", "/api/v1/frameworks/ML",
                     "/suites/ML/download.csv", "/nope", "/static/govuk-frontend-6.6.0.min.css"]:
            with self.subTest(path=path):
                plain = get(path)
                zipped = get(path, Accept_Encoding="gzip, deflate, br")
                self.assertIsNone(plain.header("content-encoding"))
                self.assertEqual(zipped.header("content-encoding"), "gzip")
                self.assertEqual(zipped.header("vary"), "Accept-Encoding")
                self.assertEqual(plain.header("vary"), "Accept-Encoding")
                self.assertEqual(int(zipped.header("content-length")), len(zipped.body))
                self.assertLess(len(zipped.body), len(plain.body))
                self.assertEqual(gzip.decompress(zipped.body), plain.body)

    def test_gzip_is_not_given_when_refused_or_not_worth_it(self):
        for path, accept in [("/suites/ML", "gzip;q=0"), ("/suites/ML", "identity"),
                             ("/suites/ML", "deflate, br"), ("/api/v1/frameworks", "gzip"),
                             ("/favicon.ico", "gzip")]:
            with self.subTest(path=path, accept=accept):
                self.assertIsNone(get(path, Accept_Encoding=accept).header("content-encoding"))

    def test_head_gives_the_headers_of_get_and_no_body(self):
        for path in ["/", "/suites/ML", "/api/v1/frameworks/ML", "/nope", "/api/v1/nope",
                     "/static/govuk-frontend-6.6.0.min.css"]:
            for accept in ["", "gzip"]:
                with self.subTest(path=path, accept=accept):
                    headers = {"Accept-Encoding": accept} if accept else {}
                    got = request("GET", path, headers=headers)
                    head = request("HEAD", path, headers=headers)
                    self.assertEqual(head.status, got.status)
                    self.assertEqual(head.body, b"")
                    for name in ["content-type", "content-length", "etag", "cache-control",
                                 "content-encoding", "vary"]:
                        self.assertEqual(head.header(name), got.header(name), name)

    def test_a_head_answer_carries_no_body_on_the_wire(self):
        data = raw_exchange(b"HEAD /suites/ML HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        head, _, rest = data.partition(b"\r\n\r\n")
        self.assertEqual(raw_status(data), 200)
        self.assertRegex(head, rb"\r\nContent-Length: [1-9]\d*")
        self.assertEqual(rest, b"")


# --- Security headers --------------------------------------------------------------------------


class SecurityHeadersTest(unittest.TestCase):
    def test_every_kind_of_answer_carries_the_security_headers(self):
        etag = get("/").header("etag")
        answers = {
            "page": get("/"),
            "api": get("/api/v1/frameworks"),
            "static": get("/static/govuk-frontend-6.6.0.min.css"),
            "not found page": get("/nope"),
            "api not found": get("/api/v1/nope"),
            "api bad request": get("/api/v1/items/nope"),
            "static not found": get("/static/nope.js"),
            "not modified": get("/", If_None_Match=etag),
            "redirect": get("/items/" + DEMO["unit_2012"]["uuid"]),
            "method not allowed": request("DELETE", "/"),
            "get with a body": request("GET", "/", body=b"x"),
        }
        for kind, answer in answers.items():
            with self.subTest(kind=kind):
                csp = answer.header("content-security-policy") or ""
                directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
                self.assertEqual(directives.get("default-src"), ["'self'"])
                self.assertEqual(directives.get("frame-ancestors"), ["'none'"])
                self.assertEqual(directives.get("object-src"), ["'none'"])
                self.assertNotIn("'unsafe-inline'", csp)
                self.assertNotIn("'unsafe-eval'", csp)
                self.assertEqual(answer.header("x-content-type-options"), "nosniff")
                self.assertEqual(answer.header("referrer-policy"),
                                 "strict-origin-when-cross-origin")
                self.assertEqual(answer.header("x-frame-options"), "DENY")


# --- Connections -------------------------------------------------------------------------------


class ConnectionTest(unittest.TestCase):
    def test_several_requests_share_one_kept_alive_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", SERVER.port, timeout=10)
        self.addCleanup(conn.close)
        paths = ["/", "/api/v1/frameworks", "/nope", "/static/govuk-frontend-6.6.0.min.css",
                 "/api/v1/frameworks/ML/tree", "/suites/ML"]
        first = None
        for path in paths:
            answer = request("GET", path, conn=conn)
            self.assertIn(answer.status, (200, 404))
            self.assertNotEqual((answer.header("connection") or "").lower(), "close")
            local = conn.sock.getsockname()
            first = first or local
            self.assertEqual(local, first, "the connection was not kept alive")
        answer = request("DELETE", "/", conn=conn)
        self.assertEqual(answer.status, 405)
        self.assertEqual(request("HEAD", "/", conn=conn).status, 200)
        self.assertEqual(request("GET", "/about", conn=conn).status, 200)
        self.assertEqual(conn.sock.getsockname(), first)

    def test_pipelined_requests_are_answered_in_order(self):
        data = raw_exchange(b"GET /api/v1/frameworks HTTP/1.1\r\nHost: t\r\n\r\n"
                            b"HEAD /about HTTP/1.1\r\nHost: t\r\n\r\n"
                            b"GET /api/v1/nope HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                            answers=99)
        answers = parse_answers(data, methods=["GET", "HEAD", "GET"])
        self.assertEqual([status for status, _, _ in answers], [200, 200, 404])
        self.assertEqual(json.loads(answers[0][2])["frameworks"][0]["code"], "CM")
        self.assertEqual(answers[1][2], b"")
        self.assertEqual(json.loads(answers[2][2])["error"]["status"], 404)

    def test_connection_close_is_honoured(self):
        data = raw_exchange(b"GET /about HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        (status, headers, body), = parse_answers(data)
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("connection"), "close")

    def test_http_1_0_closes_after_the_answer(self):
        data = raw_exchange(b"GET /api/v1/frameworks HTTP/1.0\r\n\r\n")
        (status, _, body), = parse_answers(data)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["frameworks"][0]["code"], "CM")

    def test_concurrent_clients_all_get_answers(self):
        failures = []

        def client(n):
            conn = http.client.HTTPConnection("127.0.0.1", SERVER.port, timeout=20)
            try:
                for i in range(10):
                    path = ["/", "/api/v1/frameworks/ML/tree", "/nos/ODSMLC3",
                            "/api/v1/units/ODSMLA1?edition=2012", "/suites/CM"][(n + i) % 5]
                    answer = request("GET", path, conn=conn)
                    if answer.status != 200:
                        failures.append((path, answer.status))
            except OSError as e:
                failures.append(("error", repr(e)))
            finally:
                conn.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(failures, [])


# --- The API and its OpenAPI document ----------------------------------------------------------


class DocumentedAnswers:
    """For test cases that hold live answers against openapi.json."""

    @classmethod
    def setUpClass(cls):
        cls.document = load_openapi()
        cls.validator = SchemaValidator(cls.document)
        cls.prefix = cls.document["servers"][0]["url"]

    def operation(self, template, method="get"):
        return self.document["paths"][template][method]

    def public_paths(self):
        """The documented paths of the public read API (no security requirement): the calls
        below exercise them; tests/integration/accounts_test.py the rest."""
        return {t: item for t, item in self.document["paths"].items()
                if "get" in item and "security" not in item["get"]}

    def check_answer(self, template, path, answer, method="get"):
        """The answer is one the document describes, in status, headers and body. Returns the
        JSON body (None for an empty or non-JSON one)."""
        responses = self.operation(template, method)["responses"]
        self.assertIn(str(answer.status), responses, f"{path}: {answer.status} is undocumented")
        response = responses[str(answer.status)]
        if "$ref" in response:
            response = self.validator.resolve(response["$ref"])
        for name in response.get("headers", {}):
            self.assertIsNotNone(answer.header(name), f"{path}: no {name} header")
        content = response.get("content", {})
        if not content:
            self.assertEqual(answer.body, b"", path)
            return None
        self.assertIn(answer.header("content-type"), list(content), path)
        if answer.header("content-type") != "application/json":
            return None
        schema = content[answer.header("content-type")]["schema"]
        body = answer.json()
        self.assertEqual(self.validator.errors(body, schema), [], path)
        if answer.status >= 400:
            self.assertEqual(body["error"]["status"], answer.status)
        return body


class OpenApiTest(DocumentedAnswers, unittest.TestCase):

    def calls(self):
        """Live requests for every documented path: (path template, concrete path, status)."""
        item = DEMO["statement"]["uuid"]
        unit = DEMO["unit_2012"]["uuid"]
        missing = "00000000-0000-4000-8000-000000000000"
        return [
            ("/openapi.json", "/openapi.json", 200),
            ("/frameworks", "/frameworks", 200),
            ("/frameworks/{name}", "/frameworks/ML", 200),
            ("/frameworks/{name}", "/frameworks/ML@2012", 200),
            ("/frameworks/{name}", "/frameworks/ML%402012", 200),
            ("/frameworks/{name}", "/frameworks/CM", 200),
            ("/frameworks/{name}", "/frameworks/" + DEMO["unit_2012"]["uuid"], 404),
            ("/frameworks/{name}", "/frameworks/NOPE", 404),
            ("/frameworks/{name}", "/frameworks/ML@1999", 404),
            ("/frameworks/{name}/tree", "/frameworks/ML@2012/tree", 200),
            ("/frameworks/{name}/tree", "/frameworks/CM/tree", 200),
            ("/frameworks/{name}/tree", "/frameworks/NOPE/tree", 404),
            ("/frameworks/{name}/associations", "/frameworks/ML/associations", 200),
            ("/frameworks/{name}/associations", "/frameworks/ML@2012/associations", 200),
            ("/frameworks/{name}/associations", "/frameworks/CM/associations", 200),
            ("/frameworks/{name}/associations", "/frameworks/NOPE/associations", 404),
            ("/frameworks/{name}/editions", "/frameworks/ML/editions", 200),
            ("/frameworks/{name}/editions", "/frameworks/ML@2012/editions", 200),
            ("/frameworks/{name}/editions", "/frameworks/CM/editions", 200),
            ("/frameworks/{name}/editions", "/frameworks/NOPE/editions", 404),
            ("/items/{uuid}", "/items/" + item, 200),
            ("/items/{uuid}", "/items/" + unit, 200),
            ("/items/{uuid}", "/items/" + unit.upper(), 200),
            ("/items/{uuid}", "/items/" + DEMO["key_area"]["uuid"], 200),
            ("/items/{uuid}", "/items/" + DEMO["function"]["uuid"], 200),
            ("/items/{uuid}", "/items/" + missing, 404),
            ("/items/{uuid}", "/items/not-a-uuid", 400),
            ("/items/{uuid}/associations", f"/items/{unit}/associations", 200),
            ("/items/{uuid}/associations", f"/items/{item}/associations", 200),
            ("/items/{uuid}/associations", f"/items/{missing}/associations", 404),
            ("/items/{uuid}/associations", "/items/12345/associations", 400),
            ("/units/{urn}", "/units/ODSMLC3", 200),
            ("/units/{urn}", "/units/odsmlc3", 200),
            ("/units/{urn}", "/units/ODSMLA1", 200),
            ("/units/{urn}", "/units/ODSMLA1?edition=2012", 200),
            ("/units/{urn}", "/units/ODSMLC3?edition=2012", 404),
            ("/units/{urn}", "/units/NOPE", 404),
            ("/search", "/search?q=time", 200),
            ("/search", "/search", 200),
            ("/search", "/search?q=time&suite=ML%402012&type=unit&size=2&page=1", 200),
            ("/search", "/search?q=time+management&page=2&size=5", 200),
            ("/search", "/search?q=zzzzqqqq", 200),
            ("/search", "/search?q=time&colour=red", 400),
            ("/search", "/search?q=time&page=0", 400),
            ("/search", "/search?q=time&size=101", 400),
            ("/items/{uuid}/revisions", f"/items/{unit}/revisions", 200),
            ("/items/{uuid}/revisions", f"/items/{missing}/revisions", 404),
            ("/items/{uuid}/revisions", "/items/12345/revisions", 400),
            ("/items/{uuid}/diff", f"/items/{item}/diff?from=1&to=1", 200),
            ("/items/{uuid}/diff", f"/items/{item}/diff?from=1", 200),
            ("/items/{uuid}/diff", f"/items/{missing}/diff?from=1", 404),
            ("/items/{uuid}/diff", f"/items/{item}/diff", 200),
            ("/items/{uuid}/diff", "/items/12345/diff", 400),
            ("/items/{uuid}/diff", f"/items/{item}/diff?from=99", 400),
            ("/review-dates", "/review-dates?months=24", 200),
            ("/review-dates", "/review-dates", 200),
            ("/review-dates", "/review-dates?months=0", 400),
        ] + self.analysis_calls()

    def analysis_calls(self):
        """The analyses: each report at a threshold no earlier request used, with wait=0, is
        a new job and so certainly 202; the same without wait is the report."""
        fresh = lambda: "0.6" + str(next(FRESH))
        job = fresh_job()
        calls = []
        for kind, query in [("duplicates", ""), ("coverage", "&against=CM"),
                            ("crosswalk", "&against=CM%402023&exact=0.95"), ("editions", "&by=auto")]:
            template = "/frameworks/{name}/" + kind
            calls += [
                (template, f"/frameworks/ML/{kind}?threshold=0.5{query}", 200),
                (template, f"/frameworks/ML@2012/{kind}?threshold={fresh()}{query}&wait=0", 202),
                (template, f"/frameworks/ML/{kind}?threshold=0{query}", 400),
                (template, f"/frameworks/ML/{kind}?threshold=1.5{query}", 400),
                (template, f"/frameworks/ML/{kind}?threshold=abc{query}", 400),
                (template, f"/frameworks/ML/{kind}?colour=red{query}", 400),
                (template, f"/frameworks/NOPE/{kind}?threshold=0.5{query}", 404),
            ]
        calls += [
            ("/frameworks/{name}/duplicates", "/frameworks/CM/duplicates", 200),
            ("/frameworks/{name}/coverage", "/frameworks/CM/coverage?against=CM", 200),
            ("/frameworks/{name}/coverage", "/frameworks/ML/coverage", 400),
            ("/frameworks/{name}/coverage", "/frameworks/ML/coverage?against=NOPE", 400),
            ("/frameworks/{name}/crosswalk", "/frameworks/ML/crosswalk?against=ML", 400),
            ("/frameworks/{name}/crosswalk", "/frameworks/ML/crosswalk?against=CM&exact=0.2", 400),
            ("/frameworks/{name}/editions", "/frameworks/CM/editions", 200),
            ("/frameworks/{name}/editions", "/frameworks/ML/editions?by=similarity&threshold=0.3", 200),
            ("/frameworks/{name}/editions", "/frameworks/ML/editions?wait=11", 400),
            ("/analysis/jobs/{id}", "/analysis/jobs/" + job, 200),
            ("/analysis/jobs/{id}", "/analysis/jobs/0123456789abcdef0123456789abcdef", 404),
            ("/analysis/jobs/{id}", "/analysis/jobs/nope", 404),
        ]
        return calls

    def test_the_served_document_is_the_source_file(self):
        answer = get("/api/v1/openapi.json")
        self.assertEqual(answer.status, 200)
        self.assertEqual(answer.header("content-type"), "application/json")
        self.assertEqual(answer.json(), self.document)
        self.assertEqual(self.document["openapi"], "3.0.3")
        self.assertEqual(self.prefix, "/api/v1")

    def test_the_document_describes_exactly_the_api_routes_of_the_route_table(self):
        routes = {(p[len(self.prefix):], m.lower()) for m, p in site_operations()
                  if p.startswith(self.prefix + "/")}
        documented = {(t, m) for t, item in self.document["paths"].items() for m in item}
        self.assertEqual(documented, routes)

    def test_every_operation_declares_its_path_parameters_and_writes_need_credentials(self):
        for template, item in self.document["paths"].items():
            for method, operation in item.items():
                with self.subTest(path=template, method=method):
                    self.assertIn(method, {"get", "post", "put", "patch", "delete"})
                    declared = {self.validator.resolve(p["$ref"])["name"] if "$ref" in p
                                else p["name"] for p in operation.get("parameters", [])}
                    self.assertLessEqual(set(re.findall(r"\{(\w+)\}", template)), declared)
                    if method != "get" or "security" in operation:
                        self.assertEqual(operation.get("security"),
                                         [{"bearer": []}, {"session": []}])
                        self.assertIn("401", operation["responses"])
                    if method != "get":
                        self.assertIn("403", operation["responses"])

    # Documented answers a healthy server with its index built cannot be made to give: search
    # before its index; an analysis when the runner is full, or cancelled because nobody
    # followed it for two minutes (the handler tests in tests/unit/web_analysis_test.cc and
    # app_analysis_jobs_test.cc provoke those); a draft's revisions and diff without
    # credentials (401: the demo has no draft; tests/integration/authoring_test.py has).
    UNPROVOKED = {("/search", "503"), ("/items/{uuid}/revisions", "401"),
                  ("/items/{uuid}/diff", "401")} | {
        ("/frameworks/{name}/" + kind, status)
        for kind in ["duplicates", "coverage", "crosswalk", "editions"] for status in ["409", "503"]}

    def test_every_call_is_tabled_for_every_documented_path_and_status(self):
        tabled = {(t, str(s)) for t, _, s in self.calls()}
        for template, item in self.public_paths().items():
            for status in item["get"]["responses"]:
                if status != "304" and (template, status) not in self.UNPROVOKED:
                    with self.subTest(path=template, status=status):
                        self.assertIn((template, status), tabled)

    def test_every_live_answer_matches_its_documented_response(self):
        for template, path, status in self.calls():
            with self.subTest(path=path):
                answer = get(self.prefix + path)
                self.assertEqual(answer.status, status, answer)
                self.check_answer(template, path, answer)

    def test_every_operation_with_a_documented_304_answers_it(self):
        for template, path, status in self.calls():
            if status != 200 or "304" not in self.operation(template)["responses"]:
                continue
            with self.subTest(path=path):
                etag = get(self.prefix + path).header("etag")
                answer = get(self.prefix + path, If_None_Match=etag)
                self.assertEqual(answer.status, 304)
                self.assertEqual(answer.body, b"")

    def test_operations_without_a_documented_etag_send_none(self):
        for template, item in self.public_paths().items():
            headers = item["get"]["responses"]["200"].get("headers", {})
            if "ETag" in headers:
                continue
            with self.subTest(path=template):
                path = next(p for t, p, s in self.calls() if t == template and s == 200)
                self.assertIsNone(get(self.prefix + path).header("etag"))
                self.assertNotIn("304", item["get"]["responses"])

    def test_search_finds_a_unit_by_its_title_words_and_filters_by_suite(self):
        body = get_json("/api/v1/search?q=manage+your+own+time&suite=ML%402012")
        self.assertGreater(body["total"], 0)
        self.assertEqual({r["framework"]["edition"] for r in body["results"]}, {"2012"})
        self.assertIn("ODSMLA1", [r["urn"] for r in body["results"]])

    def test_search_without_facets_or_snippets_is_a_plain_top_n(self):
        full = get_json("/api/v1/search?q=budget")
        plain = get_json("/api/v1/search?q=budget&facets=false&snippets=false")
        self.assertTrue(full["facets"]["suite"])
        self.assertEqual(plain["facets"], {})
        self.assertTrue(any("<mark>" in r["snippet"] for r in full["results"]))
        self.assertEqual({r["snippet"] for r in plain["results"]}, {""})
        self.assertEqual([r["uuid"] for r in plain["results"]],
                         [r["uuid"] for r in full["results"]])
        self.assertGreater(plain["total"], 0)
        for bad in ("facets=no", "snippets=1", "facets="):
            with self.subTest(bad=bad):
                self.assertEqual(get("/api/v1/search?q=budget&" + bad).status, 400)

    def test_the_documents_own_examples_are_real(self):
        for template, item in self.public_paths().items():
            parameters = [self.validator.resolve(p["$ref"]) if "$ref" in p else p
                          for p in item["get"].get("parameters", [])]
            path_values = {}
            for p in parameters:
                if p["in"] != "path":
                    continue
                examples = [e["value"] for e in p.get("examples", {}).values()]
                path_values[p["name"]] = examples + ([p["example"]] if "example" in p else [])
            names = list(path_values)
            combos = [{}] if not names else [{names[0]: v} for v in path_values[names[0]]]
            # Required query parameters take their example too.
            query = "&".join(f"{p['name']}={p['example']}" for p in parameters
                             if p["in"] == "query" and p.get("required") and "example" in p)
            for values in combos:
                path = template.format(**values) + ("?" + query if query else "")
                with self.subTest(path=path):
                    self.check_answer(template, path, get(self.prefix + path))
                    self.assertEqual(get(self.prefix + path).status, 200)

    def test_the_unit_answer_lists_its_other_editions(self):
        body = get_json("/api/v1/units/ODSMLA1?edition=2012")
        self.assertEqual(body["framework"]["edition"], "2012")
        self.assertEqual([v["framework"]["edition"] for v in body["otherVersions"]], ["2024"])
        self.assertEqual(get_json("/api/v1/units/ODSMLA1")["framework"]["edition"], "2024")

    def test_the_tree_holds_every_item_the_framework_counts(self):
        summary = get_json("/api/v1/frameworks/ML@2012")
        items = list(walk(get_json("/api/v1/frameworks/ML@2012/tree")["items"]))
        self.assertEqual(sum(i["type"] == "unit" for i in items), summary["units"])
        structural = {"key-area", "function", "unit"}
        self.assertEqual(sum(i["type"] not in structural for i in items), summary["statements"])
        self.assertEqual(len({i["uuid"] for i in items}), len(items))

    def test_an_item_answer_agrees_with_the_tree(self):
        unit = DEMO["unit_2012"]
        body = get_json("/api/v1/items/" + unit["uuid"])
        self.assertEqual([c["uuid"] for c in body["children"]],
                         [c["uuid"] for c in unit["children"]])
        self.assertIsNone(get_json("/api/v1/items/" + DEMO["key_area"]["uuid"])["parent"])

    def test_the_edition_comparison_accounts_for_every_unit(self):
        body = get_json("/api/v1/frameworks/ML/editions")
        self.assertEqual([e["edition"] for e in body["editions"]], ["2012", "2024"])
        comparison, = body["comparisons"]
        old = {u["id"] for kind in ["removed"] for u in comparison[kind]}
        old |= {e["old"]["id"] for kind in ["changed", "unchanged", "split"] for e in comparison[kind]}
        old |= {u["id"] for e in comparison["merged"] for u in e["old"]}
        self.assertEqual(len(old), 26)  # every unit of ML@2012, once
        self.assertEqual(comparison["counts"], {"added": 2, "removed": 6, "changed": 11,
                                                "merged": 2, "split": 1, "unchanged": 4})
        self.assertEqual({link["source"] for link in comparison["links"]}, {"authored"})

    def test_an_analysis_job_leads_to_the_same_report_the_cli_prints(self):
        threshold = "0.7" + str(next(FRESH))
        answer = get(f"/api/v1/frameworks/ML/duplicates?threshold={threshold}&wait=0")
        self.assertEqual(answer.status, 202)
        location = answer.header("location")
        self.assertEqual(location, "/api/v1/analysis/jobs/" + answer.json()["job"]["id"])
        deadline = time.monotonic() + 30
        while get_json(location)["state"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.05)
        job = get_json(location)
        self.assertEqual((job["state"], job["percent"], job["error"]), ("done", 100, None))
        report = get(job["report"])
        self.assertEqual(report.status, 200)
        printed = SERVER.cli("analyse", "duplicates", "ML@2024", "--threshold", threshold, "--json")
        self.assertEqual(report.body.decode("utf-8"), printed)
        page = get(job["page"])
        self.assertEqual(page.status, 200)
        self.assertIn(b"Near-identical pairs", page.body)

    def test_undocumented_api_paths_answer_a_json_404(self):
        for path in ["/api/v1", "/api/v1/", "/api/v1/nope", "/api/v1/frameworks/",
                     "/api/v1/frameworks/ML/nope", "/api/v1/items", "/api/v1/units",
                     "/api/v1/units/ODSMLC3/extra", "/api/v2/frameworks", "/api/"]:
            with self.subTest(path=path):
                answer = get(path)
                self.assertEqual(answer.status, 404)
                self.assertEqual(answer.header("content-type"), "application/json")
                errors = self.validator.errors(answer.json(),
                                               {"$ref": "#/components/schemas/Error"})
                self.assertEqual(errors, [])

    def test_api_errors_for_other_methods_are_json_too(self):
        answer = request("PUT", "/api/v1/frameworks", body=b"{}",
                         headers={"Content-Type": "application/json"})
        self.assertEqual(answer.status, 405)
        self.assertEqual(answer.header("allow"), "GET, HEAD, POST")
        self.assertEqual(answer.header("content-type"), "application/json")
        self.assertEqual(answer.json()["error"]["status"], 405)


# A framework with the optional fields the demo never uses, in the native format
# (docs/formats/native.md).
FULL_FRAMEWORK = {
    "opennos": "framework/1",
    "framework": {"code": "ZZ", "edition": "1", "title": "Test suite", "status": "approved",
                  "published": "2025-01-02", "extra": {"CFDocumentURI": "https://example.org/zz"}},
    "items": [{
        "type": "unit", "code": "U1", "urn": "ZZU1", "title": "A unit", "status": "tailored",
        "originatingOrganisation": "Somebody", "originalUrn": "ABCU1", "validity": "legacy",
        "category": "job-specific", "extra": {"note": 1},
        "children": [{"type": "statement", "typeName": "Indicator", "code": "U1.S1",
                      "text": "Know it.", "cy": {"text": "Gwybod."}}]}],
    "associations": [
        {"type": "exactMatchOf", "origin": {"code": "U1"},
         "destination": {"uri": "https://example.org/x", "title": "Elsewhere"},
         "provenance": "suggested", "score": 0.75, "decision": "accepted",
         "extra": {"why": "a test"}},
        {"type": "ext:sameAs", "origin": {"code": "U1.S1"}, "destination": {"code": "U1"},
         "provenance": "imported"},
    ],
}


class LifecycleTest(DocumentedAnswers, unittest.TestCase):
    """Servers of their own: data changing under a running server, fields the demo lacks, and
    stopping."""

    def start_server(self):
        server = Server()
        self.addCleanup(server.stop)
        server.start()
        return server

    def import_into(self, server, framework):
        path = os.path.join(server.data_dir, framework["framework"]["code"] + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(framework, f)
        server.cli("import", path)

    def test_an_import_while_serving_changes_the_answers_and_their_etags(self):
        server = self.start_server()
        fetch = lambda path: request("GET", path, server=server)
        before = fetch("/api/v1/frameworks")
        self.assertEqual(before.status, 200)
        self.assertEqual(fetch("/api/v1/frameworks/ZZ").status, 404)
        self.import_into(server, FULL_FRAMEWORK)
        deadline = time.monotonic() + 5  # the site checks for changes a few times a second
        while (fetch("/api/v1/frameworks").header("etag") == before.header("etag")
               and time.monotonic() < deadline):
            time.sleep(0.05)
        after = fetch("/api/v1/frameworks")
        self.assertNotEqual(after.header("etag"), before.header("etag"))
        self.assertIn("ZZ", [f["code"] for f in after.json()["frameworks"]])
        self.assertEqual(fetch("/api/v1/frameworks/ZZ").status, 200)
        self.assertEqual(fetch("/api/v1/units/ZZU1").status, 200)
        self.assertEqual(fetch("/nos/ZZU1").status, 200)

    def test_fields_the_demo_lacks_are_documented_too(self):
        server = self.start_server()
        self.import_into(server, FULL_FRAMEWORK)
        unit = request("GET", "/api/v1/units/ZZU1", server=server).json()["uuid"]
        calls = [("/frameworks/{name}", "/frameworks/ZZ"),
                 ("/frameworks/{name}/tree", "/frameworks/ZZ@1/tree"),
                 ("/frameworks/{name}/associations", "/frameworks/ZZ/associations"),
                 ("/frameworks/{name}/editions", "/frameworks/ZZ/editions"),
                 ("/items/{uuid}", "/items/" + unit),
                 ("/items/{uuid}/associations", f"/items/{unit}/associations"),
                 ("/units/{urn}", "/units/ZZU1")]
        for template, path in calls:
            with self.subTest(path=path):
                answer = request("GET", self.prefix + path, server=server)
                self.assertEqual(answer.status, 200, answer)
                self.check_answer(template, path, answer)
        associations = request("GET", "/api/v1/frameworks/ZZ/associations", server=server).json()
        suggested, = [a for a in associations["associations"] if a["type"] == "exactMatchOf"]
        self.assertEqual(suggested["destination"], {"uri": "https://example.org/x",
                                                    "title": "Elsewhere"})
        self.assertEqual((suggested["provenance"], suggested["score"]), ("suggested", 0.75))

    def test_sigterm_stops_the_server_cleanly(self):
        server = self.start_server()
        self.assertEqual(server.terminate(), 0, server.log())
        self.assertIn("stopped", server.log())


class SchemaValidatorTest(unittest.TestCase):
    """The validator above must reject what it should, or the OpenAPI checks prove nothing."""

    def setUp(self):
        self.document = load_openapi()
        self.validator = SchemaValidator(self.document)

    def errors(self, value, name):
        return self.validator.errors(value, {"$ref": "#/components/schemas/" + name})

    def test_it_rejects_each_kind_of_mismatch(self):
        good = {"uuid": "4ae19d60-d613-5373-9b3f-f65851cce8a2", "code": "ML", "edition": "2012"}
        self.assertEqual(self.errors(good, "FrameworkRef"), [])
        cases = {
            "missing required": {"uuid": good["uuid"], "code": "ML"},
            "wrong type": dict(good, edition=2012),
            "extra property": dict(good, colour="red"),
            "bad uuid": dict(good, uuid="4AE19D60"),
            "null": None,
            "not an object": [good],
        }
        for name, value in cases.items():
            with self.subTest(case=name):
                self.assertNotEqual(self.errors(value, "FrameworkRef"), [])

    def test_it_checks_enums_nullables_patterns_and_nested_items(self):
        self.assertNotEqual(self.errors("colour", "ItemType"), [])
        self.assertEqual(self.errors("ext:sameAs", "AssociationType"), [])
        self.assertNotEqual(self.errors("ext:", "AssociationType"), [])
        self.assertNotEqual(self.errors("sameAs", "AssociationType"), [])
        unit = {"id": "4ae19d60-d613-5373-9b3f-f65851cce8a2", "code": "A1", "unit": "X",
                "title": "T"}
        pair = {"a": unit, "b": None, "pairs": 2, "best": 0.9}
        unit_pairs = self.document["components"]["schemas"]["Duplicates"]["properties"]["units"]
        self.assertEqual(self.validator.errors([pair], unit_pairs), [])
        self.assertNotEqual(self.validator.errors([dict(pair, a=42)], unit_pairs), [])
        self.assertNotEqual(self.validator.errors([dict(pair, pairs=-1)], unit_pairs), [])
        self.assertNotEqual(self.validator.errors([dict(pair, best=1.5)], unit_pairs), [])
        link = {"old": unit, "new": unit, "source": "authored", "score": 0.5}
        self.assertEqual(self.errors(link, "UnitLink"), [])
        self.assertNotEqual(self.errors(dict(link, source="guessed"), "UnitLink"), [])
        self.assertNotEqual(self.errors(dict(link, new=dict(unit, title=None)), "UnitLink"), [])

    def test_it_catches_a_live_answer_that_lost_a_field(self):
        body = get_json("/api/v1/frameworks/ML@2012/tree")
        self.assertEqual(self.errors(body, "Tree"), [])
        del body["items"][0]["children"][0]["uuid"]
        self.assertNotEqual(self.errors(body, "Tree"), [])

    def test_the_document_uses_only_keywords_the_validator_knows(self):
        def visit(schema, where):
            if isinstance(schema, dict):
                unknown = set(schema) - KNOWN_KEYWORDS
                if "properties" in schema:
                    for name, sub in schema["properties"].items():
                        visit(sub, f"{where}.{name}")
                for key in ("items", "additionalProperties"):
                    if isinstance(schema.get(key), dict):
                        visit(schema[key], f"{where}.{key}")
                for key in ("allOf", "anyOf"):
                    for i, sub in enumerate(schema.get(key, [])):
                        visit(sub, f"{where}.{key}[{i}]")
                self.assertEqual(unknown, set(), where)

        for name, schema in self.document["components"]["schemas"].items():
            visit(schema, name)


# --- Malformed requests ------------------------------------------------------------------------


def malformed_requests():
    """(name, raw bytes, close our side after sending, accepted statuses; None: a close)."""
    host = b"Host: t\r\n"
    get_line = lambda target: b"GET " + target + b" HTTP/1.1\r\n" + host + b"\r\n"
    big_body = b"x" * (2 << 20)
    chunk = b"x" * (256 << 10)
    chunked = b"".join(b"40000\r\n" + chunk + b"\r\n" for _ in range(8)) + b"0\r\n\r\n"
    return [
        ("bad percent-encoding", get_line(b"/suites/%zz"), False, {400}),
        ("a truncated escape", get_line(b"/api/v1/frameworks/ML%4"), False, {400}),
        ("bad escape in the query", get_line(b"/search?q=%G1"), False, {400}),
        ("a NUL byte", get_line(b"/about%00.html"), False, {400}),
        ("dot-dot segments", get_line(b"/assets/../../etc/passwd"), False, {400}),
        ("encoded dot-dots", get_line(b"/assets/%2e%2e/%2e%2e/etc/passwd"), False, {400}),
        ("upper-case encoded dot-dots", get_line(b"/static/%2E%2E/%2E%2E/etc/passwd"), False,
         {400}),
        ("mixed encoded dot-dots", get_line(b"/assets/.%2e/.%2E/etc/passwd"), False, {400}),
        ("encoded slashes", get_line(b"/assets/..%2f..%2fetc%2fpasswd"), False, {400}),
        ("backslashes", get_line(b"/static/..%5c..%5cetc%5cpasswd"), False, {400}),
        ("a dot segment", get_line(b"/./about"), False, {400}),
        ("a relative target", get_line(b"assets/images/favicon.ico"), False, {400}),
        ("a 20 KB header", b"GET / HTTP/1.1\r\n" + host + b"X-Big: " + b"a" * 20480 +
         b"\r\n\r\n", False, {431}),
        ("3000 small headers", b"GET / HTTP/1.1\r\n" + host +
         b"".join(b"X-H%d: v\r\n" % i for i in range(3000)) + b"\r\n", False, {431}),
        ("a 10 KB target", get_line(b"/" + b"a" * 10240), False, {414}),
        ("a 10 KB query", get_line(b"/search?q=" + b"a" * 10240), False, {414}),
        ("the method FOO", b"FOO / HTTP/1.1\r\n" + host + b"\r\n", False, {405}),
        ("the method DELETE", b"DELETE /api/v1/frameworks/ML/tree HTTP/1.1\r\n" + host + b"\r\n",
         False, {405}),
        ("a lower-case get", b"get / HTTP/1.1\r\n" + host + b"\r\n", False, {405}),
        ("a GET with a body", b"GET / HTTP/1.1\r\n" + host + b"Content-Length: 5\r\n\r\nhello",
         False, {400}),
        ("a GET with a chunked body", b"GET / HTTP/1.1\r\n" + host +
         b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", False, {400}),
        ("two Content-Lengths", b"GET / HTTP/1.1\r\n" + host +
         b"Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello", False, {400}),
        ("a request line that is not HTTP", b"HELLO WORLD\r\n\r\n", False, {400, None}),
        ("an HTTP/0.9 request", b"GET /\r\n\r\n", False, {400, None}),
        ("an unknown HTTP version", b"GET / HTTP/2.0\r\n" + host + b"\r\n", False,
         {400, 505, None}),
        ("binary garbage", bytes(range(256)) + b"\r\n\r\n", False, {400, None}),
        ("a header without a colon", b"GET / HTTP/1.1\r\n" + host + b"Oops\r\n\r\n", False,
         {400}),
        ("a truncated request", b"GET / HTTP/1.1\r\n" + host, True, {400, None}),
        ("a truncated body", b"POST / HTTP/1.1\r\n" + host + b"Content-Length: 10\r\n\r\nabc",
         True, {400, None}),
        ("a 2 MB body", b"POST /api/v1/frameworks HTTP/1.1\r\n" + host +
         b"Content-Length: %d\r\n\r\n" % len(big_body) + big_body, False, {413}),
        ("a 2 MB chunked body", b"POST / HTTP/1.1\r\n" + host +
         b"Transfer-Encoding: chunked\r\n\r\n" + chunked, False, {413}),
    ]


class MalformedRequestTest(unittest.TestCase):
    def assert_still_serving(self):
        answer = get("/")
        self.assertEqual(answer.status, 200)
        self.assertIn(b"<html", answer.body)

    def test_each_malformed_request_gets_a_4xx_or_a_close_and_the_server_goes_on(self):
        for name, data, shut_write, accepted in malformed_requests():
            with self.subTest(request=name):
                started = time.monotonic()
                reply = raw_exchange(data, shut_write=shut_write)
                self.assertIn(raw_status(reply), accepted, reply[:300])
                self.assertLess(time.monotonic() - started, 4, "the server was slow to answer")
                if reply and raw_status(reply) == 405:
                    self.assertIn(b"\r\nAllow: GET, HEAD\r\n", reply)
                self.assert_still_serving()

    def test_nothing_outside_the_embedded_files_is_ever_served(self):
        for target in [b"/assets/../../etc/passwd", b"/static/%2e%2e/%2e%2e/etc/passwd",
                       b"/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd", b"/static//etc/passwd",
                       b"/assets/images/..%2f..%2f..%2fsrc/web/site.cc",
                       b"/static/%252e%252e/%252e%252e/etc/passwd"]:
            with self.subTest(target=target):
                reply = raw_exchange(b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n"
                                     b"Connection: close\r\n\r\n")
                self.assertIn(raw_status(reply), {400, 404})
                self.assertNotIn(b"root:", reply)
                self.assertNotIn(b"#include", reply)

    def test_an_idle_connection_that_sends_nothing_does_not_block_others(self):
        idle = socket.create_connection(("127.0.0.1", SERVER.port), timeout=5)
        self.addCleanup(idle.close)
        idle.sendall(b"GET / HTTP/1.1\r\n")  # and then nothing
        self.assert_still_serving()


if __name__ == "__main__":
    unittest.main()
