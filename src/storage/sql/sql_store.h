#pragma once
// The Store written once over sql::Database, for both backends.

#include <memory>

#include "storage/sql/database.h"
#include "storage/store.h"

namespace opennos {

// A store over an open, migrated connection, which it takes over.
std::unique_ptr<Store> NewSqlStore(std::unique_ptr<sql::Database> db);

}  // namespace opennos
