#pragma once
// Where the search index lives and who keeps it current: after a CLI write the CLI catches the
// index up unless a server holds it (the server follows the change log itself).

#include <memory>
#include <string>

#include "search/index.h"
#include "storage/store.h"

namespace opennos {

// The index directory inside a data directory.
std::string IndexDir(const std::string& data_dir);

// After a write: brings the index up to date if no other process is writing it. Returns a
// line to tell the user what happened.
std::string UpdateIndexAfterWrite(Store& store, const std::string& data_dir);

}  // namespace opennos
