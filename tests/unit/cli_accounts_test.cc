// The account commands of the opennos binary: org add|list, user add|role|password|token,
// import --org; their help, their errors, and what they leave in the store.

#include <gtest/gtest.h>

#include "app/accounts.h"
#include "app/crypto.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

using test::CliRun;
using test::RunCli;

const char kPassword[] = "a password long enough";

class CliAccountsTest : public ::testing::Test {
 protected:
  CliAccountsTest() : data_(dir_.path() / "data") { Ok({"init"}); }

  CliRun Opennos(const std::vector<std::string>& args, const std::string& input = "") {
    return RunCli(data_, args, input);
  }
  std::string Ok(const std::vector<std::string>& args, const std::string& input = "") {
    const CliRun run = Opennos(args, input);
    EXPECT_EQ(run.exit_code, 0) << args.front() << ": " << run.err;
    return run.out;
  }
  std::string Db() const { return test::DatabaseIn(data_); }

  test::ScratchDir dir_;
  std::filesystem::path data_;
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CliAccounts, EveryAccountCommandHasHelp) {
  const std::vector<std::vector<std::string>> commands{
      {"org", "add"}, {"org", "list"}, {"user", "add"}, {"user", "role"},
      {"user", "password"}, {"user", "token"}};
  for (const auto& c : commands) {
    const CliRun run = RunCli({c[0], c[1], "--help"});
    EXPECT_EQ(run.exit_code, 0) << c[0] << " " << c[1] << ": " << run.err;
    EXPECT_TRUE(Contains(run.out, c[1])) << run.out;
  }
  EXPECT_TRUE(Contains(RunCli({"user", "add", "--help"}).out, "--password-stdin"));
  EXPECT_TRUE(Contains(RunCli({"org", "add", "--help"}).out, "training-provider"));
  EXPECT_TRUE(Contains(RunCli({"import", "--help"}).out, "--org"));
  EXPECT_TRUE(Contains(RunCli({"serve", "--help"}).out, "--behind-proxy"));
}

TEST_F(CliAccountsTest, MakesTheFirstAdministrator) {
  EXPECT_TRUE(Contains(Ok({"org", "add", "Skills Body", "--kind", "standards-body"}),
                       "organisation added: Skills Body"));
  const std::string out = Ok({"user", "add", "Admin@Example.org", "--org", "skills body", "--role",
                              "admin", "--password-stdin"},
                             std::string(kPassword) + "\n");
  EXPECT_TRUE(Contains(out, "admin@example.org")) << out;
  EXPECT_FALSE(Contains(out, kPassword));
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM users WHERE password_hash LIKE "
                                 "'$argon2id$%'"), 1);
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM memberships WHERE role = 'admin'"), 1);
  auto store = test::OpenStoreIn(data_);
  auto signed_in = SignIn(store->Accounts(), "admin@example.org", kPassword, "local",
                          NowSeconds());
  ASSERT_TRUE(signed_in.ok());
  EXPECT_EQ(signed_in->outcome, SignInResult::Outcome::kSignedIn);
  EXPECT_TRUE(Contains(Ok({"org", "list"}), "1 member  Skills Body"));
}

TEST_F(CliAccountsTest, ChangesARoleAndAPassword) {
  Ok({"org", "add", "Skills Body", "--kind", "employer"});
  Ok({"user", "add", "ed@example.org", "--org", "Skills Body", "--role", "editor"});
  EXPECT_TRUE(Contains(Ok({"user", "role", "ed@example.org", "reviewer"}), "now reviewer"));
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM memberships WHERE role = 'reviewer'"), 1);
  Ok({"user", "password", "ed@example.org"}, std::string(kPassword) + "\r\n");
  auto store = test::OpenStoreIn(data_);
  EXPECT_EQ(SignIn(store->Accounts(), "ed@example.org", kPassword, "local", NowSeconds())
                ->outcome,
            SignInResult::Outcome::kSignedIn);
}

