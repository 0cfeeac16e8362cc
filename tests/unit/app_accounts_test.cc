// Accounts as the CLI and the site use them (app/accounts.h): adding organisations and users,
// passwords, signing in with lock-out, sessions that end, tokens, and the permission table,
// which must be the one docs/accounts.md shows.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "app/accounts.h"
#include "app/crypto.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

const Actor kRoot = CommandLineActor("root");
const char kPassword[] = "correct horse battery";

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest() : store_(test::OpenStoreIn(dir_.path())), accounts_(store_->Accounts()) {
    options_.account_failures = 3;
    options_.address_failures = 5;
  }

  Organisation AddOrg(const std::string& name) {
    auto org = AddOrganisation(accounts_, name, OrganisationKind::kStandardsBody, kRoot, now_);
    EXPECT_TRUE(org.ok()) << org.status().message();
    return org.ok() ? *org : Organisation{};
  }
  User AddPerson(const std::string& email, const std::string& org, Role role,
                 const std::string& password = kPassword) {
    auto user = AddUser(accounts_, email, org, role, password, kRoot, now_, options_);
    EXPECT_TRUE(user.ok()) << user.status().message();
    return user.ok() ? *user : User{};
  }
  SignInResult::Outcome Attempt(const std::string& email, const std::string& password,
                                const std::string& address = "192.0.2.1") {
    auto result = SignIn(accounts_, email, password, address, now_, options_);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? result->outcome : SignInResult::Outcome::kWrongCredentials;
  }

  test::ScratchDir dir_;
  std::unique_ptr<Store> store_;
  AccountStore& accounts_;
  AuthOptions options_;
  std::int64_t now_ = 1'800'000'000;
};

using Outcome = SignInResult::Outcome;

TEST(Crypto, HashesPasswordsWithArgon2idAndASaltEachTime) {
  auto a = HashPassword(kPassword);
  auto b = HashPassword(kPassword);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rfind("$argon2id$", 0), 0u) << *a;
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->find(kPassword), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*a, kPassword));
  EXPECT_FALSE(VerifyPassword(*a, "correct horse battery!"));
  EXPECT_FALSE(VerifyPassword("", kPassword));
  EXPECT_FALSE(VerifyPassword("not a hash", kPassword));
}

TEST(Crypto, TokensAreRandomAndTheirDigestsStable) {
  const std::string a = RandomToken(), b = RandomToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(TokenDigest(a), TokenDigest(a));
  EXPECT_NE(TokenDigest(a), TokenDigest(b));
  EXPECT_EQ(TokenDigest(a).size(), 64u);
  EXPECT_EQ(Hmac("key", "message"), Hmac("key", "message"));
  EXPECT_NE(Hmac("key", "message"), Hmac("other", "message"));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST_F(AccountsTest, TheFirstOrganisationTakesTheFrameworksNobodyOwns) {
  const FrameworkDoc doc = test::SampleFramework("ML", "2024");
  ASSERT_TRUE(store_->SaveFrameworks({doc}, {"cli", "import"}).ok());
  const Organisation first = AddOrg("Skills Body");
  EXPECT_EQ(*accounts_.FrameworkOwner(doc.framework.uuid), first.id);
  const FrameworkDoc other = test::SampleFramework("CM", "2023");
  ASSERT_TRUE(store_->SaveFrameworks({other}, {"cli", "import"}).ok());
  AddOrg("Second Body");
  EXPECT_EQ(*accounts_.FrameworkOwner(other.framework.uuid), "");
  auto fallback = DefaultOrganisation(accounts_);
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->id, first.id);
}

TEST_F(AccountsTest, RefusesBadNamesEmailsAndPasswords) {
  EXPECT_EQ(AddOrganisation(accounts_, "  ", OrganisationKind::kEmployer, kRoot, now_)
                .status().code(),
            Status::Code::kInvalid);
  AddOrg("Skills Body");
  EXPECT_EQ(AddOrganisation(accounts_, "skills body", OrganisationKind::kEmployer, kRoot, now_)
                .status().code(),
            Status::Code::kConflict);
  for (const char* email : {"", "alice", "alice@", "@example.org", "a@b", "a b@example.org",
                            "a@@example.org"}) {
    EXPECT_EQ(AddUser(accounts_, email, "Skills Body", Role::kEditor, kPassword, kRoot, now_)
                  .status().code(),
              Status::Code::kInvalid)
        << email;
  }
  EXPECT_EQ(AddUser(accounts_, "a@example.org", "Skills Body", Role::kEditor, "short", kRoot,
                    now_).status().code(),
            Status::Code::kInvalid);
  EXPECT_EQ(AddUser(accounts_, "a@example.org", "No Such Body", Role::kEditor, kPassword, kRoot,
                    now_).status().code(),
            Status::Code::kNotFound);
  EXPECT_EQ(accounts_.FindUserByEmail("a@example.org").status().code(), Status::Code::kNotFound);
}

