#!/usr/bin/python3
"""The CASE REST service (read side) of the real `opennos serve`, started on 127.0.0.1 over a
fresh demo data directory into which tests/fixtures/case/digital-skills.json is imported first
(with `opennos import`). Checked through live HTTP: every endpoint in both versions for the
fields the REST binding requires, every answer against the service's own discovery document,
the packages against 1EdTech's JSON schemas (v1.1 official and v1.0, from ../shared when it is
there), the error payloads, paging, sorting, filtering and field selection, and that URIs lead
back to the server.

Standard library, plus the jsonschema module (Debian python3-jsonschema) for schema checks.
The binary is $OPENNOS_BINARY (set by ctest), else build/opennos.
Run alone: /usr/bin/python3 tests/integration/case_service_test.py -v
"""

import datetime
import json
import os
import re
import sys
import time
import unittest
import urllib.parse

try:
    import jsonschema
except ImportError:  # the schema checks skip themselves
    jsonschema = None

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import live_server  # noqa: E402  (the server, requests)

SOURCE_DIR = live_server.SOURCE_DIR
SITE_CC = os.path.join(SOURCE_DIR, "src", "web", "site.cc")
FIXTURE = os.path.join(SOURCE_DIR, "tests", "fixtures", "case", "digital-skills.json")
SCHEMAS = os.path.join(os.path.dirname(SOURCE_DIR), "shared", "corpora", "case", "schema")
V1P1_SCHEMA = os.path.join(SCHEMAS, "case-v1p1-cfpackage-schema-official.json")
V1P0_SCHEMA = os.path.join(SCHEMAS, "case-v1p0-cfpackage-schema.json")

PACKAGE = "d8928aa1-f114-4d33-915f-717b8e95a695"
DEMO_SUITE = "66b377c5-acca-5b66-bfb6-e69d9fe5d507"  # ML@2024, its UUID derived from its name
UNIT1 = "f7863e31-d1c6-4bb8-ac5e-da630285b7c9"
UNIT2 = "561f7717-01dc-467b-a6d1-716f9605f128"
TREE_OF_CRITERION3 = "c8debc6d-c2cd-4fb9-827d-fcf77c623093"
RELATED = "c7bc0488-38a5-42a8-b606-9231f7c97439"
TRANSLATION = "2d2fcafb-d031-4184-bcb8-8bc1a9f85a61"
EXTENSION = "6a836699-d88e-443a-aa3b-3f014eda2ca4"
TO_DEMO = "b00dd7ec-f54a-44c5-8ed6-cd9a4785da76"
CONCEPT1 = "c19e570d-199e-40f3-83b0-39a54d8ce9f4"
SUBJECT1 = "69a3d3f8-b3c8-4d5b-90c2-3f0ced57bc52"
LICENCE = "18084ec2-b112-4dca-8135-672ac97d54db"
TYPE_UNIT = "56acbdeb-e988-4e1d-9e10-165324d12e34"
GROUPING = "71f69cc8-850a-40c3-a484-ed053a6990ad"
RUBRIC = "242d0c9f-8fc7-44c0-b671-8284064cf35a"
ML2012_A1 = "165d5b86-379f-5945-9240-dbb7a51e5336"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
VERSIONS = ("v1p1", "v1p0")

# The properties the REST binding (sections 7.x) marks [1..1] on each object.
REQUIRED = {
    "CFDocument": ["identifier", "uri", "creator", "title", "lastChangeDateTime", "CFPackageURI"],
    "CFPckgDocument": ["identifier", "uri", "creator", "title", "lastChangeDateTime"],
    "CFItem": ["identifier", "fullStatement", "uri", "lastChangeDateTime", "CFDocumentURI"],
    "CFPckgItem": ["identifier", "fullStatement", "uri", "lastChangeDateTime"],
    "CFAssociation": ["identifier", "associationType", "uri", "originNodeURI",
                      "destinationNodeURI", "lastChangeDateTime"],
    "Link": ["title", "identifier", "uri"],
    "CFConcept": ["identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"],
    "CFSubject": ["identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"],
    "CFLicense": ["identifier", "uri", "title", "licenseText", "lastChangeDateTime"],
    "CFItemType": ["identifier", "uri", "title", "description", "hierarchyCode",
                   "lastChangeDateTime"],
    "CFAssociationGrouping": ["identifier", "uri", "title", "lastChangeDateTime"],
    "CFRubric": ["identifier", "uri", "lastChangeDateTime"],
}
LINKS = {"CFPackageURI", "CFDocumentURI", "licenseURI", "CFItemTypeURI", "conceptKeywordsURI",
         "originNodeURI", "destinationNodeURI", "CFAssociationGroupingURI", "CFItemURI"}


