// The web site as one request handler (web/site.h), over a SQLite store holding the demo: its
// routes, methods, conditional requests, compression, caching and security headers. No sockets:
// tests/integration/server_test.py checks the same through the real server.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/demo.h"
#include "app/importer.h"
#include "storage/sqlite/sqlite_store.h"
#include "unit/test_support.h"
#include "unit/web_request.h"
#include "web/gzip.h"
#include "web/http/etag.h"
#include "web/site.h"
#include "web/static_files.h"

namespace opennos::web {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

const char kHtml[] = "text/html; charset=utf-8";
const char kJson[] = "application/json";
const char kText[] = "text/plain; charset=utf-8";
const char kCsv[] = "text/csv; charset=utf-8";
const char kYear[] = "public, max-age=31536000, immutable";

using test::MakeRequest;

StoreFactory OpenFactory(const std::string& db_path) {
  return [db_path] { return OpenSqliteStore(db_path, false); };
}

// One demo store for the whole suite (loading it is the slow part); a fresh Site, with an
// empty response cache, for each test.
class SiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    auto store = test::OpenStoreIn(dir_->path());
    auto loaded = LoadDemo(*store);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    auto units = store->FindUnitsByUrn("ODSMLA1");
    ASSERT_TRUE(units.ok() && units->size() == 2);
    unit_2012_ = new Item(units->back());
    auto doc = store->LoadFramework(unit_2012_->framework_uuid);
    ASSERT_TRUE(doc.ok());
    for (const Item& item : doc->items) {
      if (item.parent_uuid == unit_2012_->uuid) {
        statement_ = new Item(item);
        break;
      }
    }
    ASSERT_NE(statement_, nullptr);
  }
  static void TearDownTestSuite() {
    delete statement_;
    delete unit_2012_;
    delete dir_;
  }

  SiteTest() : site_(OpenFactory(test::DatabaseIn(dir_->path()))) {}

  Response Get(const std::string& target, Headers headers = {}) {
    return site_.Handle(MakeRequest("GET", target, std::move(headers)));
  }

  static inline test::ScratchDir* dir_ = nullptr;
  static inline Item* unit_2012_ = nullptr;  // ODSMLA1 in ML@2012
  static inline Item* statement_ = nullptr;  // its first performance criterion
  Site site_;
};

// --- Routes ------------------------------------------------------------------------------------

TEST_F(SiteTest, AnswersEveryRouteWithItsStatusAndContentType) {
  struct Case {
    std::string target;
    int status;
    std::string content_type;
  };
  const Case cases[] = {
      {"/", 200, kHtml},
      {"/?lang=cy", 200, kHtml},
      {"/about", 200, kHtml},
      {"/search?q=time", 200, kHtml},
      {"/suites", 200, kHtml},
      {"/suites/ML", 200, kHtml},
      {"/suites/ML@2012", 200, kHtml},
      {"/suites/ML/editions", 200, kHtml},
      {"/suites/ML/download.json", 200, kJson},
      {"/suites/CM@2023/download.csv", 200, kCsv},
      {"/nos/ODSMLC3", 200, kHtml},
      {"/nos/ODSMLA1?edition=2012", 200, kHtml},
      {"/nos/ODSMLC3/download.json", 200, kJson},
      {"/nos/ODSMLC3/download.csv", 200, kCsv},
      {"/items/" + statement_->uuid, 200, kHtml},
      {"/api/v1/openapi.json", 200, kJson},
      {"/api/v1/frameworks", 200, kJson},
      {"/api/v1/frameworks/ML", 200, kJson},
      {"/api/v1/frameworks/ML@2012", 200, kJson},
      {"/api/v1/frameworks/" + unit_2012_->framework_uuid, 200, kJson},
      {"/api/v1/frameworks/ML/tree", 200, kJson},
      {"/api/v1/frameworks/ML/associations", 200, kJson},
      {"/api/v1/frameworks/ML/editions", 200, kJson},
      {"/api/v1/items/" + statement_->uuid, 200, kJson},
      {"/api/v1/items/" + unit_2012_->uuid + "/associations", 200, kJson},
      {"/api/v1/units/ODSMLC3", 200, kJson},
      {"/api/v1/units/ODSMLA1?edition=2012", 200, kJson},
      {"/api/v1/search?q=time", 503, kJson},  // this Site has no search index
      {"/static/govuk-frontend-6.6.0.min.css", 200, "text/css; charset=utf-8"},
      {"/favicon.ico", 200, "image/x-icon"},
      {"/suites/NOPE", 404, kHtml},
      {"/nos/NOPE", 404, kHtml},
      {"/nos/ODSMLC3?edition=1999", 404, kHtml},
      {"/items/not-a-uuid", 404, kHtml},
      {"/api/v1/frameworks/NOPE", 404, kJson},
      {"/api/v1/frameworks/NOPE/tree", 404, kJson},
      {"/api/v1/items/00000000-0000-4000-8000-000000000000", 404, kJson},
      {"/api/v1/items/not-a-uuid", 400, kJson},
      {"/api/v1/items/not-a-uuid/associations", 400, kJson},
      {"/api/v1/units/ODSMLC3?edition=2012", 404, kJson},
      {"/static/nope.css", 404, kText},
  };
  for (const Case& c : cases) {
    const Response r = Get(c.target);
    EXPECT_EQ(r.status, c.status) << c.target;
    EXPECT_EQ(r.Get("Content-Type"), c.content_type) << c.target;
  }
}

