#pragma once
// A thin RAII layer over the SQLite C API: a connection and prepared statements. Only this
// folder includes sqlite3.h. Values are bound by position, never spliced into SQL.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace opennos::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // Clears bindings and resets, ready for a new execution.
  Statement& Reset();
  // Binds parameter `i` (from 1). An empty string binds as ''; use BindNull for NULL.
  Statement& Bind(int i, std::string_view text);
  Statement& Bind(int i, std::int64_t value);
  Statement& Bind(int i, int value) { return Bind(i, static_cast<std::int64_t>(value)); }
  Statement& Bind(int i, double value);
  Statement& BindNull(int i);
  // Binds NULL for an empty string, otherwise the text.
  Statement& BindOrNull(int i, std::string_view text);

  // Runs one step. Returns true while there is a row to read.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();

  std::string Text(int col) const;
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  // Opens (creating if `create`) the database file with WAL, foreign keys on and a busy
  // timeout, so that several processes can share it.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, bool create);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs SQL with no parameters (schema, pragmas, transaction control).
  Status Exec(const std::string& sql);
  // A prepared statement kept for the connection's life; reset before it is returned.
  Result<Statement*> Prepare(const std::string& sql);
  std::int64_t Changes() const { return sqlite3_changes64(db_); }
  sqlite3* handle() { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// Begins an IMMEDIATE transaction and rolls it back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}
  Status Begin() {
    Status s = db_.Exec("BEGIN IMMEDIATE");
    open_ = s.ok();
    return s;
  }
  Status Commit() {
    Status s = db_.Exec("COMMIT");
    if (s.ok()) open_ = false;
    return s;
  }
  ~Transaction() {
    if (open_) (void)db_.Exec("ROLLBACK");
  }

 private:
  Database& db_;
  bool open_ = false;
};

}  // namespace opennos::sqlite
