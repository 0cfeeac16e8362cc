// The permission matrix through the site's handlers, without sockets: each role against each
// write and admin read of accounts, admin work and authoring, through the API (bearer tokens)
// and the pages (sessions with their CSRF token). Allowed exactly where RoleAllows says (whose table
// tests/unit/app_accounts_test.cc holds against docs/accounts.md); a refusal is 403 and
// changes nothing. Another organisation's admin is refused everything here.
// tests/integration/accounts_test.py runs the same matrix against the real server.

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "app/accounts.h"
#include "app/authoring.h"
#include "app/demo.h"
#include "app/importer.h"
#include "storage/sqlite/sqlite_store.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"
#include "unit/web_request.h"
#include "web/site.h"

namespace opennos::web {
namespace {

using test::Headers;

const char kPassword[] = "a long enough password";
const char kSuggestion[] = "5b0d5f0e-8c1a-4a51-9d59-1c2b3d4e5f60";

class PermissionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    auto store = test::OpenStoreIn(dir_->path());
    ASSERT_TRUE(LoadDemo(*store).ok());
    AccountStore& accounts = store->Accounts();
    const Actor root = CommandLineActor("root");
    auto other = AddOrganisation(accounts, "Other Body", OrganisationKind::kEmployer, root, 1);
    ASSERT_TRUE(other.ok());
    other_org_ = new std::string(other->id);
    tokens_ = new std::map<std::string, std::string>();
    sessions_ = new std::map<std::string, std::pair<std::string, std::string>>();
    auto add = [&](const std::string& who, const std::string& org, Role role) {
      auto user = AddUser(accounts, who + "@example.org", org, role, kPassword, root, 1);
      ASSERT_TRUE(user.ok()) << user.status().message();
      auto token = IssueToken(accounts, user->id, "test", root, 1);
      ASSERT_TRUE(token.ok());
      (*tokens_)[who] = token->secret;
      auto session = SignIn(accounts, who + "@example.org", kPassword, "192.0.2.1", NowSeconds());
      ASSERT_TRUE(session.ok() && session->outcome == SignInResult::Outcome::kSignedIn);
      (*sessions_)[who] = {session->cookie, session->session.csrf_token};
    };
    for (Role role : AllRoles()) add(std::string(RoleName(role)), std::string(DemoOrganisationId()), role);
    add("other-admin", *other_org_, Role::kAdmin);
    // Authoring: a draft edition of ML@2024 the demo body owns, and for each caller a complete
    // draft suite of their own to publish (publishing uses a draft up).
    ChangeContext demo{"root", "permission tests", std::string(DemoOrganisationId())};
    auto ml = ResolveFramework(*store, "ML@2024");
    ASSERT_TRUE(ml.ok());
    auto draft = CreateDraftEdition(*store, *ml, "2099", demo);
    ASSERT_TRUE(draft.ok()) << draft.status().message();
    draft_ = new std::string(*draft);
    ml_ = new std::string(*ml);
    // A crosswalk suggestion ML@2024 states, for deciding on.
    auto ml_doc = store->LoadFramework(*ml);
    auto cm = ResolveFramework(*store, "CM");
    ASSERT_TRUE(ml_doc.ok() && cm.ok());
    auto cm_doc = store->LoadFramework(*cm);
    ASSERT_TRUE(cm_doc.ok());
    Association suggestion;
    suggestion.uuid = kSuggestion;
    suggestion.framework_uuid = *ml;
    suggestion.type = "isRelatedTo";
    const Item& from = ml_doc->items.back();
    const Item& to = cm_doc->items.back();
    suggestion.origin = NodeRef{from.uuid, *ml, from.code, "", ""};
    suggestion.destination = NodeRef{to.uuid, *cm, to.code, "", ""};
    suggestion.provenance = "suggested";
    suggestion.score = 0.5;
    suggestion.decision = "pending";
    ml_doc->associations.push_back(suggestion);
    ASSERT_TRUE(store->SaveFrameworks({*ml_doc}, demo).ok());
    publishable_ = new std::map<std::string, std::string>();
    page_publishable_ = new std::map<std::string, std::string>();
    for (std::string who : {"viewer", "reviewer", "editor", "admin", "other-admin", "nobody",
                            "page-viewer", "page-reviewer", "page-editor", "page-admin",
                            "page-other-admin"}) {
      FrameworkDoc doc = test::EmptyFramework("PUB-" + who, "1");
      doc.framework.status = FrameworkStatus::kDraft;
      doc.framework.key_purpose = "Keep things working.";
      test::AddItem(doc, ItemType::kKeyArea, "A").title = "Key area A";
      Item& unit = test::AddItem(doc, ItemType::kUnit, "A1", "A");
      unit.title = "Set team goals";
      unit.unit.urn = "PUB" + who;
      unit.unit.overview = "What this unit is about.";
      unit.unit.review = "2030-01-01";
      test::AddItem(doc, ItemType::kPerformanceCriterion, "A1.P1", "A1").text =
          "Identify the goals of the team.";
      test::AddItem(doc, ItemType::kKnowledge, "A1.K1", "A1").text = "How to set goals.";
      ASSERT_TRUE(store->SaveFrameworks({doc}, demo).ok());
      if (who.rfind("page-", 0) == 0) {
        (*page_publishable_)[who.substr(5)] = doc.framework.uuid;
      } else {
        (*publishable_)[who] = doc.framework.uuid;
      }
    }
  }
  static void TearDownTestSuite() {
    delete page_publishable_;
    delete publishable_;
    delete ml_;
    delete draft_;
    delete sessions_;
    delete tokens_;
    delete other_org_;
    delete dir_;
  }

