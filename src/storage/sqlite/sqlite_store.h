#pragma once
// The embedded SQLite backend of Store: one database file, WAL, foreign keys on.

#include <memory>
#include <string>

#include "storage/store.h"

namespace opennos {

// Opens the store in the database file `path`, applying any pending migrations. With
// `create`, a missing file is created; without, a missing file is NotFound.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool create);

}  // namespace opennos