TEST_F(CliAccountsTest, PrintsATokenOnceAndKeepsOnlyItsDigest) {
  Ok({"org", "add", "Skills Body", "--kind", "employer"});
  Ok({"user", "add", "ed@example.org", "--org", "Skills Body", "--role", "editor"});
  const CliRun run = Opennos({"user", "token", "ed@example.org", "--name", "ci"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string token = run.out.substr(0, run.out.find('\n'));
  EXPECT_EQ(token.rfind("opennos_", 0), 0u) << run.out;
  EXPECT_TRUE(Contains(run.err, "shown only now"));
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM api_tokens WHERE digest = '" +
                                     TokenDigest(token) + "'"), 1);
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM api_tokens WHERE digest LIKE '%" +
                                     token.substr(8, 20) + "%'"), 0);
}

TEST_F(CliAccountsTest, RefusesBadInputWithAClearLineAndChangesNothing) {
  Ok({"org", "add", "Skills Body", "--kind", "employer"});
  const struct {
    std::vector<std::string> args;
    std::string input;
    std::string says;
  } cases[] = {
      {{"org", "add", "X", "--kind", "charity"}, "", "unknown kind"},
      {{"org", "add", "skills body", "--kind", "employer"}, "", "already exists"},
      {{"user", "add", "not-an-email", "--org", "Skills Body", "--role", "editor"}, "",
       "email address"},
      {{"user", "add", "a@example.org", "--org", "Nobody", "--role", "editor"}, "",
       "no organisation"},
      {{"user", "add", "a@example.org", "--org", "Skills Body", "--role", "boss"}, "",
       "unknown role"},
      {{"user", "add", "a@example.org", "--org", "Skills Body", "--role", "editor",
        "--password-stdin"}, "short\n", "at least 10"},
      {{"user", "add", "a@example.org", "--org", "Skills Body", "--role", "editor",
        "--password-stdin"}, "", "no password"},
      {{"user", "role", "nobody@example.org", "admin"}, "", "no user"},
      {{"user", "token", "nobody@example.org"}, "", "no user"},
      {{"import", test::Fixture("good/tiny.json"), "--org", "Nobody"}, "", "no organisation"},
  };
  const std::int64_t users = test::QueryInt(Db(), "SELECT count(*) FROM users");
  const std::int64_t orgs = test::QueryInt(Db(), "SELECT count(*) FROM organisations");
  for (const auto& c : cases) {
    const CliRun run = Opennos(c.args, c.input);
    EXPECT_EQ(run.exit_code, 1) << c.args[0] << " " << c.args[1] << ": " << run.err;
    EXPECT_TRUE(Contains(run.err, c.says)) << run.err;
  }
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM users"), users);
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM organisations"), orgs);
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM frameworks"), 0);
}

TEST_F(CliAccountsTest, ImportGivesNewFrameworksToOrgOrToTheDefaultOrganisation) {
  Ok({"demo"});
  Ok({"org", "add", "Skills Body", "--kind", "standards-body"});
  Ok({"org", "add", "Care Employer", "--kind", "employer"});
  Ok({"import", test::Fixture("good/tiny.json"), "--org", "Care Employer"});
  Ok({"import", test::Fixture("good/tiny-edition-2.json")});
  const std::string owners =
      "SELECT o.name FROM framework_owners fo JOIN frameworks f ON f.uuid = fo.framework_uuid "
      "JOIN organisations o ON o.id = fo.organisation_id WHERE f.code = 'TINY' AND f.edition = ";
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM (" + owners + "'1') WHERE name = "
                                 "'Care Employer'"), 1);
  // Not the demo's body, though it came first: the first organisation added.
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM (" + owners + "'2') WHERE name = "
                                 "'Skills Body'"), 1);
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM framework_owners WHERE organisation_id "
                                 "= '" + std::string(DemoOrganisationId()) + "'"), 3);
  EXPECT_GE(test::QueryInt(Db(), "SELECT count(*) FROM audit_log WHERE action = "
                                 "'framework.import' AND address = 'local'"), 2);
}

TEST_F(CliAccountsTest, FrameworksImportedBeforeAnyOrganisationGoToTheFirst) {
  Ok({"import", test::Fixture("good/tiny.json")});
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM framework_owners"), 0);
  EXPECT_TRUE(Contains(Ok({"org", "add", "Skills Body", "--kind", "standards-body"}), "added"));
  EXPECT_EQ(test::QueryInt(Db(), "SELECT count(*) FROM framework_owners"), 1);
}

}  // namespace
}  // namespace opennos
