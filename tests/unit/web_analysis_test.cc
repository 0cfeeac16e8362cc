// The analysis pages and API through the site's request handler, no sockets, over a SQLite
// store holding the demo, an empty framework and a one-statement one: reports with their
// evidence, the same JSON as the CLI, bad parameters (thresholds outside (0, 1], unknown
// frameworks, a crosswalk of a framework with itself), progress pages and jobs, and a busy
// runner. tests/integration/server_test.py checks the API through the real server.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "analysis/report_json.h"
#include "app/accounts.h"
#include "app/demo.h"
#include "storage/sqlite/sqlite_store.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"
#include "web/site.h"

namespace opennos::web {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

const char kHtml[] = "text/html; charset=utf-8";
const char kJson[] = "application/json";

Request Get(const std::string& target) {
  Request request;
  request.method = "GET";
  request.target = target;
  std::string error;
  EXPECT_TRUE(ParseTarget(target, request, error)) << target << ": " << error;
  request.headers = {{"host", "localhost"}};
  return request;
}

bool Has(const std::string& body, const std::string& part) {
  return body.find(part) != std::string::npos;
}

class AnalysisWebTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    auto store = test::OpenStoreIn(dir_->path());
    ASSERT_TRUE(LoadDemo(*store).ok());
    FrameworkDoc one = test::EmptyFramework("ONE", "1");
    test::AddItem(one, ItemType::kUnit, "U1");
    test::AddItem(one, ItemType::kPerformanceCriterion, "U1.P1", "U1").text =
        "Agree objectives with your team and review them regularly";
    ASSERT_TRUE(store
                    ->SaveFrameworks({test::EmptyFramework("EMPTY", "1"), one},
                                     ChangeContext{"test", "fixtures"})
                    .ok());
    // A draft of the demo's organisation, with two near-identical statements.
    FrameworkDoc draft = test::EmptyFramework("DRAFTX", "1");
    draft.framework.status = FrameworkStatus::kDraft;
    test::AddItem(draft, ItemType::kUnit, "D1");
    test::AddItem(draft, ItemType::kPerformanceCriterion, "D1.P1", "D1").text =
        "Agree objectives with your team and review them regularly";
    test::AddItem(draft, ItemType::kPerformanceCriterion, "D1.P2", "D1").text =
        "Agree the objectives with your team and review them every month";
    // A published edition and a draft of the next, of the demo's organisation.
    FrameworkDoc published = test::EmptyFramework("PUBX", "1");
    test::AddItem(published, ItemType::kUnit, "P1");
    test::AddItem(published, ItemType::kPerformanceCriterion, "P1.P1", "P1").text =
        "Plan the work of your team for the coming month";
    FrameworkDoc next = test::EmptyFramework("PUBX", "2");
    next.framework.status = FrameworkStatus::kDraft;
    test::AddItem(next, ItemType::kUnit, "P1");
    test::AddItem(next, ItemType::kPerformanceCriterion, "P1.P1", "P1").text =
        "Plan the work of your team for the coming months";
    ChangeContext owned{"test", "fixtures"};
    owned.organisation = std::string(DemoOrganisationId());
    ASSERT_TRUE(store->SaveFrameworks({draft, published, next}, owned).ok());
  }
  static void TearDownTestSuite() { delete dir_; }

  // A bearer token for a new user with `role` in organisation `org` (the demo's when empty).
  static std::string TokenFor(const std::string& email, Role role, const std::string& org = "") {
    auto store = test::OpenStoreIn(dir_->path());
    const Actor root = CommandLineActor("test");
    std::string organisation = org.empty() ? std::string(DemoOrganisationId()) : org;
    auto user = AddUser(store->Accounts(), email, organisation, role, "", root, NowSeconds());
    EXPECT_TRUE(user.ok()) << user.status().message();
    auto token = IssueToken(store->Accounts(), user->id, "test", root, NowSeconds());
    EXPECT_TRUE(token.ok());
    return "Bearer " + token->secret;
  }

  // A new organisation of another kind, for people outside the demo's.
  static std::string AddOtherOrganisation(const std::string& name) {
    auto store = test::OpenStoreIn(dir_->path());
    auto org = AddOrganisation(store->Accounts(), name, OrganisationKind::kEmployer,
                               CommandLineActor("test"), NowSeconds());
    EXPECT_TRUE(org.ok()) << org.status().message();
    return org.ok() ? org->id : std::string();
  }

  static StoreFactory Opener() {
    const std::string db = test::DatabaseIn(dir_->path());
    return [db] { return OpenSqliteStore(db, false); };
  }

  AnalysisWebTest() : site_(Opener()) {}

  Response Fetch(const std::string& target) { return site_.Handle(Get(target)); }
  json::value FetchJson(const std::string& target, int status = 200) {
    const Response r = Fetch(target);
    EXPECT_EQ(r.status, status) << target << "\n" << r.body.substr(0, 300);
    EXPECT_EQ(r.Get("Content-Type"), kJson) << target;
    return json::parse(r.body);
  }
  std::string Load(const std::string& name, FrameworkDoc* out) {
    auto store = test::OpenStoreIn(dir_->path());
    auto uuid = ResolveFramework(*store, name);
    EXPECT_TRUE(uuid.ok());
    *out = *store->LoadFramework(*uuid);
    return *uuid;
  }

  static inline test::ScratchDir* dir_ = nullptr;
  Site site_;
};

