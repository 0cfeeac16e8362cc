#include "storage/sqlite/sqlite_store.h"

#include <filesystem>

#include "storage/sql/migrations.h"
#include "storage/sql/sql_store.h"
#include "storage/sqlite/db.h"

namespace opennos {

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool create) {
  if (!create && !std::filesystem::exists(path)) {
    return Status::NotFound("no database at " + path);
  }
  auto db = sqlite::Database::Open(path, create);
  if (!db.ok()) return db.status();
  if (auto migrated = sql::Migrate(**db); !migrated.ok()) {
    return migrated.status().WithContext(path);
  }
  return NewSqlStore(std::move(*db));
}

}  // namespace opennos
