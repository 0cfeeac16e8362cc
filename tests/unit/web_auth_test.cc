// Signing in and out through the site (web/site.h, web/account_pages.h, web/auth.h), without
// sockets: the sign-in form and its CSRF token, session cookies and their attributes, the
// header for someone signed in, answers for one user never shared through the response cache,
// CSRF on every cookie-authenticated write, bearer tokens, and no write route open to nobody.

#include <gtest/gtest.h>

#include <regex>

#include "app/accounts.h"
#include "app/demo.h"
#include "storage/sqlite/sqlite_store.h"
#include "unit/test_support.h"
#include "unit/web_request.h"
#include "web/auth.h"
#include "web/site.h"

namespace opennos::web {
namespace {

using test::Headers;

const char kPassword[] = "a long enough password";
const char kForm[] = "application/x-www-form-urlencoded";

// A request from a client at 192.0.2.10 to the host opennos.test.
Request MakeRequest(std::string method, const std::string& target, Headers headers = {},
                    std::string body = "") {
  Request request = test::MakeRequest(std::move(method), target, std::move(headers),
                                      std::move(body));
  request.headers.emplace_back("host", "opennos.test");
  request.remote_address = "192.0.2.10";
  return request;
}

// Every Set-Cookie value of a response.
std::vector<std::string> SetCookies(const Response& r) {
  std::vector<std::string> out;
  for (const auto& [name, value] : r.headers) {
    if (name == "Set-Cookie") out.push_back(value);
  }
  return out;
}

// NAME=VALUE of the Set-Cookie for `name`; empty if none.
std::string CookieFrom(const Response& r, const std::string& name) {
  for (const std::string& c : SetCookies(r)) {
    if (c.rfind(name + "=", 0) == 0) return c.substr(0, c.find(';'));
  }
  return "";
}

std::string HiddenField(const std::string& html, const std::string& name) {
  const std::regex field("name=\"" + name + "\" value=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(html, m, field) ? m[1].str() : "";
}

std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    out += (out.empty() ? "" : "&") + PercentEncode(k) + "=" + PercentEncode(v);
  }
  return out;
}

class AuthSiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    auto store = test::OpenStoreIn(dir_->path());
    ASSERT_TRUE(LoadDemo(*store).ok());
    const Actor root = CommandLineActor("root");
    ASSERT_TRUE(AddUser(store->Accounts(), "editor@example.org",
                        std::string(DemoOrganisationId()), Role::kEditor, kPassword, root,
                        NowSeconds())
                    .ok());
  }
  static void TearDownTestSuite() { delete dir_; }

  AuthSiteTest() : site_(Factory(), {}, Options()) {}

  static StoreFactory Factory() {
    const std::string db = test::DatabaseIn(dir_->path());
    return [db] { return OpenSqliteStore(db, false); };
  }
  static SiteOptions Options() {
    SiteOptions o;
    o.auth.account_failures = 3;
    return o;
  }

  Response Handle(const std::string& method, const std::string& target, Headers headers = {},
                  std::string body = "") {
    return site_.Handle(MakeRequest(method, target, std::move(headers), std::move(body)));
  }

  // Signs in through the form; returns the session cookie ("opennos_session=...").
  std::string SignIn(const std::string& email = "editor@example.org",
                     const std::string& password = kPassword) {
    const Response page = Handle("GET", "/sign-in");
    EXPECT_EQ(page.status, 200);
    const std::string pre = CookieFrom(page, "opennos_signin");
    const Response r = Handle("POST", "/sign-in", {{"cookie", pre}, {"content-type", kForm}},
                              FormBody({{"csrf_token", HiddenField(page.body, "csrf_token")},
                                        {"email", email},
                                        {"password", password},
                                        {"next", "/suites"}}));
    EXPECT_EQ(r.status, 303) << r.body;
    return CookieFrom(r, "opennos_session");
  }
  // The CSRF token the pages of a session carry.
  std::string CsrfOf(const std::string& session) {
    return HiddenField(Handle("GET", "/account", {{"cookie", session}}).body, "csrf_token");
  }
  std::int64_t Sessions() {
    return test::QueryInt(test::DatabaseIn(dir_->path()), "SELECT count(*) FROM sessions");
  }

  static inline test::ScratchDir* dir_ = nullptr;
  Site site_;
};