// --- Pages ---------------------------------------------------------------------------------

TEST_F(AnalysisWebTest, TheSuitePageLinksItsAnalyses) {
  const Response r = Fetch("/suites/ML");
  ASSERT_EQ(r.status, 200);
  for (const char* link :
       {"href=\"/suites/ML@2024/duplicates\"", "href=\"/suites/ML@2024/coverage\"",
        "href=\"/suites/ML@2024/crosswalk\"", "href=\"/suites/ML/editions\""}) {
    EXPECT_TRUE(Has(r.body, link)) << link;
  }
}

TEST_F(AnalysisWebTest, TheDuplicatesPageShowsPairsSideBySideWithTheWordsTheyShare) {
  const Response r = Fetch("/suites/ML/duplicates?threshold=0.5");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Get("Content-Type"), kHtml);
  EXPECT_FALSE(r.Get("ETag").empty());
  EXPECT_TRUE(Has(r.body, "<mark class=\"opennos-common\">"));
  EXPECT_TRUE(Has(r.body, "Similarity 0."));
  EXPECT_TRUE(Has(r.body, "opennos-pair__side"));
  EXPECT_TRUE(Has(r.body, "Units that share most"));
  EXPECT_TRUE(Has(r.body, "Cluster 1:"));
  EXPECT_TRUE(Has(r.body, "value=\"0.5\""));
  EXPECT_TRUE(Has(r.body, "/api/v1/frameworks/"));
  EXPECT_FALSE(Has(r.body, "http-equiv=\"refresh\""));
}

TEST_F(AnalysisWebTest, TheCoveragePageAsksForTheOtherFrameworkFirst) {
  const Response r = Fetch("/suites/ML/coverage");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Has(r.body, "<select class=\"govuk-select\" id=\"against\" name=\"against\""));
  EXPECT_TRUE(Has(r.body, "<option value=\"CM@2023\">"));
  EXPECT_FALSE(Has(r.body, "id=\"gaps\""));
}

TEST_F(AnalysisWebTest, TheCoveragePageShowsTheChartTheKeyAreasTheGapsAndTheMatches) {
  const Response r = Fetch("/suites/ML/coverage?against=CM&threshold=0.3");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "<svg"));
  EXPECT_TRUE(Has(r.body, "role=\"img\""));
  EXPECT_TRUE(Has(r.body, "Statements covered in each key area"));
  EXPECT_TRUE(Has(r.body, "id=\"gaps\""));
  EXPECT_TRUE(Has(r.body, "Best matches"));
  EXPECT_TRUE(Has(r.body, "<option value=\"CM@2023\" selected>"));
}

TEST_F(AnalysisWebTest, AFrameworkCoversItselfWholly) {
  const auto body = FetchJson("/api/v1/frameworks/CM/coverage?against=CM");
  EXPECT_EQ(body.at("ratio").as_double(), 1.0);
  EXPECT_TRUE(body.at("uncovered").as_array().empty());
  EXPECT_EQ(Fetch("/suites/CM/coverage?against=CM").status, 200);
}

TEST_F(AnalysisWebTest, TheCrosswalkPageListsSuggestionsReadOnly) {
  const Response r = Fetch("/suites/ML/crosswalk?against=CM&threshold=0.4&exact=0.6");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "suggested link"));
  EXPECT_TRUE(Has(r.body, "(isRelatedTo)"));
  EXPECT_FALSE(Has(r.body, "method=\"post\""));
}

TEST_F(AnalysisWebTest, TheEditionsPageAndApiAreTheEnginesReport) {
  const Response page = Fetch("/suites/ML/editions");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page.body, "Management and Leadership: how the units changed between editions"));
  EXPECT_TRUE(Has(page.body, "Recorded by the developers"));
  const auto body = FetchJson("/api/v1/frameworks/ML@2012/editions");
  EXPECT_EQ(body.at("code").as_string(), "ML");
  ASSERT_EQ(body.at("editions").as_array().size(), 2u);
  const auto& comparison = body.at("comparisons").at(0).as_object();
  const json::value counts{{"added", 2},  {"removed", 6}, {"changed", 11},
                           {"merged", 2}, {"split", 1},   {"unchanged", 4}};
  EXPECT_EQ(comparison.at("counts"), counts);
  EXPECT_EQ(comparison.at("by").as_string(), "auto");
  EXPECT_EQ(comparison.at("links").as_array().size(), 21u);
  for (const auto& link : comparison.at("links").as_array()) {
    EXPECT_EQ(link.at("source").as_string(), "authored");
  }
  // Similarity alone finds the same mappings on the demo.
  const auto similar = FetchJson("/api/v1/frameworks/ML/editions?by=similarity&threshold=0.3");
  EXPECT_EQ(similar.at("comparisons").at(0).at("counts"), counts);
  // One edition: nothing to compare.
  EXPECT_TRUE(FetchJson("/api/v1/frameworks/CM/editions").at("comparisons").as_array().empty());
  EXPECT_TRUE(Has(Fetch("/suites/CM/editions").body, "only one edition"));
}

