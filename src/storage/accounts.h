#pragma once
// The accounts half of the store: organisations, users, memberships, framework ownership,
// sessions, API tokens, the audit log and failed sign-ins. Like Store, it has no SQL in it;
// each backend implements it over the same connection as its Store (Store::Accounts()), and the
// same tests run against each (tests/unit/storage_accounts_test.cc).
//
// Secrets never reach this layer in clear: sessions and tokens are kept by their digest, and
// passwords as Argon2id strings (app/crypto.h). Times are Unix seconds given by the caller.
// Emails and organisation names are compared without regard to ASCII case.
//
// Each call is one transaction. Thread-safety: as the Store it belongs to (one thread).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts.h"
#include "core/status.h"

namespace opennos {

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // --- Organisations
  // Adds an organisation (its id, a UUID, given by the caller). Conflict if one has that name.
  virtual Status CreateOrganisation(const Organisation& o) = 0;
  // NotFound when there is none with this id (or name).
  virtual Result<Organisation> GetOrganisation(std::string_view id) = 0;
  virtual Result<Organisation> FindOrganisation(std::string_view name) = 0;
  // Every organisation, oldest first.
  virtual Result<std::vector<Organisation>> ListOrganisations() = 0;

  // --- Users
  // Adds a user (id given by the caller, email already normalised). Conflict on a taken email.
  virtual Status CreateUser(const User& u) = 0;
  virtual Result<User> GetUser(std::string_view id) = 0;  // NotFound
  virtual Result<User> FindUserByEmail(std::string_view email) = 0;  // NotFound
  virtual Status SetPasswordHash(std::string_view user_id, std::string_view hash) = 0;

  // --- Memberships
  // Makes the user a member of the organisation with this role, or changes their role.
  virtual Status SetMembership(std::string_view user_id, std::string_view organisation_id,
                               Role role) = 0;
  // NotFound when the user is not a member.
  virtual Status RemoveMembership(std::string_view user_id, std::string_view organisation_id) = 0;
  // A user's memberships, by organisation name.
  virtual Result<std::vector<Membership>> MembershipsOf(std::string_view user_id) = 0;
  // An organisation's members, by email.
  virtual Result<std::vector<Membership>> Members(std::string_view organisation_id) = 0;

  // --- Which organisation owns a framework (Store::SaveFrameworks sets it for new ones)
  // The owner's id; an empty string for a framework nobody owns (or that does not exist).
  virtual Result<std::string> FrameworkOwner(std::string_view framework_uuid) = 0;
  // Sets the owner of an existing framework; NotFound if there is no such framework.
  virtual Status SetFrameworkOwner(std::string_view framework_uuid,
                                   std::string_view organisation_id) = 0;
  // Gives every framework without an owner to this organisation; returns how many.
  virtual Result<std::int64_t> AdoptUnownedFrameworks(std::string_view organisation_id) = 0;

  // --- Sessions (by the digest of the cookie's token)
  virtual Status CreateSession(const Session& s) = 0;
  virtual Result<Session> GetSession(std::string_view id_digest) = 0;  // NotFound
  // Records activity: last_seen_at = now.
  virtual Status TouchSession(std::string_view id_digest, std::int64_t now) = 0;
  virtual Status DeleteSession(std::string_view id_digest) = 0;  // no error if absent
  // Forgets every session that ended (expires_at <= now) or was idle since before `idle_since`.
  virtual Status DeleteStaleSessions(std::int64_t now, std::int64_t idle_since) = 0;
  // Ends every session of a user (after a password change, a removal).
  virtual Status DeleteSessionsOf(std::string_view user_id) = 0;

  // --- API tokens (by digest)
  virtual Status CreateToken(const ApiToken& t) = 0;
  virtual Result<ApiToken> FindToken(std::string_view digest) = 0;  // NotFound
  // A user's tokens, newest first.
  virtual Result<std::vector<ApiToken>> TokensOf(std::string_view user_id) = 0;
  // NotFound unless the user has a token with this id.
  virtual Status DeleteToken(std::string_view user_id, std::string_view token_id) = 0;
  virtual Status TouchToken(std::string_view token_id, std::int64_t now) = 0;

  // --- Audit log
  // Appends an entry (its id and nothing else is assigned).
  virtual Status AppendAudit(const AuditEntry& e) = 0;
  // The entries about an organisation or made by one of its current members, newest first:
  // at most `limit`, with ids below `before_id` (0: from the newest).
  virtual Result<std::vector<AuditEntry>> AuditOf(std::string_view organisation_id,
                                                  std::int64_t before_id, int limit) = 0;

  // --- Failed sign-ins, counted per key ("account:…", "address:…")
  // Records a failure at `now` and forgets this key's failures before `forget_before`.
  virtual Status RecordSignInFailure(std::string_view key, std::int64_t now,
                                     std::int64_t forget_before) = 0;
  virtual Result<int> SignInFailuresSince(std::string_view key, std::int64_t since) = 0;
  // The time of the oldest failure of this key at or after `since` (0 if none).
  virtual Result<std::int64_t> OldestSignInFailureSince(std::string_view key,
                                                        std::int64_t since) = 0;
  virtual Status ClearSignInFailures(std::string_view key) = 0;

  // --- Server secrets shared by every server process (keys for HMACs)
  // The secret stored under `name`; if there is none yet, stores `candidate` and returns it.
  virtual Result<std::string> ServerSecret(std::string_view name,
                                           std::string_view candidate) = 0;
};

}  // namespace opennos
