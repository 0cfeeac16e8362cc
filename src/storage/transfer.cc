#include "storage/transfer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <set>
#include <vector>

#include "storage/open.h"
#include "storage/postgres/connection.h"
#include "storage/sql/migrations.h"
#include "storage/sqlite/db.h"

namespace opennos {
namespace {

// The bookkeeping table each store keeps for itself.
constexpr const char* kSchemaTable = "schema_migrations";

Result<std::unique_ptr<sql::Database>> Connect(const std::string& database, bool create) {
  if (IsPostgresUrl(database)) {
    auto conn = postgres::Connection::Open(database);
    if (!conn.ok()) return conn.status();
    return std::unique_ptr<sql::Database>(std::move(*conn));
  }
  if (!create && !std::filesystem::exists(database)) {
    return Status::NotFound("no database at " + database);
  }
  auto db = sqlite::Database::Open(database, create);
  if (!db.ok()) return db.status();
  return std::unique_ptr<sql::Database>(std::move(*db));
}

Result<std::unique_ptr<sql::Database>> ConnectMigrated(const std::string& database, bool create) {
  auto db = Connect(database, create);
  if (!db.ok()) return db.status();
  if (auto applied = sql::Migrate(**db); !applied.ok()) {
    return applied.status().WithContext(DescribeStore(database));
  }
  return db;
}

std::string NowIso() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::int64_t> QueryInt(sql::Database& db, const std::string& query) {
  auto s = db.Prepare(query);
  if (!s.ok()) return s.status();
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  const std::int64_t value = *row ? (*s)->Int(0) : 0;
  (*s)->Reset();
  return value;
}

Result<std::set<std::string>> FrameworkUuids(sql::Database& db) {
  auto s = db.Prepare("SELECT uuid FROM frameworks");
  if (!s.ok()) return s.status();
  std::set<std::string> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.insert((*s)->Text(0));
  }
}

// Copies one table's rows; the target's transaction is open.
Result<std::int64_t> CopyTable(sql::Database& from, sql::Database& to, const std::string& table) {
  auto select = from.Prepare("SELECT * FROM \"" + table + "\"");
  if (!select.ok()) return select.status();
  sql::Statement* insert = nullptr;
  std::int64_t rows = 0;
  for (;;) {
    auto row = (*select)->Step();
    if (!row.ok()) return row.status().WithContext("reading " + table);
    if (!*row) break;
    const sql::Statement& r = **select;
    const int columns = r.ColumnCount();
    if (insert == nullptr) {
      std::string names, marks;
      for (int c = 0; c < columns; ++c) {
        names += (c ? ", \"" : "\"") + r.ColumnName(c) + "\"";
        marks += c ? ", ?" : "?";
      }
      auto prepared =
          to.Prepare("INSERT INTO \"" + table + "\" (" + names + ") VALUES (" + marks + ")");
      if (!prepared.ok()) return prepared.status().WithContext("writing " + table);
      insert = *prepared;
    }
    insert->Reset();
    for (int c = 0; c < columns; ++c) {
      switch (r.ColumnKind(c)) {
        case sql::Statement::Kind::kNull:
          insert->BindNull(c + 1);
          break;
        case sql::Statement::Kind::kInteger:
          insert->Bind(c + 1, r.Int(c));
          break;
        case sql::Statement::Kind::kReal:
          insert->Bind(c + 1, r.Double(c));
          break;
        case sql::Statement::Kind::kText:
          insert->Bind(c + 1, r.Text(c));
          break;
      }
    }
    if (Status s = insert->Run(); !s.ok()) return s.WithContext("writing " + table);
    ++rows;
  }
  if (Status s = to.KeysInserted(table); !s.ok()) return s;
  return rows;
}

// Copies everything from `from` into `to`; both migrated to this build's schema.
// With `announce`, logs every framework as changed afterwards (a backup file is left as the
// source was).
Result<TransferReport> Transfer(sql::Database& from, sql::Database& to, bool replace,
                                bool announce, const std::string& target_name) {
  auto source_tables = from.Tables();
  if (!source_tables.ok()) return source_tables.status();
  auto target_tables = to.Tables();
  if (!target_tables.ok()) return target_tables.status();
  if (*source_tables != *target_tables) {
    return Status::Invalid("the two stores do not have the same tables");
  }
  sql::Transaction read(from, sql::Transaction::Kind::kRead);
  if (Status s = read.Begin(); !s.ok()) return s;
  sql::Transaction write(to, sql::Transaction::Kind::kWrite);
  if (Status s = write.Begin(); !s.ok()) return s;

  auto before = FrameworkUuids(to);
  if (!before.ok()) return before.status();
  if (!before->empty() && !replace) {
    return Status::Conflict(target_name + " already holds " + std::to_string(before->size()) +
                            " frameworks: restore into an empty store, or replace what it "
                            "holds (--replace)");
  }
  auto old_last = QueryInt(to, "SELECT coalesce(max(seq), 0) FROM change_log");
  if (!old_last.ok()) return old_last.status();
  TransferReport report;
  for (const std::string& table : *source_tables) {
    if (table == kSchemaTable) continue;
    if (Status s = to.Exec("DELETE FROM \"" + table + "\""); !s.ok()) return s;
  }
  for (const std::string& table : *source_tables) {
    if (table == kSchemaTable) continue;
    auto rows = CopyTable(from, to, table);
    if (!rows.ok()) return rows.status();
    report.rows += *rows;
  }
  auto after = FrameworkUuids(to);
  if (!after.ok()) return after.status();
  auto new_last = QueryInt(to, "SELECT coalesce(max(seq), 0) FROM change_log");
  if (!new_last.ok()) return new_last.status();
  // Followers of the target have indexed up to old_last; log every framework, old and new,
  // after anything either store numbered, so each of them is indexed again or removed.
  std::set<std::string> touched;
  if (announce) {
    touched = *before;
    touched.insert(after->begin(), after->end());
  }
  const std::int64_t start = std::max(*old_last, *new_last);
  auto log = to.Prepare("INSERT INTO change_log (seq, framework_uuid, at) VALUES (?, ?, ?)");
  if (!log.ok()) return log.status();
  std::int64_t seq = start;
  const std::string now = NowIso();
  for (const std::string& uuid : touched) {
    if (Status s = (*log)->Bind(1, ++seq).Bind(2, uuid).Bind(3, now).Run(); !s.ok()) return s;
    (*log)->Reset();
  }
  if (Status s = to.KeysInserted("change_log"); !s.ok()) return s;
  if (!touched.empty()) {
    if (Status s = to.AnnounceChange(); !s.ok()) return s;
  }
  if (Status s = write.Commit(); !s.ok()) return s;
  (void)read.Commit();
  report.frameworks = static_cast<std::int64_t>(after->size());
  report.last_change = touched.empty() ? *new_last : seq;
  return report;
}

}  // namespace