TEST_F(AuthSiteTest, TheSignInFormCarriesACsrfTokenTiedToAPreSessionCookie) {
  const Response page = Handle("GET", "/sign-in");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.Get("Cache-Control"), "private, no-store");
  const std::vector<std::string> cookies = SetCookies(page);
  ASSERT_EQ(cookies.size(), 1u);
  EXPECT_NE(cookies[0].find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookies[0].find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookies[0].find("Secure"), std::string::npos);  // plain HTTP by default
  EXPECT_FALSE(HiddenField(page.body, "csrf_token").empty());
  EXPECT_NE(page.body.find("autocomplete=\"current-password\""), std::string::npos);
  // The same browser keeps its cookie and gets the same token.
  const std::string pre = CookieFrom(page, "opennos_signin");
  const Response again = Handle("GET", "/sign-in", {{"cookie", pre}});
  EXPECT_TRUE(SetCookies(again).empty());
  EXPECT_EQ(HiddenField(again.body, "csrf_token"), HiddenField(page.body, "csrf_token"));
}

TEST_F(AuthSiteTest, SigningInSetsAnHttpOnlySameSiteSessionCookieAndGoesOn) {
  const Response page = Handle("GET", "/sign-in");
  const Response r = Handle(
      "POST", "/sign-in",
      {{"cookie", CookieFrom(page, "opennos_signin")}, {"content-type", kForm}},
      FormBody({{"csrf_token", HiddenField(page.body, "csrf_token")},
                {"email", "Editor@Example.org"},
                {"password", kPassword},
                {"next", "/suites/ML"}}));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Get("Location"), "/suites/ML");
  std::string session;
  for (const std::string& c : SetCookies(r)) {
    if (c.rfind("opennos_session=", 0) == 0) session = c;
  }
  ASSERT_FALSE(session.empty());
  EXPECT_NE(session.find("HttpOnly"), std::string::npos);
  EXPECT_NE(session.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(session.find("Path=/"), std::string::npos);
  EXPECT_NE(session.find("Max-Age=43200"), std::string::npos);
  EXPECT_EQ(r.body.find(kPassword), std::string::npos);
}

TEST_F(AuthSiteTest, CookiesAreSecureWhenConfiguredOrBehindAnHttpsProxy) {
  SiteOptions always = Options();
  always.secure_cookies = true;
  Site secure(Factory(), {}, always);
  EXPECT_NE(CookieFrom(secure.Handle(MakeRequest("GET", "/sign-in")), "opennos_signin"), "");
  for (const std::string& c : SetCookies(secure.Handle(MakeRequest("GET", "/sign-in")))) {
    EXPECT_NE(c.find("; Secure"), std::string::npos) << c;
  }
  SiteOptions proxied = Options();
  proxied.behind_proxy = true;
  Site behind(Factory(), {}, proxied);
  const auto https = behind.Handle(MakeRequest("GET", "/sign-in", {{"x-forwarded-proto", "https"}}));
  const auto http = behind.Handle(MakeRequest("GET", "/sign-in", {{"x-forwarded-proto", "http"}}));
  EXPECT_NE(SetCookies(https).at(0).find("; Secure"), std::string::npos);
  EXPECT_EQ(SetCookies(http).at(0).find("; Secure"), std::string::npos);
}

TEST_F(AuthSiteTest, ASignInWithoutTheFormsTokenIsRefusedBeforeAnyPasswordIsChecked) {
  const Response page = Handle("GET", "/sign-in");
  const std::string pre = CookieFrom(page, "opennos_signin");
  const std::string token = HiddenField(page.body, "csrf_token");
  const std::int64_t before = Sessions();
  const struct {
    const char* what;
    Headers headers;
    std::string token;
  } cases[] = {
      {"no cookie, no token", {{"content-type", kForm}}, ""},
      {"no token", {{"cookie", pre}, {"content-type", kForm}}, ""},
      {"no cookie", {{"content-type", kForm}}, token},
      {"a wrong token", {{"cookie", pre}, {"content-type", kForm}}, token + "x"},
      {"another browser's cookie",
       {{"cookie", "opennos_signin=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, {"content-type", kForm}},
       token},
  };
  for (const auto& c : cases) {
    const Response r = Handle("POST", "/sign-in", c.headers,
                              FormBody({{"csrf_token", c.token},
                                        {"email", "editor@example.org"},
                                        {"password", kPassword}}));
    EXPECT_EQ(r.status, 403) << c.what;
    EXPECT_TRUE(CookieFrom(r, "opennos_session").empty()) << c.what;
    EXPECT_NE(r.body.find("govuk-error-summary"), std::string::npos) << c.what;
  }
  EXPECT_EQ(Sessions(), before);
}

TEST_F(AuthSiteTest, WrongOrMissingCredentialsGetTheFormBackWithAnErrorSummary) {
  const Response page = Handle("GET", "/sign-in");
  const Headers headers{{"cookie", CookieFrom(page, "opennos_signin")}, {"content-type", kForm}};
  const std::string token = HiddenField(page.body, "csrf_token");
  const Response empty = Handle("POST", "/sign-in", headers,
                                FormBody({{"csrf_token", token}, {"email", ""}, {"password", ""}}));
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("Enter your email address"), std::string::npos);
  EXPECT_NE(empty.body.find("Enter your password"), std::string::npos);
  EXPECT_NE(empty.body.find("<title>Error: Sign in"), std::string::npos);
  const Response wrong = Handle("POST", "/sign-in", headers,
                                FormBody({{"csrf_token", token},
                                          {"email", "nobody@example.org"},
                                          {"password", "a guess at a password"}}));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("Enter a correct email address and password"), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"nobody@example.org\""), std::string::npos);
  EXPECT_EQ(wrong.body.find("a guess at a password"), std::string::npos);
}

