#pragma once
// Accounts as the command line and the web site use them: adding organisations, users, roles
// and tokens; signing in with lock-out after repeated failures; finding who makes a request;
// and recording every write in the audit log. The rules live here, once; storage only keeps.
//
// Passwords and tokens pass through these functions but are never stored, logged or returned
// in clear, apart from a new token, which IssueToken returns once for its owner to copy.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts.h"
#include "storage/store.h"

namespace opennos {

// Every setting of accounts, with its default.
struct AuthOptions {
  // A session ends after this long without a request...
  std::int64_t session_idle_seconds = 2 * 60 * 60;
  // ...and after this long whatever happens.
  std::int64_t session_max_seconds = 12 * 60 * 60;
  // Failed sign-ins for one account within the window that lock it until the window passes.
  int account_failures = 5;
  // Failed sign-ins from one IP address within the window that lock it out the same way.
  int address_failures = 20;
  std::int64_t failure_window_seconds = 15 * 60;
  // Passwords: at least this many characters (bytes of UTF-8), and at most the other.
  std::size_t min_password_length = 10;
  std::size_t max_password_length = 512;
};

// Who does something, for the audit log.
struct Actor {
  std::string user_id;  // empty for the command line
  std::string name;     // the user's email, or "cli:NAME"
  std::string address;  // the client's IP address, or "local"
};
// The command line run by `name` (the --as option or the environment's user).
Actor CommandLineActor(std::string_view name);

// The current time, in Unix seconds.
std::int64_t NowSeconds();

// Trims spaces and lowers ASCII case.
std::string NormaliseEmail(std::string_view email);
// Invalid, with a message for people, unless `email` looks like an address (one '@', something
// either side, a dot in the domain, no spaces, at most 254 characters).
Status CheckEmail(std::string_view email);
// Invalid, with a message for people, unless the password's length is within the options.
Status CheckPassword(std::string_view password, const AuthOptions& options = {});

// The demo standards body that owns the demo suites (app/demo.h); fixed id.
std::string_view DemoOrganisationId();
std::string_view DemoOrganisationName();

// An organisation named `name_or_id` (its name, any case, or its id). NotFound names it.
Result<Organisation> ResolveOrganisation(AccountStore& accounts, std::string_view name_or_id);
// The organisation that owns what the command line imports when --org is not given: the first
// organisation added, not counting the demo's; the demo's if it is the only one; NotFound if
// there is none.
Result<Organisation> DefaultOrganisation(AccountStore& accounts);

// Adds an organisation. The first one added (not counting the demo's) takes every framework
// that nobody owns yet. Invalid for an empty name; Conflict if the name is taken.
Result<Organisation> AddOrganisation(AccountStore& accounts, std::string_view name,
                                     OrganisationKind kind, const Actor& actor,
                                     std::int64_t now);

// Adds a user with a role in an organisation; or, for an existing user, adds that membership
// (Conflict if they are a member already: change a role with SetRole). `password` may be empty
// (the user then signs in only once one is set); if given it must pass CheckPassword and
// replaces any old one.
Result<User> AddUser(AccountStore& accounts, std::string_view email,
                     std::string_view organisation, Role role, std::string_view password,
                     const Actor& actor, std::int64_t now, const AuthOptions& options = {});
// Changes a member's role. `organisation` may be empty when the user belongs to exactly one.
Status SetRole(AccountStore& accounts, std::string_view email, Role role,
               std::string_view organisation, const Actor& actor, std::int64_t now);
// Removes a member from an organisation; their sessions end.
Status RemoveMember(AccountStore& accounts, std::string_view email,
                    std::string_view organisation_id, const Actor& actor, std::int64_t now);
// Conflict when making `user_id` a `new_role` (or, with nullopt,
// removing them) would leave the organisation without an admin.
Status KeepsAnAdmin(AccountStore& accounts, std::string_view organisation_id,
                    std::string_view user_id, std::optional<Role> new_role);
// True when `password` is the user's (false for a user without a password).
bool VerifyUserPassword(const User& user, std::string_view password);
// Sets a user's own password (their other sessions end).
Status ChangePassword(AccountStore& accounts, std::string_view user_id,
                      std::string_view password, const Actor& actor, std::int64_t now,
                      const AuthOptions& options = {});

// A new API token for the user, returned once: only its digest is kept.
struct IssuedToken {
  ApiToken token;     // its record (id, name, digest)
  std::string secret; // what the program sends as "Authorization: Bearer SECRET"
};
Result<IssuedToken> IssueToken(AccountStore& accounts, std::string_view user_id,
                               std::string_view name, const Actor& actor, std::int64_t now);
Status RevokeToken(AccountStore& accounts, std::string_view user_id, std::string_view token_id,
                   const Actor& actor, std::int64_t now);

// Records one write in the audit log. Never given a secret.
Status Audit(AccountStore& accounts, const Actor& actor, std::string_view organisation_id,
             std::string_view action, std::string_view target, std::string_view detail,
             std::int64_t now);

// --- Signing in

struct SignInResult {
  enum class Outcome { kSignedIn, kWrongCredentials, kLocked };
  Outcome outcome = Outcome::kWrongCredentials;
  User user;               // when signed in
  Session session;         // when signed in
  std::string cookie;      // when signed in: the session's token, for the cookie only
  std::int64_t retry_after = 0;  // when locked: seconds until a sign-in may be tried again
};
// Checks an email and password from `address`. Wrong credentials (an unknown email or a wrong
// password alike) count against the account and the address; past the options' limits within
// the window, sign-in is refused without checking the password until the window has passed.
// A success clears the account's count and starts a session. Errors are the store's only.
Result<SignInResult> SignIn(AccountStore& accounts, std::string_view email,
                            std::string_view password, std::string_view address,
                            std::int64_t now, const AuthOptions& options = {});

// Who makes a request, once their session or token has been checked.
struct Principal {
  enum class Via { kSession, kToken };
  Via via = Via::kSession;
  User user;
  std::vector<Membership> memberships;
  std::string session_digest;  // kSession: the session (for sign-out)
  std::string csrf_token;      // kSession: what every form and cookie-authenticated write carries
  std::string token_id;        // kToken: the token used

  // The user's role in an organisation, if they are a member.
  std::optional<Role> RoleIn(std::string_view organisation_id) const;
  // True when the user's role in that organisation allows `p`.
  bool Can(std::string_view organisation_id, Permission p) const;
  // The organisations where the user may do `p`.
  std::vector<Membership> Where(Permission p) const;
  Actor AsActor(std::string_view address) const;
};

// The principal of a session cookie's token, or nullopt when the session does not exist, has
// expired or sat idle too long (such a session is deleted). Records activity now and then.
Result<std::optional<Principal>> PrincipalFromSession(AccountStore& accounts,
                                                      std::string_view cookie,
                                                      std::int64_t now,
                                                      const AuthOptions& options = {});
// The principal of a bearer token, or nullopt when there is no such token.
Result<std::optional<Principal>> PrincipalFromToken(AccountStore& accounts,
                                                    std::string_view secret, std::int64_t now);
// Ends a session.
Status SignOut(AccountStore& accounts, const Principal& who, std::string_view address,
               std::int64_t now);

}  // namespace opennos