Result<TransferReport> CopyStore(const std::string& from, const std::string& to, bool replace) {
  auto source = ConnectMigrated(from, false);
  if (!source.ok()) return source.status();
  auto target = ConnectMigrated(to, !IsPostgresUrl(to));
  if (!target.ok()) return target.status();
  return Transfer(**source, **target, replace, true, DescribeStore(to));
}

Result<TransferReport> BackupStore(const std::string& database, const std::string& file) {
  if (std::filesystem::exists(file)) {
    return Status::Conflict(file + " already exists: back up to a new file");
  }
  auto source = ConnectMigrated(database, false);
  if (!source.ok()) return source.status();
  const std::string temp = file + ".partial";
  std::filesystem::remove(temp);
  Result<TransferReport> report = TransferReport{};
  if (auto* sqlite_source = dynamic_cast<sqlite::Database*>(source->get())) {
    if (Status s = sqlite_source->BackupTo(temp); !s.ok()) return s;
    auto copy = ConnectMigrated(temp, false);
    if (!copy.ok()) return copy.status();
    auto frameworks = QueryInt(**copy, "SELECT count(*) FROM frameworks");
    auto last = QueryInt(**copy, "SELECT coalesce(max(seq), 0) FROM change_log");
    if (!frameworks.ok() || !last.ok()) {
      return frameworks.ok() ? last.status() : frameworks.status();
    }
    report = TransferReport{0, *frameworks, *last};
  } else {
    auto target = ConnectMigrated(temp, true);
    if (!target.ok()) return target.status();
    report = Transfer(**source, **target, false, false, temp);
  }
  if (!report.ok()) {
    std::filesystem::remove(temp);
    return report;
  }
  std::error_code ec;
  std::filesystem::rename(temp, file, ec);
  if (ec) return Status::Io(file + ": " + ec.message());
  return report;
}

Result<TransferReport> RestoreStore(const std::string& file, const std::string& database,
                                    bool replace) {
  if (!std::filesystem::exists(file)) return Status::NotFound("no backup at " + file);
  return CopyStore(file, database, replace);
}

}  // namespace opennos