# --- The server under test -------------------------------------------------------------------


class Server(live_server.Server):
    """The demo and the fixture package."""

    def __init__(self):
        super().__init__(prefix="opennos-case-test-")

    def prepare(self):
        super().prepare()
        self.cli("import", "--as", "case-test", FIXTURE)


SERVER = None


def setUpModule():
    global SERVER
    SERVER = Server()
    unittest.addModuleCleanup(SERVER.stop)
    SERVER.start()


def base():
    return f"http://127.0.0.1:{SERVER.port}"


# --- HTTP ------------------------------------------------------------------------------------


def get(path, headers=None):
    return live_server.request(SERVER, "GET", path, headers, timeout=20)


def get_json(path, status=200):
    answer = get(path)
    if answer.status != status:
        raise AssertionError(f"GET {path}: expected {status}, got {answer}")
    if answer.headers.get("content-type") != "application/json":
        raise AssertionError(f"GET {path}: not JSON: {answer}")
    return answer.json()


def case(version, rest):
    return f"/ims/case/{version}{rest}"


def query(**params):
    return "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


# --- Schemas ---------------------------------------------------------------------------------

RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def is_date_time(value):
    """RFC 3339 date-time, as JSON Schema's "date-time" format means."""
    if not isinstance(value, str):
        return True
    match = RFC3339.match(value)
    if not match:
        return False
    try:
        datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return False
    return int(match.group(2)) < 24 and int(match.group(3)) < 60 and int(match.group(4)) < 61


def format_checker():
    """A FormatChecker that checks date-time too. Debian's python3-jsonschema checks
    date-time only with the rfc3339-validator module, which is not installed here; without
    it every string passes as a date-time (see the v1.0 test)."""
    checker = jsonschema.FormatChecker()
    if "date-time" not in checker.checkers:
        checker.checks("date-time")(is_date_time)
    return checker


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def errors(validator, value):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
            for e in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))]


def is_date_quirk(error):
    """The v1.0 schema gives statusStartDate/statusEndDate as oneOf [date, date-time, null]:
    unless date-time is checked, a date matches both string branches and oneOf fails."""
    return error.validator == "oneOf" and "is valid under each of" in error.message and \
        error.absolute_path and error.absolute_path[-1] in ("statusStartDate", "statusEndDate")


# --- The request table -----------------------------------------------------------------------

# path after /ims/case/VERSION, the kind of object answered, and how it is wrapped:
# "" a single object, "list:KEY" a list of that kind under KEY, "package", "associations".
ENDPOINTS = [
    ("/CFDocuments", "CFDocument", "list:CFDocuments"),
    ("/CFDocuments/" + PACKAGE, "CFDocument", ""),
    ("/CFPackages/" + PACKAGE, "CFPackage", "package"),
    ("/CFItems/" + UNIT1, "CFItem", ""),
    ("/CFItemAssociations/" + UNIT1, "CFAssociationSet", "associations"),
    ("/CFItemAssociations/" + ML2012_A1, "CFAssociationSet", "associations"),
    ("/CFAssociations/" + RELATED, "CFAssociation", ""),
    ("/CFAssociations/" + TREE_OF_CRITERION3, "CFAssociation", ""),
    ("/CFAssociationGroupings/" + GROUPING, "CFAssociationGrouping", ""),
    ("/CFConcepts/" + CONCEPT1, "CFConcept", "list:CFConcepts"),
    ("/CFItemTypes/" + TYPE_UNIT, "CFItemType", "list:CFItemTypes"),
    ("/CFLicenses/" + LICENCE, "CFLicense", ""),
    ("/CFSubjects/" + SUBJECT1, "CFSubject", "list:CFSubjects"),
    ("/CFRubrics/" + RUBRIC, "CFRubric", ""),
]

