#pragma once
// The numbered schema migrations, one list for both backends: written in SQLite's dialect and
// translated for PostgreSQL by sql/dialect.h, so the same migrations give the same schema.

#include "core/status.h"
#include "storage/sql/database.h"

namespace opennos::sql {

// The newest schema version this build knows.
int LatestSchemaVersion();
// The version the database is at (0 for an empty one). Creates the bookkeeping table.
Result<int> SchemaVersion(Database& db);
// Applies every migration newer than the database's version, each in its own transaction,
// holding the schema lock so that concurrent callers apply each one once. Refuses (Invalid) a
// database whose version is newer than this build's. Returns how many it applied.
Result<int> Migrate(Database& db);

}  // namespace opennos::sql