TEST_F(AccountsTest, AddsAUserOnceAndTheirOtherMembershipsLater) {
  AddOrg("Skills Body");
  AddOrg("Care Employer");
  const User alice = AddPerson(" Alice@Example.ORG ", "Skills Body", Role::kEditor);
  EXPECT_EQ(alice.email, "alice@example.org");
  EXPECT_EQ(alice.password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(AddUser(accounts_, "alice@example.org", "Skills Body", Role::kAdmin, "", kRoot, now_)
                .status().code(),
            Status::Code::kConflict);
  AddPerson("alice@example.org", "Care Employer", Role::kViewer, "");
  EXPECT_EQ(accounts_.MembershipsOf(alice.id)->size(), 2u);
  // The password given first still works: adding a membership without one keeps it.
  EXPECT_EQ(Attempt("alice@example.org", kPassword), Outcome::kSignedIn);
}

TEST_F(AccountsTest, ChangesARoleNamingTheOrganisationWhenThereAreSeveral) {
  AddOrg("Skills Body");
  AddOrg("Care Employer");
  const User alice = AddPerson("alice@example.org", "Skills Body", Role::kEditor);
  ASSERT_TRUE(SetRole(accounts_, "alice@example.org", Role::kAdmin, "", kRoot, now_).ok());
  EXPECT_EQ(accounts_.MembershipsOf(alice.id)->front().role, Role::kAdmin);
  AddPerson("alice@example.org", "Care Employer", Role::kViewer, "");
  EXPECT_EQ(SetRole(accounts_, "alice@example.org", Role::kEditor, "", kRoot, now_).code(),
            Status::Code::kInvalid);
  ASSERT_TRUE(
      SetRole(accounts_, "alice@example.org", Role::kEditor, "care employer", kRoot, now_).ok());
  EXPECT_EQ(SetRole(accounts_, "bob@example.org", Role::kEditor, "", kRoot, now_).code(),
            Status::Code::kNotFound);
}

TEST_F(AccountsTest, SignsInWithTheRightPasswordOnly) {
  AddOrg("Skills Body");
  const User alice = AddPerson("alice@example.org", "Skills Body", Role::kEditor);
  EXPECT_EQ(Attempt("alice@example.org", "wrong password"), Outcome::kWrongCredentials);
  EXPECT_EQ(Attempt("nobody@example.org", kPassword), Outcome::kWrongCredentials);
  auto result = SignIn(accounts_, "ALICE@example.org", kPassword, "192.0.2.1", now_, options_);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->outcome, Outcome::kSignedIn);
  EXPECT_EQ(result->user.id, alice.id);
  EXPECT_TRUE(result->user.password_hash.empty());
  EXPECT_EQ(result->session.id_digest, TokenDigest(result->cookie));
  EXPECT_EQ(result->session.expires_at, now_ + options_.session_max_seconds);
  EXPECT_FALSE(result->session.csrf_token.empty());
  auto principal = PrincipalFromSession(accounts_, result->cookie, now_ + 1, options_);
  ASSERT_TRUE(principal.ok() && principal->has_value());
  EXPECT_EQ((*principal)->user.email, "alice@example.org");
  EXPECT_EQ((*principal)->csrf_token, result->session.csrf_token);
  EXPECT_FALSE(PrincipalFromSession(accounts_, "made-up", now_, options_)->has_value());
}

TEST_F(AccountsTest, AUserWithoutAPasswordCannotSignIn) {
  AddOrg("Skills Body");
  AddPerson("alice@example.org", "Skills Body", Role::kEditor, "");
  EXPECT_EQ(Attempt("alice@example.org", ""), Outcome::kWrongCredentials);
  EXPECT_EQ(Attempt("alice@example.org", kPassword), Outcome::kWrongCredentials);
}

