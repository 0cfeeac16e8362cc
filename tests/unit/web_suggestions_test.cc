// Crosswalk suggestions through the site's handlers, no sockets: an editor keeps a crosswalk's
// pairs for review from the report's page and accepts or rejects them on the suggestions page
// (sessions with their CSRF token) and through the API (bearer tokens); the public sees only
// accepted ones; viewers read but cannot decide; bad decisions change nothing.
// tests/unit/web_permissions_test.cc holds the role matrix for these writes too.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "app/accounts.h"
#include "app/analysis_service.h"
#include "app/demo.h"
#include "storage/sqlite/sqlite_store.h"
#include "unit/test_support.h"
#include "unit/web_request.h"
#include "web/site.h"

namespace opennos::web {
namespace {

namespace json = boost::json;
using test::Headers;

const char kPassword[] = "a long enough password";
const char kCrosswalk[] = "?against=CM&threshold=0.3&exact=0.9";

bool Has(const std::string& body, const std::string& part) {
  return body.find(part) != std::string::npos;
}

class SuggestionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = test::OpenStoreIn(dir_.path());
    ASSERT_TRUE(LoadDemo(*store).ok());
    AccountStore& accounts = store->Accounts();
    const Actor root = CommandLineActor("root");
    auto other = AddOrganisation(accounts, "Other Body", OrganisationKind::kEmployer, root, 1);
    ASSERT_TRUE(other.ok());
    auto add = [&](const std::string& who, const std::string& org, Role role) {
      auto user = AddUser(accounts, who + "@example.org", org, role, kPassword, root, 1);
      ASSERT_TRUE(user.ok()) << user.status().message();
      auto token = IssueToken(accounts, user->id, "test", root, 1);
      ASSERT_TRUE(token.ok());
      tokens_[who] = token->secret;
      auto session = SignIn(accounts, who + "@example.org", kPassword, "192.0.2.1", NowSeconds());
      ASSERT_TRUE(session.ok() && session->outcome == SignInResult::Outcome::kSignedIn);
      sessions_[who] = {session->cookie, session->session.csrf_token};
    };
    add("editor", std::string(DemoOrganisationId()), Role::kEditor);
    add("viewer", std::string(DemoOrganisationId()), Role::kViewer);
    add("outsider", other->id, Role::kAdmin);
    const std::string db = test::DatabaseIn(dir_.path());
    site_ = std::make_unique<Site>([db] { return OpenSqliteStore(db, false); });
  }

  Response Page(const std::string& who, const std::string& method, const std::string& target,
                const std::string& form = "") {
    Headers headers{{"host", "opennos.test"}};
    if (!who.empty()) {
      const auto& [cookie, csrf] = sessions_.at(who);
      headers.emplace_back("cookie", "opennos_session=" + cookie);
      if (method != "GET") {
        headers.emplace_back("content-type", "application/x-www-form-urlencoded");
        return site_->Handle(test::MakeRequest(
            method, target, headers, "csrf_token=" + PercentEncode(csrf) + (form.empty() ? "" : "&" + form)));
      }
    }
    return site_->Handle(test::MakeRequest(method, target, headers));
  }

  Response Api(const std::string& who, const std::string& method, const std::string& target,
               const std::string& body = "") {
    Headers headers{{"host", "opennos.test"}};
    if (!who.empty()) headers.emplace_back("authorization", "Bearer " + tokens_.at(who));
    return site_->Handle(test::MakeRequest(method, "/api/v1" + target, headers, body));
  }

  std::int64_t Query(const std::string& sql) {
    return test::QueryInt(test::DatabaseIn(dir_.path()), sql);
  }
  std::int64_t Suggested(const std::string& decision) {
    return Query("SELECT count(*) FROM associations WHERE provenance = 'suggested' AND decision = '" +
                 decision + "'");
  }

