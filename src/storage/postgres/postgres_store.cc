#include "storage/postgres/postgres_store.h"

#include "storage/postgres/connection.h"
#include "storage/sql/migrations.h"
#include "storage/sql/sql_store.h"

namespace opennos {

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
  auto version = sql::SchemaVersion(**conn);
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
