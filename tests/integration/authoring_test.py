#!/usr/bin/python3
"""Authoring through the real `opennos serve` on 127.0.0.1: a draft edition made, edited,
checked, diffed, restored and published through the JSON API with API tokens; the same through
the pages with a signed-in session; two editors saving the same item at once (the second gets
412, or on the page a conflict message with their text, and nothing is lost); who may write
(401 without credentials, 403 for a viewer, a reviewer or another organisation); drafts never
visible to the public; the answers against openapi.json.

Standard library only. The binary is $OPENNOS_BINARY (set by ctest), else build/opennos.
Run alone: /usr/bin/python3 tests/integration/authoring_test.py -v
"""

import html
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import live_server  # noqa: E402  (the server, the CLI, requests, a signed-in browser)

DEMO_ORG = live_server.DEMO_ORGANISATION
PASSWORD = "pw-editor-Qa7#mN3x"
SERVER = None
TOKENS = {}


class Server(live_server.Server):
    """The demo, with an editor, a reviewer and a viewer of its standards body, and an editor of
    another organisation, each with an API token."""

    def prepare(self):
        super().prepare()
        self.cli("org", "add", "Other Body", "--kind", "employer")
        for who, org, role in [("editor", DEMO_ORG, "editor"), ("editor2", DEMO_ORG, "editor"),
                               ("reviewer", DEMO_ORG, "reviewer"), ("viewer", DEMO_ORG, "viewer"),
                               ("outsider", "Other Body", "editor")]:
            TOKENS[who] = self.add_user(f"{who}@example.org", org, role, PASSWORD)


def setUpModule():
    global SERVER
    SERVER = Server()
    unittest.addModuleCleanup(SERVER.stop)
    SERVER.start()


def api(method, path, who=None, body=None, headers=None):
    h, body = live_server.with_token(TOKENS[who] if who is not None else None, headers, body)
    return request(method, "/api/v1" + path, h, body)


def request(method, path, headers=None, body=None):
    return live_server.request(SERVER, method, path, headers, body)


hidden = live_server.hidden


class Browser(live_server.Browser):
    """A browser on the module's server that signs in as one of its users and posts forms with
    the session's CSRF token."""

    def __init__(self):
        super().__init__(SERVER)

    def sign_in(self, email):
        super().sign_in(email, PASSWORD)
        return self

    def post(self, path, fields, page=None):
        """Posts a form with the CSRF token of `page` (or of /drafts)."""
        token = hidden(page if page is not None else self.send("GET", "/drafts").body,
                       "csrf_token")
        return self.send("POST", path, dict(fields, csrf_token=token))


def new_edition(edition, who="editor"):
    made = api("POST", "/frameworks/ML/editions", who, {"edition": edition})
    assert made.status == 201, made
    return made.json()["uuid"]


def tree_units(draft, who="editor"):
    tree = api("GET", f"/frameworks/{draft}/tree", who)
    assert tree.status == 200, tree
    units = []

    def walk(items):
        for item in items:
            if item["type"] == "unit":
                units.append(item)
            walk(item.get("children", []))
    walk(tree.json()["items"])
    return units


def criterion_of(draft, urn, who="editor"):
    unit = next(u for u in tree_units(draft, who) if u.get("urn") == urn)
    return next(c for c in unit["children"] if c["type"] == "performance-criterion")


