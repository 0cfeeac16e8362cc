#include "storage/postgres/postgres_store.h"

#include "storage/postgres/connection.h"
#include "storage/sql/migrations.h"
#include "storage/sql/sql_store.h"

namespace opennos {
namespace {

// The schema version, read without creating anything (a role that may only read and write
// rows opens the store too): 0 when no migration ever ran.
Result<int> ReadSchemaVersion(sql::Database& db) {
  auto exists = db.Prepare("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists.ok()) return exists.status();
  auto row = (*exists)->Step();
  if (!row.ok()) return row.status();
  const bool migrated = (*exists)->Text(0) == "t";
  (*exists)->Reset();
  if (!migrated) return 0;
  auto version = db.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!version.ok()) return version.status();
  row = (*version)->Step();
  if (!row.ok()) return row.status();
  const int v = static_cast<int>((*version)->Int(0));
  (*version)->Reset();
  return v;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, SchemaPolicy policy) {
  auto conn = postgres::Connection::Open(url);
  if (!conn.ok()) return conn.status();
  const std::string where = postgres::RedactUrl(url);
  if (policy == SchemaPolicy::kMigrate) {
    if (auto applied = sql::Migrate(**conn); !applied.ok()) {
      return applied.status().WithContext(where);
    }
    return NewSqlStore(std::move(*conn));
  }
  auto version = ReadSchemaVersion(**conn);
  if (!version.ok()) return version.status().WithContext(where);
  const int latest = sql::LatestSchemaVersion();
  if (*version > latest) {
    return Status::Invalid(where + ": the database has schema version " +
                           std::to_string(*version) + ", newer than this build's " +
                           std::to_string(latest) + ": use a newer opennos");
  }
  if (*version < latest) {
    return Status::Invalid(where + ": the database has schema version " +
                           std::to_string(*version) + " and this build needs " +
                           std::to_string(latest) + ": run `opennos migrate` first");
  }
  return NewSqlStore(std::move(*conn));
}

Result<int> MigratePostgres(const std::string& url) {
  auto conn = postgres::Connection::Open(url);
  if (!conn.ok()) return conn.status();
  auto applied = sql::Migrate(**conn);
  if (!applied.ok()) return applied.status().WithContext(postgres::RedactUrl(url));
  return applied;
}

}  // namespace opennos
