#!/usr/bin/python3
"""Several OpenNOS processes on one PostgreSQL database, through the real binary: a throwaway
PostgreSQL server, `opennos serve` twice on ports of their own, and the CLI beside them.

- A write to the shared database is visible through both servers within a second, in search
  results too (each server follows the change log with LISTEN/NOTIFY and keeps its own index).
- The demo copied from SQLite to PostgreSQL (and back, and through backup/restore) exports
  every framework in every format with the same bytes.
- `serve` on an older schema refuses to start and names `opennos migrate`, unless --migrate.
- Writes through one server's API (with an administrator's token: an import, a draft edition,
  an edit) are seen through the other within a second, in search results too.
- Servers that followed different histories of changes (and one started afterwards) answer
  every search alike, byte for byte: scores depend only on what is current.
- A writer killed with SIGKILL mid-write leaves nothing half-applied; a server killed with
  SIGKILL amid a stream of API writes leaves the other serving, every acknowledged write there
  and no framework half-written.

Standard library only. Exits 77 (skipped) when the PostgreSQL binaries are missing.
Run alone: /usr/bin/python3 tests/integration/scale_out_test.py -v
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import live_server  # noqa: E402  (the server, the CLI, requests)
import pgtest  # noqa: E402

SOURCE_DIR = live_server.SOURCE_DIR
BINARY = live_server.BINARY
TINY = os.path.join(SOURCE_DIR, "tests", "fixtures", "good", "tiny.json")
FORMATS = ("native", "csv", "case", "case-1.0")

PG = None


def cli(data_dir, *args, database=None, check=True):
    """The CLI's finished process (a longer wait than usual: PostgreSQL on a loaded machine)."""
    return live_server.run_cli(data_dir, *args, database=database, timeout=120, check=check)


class Server(live_server.Server):
    """`opennos serve` on the shared database, with a data directory of its own (its index)."""

    def __init__(self, database, *extra):
        super().__init__(extra, database_url=database, prefix="opennos-scale-out-",
                         start_timeout=30)

    def prepare(self):
        """Nothing: the test makes the shared database."""

    def get(self, path):
        answer = live_server.request(self, "GET", path)
        return answer.status, answer.body

    def send(self, method, path, token=None, body=None, headers=None):
        """A request with an API token; returns (status, body)."""
        h, body = live_server.with_token(token or None, headers, body)
        answer = live_server.request(self, method, path, h, body, timeout=30)
        return answer.status, answer.body

    def search_total(self, word):
        status, body = self.get(f"/api/v1/search?q={word}")
        return json.loads(body)["total"] if status == 200 else -1