TEST_F(SiteTest, RedirectsTheItemPageOfAUnitToItsStandard) {
  const Response r = Get("/items/" + unit_2012_->uuid);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.Get("Location"), "/nos/ODSMLA1?edition=2012");
}

TEST_F(SiteTest, MatchesRoutesOnWholeSegmentsOnly) {
  for (const char* target : {"/suitesX",
                             "/suites/",
                             "/suites/ML/",
                             "/suites/ML/editions/more",
                             "/about/",
                             "/suites/ML/download",
                             "/suites/ML/download.",
                             "/suites/ML/download.xml",
                             "/suites/ML/download.json.bak",
                             "/suites/ML/downloads.json",
                             "/suites/ML/.json",
                             "/nos//download.csv",
                             "/api/v1/frameworks/",
                             "/api/v1/frameworks//tree",
                             "/api/v1/frameworks/ML/tree/",
                             "/api/v1/frameworks/ML/leaves",
                             "/api/v1",
                             "/api/v1/",
                             "/api/v2/frameworks",
                             "/API/v1/frameworks",
                             "/Suites"}) {
    EXPECT_EQ(Get(target).status, 404) << target;
  }
}

TEST_F(SiteTest, AnswersUnknownAddressesWithJsonUnderApiAndAPageElsewhere) {
  const Response api = Get("/api/v1/nope");
  EXPECT_EQ(api.Get("Content-Type"), kJson);
  const auto error = boost::json::parse(api.body).at("error");
  EXPECT_EQ(error.at("status").as_int64(), 404);
  EXPECT_NE(error.at("message").as_string().find("/api/v1/nope"), std::string::npos);

  const Response page = Get("/nope");
  EXPECT_EQ(page.Get("Content-Type"), kHtml);
  EXPECT_NE(page.body.find("action=\"/search\""), std::string::npos);
}

TEST_F(SiteTest, ReadsPercentEncodedNamesAsTheirDecodedForm) {
  EXPECT_EQ(Get("/api/v1/frameworks/ML%402012").body, Get("/api/v1/frameworks/ML@2012").body);
  EXPECT_EQ(Get("/api/v1/units/odsmlc3").body, Get("/api/v1/units/ODSMLC3").body);
}