TEST_F(AuthSiteTest, RepeatedFailuresLockTheAccountWith429AndRetryAfter) {
  {
    auto store = test::OpenStoreIn(dir_->path());
    ASSERT_TRUE(AddUser(store->Accounts(), "locked@example.org",
                        std::string(DemoOrganisationId()), Role::kViewer, kPassword,
                        CommandLineActor("root"), NowSeconds())
                    .ok());
  }
  auto attempt = [&](const std::string& password) {
    const Response page = Handle("GET", "/sign-in");
    return Handle("POST", "/sign-in",
                  {{"cookie", CookieFrom(page, "opennos_signin")}, {"content-type", kForm}},
                  FormBody({{"csrf_token", HiddenField(page.body, "csrf_token")},
                            {"email", "locked@example.org"},
                            {"password", password}}));
  };
  for (int i = 0; i < Options().auth.account_failures; ++i) {
    EXPECT_EQ(attempt("not the password").status, 401);
  }
  const std::int64_t before = Sessions();
  const Response locked = attempt(kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_FALSE(locked.Get("Retry-After").empty());
  EXPECT_NE(locked.body.find("too many failed attempts"), std::string::npos);
  EXPECT_TRUE(CookieFrom(locked, "opennos_session").empty());
  EXPECT_EQ(Sessions(), before);
}

TEST_F(AuthSiteTest, TheHeaderShowsWhoIsSignedInAndASignOutButton) {
  const std::string session = SignIn();
  const Response home = Handle("GET", "/", {{"cookie", session}});
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("editor@example.org"), std::string::npos);
  EXPECT_NE(home.body.find("action=\"/sign-out\""), std::string::npos);
  EXPECT_EQ(home.Get("Cache-Control"), "private, no-store");
  EXPECT_TRUE(home.Get("ETag").empty());
  const Response anonymous = Handle("GET", "/");
  EXPECT_EQ(anonymous.body.find("editor@example.org"), std::string::npos);
  EXPECT_NE(anonymous.body.find("href=\"/sign-in\""), std::string::npos);
  EXPECT_EQ(anonymous.Get("Cache-Control"), "no-cache");
}

TEST_F(AuthSiteTest, OneUsersPageNeverComesFromOrGoesIntoTheSharedCache) {
  const std::string session = SignIn();
  // Signed in first: the page must not be kept for others.
  EXPECT_NE(Handle("GET", "/suites", {{"cookie", session}}).body.find("editor@example.org"),
            std::string::npos);
  EXPECT_EQ(Handle("GET", "/suites").body.find("editor@example.org"), std::string::npos);
  // Anonymous first: the cached page must not be served to the user.
  EXPECT_EQ(Handle("GET", "/about").body.find("editor@example.org"), std::string::npos);
  EXPECT_NE(Handle("GET", "/about", {{"cookie", session}}).body.find("editor@example.org"),
            std::string::npos);
}

