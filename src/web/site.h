#pragma once
// The OpenNOS web site and API as one request handler: the route table, response caching,
// conditional requests, compression and security headers. Knows nothing of sockets.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "search/index.h"
#include "storage/store.h"
#include "web/http/message.h"
#include "web/options.h"
#include "web/respond.h"

namespace opennos::web {

// The largest framework file an import through the site or API accepts (the command line
// reads files of up to 2 GiB).
inline constexpr std::size_t kMaxUploadBytes = std::size_t{256} << 20;

using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;
using IndexFactory = std::function<Result<std::unique_ptr<search::Index>>()>;

using RouteFn = Response (*)(const Context&);

// Who may call a route, and whether its answer may be shared (web/auth.h).
enum class Access {
  kPublic,      // GET: the same for everyone; cached when asked without credentials
  kPersonal,    // GET: depends on who asks, or needs sign-in: never cached
  kMember,      // a write: needs a session (with its CSRF token) or a bearer token
  kSignInForm,  // the sign-in form's POST alone: open, checks its own pre-session token
};

// One line of the route table (web/site.cc).
struct RouteEntry {
  std::string_view method;   // GET (which answers HEAD too), POST, PUT, PATCH or DELETE
  std::string_view pattern;  // segments; "{x}" captures one; "{x}.{ext}" captures two
  RouteFn handler;
  Access access = Access::kPublic;  // a write is kMember whatever this says, unless kSignInForm
};

class Site {
 public:
  // `open_store` opens a connection to the store; `open_index` a reader of the search index
  // (may be empty: search then says it is unavailable). The site keeps one of each per thread,
  // and runs analyses on threads of its own (stopped when the site is destroyed).
  explicit Site(StoreFactory open_store, IndexFactory open_index = {}, SiteOptions options = {});
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  // Answers one request. Thread-safe.
  Response Handle(const Request& request);

  // The route table, for tests that check every route.
  static std::span<const RouteEntry> Routes();

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
  // The route, the shared cache, or the private path for this request.
  Response Dispatch(const Request& request);
  // A public read asked without credentials: from (or into) the shared cache.
  Response Shared(const Request& request);
  // Everything else: credentials checked, never cached. `route` may be null (a 404).
  Response Personal(const Request& request, const RouteEntry* route,
                    std::vector<std::string> params);
  // The site's checks for writes (credentials, CSRF, origin), then the handler.
  Response RunPersonal(const Context& ctx, const RouteEntry* route);
  Response Route(const Request& request, Store& store);
  Response Finish(const Request& request, const Cached& cached) const;

  const std::uint64_t id_;  // keys this site's per-thread connections (never reused)
  StoreFactory open_store_;
  IndexFactory open_index_;
  SiteOptions options_;
  std::mutex cache_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Cached>> cache_;
  std::size_t cache_bytes_ = 0;
  std::int64_t generation_ = -1;
  std::atomic<std::int64_t> next_check_ms_{0};
  // Last, so that it stops (cancelling its jobs) before the rest goes.
  std::unique_ptr<AnalysisJobs> jobs_;
};

}  // namespace opennos::web
