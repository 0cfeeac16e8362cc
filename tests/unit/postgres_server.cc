#include "unit/postgres_server.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace opennos::test {
namespace {

namespace fs = std::filesystem;

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string BinDir() {
  if (const char* env = std::getenv("OPENNOS_PG_BIN"); env != nullptr && *env != '\0') return env;
  for (const char* dir : {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin",
                          "/usr/lib/postgresql/17/bin"}) {
    if (fs::exists(fs::path(dir) / "initdb")) return dir;
  }
  return "";
}

// A server started by this process, stopped when the process ends.
class OwnServer {
 public:
  OwnServer() {
    const std::string bin = BinDir();
    if (bin.empty()) {
      error_ = "the PostgreSQL server binaries (Debian package postgresql) are not installed";
      return;
    }
    char pattern[] = "/tmp/opennos-pg-XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
      error_ = "cannot make a temporary directory";
      return;
    }
    dir_ = pattern;
    std::string as_user;
    if (geteuid() == 0) {  // initdb refuses root: run the server as postgres
      const passwd* pw = getpwnam("postgres");
      if (pw == nullptr) {
        error_ = "running as root and there is no postgres user to run the server as";
        return;
      }
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        error_ = "cannot give " + dir_ + " to the postgres user";
        return;
      }
      as_user = "runuser -u postgres -- ";
    }
    const std::string data = dir_ + "/data";
    const std::string init = as_user + Quote(bin + "/initdb") + " -D " + Quote(data) +
                             " -A trust -U postgres -E UTF8 --locale=C --no-sync >" +
                             Quote(dir_ + "/initdb.log") + " 2>&1";
    if (std::system(init.c_str()) != 0) {
      error_ = "initdb failed (see " + dir_ + "/initdb.log)";
      return;
    }
    const std::string options = "-k " + dir_ +
                                " -c listen_addresses= -c fsync=off -c synchronous_commit=off"
                                " -c full_page_writes=off -c max_connections=200";
    const std::string start = as_user + Quote(bin + "/pg_ctl") + " -D " + Quote(data) + " -o " +
                              Quote(options) + " -l " + Quote(dir_ + "/server.log") +
                              " -w start >/dev/null 2>&1";
    if (std::system(start.c_str()) != 0) {
      error_ = "the PostgreSQL server did not start (see " + dir_ + "/server.log)";
      return;
    }
    stop_ = as_user + Quote(bin + "/pg_ctl") + " -D " + Quote(data) +
            " -m immediate stop >/dev/null 2>&1";
  }
  ~OwnServer() {
    if (!stop_.empty()) (void)std::system(stop_.c_str());
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }
  const std::string& socket_dir() const { return dir_; }
  const std::string& error() const { return error_; }

 private:
  std::string dir_;
  std::string error_;
  std::string stop_;
};

// The socket directory of the server the tests use, or "" with `*why` set.
std::string SocketDir(std::string* why) {
  if (const char* env = std::getenv("OPENNOS_TEST_POSTGRES"); env != nullptr && *env != '\0') {
    if (fs::exists(fs::path(env) / ".s.PGSQL.5432")) return env;
  }
  static std::once_flag once;
  static std::unique_ptr<OwnServer> own;
  std::call_once(once, [] { own = std::make_unique<OwnServer>(); });
  if (!own->error().empty()) {
    *why = own->error();
    return "";
  }
  return own->socket_dir();
}

std::string UrlFor(const std::string& database) {
  std::string why;
  const std::string dir = SocketDir(&why);
  if (dir.empty()) throw std::runtime_error("no PostgreSQL for the tests: " + why);
  return "postgresql:///" + database + "?host=" + dir + "&user=postgres";
}

using Conn = std::unique_ptr<PGconn, void (*)(PGconn*)>;

Conn Connect(const std::string& url) {
  Conn conn(PQconnectdb(url.c_str()), PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to " + url + ": " + PQerrorMessage(conn.get()));
  }
  return conn;
}

using ResultPtr = std::unique_ptr<PGresult, void (*)(PGresult*)>;

ResultPtr Run(PGconn* conn, const std::string& sql) {
  ResultPtr r(PQexec(conn, sql.c_str()), PQclear);
  const ExecStatusType status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(r.get()));
  }
  return r;
}

}  // namespace

std::string PostgresAdminUrl() { return UrlFor("postgres"); }

std::string PostgresUnavailable() {
  std::string why;
  return SocketDir(&why).empty() ? why : "";
}

PostgresDatabase::PostgresDatabase() {
  static std::atomic<int> counter{0};
  name_ = "opennos_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  const std::string admin = UrlFor("postgres");
  Run(Connect(admin).get(), "CREATE DATABASE " + name_);
  url_ = UrlFor(name_);
}

PostgresDatabase::~PostgresDatabase() {
  try {
    Run(Connect(UrlFor("postgres")).get(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The server went first (a test stopped it); its directory goes with it.
  }
}

std::int64_t PostgresQueryInt(const std::string& url, const std::string& sql) {
  Conn conn = Connect(url);
  ResultPtr r = Run(conn.get(), sql);
  if (PQntuples(r.get()) < 1) throw std::runtime_error(sql + ": no row");
  return std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10);
}

void PostgresExec(const std::string& url, const std::string& sql) {
  Conn conn = Connect(url);
  Run(conn.get(), sql);
}

}  // namespace opennos::test
