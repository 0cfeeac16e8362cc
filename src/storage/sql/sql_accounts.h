#pragma once
// AccountStore written once over sql::Database, for both backends, beside the SqlStore that
// shares its connection (sql_store.cc).

#include "storage/accounts.h"
#include "storage/sql/database.h"

namespace opennos::sql {

class SqlAccountStore final : public AccountStore {
 public:
  // `db` must outlive this object (the SqlStore owns both).
  explicit SqlAccountStore(Database& db) : db_(db) {}

  Status CreateOrganisation(const Organisation& o) override;
  Result<Organisation> GetOrganisation(std::string_view id) override;
  Result<Organisation> FindOrganisation(std::string_view name) override;
  Result<std::vector<Organisation>> ListOrganisations() override;

  Status CreateUser(const User& u) override;
  Result<User> GetUser(std::string_view id) override;
  Result<User> FindUserByEmail(std::string_view email) override;
  Status SetPasswordHash(std::string_view user_id, std::string_view hash) override;

  Status SetMembership(std::string_view user_id, std::string_view organisation_id,
                       Role role) override;
  Status RemoveMembership(std::string_view user_id, std::string_view organisation_id) override;
  Result<std::vector<Membership>> MembershipsOf(std::string_view user_id) override;
  Result<std::vector<Membership>> Members(std::string_view organisation_id) override;

  Result<std::string> FrameworkOwner(std::string_view framework_uuid) override;
  Status SetFrameworkOwner(std::string_view framework_uuid,
                           std::string_view organisation_id) override;
  Result<std::int64_t> AdoptUnownedFrameworks(std::string_view organisation_id) override;

  Status CreateSession(const Session& s) override;
  Result<Session> GetSession(std::string_view id_digest) override;
  Status TouchSession(std::string_view id_digest, std::int64_t now) override;
  Status DeleteSession(std::string_view id_digest) override;
  Status DeleteStaleSessions(std::int64_t now, std::int64_t idle_since) override;
  Status DeleteSessionsOf(std::string_view user_id) override;

  Status CreateToken(const ApiToken& t) override;
  Result<ApiToken> FindToken(std::string_view digest) override;
  Result<std::vector<ApiToken>> TokensOf(std::string_view user_id) override;
  Status DeleteToken(std::string_view user_id, std::string_view token_id) override;
  Status TouchToken(std::string_view token_id, std::int64_t now) override;

  Status AppendAudit(const AuditEntry& e) override;
  Result<std::vector<AuditEntry>> AuditOf(std::string_view organisation_id,
                                          std::int64_t before_id, int limit) override;

  Status RecordSignInFailure(std::string_view key, std::int64_t now,
                             std::int64_t forget_before) override;
  Result<int> SignInFailuresSince(std::string_view key, std::int64_t since) override;
  Result<std::int64_t> OldestSignInFailureSince(std::string_view key,
                                                std::int64_t since) override;
  Status ClearSignInFailures(std::string_view key) override;

  Result<std::string> ServerSecret(std::string_view name, std::string_view candidate) override;

 private:
  // Runs a statement that changes rows; NotFound(`missing`) when it changed none.
  Status RunChanging(Statement& st, const std::string& missing);
  // Runs a one-row, one-integer query.
  Result<std::int64_t> QueryInt(Statement& st);

  Database& db_;
};

}  // namespace opennos::sql
