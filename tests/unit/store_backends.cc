#include "unit/store_backends.h"

#include <stdexcept>

#include "storage/open.h"

namespace opennos::test {

std::string BackendName(Backend b) { return b == Backend::kSqlite ? "Sqlite" : "Postgres"; }

bool BackendStore::Start(Backend backend) {
  if (backend == Backend::kSqlite) {
    dir_.emplace();
    database_ = DatabaseIn(dir_->path());
    return true;
  }
  skip_reason_ = PostgresUnavailable();
  if (!skip_reason_.empty()) {
    skip_reason_ = "PostgreSQL tests skipped: " + skip_reason_;
    return false;
  }
  postgres_ = std::make_unique<PostgresDatabase>();
  database_ = postgres_->url();
  return true;
}

std::unique_ptr<Store> BackendStore::Open() const {
  auto store = OpenStore(database_, OpenMode::kCreate);
  if (!store.ok()) throw std::runtime_error("OpenStore: " + store.status().message());
  return std::move(*store);
}

}  // namespace opennos::test
