// The accounts half of the store (storage/accounts.h) against the SQLite backend, written
// against the interface only so that another backend can run the same cases: organisations,
// users, memberships, framework owners and the store's own ownership check, sessions, tokens,
// the audit log, failed sign-ins and server secrets.

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_store.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

class AccountStoreTest : public ::testing::Test {
 protected:
  AccountStoreTest() : store_(test::OpenStoreIn(dir_.path())), accounts_(store_->Accounts()) {}

  Organisation Org(const std::string& id, const std::string& name) {
    Organisation o{id, name, OrganisationKind::kEmployer, 100};
    EXPECT_TRUE(accounts_.CreateOrganisation(o).ok());
    return o;
  }
  User Person(const std::string& id, const std::string& email) {
    User u{id, email, "", "$argon2id$fake", 100};
    EXPECT_TRUE(accounts_.CreateUser(u).ok());
    return u;
  }

  test::ScratchDir dir_;
  std::unique_ptr<Store> store_;
  AccountStore& accounts_;
};

const char kOrgA[] = "00000000-0000-4000-8000-00000000000a";
const char kOrgB[] = "00000000-0000-4000-8000-00000000000b";
const char kAlice[] = "00000000-0000-4000-8000-0000000000a1";
const char kBob[] = "00000000-0000-4000-8000-0000000000b1";

TEST_F(AccountStoreTest, KeepsOrganisationsAndFindsThemByNameInAnyCase) {
  Org(kOrgA, "Skills Body");
  Org(kOrgB, "Care Employer");
  auto found = accounts_.FindOrganisation("skills BODY");
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->id, kOrgA);
  EXPECT_EQ(found->kind, OrganisationKind::kEmployer);
  auto list = accounts_.ListOrganisations();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "Skills Body");  // oldest first
  EXPECT_EQ(accounts_.GetOrganisation("nope").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(accounts_.FindOrganisation("nope").status().code(), Status::Code::kNotFound);
}

TEST_F(AccountStoreTest, RefusesASecondOrganisationWithTheSameName) {
  Org(kOrgA, "Skills Body");
  Status s = accounts_.CreateOrganisation({kOrgB, "SKILLS body", OrganisationKind::kEmployer, 1});
  EXPECT_EQ(s.code(), Status::Code::kConflict);
  EXPECT_NE(s.message().find("already exists"), std::string::npos) << s.message();
}

TEST_F(AccountStoreTest, KeepsUsersByEmailAndRefusesATakenOne) {
  Person(kAlice, "alice@example.org");
  auto found = accounts_.FindUserByEmail("ALICE@example.org");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, kAlice);
  EXPECT_EQ(found->password_hash, "$argon2id$fake");
  EXPECT_EQ(accounts_.CreateUser({kBob, "Alice@Example.org", "", "", 1}).code(),
            Status::Code::kConflict);
  ASSERT_TRUE(accounts_.SetPasswordHash(kAlice, "$argon2id$other").ok());
  EXPECT_EQ(accounts_.GetUser(kAlice)->password_hash, "$argon2id$other");
  EXPECT_EQ(accounts_.SetPasswordHash(kBob, "x").code(), Status::Code::kNotFound);
}

TEST_F(AccountStoreTest, MembershipsCarryARoleThatCanChangeAndGo) {
  Org(kOrgA, "Skills Body");
  Org(kOrgB, "Care Employer");
  Person(kAlice, "alice@example.org");
  Person(kBob, "bob@example.org");
  ASSERT_TRUE(accounts_.SetMembership(kAlice, kOrgA, Role::kEditor).ok());
  ASSERT_TRUE(accounts_.SetMembership(kAlice, kOrgB, Role::kViewer).ok());
  ASSERT_TRUE(accounts_.SetMembership(kBob, kOrgA, Role::kAdmin).ok());
  ASSERT_TRUE(accounts_.SetMembership(kAlice, kOrgA, Role::kReviewer).ok());  // a change
  auto mine = accounts_.MembershipsOf(kAlice);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].organisation_name, "Care Employer");
  EXPECT_EQ((*mine)[0].role, Role::kViewer);
  EXPECT_EQ((*mine)[1].role, Role::kReviewer);
  auto members = accounts_.Members(kOrgA);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].email, "alice@example.org");
  EXPECT_EQ((*members)[1].role, Role::kAdmin);
  ASSERT_TRUE(accounts_.RemoveMembership(kAlice, kOrgA).ok());
  EXPECT_EQ(accounts_.RemoveMembership(kAlice, kOrgA).code(), Status::Code::kNotFound);
  EXPECT_EQ(accounts_.MembershipsOf(kAlice)->size(), 1u);
  EXPECT_EQ(accounts_.SetMembership(kAlice, "no-such-org", Role::kAdmin).code(),
            Status::Code::kNotFound);
}