  // The suggestions ML states, as its owner's members see them through the API.
  json::array Listed(const std::string& show = "all") {
    const Response r = Api("viewer", "GET", "/frameworks/ML/suggestions?show=" + show);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).at("suggestions").as_array();
  }

  // Keeps the crosswalk ML -> CM at 0.3 through the page, as the editor.
  std::int64_t KeepThroughThePage() {
    const Response r = Page("editor", "POST", std::string("/suites/ML/suggestions") + kCrosswalk);
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_TRUE(r.Get("Location").starts_with("/suites/ML/suggestions?added=")) << r.Get("Location");
    return Suggested("pending");
  }

  test::ScratchDir dir_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::pair<std::string, std::string>> sessions_;
  std::unique_ptr<Site> site_;
};

TEST_F(SuggestionsTest, TheCrosswalkPageOffersEditorsToKeepItsSuggestions) {
  const std::string report = std::string("/suites/ML/crosswalk") + kCrosswalk;
  const Response editor = Page("editor", "GET", report);
  ASSERT_EQ(editor.status, 200) << editor.body;
  EXPECT_TRUE(Has(editor.body, "suggestions for review</button>"));
  EXPECT_TRUE(Has(editor.body, "action=\"/suites/ML/suggestions?threshold=0.3&amp;against="));
  EXPECT_TRUE(Has(editor.body, "name=\"csrf_token\""));
  const Response viewer = Page("viewer", "GET", report);
  EXPECT_FALSE(Has(viewer.body, "suggestions for review</button>"));
  EXPECT_TRUE(Has(viewer.body, "href=\"/suites/ML/suggestions\""));
  const Response nobody = Page("", "GET", report);
  EXPECT_EQ(nobody.status, 200);
  EXPECT_FALSE(Has(nobody.body, "method=\"post\" action=\"/suites/ML/suggestions"));
  EXPECT_TRUE(Has(nobody.body, "after <a class=\"govuk-link\" href=\"/sign-in\">signing in</a>"));
}

TEST_F(SuggestionsTest, AnEditorKeepsThePairsAndTheListShowsThemPendingWithTheirEvidence) {
  const std::int64_t audit = Query("SELECT count(*) FROM audit_log");
  const std::int64_t kept = KeepThroughThePage();
  ASSERT_GT(kept, 0);
  EXPECT_EQ(Query("SELECT count(*) FROM audit_log"), audit + 1);
  const Response list = Page("editor", "GET", "/suites/ML/suggestions?added=" + std::to_string(kept) +
                                                  "&updated=0&unchanged=0");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(Has(list.body, "Kept " + std::to_string(kept) + " new suggestion"));
  EXPECT_TRUE(Has(list.body, "Pending (" + std::to_string(kept) + ")"));
  EXPECT_TRUE(Has(list.body, "name=\"id\" type=\"checkbox\""));
  EXPECT_TRUE(Has(list.body, "<mark class=\"opennos-common\">"));
  EXPECT_TRUE(Has(list.body, "Accept selected"));
  // Keeping again adds nothing.
  const Response again = Page("editor", "POST", std::string("/suites/ML/suggestions") + kCrosswalk);
  EXPECT_EQ(again.status, 303);
  EXPECT_TRUE(Has(again.Get("Location"), "?added=0&updated=0&unchanged=" + std::to_string(kept)));
  EXPECT_EQ(Suggested("pending"), kept);
}

