#include "storage/sqlite/db.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace opennos::sqlite {
namespace {

Status Error(sqlite3* db, const std::string& what) {
  return Status::Io(what + ": " + sqlite3_errmsg(db));
}

}  // namespace

Statement& Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return *this;
}

Statement& Statement::Bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindKept(int i, std::string_view text) {
  // SQLITE_STATIC: read in place; the caller keeps the text until the statement has run.
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::Bind(int i, std::int64_t value) {
  sqlite3_bind_int64(stmt_, i, value);
  return *this;
}

Statement& Statement::Bind(int i, double value) {
  sqlite3_bind_double(stmt_, i, value);
  return *this;
}

Statement& Statement::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt_);  // ends the statement's read, as an autocommit statement should
    return false;
  }
  const int extended = sqlite3_extended_errcode(db_);
  std::string message = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  if ((extended & 0xff) == SQLITE_CONSTRAINT) return Status::Conflict(message);
  return Status::Io(message);
}

sql::Statement::Kind Statement::ColumnKind(int col) const {
  switch (sqlite3_column_type(stmt_, col)) {
    case SQLITE_NULL:
      return Kind::kNull;
    case SQLITE_INTEGER:
      return Kind::kInteger;
    case SQLITE_FLOAT:
      return Kind::kReal;
    default:
      return Kind::kText;
  }
}

std::string Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, bool create) {
  // SQLite's count of the memory it holds takes a global lock on every allocation; nothing
  // here reads it. It can be switched off only before SQLite initialises, on the first open.
  static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)configured;
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return Status::Io("cannot open " + path + ": " + message);
  }
  std::unique_ptr<Database> db(new Database(raw));
  sqlite3_busy_timeout(raw, 10'000);
  // 16 KiB pages (for a database created here; an existing one keeps its own): a large
  // import writes a quarter as many pages, through shallower B-trees. A 64 MB page cache
  // keeps its pages in memory instead of spilling them to the WAL mid-transaction.
  for (const char* pragma : {"PRAGMA page_size=16384", "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON",
                             "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536",
                             "PRAGMA temp_store=MEMORY"}) {
    if (Status s = db->Exec(pragma); !s.ok()) return s.WithContext(path);
  }
  return db;
}

Database::~Database() {
  cache_.clear();  // statements must be finalised before the connection closes
  sqlite3_close(db_);
}

Status Database::Exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string text = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Status::Io(text);
}

Result<sql::Statement*> Database::Prepare(const std::string& sql) {
  for (const Recent& r : recent_) {
    if (r.sql != nullptr && *r.sql == sql) return &r.statement->Reset();
  }
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    recent_[next_recent_++ % recent_.size()] = {&it->first, it->second.get()};
    return &it->second->Reset();
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    return Error(db_, "cannot prepare statement");
  }
  auto owned = std::make_unique<Statement>(db_, stmt);
  Statement* raw = owned.get();
  cache_.emplace(sql, std::move(owned));
  return raw;
}

Status Database::BeginWrite() {
  if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  return Exec("PRAGMA defer_foreign_keys = ON");
}

Status Database::BeginRead() { return Exec("BEGIN"); }

Status Database::Commit() {
  Status s = Exec("COMMIT");
  if (!s.ok() && InTransaction()) (void)Exec("ROLLBACK");
  return s;
}

Status Database::Rollback() { return InTransaction() ? Exec("ROLLBACK") : Status::Ok(); }

Status Database::BackupTo(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                 nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> target(raw, sqlite3_close);
  if (rc != SQLITE_OK) return Error(raw, "cannot create " + path);
  sqlite3_backup* backup = sqlite3_backup_init(raw, "main", db_, "main");
  if (backup == nullptr) return Error(raw, "cannot back up to " + path);
  const int step = sqlite3_backup_step(backup, -1);
  const int finish = sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE || finish != SQLITE_OK) return Error(raw, "backup to " + path);
  return Status::Ok();
}

Result<std::vector<std::string>> Database::Tables() {
  auto s = Prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      " ORDER BY name");
  if (!s.ok()) return s.status();
  std::vector<std::string> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.push_back((*s)->Text(0));
  }
}

Result<std::int64_t> Database::DataVersion() {
  auto s = Prepare("PRAGMA data_version");
  if (!s.ok()) return s.status();
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  const std::int64_t version = (*s)->Int(0);
  (*s)->Reset();
  return version;
}

Status Database::WaitForAnnouncement(int timeout_ms) {
  auto start = DataVersion();
  if (!start.ok()) return start.status();
  constexpr int kPollMs = 100;
  for (int waited = 0; waited < timeout_ms; waited += kPollMs) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(kPollMs, timeout_ms - waited)));
    auto now = DataVersion();
    if (!now.ok()) return now.status();
    if (*now != *start) break;
  }
  return Status::Ok();
}

}  // namespace opennos::sqlite