TEST_F(AccountStoreTest, NewFrameworksBelongToTheWritersOrganisation) {
  Org(kOrgA, "Skills Body");
  const FrameworkDoc doc = test::SampleFramework("ML", "2024");
  ASSERT_TRUE(store_->SaveFrameworks({doc}, {"alice", "new", kOrgA}).ok());
  EXPECT_EQ(*accounts_.FrameworkOwner(doc.framework.uuid), kOrgA);
  EXPECT_EQ(*accounts_.FrameworkOwner("00000000-0000-4000-8000-000000000999"), "");
}

TEST_F(AccountStoreTest, AWriteLimitedToItsOwnFrameworksCannotTouchAnotherOrganisations) {
  Org(kOrgA, "Skills Body");
  Org(kOrgB, "Care Employer");
  FrameworkDoc doc = test::SampleFramework("ML", "2024");
  ASSERT_TRUE(store_->SaveFrameworks({doc}, {"alice", "new", kOrgA}).ok());
  const auto before = test::CaptureState(*store_, test::DatabaseIn(dir_.path()));
  doc.framework.title = "Taken over";
  ChangeContext other{"mallory", "mine now", kOrgB, true};
  auto refused = store_->SaveFrameworks({doc}, other);
  EXPECT_EQ(refused.status().code(), Status::Code::kForbidden);
  EXPECT_NE(refused.status().message().find("another organisation"), std::string::npos);
  test::ExpectSameState(before, test::CaptureState(*store_, test::DatabaseIn(dir_.path())));
  EXPECT_EQ(*accounts_.FrameworkOwner(doc.framework.uuid), kOrgA);
  ChangeContext own{"alice", "retitle", kOrgA, true};
  EXPECT_TRUE(store_->SaveFrameworks({doc}, own).ok());
  EXPECT_EQ(store_->GetFramework(doc.framework.uuid)->title, "Taken over");
}

TEST_F(AccountStoreTest, AFrameworkNobodyOwnsIsRefusedToLimitedWritesAndCanBeAdopted) {
  FrameworkDoc doc = test::SampleFramework("ML", "2024");
  ASSERT_TRUE(store_->SaveFrameworks({doc}, {"cli", "import"}).ok());
  Org(kOrgA, "Skills Body");
  doc.framework.title = "Changed";
  EXPECT_EQ(store_->SaveFrameworks({doc}, {"alice", "x", kOrgA, true}).status().code(),
            Status::Code::kForbidden);
  auto adopted = accounts_.AdoptUnownedFrameworks(kOrgA);
  ASSERT_TRUE(adopted.ok());
  EXPECT_EQ(*adopted, 1);
  EXPECT_EQ(*accounts_.AdoptUnownedFrameworks(kOrgA), 0);
  EXPECT_TRUE(store_->SaveFrameworks({doc}, {"alice", "x", kOrgA, true}).ok());
  ASSERT_TRUE(accounts_.SetFrameworkOwner(doc.framework.uuid, kOrgA).ok());
  EXPECT_EQ(accounts_.SetFrameworkOwner("00000000-0000-4000-8000-000000000999", kOrgA).code(),
            Status::Code::kNotFound);
}

TEST_F(AccountStoreTest, SessionsAreFoundByDigestTouchedAndForgotten) {
  Person(kAlice, "alice@example.org");
  const Session s{"digest-1", kAlice, "csrf-1", "127.0.0.1", 1000, 1000, 5000};
  ASSERT_TRUE(accounts_.CreateSession(s).ok());
  ASSERT_TRUE(accounts_.CreateSession({"digest-2", kAlice, "csrf-2", "", 1000, 1000, 1500}).ok());
  auto found = accounts_.GetSession("digest-1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->csrf_token, "csrf-1");
  EXPECT_EQ(found->expires_at, 5000);
  ASSERT_TRUE(accounts_.TouchSession("digest-1", 1200).ok());
  EXPECT_EQ(accounts_.GetSession("digest-1")->last_seen_at, 1200);
  // At 1600 the second has expired; the first was seen at 1200, after the idle limit of 1100.
  ASSERT_TRUE(accounts_.DeleteStaleSessions(1600, 1100).ok());
  EXPECT_TRUE(accounts_.GetSession("digest-1").ok());
  EXPECT_EQ(accounts_.GetSession("digest-2").status().code(), Status::Code::kNotFound);
  ASSERT_TRUE(accounts_.DeleteSessionsOf(kAlice).ok());
  EXPECT_EQ(accounts_.GetSession("digest-1").status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(accounts_.DeleteSession("digest-1").ok());  // already gone: no error
}

TEST_F(AccountStoreTest, TokensAreFoundByDigestAndRevokedOnlyByTheirOwner) {
  Person(kAlice, "alice@example.org");
  Person(kBob, "bob@example.org");
  ASSERT_TRUE(accounts_.CreateToken({"t1", kAlice, "ci", "digest-a", 100, 0}).ok());
  ASSERT_TRUE(accounts_.CreateToken({"t2", kAlice, "laptop", "digest-b", 200, 0}).ok());
  auto found = accounts_.FindToken("digest-a");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user_id, kAlice);
  EXPECT_EQ(found->name, "ci");
  auto list = accounts_.TokensOf(kAlice);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "t2");  // newest first
  ASSERT_TRUE(accounts_.TouchToken("t1", 300).ok());
  EXPECT_EQ(accounts_.FindToken("digest-a")->last_used_at, 300);
  EXPECT_EQ(accounts_.DeleteToken(kBob, "t1").code(), Status::Code::kNotFound);
  ASSERT_TRUE(accounts_.DeleteToken(kAlice, "t1").ok());
  EXPECT_EQ(accounts_.FindToken("digest-a").status().code(), Status::Code::kNotFound);
}