SCHEMA_OF = {  # the discovery document's schema for each endpoint's answer
    "CFDocument": "CFDocument", "CFPackage": "CFPackage", "CFItem": "CFItem",
    "CFAssociationSet": "CFAssociationSet", "CFAssociation": "CFAssociation",
    "CFAssociationGrouping": "CFAssociationGrouping", "CFConcept": "CFConceptSet",
    "CFItemType": "CFItemTypeSet", "CFLicense": "CFLicense", "CFSubject": "CFSubjectSet",
    "CFRubric": "CFRubric",
}


def discovery_path(version):
    return case(version, f"/discovery/imscase{version}_openapi3_v1p0.json")


def site_routes():
    with open(SITE_CC, encoding="utf-8") as f:
        table = re.search(r"kRoutes\[\] = \{(.*?)\n\};", f.read(), re.S)
    return [pattern for method, pattern in
            re.findall(r'\{"([A-Z]+)",\s*"(/[^"]*)",\s*[\w:]+', table.group(1))
            if method == "GET"]


def route_matches(pattern, path):
    path = path.split("?", 1)[0]
    p, s = pattern.split("/")[1:], path.split("/")[1:]
    return len(p) == len(s) and all(a == b or (a.startswith("{") and b) for a, b in zip(p, s))


# --- Tests -----------------------------------------------------------------------------------


class RoutesTest(unittest.TestCase):
    def test_every_case_route_in_the_route_table_is_exercised(self):
        paths = [case(v, path) for v in VERSIONS for path, _, _ in ENDPOINTS]
        paths += [discovery_path(v) for v in VERSIONS]
        paths += [case("v1p1", "/CFNothing"), case("v1p1", "/CFNothing/" + UNIT1)]
        routes = [r for r in site_routes() if r.startswith("/ims/case/")]
        self.assertGreaterEqual(len(routes), 15)
        for pattern in routes:
            with self.subTest(route=pattern):
                self.assertTrue(any(route_matches(pattern, p) for p in paths), pattern)

    def test_every_endpoint_answers_json_in_both_versions(self):
        for version in VERSIONS:
            for path, _, _ in ENDPOINTS + [("/discovery", None, None)]:
                target = discovery_path(version) if path == "/discovery" else case(version, path)
                with self.subTest(target=target):
                    answer = get(target)
                    self.assertEqual(answer.status, 200, answer)
                    self.assertEqual(answer.headers.get("content-type"), "application/json")
                    self.assertTrue(answer.headers.get("etag"))

    def test_read_endpoints_ignore_any_authorization_header(self):
        for path, _, _ in ENDPOINTS:
            target = case("v1p1", path)
            with self.subTest(target=target):
                plain = get(target)
                for authorization in ("Bearer nonsense", "Basic dXNlcjpwYXNz"):
                    answer = get(target, {"Authorization": authorization})
                    self.assertEqual(answer.status, 200, answer)
                    self.assertEqual(answer.body, plain.body)