// --- The API gives what the CLI prints ---------------------------------------------------------

TEST_F(AnalysisWebTest, TheApiAnswersExactlyTheCliJson) {
  FrameworkDoc ml, cm;
  Load("ML", &ml);
  Load("CM", &cm);
  analysis::RunOptions options;
  options.threshold = 0.5;
  EXPECT_EQ(Fetch("/api/v1/frameworks/ML/duplicates?threshold=0.5").body,
            analysis::DuplicatesJson(*analysis::FindDuplicates(ml, options)));
  EXPECT_EQ(Fetch("/api/v1/frameworks/ML/coverage?against=CM%402023&threshold=0.5").body,
            analysis::CoverageJson(*analysis::FindCoverage(ml, cm, options)));
  EXPECT_EQ(Fetch("/api/v1/frameworks/ML/crosswalk?against=CM&threshold=0.5&exact=0.8").body,
            analysis::CrosswalkJson(*analysis::FindCrosswalk(ml, cm, options, 0.8)));
  options.threshold = 0.8;
  EXPECT_EQ(Fetch("/api/v1/frameworks/ML/duplicates").body,
            analysis::DuplicatesJson(*analysis::FindDuplicates(ml, options)));
}

// --- Bad input ---------------------------------------------------------------------------------

TEST_F(AnalysisWebTest, ThresholdsOutsideZeroToOneAreClearErrorsNotFailures) {
  for (const char* bad :
       {"0", "-0.5", "1.5", "2", "abc", "nan", "inf", "1e-3", "0x1", "0,5", "", "%20"}) {
    if (std::string(bad).empty()) continue;  // empty means the default
    for (const char* page :
         {"/suites/ML/duplicates?threshold=", "/suites/ML/coverage?against=CM&threshold=",
          "/suites/ML/crosswalk?against=CM&threshold=", "/suites/ML/editions?threshold="}) {
      const std::string target = page + std::string(bad);
      const Response r = Fetch(target);
      EXPECT_EQ(r.status, 400) << target;
      EXPECT_TRUE(Has(r.body, "There is a problem")) << target;
      EXPECT_TRUE(Has(r.body, "must be a number above 0 and at most 1")) << target;
      EXPECT_TRUE(Has(r.body, "<title>Error: ")) << target;
      EXPECT_TRUE(Has(r.body, "govuk-input--error")) << target;
    }
    for (const char* api : {"/api/v1/frameworks/ML/duplicates?threshold=",
                            "/api/v1/frameworks/ML/coverage?against=CM&threshold=",
                            "/api/v1/frameworks/ML/crosswalk?against=CM&threshold=",
                            "/api/v1/frameworks/ML/editions?threshold="}) {
      const auto body = FetchJson(api + std::string(bad), 400);
      EXPECT_TRUE(Has(json::serialize(body), "must be a number above 0 and at most 1"))
          << api << bad;
    }
  }
  EXPECT_EQ(Fetch("/suites/ML/duplicates?threshold=1").status, 200);
  EXPECT_EQ(Fetch("/api/v1/frameworks/ML/duplicates?threshold=.95").status, 200);
}

TEST_F(AnalysisWebTest, UnknownFrameworksAreNotFoundOrFormErrors) {
  for (const char* page : {"/suites/NOPE/duplicates", "/suites/NOPE/coverage?against=CM",
                           "/suites/NOPE/crosswalk", "/suites/ML@1999/editions"}) {
    const Response r = Fetch(page);
    EXPECT_EQ(r.status, 404) << page;
    EXPECT_EQ(r.Get("Content-Type"), kHtml);
  }
  for (const char* api :
       {"/api/v1/frameworks/NOPE/duplicates", "/api/v1/frameworks/NOPE/coverage?against=CM",
        "/api/v1/frameworks/NOPE/editions"}) {
    FetchJson(api, 404);
  }
  const Response page = Fetch("/suites/ML/coverage?against=NOPE");
  EXPECT_EQ(page.status, 400);
  EXPECT_TRUE(Has(page.body, "There is no framework &quot;NOPE&quot;"));
  EXPECT_TRUE(Has(page.body, "href=\"#against\""));
  FetchJson("/api/v1/frameworks/ML/crosswalk?against=NOPE", 400);
}

TEST_F(AnalysisWebTest, ACrosswalkOfAFrameworkWithItselfIsRefused) {
  const Response page = Fetch("/suites/ML/crosswalk?against=ML%402024");
  EXPECT_EQ(page.status, 400);
  EXPECT_TRUE(Has(page.body, "Choose a different framework"));
  const auto body = FetchJson("/api/v1/frameworks/ML/crosswalk?against=ML", 400);
  EXPECT_TRUE(Has(json::serialize(body), "a crosswalk links two frameworks"));
  // Two editions of one suite are two frameworks.
  EXPECT_EQ(Fetch("/api/v1/frameworks/ML/crosswalk?against=ML%402012").status, 200);
}

