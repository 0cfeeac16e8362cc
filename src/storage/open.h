#pragma once
// Opening a store by where it is: a PostgreSQL URL or a SQLite database file. The CLI and the
// server name a store this way and never a backend.

#include <memory>
#include <string>
#include <string_view>

#include "storage/store.h"

namespace opennos {

// True for "postgresql://…" and "postgres://…".
bool IsPostgresUrl(std::string_view database);

enum class OpenMode {
  kExisting,  // the store must exist; SQLite migrates, PostgreSQL must be at this schema
  kCreate,    // create it if missing and bring its schema up to date
  kMigrate,   // bring its schema up to date (PostgreSQL: under the migration lock)
};

// Opens the store at `database`: a PostgreSQL URL, or the path of a SQLite file. With
// kExisting, a missing SQLite file is NotFound.
Result<std::unique_ptr<Store>> OpenStore(const std::string& database, OpenMode mode);

// Applies pending migrations to the store at `database`; returns how many were applied.
Result<int> MigrateStore(const std::string& database);

// The store's location fit for messages (a PostgreSQL password hidden).
std::string DescribeStore(const std::string& database);

}  // namespace opennos
