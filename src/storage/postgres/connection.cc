#include "storage/postgres/connection.h"

#include <poll.h>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "storage/sql/dialect.h"

namespace opennos::postgres {
namespace {

// Keys of the advisory locks (any two numbers that other applications are unlikely to use).
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(5318008, 1)";
constexpr const char* kSchemaLock = "SELECT pg_advisory_lock(5318008, 2)";
constexpr const char* kSchemaUnlock = "SELECT pg_advisory_unlock(5318008, 2)";
constexpr const char* kChannel = "opennos_changes";

bool Succeeded(PGresult* r) {
  const ExecStatusType status = PQresultStatus(r);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// libpq prints notices on stderr by default; the store has nothing to say through them.
void IgnoreNotice(void*, const char*) {}

}  // namespace

std::string RedactUrl(std::string_view url) {
  static const std::regex kUserinfoPassword(R"(^([a-z]+://[^:/@]*):[^@]*@)");
  static const std::regex kParamPassword(R"(password=[^& ]*)");
  std::string out = std::regex_replace(std::string(url), kUserinfoPassword, "$1:***@");
  return std::regex_replace(out, kParamPassword, "password=***");
}

// --- Statement ------------------------------------------------------------------------------

Statement::Statement(Connection& conn, std::string sql, int parameters)
    : conn_(conn), sql_(std::move(sql)), params_(static_cast<size_t>(parameters)) {}

Statement::~Statement() { PQclear(result_); }

Statement& Statement::Reset() {
  PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  for (auto& p : params_) p.reset();
  return *this;
}

Statement& Statement::Bind(int i, std::string_view text) {
  params_.at(static_cast<size_t>(i - 1)) = std::string(text);
  return *this;
}

Statement& Statement::Bind(int i, std::int64_t value) {
  params_.at(static_cast<size_t>(i - 1)) = std::to_string(value);
  return *this;
}

Statement& Statement::Bind(int i, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  params_.at(static_cast<size_t>(i - 1)) = buf;
  return *this;
}

Statement& Statement::BindNull(int i) {
  params_.at(static_cast<size_t>(i - 1)).reset();
  return *this;
}

Result<bool> Statement::Step() {
  if (result_ == nullptr) {
    auto executed = conn_.Execute(*this);
    if (!executed.ok()) return executed.status();
    result_ = *executed;
    row_ = -1;
  }
  ++row_;
  return row_ < PQntuples(result_);
}

sql::Statement::Kind Statement::ColumnKind(int col) const {
  if (PQgetisnull(result_, row_, col)) return Kind::kNull;
  switch (PQftype(result_, col)) {
    case 20:  // int8
    case 21:  // int2
    case 23:  // int4
      return Kind::kInteger;
    case 700:  // float4
    case 701:  // float8
      return Kind::kReal;
    default:
      return Kind::kText;
  }
}

std::string Statement::Text(int col) const {
  if (PQgetisnull(result_, row_, col)) return {};
  return std::string(PQgetvalue(result_, row_, col),
                     static_cast<size_t>(PQgetlength(result_, row_, col)));
}

std::int64_t Statement::Int(int col) const {
  return std::strtoll(PQgetvalue(result_, row_, col), nullptr, 10);
}

double Statement::Double(int col) const {
  return std::strtod(PQgetvalue(result_, row_, col), nullptr);
}

bool Statement::IsNull(int col) const { return PQgetisnull(result_, row_, col) != 0; }

// --- Connection -----------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  PGconn* raw = PQconnectdb(url.c_str());
  if (raw == nullptr) return Status::Io("cannot connect to " + RedactUrl(url) + ": out of memory");
  if (PQstatus(raw) != CONNECTION_OK) {
    std::string message = PQerrorMessage(raw);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    PQfinish(raw);
    return Status::Io("cannot connect to " + RedactUrl(url) + ": " + message);
  }
  PQsetNoticeProcessor(raw, IgnoreNotice, nullptr);
  std::unique_ptr<Connection> conn(new Connection(raw, url));
  if (Status s = conn->Run("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'"); !s.ok()) {
    return s.WithContext(RedactUrl(url));
  }
  return conn;
}

Connection::~Connection() {
  cache_.clear();
  PQfinish(conn_);
}

Status Connection::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    transient_ = true;
    return Status::Io("lost the connection to " + RedactUrl(url_) + ": " + PQerrorMessage(conn_));
  }
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  ++generation_;  // prepared statements and LISTEN went with the old session
  return Run("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
}

void Connection::NoteChanges(PGresult* r) {
  // As SQLite counts: only the statements that change rows, so a query leaves the count be.
  const std::string_view tag = PQcmdStatus(r);
  for (std::string_view verb : {"INSERT", "UPDATE", "DELETE", "MERGE"}) {
    if (tag.rfind(verb, 0) == 0) changes_ = std::strtoll(PQcmdTuples(r), nullptr, 10);
  }
}

Status Connection::Failure(PGresult* result, const std::string& what) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state != nullptr ? state : "";
  std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  PQclear(result);
  // 40001 serialization_failure, 40P01 deadlock_detected; class 08 and a dropped connection:
  // the transaction is gone, and may succeed if run again.
  transient_ = code == "40001" || code == "40P01" || code.rfind("08", 0) == 0 ||
               PQstatus(conn_) != CONNECTION_OK;
  if (code.rfind("23", 0) == 0) return Status::Conflict(message);
  return Status::Io(what.empty() ? message : what + ": " + message);
}