  PermissionsTest()
      : site_([db = test::DatabaseIn(dir_->path())] { return OpenSqliteStore(db, false); }) {}

  // What a refused request must leave alone.
  std::vector<std::int64_t> State() {
    const std::string db = test::DatabaseIn(dir_->path());
    std::vector<std::int64_t> out;
    for (const char* sql :
         {"SELECT count(*) FROM users", "SELECT count(*) FROM memberships",
          "SELECT count(*) FROM memberships WHERE role = 'reviewer'",
          "SELECT count(*) FROM api_tokens", "SELECT count(*) FROM frameworks",
          "SELECT count(*) FROM revisions", "SELECT count(*) FROM framework_owners",
          "SELECT count(*) FROM items", "SELECT count(*) FROM associations",
          "SELECT count(*) FROM audit_log"}) {
      out.push_back(test::QueryInt(db, sql));
    }
    return out;
  }

  Response Api(const std::string& who, const std::string& method, const std::string& path,
               const std::string& body = "", Headers headers = {}) {
    headers.emplace_back("host", "opennos.test");
    if (!who.empty()) headers.emplace_back("authorization", "Bearer " + tokens_->at(who));
    return site_.Handle(test::MakeRequest(method, "/api/v1" + path, headers, body));
  }

  Response Page(const std::string& who, const std::string& method, const std::string& path,
                const std::string& form) {
    const auto& [cookie, csrf] = sessions_->at(who);
    Headers headers{{"host", "opennos.test"},
                    {"cookie", "opennos_session=" + cookie},
                    {"content-type", "application/x-www-form-urlencoded"}};
    const std::string body = "csrf_token=" + PercentEncode(csrf) + (form.empty() ? "" : "&" + form);
    return site_.Handle(test::MakeRequest(method, path, headers, method == "GET" ? "" : body));
  }

  std::string UserId(const std::string& email) {
    auto store = test::OpenStoreIn(dir_->path());
    auto user = store->Accounts().FindUserByEmail(email);
    return user.ok() ? user->id : "00000000-0000-4000-8000-000000000000";
  }

  // The draft's current state, read afresh.
  FrameworkDoc Draft() {
    auto store = test::OpenStoreIn(dir_->path());
    auto doc = store->LoadFramework(*draft_);
    if (!doc.ok()) throw std::runtime_error(doc.status().message());
    return *doc;
  }
  // The draft's first unit, and its first statement still there.
  Item DraftUnit() {
    for (const Item& i : Draft().items) {
      if (i.type == ItemType::kUnit) return i;
    }
    throw std::runtime_error("the draft has no unit");
  }
  Item DraftStatement() {
    const FrameworkDoc doc = Draft();
    const std::string unit = DraftUnit().uuid;
    for (const Item& i : doc.items) {
      if (i.parent_uuid == unit && i.type == ItemType::kPerformanceCriterion) return i;
    }
    throw std::runtime_error("no statement left to remove");
  }
  // The published unit of ML@2024 that the draft's first unit copies.
  std::string OldUnit() {
    auto store = test::OpenStoreIn(dir_->path());
    auto doc = store->LoadFramework(*ml_);
    for (const Item& i : doc->items) {
      if (i.type == ItemType::kUnit) return i.uuid;
    }
    return "";
  }
  static Headers IfMatch(std::int64_t revision) {
    return {{"if-match", "\"" + std::to_string(revision) + "\""},
            {"content-type", "application/merge-patch+json"}};
  }