TEST_F(SuggestionsTest, AcceptedSuggestionsBecomePublicAssociationsAndTheRestStayPrivate) {
  const std::int64_t public_before =
      json::parse(Page("", "GET", "/api/v1/frameworks/ML/associations").body).at("associations").as_array().size();
  const std::int64_t kept = KeepThroughThePage();
  ASSERT_GE(kept, 3);
  auto public_now = [&] {
    const Response r = Page("", "GET", "/api/v1/frameworks/ML/associations");
    EXPECT_EQ(r.status, 200);
    return static_cast<std::int64_t>(json::parse(r.body).at("associations").as_array().size());
  };
  EXPECT_EQ(public_now(), public_before) << "pending suggestions are not public";
  const std::string by_editor =
      "SELECT count(*) FROM revisions WHERE entity = 'association' AND author = 'editor@example.org'";
  EXPECT_EQ(Query(by_editor), kept) << "keeping is a revision of each suggestion by the editor";
  const json::array listed = Listed("pending");
  const std::string first(listed.at(0).at("id").as_string());
  const std::string second(listed.at(1).at("id").as_string());
  const std::string third(listed.at(2).at("id").as_string());
  const Response accept = Page("editor", "POST", "/suites/ML/suggestions/decisions",
                               "show=pending&decision=accept&id=" + first + "&id=" + second);
  ASSERT_EQ(accept.status, 303) << accept.body;
  EXPECT_EQ(accept.Get("Location"), "/suites/ML/suggestions?show=pending&decided=accepted&count=2");
  const Response reject = Page("editor", "POST", "/suites/ML/suggestions/decisions",
                               "decision=reject&id=" + third);
  ASSERT_EQ(reject.status, 303) << reject.body;
  EXPECT_EQ(Suggested("accepted"), 2);
  EXPECT_EQ(Suggested("rejected"), 1);
  EXPECT_EQ(public_now(), public_before + 2);
  EXPECT_EQ(Query(by_editor), kept + 3) << "each decision is a revision by the editor";
  const Response accepted = Page("viewer", "GET", "/suites/ML/suggestions?show=accepted");
  EXPECT_TRUE(Has(accepted.body, "Accepted (2)"));
  EXPECT_TRUE(Has(accepted.body, "Rejected (1)"));
  EXPECT_FALSE(Has(accepted.body, "type=\"checkbox\"")) << "a viewer cannot decide";
}