class ShapesTest(unittest.TestCase):
    def check(self, kind, obj, where):
        """The binding's required properties, recursively for links and nested objects."""
        self.assertIsInstance(obj, dict, where)
        for name in REQUIRED.get(kind, []):
            self.assertIn(name, obj, f"{where}: {kind} without {name}")
        for name, value in obj.items():
            if name in LINKS:
                self.check("Link", value, f"{where}/{name}")
            if name in ("subjectURI",):
                for i, link in enumerate(value):
                    self.check("Link", link, f"{where}/{name}/{i}")
            if name == "sequenceNumber":
                self.assertIsInstance(value, int, f"{where}: sequenceNumber as a number")
            if name in ("identifier", "uri", "title", "fullStatement", "creator"):
                self.assertIsInstance(value, str, f"{where}/{name}")
        if kind == "CFRubric":
            for i, criterion in enumerate(obj.get("CFRubricCriteria", [])):
                self.check("CFRubric", criterion, f"{where}/CFRubricCriteria/{i}")
                for j, level in enumerate(criterion.get("CFRubricCriterionLevels", [])):
                    self.check("CFRubric", level, f"{where}/.../CFRubricCriterionLevels/{j}")

    def check_package(self, package, where):
        self.check("CFPckgDocument", package["CFDocument"], where + "/CFDocument")
        self.assertNotIn("CFPackageURI", package["CFDocument"])
        for i, item in enumerate(package["CFItems"]):
            self.check("CFPckgItem", item, f"{where}/CFItems/{i}")
            self.assertNotIn("CFDocumentURI", item)
        for i, a in enumerate(package["CFAssociations"]):
            self.check("CFAssociation", a, f"{where}/CFAssociations/{i}")
            self.assertNotIn("CFDocumentURI", a)
        for kind, items in package.get("CFDefinitions", {}).items():
            for i, d in enumerate(items if isinstance(items, list) else []):
                self.check(kind[:-1], d, f"{where}/CFDefinitions/{kind}/{i}")
        for i, r in enumerate(package.get("CFRubrics", [])):
            self.check("CFRubric", r, f"{where}/CFRubrics/{i}")

    def test_every_answer_has_the_fields_the_binding_requires(self):
        for version in VERSIONS:
            for path, kind, wrap in ENDPOINTS:
                target = case(version, path)
                with self.subTest(target=target):
                    body = get_json(target)
                    if wrap.startswith("list:"):
                        key = wrap[5:]
                        self.assertEqual(list(body), [key])
                        self.assertGreater(len(body[key]), 0)
                        for i, obj in enumerate(body[key]):
                            self.check(kind, obj, f"{target}/{key}/{i}")
                    elif wrap == "package":
                        self.check_package(body, target)
                    elif wrap == "associations":
                        self.assertEqual(sorted(body), ["CFAssociations", "CFItem"])
                        self.check("CFItem", body["CFItem"], target + "/CFItem")
                        self.assertGreater(len(body["CFAssociations"]), 0)
                        for i, a in enumerate(body["CFAssociations"]):
                            self.check("CFAssociation", a, f"{target}/CFAssociations/{i}")
                    else:
                        self.check(kind, body, target)

    def test_every_demo_package_has_the_required_fields_too(self):
        for version in VERSIONS:
            for doc in get_json(case(version, "/CFDocuments"))["CFDocuments"]:
                target = case(version, "/CFPackages/" + doc["identifier"])
                with self.subTest(target=target):
                    self.check_package(get_json(target), target)

    def test_the_v1p0_service_gives_one_dot_zero_association_types(self):
        types = {a["identifier"]: a["associationType"]
                 for a in get_json(case("v1p0", "/CFPackages/" + PACKAGE))["CFAssociations"]}
        self.assertEqual(types[TRANSLATION], "isRelatedTo")
        self.assertEqual(types[EXTENSION], "isRelatedTo")
        v1p1 = {a["identifier"]: a["associationType"]
                for a in get_json(case("v1p1", "/CFPackages/" + PACKAGE))["CFAssociations"]}
        self.assertEqual(v1p1[TRANSLATION], "isTranslationOf")
        self.assertEqual(v1p1[EXTENSION], "ext:supports")

    def test_an_item_has_every_association_at_either_end_tree_included(self):
        package = get_json(case("v1p1", "/CFPackages/" + PACKAGE))
        for item in (UNIT1, UNIT2):
            expected = {a["identifier"] for a in package["CFAssociations"]
                        if item in (a["originNodeURI"]["identifier"],
                                    a["destinationNodeURI"]["identifier"])}
            body = get_json(case("v1p1", "/CFItemAssociations/" + item))
            got = {a["identifier"] for a in body["CFAssociations"]}
            self.assertEqual(got, expected, item)
            self.assertIn("isChildOf", {a["associationType"] for a in body["CFAssociations"]})
        # A demo unit: its tree, its own replacedBy, and the fixture's association to it.
        got = {a["identifier"]: a for a in
               get_json(case("v1p1", "/CFItemAssociations/" + ML2012_A1))["CFAssociations"]}
        self.assertIn(TO_DEMO, got)
        self.assertEqual(got[TO_DEMO]["CFDocumentURI"]["identifier"], PACKAGE)

    def test_uris_lead_back_to_the_server(self):
        """Every uri the server derives points at itself, and following it gives the object.
        (An imported package keeps its publisher's URIs; OpenNOS's own suites get this server's.)"""
        package = get_json(case("v1p1", "/CFPackages/" + DEMO_SUITE))
        ours = base() + "/ims/case/v1p1/"
        objects = [package["CFDocument"]] + package["CFItems"] + package["CFAssociations"]
        followed = 0
        for obj in objects:
            uri = obj["uri"]
            if not uri.startswith(ours):
                continue  # kept as the package gave it (docs/case-service.md)
            with self.subTest(uri=uri):
                self.assertEqual(get_json(uri[len(base()):])["identifier"], obj["identifier"])
                followed += 1
        self.assertGreaterEqual(followed, len(package["CFItems"]) + 1)