TEST_F(SiteTest, AnswersDependOnTheWholeTargetIncludingTheQuery) {
  EXPECT_NE(Get("/nos/ODSMLC3").body, Get("/nos/ODSMLC3?lang=cy").body);
  EXPECT_NE(Get("/nos/ODSMLC3?lang=cy").body.find("lang=\"cy\""), std::string::npos);
  // A page with no Welsh text stays English, and says so.
  EXPECT_EQ(Get("/?lang=cy").body.find("<html lang=\"cy\""), std::string::npos);
  const auto older = boost::json::parse(Get("/api/v1/units/ODSMLA1?edition=2012").body);
  const auto newer = boost::json::parse(Get("/api/v1/units/ODSMLA1").body);
  EXPECT_EQ(older.at("framework").at("edition"), "2012");
  EXPECT_EQ(newer.at("framework").at("edition"), "2024");
}

TEST_F(SiteTest, ServesAnOpenApiDocumentWhosePathsAllAnswer) {
  const auto doc = boost::json::parse(Get("/api/v1/openapi.json").body).as_object();
  EXPECT_EQ(doc.at("openapi"), "3.0.3");
  const std::string prefix(doc.at("servers").at(0).at("url").as_string());
  ASSERT_EQ(prefix, "/api/v1");
  // An analysis job, for the job's own address.
  const Response accepted = Get("/api/v1/frameworks/CM/duplicates?threshold=0.99&wait=0");
  ASSERT_EQ(accepted.status, 202);
  const std::string job(boost::json::parse(accepted.body).at("job").at("id").as_string());
  const std::vector<std::pair<std::string, std::string>> values{
      {"{name}", "ML@2012"}, {"{uuid}", unit_2012_->uuid}, {"{urn}", "ODSMLA1"}, {"{id}", job}};
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    // The public reads; those that need credentials: tests/unit/web_permissions_test.cc.
    const auto* get = item.as_object().if_contains("get");
    if (get == nullptr || get->as_object().contains("security")) continue;
    std::string target = prefix + std::string(path);
    for (const auto& [placeholder, value] : values) {
      const size_t at = target.find(placeholder);
      if (at != std::string::npos) target.replace(at, placeholder.size(), value);
    }
    // A required query parameter gets a value: the other framework of an analysis, or 1 (a
    // revision number, say).
    char separator = '?';
    if (const auto* params = get->as_object().if_contains("parameters")) {
      for (const auto& param : params->as_array()) {
        if (!param.as_object().contains("in")) continue;  // a $ref: none of those is required
        const auto& o = param.as_object();
        if (o.at("in") == "query" && o.contains("required") && o.at("required").as_bool()) {
          const std::string name(o.at("name").as_string());
          target += separator + name + (name == "against" ? "=CM" : "=1");
          separator = '&';
        }
      }
    }
    if ((path.ends_with("/coverage") || path.ends_with("/crosswalk")) &&
        target.find("against=") == std::string::npos) {
      target += separator + std::string("against=CM");
    }
    const Response r = Get(target);
    // Without an index (none was given to this Site), search says it is unavailable.
    EXPECT_EQ(r.status, path == "/search" ? 503 : 200) << target;
    EXPECT_EQ(r.Get("Content-Type"), kJson) << target;
  }
}

// --- Methods and bodies ------------------------------------------------------------------------

TEST_F(SiteTest, AnswersOnlyGetAndHeadEverywhere) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "get"}) {
    for (const char* target : {"/", "/api/v1/frameworks/ML/tree", "/nope", "/api/v1/nope",
                               "/static/govuk-frontend-6.6.0.min.css"}) {
      const Response r = site_.Handle(MakeRequest(method, target));
      EXPECT_EQ(r.status, 405) << method << ' ' << target;
      EXPECT_EQ(r.Get("Allow"), "GET, HEAD") << method << ' ' << target;
    }
  }
  EXPECT_EQ(site_.Handle(MakeRequest("DELETE", "/api/v1/frameworks")).Get("Content-Type"), kJson);
  // A path that also takes writes names them; its other methods are still refused.
  const Response r = site_.Handle(MakeRequest("DELETE", "/api/v1/frameworks"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Get("Allow"), "GET, HEAD, POST");
  EXPECT_EQ(site_.Handle(MakeRequest("DELETE", "/")).Get("Content-Type"), kText);
}

