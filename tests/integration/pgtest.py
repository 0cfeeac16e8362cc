"""A throwaway PostgreSQL server for the integration tests (standard library only): initdb in a
temporary directory under /tmp, trust authentication, a unix socket in that directory and no
TCP, fsync off; as root, run as the `postgres` user (initdb refuses root)."""

import os
import shutil
import subprocess
import tempfile

SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests


def bin_dir():
    explicit = os.environ.get("OPENNOS_PG_BIN")
    if explicit:
        return explicit
    for version in ("15", "16", "17"):
        candidate = f"/usr/lib/postgresql/{version}/bin"
        if os.path.exists(os.path.join(candidate, "initdb")):
            return candidate
    return None


class PostgresServer:
    def __init__(self):
        self.bin = bin_dir()
        self.dir = None

    def _as_server(self, argv):
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *argv]
        return argv

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="opennos-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = os.path.join(self.dir, "data")
        subprocess.run(self._as_server([f"{self.bin}/initdb", "-D", data, "-A", "trust", "-U",
                                        "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]),
                       check=True, capture_output=True)
        options = (f"-k {self.dir} -c listen_addresses= -c fsync=off -c synchronous_commit=off"
                   " -c full_page_writes=off -c max_connections=200")
        subprocess.run(self._as_server([f"{self.bin}/pg_ctl", "-D", data, "-o", options, "-l",
                                        os.path.join(self.dir, "server.log"), "-w", "start"]),
                       check=True, capture_output=True)
        return self

    def url(self, database="opennos"):
        return f"postgresql:///{database}?host={self.dir}&user=postgres"

    def psql(self, sql, database="postgres"):
        result = subprocess.run([f"{self.bin}/psql", "-X", "-q", "-t", "-A", "-v",
                                 "ON_ERROR_STOP=1", "-h", self.dir, "-U", "postgres", "-d",
                                 database, "-c", sql], capture_output=True, text=True, check=True)
        return result.stdout.strip()

    def create_database(self, name):
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self):
        if self.dir is None:
            return
        subprocess.run(self._as_server([f"{self.bin}/pg_ctl", "-D",
                                        os.path.join(self.dir, "data"), "-m", "immediate",
                                        "stop"]), capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
