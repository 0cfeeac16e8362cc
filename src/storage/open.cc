#include "storage/open.h"

#include <filesystem>

#include "storage/postgres/connection.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sql/migrations.h"
#include "storage/sqlite/db.h"
#include "storage/sqlite/sqlite_store.h"

namespace opennos {

bool IsPostgresUrl(std::string_view database) {
  return database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& database, OpenMode mode) {
  if (IsPostgresUrl(database)) {
    return OpenPostgresStore(database, mode == OpenMode::kExisting ? SchemaPolicy::kRequireCurrent
                                                                   : SchemaPolicy::kMigrate);
  }
  return OpenSqliteStore(database, mode == OpenMode::kCreate);
}

Result<int> MigrateStore(const std::string& database) {
  if (IsPostgresUrl(database)) return MigratePostgres(database);
  if (!std::filesystem::exists(database)) return Status::NotFound("no database at " + database);
  auto db = sqlite::Database::Open(database, false);
  if (!db.ok()) return db.status();
  auto applied = sql::Migrate(**db);
  if (!applied.ok()) return applied.status().WithContext(database);
  return applied;
}

std::string DescribeStore(const std::string& database) {
  return IsPostgresUrl(database) ? postgres::RedactUrl(database) : database;
}

}  // namespace opennos