TEST_F(AuthSiteTest, SignOutNeedsTheSessionsCsrfTokenAndEndsTheSession) {
  const std::string session = SignIn();
  const std::string csrf = CsrfOf(session);
  ASSERT_FALSE(csrf.empty());
  const Headers form{{"cookie", session}, {"content-type", kForm}};
  EXPECT_EQ(Handle("POST", "/sign-out", form, "").status, 403);
  EXPECT_EQ(Handle("POST", "/sign-out", form, FormBody({{"csrf_token", "wrong"}})).status, 403);
  Headers evil = form;
  evil.emplace_back("origin", "https://evil.example");
  EXPECT_EQ(Handle("POST", "/sign-out", evil, FormBody({{"csrf_token", csrf}})).status, 403);
  EXPECT_EQ(Handle("GET", "/account", {{"cookie", session}}).status, 200);  // still signed in
  const Response out = Handle("POST", "/sign-out", form, FormBody({{"csrf_token", csrf}}));
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(out.Get("Set-Cookie").find("Max-Age=0"), std::string::npos);
  const Response after = Handle("GET", "/account", {{"cookie", session}});
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(after.Get("Location"), "/sign-in?next=%2Faccount");
}

TEST_F(AuthSiteTest, TheCsrfTokenMayComeAsAHeader) {
  const std::string session = SignIn();
  const Response out =
      Handle("POST", "/sign-out", {{"cookie", session}, {"x-csrf-token", CsrfOf(session)}});
  EXPECT_EQ(out.status, 303);
}

TEST_F(AuthSiteTest, APageThatNeedsSignInSendsYouThereAndBack) {
  const Response r = Handle("GET", "/account");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.Get("Location"), "/sign-in?next=%2Faccount");
  const Response page = Handle("GET", "/sign-in?next=%2Faccount");
  EXPECT_EQ(HiddenField(page.body, "next"), "/account");
  // Only paths on this site.
  for (const char* next : {"https://evil.example/", "//evil.example/", "/\\evil.example"}) {
    EXPECT_EQ(HiddenField(Handle("GET", "/sign-in?next=" + PercentEncode(next)).body, "next"),
              "/account")
        << next;
  }
}

TEST_F(AuthSiteTest, AnUnknownSessionCookieIsClearedAndThePageShownAsToNobody) {
  const Response r = Handle("GET", "/", {{"cookie", "opennos_session=made-up"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.Get("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/sign-in\""), std::string::npos);
}

TEST_F(AuthSiteTest, AnInvalidBearerTokenIs401) {
  const Response r = Handle("GET", "/api/v1/frameworks", {{"authorization", "Bearer nope"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.Get("WWW-Authenticate").find("invalid_token"), std::string::npos);
  // The CASE service ignores credentials.
  EXPECT_EQ(Handle("GET", "/ims/case/v1p1/CFDocuments", {{"authorization", "Bearer nope"}}).status,
            200);
}

TEST_F(AuthSiteTest, ABearerTokenSignsARequestInWithoutCsrf) {
  std::string secret;
  {
    auto store = test::OpenStoreIn(dir_->path());
    auto user = store->Accounts().FindUserByEmail("editor@example.org");
    ASSERT_TRUE(user.ok());
    auto issued = IssueToken(store->Accounts(), user->id, "test", CommandLineActor("root"),
                             NowSeconds());
    ASSERT_TRUE(issued.ok());
    secret = issued->secret;
  }
  const Response home = Handle("GET", "/", {{"authorization", "Bearer " + secret}});
  EXPECT_NE(home.body.find("editor@example.org"), std::string::npos);
  EXPECT_EQ(home.body.find("action=\"/sign-out\""), std::string::npos);  // no session to end
  EXPECT_EQ(Handle("POST", "/sign-out", {{"authorization", "Bearer " + secret}}).status, 303);
}

// No write in the route table reaches its handler without credentials; the sign-in form is the
// only one open, and it checks its own token.
TEST_F(AuthSiteTest, EveryWriteRouteRefusesARequestWithoutCredentials) {
  int writes = 0;
  for (const RouteEntry& route : Site::Routes()) {
    if (route.method == "GET") continue;
    ++writes;
    // A path for the pattern: each {x} becomes a plausible value.
    std::string path = std::regex_replace(std::string(route.pattern), std::regex("\\{[^}]*\\}"),
                                          "00000000-0000-4000-8000-000000000001");
    const Response r = Handle(std::string(route.method), path, {{"content-type", kForm}},
                              FormBody({{"csrf_token", "x"}}));
    if (route.access == Access::kSignInForm) {
      EXPECT_EQ(route.pattern, "/sign-in");
      EXPECT_EQ(r.status, 403) << route.method << " " << route.pattern;
    } else {
      EXPECT_EQ(r.status, 401) << route.method << " " << route.pattern;
    }
  }
  EXPECT_GT(writes, 0);
}

}  // namespace
}  // namespace opennos::web