TEST_F(SiteTest, RefusesAGetWithABody) {
  struct Case {
    const char* what;
    Headers headers;
    std::string body;
    int status;
  };
  const Case cases[] = {
      {"a body", {{"content-length", "1"}}, "x", 400},
      {"a Content-Length alone", {{"content-length", "5"}}, "", 400},
      {"a chunked transfer", {{"transfer-encoding", "chunked"}}, "", 400},
      {"a Content-Length of 0", {{"content-length", "0"}}, "", 200},
  };
  for (const Case& c : cases) {
    for (const char* method : {"GET", "HEAD"}) {
      const Response r = site_.Handle(MakeRequest(method, "/api/v1/frameworks", c.headers, c.body));
      EXPECT_EQ(r.status, c.status) << method << " with " << c.what;
    }
  }
}

TEST_F(SiteTest, AnswersHeadExactlyAsGetForTheServerToDropTheBody) {
  for (const char* target : {"/", "/suites/ML", "/api/v1/frameworks/ML/tree", "/nope",
                             "/api/v1/nope", "/static/govuk-frontend-6.6.0.min.css"}) {
    for (const Headers& headers : {Headers{}, Headers{{"accept-encoding", "gzip"}}}) {
      const Response get = Get(target, headers);
      const Response head = site_.Handle(MakeRequest("HEAD", target, headers));
      EXPECT_EQ(head.status, get.status) << target;
      EXPECT_EQ(head.headers, get.headers) << target;
      EXPECT_EQ(head.body, get.body) << target;
    }
  }
}

// --- Conditional requests ----------------------------------------------------------------------

TEST_F(SiteTest, GivesEveryAnswerOf200AStrongEtag) {
  for (const char* target : {"/", "/suites/ML/download.csv", "/api/v1/frameworks",
                             "/api/v1/openapi.json", "/static/govuk-frontend-6.6.0.min.css"}) {
    const Response r = Get(target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.Get("ETag"), StrongEtag(r.body)) << target;
  }
}

TEST_F(SiteTest, AnswersAMatchingIfNoneMatchWith304AndNoBody) {
  for (const char* target : {"/suites/ML", "/api/v1/frameworks/ML", "/favicon.ico"}) {
    const std::string etag = Get(target).Get("ETag");
    const std::vector<std::string> headers{etag, "W/" + etag, "\"x\", " + etag, "*",
                                           " " + etag + " "};
    for (const std::string& header : headers) {
      const Response r = Get(target, {{"if-none-match", header}});
      EXPECT_EQ(r.status, 304) << target << " If-None-Match: " << header;
      EXPECT_EQ(r.body, "") << target;
      EXPECT_EQ(r.Get("ETag"), etag) << target;
      EXPECT_EQ(r.Get("Content-Encoding"), "") << target;
    }
    EXPECT_EQ(Get(target, {{"if-none-match", "\"0000000000000000\""}}).status, 200) << target;
  }
}

TEST_F(SiteTest, AnswersA304AlsoFromTheCacheAndToGzipClients) {
  const std::string etag = Get("/suites/ML").Get("ETag");
  const Response r = Get("/suites/ML", {{"if-none-match", etag}, {"accept-encoding", "gzip"}});
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.body, "");
}

TEST_F(SiteTest, NeverAnswers304ToWhatIsNotThere) {
  for (const char* target : {"/nope", "/api/v1/nope", "/static/nope.css"}) {
    const Response r = Get(target, {{"if-none-match", "*"}});
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.Get("ETag"), "") << target;
  }
}

// --- Compression -------------------------------------------------------------------------------

