#pragma once
// A throwaway PostgreSQL server for the tests, so that `make test` needs no running server.
// CTest starts one for the whole run (tests/postgres_fixture.sh, named by
// $OPENNOS_TEST_POSTGRES); a test binary run by hand starts its own on first use and stops it
// at exit. Either way: initdb in a temporary directory, trust authentication, a unix socket in
// that directory and no TCP, fsync off. As root, the server runs as the `postgres` user.

#include <cstdint>
#include <string>

namespace opennos::test {

// Why there is no server for the tests (the PostgreSQL binaries are missing, or it would not
// start), or "" when there is one.
std::string PostgresUnavailable();

// A new, empty database on the test server; dropped with the object.
class PostgresDatabase {
 public:
  PostgresDatabase();  // throws std::runtime_error when the server is unavailable
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;
  ~PostgresDatabase();

  // postgresql:///NAME?host=SOCKETDIR&user=postgres
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string url_;
};

// The URL of the test server's maintenance database `postgres` (for roles, which belong to the
// whole server).
std::string PostgresAdminUrl();

// Runs SQL returning one integer / no rows on the database at `url`, with libpq directly.
std::int64_t PostgresQueryInt(const std::string& url, const std::string& sql);
void PostgresExec(const std::string& url, const std::string& sql);

}  // namespace opennos::test