  struct Operation {
    std::string name;
    std::optional<Permission> needs;  // nullopt: any signed-in user
    std::function<Response(PermissionsTest&, const std::string& who)> call;
    // Whether another organisation's admin is refused (false for what each organisation may
    // do for itself, like starting a new suite of its own).
    bool other_organisation_refused = true;
    // The refusal: 403, or 404 where what is refused is a draft, which the public view hides
    // (docs/accounts.md).
    int refusal = 403;
  };

  static std::string Org() { return std::string(DemoOrganisationId()); }

  std::vector<Operation> ApiOperations() {
    const std::string org = "/organisations/" + Org();
    const std::string file = test::ReadFile(test::Fixture("case/bread-making-v1p1.json"));
    return {
        {"list members", Permission::kManageMembers,
         [=](PermissionsTest& t, const std::string& w) { return t.Api(w, "GET", org + "/members"); }},
        {"add a member", Permission::kManageMembers,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "PUT", org + "/members/new-" + w + "@example.org", R"({"role":"viewer"})");
         }},
        {"change a role", Permission::kManageMembers,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "PUT", org + "/members/reviewer@example.org", R"({"role":"reviewer"})");
         }},
        {"remove a member", Permission::kManageMembers,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "DELETE", org + "/members/new-admin@example.org");
         }},
        {"read the audit log", Permission::kReadAudit,
         [=](PermissionsTest& t, const std::string& w) { return t.Api(w, "GET", org + "/audit"); }},
        {"import", Permission::kImport,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "POST", org + "/import", file);
         }},
        {"export", Permission::kExport,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "GET", org + "/export/ML?format=csv");
         }},
        {"make a token", std::nullopt,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "POST", "/tokens", R"({"name":"more"})");
         }},
        {"start a draft suite", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "POST", "/frameworks",
                        R"({"code":"NEW-)" + w + R"(","edition":"1","title":"A new suite"})");
         },
         false},
        {"start a draft edition", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "POST", "/frameworks/CM/editions", R"({"edition":"2100-)" + w + "\"}");
         }},
        {"read a draft's checks", Permission::kReadDrafts,
         [d = *draft_](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "GET", "/frameworks/" + d + "/checks");
         },
         true, 404},
        {"edit a draft suite", Permission::kEditDrafts,
         [d = *draft_](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "PATCH", "/frameworks/" + d, R"({"title":"Retitled by )" + w + "\"}",
                        IfMatch(t.Draft().framework.revision));
         }},
        {"add a statement", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "POST", "/frameworks/" + *draft_ + "/items",
                        R"({"type":"performance-criterion","parent":")" + t.DraftUnit().uuid +
                            R"(","text":"Agree the plan with )" + w + "\"}");
         }},
        {"edit a unit", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           const Item unit = t.DraftUnit();
           return t.Api(w, "PATCH", "/items/" + unit.uuid, R"({"title":"Lead the team )" + w + "\"}",
                        IfMatch(unit.revision));
         }},
        {"move a unit", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "POST", "/items/" + t.DraftUnit().uuid + "/move", R"({"position":0})");
         }},
        {"restore a revision", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           const Item unit = t.DraftUnit();
           return t.Api(w, "POST", "/items/" + unit.uuid + "/restore", R"({"revision":1})",
                        IfMatch(unit.revision));
         }},
        {"remove a statement", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "DELETE", "/items/" + t.DraftStatement().uuid);
         }},
        {"map an old unit", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "PUT", "/frameworks/" + *draft_ + "/mappings",
                        R"({"from":")" + t.OldUnit() + R"(","type":"replacedBy","to":[")" +
                            t.DraftUnit().uuid + "\"]}");
         }},
        {"publish", Permission::kPublish,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "POST", "/frameworks/" + t.publishable_->at(w) + "/publish",
                        R"({"as":"edition"})");
         }},
        {"list crosswalk suggestions", Permission::kReadDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "GET", "/frameworks/ML@2024/suggestions");
         }},
        {"keep crosswalk suggestions", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "POST", "/frameworks/ML@2024/suggestions?against=CM&threshold=0.5");
         }},
        {"decide a suggestion", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Api(w, "POST", "/frameworks/ML@2024/suggestions/decisions",
                        std::string(R"({"accept":[")") + kSuggestion + "\"]}");
         }},
    };
  }

  std::vector<Operation> PageOperations() {
    const std::string org = "/admin/organisations/" + Org();
    return {
        {"members page", Permission::kManageMembers,
         [=](PermissionsTest& t, const std::string& w) { return t.Page(w, "GET", org, ""); }},
        {"add a member", Permission::kManageMembers,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", org + "/members",
                         "email=page-" + w + "%40example.org&role=viewer");
         }},
        {"change a role", Permission::kManageMembers,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", org + "/members/" + t.UserId("reviewer@example.org") + "/role",
                         "role=reviewer");
         }},
        {"remove a member", Permission::kManageMembers,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST",
                         org + "/members/" + t.UserId("page-admin@example.org") + "/remove", "");
         }},
        {"audit log", Permission::kReadAudit,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "GET", org + "/audit", "");
         }},
        {"import page", Permission::kImport,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "GET", org + "/import", "");
         }},
        {"export", Permission::kExport,
         [=](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "GET", org + "/export/CM?format=native", "");
         }},
        {"make a token", std::nullopt,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", "/account/tokens", "name=page");
         }},
        {"start a draft suite", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", "/drafts", "code=PNEW-" + w + "&edition=1&title=A+new+suite");
         },
         false},
        {"start a draft edition", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", "/drafts/editions",
                         "suite=" + t.Uuid("CM") + "&edition=2200-" + w);
         }},
        {"open a draft", Permission::kReadDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "GET", "/drafts/" + *draft_, "");
         }},
        {"save a draft's details", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           const FrameworkDoc d = t.Draft();
           return t.Page(w, "POST", "/drafts/" + *draft_ + "/details",
                         "revision=" + std::to_string(d.framework.revision) +
                             "&title=Retitled+by+" + w + "&key_purpose=" +
                             PercentEncode(d.framework.key_purpose) + "&review=2030-01-01");
         }},
        {"add a statement", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", "/drafts/" + *draft_ + "/items",
                         "type=performance-criterion&parent=" + t.DraftUnit().uuid +
                             "&text=Agree+the+plan+with+" + w);
         }},
        {"save a statement", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           const Item pc = t.DraftStatement();
           return t.Page(w, "POST", "/drafts/" + *draft_ + "/items/" + pc.uuid,
                         "revision=" + std::to_string(pc.revision) + "&text=Identify+it+" + w);
         }},
        {"move a unit", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", "/drafts/" + *draft_ + "/items/" + t.DraftUnit().uuid + "/move",
                         "direction=down");
         }},
        {"restore a revision", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST",
                         "/drafts/" + *draft_ + "/items/" + t.DraftUnit().uuid + "/restore",
                         "number=1");
         }},
        {"remove a statement", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST",
                         "/drafts/" + *draft_ + "/items/" + t.DraftStatement().uuid + "/remove", "");
         }},
        {"map an old unit", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", "/drafts/" + *draft_ + "/mappings",
                         "from=" + t.OldUnit() + "&replaced_by=" + t.DraftUnit().uuid);
         }},
        {"publish", Permission::kPublish,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", "/drafts/" + t.page_publishable_->at(w) + "/publish",
                         "as=edition");
         }},
        {"crosswalk suggestions page", Permission::kReadDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "GET", "/suites/ML@2024/suggestions", "");
         }},
        {"keep crosswalk suggestions", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", "/suites/ML@2024/suggestions?against=CM&threshold=0.5", "");
         }},
        {"decide a suggestion", Permission::kEditDrafts,
         [](PermissionsTest& t, const std::string& w) {
           return t.Page(w, "POST", "/suites/ML@2024/suggestions/decisions",
                         std::string("decision=reject&id=") + kSuggestion);
         }},
    };
  }

  std::string Uuid(const std::string& name) {
    auto store = test::OpenStoreIn(dir_->path());
    auto uuid = ResolveFramework(*store, name);
    if (!uuid.ok()) throw std::runtime_error(uuid.status().message());
    return *uuid;
  }

  void RunMatrix(const std::vector<Operation>& operations, const char* how) {
    for (const Operation& op : operations) {
      for (Role role : AllRoles()) {
        const std::string who(RoleName(role));
        SCOPED_TRACE(std::string(how) + ": " + op.name + " as " + who);
        const auto before = State();
        const Response r = op.call(*this, who);
        const bool allowed = !op.needs || RoleAllows(role, *op.needs);
        if (allowed) {
          EXPECT_LT(r.status, 400) << r.body;
        } else {
          EXPECT_EQ(r.status, op.refusal) << r.body;
          EXPECT_EQ(State(), before);
        }
        EXPECT_EQ(r.Get("Cache-Control"), "private, no-store");
      }
      SCOPED_TRACE(std::string(how) + ": " + op.name + " by another organisation's admin");
      const auto before = State();
      const Response r = op.call(*this, "other-admin");
      if (op.needs && op.other_organisation_refused) {
        EXPECT_EQ(r.status, op.refusal) << r.body;
        EXPECT_EQ(State(), before);
      }
    }
  }

  static inline test::ScratchDir* dir_ = nullptr;
  static inline std::string* other_org_ = nullptr;
  static inline std::string* draft_ = nullptr;  // a draft edition of ML@2024
  static inline std::string* ml_ = nullptr;     // ML@2024
  static inline std::map<std::string, std::string>* publishable_ = nullptr;  // caller -> draft
  static inline std::map<std::string, std::string>* page_publishable_ = nullptr;  // the same
  static inline std::map<std::string, std::string>* tokens_ = nullptr;
  static inline std::map<std::string, std::pair<std::string, std::string>>* sessions_ = nullptr;
  Site site_;
};

