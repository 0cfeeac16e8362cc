#include "web/account_pages.h"

#include <cctype>

#include "app/crypto.h"
#include "web/auth.h"

namespace opennos::web::account {
namespace {

namespace json = boost::json;

// The pre-session cookie lives this long: a sign-in form older than that must be reloaded.
constexpr std::int64_t kSignInFormSeconds = 60 * 60;

const SiteOptions& OptionsOf(const Context& ctx) {
  static const SiteOptions defaults;
  return ctx.options != nullptr ? *ctx.options : defaults;
}

// The sign-in form's CSRF token: an HMAC of the pre-session cookie under a server secret kept
// in the store, so that every server process agrees and nothing is stored per visitor.
std::string SignInToken(const Context& ctx, std::string_view pre_session) {
  auto secret = ctx.store.Accounts().ServerSecret("sign-in-csrf", RandomToken(32));
  if (!secret.ok()) throw std::runtime_error(secret.status().message());
  return Hmac(*secret, "sign-in:" + std::string(pre_session));
}

// A pre-session cookie value is what RandomToken(24) makes: 32 base64url characters.
bool LooksLikeToken(std::string_view v) {
  if (v.size() != 32) return false;
  for (char c : v) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// The sign-in page, with any errors. Sets a fresh pre-session cookie when the browser has none.
Response SignInForm(const Context& ctx, int status, const std::vector<FieldError>& errors,
                    const std::string& email, const std::string& next) {
  std::string pre = CookieValue(ctx.request, kSignInCookie);
  const bool fresh = !LooksLikeToken(pre);
  if (fresh) pre = RandomToken(24);
  json::object model;
  model["title"] = "Sign in";
  model["csrf_token_signin"] = SignInToken(ctx, pre);
  model["next"] = SafeNext(next);
  model["email"] = email;
  AddFieldErrors(model, errors);
  model["nav_sign_in"] = true;
  Response r = HtmlPage(status, "sign_in", std::move(model), ctx);
  if (fresh) {
    r.Set("Set-Cookie", CookieHeader(kSignInCookie, pre, kSignInFormSeconds, "Strict",
                                     WantsSecureCookies(ctx.request, OptionsOf(ctx))));
  }
  return r;
}

std::string Minutes(std::int64_t seconds) {
  const std::int64_t minutes = (seconds + 59) / 60;
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

}  // namespace

Response SignInPage(const Context& ctx) {
  const std::string next = SafeNext(ctx.request.Query("next"));
  if (ctx.user != nullptr) return Redirect(next);
  return SignInForm(ctx, 200, {}, "", next);
}

Response SignIn(const Context& ctx) {
  const std::string email = ctx.form != nullptr ? ctx.form->Get("email") : "";
  const std::string password = ctx.form != nullptr ? ctx.form->Get("password") : "";
  const std::string sent = ctx.form != nullptr ? ctx.form->Get("csrf_token") : "";
  const std::string next = SafeNext(ctx.form != nullptr ? ctx.form->Get("next") : "");
  // The form must come from this site's sign-in page: its token matches the browser's
  // pre-session cookie. Otherwise nothing is checked or counted.
  const std::string pre = CookieValue(ctx.request, kSignInCookie);
  if (!LooksLikeToken(pre) || sent.empty() || !ConstantTimeEquals(sent, SignInToken(ctx, pre))) {
    return SignInForm(ctx, 403,
                      {{"email", "The sign-in form had expired. Enter your email address and "
                                 "password again"}},
                      email, next);
  }
  std::vector<FieldError> errors;
  if (NormaliseEmail(email).empty()) errors.push_back({"email", "Enter your email address"});
  if (password.empty()) errors.push_back({"password", "Enter your password"});
  if (!errors.empty()) return SignInForm(ctx, 400, errors, email, next);

  const SiteOptions& options = OptionsOf(ctx);
  auto result = opennos::SignIn(ctx.store.Accounts(), email, password, ctx.address, ctx.now,
                                options.auth);
  if (!result.ok()) throw std::runtime_error(result.status().message());
  switch (result->outcome) {
    case SignInResult::Outcome::kLocked: {
      Response r = SignInForm(
          ctx, 429,
          {{"email", "There have been too many failed attempts to sign in. Try again in " +
                         Minutes(result->retry_after)}},
          email, next);
      r.Set("Retry-After", std::to_string(result->retry_after));
      return r;
    }
    case SignInResult::Outcome::kWrongCredentials:
      return SignInForm(ctx, 401, {{"email", "Enter a correct email address and password"}},
                        email, next);
    case SignInResult::Outcome::kSignedIn:
      break;
  }
  const bool secure = WantsSecureCookies(ctx.request, options);
  Response r = Redirect(next);
  // Two cookies: the session's, and the end of the pre-session one.
  r.headers.emplace_back("Set-Cookie",
                         CookieHeader(kSessionCookie, result->cookie,
                                      options.auth.session_max_seconds, "Lax", secure));
  r.headers.emplace_back("Set-Cookie", CookieHeader(kSignInCookie, "", 0, "Strict", secure));
  return r;
}

Response SignOut(const Context& ctx) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  if (Status s = opennos::SignOut(ctx.store.Accounts(), *ctx.user, ctx.address, ctx.now);
      !s.ok()) {
    throw std::runtime_error(s.message());
  }
  Response r = Redirect("/");
  r.Set("Set-Cookie", CookieHeader(kSessionCookie, "", 0, "Lax",
                                   WantsSecureCookies(ctx.request, OptionsOf(ctx))));
  return r;
}

Response AccountPage(const Context& ctx) {
  if (ctx.user == nullptr) return Redirect("/sign-in?next=%2Faccount");
  json::object model;
  model["title"] = "Your account";
  model["email"] = ctx.user->user.email;
  json::array memberships;
  for (const Membership& m : ctx.user->memberships) {
    memberships.push_back(json::object{
        {"organisation", m.organisation_name},
        {"organisation_id", m.organisation_id},
        {"role", std::string(RoleName(m.role))},
        {"admin", RoleAllows(m.role, Permission::kManageMembers)}});
  }
  model["has_memberships"] = !memberships.empty();
  model["memberships"] = std::move(memberships);
  auto tokens = ctx.store.Accounts().TokensOf(ctx.user->user.id);
  if (!tokens.ok()) throw std::runtime_error(tokens.status().message());
  json::array token_rows;
  for (const ApiToken& t : *tokens) {
    token_rows.push_back(json::object{{"id", t.id},
                                      {"name", t.name},
                                      {"created", UtcTime(t.created_at)},
                                      {"last_used", UtcTime(t.last_used_at)}});
  }
  model["has_tokens"] = !token_rows.empty();
  model["tokens"] = std::move(token_rows);
  model["nav_account"] = true;
  return HtmlPage(200, "account", std::move(model), ctx);
}

}  // namespace opennos::web::account