TEST_F(AccountsTest, LocksAnAccountAfterRepeatedFailuresUntilTheWindowPasses) {
  AddOrg("Skills Body");
  AddPerson("alice@example.org", "Skills Body", Role::kEditor);
  for (int i = 0; i < options_.account_failures; ++i) {
    EXPECT_EQ(Attempt("alice@example.org", "wrong password", "192.0.2." + std::to_string(i)),
              Outcome::kWrongCredentials);
    now_ += 10;
  }
  // Locked now, even with the right password, from anywhere.
  auto locked = SignIn(accounts_, "alice@example.org", kPassword, "198.51.100.7", now_, options_);
  ASSERT_TRUE(locked.ok());
  EXPECT_EQ(locked->outcome, Outcome::kLocked);
  EXPECT_GT(locked->retry_after, 0);
  EXPECT_LE(locked->retry_after, options_.failure_window_seconds);
  EXPECT_EQ(accounts_.GetSession("x").status().code(), Status::Code::kNotFound);
  // Another account is not locked.
  AddPerson("bob@example.org", "Skills Body", Role::kEditor);
  EXPECT_EQ(Attempt("bob@example.org", kPassword, "198.51.100.8"), Outcome::kSignedIn);
  // Once the window has passed, the right password works and clears the count.
  now_ += locked->retry_after;
  EXPECT_EQ(Attempt("alice@example.org", kPassword, "198.51.100.7"), Outcome::kSignedIn);
  EXPECT_EQ(Attempt("alice@example.org", "wrong password", "198.51.100.7"),
            Outcome::kWrongCredentials);
  EXPECT_EQ(Attempt("alice@example.org", kPassword, "198.51.100.7"), Outcome::kSignedIn);
}

TEST_F(AccountsTest, LocksAnAddressAfterRepeatedFailuresForAnyAccounts) {
  AddOrg("Skills Body");
  AddPerson("alice@example.org", "Skills Body", Role::kEditor);
  for (int i = 0; i < options_.address_failures; ++i) {
    EXPECT_EQ(Attempt("guess" + std::to_string(i) + "@example.org", "x", "203.0.113.9"),
              Outcome::kWrongCredentials);
  }
  EXPECT_EQ(Attempt("alice@example.org", kPassword, "203.0.113.9"), Outcome::kLocked);
  EXPECT_EQ(Attempt("alice@example.org", kPassword, "203.0.113.10"), Outcome::kSignedIn);
}

TEST_F(AccountsTest, UnknownEmailsAreLockedLikeKnownOnesAndKeptOnlyAsDigests) {
  for (int i = 0; i < options_.account_failures; ++i) {
    Attempt("nobody@example.org", "my secret attempt", "192.0.2." + std::to_string(i));
  }
  EXPECT_EQ(Attempt("nobody@example.org", "x", "192.0.2.99"), Outcome::kLocked);
  const std::string db = test::DatabaseIn(dir_.path());
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM sign_in_failures WHERE key LIKE "
                               "'%nobody%'"), 0);
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM audit_log WHERE actor LIKE '%nobody%'"), 0);
}

TEST_F(AccountsTest, SessionsEndWhenIdleWhenOldAndWhenSignedOut) {
  AddOrg("Skills Body");
  AddPerson("alice@example.org", "Skills Body", Role::kEditor);
  auto start = [&] {
    auto r = SignIn(accounts_, "alice@example.org", kPassword, "192.0.2.1", now_, options_);
    EXPECT_TRUE(r.ok() && r->outcome == Outcome::kSignedIn);
    return r->cookie;
  };
  auto alive = [&](const std::string& cookie, std::int64_t at) {
    auto p = PrincipalFromSession(accounts_, cookie, at, options_);
    EXPECT_TRUE(p.ok());
    return p.ok() && p->has_value();
  };
  const std::string idle = start();
  EXPECT_TRUE(alive(idle, now_ + options_.session_idle_seconds - 1));
  EXPECT_FALSE(alive(idle, now_ + 2 * options_.session_idle_seconds));
  EXPECT_FALSE(alive(idle, now_));  // deleted, not just refused

  const std::string busy = start();
  std::int64_t t = now_;
  for (; t < now_ + options_.session_max_seconds; t += options_.session_idle_seconds / 2) {
    EXPECT_TRUE(alive(busy, t));
  }
  EXPECT_FALSE(alive(busy, now_ + options_.session_max_seconds));

  const std::string ended = start();
  auto p = PrincipalFromSession(accounts_, ended, now_, options_);
  ASSERT_TRUE(p.ok() && p->has_value());
  ASSERT_TRUE(SignOut(accounts_, **p, "192.0.2.1", now_).ok());
  EXPECT_FALSE(alive(ended, now_));
}