TEST_F(PermissionsTest, EachRoleThroughTheApiAsTheTableSays) { RunMatrix(ApiOperations(), "API"); }

TEST_F(PermissionsTest, EachRoleThroughThePagesAsTheTableSays) {
  RunMatrix(PageOperations(), "pages");
}

TEST_F(PermissionsTest, NoCredentialsIs401AndChangesNothing) {
  for (const Operation& op : ApiOperations()) {
    SCOPED_TRACE(op.name);
    const auto before = State();
    tokens_->emplace("nobody", "opennos_not-a-token");
    EXPECT_EQ(op.call(*this, "nobody").status, 401);
    EXPECT_EQ(State(), before);
  }
}

TEST_F(PermissionsTest, AWriteFromASessionWithoutItsCsrfTokenChangesNothing) {
  const std::string org = "/admin/organisations/" + Org();
  const auto& [cookie, csrf] = sessions_->at("admin");
  for (const std::string& token : {std::string(), std::string("forged"), csrf + "x"}) {
    const auto before = State();
    Headers headers{{"host", "opennos.test"},
                    {"cookie", "opennos_session=" + cookie},
                    {"content-type", "application/x-www-form-urlencoded"}};
    const Response r = site_.Handle(test::MakeRequest(
        "POST", org + "/members", headers,
        "csrf_token=" + PercentEncode(token) + "&email=csrf%40example.org&role=admin"));
    EXPECT_EQ(r.status, 403) << token;
    EXPECT_EQ(State(), before);
  }
  // The API with the session cookie needs the header.
  const auto before = State();
  Headers headers{{"host", "opennos.test"}, {"cookie", "opennos_session=" + cookie}};
  EXPECT_EQ(site_.Handle(test::MakeRequest("PUT", "/api/v1/organisations/" + Org() +
                                                      "/members/csrf@example.org",
                                           headers, R"({"role":"admin"})"))
                .status,
            403);
  EXPECT_EQ(State(), before);
  headers.emplace_back("x-csrf-token", csrf);
  EXPECT_EQ(site_.Handle(test::MakeRequest("PUT", "/api/v1/organisations/" + Org() +
                                                      "/members/csrf@example.org",
                                           headers, R"({"role":"viewer"})"))
                .status,
            201);
}

TEST_F(PermissionsTest, AnImportCannotTakeOverAnotherOrganisationsFramework) {
  // The demo's ML@2024 file, imported by the other organisation's admin into their own.
  auto store = test::OpenStoreIn(dir_->path());
  auto uuid = ResolveFramework(*store, "CM");
  ASSERT_TRUE(uuid.ok());
  auto file = ExportFramework(*store, *uuid, FileFormat::kNative);
  ASSERT_TRUE(file.ok());
  const auto before = State();
  const Response r = Api("other-admin", "POST", "/organisations/" + *other_org_ + "/import", *file);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("another organisation"), std::string::npos) << r.body;
  EXPECT_EQ(State(), before);
  EXPECT_EQ(*store->Accounts().FrameworkOwner(*uuid), Org());
}

}  // namespace
}  // namespace opennos::web