TEST_F(AnalysisWebTest, TheApiRefusesUnknownParametersAndAMissingOtherFramework) {
  EXPECT_TRUE(Has(json::serialize(FetchJson("/api/v1/frameworks/ML/duplicates?colour=red", 400)),
                  "unknown parameter \\\"colour\\\""));
  FetchJson("/api/v1/frameworks/ML/duplicates?against=CM", 400);
  FetchJson("/api/v1/frameworks/ML/coverage", 400);
  FetchJson("/api/v1/frameworks/ML/crosswalk?against=CM&exact=0.4", 400);  // below the threshold
  FetchJson("/api/v1/frameworks/ML/editions?by=guess", 400);
  FetchJson("/api/v1/frameworks/ML/duplicates?wait=11", 400);
  FetchJson("/api/v1/frameworks/ML/duplicates?wait=-1", 400);
}

TEST_F(AnalysisWebTest, EmptyAndOneStatementFrameworksGiveEmptyReports) {
  const auto empty = FetchJson("/api/v1/frameworks/EMPTY/duplicates");
  EXPECT_EQ(empty.at("statements").as_int64(), 0);
  EXPECT_TRUE(empty.at("pairs").as_array().empty());
  EXPECT_TRUE(FetchJson("/api/v1/frameworks/EMPTY/coverage?against=ML").at("ratio").is_null());
  EXPECT_EQ(FetchJson("/api/v1/frameworks/ML/coverage?against=EMPTY").at("ratio").as_double(), 0.0);
  EXPECT_TRUE(
      FetchJson("/api/v1/frameworks/ONE/duplicates?threshold=0.01").at("pairs").as_array().empty());
  EXPECT_TRUE(
      FetchJson("/api/v1/frameworks/EMPTY/crosswalk?against=ONE").at("pairs").as_array().empty());
  const Response page = Fetch("/suites/EMPTY/duplicates");
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page.body, "This framework has no statements to compare."));
  EXPECT_EQ(Fetch("/suites/EMPTY/coverage?against=ML").status, 200);
  EXPECT_EQ(Fetch("/suites/ML/coverage?against=EMPTY").status, 200);
  EXPECT_EQ(Fetch("/suites/ONE/duplicates").status, 200);
}

// --- Progress and jobs -------------------------------------------------------------------------

TEST_F(AnalysisWebTest, AnAnalysisNotReadyAnswersAProgressPageThatChecksAgainOnRequest) {
  const Response r = Fetch("/suites/ML/duplicates?threshold=0.66&wait=0");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.Get("Content-Type"), kHtml);
  EXPECT_EQ(r.Get("Cache-Control"), "no-store");
  EXPECT_TRUE(r.Get("ETag").empty());
  // It never reloads itself (axe's meta-refresh, WCAG 2.2.1): "Check progress" asks for the
  // report's address again; the page's script follows the job and can be stopped.
  EXPECT_FALSE(Has(r.body, "http-equiv=\"refresh\""));
  EXPECT_TRUE(Has(r.body, "role=\"status\""));
  EXPECT_TRUE(Has(r.body, "/duplicates?threshold=0.66\">Check progress</a>"));
  EXPECT_TRUE(Has(r.body, "data-opennos-job=\"/api/v1/analysis/jobs/"));
  EXPECT_TRUE(Has(r.body, "data-follow"));
  EXPECT_TRUE(Has(r.body, "Stop checking automatically"));
  const std::string at = "data-job-page=\"";
  const std::size_t link = r.body.find(at);
  ASSERT_NE(link, std::string::npos);
  const std::size_t from = link + at.size();
  const std::string job_page = r.body.substr(from, r.body.find('"', from) - from);
  ASSERT_TRUE(job_page.starts_with("/analysis/jobs/")) << job_page;
  // The job's own page never changes by itself; once the job is done it leads to the report.
  const std::string id = job_page.substr(job_page.rfind('/') + 1);
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (FetchJson("/api/v1/analysis/jobs/" + id).at("state") != "done" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  const Response job = Fetch(job_page);
  EXPECT_EQ(job.status, 200);
  EXPECT_EQ(job.Get("Cache-Control"), "no-store");
  EXPECT_FALSE(Has(job.body, "http-equiv=\"refresh\""));
  EXPECT_FALSE(Has(job.body, "data-follow"));
  EXPECT_TRUE(Has(job.body, "See the report"));
  // Asking again (as the reload does) gives the report.
  const Response report = Fetch("/suites/ML/duplicates?threshold=0.66&wait=0");
  EXPECT_EQ(report.status, 200);
  EXPECT_TRUE(Has(report.body, "Near-identical pairs"));
  EXPECT_EQ(Fetch("/analysis/jobs/0123456789abcdef0123456789abcdef").status, 404);
}