TEST_F(AccountStoreTest, TheAuditLogOfAnOrganisationHoldsItsEntriesAndItsMembersNewestFirst) {
  Org(kOrgA, "Skills Body");
  Org(kOrgB, "Care Employer");
  Person(kAlice, "alice@example.org");
  Person(kBob, "bob@example.org");
  ASSERT_TRUE(accounts_.SetMembership(kAlice, kOrgA, Role::kAdmin).ok());
  ASSERT_TRUE(accounts_.SetMembership(kBob, kOrgB, Role::kAdmin).ok());
  const AuditEntry entries[] = {
      {0, 10, kAlice, "alice@example.org", "10.0.0.1", "", "sign-in", "alice@example.org", ""},
      {0, 11, kAlice, "alice@example.org", "10.0.0.1", kOrgA, "member.role", "x@y.org", "editor"},
      {0, 12, kBob, "bob@example.org", "10.0.0.2", kOrgB, "member.add", "z@y.org", "viewer"},
      {0, 13, "", "cli:root", "local", kOrgA, "framework.import", "1 file(s)", ""},
  };
  for (const AuditEntry& e : entries) ASSERT_TRUE(accounts_.AppendAudit(e).ok());
  auto log = accounts_.AuditOf(kOrgA, 0, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].action, "framework.import");
  EXPECT_EQ((*log)[1].action, "member.role");
  EXPECT_EQ((*log)[1].address, "10.0.0.1");
  EXPECT_EQ((*log)[1].at, 11);
  EXPECT_EQ((*log)[2].action, "sign-in");
  auto page = accounts_.AuditOf(kOrgA, (*log)[0].id, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].action, "member.role");
  EXPECT_EQ(accounts_.AuditOf(kOrgB, 0, 10)->size(), 1u);
}

TEST_F(AccountStoreTest, SignInFailuresAreCountedPerKeyWithinAWindow) {
  for (std::int64_t at : {100, 200, 300}) {
    ASSERT_TRUE(accounts_.RecordSignInFailure("account:a", at, 0).ok());
  }
  ASSERT_TRUE(accounts_.RecordSignInFailure("address:1", 300, 0).ok());
  EXPECT_EQ(*accounts_.SignInFailuresSince("account:a", 150), 2);
  EXPECT_EQ(*accounts_.SignInFailuresSince("account:a", 0), 3);
  EXPECT_EQ(*accounts_.OldestSignInFailureSince("account:a", 150), 200);
  EXPECT_EQ(*accounts_.OldestSignInFailureSince("account:b", 0), 0);
  // Recording forgets what is older than asked.
  ASSERT_TRUE(accounts_.RecordSignInFailure("account:a", 400, 250).ok());
  EXPECT_EQ(*accounts_.SignInFailuresSince("account:a", 0), 2);
  ASSERT_TRUE(accounts_.ClearSignInFailures("account:a").ok());
  EXPECT_EQ(*accounts_.SignInFailuresSince("account:a", 0), 0);
  EXPECT_EQ(*accounts_.SignInFailuresSince("address:1", 0), 1);
}

TEST_F(AccountStoreTest, AServerSecretIsStoredOnceAndThenAlwaysTheSame) {
  auto first = accounts_.ServerSecret("csrf", "one");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "one");
  EXPECT_EQ(*accounts_.ServerSecret("csrf", "two"), "one");
  auto reopened = test::OpenStoreIn(dir_.path());
  EXPECT_EQ(*reopened->Accounts().ServerSecret("csrf", "three"), "one");
}

}  // namespace
}  // namespace opennos
