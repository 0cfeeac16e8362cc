#pragma once
// Moving a whole store: from one backend to the other, to a backup file and back. A backup
// file is a SQLite database with the store's schema, whichever backend it came from, so a
// backup of either restores into either. Stores are named as OpenStore names them (a
// PostgreSQL URL or a SQLite file).

#include <cstdint>
#include <string>

#include "core/status.h"

namespace opennos {

struct TransferReport {
  std::int64_t rows = 0;          // rows written, all tables together
  std::int64_t frameworks = 0;    // frameworks in the target afterwards
  std::int64_t last_change = 0;   // the target's change log afterwards
};

// Copies every row of every table of `from` into `to`, in one transaction of the target: all
// or nothing. Both are brought up to this build's schema first (a SQLite source migrates as it
// opens; a PostgreSQL target is migrated). The target must hold no frameworks, unless
// `replace`, which deletes what it holds in the same transaction. Every framework the target
// held or now holds is then logged as changed, after every number either store used, so that
// servers following the target re-index them.
Result<TransferReport> CopyStore(const std::string& from, const std::string& to, bool replace);

// Writes a consistent copy of the store to the SQLite file `file` (which must not exist),
// while others keep reading and writing: SQLite's online backup API, or for PostgreSQL a
// logical copy of every table read in one snapshot.
Result<TransferReport> BackupStore(const std::string& database, const std::string& file);

// Puts the contents of the backup `file` into the store, as CopyStore does.
Result<TransferReport> RestoreStore(const std::string& file, const std::string& database,
                                    bool replace);

}  // namespace opennos