class ApiTest(unittest.TestCase):

    def test_a_draft_edition_from_start_to_publication(self):
        draft = new_edition("2031")
        # Invisible to the public, visible to its organisation.
        self.assertEqual(api("GET", f"/frameworks/{draft}/tree").status, 404)
        self.assertEqual(api("GET", "/frameworks/ML").json()["edition"], "2024")
        self.assertIn(draft, [d["uuid"] for d in api("GET", "/drafts", "reviewer").json()["drafts"]])
        pc = criterion_of(draft, "ODSMLC3")
        item = api("GET", "/items/" + pc["uuid"], "editor")
        self.assertEqual(item.status, 200)
        self.assertEqual(item.header("etag"), '"1"')
        # A criterion that does not start with a verb: a warning beside it.
        changed = api("PATCH", "/items/" + pc["uuid"], "editor",
                      '{"text": "The team members are developed."}',
                      {"If-Match": '"1"', "Content-Type": "application/merge-patch+json"})
        self.assertEqual(changed.status, 200, changed)
        self.assertEqual(changed.header("etag"), '"2"')
        checks = api("GET", f"/frameworks/{draft}/checks", "editor").json()
        verb = [f for f in checks["findings"] if f["check"] == "criterion-verb"]
        self.assertEqual([f["item"] for f in verb], [pc["uuid"]])
        self.assertEqual(checks["errors"], 0)
        # Revisions and a word diff between them.
        revisions = api("GET", f"/items/{pc['uuid']}/revisions", "editor").json()["revisions"]
        self.assertEqual([r["number"] for r in revisions], [1, 2])
        self.assertEqual(revisions[1]["author"], "editor@example.org")
        diff = api("GET", f"/items/{pc['uuid']}/diff?from=1&to=2", "editor").json()
        text = next(f for f in diff["fields"] if f["field"] == "text")
        self.assertTrue(text["changed"])
        # Word by word: the words both share stay, the rest is removed or added; put back
        # together, the pieces give each revision's text.
        pieces = text["pieces"]
        self.assertIn({"kind": "same", "text": "team"}, pieces)
        self.assertEqual(" ".join(p["text"] for p in pieces if p["kind"] != "removed"),
                         "The team members are developed.")
        self.assertEqual(" ".join(p["text"] for p in pieces if p["kind"] != "added"),
                         pc["text"])
        # Restore the first revision: the warning goes.
        restored = api("POST", f"/items/{pc['uuid']}/restore", "editor", {"revision": 1})
        self.assertEqual(restored.status, 200, restored)
        self.assertEqual(restored.json()["text"], pc["text"])
        self.assertEqual(restored.header("etag"), '"3"')
        checks = api("GET", f"/frameworks/{draft}/checks", "editor").json()
        self.assertFalse([f for f in checks["findings"] if f["check"] == "criterion-verb"])
        # Change the map: a new key area, a unit moved under it, a unit removed.
        area = api("POST", f"/frameworks/{draft}/items", "editor",
                   {"type": "key-area", "title": "Working with data"})
        self.assertEqual(area.status, 201, area)
        units = tree_units(draft)
        moved = api("POST", f"/items/{units[0]['uuid']}/move", "editor",
                    {"parent": area.json()["uuid"]})
        self.assertEqual(moved.status, 200, moved)
        self.assertEqual(moved.json()["parent"], area.json()["uuid"])
        removed = units[-1]
        self.assertEqual(api("DELETE", "/items/" + removed["uuid"], "editor").status, 204)
        # Revise one unit's criterion, then publish.
        pc = criterion_of(draft, "ODSMLC3")
        item = api("GET", "/items/" + pc["uuid"], "editor")
        revised = api("PATCH", "/items/" + pc["uuid"], "editor",
                      {"text": pc["text"] + " Agree a plan with each of them."},
                      {"If-Match": item.header("etag")})
        self.assertEqual(revised.status, 200, revised)
        published = api("POST", f"/frameworks/{draft}/publish", "editor", {"as": "edition"})
        self.assertEqual(published.status, 200, published)
        report = published.json()
        self.assertEqual(report["revised"], 1)
        self.assertEqual(report["legacy"], 1)
        self.assertEqual(report["framework"]["status"], "approved")
        # The public now sees the new edition, the revised unit's next version, the legacy one.
        self.assertEqual(api("GET", "/frameworks/ML").json()["edition"], "2031")
        unit = api("GET", "/units/ODSMLC3").json()
        self.assertEqual(unit["version"], 2)
        old = api("GET", f"/units/{removed['urn']}").json()
        self.assertEqual(old["validity"], "legacy")
        self.assertEqual(api("GET", "/frameworks/ML@2024").json()["status"], "superseded")
        # A published edition is no longer a draft.
        again = api("PATCH", "/items/" + pc["uuid"], "editor", {"text": "x"}, {"If-Match": '"9"'})
        self.assertEqual(again.status, 409)


