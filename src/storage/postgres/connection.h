#pragma once
// The PostgreSQL connection behind sql::Database, over libpq. Only this folder includes
// libpq-fe.h. Statements are written in SQLite's dialect and translated once, when first
// prepared (sql/dialect.h); parameters go as text and PostgreSQL infers their types.
//
// A connection lost between transactions is made again, and its statements prepared again, on
// the next use; one lost inside a transaction fails that transaction as transient, so the
// caller can run it again.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "storage/sql/database.h"

namespace opennos::postgres {

class Connection;

class Statement final : public sql::Statement {
 public:
  Statement(Connection& conn, std::string sql, int parameters);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() override;

  using sql::Statement::Bind;
  Statement& Reset() override;
  Statement& Bind(int i, std::string_view text) override;
  Statement& Bind(int i, std::int64_t value) override;
  Statement& Bind(int i, double value) override;
  Statement& BindNull(int i) override;
  Result<bool> Step() override;

  int ColumnCount() const override { return PQnfields(result_); }
  std::string ColumnName(int col) const override { return PQfname(result_, col); }
  Kind ColumnKind(int col) const override;
  std::string Text(int col) const override;
  std::int64_t Int(int col) const override;
  double Double(int col) const override;
  bool IsNull(int col) const override;

 private:
  friend class Connection;
  Connection& conn_;
  std::string sql_;   // translated
  std::string name_;  // the server-side prepared statement, when prepared
  std::uint64_t prepared_in_ = 0;  // the connection generation it was prepared in
  std::vector<std::optional<std::string>> params_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

class Connection final : public sql::Database {
 public:
  // Connects to `url` (a libpq connection URI or key=value string).
  static Result<std::unique_ptr<Connection>> Open(const std::string& url);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() override;

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }
  Status Exec(const std::string& sql) override;
  Result<sql::Statement*> Prepare(const std::string& sql) override;
  std::int64_t Changes() const override { return changes_; }
  // READ COMMITTED behind a transaction-scoped advisory lock that serialises writers: each
  // statement then sees every write committed before the lock was granted, and the change
  // log's numbers are handed out in commit order.
  Status BeginWrite() override;
  // REPEATABLE READ READ ONLY: one snapshot for the whole transaction.
  Status BeginRead() override;
  Status Commit() override;
  Status Rollback() override;
  // Kept by this object, not asked of libpq: a connection lost inside a transaction must still
  // count as inside one, so that nothing runs outside it before the caller rolls back.
  bool InTransaction() const override { return in_transaction_; }
  bool LastFailureIsTransient() const override { return transient_; }
  // NOTIFY, delivered to listeners when the transaction commits.
  Status AnnounceChange() override;
  // LISTENs (the first call returns at once, so nothing sent meanwhile is missed), then waits
  // on the socket for a notification.
  Status WaitForAnnouncement(int timeout_ms) override;
  Result<std::vector<std::string>> Tables() override;
  // Moves each identity column's sequence past the largest key in the table.
  Status KeysInserted(const std::string& table) override;
  // A session-scoped advisory lock.
  Status LockSchema() override;
  Status UnlockSchema() override;

 private:
  friend class Statement;
  Connection(PGconn* conn, std::string url) : conn_(conn), url_(std::move(url)) {}
  // Makes the connection again if it was lost outside a transaction.
  Status EnsureConnected();
  // Runs a translated script; accepts rows or none.
  Status Run(const std::string& translated);
  Result<PGresult*> Execute(Statement& st);
  Result<PGresult*> ExecuteOnce(Statement& st, bool in_transaction);
  // Keeps the row count of a statement that changed rows, for Changes().
  void NoteChanges(PGresult* result);
  // The Status for a failed result (cleared), noting whether it is transient.
  Status Failure(PGresult* result, const std::string& what);

  PGconn* conn_;
  std::string url_;
  std::uint64_t generation_ = 1;  // moves when the connection is made again
  std::uint64_t next_name_ = 0;
  bool transient_ = false;
  bool in_transaction_ = false;
  std::int64_t changes_ = 0;  // rows the last statement touched
  std::uint64_t listening_in_ = 0;  // the generation LISTEN was issued in
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// The URL with any password replaced by "***", for messages.
std::string RedactUrl(std::string_view url);

}  // namespace opennos::postgres