class SchemaTest(unittest.TestCase):
    def setUp(self):
        if jsonschema is None:
            self.skipTest("the jsonschema module is not installed")

    def require_schemas(self):
        if not os.path.exists(V1P1_SCHEMA):
            self.skipTest("../shared is not there: no 1EdTech schemas to validate against")

    def packages(self, version):
        ids = [d["identifier"] for d in get_json(case(version, "/CFDocuments"))["CFDocuments"]]
        self.assertIn(PACKAGE, ids)
        return [(i, get_json(case(version, "/CFPackages/" + i))) for i in ids]

    def test_every_v1p1_package_validates_against_the_official_schema(self):
        self.require_schemas()
        schema = load(V1P1_SCHEMA)
        validator = jsonschema.validators.validator_for(schema)(schema,
                                                               format_checker=format_checker())
        for identifier, package in self.packages("v1p1"):
            with self.subTest(package=identifier):
                self.assertEqual(errors(validator, package), [])

    def test_every_v1p0_package_validates_against_the_v1p0_schema(self):
        """With FormatChecker alone, python3-jsonschema (without rfc3339-validator) checks no
        date-time, so "2024-03-01" is valid under both the date and the date-time branch of the
        schema's oneOf for statusStartDate/statusEndDate, and oneOf fails. This test shows that
        this is the only failure, then validates with date-time checked."""
        self.require_schemas()
        schema = load(V1P0_SCHEMA)
        plain = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
        strict = jsonschema.Draft4Validator(schema, format_checker=format_checker())
        quirk_seen = False
        for identifier, package in self.packages("v1p0"):
            with self.subTest(package=identifier):
                found = list(plain.iter_errors(package))
                others = [e for e in found if not is_date_quirk(e)]
                self.assertEqual([e.message[:300] for e in others], [])
                quirk_seen = quirk_seen or bool(found)
                self.assertEqual(errors(strict, package), [])
        if quirk_seen and "date-time" not in jsonschema.FormatChecker().checkers:
            print("\nnote: the v1.0 schema's oneOf(date, date-time) fails on every date with "
                  "the plain FormatChecker (no date-time checker installed); validated again "
                  "with an RFC 3339 date-time check: no errors.", file=sys.stderr)

    def test_every_answer_matches_the_discovery_document(self):
        for version in VERSIONS:
            document = get_json(discovery_path(version))
            for path, kind, _ in ENDPOINTS:
                target = case(version, path)
                name = "CFDocumentSet" if path == "/CFDocuments" else SCHEMA_OF[kind]
                with self.subTest(target=target, schema=name):
                    self.assertEqual(self.mismatches(document, name, get_json(target)), [])
            for target in (case(version, "/CFItems/" + UNKNOWN),
                           case(version, "/CFDocuments?limit=0")):
                body = get_json(target, 404 if "CFItems" in target else 400)
                self.assertEqual(self.mismatches(document, "imsx_StatusInfo", body), [])

    @staticmethod
    def mismatches(document, name, value):
        schema = {"$ref": "#/components/schemas/" + name, "components": document["components"]}
        return errors(jsonschema.Draft7Validator(schema, format_checker=format_checker()), value)