TEST_F(AccountsTest, APasswordChangeEndsEverySessionOfTheUser) {
  AddOrg("Skills Body");
  const User alice = AddPerson("alice@example.org", "Skills Body", Role::kEditor);
  auto r = SignIn(accounts_, "alice@example.org", kPassword, "192.0.2.1", now_, options_);
  ASSERT_TRUE(r.ok() && r->outcome == Outcome::kSignedIn);
  ASSERT_TRUE(ChangePassword(accounts_, alice.id, "a new long password", kRoot, now_).ok());
  EXPECT_FALSE(PrincipalFromSession(accounts_, r->cookie, now_, options_)->has_value());
  EXPECT_EQ(Attempt("alice@example.org", kPassword), Outcome::kWrongCredentials);
  EXPECT_EQ(Attempt("alice@example.org", "a new long password"), Outcome::kSignedIn);
}

TEST_F(AccountsTest, TokensActForTheirUserUntilRevoked) {
  const Organisation org = AddOrg("Skills Body");
  const User alice = AddPerson("alice@example.org", "Skills Body", Role::kViewer);
  auto issued = IssueToken(accounts_, alice.id, "ci", kRoot, now_);
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->secret.rfind("opennos_", 0), 0u);
  EXPECT_EQ(issued->token.digest, TokenDigest(issued->secret));
  auto p = PrincipalFromToken(accounts_, issued->secret, now_);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->via, Principal::Via::kToken);
  EXPECT_EQ((*p)->RoleIn(org.id), Role::kViewer);
  EXPECT_FALSE((*p)->Can(org.id, Permission::kEditDrafts));
  EXPECT_TRUE((*p)->Can(org.id, Permission::kReadDrafts));
  EXPECT_FALSE((*p)->Can("another-org", Permission::kReadDrafts));
  ASSERT_TRUE(RevokeToken(accounts_, alice.id, issued->token.id, kRoot, now_).ok());
  EXPECT_FALSE(PrincipalFromToken(accounts_, issued->secret, now_)->has_value());
  const std::string db = test::DatabaseIn(dir_.path());
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM audit_log WHERE detail LIKE '%" +
                                   issued->secret + "%'"), 0);
}

TEST_F(AccountsTest, EveryWriteIsInTheAuditLog) {
  const Organisation org = AddOrg("Skills Body");
  const User alice = AddPerson("alice@example.org", "Skills Body", Role::kAdmin);
  ASSERT_TRUE(SetRole(accounts_, "alice@example.org", Role::kEditor, "", kRoot, now_).ok());
  Attempt("alice@example.org", "wrong password");
  Attempt("alice@example.org", kPassword);
  auto log = accounts_.AuditOf(org.id, 0, 50);
  ASSERT_TRUE(log.ok());
  std::vector<std::string> actions;
  for (const AuditEntry& e : *log) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"sign-in", "sign-in.failed", "member.role",
                                               "member.add", "organisation.add"}));
  EXPECT_EQ(log->back().actor, "cli:root");
  EXPECT_EQ(log->back().address, "local");
  EXPECT_EQ(log->front().address, "192.0.2.1");
  EXPECT_EQ(log->front().actor_id, alice.id);
}

// The permission table in docs/accounts.md is the one the code applies.
TEST(Permissions, TheDocumentedTableIsTheOneApplied) {
  std::ifstream in(std::string(OPENNOS_SOURCE_DIR) + "/docs/accounts.md");
  ASSERT_TRUE(in) << "docs/accounts.md";
  std::stringstream text;
  text << in.rdbuf();
  const std::regex row(R"(\| `([a-z-]+)`:[^|]*((?:\|[^|\n]*){4})\|)");
  int rows = 0;
  const std::string doc = text.str();
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator();
       ++it) {
    const std::string name = (*it)[1];
    std::vector<bool> marks;
    std::string cells = (*it)[2];
    std::stringstream split(cells.substr(1));
    for (std::string cell; std::getline(split, cell, '|');) {
      marks.push_back(cell.find("✓") != std::string::npos);
    }
    ASSERT_EQ(marks.size(), 4u) << name;
    bool found = false;
    for (Permission p : AllPermissions()) {
      if (PermissionName(p) != name) continue;
      found = true;
      for (size_t r = 0; r < AllRoles().size(); ++r) {
        EXPECT_EQ(RoleAllows(AllRoles()[r], p), marks[r])
            << name << " for " << RoleName(AllRoles()[r]);
      }
    }
    EXPECT_TRUE(found) << "docs/accounts.md names an unknown permission " << name;
    ++rows;
  }
  EXPECT_EQ(rows, static_cast<int>(AllPermissions().size()));
}

}  // namespace
}  // namespace opennos
