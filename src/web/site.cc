#include "web/site.h"

#include <chrono>
#include <stdexcept>

#include "web/api.h"
#include "web/case_api.h"
#include "web/gzip.h"
#include "web/http/etag.h"
#include "web/pages.h"
#include "web/respond.h"
#include "web/static_files.h"

namespace opennos::web {
namespace {

using RouteFn = Response (*)(const Context&);

struct RouteEntry {
  std::string_view pattern;  // segments; "{x}" captures one; "{x}.{ext}" captures two
  RouteFn handler;
};

// The route table: every page and API call the site answers (GET and HEAD).
constexpr RouteEntry kRoutes[] = {
    {"/", pages::Home},
    {"/about", pages::About},
    {"/search", pages::Search},
    {"/api/v1/search", api::Search},
    {"/suites", pages::Suites},
    {"/suites/{name}", pages::Suite},
    {"/suites/{name}/editions", pages::Editions},
    {"/suites/{name}/download.{json|csv}", pages::SuiteDownload},
    {"/nos/{urn}", pages::Unit},
    {"/nos/{urn}/download.{json|csv}", pages::UnitDownload},
    {"/items/{uuid}", pages::ItemPage},
    {"/api/v1/openapi.json", api::OpenApi},
    {"/api/v1/frameworks", api::Frameworks},
    {"/api/v1/frameworks/{name}", api::Framework},
    {"/api/v1/frameworks/{name}/tree", api::Tree},
    {"/api/v1/frameworks/{name}/associations", api::FrameworkAssociations},
    {"/api/v1/frameworks/{name}/editions", api::Editions},
    {"/api/v1/items/{uuid}", api::Item},
    {"/api/v1/items/{uuid}/associations", api::ItemAssociations},
    {"/api/v1/units/{urn}", api::Unit},
    // The CASE service; {version} is v1p1 or v1p0 (case_api.h). The last two answer any other
    // address under it with the CASE status payload.
    {"/ims/case/{version}/CFDocuments", case_api::Documents},
    {"/ims/case/{version}/CFDocuments/{id}", case_api::Document},
    {"/ims/case/{version}/CFPackages/{id}", case_api::Package},
    {"/ims/case/{version}/CFItems/{id}", case_api::Item},
    {"/ims/case/{version}/CFItemAssociations/{id}", case_api::ItemAssociations},
    {"/ims/case/{version}/CFAssociations/{id}", case_api::Association},
    {"/ims/case/{version}/CFAssociationGroupings/{id}", case_api::AssociationGrouping},
    {"/ims/case/{version}/CFConcepts/{id}", case_api::Concept},
    {"/ims/case/{version}/CFItemTypes/{id}", case_api::ItemType},
    {"/ims/case/{version}/CFLicenses/{id}", case_api::License},
    {"/ims/case/{version}/CFSubjects/{id}", case_api::Subject},
    {"/ims/case/{version}/CFRubrics/{id}", case_api::Rubric},
    {"/ims/case/{version}/discovery/{file}", case_api::Discovery},
    {"/ims/case/{version}/{what}", case_api::Unknown},
    {"/ims/case/{version}/{what}/{id}", case_api::Unknown},
};

// Matches one path segment against a pattern segment, appending captures. A pattern segment
// is a literal, "{x}" (captures the segment), or either of those followed by ".{a|b}" (an
// extension from the list, captured too).
bool MatchSegment(std::string_view pattern, std::string_view segment,
                  std::vector<std::string>& params) {
  const size_t ext_at = pattern.find(".{");
  if (ext_at == std::string_view::npos) {
    if (pattern.empty() || pattern.front() != '{') return pattern == segment;
    if (segment.empty()) return false;
    params.emplace_back(segment);
    return true;
  }
  const size_t dot = segment.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view stem = pattern.substr(0, ext_at);
  if (stem.front() == '{') {
    params.emplace_back(segment.substr(0, dot));
  } else if (stem != segment.substr(0, dot)) {
    return false;
  }
  const std::string_view ext = segment.substr(dot + 1);
  std::string_view choices = pattern.substr(ext_at + 2, pattern.size() - ext_at - 3);
  for (;;) {
    const size_t bar = choices.find('|');
    if (choices.substr(0, bar) == ext) {
      params.emplace_back(ext);
      return true;
    }
    if (bar == std::string_view::npos) return false;
    choices.remove_prefix(bar + 1);
  }
}

bool Match(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  params.clear();
  if (pattern == "/") return path == "/";
  while (!pattern.empty() && !path.empty()) {
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const size_t p = pattern.find('/'), q = path.find('/');
    if (!MatchSegment(pattern.substr(0, p), path.substr(0, q), params)) return false;
    pattern = p == std::string_view::npos ? std::string_view() : pattern.substr(p);
    path = q == std::string_view::npos ? std::string_view() : path.substr(q);
  }
  return pattern.empty() && path.empty();
}

void SecurityHeaders(Response& r) {
  r.Set("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'");
  r.Set("X-Content-Type-Options", "nosniff");
  r.Set("Referrer-Policy", "strict-origin-when-cross-origin");
  r.Set("X-Frame-Options", "DENY");
  r.Set("Cross-Origin-Opener-Policy", "same-origin");
}

bool IsApi(std::string_view path) { return path.rfind("/api/", 0) == 0; }

bool IsSearch(std::string_view path) { return path == "/search" || path == "/api/v1/search"; }

Response Error(const Request& request, int status, const std::string& message) {
  if (IsApi(request.path)) return JsonError(status, message);
  return Response{status, {{"Content-Type", "text/plain; charset=utf-8"}}, message + "\n"};
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr std::size_t kMaxCacheBytes = 64 << 20;

}  // namespace

namespace {
std::atomic<std::uint64_t> next_site_id{1};
}  // namespace

Site::Site(StoreFactory open_store, IndexFactory open_index)
    : id_(next_site_id++), open_store_(std::move(open_store)), open_index_(std::move(open_index)) {}

search::Index* Site::ThreadIndex() {
  if (!open_index_) return nullptr;
  thread_local std::unordered_map<std::uint64_t, std::unique_ptr<search::Index>> indexes;
  auto& index = indexes[id_];
  if (!index) {
    auto opened = open_index_();
    if (!opened.ok()) return nullptr;  // none yet: try again on the next search
    index = std::move(*opened);
  }
  if (!index->Reopen().ok()) {
    index.reset();
    return nullptr;
  }
  return index.get();
}

Store& Site::ThreadStore() {
  // One connection per thread for this site; SQLite connections are not shared across threads.
  thread_local std::unordered_map<std::uint64_t, std::unique_ptr<Store>> stores;
  auto& store = stores[id_];
  if (!store) {
    auto opened = open_store_();
    if (!opened.ok()) throw std::runtime_error(opened.status().message());
    store = std::move(*opened);
  }
  return *store;
}

void Site::RefreshGeneration() {
  const std::int64_t now = NowMs();
  std::int64_t due = next_check_ms_.load();
  if (now < due || !next_check_ms_.compare_exchange_strong(due, now + 200)) return;
  auto change = ThreadStore().LastChange();
  if (!change.ok()) return;
  std::lock_guard lock(cache_mutex_);
  if (*change != generation_) {
    cache_.clear();
    cache_bytes_ = 0;
    generation_ = *change;
  }
}

Response Site::Handle(const Request& request) {
  Response response;
  if (request.method != "GET" && request.method != "HEAD") {
    response = Error(request, 405, "Method not allowed: this address answers GET and HEAD.");
    response.Set("Allow", "GET, HEAD");
  } else if (!request.body.empty() || !request.Header("transfer-encoding").empty() ||
             (!request.Header("content-length").empty() &&
              request.Header("content-length") != "0")) {
    response = Error(request, 400, "A GET request must not have a body.");
  } else if (IsStaticPath(request.path)) {
    response = StaticFile(request, request.path);
  } else if (IsSearch(request.path)) {
    // Search follows the index, which trails the store by a moment: never cached.
    Cached fresh;
    fresh.response = Route(request, ThreadStore());
    fresh.response.Set("Cache-Control", "no-cache");
    response = Finish(request, fresh);
  } else {
    RefreshGeneration();
    // CASE answers carry absolute URIs built from the Host header: cache them per host.
    const std::string key = request.path.rfind("/ims/case/", 0) == 0
                                ? request.Header("host") + "\n" + request.target
                                : request.target;
    std::shared_ptr<const Cached> cached;
    {
      std::lock_guard lock(cache_mutex_);
      auto it = cache_.find(key);
      if (it != cache_.end()) cached = it->second;
    }
    if (!cached) {
      auto fresh = std::make_shared<Cached>();
      fresh->response = Route(request, ThreadStore());
      Response& r = fresh->response;
      if (r.Get("Cache-Control").empty()) r.Set("Cache-Control", "no-cache");
      if (r.status == 200) r.Set("ETag", StrongEtag(r.body));
      const std::string type = r.Get("Content-Type");
      if (r.body.size() > 512 && (type.rfind("text/", 0) == 0 || type == "application/json")) {
        fresh->gzipped = Gzip(r.body);
        r.Set("Vary", "Accept-Encoding");
      }
      cached = fresh;
      if (r.status == 200 || r.status == 404) {
        std::lock_guard lock(cache_mutex_);
        const std::size_t size = r.body.size() + fresh->gzipped.size() + key.size();
        if (cache_bytes_ + size > kMaxCacheBytes) {
          cache_.clear();
          cache_bytes_ = 0;
        }
        cache_bytes_ += size;
        cache_[key] = cached;
      }
    }
    response = Finish(request, *cached);
  }
  SecurityHeaders(response);
  return response;
}

Response Site::Finish(const Request& request, const Cached& cached) const {
  Response r;
  r.status = cached.response.status;
  r.headers = cached.response.headers;
  const std::string etag = r.Get("ETag");
  const std::string if_none_match = request.Header("if-none-match");
  if (!etag.empty() && (EtagMatches(if_none_match, etag) ||
                        EtagMatches(if_none_match, GzipEtag(etag)))) {
    r.status = 304;
    return r;
  }
  if (!cached.gzipped.empty() && AcceptsGzip(request.Header("accept-encoding"))) {
    r.Set("Content-Encoding", "gzip");
    if (!etag.empty()) r.Set("ETag", GzipEtag(etag));
    r.body = cached.gzipped;
  } else {
    r.body = cached.response.body;
  }
  return r;
}

Response Site::Route(const Request& request, Store& store) {
  Context ctx{request, store, {}, IsSearch(request.path) ? ThreadIndex() : nullptr};
  for (const RouteEntry& route : kRoutes) {
    if (Match(route.pattern, request.path, ctx.params)) return route.handler(ctx);
  }
  if (IsApi(request.path)) return JsonError(404, "No such API resource: " + request.path);
  return NotFoundPage(ctx, "There is no page at this address.");
}

}  // namespace opennos::web