TEST_F(AnalysisWebTest, TheApiAnswers202WithTheJobAndTheJobLeadsToTheReport) {
  const Response r = Fetch("/api/v1/frameworks/ML/coverage?against=CM&threshold=0.45&wait=0");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.Get("Cache-Control"), "no-store");
  EXPECT_EQ(r.Get("Retry-After"), "1");
  const auto job = json::parse(r.body).at("job");
  EXPECT_EQ(r.Get("Location"), "/api/v1/analysis/jobs/" + std::string(job.at("id").as_string()));
  EXPECT_EQ(job.at("kind").as_string(), "coverage");
  EXPECT_TRUE(job.at("state") == "queued" || job.at("state") == "running" ||
              job.at("state") == "done");
  json::value state;
  for (const auto deadline = std::chrono::steady_clock::now() + 30s;
       std::chrono::steady_clock::now() < deadline;) {
    state = FetchJson(r.Get("Location"));
    if (state.at("state") == "done") break;
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(state.at("state").as_string(), "done");
  EXPECT_EQ(state.at("percent").as_int64(), 100);
  EXPECT_TRUE(state.at("error").is_null());
  const Response report = Fetch(std::string(state.at("report").as_string()));
  EXPECT_EQ(report.status, 200);
  EXPECT_EQ(json::parse(report.body).at("threshold").as_double(), 0.45);
  FetchJson("/api/v1/analysis/jobs/nope", 404);
}

// Holds every job at its start until released.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  int held = 0;
  void Wait() {
    std::unique_lock lock(mutex);
    ++held;
    changed.notify_all();
    changed.wait(lock, [this] { return open; });
  }
  void Open() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
};

TEST_F(AnalysisWebTest, AFullRunnerSaysBusyAndAJobStillRunningShowsProgress) {
  Gate gate;
  SiteOptions options;
  options.analysis.workers = 1;
  options.analysis.max_queued = 0;
  options.analysis.on_start = [&](const AnalysisJob&) { gate.Wait(); };
  {
    Site site(Opener(), {}, options);
    struct OpenAtEnd {
      Gate& gate;
      ~OpenAtEnd() { gate.Open(); }
    } release{gate};
    // The first job runs (held): asked for, and asked again with a wait that runs out, it
    // answers a progress page.
    EXPECT_EQ(site.Handle(Get("/suites/ML/duplicates?threshold=0.9&wait=0")).status, 202);
    {
      std::unique_lock lock(gate.mutex);
      ASSERT_TRUE(gate.changed.wait_for(lock, 30s, [&] { return gate.held == 1; }));
    }
    const Response first = site.Handle(Get("/suites/ML/duplicates?threshold=0.9&wait=1"));
    EXPECT_EQ(first.status, 202);
    EXPECT_TRUE(Has(first.body, "Analysing."));
    EXPECT_TRUE(Has(first.body, "0% done"));
    const Response busy = site.Handle(Get("/suites/ML/duplicates?threshold=0.95"));
    EXPECT_EQ(busy.status, 503);
    EXPECT_EQ(busy.Get("Retry-After"), "10");
    EXPECT_TRUE(Has(busy.body, "as many analyses as it can"));
    const Response api = site.Handle(Get("/api/v1/frameworks/ML/duplicates?threshold=0.95"));
    EXPECT_EQ(api.status, 503);
    EXPECT_EQ(api.Get("Content-Type"), kJson);
    gate.Open();
    EXPECT_EQ(site.Handle(Get("/suites/ML/duplicates?threshold=0.9&wait=10")).status, 200);
  }
}

Request Post(const std::string& target, const std::string& authorization) {
  Request r = Get(target);
  r.method = "POST";
  if (!authorization.empty()) r.headers.push_back({"authorization", authorization});
  return r;
}

Request GetAs(const std::string& target, const std::string& authorization) {
  Request r = Get(target);
  r.headers.push_back({"authorization", authorization});
  return r;
}

