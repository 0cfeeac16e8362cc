#pragma once
// The OpenNOS web site and API as one request handler: the route table, response caching,
// conditional requests, compression and security headers. Knows nothing of sockets.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "search/index.h"
#include "storage/store.h"
#include "web/http/message.h"

namespace opennos::web {

using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;
using IndexFactory = std::function<Result<std::unique_ptr<search::Index>>()>;

class Site {
 public:
  // `open_store` opens a connection to the store; `open_index` a reader of the search index
  // (may be empty: search then says it is unavailable). The site keeps one of each per thread.
  explicit Site(StoreFactory open_store, IndexFactory open_index = {});
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  // Answers one request. Thread-safe.
  Response Handle(const Request& request);

 private:
  struct Cached {
    Response response;
    std::string gzipped;  // empty when not worth compressing
  };

  Store& ThreadStore();
  // This thread's index reader, reopened to the latest commit; nullptr when there is none.
  search::Index* ThreadIndex();
  // Drops cached responses when the store has changed (checked at most a few times a second).
  void RefreshGeneration();
  Response Route(const Request& request, Store& store);
  Response Finish(const Request& request, const Cached& cached) const;

  const std::uint64_t id_;  // keys this site's per-thread connections (never reused)
  StoreFactory open_store_;
  IndexFactory open_index_;
  std::mutex cache_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Cached>> cache_;
  std::size_t cache_bytes_ = 0;
  std::int64_t generation_ = -1;
  std::atomic<std::int64_t> next_check_ms_{0};
};

}  // namespace opennos::web
