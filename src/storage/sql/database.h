#pragma once
// The SQL connection the store is written against: prepared statements with positional
// parameters ("?" or "?N"), rows read by column, and transactions. Two backends implement it,
// sqlite/ and postgres/; whatever differs between their dialects is decided by them (or by
// sql/migrations.cc for the schema), never by the store. Values are bound, never spliced.
//
// Thread-safety: a Database and its statements belong to one thread at a time.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opennos::sql {

enum class Dialect { kSqlite, kPostgres };

class Statement {
 public:
  virtual ~Statement() = default;

  // Clears bindings and any result, ready for a new execution.
  virtual Statement& Reset() = 0;
  // Binds parameter `i` (from 1). An empty string binds as ''; use BindNull for NULL.
  virtual Statement& Bind(int i, std::string_view text) = 0;
  virtual Statement& Bind(int i, std::int64_t value) = 0;
  Statement& Bind(int i, int value) { return Bind(i, static_cast<std::int64_t>(value)); }
  Statement& Bind(int i, const char* text) { return Bind(i, std::string_view(text)); }
  Statement& Bind(int i, const std::string& text) { return Bind(i, std::string_view(text)); }
  virtual Statement& Bind(int i, double value) = 0;
  virtual Statement& BindNull(int i) = 0;
  // Binds NULL for an empty string, otherwise the text.
  Statement& BindOrNull(int i, std::string_view text) {
    return text.empty() ? BindNull(i) : Bind(i, text);
  }
  // As Bind, for text the caller keeps alive and unchanged until the statement has run: a
  // backend may read it in place instead of copying it (a bulk write binds millions).
  virtual Statement& BindKept(int i, std::string_view text) { return Bind(i, text); }
  Statement& BindKeptOrNull(int i, std::string_view text) {
    return text.empty() ? BindNull(i) : BindKept(i, text);
  }

  // Runs the statement on the first call and moves to the next row. Returns true while there
  // is a row to read. A constraint violation is Conflict; other failures are Io.
  virtual Result<bool> Step() = 0;
  // Runs to completion, ignoring rows.
  Status Run() {
    for (;;) {
      auto row = Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
    }
  }

  // The result's columns (known once Step has been called).
  virtual int ColumnCount() const = 0;
  virtual std::string ColumnName(int col) const = 0;
  enum class Kind { kNull, kInteger, kReal, kText };
  // What the current row holds in column `col`.
  virtual Kind ColumnKind(int col) const = 0;

  // The current row's columns, from 0. NULL reads as "" or 0.
  virtual std::string Text(int col) const = 0;
  virtual std::int64_t Int(int col) const = 0;
  virtual double Double(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
};

class Database {
 public:
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;
  // Runs SQL with no parameters and no rows (schema, settings); may hold several statements.
  virtual Status Exec(const std::string& sql) = 0;
  // A prepared statement kept for the connection's life; reset before it is returned.
  virtual Result<Statement*> Prepare(const std::string& sql) = 0;
  // Rows inserted, updated or deleted by the last statement run to completion.
  virtual std::int64_t Changes() const = 0;

  // Begins a write transaction. Writers are serialised (SQLite: the database's write lock;
  // PostgreSQL: a transaction-scoped advisory lock), so the change log grows in commit order
  // and a writer always sees every earlier commit. Foreign keys are checked at commit.
  virtual Status BeginWrite() = 0;
  // Begins a read-only transaction that sees one consistent state of the database.
  virtual Status BeginRead() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  // True between Begin* and Commit/Rollback.
  virtual bool InTransaction() const = 0;
  // True when the last failure was one that running the whole transaction again may cure
  // (a serialisation failure, a deadlock, a lost connection re-established since).
  virtual bool LastFailureIsTransient() const = 0;

  // Inside a write transaction that appended to the change log: tells the database's other
  // clients, when the transaction commits (PostgreSQL NOTIFY; nothing for SQLite, whose
  // followers poll).
  virtual Status AnnounceChange() = 0;
  // Blocks until another client may have changed the database, or `timeout_ms` passes.
  // Returns early, without error, when it cannot tell (the caller checks the change log).
  virtual Status WaitForAnnouncement(int timeout_ms) = 0;

  // The tables of the schema (the migrations' and their bookkeeping), by name.
  virtual Result<std::vector<std::string>> Tables() = 0;
  // After rows were inserted with their own generated keys (a copy): lets the database hand
  // out keys after them (PostgreSQL moves its identity sequences; SQLite needs nothing).
  virtual Status KeysInserted(const std::string& table) = 0;

  // Holds the schema lock between these calls, so that one process migrates at a time.
  virtual Status LockSchema() = 0;
  virtual Status UnlockSchema() = 0;
};

// Runs `st` to completion, appending read(row) for each row to `out`.
template <typename T, typename ReadFn>
Status Collect(Statement& st, std::vector<T>& out, ReadFn read) {
  for (;;) {
    auto row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    out.push_back(read(st));
  }
}

// Begins a transaction and rolls it back on destruction unless committed. Inside another
// transaction of the same connection it does nothing: the outer one decides.
class Transaction {
 public:
  enum class Kind { kRead, kWrite };
  Transaction(Database& db, Kind kind) : db_(db), kind_(kind) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status Begin() {
    if (db_.InTransaction()) return Status::Ok();
    Status s = kind_ == Kind::kWrite ? db_.BeginWrite() : db_.BeginRead();
    owner_ = s.ok();
    return s;
  }
  Status Commit() {
    if (!owner_) return Status::Ok();
    owner_ = false;
    return db_.Commit();
  }
  ~Transaction() {
    if (owner_) (void)db_.Rollback();
  }

 private:
  Database& db_;
  Kind kind_;
  bool owner_ = false;
};

}  // namespace opennos::sql