class ConflictTest(unittest.TestCase):

    def test_the_second_of_two_api_writers_gets_412_and_nothing_is_lost(self):
        draft = new_edition("2032")
        pc = criterion_of(draft, "ODSMLA1")
        etag = api("GET", "/items/" + pc["uuid"], "editor").header("etag")
        first = api("PATCH", "/items/" + pc["uuid"], "editor", {"text": "Plan your time well."},
                    {"If-Match": etag})
        self.assertEqual(first.status, 200, first)
        second = api("PATCH", "/items/" + pc["uuid"], "editor2", {"text": "Manage your diary."},
                     {"If-Match": etag})
        self.assertEqual(second.status, 412, second)
        self.assertEqual(second.json()["revision"], 2)
        self.assertEqual(second.json()["current"]["text"], "Plan your time well.")
        self.assertEqual(second.header("etag"), '"2"')
        self.assertEqual(api("GET", "/items/" + pc["uuid"], "editor").json()["text"],
                         "Plan your time well.")
        missing = api("PATCH", "/items/" + pc["uuid"], "editor2", {"text": "x"})
        self.assertEqual(missing.status, 428)

    def test_the_second_of_two_page_editors_sees_a_conflict_and_their_text(self):
        draft = new_edition("2033")
        pc = criterion_of(draft, "ODSMLA1")
        path = f"/drafts/{draft}/items/{pc['uuid']}"
        alice, bob = Browser().sign_in("editor@example.org"), Browser().sign_in("editor2@example.org")
        page_a, page_b = alice.send("GET", path), bob.send("GET", path)
        self.assertEqual(page_a.status, 200, page_a)
        self.assertEqual(hidden(page_a.body, "revision"), "1")
        saved = alice.post(path, {"revision": "1", "text": "Alice's wording.", "title": ""},
                           page_a.body)
        self.assertEqual(saved.status, 303, saved)
        clash = bob.post(path, {"revision": "1", "text": "Bob's wording.", "title": ""},
                         page_b.body)
        self.assertEqual(clash.status, 409, clash)
        body = html.unescape(clash.body.decode())
        self.assertIn("saved this while you were editing it", body)
        self.assertIn(">Bob's wording.</textarea>", body)   # his text, back in the form
        self.assertIn("Alice's wording.", body)  # the saved version beside it
        self.assertEqual(hidden(clash.body, "revision"), "2")
        self.assertEqual(api("GET", "/items/" + pc["uuid"], "editor").json()["text"],
                         "Alice's wording.")
        # Saving again, on purpose, replaces it.
        again = bob.post(path, {"revision": "2", "text": "Bob's wording.", "title": ""},
                         clash.body)
        self.assertEqual(again.status, 303, again)
        self.assertEqual(api("GET", "/items/" + pc["uuid"], "editor").json()["text"],
                         "Bob's wording.")


class PermissionTest(unittest.TestCase):

    def test_only_editors_of_the_owning_organisation_write(self):
        draft = new_edition("2034")
        pc = criterion_of(draft, "ODSMLA1")
        patch = ("PATCH", "/items/" + pc["uuid"], {"text": "Changed."})
        for who, status in [(None, 401), ("viewer", 403), ("reviewer", 403), ("outsider", 403)]:
            answer = api(patch[0], patch[1], who, patch[2], {"If-Match": '"1"'})
            self.assertEqual(answer.status, status, f"{who}: {answer}")
            self.assertEqual(api("POST", f"/frameworks/{draft}/publish", who, {}).status, status)
            self.assertEqual(api("POST", "/frameworks/ML/editions", who,
                                 {"edition": "2099"}).status, status)
        self.assertEqual(api("GET", "/items/" + pc["uuid"], "editor").json()["revision"], 1)
        self.assertEqual(api("GET", "/frameworks/ML@2099").status, 404)
        # Readers of the organisation see the draft; outsiders and the public do not.
        self.assertEqual(api("GET", "/items/" + pc["uuid"], "viewer").status, 200)
        self.assertEqual(api("GET", "/items/" + pc["uuid"], "outsider").status, 404)
        self.assertEqual(api("GET", "/items/" + pc["uuid"]).status, 404)

    def test_drafts_stay_out_of_public_pages_and_search(self):
        draft = new_edition("2035")
        self.assertEqual(request("GET", "/suites/ML@2035").status, 404)
        self.assertNotIn(b"2035", request("GET", "/suites").body)
        self.assertEqual(request("GET", f"/drafts/{draft}").status, 303)


class ReviewDatesTest(unittest.TestCase):

    def test_units_due_for_review_per_organisation(self):
        every = api("GET", "/review-dates?months=120").json()
        self.assertGreater(len(every["units"]), 0)
        dates = [u["review"] for u in every["units"]]
        self.assertEqual(dates, sorted(dates))
        none = api("GET", "/review-dates?months=120&publisher=Nobody%20at%20all").json()
        self.assertEqual(none["units"], [])
        self.assertEqual(api("GET", "/review-dates?months=0").status, 400)
        page = request("GET", "/review-dates?months=120")
        self.assertEqual(page.status, 200)
        self.assertIn(b"Standards due for review", page.body)


if __name__ == "__main__":
    unittest.main()