TEST_F(AnalysisWebTest, OnlyTheSignedInPersonWhoStartedAJobMayCancelIt) {
  const std::string viewer = TokenFor("viewer@example.org", Role::kViewer);
  const std::string editor = TokenFor("editor@example.org", Role::kEditor);
  const std::string outsider =
      TokenFor("outsider@example.org", Role::kAdmin, AddOtherOrganisation("Elsewhere"));
  Gate gate;
  SiteOptions options;
  options.analysis.workers = 1;
  options.analysis.on_start = [&](const AnalysisJob&) { gate.Wait(); };
  Site site(Opener(), {}, options);
  struct OpenAtEnd {
    Gate& gate;
    ~OpenAtEnd() { gate.Open(); }
  } release{gate};
  auto job_of = [](const Response& r) {
    EXPECT_EQ(r.status, 202) << r.body;
    return std::string(json::parse(r.body).at("job").at("id").as_string());
  };
  // Anyone's job holds the one worker; the viewer's and the outsider's wait behind it.
  const std::string anyones =
      job_of(site.Handle(Get("/api/v1/frameworks/ML/duplicates?threshold=0.93&wait=0")));
  const std::string theirs =
      job_of(site.Handle(GetAs("/api/v1/frameworks/ML/duplicates?threshold=0.935&wait=0", viewer)));
  const std::string outsiders = job_of(
      site.Handle(GetAs("/api/v1/frameworks/ML/duplicates?threshold=0.937&wait=0", outsider)));
  // The viewer asking what nobody in particular asked joins that job, which stays nobody's.
  EXPECT_EQ(job_of(site.Handle(
                GetAs("/api/v1/frameworks/ML/duplicates?threshold=0.93&wait=0", viewer))),
            anyones);
  const std::string cancel = "/api/v1/analysis/jobs/" + theirs + "/cancel";
  EXPECT_EQ(site.Handle(Post(cancel, "")).status, 401);
  EXPECT_EQ(site.Handle(Post(cancel, editor)).status, 403);  // not the editor's job
  EXPECT_EQ(site.Handle(Post("/api/v1/analysis/jobs/" + anyones + "/cancel", viewer)).status, 403);
  EXPECT_EQ(site.Handle(Post("/api/v1/analysis/jobs/" + outsiders + "/cancel", outsider)).status,
            403);  // no role in the organisation that owns ML
  EXPECT_EQ(
      site.Handle(Post("/api/v1/analysis/jobs/0123456789abcdef0123456789abcdef/cancel", viewer))
          .status,
      404);
  EXPECT_EQ(site.Handle(Get("/api/v1/analysis/jobs/" + theirs)).status, 200);
  EXPECT_EQ(json::parse(site.Handle(Get("/api/v1/analysis/jobs/" + theirs)).body).at("state"),
            "queued");
  // Their progress page offers the cancel form; nobody else's does.
  const Response page = site.Handle(GetAs("/analysis/jobs/" + theirs, viewer));
  EXPECT_TRUE(Has(page.body, "action=\"/analysis/jobs/" + theirs + "/cancel\" method=\"post\""));
  EXPECT_FALSE(Has(site.Handle(Get("/analysis/jobs/" + theirs)).body, "Cancel this analysis"));
  EXPECT_FALSE(
      Has(site.Handle(GetAs("/analysis/jobs/" + anyones, viewer)).body, "Cancel this analysis"));
  // The owner cancels: done at once for a job still waiting.
  const Response done = site.Handle(Post(cancel, viewer));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(json::parse(done.body).at("state"), "cancelled");
  EXPECT_EQ(done.Get("Cache-Control"), "private, no-store");
  // Through the page, with a bearer token (a session's form also needs its CSRF token, which
  // the site checks before any handler: tests/unit/web_auth_test.cc).
  const std::string again =
      job_of(site.Handle(GetAs("/api/v1/frameworks/ML/duplicates?threshold=0.94&wait=0", viewer)));
  const Response redirect = site.Handle(Post("/analysis/jobs/" + again + "/cancel", viewer));
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.Get("Location"), "/analysis/jobs/" + again);
  EXPECT_TRUE(Has(site.Handle(GetAs("/analysis/jobs/" + again, viewer)).body,
                  "stopped before it finished"));
  EXPECT_EQ(site.Handle(Post("/analysis/jobs/" + again + "/cancel", "")).status, 401);
}

// --- Sharing jobs: anyone who may read every framework a job reads -------------------------------

// A job's identifier from a 202 answer.
std::string JobOf(const Response& r) {
  EXPECT_EQ(r.status, 202) << r.body;
  if (r.status != 202) return "";
  return std::string(json::parse(r.body).at("job").at("id").as_string());
}

// A site whose one worker holds every job until the gate opens (at the end at the latest).
struct HeldSite {
  Gate gate;
  Site site;
  explicit HeldSite(StoreFactory open, int workers = 1)
      : site(std::move(open), {}, Options(gate, workers)) {}
  ~HeldSite() { gate.Open(); }
  static SiteOptions Options(Gate& gate, int workers) {
    SiteOptions options;
    options.analysis.workers = workers;
    options.analysis.on_start = [&gate](const AnalysisJob&) { gate.Wait(); };
    return options;
  }
  Response Ask(const std::string& target, const std::string& authorization = "") {
    return site.Handle(authorization.empty() ? Get(target) : GetAs(target, authorization));
  }
  Response Cancel(const std::string& id, const std::string& authorization) {
    return site.Handle(Post("/api/v1/analysis/jobs/" + id + "/cancel", authorization));
  }
};

TEST_F(AnalysisWebTest, AJobOverPublicFrameworksIsSharedWithAnyoneWhoAsksTheSame) {
  const std::string viewer = TokenFor("share-viewer@example.org", Role::kViewer);
  const std::string outsider =
      TokenFor("share-outsider@example.org", Role::kViewer, AddOtherOrganisation("Share Ltd"));
  const std::string ask = "/api/v1/frameworks/ML/coverage?against=CM&threshold=0.41";
  {
    HeldSite held(Opener());
    // The viewer starts it; while it runs, someone of another organisation and someone signed
    // out asking the same join it.
    const std::string id = JobOf(held.Ask(ask + "&wait=0", viewer));
    EXPECT_EQ(JobOf(held.Ask(ask + "&wait=0", outsider)), id);
    EXPECT_EQ(JobOf(held.Ask(ask + "&wait=0")), id);
    EXPECT_EQ(held.Ask("/api/v1/analysis/jobs/" + id, outsider).status, 200);
    EXPECT_EQ(held.Ask("/analysis/jobs/" + id).status, 200);
    EXPECT_EQ(held.Cancel(id, outsider).status, 403);  // only who started it may cancel it
    held.gate.Open();
    // Once done, its result answers everyone at once: a new job asked with wait=0 would be
    // 202 (never waited for).
    const Response mine = held.Ask(ask + "&wait=10", viewer);
    ASSERT_EQ(mine.status, 200) << mine.body;
    for (const std::string& who : {outsider, std::string()}) {
      const Response r = held.Ask(ask + "&wait=0", who);
      EXPECT_EQ(r.status, 200) << who;
      EXPECT_EQ(r.body, mine.body) << who;
    }
    EXPECT_EQ(held.Ask("/suites/ML/coverage?against=CM&threshold=0.41&wait=0", outsider).status,
              200);
  }
}