Status Connection::Run(const std::string& translated) {
  transient_ = false;
  const bool in_transaction = InTransaction();
  for (int attempt = 0;; ++attempt) {
    if (!in_transaction) {
      if (Status s = EnsureConnected(); !s.ok()) return s;
    }
    PGresult* r = PQexec(conn_, translated.c_str());
    if (Succeeded(r)) {
      NoteChanges(r);
      PQclear(r);
      return Status::Ok();
    }
    Status failed = Failure(r, "");
    // A connection lost between transactions loses nothing: make it again and run once more.
    if (in_transaction || attempt > 0 || PQstatus(conn_) == CONNECTION_OK) return failed;
  }
}

Status Connection::Exec(const std::string& sql) { return Run(sql::PostgresSql(sql)); }

Result<sql::Statement*> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return &it->second->Reset();
  int parameters = 0;
  std::string translated = sql::PostgresSql(sql, &parameters);
  auto owned = std::make_unique<Statement>(*this, std::move(translated), parameters);
  Statement* raw = owned.get();
  cache_.emplace(sql, std::move(owned));
  return raw;
}

Result<PGresult*> Connection::Execute(Statement& st) {
  const bool in_transaction = InTransaction();
  for (int attempt = 0;; ++attempt) {
    auto r = ExecuteOnce(st, in_transaction);
    // A connection lost between transactions loses nothing: make it again and run once more.
    if (r.ok() || in_transaction || attempt > 0 || PQstatus(conn_) == CONNECTION_OK) return r;
  }
}

Result<PGresult*> Connection::ExecuteOnce(Statement& st, bool in_transaction) {
  transient_ = false;
  if (!in_transaction) {
    if (Status s = EnsureConnected(); !s.ok()) return s;
  }
  if (st.prepared_in_ != generation_) {
    st.name_ = "s" + std::to_string(++next_name_);
    PGresult* r = PQprepare(conn_, st.name_.c_str(), st.sql_.c_str(),
                            static_cast<int>(st.params_.size()), nullptr);
    if (!Succeeded(r)) return Failure(r, "cannot prepare statement");
    PQclear(r);
    st.prepared_in_ = generation_;
  }
  std::vector<const char*> values;
  values.reserve(st.params_.size());
  for (const auto& p : st.params_) values.push_back(p ? p->c_str() : nullptr);
  PGresult* r = PQexecPrepared(conn_, st.name_.c_str(), static_cast<int>(values.size()),
                               values.data(), nullptr, nullptr, 0);
  if (!Succeeded(r)) return Failure(r, "");
  NoteChanges(r);
  return r;
}

Status Connection::BeginWrite() {
  if (Status s = Run("BEGIN ISOLATION LEVEL READ COMMITTED"); !s.ok()) return s;
  in_transaction_ = true;
  if (Status s = Run(kWriteLock); !s.ok()) {
    (void)Rollback();
    return s;
  }
  return Status::Ok();
}

Status Connection::BeginRead() {
  if (Status s = Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s.ok()) return s;
  in_transaction_ = true;
  return Status::Ok();
}

Status Connection::Commit() {
  transient_ = false;
  in_transaction_ = false;
  PGresult* r = PQexec(conn_, "COMMIT");
  if (!Succeeded(r)) {
    Status s = Failure(r, "commit");
    PQclear(PQexec(conn_, "ROLLBACK"));
    return s;
  }
  // COMMIT of a transaction that already failed answers ROLLBACK, not an error.
  const bool rolled_back = std::string_view(PQcmdStatus(r)) == "ROLLBACK";
  PQclear(r);
  if (rolled_back) return Status::Io("commit: the transaction had failed and was rolled back");
  return Status::Ok();
}

Status Connection::Rollback() {
  if (!in_transaction_) return Status::Ok();
  in_transaction_ = false;
  PQclear(PQexec(conn_, "ROLLBACK"));  // on a lost connection, the server has rolled it back
  return Status::Ok();
}

Status Connection::AnnounceChange() { return Run(std::string("NOTIFY ") + kChannel); }

Status Connection::WaitForAnnouncement(int timeout_ms) {
  if (listening_in_ != generation_ || PQstatus(conn_) != CONNECTION_OK) {
    if (Status s = Run(std::string("LISTEN ") + kChannel); !s.ok()) return s;
    listening_in_ = generation_;
    return Status::Ok();
  }
  bool heard = false;
  auto drain = [&] {
    if (!PQconsumeInput(conn_)) return false;
    while (PGnotify* n = PQnotifies(conn_)) {
      heard = true;
      PQfreemem(n);
    }
    return true;
  };
  if (!drain()) return Status::Ok();  // the next statement makes the connection again
  if (heard) return Status::Ok();
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  if (fd.fd < 0) return Status::Ok();
  if (poll(&fd, 1, timeout_ms) > 0) drain();
  return Status::Ok();
}

Result<std::vector<std::string>> Connection::Tables() {
  auto s = Prepare(
      "SELECT table_name FROM information_schema.tables"
      " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  if (!s.ok()) return s.status();
  std::vector<std::string> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.push_back((*s)->Text(0));
  }
}

Status Connection::KeysInserted(const std::string& table) {
  auto columns = Prepare(
      "SELECT column_name FROM information_schema.columns"
      " WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'");
  if (!columns.ok()) return columns.status();
  (*columns)->Bind(1, table);
  std::vector<std::string> names;
  for (;;) {
    auto row = (*columns)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    names.push_back((*columns)->Text(0));
  }
  for (const std::string& column : names) {
    // Names come from the catalogue, not from a user; quoted all the same.
    auto move = Prepare("SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max(\"" +
                        column + "\") FROM \"" + table + "\"), 0) + 1, false)");
    if (!move.ok()) return move.status();
    if (Status s = (*move)->Bind(1, table).Bind(2, column).Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Connection::LockSchema() { return Run(kSchemaLock); }

Status Connection::UnlockSchema() { return Run(kSchemaUnlock); }

}  // namespace opennos::postgres
