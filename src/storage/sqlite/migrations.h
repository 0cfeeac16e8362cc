#pragma once
// The numbered schema migrations of the SQLite backend, applied in order at open.

#include "core/status.h"
#include "storage/sqlite/db.h"

namespace opennos::sqlite {

// The newest schema version this build knows.
int LatestSchemaVersion();
// Applies every migration newer than the database's version, each in its own transaction.
// Refuses a database whose version is newer than this build's.
Status Migrate(Database& db);

}  // namespace opennos::sqlite
