#include "web/site.h"

#include <chrono>
#include <stdexcept>

#include "storage/public_view.h"
#include "web/account_api.h"
#include "web/account_pages.h"
#include "web/admin_pages.h"
#include "web/analysis_api.h"
#include "web/analysis_pages.h"
#include "web/api.h"
#include "web/auth.h"
#include "web/authoring_api.h"
#include "web/authoring_pages.h"
#include "web/case_api.h"
#include "web/gzip.h"
#include "web/http/etag.h"
#include "web/pages.h"
#include "web/respond.h"
#include "web/static_files.h"
#include "web/suggestions.h"

namespace opennos::web {
namespace {

// The route table: every page and API call the site answers. To add a write, add a line with
// its method; the site makes sure only signed-in users (with a valid CSRF token for cookie
// sessions) or bearer tokens reach the handler, which checks the role (web/auth.h).
constexpr RouteEntry kRoutes[] = {
    {"GET", "/", pages::Home},
    {"GET", "/sign-in", account::SignInPage, Access::kPersonal},
    {"POST", "/sign-in", account::SignIn, Access::kSignInForm},
    {"POST", "/sign-out", account::SignOut, Access::kMember},
    {"GET", "/account", account::AccountPage, Access::kPersonal},
    {"POST", "/account/tokens", admin::CreateToken},
    {"POST", "/account/tokens/{id}/revoke", admin::RevokeToken},
    {"GET", "/account/password", admin::PasswordPage, Access::kPersonal},
    {"POST", "/account/password", admin::ChangePassword},
    {"GET", "/admin/organisations/{org}", admin::Organisation, Access::kPersonal},
    {"POST", "/admin/organisations/{org}/members", admin::AddMember},
    {"POST", "/admin/organisations/{org}/members/{user}/role", admin::SetMemberRole},
    {"POST", "/admin/organisations/{org}/members/{user}/remove", admin::RemoveMember},
    {"GET", "/admin/organisations/{org}/audit", admin::AuditLog, Access::kPersonal},
    {"GET", "/admin/organisations/{org}/import", admin::ImportPage, Access::kPersonal},
    {"POST", "/admin/organisations/{org}/import", admin::Import},
    {"GET", "/admin/organisations/{org}/export", admin::ExportPage, Access::kPersonal},
    {"GET", "/admin/organisations/{org}/export/{framework}", admin::Export, Access::kPersonal},
    // Authoring (docs/authoring.md): drafts are their organisation's, so every page is personal.
    {"GET", "/drafts", authoring_pages::Drafts, Access::kPersonal},
    {"POST", "/drafts", authoring_pages::CreateDraft},
    {"POST", "/drafts/editions", authoring_pages::CreateEdition},
    {"GET", "/drafts/{id}", authoring_pages::TaskList, Access::kPersonal},
    {"GET", "/drafts/{id}/details", authoring_pages::Details, Access::kPersonal},
    {"POST", "/drafts/{id}/details", authoring_pages::SaveDetails},
    {"GET", "/drafts/{id}/map", authoring_pages::Map, Access::kPersonal},
    {"POST", "/drafts/{id}/items", authoring_pages::AddItem},
    {"GET", "/drafts/{id}/items/{item}", authoring_pages::ItemPage, Access::kPersonal},
    {"POST", "/drafts/{id}/items/{item}", authoring_pages::SaveItem},
    {"POST", "/drafts/{id}/items/{item}/move", authoring_pages::MoveItem},
    {"GET", "/drafts/{id}/items/{item}/remove", authoring_pages::ConfirmRemove, Access::kPersonal},
    {"POST", "/drafts/{id}/items/{item}/remove", authoring_pages::RemoveItem},
    {"POST", "/drafts/{id}/items/{item}/restore", authoring_pages::Restore},
    {"GET", "/drafts/{id}/mappings", authoring_pages::Mappings, Access::kPersonal},
    {"POST", "/drafts/{id}/mappings", authoring_pages::SaveMapping},
    {"GET", "/drafts/{id}/publish", authoring_pages::CheckAnswers, Access::kPersonal},
    {"POST", "/drafts/{id}/publish", authoring_pages::Publish},
    {"GET", "/items/{uuid}/history", authoring_pages::History},
    {"GET", "/items/{uuid}/diff", authoring_pages::Diff},
    {"GET", "/review-dates", authoring_pages::ReviewDates},
    {"GET", "/about", pages::About},
    {"GET", "/search", pages::Search},
    {"GET", "/api/v1/search", api::Search},
    {"GET", "/suites", pages::Suites},
    {"GET", "/suites/{name}", pages::Suite},
    {"GET", "/suites/{name}/editions", analysis_pages::Editions},
    {"GET", "/suites/{name}/duplicates", analysis_pages::Duplicates},
    {"GET", "/suites/{name}/coverage", analysis_pages::Coverage},
    {"GET", "/suites/{name}/crosswalk", analysis_pages::Crosswalk},
    {"GET", "/suites/{name}/suggestions", suggestions::List, Access::kPersonal},
    {"POST", "/suites/{name}/suggestions", suggestions::Keep},
    {"POST", "/suites/{name}/suggestions/decisions", suggestions::Decide},
    {"GET", "/analysis/jobs/{id}", analysis_pages::Job},
    {"POST", "/analysis/jobs/{id}/cancel", analysis_pages::Cancel},
    {"GET", "/suites/{name}/download.{json|csv}", pages::SuiteDownload},
    {"GET", "/nos/{urn}", pages::Unit},
    {"GET", "/nos/{urn}/download.{json|csv}", pages::UnitDownload},
    {"GET", "/items/{uuid}", pages::ItemPage},
    {"GET", "/api/v1/openapi.json", api::OpenApi},
    {"GET", "/api/v1/frameworks", api::Frameworks},
    {"GET", "/api/v1/frameworks/{name}", api::Framework},
    {"GET", "/api/v1/frameworks/{name}/tree", api::Tree},
    {"GET", "/api/v1/frameworks/{name}/associations", api::FrameworkAssociations},
    {"GET", "/api/v1/frameworks/{name}/editions", analysis_api::Editions},
    {"GET", "/api/v1/frameworks/{name}/duplicates", analysis_api::Duplicates},
    {"GET", "/api/v1/frameworks/{name}/coverage", analysis_api::Coverage},
    {"GET", "/api/v1/frameworks/{name}/crosswalk", analysis_api::Crosswalk},
    {"GET", "/api/v1/frameworks/{name}/suggestions", suggestions::ApiList, Access::kPersonal},
    {"POST", "/api/v1/frameworks/{name}/suggestions", suggestions::ApiKeep},
    {"POST", "/api/v1/frameworks/{name}/suggestions/decisions", suggestions::ApiDecide},
    {"GET", "/api/v1/analysis/jobs/{id}", analysis_api::Job},
    {"POST", "/api/v1/analysis/jobs/{id}/cancel", analysis_api::Cancel},
    {"GET", "/api/v1/items/{uuid}", api::Item},
    {"GET", "/api/v1/items/{uuid}/associations", api::ItemAssociations},
    {"GET", "/api/v1/units/{urn}", api::Unit},
    {"GET", "/api/v1/drafts", authoring_api::Drafts, Access::kPersonal},
    {"POST", "/api/v1/frameworks", authoring_api::CreateDraft},
    {"POST", "/api/v1/frameworks/{name}/editions", authoring_api::CreateEdition},
    {"PATCH", "/api/v1/frameworks/{name}", authoring_api::PatchFramework},
    {"POST", "/api/v1/frameworks/{name}/items", authoring_api::AddItem},
    {"GET", "/api/v1/frameworks/{name}/checks", authoring_api::Checks, Access::kPersonal},
    {"PUT", "/api/v1/frameworks/{name}/mappings", authoring_api::Mappings},
    {"POST", "/api/v1/frameworks/{name}/publish", authoring_api::Publish},
    {"PATCH", "/api/v1/items/{uuid}", authoring_api::PatchItem},
    {"DELETE", "/api/v1/items/{uuid}", authoring_api::DeleteItem},
    {"POST", "/api/v1/items/{uuid}/move", authoring_api::MoveItem},
    {"POST", "/api/v1/items/{uuid}/restore", authoring_api::Restore},
    {"GET", "/api/v1/items/{uuid}/revisions", authoring_api::ItemRevisions},
    {"GET", "/api/v1/items/{uuid}/diff", authoring_api::ItemDiff},
    {"GET", "/api/v1/review-dates", authoring_api::ReviewDates},
    {"GET", "/api/v1/me", account_api::Me, Access::kPersonal},
    {"GET", "/api/v1/tokens", account_api::Tokens, Access::kPersonal},
    {"POST", "/api/v1/tokens", account_api::CreateToken},
    {"DELETE", "/api/v1/tokens/{id}", account_api::DeleteToken},
    {"GET", "/api/v1/organisations/{org}/members", account_api::Members, Access::kPersonal},
    {"PUT", "/api/v1/organisations/{org}/members/{email}", account_api::PutMember},
    {"DELETE", "/api/v1/organisations/{org}/members/{email}", account_api::DeleteMember},
    {"GET", "/api/v1/organisations/{org}/audit", account_api::Audit, Access::kPersonal},
    {"POST", "/api/v1/organisations/{org}/import", account_api::Import},
    {"GET", "/api/v1/organisations/{org}/export/{framework}", account_api::Export,
     Access::kPersonal},
    // The CASE service; {version} is v1p1 or v1p0 (case_api.h). The last two answer any other
    // address under it with the CASE status payload.
    {"GET", "/ims/case/{version}/CFDocuments", case_api::Documents},
    {"GET", "/ims/case/{version}/CFDocuments/{id}", case_api::Document},
    {"GET", "/ims/case/{version}/CFPackages/{id}", case_api::Package},
    {"GET", "/ims/case/{version}/CFItems/{id}", case_api::Item},
    {"GET", "/ims/case/{version}/CFItemAssociations/{id}", case_api::ItemAssociations},
    {"GET", "/ims/case/{version}/CFAssociations/{id}", case_api::Association},
    {"GET", "/ims/case/{version}/CFAssociationGroupings/{id}", case_api::AssociationGrouping},
    {"GET", "/ims/case/{version}/CFConcepts/{id}", case_api::Concept},
    {"GET", "/ims/case/{version}/CFItemTypes/{id}", case_api::ItemType},
    {"GET", "/ims/case/{version}/CFLicenses/{id}", case_api::License},
    {"GET", "/ims/case/{version}/CFSubjects/{id}", case_api::Subject},
    {"GET", "/ims/case/{version}/CFRubrics/{id}", case_api::Rubric},
    {"GET", "/ims/case/{version}/discovery/{file}", case_api::Discovery},
    {"GET", "/ims/case/{version}/{what}", case_api::Unknown},
    {"GET", "/ims/case/{version}/{what}/{id}", case_api::Unknown},
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

std::span<const RouteEntry> Site::Routes() { return kRoutes; }

Site::Site(StoreFactory open_store, IndexFactory open_index, SiteOptions options)
    : id_(next_site_id++),
      open_store_(std::move(open_store)),
      open_index_(std::move(open_index)),
      options_(std::move(options)),
      jobs_(std::make_unique<AnalysisJobs>(open_store_, options_.analysis)) {}

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

namespace {

bool IsWrite(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// The routes whose pattern matches the path (any method), and the one for this method.
struct RouteMatch {
  const RouteEntry* route = nullptr;
  std::vector<std::string> params;
  std::string allow;  // the methods the path answers, for a 405
};

RouteMatch FindRoute(std::string_view method, std::string_view path) {
  RouteMatch m;
  std::vector<std::string> params;
  const std::string_view wanted = method == "HEAD" ? "GET" : method;
  for (const RouteEntry& route : kRoutes) {
    if (!Match(route.pattern, path, params)) continue;
    const std::string name = route.method == "GET" ? "GET, HEAD" : std::string(route.method);
    if (m.allow.find(name) == std::string::npos) m.allow += (m.allow.empty() ? "" : ", ") + name;
    if (m.route == nullptr && route.method == wanted) {
      m.route = &route;
      m.params = params;
    }
  }
  return m;
}

// 405, naming the methods the path answers (GET and HEAD where it answers none).
Response NotAllowed(const Request& request, const RouteMatch& match) {
  const std::string allow = match.allow.empty() ? "GET, HEAD" : match.allow;
  Response r = Error(request, 405, "Method not allowed: this address answers " + allow + ".");
  r.Set("Allow", allow);
  return r;
}

// Writes and reads by someone signed in are the user's own: never shared or stored.
void MarkPrivate(Response& r) { r.Set("Cache-Control", "private, no-store"); }

}  // namespace

Response Site::Handle(const Request& request) {
  Response response = Dispatch(request);
  SecurityHeaders(response);
  return response;
}

Response Site::Dispatch(const Request& request) {
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (!read && !IsWrite(request.method)) return NotAllowed(request, {});
  if (read && (!request.body.empty() || !request.Header("transfer-encoding").empty() ||
               (!request.Header("content-length").empty() &&
                request.Header("content-length") != "0"))) {
    return Error(request, 400, "A GET request must not have a body.");
  }
  if (IsStaticPath(request.path)) {
    return read ? StaticFile(request, request.path) : NotAllowed(request, {});
  }
  // The CASE service is public and ignores credentials (docs/case-service.md).
  const bool is_case = request.path.rfind("/ims/case/", 0) == 0;
  const bool credentials = !is_case && (!BearerToken(request).empty() ||
                                        !CookieValue(request, kSessionCookie).empty());
  // A read without credentials may be answered from the cache, before any routing.
  if (read && !credentials) return Shared(request);
  RouteMatch match = FindRoute(request.method, request.path);
  if (match.route == nullptr && (!read || !match.allow.empty())) return NotAllowed(request, match);
  return Personal(request, match.route, std::move(match.params));
}

Response Site::Shared(const Request& request) {
  if (IsSearch(request.path)) {
    // Search follows the index, which trails the store by a moment: never cached.
    Cached fresh;
    fresh.response = Route(request, ThreadStore());
    fresh.response.Set("Cache-Control", "no-cache");
    return Finish(request, fresh);
  }
  RefreshGeneration();
  std::int64_t generation;  // what the answer below is computed from, at the latest
  {
    std::lock_guard lock(cache_mutex_);
    generation = generation_;
  }
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
    // An answer that changes without the store changing (an analysis in progress, a job's
    // state) says no-store: it is neither cached (below) nor given an ETag.
    const bool volatile_answer = r.Get("Cache-Control").find("no-store") != std::string::npos;
    if (r.Get("Cache-Control").empty()) r.Set("Cache-Control", "no-cache");
    if (r.status == 200 && !volatile_answer && r.Get("ETag").empty()) {
      r.Set("ETag", StrongEtag(r.body));
    }
    const std::string type = r.Get("Content-Type");
    if (r.body.size() > 512 && (type.rfind("text/", 0) == 0 || type == "application/json")) {
      fresh->gzipped = Gzip(r.body);
      r.Set("Vary", "Accept-Encoding");
    }
    cached = fresh;
    // Never keep what was meant for one client.
    const bool shareable = r.Get("Set-Cookie").empty() &&
                           r.Get("Cache-Control").find("private") == std::string::npos &&
                           r.Get("Cache-Control").find("no-store") == std::string::npos;
    std::lock_guard lock(cache_mutex_);
    // An answer computed before the store last changed is not kept for later readers.
    if ((r.status == 200 || r.status == 404) && shareable && generation == generation_) {
      const std::size_t size = r.body.size() + fresh->gzipped.size() + key.size();
      if (cache_bytes_ + size > kMaxCacheBytes) {
        cache_.clear();
        cache_bytes_ = 0;
      }
      cache_bytes_ += size;
      cache_[key] = cached;
    }
  }
  return Finish(request, *cached);
}

Response Site::Personal(const Request& request, const RouteEntry* route,
                        std::vector<std::string> params) {
  Store& store = ThreadStore();
  PublicView view(store);
  Context ctx{request, view, std::move(params),
              IsSearch(request.path) ? ThreadIndex() : nullptr};
  ctx.full_store = &store;
  ctx.options = &options_;
  ctx.jobs = jobs_.get();
  ctx.now = options_.clock ? options_.clock() : NowSeconds();
  ctx.address = ClientAddress(request, options_);
  // Who is asking: a bearer token first, else a session cookie.
  std::optional<Principal> user;
  bool stale_cookie = false;
  const std::string bearer = BearerToken(request);
  const std::string cookie = CookieValue(request, kSessionCookie);
  if (request.path.rfind("/ims/case/", 0) != 0) {
    if (!bearer.empty()) {
      auto found = PrincipalFromToken(store.Accounts(), bearer, ctx.now);
      if (!found.ok()) throw std::runtime_error(found.status().message());
      if (!*found) {
        Response r = Unauthorised(ctx);
        r.Set("WWW-Authenticate", "Bearer realm=\"opennos\", error=\"invalid_token\"");
        if (IsApi(request.path)) {
          r = JsonError(401, "The API token is not valid (revoked, or never issued).");
          r.Set("WWW-Authenticate", "Bearer realm=\"opennos\", error=\"invalid_token\"");
        }
        MarkPrivate(r);
        return r;
      }
      user = std::move(**found);
    } else if (!cookie.empty()) {
      auto found = PrincipalFromSession(store.Accounts(), cookie, ctx.now, options_.auth);
      if (!found.ok()) throw std::runtime_error(found.status().message());
      if (*found) {
        user = std::move(**found);
      } else {
        stale_cookie = true;
      }
    }
  }
  if (user) ctx.user = &*user;
  Form form;
  if (IsWrite(request.method) && HasFormBody(request)) {
    auto parsed = ParseForm(request);
    if (!parsed.ok()) {
      Response r = Error(request, 400, parsed.status().message());
      MarkPrivate(r);
      return r;
    }
    form = std::move(*parsed);
    ctx.form = &form;
  }
  Response r = RunPersonal(ctx, route);
  // After a write through this site, the next shared answer checks the store first: whoever
  // wrote sees their change at once, not within the check's 200 ms.
  if (IsWrite(request.method)) next_check_ms_.store(0);
  MarkPrivate(r);
  if (stale_cookie && r.Get("Set-Cookie").empty()) {
    r.Set("Set-Cookie", CookieHeader(kSessionCookie, "", 0, "Lax",
                                     WantsSecureCookies(request, options_)));
  }
  return r;
}

Response Site::RunPersonal(const Context& ctx, const RouteEntry* route) {
  const Request& request = ctx.request;
  if (route == nullptr) {  // a GET with credentials to an address that has no page
    if (IsApi(request.path)) return JsonError(404, "No such API resource: " + request.path);
    return NotFoundPage(ctx, "There is no page at this address.");
  }
  if (IsWrite(request.method) && route->access != Access::kSignInForm) {
    if (ctx.user == nullptr) return Unauthorised(ctx);
    if (ctx.user->via == Principal::Via::kSession) {
      const std::string origin = request.Header("origin");
      const std::string scheme = WantsSecureCookies(request, options_) ? "https://" : "http://";
      if (!origin.empty() && origin != scheme + request.Header("host") &&
          origin != "https://" + request.Header("host")) {
        return Forbidden(ctx, "This request came from another site, so it was refused.");
      }
      if (!CsrfTokenValid(ctx)) {
        return Forbidden(ctx, "The form had expired or did not come from this site. Go back, "
                              "reload the page and try again.");
      }
    }
  }
  return route->handler(ctx);
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
  RouteMatch match = FindRoute(request.method, request.path);
  if (match.route == nullptr && !match.allow.empty()) return NotAllowed(request, match);
  // A page that depends on who asks is answered privately even to nobody: never cached.
  if (match.route != nullptr && match.route->access == Access::kPersonal) {
    return Personal(request, match.route, std::move(match.params));
  }
  PublicView view(store);
  Context ctx{request, view, {}, IsSearch(request.path) ? ThreadIndex() : nullptr};
  ctx.full_store = &store;
  ctx.options = &options_;
  ctx.jobs = jobs_.get();
  if (match.route != nullptr) {
    ctx.params = std::move(match.params);
    return match.route->handler(ctx);
  }
  if (IsApi(request.path)) return JsonError(404, "No such API resource: " + request.path);
  return NotFoundPage(ctx, "There is no page at this address.");
}

}  // namespace opennos::web