def framework_file(directory, code, word, text_suffix=""):
    """tiny.json as another framework (its UUIDs derive from the new code), carrying `word`."""
    with open(TINY, encoding="utf-8") as f:
        doc = json.load(f)
    doc["framework"]["code"] = code
    doc["framework"]["title"] = f"A {word} suite"
    unit = doc["items"][0]["children"][0]
    unit["title"] = f"Handle {word} carefully"
    unit["urn"] = f"{code}01"
    unit["children"][0]["text"] = "Name the test after what it checks." + text_suffix
    path = os.path.join(directory, f"{code}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path


def first_statement(items):
    """The first item with text under a unit, depth first, of a native framework's tree."""
    for item in items:
        if item.get("type") not in ("unit", "key-area", "function") and item.get("text"):
            return item
        found = first_statement(item.get("children", []))
        if found is not None:
            return found
    return None


def exports(data_dir, database=None):
    listing = json.loads(cli(data_dir, "list", "--json", database=database).stdout)
    out = {"list": listing}
    for f in listing["frameworks"]:
        for fmt in FORMATS:
            out[f"{f['code']}@{f['edition']}.{fmt}"] = cli(
                data_dir, "export", f["uuid"], "--format", fmt, database=database).stdout
    return out


def setUpModule():
    global PG
    PG = pgtest.PostgresServer().start()
    unittest.addModuleCleanup(PG.stop)


class TwoServersOnOneDatabase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = PG.create_database("two_servers")
        cls.work = tempfile.mkdtemp(prefix="opennos-scale-out-cli-")
        cls.addClassCleanup(shutil.rmtree, cls.work, True)
        cli(cls.work, "init", database=cls.url)
        cli(cls.work, "demo", database=cls.url)
        # An administrator of the demo's standards body, with an API token, for writes through
        # the servers (every write through a server needs one).
        org = next(line.split()[0] for line in cli(cls.work, "org", "list",
                                                   database=cls.url).stdout.splitlines()
                   if line.endswith("OpenNOS Demo Standards Body"))
        cls.org = org
        subprocess.run([BINARY, "--data", cls.work, "--database", cls.url, "user", "add",
                        "admin@example.org", "--org", org, "--role", "admin", "--password-stdin"],
                       input="a long enough password\n", text=True, check=True,
                       capture_output=True)
        cls.token = cli(cls.work, "user", "token", "admin@example.org",
                        database=cls.url).stdout.strip()
        cls.a = Server(cls.url).start()
        cls.addClassCleanup(cls.a.stop)
        cls.b = Server(cls.url).start()
        cls.addClassCleanup(cls.b.stop)

    def kill_amid(self, server, writes, waiting, settle=0.0):
        """Runs `writes` on a thread, kills `server` once `waiting(writer)` turns false (and
        `settle` seconds have passed), and reads through server B until the writer is done,
        each read answered 200. Returns how many reads B answered."""
        writer = threading.Thread(target=writes)
        writer.start()
        while waiting(writer):
            time.sleep(0.01)
        time.sleep(settle)
        server.kill()
        served = 0
        while writer.is_alive():
            status, _ = self.b.get("/api/v1/frameworks")
            self.assertEqual(status, 200)
            served += 1
        writer.join()
        return served

    def test_both_servers_answer_the_same(self):
        for path in ("/api/v1/frameworks", "/suites", "/api/v1/search?q=coaching"):
            status_a, body_a = self.a.get(path)
            status_b, body_b = self.b.get(path)
            self.assertEqual((status_a, status_b), (200, 200), path)
            self.assertEqual(body_a, body_b, path)

    def test_a_write_to_the_shared_database_is_searchable_through_both_within_a_second(self):
        for round_ in range(3):
            word = f"zygomorphic{round_}"
            self.assertEqual(self.a.search_total(word), 0)
            path = framework_file(self.work, f"SCALE{round_}", word)
            cli(self.work, "import", "--no-index", path, database=self.url)
            written = time.monotonic()
            seen = {}
            while len(seen) < 2 and time.monotonic() - written < 5:
                for name, server in (("a", self.a), ("b", self.b)):
                    if name not in seen and server.search_total(word) > 0:
                        seen[name] = time.monotonic() - written
                time.sleep(0.01)
            self.assertEqual(sorted(seen), ["a", "b"], f"not found in 5 s: {seen}")
            for name, delay in seen.items():
                self.assertLess(delay, 1.0, f"server {name} took {delay:.3f} s")
            status, _ = self.b.get(f"/nos/SCALE{round_}01")
            self.assertEqual(status, 200, "the page too, past the response cache")

    def test_an_api_write_through_one_server_is_seen_through_the_other_within_a_second(self):
        for round_ in range(3):
            # An import through server a's API: public, so searchable through b.
            word = f"xerophytic{round_}"
            self.assertEqual(self.b.search_total(word), 0)
            with open(framework_file(self.work, f"APIW{round_}", word), "rb") as f:
                status, body = self.a.send("POST", f"/api/v1/organisations/{self.org}/import",
                                           self.token, f.read())
            self.assertEqual(status, 200, body)
            written = time.monotonic()
            while self.b.search_total(word) == 0 and time.monotonic() - written < 5:
                time.sleep(0.01)
            delay = time.monotonic() - written
            self.assertLess(delay, 1.0, f"search through b took {delay:.3f} s")
            # An edit of a draft through a's API: b answers the new revision.
            status, body = self.a.send("POST", f"/api/v1/frameworks/APIW{round_}/editions",
                                       self.token, {"edition": "2"})
            self.assertEqual(status, 201, body)
            draft = json.loads(body)["uuid"]
            status, body = self.b.send("GET", f"/api/v1/frameworks/{draft}/tree", self.token)
            self.assertEqual(status, 200, body)
            unit = json.loads(body)["items"][0]["children"][0]
            status, body = self.a.send(
                "PATCH", f"/api/v1/items/{unit['uuid']}", self.token, {"title": f"Edited {word}"},
                {"If-Match": '"1"', "Content-Type": "application/merge-patch+json"})
            self.assertEqual(status, 200, body)
            written = time.monotonic()
            while time.monotonic() - written < 5:
                status, body = self.b.send("GET", f"/api/v1/items/{unit['uuid']}", self.token)
                if status == 200 and json.loads(body)["title"] == f"Edited {word}":
                    break
                time.sleep(0.01)
            delay = time.monotonic() - written
            self.assertLess(delay, 1.0, f"the edit through b took {delay:.3f} s")

    def test_a_server_killed_amid_api_writes_loses_no_acknowledged_write_and_halves_none(self):
        extra = Server(self.url).start()
        self.addCleanup(extra.stop)
        acknowledged, refused = [], []

        def writes():
            for i in range(40):
                with open(framework_file(self.work, f"KILL{i}", "killed", f" Write {i}."),
                          "rb") as f:
                    content = f.read()
                try:
                    status, _ = extra.send("POST", f"/api/v1/organisations/{self.org}/import",
                                           self.token, content)
                except OSError:
                    refused.append(i)
                    continue
                (acknowledged if status == 200 else refused).append(i)

        served = self.kill_amid(extra, writes,
                                lambda writer: len(acknowledged) < 3 and writer.is_alive())
        self.assertGreaterEqual(len(acknowledged), 3)
        self.assertGreater(len(refused), 0, "the kill came before the stream ended")
        self.assertGreater(served, 0)
        # Every acknowledged write is there, whole; whatever else is there is whole too.
        rows = PG.psql("SELECT f.code || ':' || count(i.uuid) FROM frameworks f JOIN items i ON"
                       " i.framework_uuid = f.uuid WHERE f.code LIKE 'KILL%' GROUP BY f.code",
                       database="two_servers").split()
        present = {code: int(n) for code, n in (row.split(":") for row in rows)}
        def count(items):
            return sum(1 + count(item.get("children", [])) for item in items)
        with open(TINY, encoding="utf-8") as f:
            expected_items = count(json.load(f)["items"])
        for i in acknowledged:
            self.assertIn(f"KILL{i}", present)
        self.assertEqual(set(present.values()), {expected_items}, f"a partial framework: {present}")
        status, body = self.b.get(f"/api/v1/frameworks/KILL{acknowledged[-1]}")
        self.assertEqual(status, 200, body)

    def test_one_server_killed_leaves_the_other_serving_and_every_acknowledged_write_whole(self):
        extra = Server(self.url).start()
        self.addCleanup(extra.stop)
        acknowledged = []
        errors = []

        def writes():
            for i in range(12):
                path = framework_file(self.work, "STREAM", "streamed", f" Version {i}.")
                result = cli(self.work, "import", "--no-index", path, database=self.url,
                             check=False)
                if result.returncode == 0:
                    acknowledged.append(i)
                else:
                    errors.append(result.stderr)

        served = self.kill_amid(extra, writes, lambda writer: False, settle=0.3)
        self.assertEqual(errors, [])
        self.assertEqual(acknowledged, list(range(12)))
        self.assertGreater(served, 0)
        native = cli(self.work, "export", "STREAM", database=self.url).stdout
        self.assertIn("Version 11.", native)
        # The first write created the item with its framework (recorded once, by the
        # framework's first revision); each later one changed it (a revision of its own).
        history = PG.psql("SELECT count(*) FROM revisions r JOIN items i ON i.uuid = r.entity_uuid"
                          " WHERE i.code = 'K1.P1' AND i.framework_uuid = (SELECT uuid FROM"
                          " frameworks WHERE code = 'STREAM')", database="two_servers")
        created = PG.psql("SELECT count(*) FROM revisions WHERE entity = 'framework' AND number = 1"
                          " AND entity_uuid = (SELECT uuid FROM frameworks WHERE code = 'STREAM')",
                          database="two_servers")
        self.assertEqual((int(created), int(history)), (1, 11), "one revision per acknowledged write")

    def test_servers_with_different_histories_answer_every_search_alike(self):
        """Two servers that followed changes one by one (demo suites re-indexed, one at a time,
        while others may share their shard) and a third started afterwards (its index built
        from the final state) give the same results, order, scores, snippets and facets, byte
        for byte. Compared after each change, so that some comparison follows a change that
        left a re-indexed suite's old documents masked, whichever suites share a shard."""
        for round_, code in enumerate(("CM", "ML@2024", "ML@2012")):
            word = f"quincunx{round_}"
            doc = json.loads(cli(self.work, "export", code, "--format", "native",
                                 database=self.url).stdout)
            statement = first_statement(doc["items"])
            statement["text"] += f" Keep a {word} of the coaching budget and risks."
            path = os.path.join(self.work, f"{code}-changed.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            cli(self.work, "import", "--no-index", path, database=self.url)
            deadline = time.monotonic() + 5
            while (self.a.search_total(word) == 0 or self.b.search_total(word) == 0) and \
                    time.monotonic() < deadline:
                time.sleep(0.01)
            self.assertGreater(self.a.search_total(word), 0)
            self.assertGreater(self.b.search_total(word), 0)
            fresh = Server(self.url).start()
            try:
                for query in ("q=coaching", "q=manage+risk", "q=%22health+and+safety%22",
                              "q=team&size=100", "q=budget&page=2&size=3", "q=risk+register",
                              "q=coching", f"q={word}", "type=unit&size=100",
                              "suite=ML@2024&size=100"):
                    path = "/api/v1/search?" + query
                    answers = [server.get(path) for server in (self.a, self.b, fresh)]
                    for status, _ in answers:
                        self.assertEqual(status, 200, path)
                    self.assertEqual(answers[0][1], answers[1][1],
                                     f"servers a and b differ on {path} after changing {code}")
                    self.assertEqual(answers[0][1], answers[2][1],
                                     f"server a and a fresh server differ on {path} after "
                                     f"changing {code}")
            finally:
                fresh.stop()

    def test_a_writer_killed_mid_write_leaves_nothing_half_applied(self):
        counts = ("SELECT (SELECT count(*) FROM change_log) || '/' ||"
                  " (SELECT count(*) FROM items) || '/' || (SELECT count(*) FROM revisions)")
        before = PG.psql(counts, database="two_servers")
        with open(TINY, encoding="utf-8") as f:
            doc = json.load(f)
        doc["framework"]["code"] = "HUGE"
        unit = doc["items"][0]["children"][0]
        unit["urn"] = "HUGE01"
        unit["children"] += [{"type": "performance-criterion", "code": f"K1.X{i}",
                              "text": f"Criterion number {i} of a very large unit."}
                             for i in range(150000)]
        path = os.path.join(self.work, "HUGE.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        process = subprocess.Popen([BINARY, "--data", self.work, "--database", self.url,
                                    "import", "--no-index", "--progress", path],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # Wait until it is writing (its first "items written" line, after those saying how
        # much of the file it has read), then kill it.
        line = process.stderr.readline()
        while line.endswith("%)\n") and "bytes read" in line:
            line = process.stderr.readline()
        self.assertIn("items written", line)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        time.sleep(0.2)
        self.assertEqual(PG.psql(counts, database="two_servers"), before)
        self.assertEqual(PG.psql("SELECT count(*) FROM frameworks WHERE code = 'HUGE'",
                                 database="two_servers"), "0")
        status, _ = self.a.get("/api/v1/frameworks")
        self.assertEqual(status, 200)


class CopyBackupRestore(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="opennos-copy-")
        cls.addClassCleanup(shutil.rmtree, cls.work, True)
        cls.sqlite_dir = os.path.join(cls.work, "sqlite")
        cli(cls.sqlite_dir, "init")
        cli(cls.sqlite_dir, "demo")
        cls.expected = exports(cls.sqlite_dir)

    def test_the_demo_copied_to_postgresql_exports_the_same_bytes(self):
        url = PG.create_database("copied")
        out = cli(self.work, "copy", "--from", f"sqlite:{self.sqlite_dir}", "--to", url)
        self.assertIn("3 frameworks", out.stdout)
        self.assertEqual(exports(os.path.join(self.work, "pg1"), database=url), self.expected)
        # And back, into a new SQLite file.
        back = os.path.join(self.work, "back", "opennos.db")
        cli(self.work, "copy", "--from", url, "--to", f"sqlite:{back}")
        self.assertEqual(exports(os.path.dirname(back)), self.expected)

    def test_copying_into_a_store_that_holds_frameworks_needs_replace(self):
        url = PG.create_database("occupied")
        cli(self.work, "copy", "--from", f"sqlite:{self.sqlite_dir}", "--to", url)
        again = cli(self.work, "copy", "--from", f"sqlite:{self.sqlite_dir}", "--to", url,
                    check=False)
        self.assertEqual(again.returncode, 1)
        self.assertIn("--replace", again.stderr)
        cli(self.work, "copy", "--from", f"sqlite:{self.sqlite_dir}", "--to", url, "--replace")
        self.assertEqual(exports(os.path.join(self.work, "pg2"), database=url), self.expected)

    def test_a_postgresql_backup_restores_into_either_backend(self):
        url = PG.create_database("backed_up")
        cli(self.work, "copy", "--from", f"sqlite:{self.sqlite_dir}", "--to", url)
        backup = os.path.join(self.work, "pg.backup")
        cli(self.work, "backup", backup, database=url)
        refused = cli(self.work, "backup", backup, database=url, check=False)
        self.assertEqual(refused.returncode, 1, "never overwrites a backup")
        restored_url = PG.create_database("restored")
        cli(self.work, "init", database=restored_url)
        cli(self.work, "restore", backup, database=restored_url)
        self.assertEqual(exports(os.path.join(self.work, "pg3"), database=restored_url),
                         self.expected)
        sqlite_dir = os.path.join(self.work, "restored-sqlite")
        cli(sqlite_dir, "restore", backup)
        self.assertEqual(exports(sqlite_dir), self.expected)

    def test_a_sqlite_backup_is_taken_with_the_online_backup_api_and_restores(self):
        backup = os.path.join(self.work, "sqlite.backup")
        cli(self.sqlite_dir, "backup", backup)
        url = PG.create_database("from_sqlite_backup")
        cli(self.work, "restore", backup, database=url)
        self.assertEqual(exports(os.path.join(self.work, "pg4"), database=url), self.expected)

    def test_names_a_store_it_cannot_read(self):
        bad = cli(self.work, "copy", "--from", "mysql://x", "--to", "sqlite:/tmp/x", check=False)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("sqlite:PATH", bad.stderr)


class Migrations(unittest.TestCase):
    def test_serve_refuses_an_unmigrated_database_unless_told_to_migrate(self):
        url = PG.create_database("unmigrated")
        refused = Server(url)
        self.addCleanup(refused.stop)
        self.assertEqual(refused.start(expect_failure=True), 1)
        self.assertIn("opennos migrate", refused.log())
        self.assertIn("--migrate", refused.log())
        migrating = Server(url, "--migrate").start()
        self.addCleanup(migrating.stop)
        status, _ = migrating.get("/api/v1/frameworks")
        self.assertEqual(status, 200)

    def test_migrate_applies_pending_migrations_once(self):
        url = PG.create_database("to_migrate")
        work = tempfile.mkdtemp(prefix="opennos-migrate-")
        self.addCleanup(shutil.rmtree, work, True)
        first = cli(work, "migrate", database=url)
        self.assertIn("applied", first.stdout)
        second = cli(work, "migrate", database=url)
        self.assertIn("already up to date", second.stdout)
        listing = cli(work, "list", "--json", database=url)
        self.assertEqual(json.loads(listing.stdout), {"frameworks": []})


if __name__ == "__main__":
    if pgtest.bin_dir() is None:
        print("skipped: the PostgreSQL server binaries (Debian package postgresql) are missing")
        sys.exit(pgtest.SKIP)
    unittest.main()