TEST_F(AnalysisWebTest, AJobOverADraftIsSharedOnlyInsideItsOrganisation) {
  const std::string viewer = TokenFor("draft-viewer@example.org", Role::kViewer);
  const std::string editor = TokenFor("draft-editor@example.org", Role::kEditor);
  const std::string outsider =
      TokenFor("draft-outsider@example.org", Role::kAdmin, AddOtherOrganisation("Draft Ltd"));
  FrameworkDoc draft;
  const std::string uuid = Load("DRAFTX", &draft);
  const std::string ask = "/api/v1/frameworks/DRAFTX/duplicates?threshold=0.5";
  const std::string page = "/suites/DRAFTX/duplicates?threshold=0.5";
  const std::string covered = "/api/v1/frameworks/ML/coverage?against=DRAFTX%401&threshold=0.5";
  HeldSite held(Opener());
  // Before anyone asks: to someone outside the organisation and to someone signed out, the
  // draft is not there.
  const Response outsider_before = held.Ask(ask + "&wait=0", outsider);
  const Response anonymous_before = held.Ask(ask + "&wait=0");
  EXPECT_EQ(outsider_before.status, 404);
  EXPECT_EQ(anonymous_before.status, 404);
  EXPECT_EQ(held.Ask(covered + "&wait=0", outsider).status, 400);
  // The frameworks to compare with: the draft is among them for its organisation only.
  const std::string option = "<option value=\"DRAFTX@1\">";
  EXPECT_TRUE(Has(held.Ask("/suites/ML/coverage", editor).body, option));
  EXPECT_FALSE(Has(held.Ask("/suites/ML/coverage", outsider).body, option));
  EXPECT_FALSE(Has(held.Ask("/suites/ML/coverage").body, option));

  // A viewer of the organisation starts it; an editor there joins it.
  const std::string id = JobOf(held.Ask(ask + "&wait=0", viewer));
  EXPECT_EQ(JobOf(held.Ask(ask + "&wait=0", editor)), id);
  EXPECT_EQ(held.Ask(page + "&wait=0", editor).status, 202);
  EXPECT_EQ(held.Ask("/api/v1/analysis/jobs/" + id, editor).status, 200);
  EXPECT_EQ(held.Ask("/analysis/jobs/" + id, editor).status, 200);

  // Outside it nothing changed: the same answers as before, and the job is not there at all,
  // exactly as a job that never existed.
  const Response outsider_after = held.Ask(ask + "&wait=0", outsider);
  EXPECT_EQ(outsider_after.status, outsider_before.status);
  EXPECT_EQ(outsider_after.body, outsider_before.body);
  const Response anonymous_after = held.Ask(ask + "&wait=1");  // not the cached answer
  EXPECT_EQ(anonymous_after.status, anonymous_before.status);
  EXPECT_EQ(anonymous_after.body, anonymous_before.body);
  EXPECT_EQ(held.Ask(page + "&wait=0", outsider).status, 404);
  EXPECT_EQ(held.Ask(covered + "&wait=0", outsider).status, 400);
  const std::string none = "0123456789abcdef0123456789abcdef";
  auto without_id = [](std::string body, const std::string& id) {
    for (std::size_t at; (at = body.find(id)) != std::string::npos;) body.replace(at, id.size(), "ID");
    return body;
  };
  for (const std::string& who : {outsider, std::string()}) {
    for (const std::string address : {"/api/v1/analysis/jobs/", "/analysis/jobs/"}) {
      const Response job = held.Ask(address + id, who);
      const Response never = held.Ask(address + none, who);
      EXPECT_EQ(job.status, 404) << address << " " << who;
      EXPECT_EQ(without_id(job.body, id), without_id(never.body, none)) << address;
      EXPECT_FALSE(Has(job.body, uuid));
    }
  }
  const Response outsider_cancel = held.Cancel(id, outsider);
  EXPECT_EQ(outsider_cancel.status, 404);  // not 403: that would say the job exists
  EXPECT_EQ(without_id(outsider_cancel.body, id),
            without_id(held.Cancel(none, outsider).body, none));
  EXPECT_EQ(held.Cancel(id, "").status, 401);
  EXPECT_EQ(held.Cancel(id, editor).status, 403);  // inside the organisation, not theirs

  // Done: the result answers the organisation at once; a coverage by the draft works there.
  held.gate.Open();
  const Response report = held.Ask(ask + "&wait=10", viewer);
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(json::parse(report.body).at("pairs").as_array().size(), 1u);
  const Response again = held.Ask(ask + "&wait=0", editor);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, report.body);
  const Response shown = held.Ask(page + "&wait=0", editor);
  EXPECT_EQ(shown.status, 200);
  EXPECT_TRUE(Has(shown.body, "/drafts/" + uuid + "/items/"));  // its items where members read
  EXPECT_EQ(held.Ask(covered + "&wait=10", viewer).status, 200);
  EXPECT_EQ(held.Ask(ask + "&wait=0", outsider).body, outsider_before.body);
  EXPECT_EQ(held.Ask(ask + "&wait=2").body, anonymous_before.body);
  EXPECT_EQ(held.Ask("/api/v1/analysis/jobs/" + id, outsider).status, 404);
}