class ErrorsTest(unittest.TestCase):
    def check_status_info(self, body, code_minor):
        self.assertEqual(body["imsx_codeMajor"], "failure")
        self.assertEqual(body["imsx_severity"], "error")
        self.assertTrue(body["imsx_description"])
        self.assertEqual(body["imsx_codeMinor"]["imsx_codeMinorField"],
                         [{"imsx_codeMinorFieldName": "TargetEndSystem",
                           "imsx_codeMinorFieldValue": code_minor}])

    def test_failures_carry_the_imsx_status_payload(self):
        kinds = sorted({path.rsplit("/", 1)[0] for path, _, _ in ENDPOINTS} - {""})
        cases = [(case("v1p1", kind + "/" + UNKNOWN), 404, "unknownobject") for kind in kinds]
        cases += [
            (case("v1p1", "/CFItems/nope"), 404, "invalid_uuid"),
            (case("v1p0", "/CFItems/nope"), 404, "invaliduuid"),
            (case("v1p1", "/CFWhatever"), 404, "unknownobject"),
            (case("v3p0", "/CFDocuments"), 404, "unknownobject"),
            (case("v1p1", "/CFDocuments" + query(limit="0")), 400, "invalid_selection_field"),
            (case("v1p1", "/CFDocuments" + query(offset="x")), 400, "invalid_selection_field"),
            (case("v1p1", "/CFDocuments" + query(fields="title,")), 400,
             "invalid_selection_field"),
            (case("v1p1", "/CFDocuments" + query(sort="title", orderBy="sideways")), 400,
             "invalid_sort_field"),
            (case("v1p1", "/CFDocuments" + query(filter="colour='red'")), 400,
             "invalid_filter_field"),
            (case("v1p1", "/CFDocuments" + query(filter="title=red")), 400,
             "invalid_filter_field"),
        ]
        for target, status, code_minor in cases:
            with self.subTest(target=target):
                self.check_status_info(get_json(target, status), code_minor)


class ListQueryTest(unittest.TestCase):
    def ids(self, **params):
        return [d["identifier"] for d in
                get_json(case("v1p1", "/CFDocuments" + query(**params)))["CFDocuments"]]

    def test_pages_carry_the_total_and_links_to_the_other_pages(self):
        everything = self.ids()
        self.assertEqual(len(everything), 4)
        answer = get(case("v1p1", "/CFDocuments" + query(limit="3", offset="1")))
        self.assertEqual(answer.headers["x-total-count"], "4")
        self.assertEqual([d["identifier"] for d in answer.json()["CFDocuments"]], everything[1:])
        links = dict((rel, url) for url, rel in
                     re.findall(r'<([^>]*)>; rel="(\w+)"', answer.headers["link"]))
        self.assertEqual(sorted(links), ["first", "last", "prev"])
        self.assertTrue(links["first"].startswith(base() + "/ims/case/v1p1/CFDocuments?"))
        first = urllib.parse.urlsplit(links["first"])
        self.assertEqual([d["identifier"] for d in get_json(first.path + "?" + first.query)
                          ["CFDocuments"]], everything[:3])

    def test_sorts_filters_and_selects_fields(self):
        self.assertEqual(self.ids(sort="statusEndDate", orderBy="desc")[1], PACKAGE)
        self.assertEqual(self.ids(filter="title~'DIGITAL'"), [PACKAGE])
        self.assertEqual(len(self.ids(filter="extensions.opennos.code='ML' AND version>='2020'")), 1)
        self.assertEqual(self.ids(filter="subject~'maths,digital skills'"), [PACKAGE])
        body = get_json(case("v1p1", "/CFDocuments" + query(fields="identifier,title")))
        self.assertTrue(all(sorted(d) == ["identifier", "title"] for d in body["CFDocuments"]))


class DiscoveryTest(unittest.TestCase):
    def test_each_version_describes_its_endpoints_on_this_server(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                document = get_json(discovery_path(version))
                self.assertTrue(document["openapi"].startswith("3."))
                self.assertEqual(document["servers"], [{"url": base() + "/ims/case/" + version}])
                self.assertEqual(document["security"], [])
                described = set(document["paths"])
                served = {re.sub(r"/[0-9a-f-]{36}$", "/{sourcedId}", p) for p, _, _ in ENDPOINTS}
                self.assertEqual(described, served)
                for path, item in document["paths"].items():
                    ref = item["get"]["responses"]["200"]["content"]["application/json"]
                    name = ref["schema"]["$ref"].rsplit("/", 1)[1]
                    self.assertIn(name, document["components"]["schemas"], path)

    def test_a_wrong_discovery_file_name_is_an_unknown_object(self):
        body = get_json(case("v1p1", "/discovery/imscasev1p0_openapi3_v1p0.json"), 404)
        self.assertEqual(body["imsx_codeMajor"], "failure")


if __name__ == "__main__":
    unittest.main()