TEST_F(SiteTest, CompressesLargeTextForClientsThatAcceptGzip) {
  for (const char* target : {"/", "/suites/ML", "/api/v1/frameworks/ML/tree", "/nope",
                             "/suites/ML/download.csv", "/static/govuk-frontend-6.6.0.min.css"}) {
    const Response plain = Get(target);
    const Response zipped = Get(target, {{"accept-encoding", "gzip, deflate, br"}});
    EXPECT_EQ(plain.Get("Content-Encoding"), "") << target;
    EXPECT_EQ(zipped.Get("Content-Encoding"), "gzip") << target;
    EXPECT_EQ(zipped.body, Gzip(plain.body)) << target;
    EXPECT_LT(zipped.body.size(), plain.body.size()) << target;
    EXPECT_EQ(plain.Get("Vary"), "Accept-Encoding") << target;
    EXPECT_EQ(zipped.Get("Vary"), "Accept-Encoding") << target;
    // Two representations, two strong tags: the gzip one is the plain one marked "-gz".
    EXPECT_EQ(zipped.Get("ETag"), GzipEtag(plain.Get("ETag"))) << target;
  }
}

TEST_F(SiteTest, SendsPlainBodiesWhenGzipIsRefusedOrNotWorthIt) {
  struct Case {
    const char* target;
    const char* accept_encoding;
    const char* vary;
  };
  const Case cases[] = {
      {"/suites/ML", "gzip;q=0", "Accept-Encoding"},
      {"/suites/ML", "identity", "Accept-Encoding"},
      {"/suites/ML", "br", "Accept-Encoding"},
      {"/api/v1/frameworks", "gzip", ""},  // under 512 bytes
      {"/favicon.ico", "gzip", ""},        // an image
  };
  for (const Case& c : cases) {
    const Response r = Get(c.target, {{"accept-encoding", c.accept_encoding}});
    EXPECT_EQ(r.Get("Content-Encoding"), "") << c.target << ' ' << c.accept_encoding;
    EXPECT_EQ(r.Get("Vary"), c.vary) << c.target << ' ' << c.accept_encoding;
  }
}

// --- Caching -----------------------------------------------------------------------------------

TEST_F(SiteTest, AsksForPagesToBeRevalidatedAndVersionedFilesKeptAYear) {
  for (const char* target :
       {"/", "/suites/ML", "/nos/ODSMLC3", "/nope", "/api/v1/frameworks", "/api/v1/nope"}) {
    EXPECT_EQ(Get(target).Get("Cache-Control"), "no-cache") << target;
  }
  for (const std::string& target :
       {StylesheetPath(), SiteStylesheetPath(), ScriptPath()}) {
    const Response r = Get(target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.Get("Cache-Control"), kYear) << target;
  }
  // Files whose names carry no version are kept a day, then revalidated.
  for (const char* target : {"/favicon.ico", "/robots.txt"}) {
    EXPECT_EQ(Get(target).Get("Cache-Control"), "public, max-age=86400") << target;
  }
}

TEST_F(SiteTest, GivesTheSameAnswerFromItsCacheAsFresh) {
  const Response first = Get("/api/v1/frameworks/ML/tree", {{"accept-encoding", "gzip"}});
  const Response again = Get("/api/v1/frameworks/ML/tree", {{"accept-encoding", "gzip"}});
  Site other(OpenFactory(test::DatabaseIn(dir_->path())));
  const Response fresh =
      other.Handle(MakeRequest("GET", "/api/v1/frameworks/ML/tree", {{"accept-encoding", "gzip"}}));
  EXPECT_EQ(again.headers, first.headers);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(fresh.body, first.body);
}

// Runs `body` on a thread of its own, as the server's I/O threads run the site. The Site keeps
// its per-thread store connections keyed by its address, so on a thread that already served an
// earlier Site at the same address it would answer from that one's store (see
// OpensItsOwnStoreWhereAnEarlierSiteLived); a new thread has none.
template <typename Body>
void OnItsOwnThread(Body body) {
  std::thread thread(body);
  thread.join();
}