TEST_F(AnalysisWebTest, TheOwnerCancellingStopsTheJobForEveryoneFollowingIt) {
  const std::string owner = TokenFor("cancel-owner@example.org", Role::kViewer);
  const std::string follower = TokenFor("cancel-follower@example.org", Role::kReviewer);
  HeldSite held(Opener());
  // Someone's job holds the one worker, so the owner's waits.
  JobOf(held.Ask("/api/v1/frameworks/ML/duplicates?threshold=0.96&wait=0"));
  const std::string ask = "/api/v1/frameworks/DRAFTX/duplicates?threshold=0.55";
  const std::string id = JobOf(held.Ask(ask + "&wait=0", owner));
  EXPECT_EQ(JobOf(held.Ask(ask + "&wait=0", follower)), id);
  EXPECT_EQ(held.Cancel(id, follower).status, 403);
  const Response cancelled = held.Cancel(id, owner);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(json::parse(cancelled.body).at("state"), "cancelled");
  // The follower sees it cancelled; asking again starts a new job, theirs to cancel.
  EXPECT_EQ(json::parse(held.Ask("/api/v1/analysis/jobs/" + id, follower).body).at("state"),
            "cancelled");
  const std::string fresh = JobOf(held.Ask(ask + "&wait=0", follower));
  EXPECT_NE(fresh, id);
  EXPECT_EQ(held.Cancel(fresh, owner).status, 403);
  EXPECT_EQ(held.Cancel(fresh, follower).status, 200);
}

// The report a 202 answer's job computes.
std::string ReportOf(const Response& r) {
  EXPECT_EQ(r.status, 202) << r.body;
  if (r.status != 202) return "";
  return std::string(json::parse(r.body).at("job").at("report").as_string());
}

TEST_F(AnalysisWebTest, ACodeNamesItsPublishedEditionForEveryoneAndADraftIsNamedByItsEdition) {
  const std::string editor = TokenFor("names-editor@example.org", Role::kEditor);
  const std::string outsider =
      TokenFor("names-outsider@example.org", Role::kViewer, AddOtherOrganisation("Names Ltd"));
  FrameworkDoc published, draft;
  const std::string published_uuid = Load("PUBX@1", &published);
  const std::string draft_uuid = Load("PUBX@2", &draft);
  HeldSite held(Opener());
  // PUBX is the published edition to a member too: one job for everyone.
  const std::string ask = "/api/v1/frameworks/PUBX/duplicates?threshold=0.5&wait=0";
  const Response mine = held.Ask(ask, editor);
  EXPECT_TRUE(Has(ReportOf(mine), published_uuid));
  EXPECT_EQ(JobOf(held.Ask(ask)), JobOf(mine));
  EXPECT_EQ(JobOf(held.Ask(ask, outsider)), JobOf(mine));
  // The draft by its edition, for its organisation only.
  const std::string draft_ask = "/api/v1/frameworks/PUBX%402/duplicates?threshold=0.5&wait=0";
  EXPECT_TRUE(Has(ReportOf(held.Ask(draft_ask, editor)), draft_uuid));
  EXPECT_EQ(held.Ask(draft_ask, outsider).status, 404);
  EXPECT_EQ(held.Ask(draft_ask).status, 404);
  held.gate.Open();
  // Editions: the published ones, and the draft too when it is the edition named.
  const auto editions = [&](const std::string& name, const std::string& who) {
    const Response r = held.Ask("/api/v1/frameworks/" + name + "/editions?wait=10", who);
    EXPECT_EQ(r.status, 200) << name << ": " << r.body;
    return r.status == 200 ? json::parse(r.body) : json::value();
  };
  const json::value of_code = editions("PUBX", editor);
  EXPECT_EQ(of_code.at("editions").as_array().size(), 1u);
  EXPECT_TRUE(of_code.at("comparisons").as_array().empty());
  EXPECT_EQ(of_code, editions("PUBX", ""));
  const json::value of_draft = editions("PUBX%402", editor);
  ASSERT_EQ(of_draft.at("editions").as_array().size(), 2u);
  EXPECT_EQ(of_draft.at("editions").at(1).at("uuid").as_string(), draft_uuid);
  EXPECT_EQ(of_draft.at("comparisons").as_array().size(), 1u);
  EXPECT_EQ(held.Ask("/api/v1/frameworks/PUBX%402/editions", outsider).status, 404);
}

}  // namespace
}  // namespace opennos::web
