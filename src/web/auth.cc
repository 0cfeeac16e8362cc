#include "web/auth.h"

#include <cctype>
#include <stdexcept>

#include "app/crypto.h"

namespace opennos::web {
namespace {

bool IsApiPath(std::string_view path) { return path.rfind("/api/", 0) == 0; }

}  // namespace

Response Unauthorised(const Context& ctx) {
  if (IsApiPath(ctx.request.path)) {
    Response r = JsonError(401, "Sign in, or send an API token as \"Authorization: Bearer TOKEN\".");
    r.Set("WWW-Authenticate", "Bearer realm=\"opennos\"");
    return r;
  }
  const bool read = ctx.request.method == "GET" || ctx.request.method == "HEAD";
  const std::string next = PercentEncode(read ? ctx.request.target : "/account");
  if (read) {  // a page that needs sign-in: go there, and come back after
    Response r{303, {{"Content-Type", "text/plain; charset=utf-8"}}, "Sign in first.\n"};
    r.Set("Location", "/sign-in?next=" + next);
    return r;
  }
  boost::json::object model;
  model["title"] = "Sign in to continue";
  model["next_encoded"] = next;
  return HtmlPage(401, "unauthorised", std::move(model), ctx);
}

Response Forbidden(const Context& ctx, const std::string& message) {
  if (IsApiPath(ctx.request.path)) return JsonError(403, message);
  boost::json::object model;
  model["title"] = "You cannot do this";
  model["message"] = message;
  return HtmlPage(403, "forbidden", std::move(model), ctx);
}

std::optional<Response> RequireSignIn(const Context& ctx) {
  if (ctx.user == nullptr) return Unauthorised(ctx);
  return std::nullopt;
}

std::optional<Response> Require(const Context& ctx, std::string_view organisation_id,
                                Permission p) {
  if (ctx.user == nullptr) return Unauthorised(ctx);
  if (ctx.user->Can(organisation_id, p)) return std::nullopt;
  const auto role = ctx.user->RoleIn(organisation_id);
  if (!role) {
    return Forbidden(ctx, "Only members of the organisation that owns this can do this.");
  }
  return Forbidden(ctx, "Your role (" + std::string(RoleName(*role)) +
                            ") does not allow this: it needs the permission " +
                            std::string(PermissionName(p)) + ".");
}

std::optional<Response> RequireOnFramework(const Context& ctx, std::string_view framework_uuid,
                                           Permission p) {
  if (ctx.user == nullptr) return Unauthorised(ctx);
  auto owner = ctx.store.Accounts().FrameworkOwner(framework_uuid);
  if (!owner.ok()) throw std::runtime_error(owner.status().message());
  if (owner->empty()) {
    return Forbidden(ctx, "This framework belongs to no organisation, so nobody can change it "
                          "through the site.");
  }
  return Require(ctx, *owner, p);
}

Actor ActorOf(const Context& ctx) {
  if (ctx.user != nullptr) return ctx.user->AsActor(ctx.address);
  return {"", "anonymous", ctx.address};
}

void AuditWrite(const Context& ctx, std::string_view organisation_id, std::string_view action,
                std::string_view target, std::string_view detail) {
  Status s = Audit(ctx.store.Accounts(), ActorOf(ctx), organisation_id, action, target, detail,
                   ctx.now);
  if (!s.ok()) throw std::runtime_error("audit log: " + s.message());
}

std::string CookieValue(const Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return "";
}

std::string CookieHeader(std::string_view name, std::string_view value, std::int64_t max_age,
                         std::string_view same_site, bool secure) {
  std::string out = std::string(name) + "=" + std::string(value) +
                    "; Path=/; Max-Age=" + std::to_string(max_age) +
                    "; HttpOnly; SameSite=" + std::string(same_site);
  if (secure) out += "; Secure";
  return out;
}

bool WantsSecureCookies(const Request& request, const SiteOptions& options) {
  if (options.secure_cookies) return true;
  return options.behind_proxy && request.Header("x-forwarded-proto") == "https";
}

std::string ClientAddress(const Request& request, const SiteOptions& options) {
  if (options.behind_proxy) {
    std::string forwarded = request.Header("x-forwarded-for");
    const size_t comma = forwarded.rfind(',');
    std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
    while (!last.empty() && last.front() == ' ') last.erase(0, 1);
    while (!last.empty() && last.back() == ' ') last.pop_back();
    if (!last.empty() && last.size() <= 64) return last;
  }
  return request.remote_address.empty() ? "unknown" : request.remote_address;
}

std::string BearerToken(const Request& request) {
  const std::string header = request.Header("authorization");
  if (header.size() < 7) return "";
  std::string scheme = header.substr(0, 7);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return "";
  std::string token = header.substr(7);
  while (!token.empty() && token.front() == ' ') token.erase(0, 1);
  while (!token.empty() && token.back() == ' ') token.pop_back();
  return token;
}

bool CsrfTokenValid(const Context& ctx) {
  if (ctx.user == nullptr) return false;
  if (ctx.user->via == Principal::Via::kToken) return true;
  std::string sent = ctx.request.Header("x-csrf-token");
  if (sent.empty() && ctx.form != nullptr) sent = ctx.form->Get("csrf_token");
  return !sent.empty() && ConstantTimeEquals(sent, ctx.user->csrf_token);
}

std::string SafeNext(std::string_view next, std::string_view fallback) {
  const bool local = next.size() >= 1 && next.front() == '/' &&
                     (next.size() == 1 || (next[1] != '/' && next[1] != '\\')) &&
                     next.find_first_of("\r\n\\") == std::string_view::npos;
  return std::string(local ? next : fallback);
}

}  // namespace opennos::web