TEST(SiteCache, ForgetsItsAnswersSoonAfterTheStoreChanges) {
  OnItsOwnThread([] {
    test::ScratchDir dir;
    auto store = test::OpenStoreIn(dir.path());
    Site site(OpenFactory(test::DatabaseIn(dir.path())));
    const auto list = [&] { return site.Handle(MakeRequest("GET", "/api/v1/frameworks")); };
    const Response before = list();
    EXPECT_EQ(before.body, "{\"frameworks\":[]}\n");
    EXPECT_EQ(site.Handle(MakeRequest("GET", "/api/v1/frameworks/ML")).status, 404);

    ASSERT_TRUE(LoadDemo(*store).ok());
    // The site looks for changes at most every 200 ms.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (list().body == before.body && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_NE(list().Get("ETag"), before.Get("ETag"));
    EXPECT_EQ(site.Handle(MakeRequest("GET", "/api/v1/frameworks/ML")).status, 200);
  });
}

TEST(SiteStore, ThrowsForTheServerToAnswer500WhenTheStoreCannotBeOpened) {
  OnItsOwnThread([] {
    Site site([]() -> Result<std::unique_ptr<Store>> { return Status::Io("the disk is gone"); });
    EXPECT_THROW(site.Handle(MakeRequest("GET", "/api/v1/frameworks")), std::runtime_error);
    // Static files need no store.
    EXPECT_EQ(site.Handle(MakeRequest("GET", StylesheetPath())).status, 200);
  });
}

// A Site built where an earlier one lived must answer from its own store, not the earlier
// one's. Enable when site.cc stops keying its thread-local connections by the Site's address
// (reported: it needs a per-Site id or a destructor in site.h).
TEST(SiteStore, OpensItsOwnStoreWhereAnEarlierSiteLived) {
  OnItsOwnThread([] {
    test::ScratchDir demo_dir, empty_dir;
    ASSERT_TRUE(LoadDemo(*test::OpenStoreIn(demo_dir.path())).ok());
    test::OpenStoreIn(empty_dir.path());
    std::optional<Site> site;  // the same storage, so the same address, for both Sites
    site.emplace(OpenFactory(test::DatabaseIn(demo_dir.path())));
    EXPECT_EQ(site->Handle(MakeRequest("GET", "/api/v1/frameworks/ML")).status, 200);
    site.emplace(OpenFactory(test::DatabaseIn(empty_dir.path())));
    EXPECT_EQ(site->Handle(MakeRequest("GET", "/api/v1/frameworks/ML")).status, 404);
  });
}

// --- Security headers --------------------------------------------------------------------------

TEST_F(SiteTest, SendsTheSecurityHeadersWithEveryAnswer) {
  const std::string etag = Get("/").Get("ETag");
  const std::vector<std::pair<std::string, Response>> answers{
      {"a page", Get("/")},
      {"an API answer", Get("/api/v1/frameworks")},
      {"a static file", Get(StylesheetPath())},
      {"a missing page", Get("/nope")},
      {"a missing API resource", Get("/api/v1/nope")},
      {"a missing static file", Get("/static/nope.css")},
      {"a bad API parameter", Get("/api/v1/items/nope")},
      {"a redirect", Get("/items/" + unit_2012_->uuid)},
      {"a 304", Get("/", {{"if-none-match", etag}})},
      {"a 405", site_.Handle(MakeRequest("POST", "/"))},
      {"a GET with a body", site_.Handle(MakeRequest("GET", "/", {}, "x"))},
  };
  for (const auto& [what, r] : answers) {
    const std::string csp = r.Get("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << what;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << what;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << what;
    EXPECT_EQ(r.Get("X-Content-Type-Options"), "nosniff") << what;
    EXPECT_EQ(r.Get("Referrer-Policy"), "strict-origin-when-cross-origin") << what;
    EXPECT_EQ(r.Get("X-Frame-Options"), "DENY") << what;
  }
}

}  // namespace
}  // namespace opennos::web
