#pragma once
// The SQLite connection behind sql::Database: prepared statements over the C API. Only this
// folder includes sqlite3.h.

#include <sqlite3.h>

#include <cstdint>
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "storage/sql/database.h"

namespace opennos::sqlite {

class Statement final : public sql::Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() override { sqlite3_finalize(stmt_); }

  using sql::Statement::Bind;
  Statement& Reset() override;
  Statement& Bind(int i, std::string_view text) override;
  Statement& Bind(int i, std::int64_t value) override;
  Statement& Bind(int i, double value) override;
  Statement& BindNull(int i) override;
  Statement& BindKept(int i, std::string_view text) override;
  Result<bool> Step() override;

  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int col) const override { return sqlite3_column_name(stmt_, col); }
  Kind ColumnKind(int col) const override;
  std::string Text(int col) const override;
  std::int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const override { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database final : public sql::Database {
 public:
  // Opens (creating if `create`) the database file with WAL, foreign keys on and a busy
  // timeout, so that several processes can share it.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, bool create);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() override;

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  Status Exec(const std::string& sql) override;
  Result<sql::Statement*> Prepare(const std::string& sql) override;
  std::int64_t Changes() const override { return sqlite3_changes64(db_); }
  // BEGIN IMMEDIATE takes the write lock at once, with foreign keys deferred to the commit.
  Status BeginWrite() override;
  Status BeginRead() override;
  Status Commit() override;
  Status Rollback() override;
  bool InTransaction() const override { return !sqlite3_get_autocommit(db_); }
  bool LastFailureIsTransient() const override { return false; }  // the busy timeout waits
  Status AnnounceChange() override { return Status::Ok(); }
  // Polls PRAGMA data_version, which moves when another connection commits.
  Status WaitForAnnouncement(int timeout_ms) override;
  Result<std::vector<std::string>> Tables() override;
  Status KeysInserted(const std::string&) override { return Status::Ok(); }
  // Migrations run in BEGIN IMMEDIATE transactions, which already exclude each other.
  Status LockSchema() override { return Status::Ok(); }
  Status UnlockSchema() override { return Status::Ok(); }

  // Copies the whole database into a new file at `path` with SQLite's online backup API, in
  // one step: a consistent copy, while other connections go on reading and writing.
  Status BackupTo(const std::string& path);

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  Result<std::int64_t> DataVersion();

  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  // The statements prepared most recently, by their text in cache_: a bulk write asks for the
  // same few again and again, and comparing texts costs less than hashing them.
  struct Recent {
    const std::string* sql = nullptr;
    Statement* statement = nullptr;
  };
  std::array<Recent, 4> recent_{};
  size_t next_recent_ = 0;
};

}  // namespace opennos::sqlite