TEST_F(SuggestionsTest, ADecisionWithNothingSelectedOrAnUnknownSuggestionChangesNothing) {
  KeepThroughThePage();
  const std::string known(Listed("pending").at(0).at("id").as_string());
  const std::int64_t revisions = Query("SELECT count(*) FROM revisions");
  const Response none = Page("editor", "POST", "/suites/ML/suggestions/decisions", "decision=accept");
  EXPECT_EQ(none.status, 400);
  EXPECT_TRUE(Has(none.body, "Select at least one suggestion"));
  EXPECT_TRUE(Has(none.body, "href=\"#suggestions\""));
  const Response neither = Page("editor", "POST", "/suites/ML/suggestions/decisions", "id=" + known);
  EXPECT_EQ(neither.status, 400);
  EXPECT_TRUE(Has(neither.body, "Choose Accept or Reject"));
  const Response unknown = Page("editor", "POST", "/suites/ML/suggestions/decisions",
                                "decision=accept&id=" + known +
                                    "&id=00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(Has(unknown.body, "no suggestion 00000000-0000-4000-8000-000000000000"));
  const Response malformed = Page("editor", "POST", "/suites/ML/suggestions/decisions",
                                  "decision=accept&id=not-a-uuid");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(Query("SELECT count(*) FROM revisions"), revisions);
  EXPECT_EQ(Suggested("accepted"), 0);
}

TEST_F(SuggestionsTest, ViewersReadOutsidersAndTheSignedOutAreRefused) {
  KeepThroughThePage();
  const std::string id(Listed("pending").at(0).at("id").as_string());
  EXPECT_EQ(Page("viewer", "GET", "/suites/ML/suggestions").status, 200);
  EXPECT_EQ(Page("outsider", "GET", "/suites/ML/suggestions").status, 403);
  const Response signed_out = Page("", "GET", "/suites/ML/suggestions");
  EXPECT_EQ(signed_out.status, 303);
  EXPECT_TRUE(signed_out.Get("Location").starts_with("/sign-in?next="));
  const std::int64_t revisions = Query("SELECT count(*) FROM revisions");
  EXPECT_EQ(Page("viewer", "POST", "/suites/ML/suggestions/decisions", "decision=accept&id=" + id).status, 403);
  EXPECT_EQ(Page("outsider", "POST", "/suites/ML/suggestions/decisions", "decision=accept&id=" + id).status, 403);
  EXPECT_EQ(Page("viewer", "POST", std::string("/suites/ML/suggestions") + kCrosswalk).status, 403);
  EXPECT_EQ(Api("viewer", "POST", "/frameworks/ML/suggestions/decisions", "{\"accept\":[\"" + id + "\"]}").status, 403);
  EXPECT_EQ(Api("", "POST", "/frameworks/ML/suggestions/decisions", "{\"accept\":[\"" + id + "\"]}").status, 401);
  EXPECT_EQ(Api("outsider", "GET", "/frameworks/ML/suggestions").status, 403);
  EXPECT_EQ(Api("", "GET", "/frameworks/ML/suggestions").status, 401);
  // A write through the page without the CSRF token is refused by the site.
  const auto& [cookie, csrf] = sessions_.at("editor");
  const Response forged = site_->Handle(test::MakeRequest(
      "POST", "/suites/ML/suggestions/decisions",
      {{"host", "opennos.test"}, {"cookie", "opennos_session=" + cookie},
       {"content-type", "application/x-www-form-urlencoded"}},
      "decision=accept&id=" + id));
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(Query("SELECT count(*) FROM revisions"), revisions);
}

TEST_F(SuggestionsTest, TheApiKeepsListsAndDecides) {
  const Response keep = Api("editor", "POST", std::string("/frameworks/ML/suggestions") + kCrosswalk);
  ASSERT_EQ(keep.status, 200) << keep.body;
  const json::value counts = json::parse(keep.body);
  const std::int64_t added = counts.at("added").as_int64();
  ASSERT_GT(added, 0);
  EXPECT_EQ(counts.at("unchanged").as_int64(), 0);
  const json::value again = json::parse(
      Api("editor", "POST", std::string("/frameworks/ML/suggestions") + kCrosswalk).body);
  EXPECT_EQ(again.at("added").as_int64(), 0);
  EXPECT_EQ(again.at("unchanged").as_int64(), added);

  const json::array pending = Listed("pending");
  ASSERT_EQ(static_cast<std::int64_t>(pending.size()), added);
  const json::object& one = pending.at(0).as_object();
  EXPECT_EQ(one.at("decision"), "pending");
  EXPECT_TRUE(one.at("type") == "exactMatchOf" || one.at("type") == "isRelatedTo");
  const std::string a(pending.at(0).at("id").as_string());
  const std::string b(pending.at(1).at("id").as_string());
  const Response decided = Api("editor", "POST", "/frameworks/ML/suggestions/decisions",
                               "{\"accept\":[\"" + a + "\"],\"reject\":[\"" + b + "\"]}");
  ASSERT_EQ(decided.status, 200) << decided.body;
  const json::array out = json::parse(decided.body).at("suggestions").as_array();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].at("decision"), "accepted");
  EXPECT_EQ(out[1].at("decision"), "rejected");
  EXPECT_EQ(Listed("accepted").size(), 1u);
  EXPECT_EQ(Listed("rejected").size(), 1u);

  const std::int64_t revisions = Query("SELECT count(*) FROM revisions");
  for (const char* body : {"", "[]", "{}", "{\"accept\": \"x\"}", "{\"accept\": [1]}",
                           "{\"approve\": []}", "{\"accept\": []}", "not json"}) {
    SCOPED_TRACE(body);
    const Response bad = Api("editor", "POST", "/frameworks/ML/suggestions/decisions", body);
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_TRUE(Has(bad.body, "accept")) << bad.body;
  }
  EXPECT_EQ(Api("editor", "POST", "/frameworks/ML/suggestions/decisions",
                "{\"accept\":[\"" + a + "\", \"00000000-0000-4000-8000-000000000000\"]}")
                .status,
            404);
  EXPECT_EQ(Api("editor", "POST", "/frameworks/ML/suggestions?against=CM&threshold=2").status, 400);
  EXPECT_EQ(Api("editor", "POST", "/frameworks/ML/suggestions?threshold=0.5").status, 400);
  EXPECT_EQ(Api("editor", "POST", "/frameworks/NOPE/suggestions?against=CM").status, 404);
  EXPECT_EQ(Api("viewer", "GET", "/frameworks/ML/suggestions?show=maybe").status, 400);
  EXPECT_EQ(Query("SELECT count(*) FROM revisions"), revisions);
}

}  // namespace
}  // namespace opennos::web
