#pragma once
// The storage backends the store tests run against, each in a fresh, empty store: SQLite in a
// scratch directory, PostgreSQL in a new database on the throwaway test server.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "storage/store.h"
#include "unit/postgres_server.h"
#include "unit/test_support.h"

namespace opennos::test {

enum class Backend { kSqlite, kPostgres };

inline auto AllBackends() { return ::testing::Values(Backend::kSqlite, Backend::kPostgres); }
std::string BackendName(Backend b);
inline std::string BackendParamName(const ::testing::TestParamInfo<Backend>& info) {
  return BackendName(info.param);
}

class BackendStore {
 public:
  // Makes a fresh empty store. False, with skip_reason() saying why, when the backend cannot
  // run here (PostgreSQL's binaries are missing).
  bool Start(Backend backend);
  const std::string& skip_reason() const { return skip_reason_; }
  // The store's location as OpenStore takes it: the SQLite file or the PostgreSQL URL.
  const std::string& database() const { return database_; }
  // A new connection to the store, migrated to this build's schema.
  std::unique_ptr<Store> Open() const;

 private:
  std::optional<ScratchDir> dir_;
  std::unique_ptr<PostgresDatabase> postgres_;
  std::string database_;
  std::string skip_reason_;
};

}  // namespace opennos::test
