#pragma once
// The PostgreSQL backend of Store: for several OpenNOS processes, on several machines, sharing
// one database. Unlike SQLite it does not migrate whenever it opens: `opennos migrate` does,
// once, under an advisory lock, and a process on an older schema is refused.

#include <memory>
#include <string>

#include "storage/store.h"

namespace opennos {

enum class SchemaPolicy {
  kRequireCurrent,  // refuse (Invalid, naming `opennos migrate`) a database not at this schema
  kMigrate,         // apply any pending migrations first
};

// Connects to the database at `url` (postgresql://…) and checks or brings its schema up to
// date. Every failure message names the database with its password hidden.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, SchemaPolicy policy);

// Applies pending migrations; returns how many.
Result<int> MigratePostgres(const std::string& url);

}  // namespace opennos
