#include "app/accounts.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "app/crypto.h"
#include "core/uuid.h"

namespace opennos {
namespace {

// Session activity is written at most this often, not on every request.
constexpr std::int64_t kTouchEverySeconds = 60;

std::string AccountKey(std::string_view email) {
  // A digest, so that a password typed into the email box is never kept in clear.
  return "account:" + TokenDigest(NormaliseEmail(email));
}

std::string AddressKey(std::string_view address) { return "address:" + std::string(address); }

Result<Principal> LoadPrincipal(AccountStore& accounts, std::string_view user_id) {
  auto user = accounts.GetUser(user_id);
  if (!user.ok()) return user.status();
  auto memberships = accounts.MembershipsOf(user_id);
  if (!memberships.ok()) return memberships.status();
  Principal p;
  p.user = std::move(*user);
  p.user.password_hash.clear();  // nothing downstream needs it
  p.memberships = std::move(*memberships);
  return p;
}

// Seconds until the failures of `key` since `since` drop below `limit`.
Result<std::int64_t> LockedFor(AccountStore& accounts, const std::string& key, int limit,
                               std::int64_t now, const AuthOptions& options) {
  // A failure counts for the window's length: at `now`, those after now - window.
  const std::int64_t since = now - options.failure_window_seconds + 1;
  auto count = accounts.SignInFailuresSince(key, since);
  if (!count.ok()) return count.status();
  if (*count < limit) return std::int64_t{0};
  auto oldest = accounts.OldestSignInFailureSince(key, since);
  if (!oldest.ok()) return oldest.status();
  return std::max<std::int64_t>(1, *oldest + options.failure_window_seconds - now);
}

}  // namespace

Actor CommandLineActor(std::string_view name) {
  return {"", "cli:" + std::string(name), "local"};
}

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string NormaliseEmail(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) {
    email.remove_prefix(1);
  }
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) {
    email.remove_suffix(1);
  }
  std::string out(email);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status CheckEmail(std::string_view email) {
  const size_t at = email.find('@');
  const bool ok = !email.empty() && email.size() <= 254 && at != std::string_view::npos &&
                  at > 0 && email.find('@', at + 1) == std::string_view::npos &&
                  email.find('.', at + 2) != std::string_view::npos && email.back() != '.' &&
                  std::none_of(email.begin(), email.end(), [](char c) {
                    return std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>';
                  });
  return ok ? Status::Ok()
            : Status::Invalid("Enter an email address in the correct format, like "
                              "name@example.org");
}

Status CheckPassword(std::string_view password, const AuthOptions& options) {
  if (password.size() < options.min_password_length) {
    return Status::Invalid("A password must be at least " +
                           std::to_string(options.min_password_length) + " characters long");
  }
  if (password.size() > options.max_password_length) {
    return Status::Invalid("A password must be at most " +
                           std::to_string(options.max_password_length) + " characters long");
  }
  return Status::Ok();
}

std::string_view DemoOrganisationId() { return "5a3c4d8e-0f1b-4c55-9d2e-6f7a8b9c0d1e"; }
std::string_view DemoOrganisationName() { return "OpenNOS Demo Standards Body"; }

Result<Organisation> ResolveOrganisation(AccountStore& accounts, std::string_view name_or_id) {
  if (auto uuid = CanonicalUuid(name_or_id)) {
    auto by_id = accounts.GetOrganisation(*uuid);
    if (by_id.ok() || by_id.status().code() != Status::Code::kNotFound) return by_id;
  }
  return accounts.FindOrganisation(name_or_id);
}

Result<Organisation> DefaultOrganisation(AccountStore& accounts) {
  auto all = accounts.ListOrganisations();
  if (!all.ok()) return all.status();
  for (const Organisation& o : *all) {
    if (o.id != DemoOrganisationId()) return o;
  }
  if (!all->empty()) return all->front();
  return Status::NotFound("there is no organisation yet (add one with `opennos org add`)");
}

Result<Organisation> AddOrganisation(AccountStore& accounts, std::string_view name,
                                     OrganisationKind kind, const Actor& actor,
                                     std::int64_t now) {
  std::string trimmed(name);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) {
    trimmed.pop_back();
  }
  trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
  if (trimmed.empty()) return Status::Invalid("an organisation needs a name");
  if (trimmed.size() > 200) return Status::Invalid("an organisation's name is at most 200 characters");
  auto existing = accounts.ListOrganisations();
  if (!existing.ok()) return existing.status();
  const bool first = std::none_of(existing->begin(), existing->end(), [](const Organisation& o) {
    return o.id != DemoOrganisationId();
  });
  Organisation o{NewUuid(), trimmed, kind, now};
  RETURN_IF_ERROR(accounts.CreateOrganisation(o));
  std::string detail = std::string(OrganisationKindName(kind));
  if (first) {
    auto adopted = accounts.AdoptUnownedFrameworks(o.id);
    if (!adopted.ok()) return adopted.status();
    if (*adopted > 0) detail += "; took " + std::to_string(*adopted) + " frameworks nobody owned";
  }
  RETURN_IF_ERROR(Audit(accounts, actor, o.id, "organisation.add", o.name, detail, now));
  return o;
}

Result<User> AddUser(AccountStore& accounts, std::string_view email,
                     std::string_view organisation, Role role, std::string_view password,
                     const Actor& actor, std::int64_t now, const AuthOptions& options) {
  const std::string normal = NormaliseEmail(email);
  RETURN_IF_ERROR(CheckEmail(normal));
  if (!password.empty()) RETURN_IF_ERROR(CheckPassword(password, options));
  auto org = ResolveOrganisation(accounts, organisation);
  if (!org.ok()) return org.status();
  std::string hash;
  if (!password.empty()) {
    auto h = HashPassword(password);
    if (!h.ok()) return h.status();
    hash = std::move(*h);
  }
  auto user = accounts.FindUserByEmail(normal);
  if (!user.ok() && user.status().code() != Status::Code::kNotFound) return user.status();
  if (user.ok()) {
    auto memberships = accounts.MembershipsOf(user->id);
    if (!memberships.ok()) return memberships.status();
    if (std::any_of(memberships->begin(), memberships->end(),
                    [&](const Membership& m) { return m.organisation_id == org->id; })) {
      return Status::Conflict(normal + " is already a member of " + org->name +
                              " (change a role with `opennos user role`)");
    }
    if (!hash.empty()) {
      RETURN_IF_ERROR(accounts.SetPasswordHash(user->id, hash));
      user->password_hash = hash;
    }
  } else {
    User fresh{NewUuid(), normal, "", hash, now};
    RETURN_IF_ERROR(accounts.CreateUser(fresh));
    user = fresh;
  }
  RETURN_IF_ERROR(accounts.SetMembership(user->id, org->id, role));
  RETURN_IF_ERROR(Audit(accounts, actor, org->id, "member.add", normal,
                        "role " + std::string(RoleName(role)), now));
  return std::move(*user);
}

Status SetRole(AccountStore& accounts, std::string_view email, Role role,
               std::string_view organisation, const Actor& actor, std::int64_t now) {
  auto user = accounts.FindUserByEmail(NormaliseEmail(email));
  if (!user.ok()) return user.status();
  auto memberships = accounts.MembershipsOf(user->id);
  if (!memberships.ok()) return memberships.status();
  std::string org_id;
  if (organisation.empty()) {
    if (memberships->size() != 1) {
      return Status::Invalid(user->email + " belongs to " + std::to_string(memberships->size()) +
                             " organisations: say which with --org");
    }
    org_id = memberships->front().organisation_id;
  } else {
    auto org = ResolveOrganisation(accounts, organisation);
    if (!org.ok()) return org.status();
    org_id = org->id;
    if (std::none_of(memberships->begin(), memberships->end(),
                     [&](const Membership& m) { return m.organisation_id == org_id; })) {
      return Status::NotFound(user->email + " is not a member of " + org->name);
    }
  }
  RETURN_IF_ERROR(accounts.SetMembership(user->id, org_id, role));
  return Audit(accounts, actor, org_id, "member.role", user->email,
               "role " + std::string(RoleName(role)), now);
}

Status RemoveMember(AccountStore& accounts, std::string_view email,
                    std::string_view organisation_id, const Actor& actor, std::int64_t now) {
  auto user = accounts.FindUserByEmail(NormaliseEmail(email));
  if (!user.ok()) return user.status();
  RETURN_IF_ERROR(accounts.RemoveMembership(user->id, organisation_id));
  RETURN_IF_ERROR(accounts.DeleteSessionsOf(user->id));
  return Audit(accounts, actor, organisation_id, "member.remove", user->email, "", now);
}

bool VerifyUserPassword(const User& user, std::string_view password) {
  return !user.password_hash.empty() && VerifyPassword(user.password_hash, password);
}

Status KeepsAnAdmin(AccountStore& accounts, std::string_view organisation_id,
                    std::string_view user_id, std::optional<Role> new_role) {
  if (new_role == Role::kAdmin) return Status::Ok();
  auto members = accounts.Members(organisation_id);
  if (!members.ok()) return members.status();
  const bool another = std::any_of(members->begin(), members->end(), [&](const Membership& m) {
    return m.role == Role::kAdmin && m.user_id != user_id;
  });
  return another ? Status::Ok()
                 : Status::Conflict("An organisation needs at least one admin: make someone "
                                    "else an admin first");
}

Status ChangePassword(AccountStore& accounts, std::string_view user_id,
                      std::string_view password, const Actor& actor, std::int64_t now,
                      const AuthOptions& options) {
  RETURN_IF_ERROR(CheckPassword(password, options));
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  RETURN_IF_ERROR(accounts.SetPasswordHash(user_id, *hash));
  RETURN_IF_ERROR(accounts.DeleteSessionsOf(user_id));
  return Audit(accounts, actor, "", "password.change", actor.name, "", now);
}

Result<IssuedToken> IssueToken(AccountStore& accounts, std::string_view user_id,
                               std::string_view name, const Actor& actor, std::int64_t now) {
  auto user = accounts.GetUser(user_id);
  if (!user.ok()) return user.status();
  std::string label(name);
  if (label.size() > 100) return Status::Invalid("a token's name is at most 100 characters");
  if (label.empty()) label = "token";
  IssuedToken issued;
  issued.secret = "opennos_" + RandomToken(32);
  issued.token = {NewUuid(), user->id, label, TokenDigest(issued.secret), now, 0};
  RETURN_IF_ERROR(accounts.CreateToken(issued.token));
  RETURN_IF_ERROR(Audit(accounts, actor, "", "token.create", user->email,
                        "token " + issued.token.id + " (" + label + ")", now));
  return issued;
}

Status RevokeToken(AccountStore& accounts, std::string_view user_id, std::string_view token_id,
                   const Actor& actor, std::int64_t now) {
  RETURN_IF_ERROR(accounts.DeleteToken(user_id, token_id));
  return Audit(accounts, actor, "", "token.revoke", actor.name,
               "token " + std::string(token_id), now);
}

Status Audit(AccountStore& accounts, const Actor& actor, std::string_view organisation_id,
             std::string_view action, std::string_view target, std::string_view detail,
             std::int64_t now) {
  AuditEntry e;
  e.at = now;
  e.actor_id = actor.user_id;
  e.actor = actor.name;
  e.address = actor.address;
  e.organisation_id = organisation_id;
  e.action = action;
  e.target = target;
  e.detail = detail;
  return accounts.AppendAudit(e);
}

Result<SignInResult> SignIn(AccountStore& accounts, std::string_view email,
                            std::string_view password, std::string_view address,
                            std::int64_t now, const AuthOptions& options) {
  const std::string normal = NormaliseEmail(email);
  const std::string account_key = AccountKey(normal);
  const std::string address_key = AddressKey(address);
  SignInResult result;
  auto account_lock = LockedFor(accounts, account_key, options.account_failures, now, options);
  if (!account_lock.ok()) return account_lock.status();
  auto address_lock = LockedFor(accounts, address_key, options.address_failures, now, options);
  if (!address_lock.ok()) return address_lock.status();
  auto user = accounts.FindUserByEmail(normal);
  if (!user.ok() && user.status().code() != Status::Code::kNotFound) return user.status();
  const Actor actor{user.ok() ? user->id : "", user.ok() ? user->email : "unknown account",
                    std::string(address)};
  if (*account_lock > 0 || *address_lock > 0) {
    result.outcome = SignInResult::Outcome::kLocked;
    result.retry_after = std::max(*account_lock, *address_lock);
    RETURN_IF_ERROR(Audit(accounts, actor, "", "sign-in.locked", actor.name,
                          *account_lock > 0 ? "account locked" : "address locked", now));
    return result;
  }
  const bool known = user.ok() && !user->password_hash.empty();
  const bool right = known ? VerifyPassword(user->password_hash, password)
                           : (SpendPasswordTime(password), false);
  if (!right) {
    const std::int64_t forget = now - options.failure_window_seconds;
    RETURN_IF_ERROR(accounts.RecordSignInFailure(account_key, now, forget));
    RETURN_IF_ERROR(accounts.RecordSignInFailure(address_key, now, forget));
    RETURN_IF_ERROR(Audit(accounts, actor, "", "sign-in.failed", actor.name, "", now));
    result.outcome = SignInResult::Outcome::kWrongCredentials;
    return result;
  }
  RETURN_IF_ERROR(accounts.ClearSignInFailures(account_key));
  RETURN_IF_ERROR(accounts.DeleteStaleSessions(now, now - options.session_idle_seconds));
  result.cookie = RandomToken(32);
  result.session = {TokenDigest(result.cookie), user->id, RandomToken(32), std::string(address),
                    now, now, now + options.session_max_seconds};
  RETURN_IF_ERROR(accounts.CreateSession(result.session));
  RETURN_IF_ERROR(Audit(accounts, actor, "", "sign-in", actor.name, "", now));
  result.outcome = SignInResult::Outcome::kSignedIn;
  result.user = std::move(*user);
  result.user.password_hash.clear();
  return result;
}

std::optional<Role> Principal::RoleIn(std::string_view organisation_id) const {
  for (const Membership& m : memberships) {
    if (m.organisation_id == organisation_id) return m.role;
  }
  return std::nullopt;
}

bool Principal::Can(std::string_view organisation_id, Permission p) const {
  if (organisation_id.empty()) return false;
  const auto role = RoleIn(organisation_id);
  return role && RoleAllows(*role, p);
}

std::vector<Membership> Principal::Where(Permission p) const {
  std::vector<Membership> out;
  for (const Membership& m : memberships) {
    if (RoleAllows(m.role, p)) out.push_back(m);
  }
  return out;
}

Actor Principal::AsActor(std::string_view address) const {
  return {user.id, user.email, std::string(address)};
}

Result<std::optional<Principal>> PrincipalFromSession(AccountStore& accounts,
                                                      std::string_view cookie,
                                                      std::int64_t now,
                                                      const AuthOptions& options) {
  if (cookie.empty()) return std::optional<Principal>();
  const std::string digest = TokenDigest(cookie);
  auto session = accounts.GetSession(digest);
  if (!session.ok()) {
    if (session.status().code() == Status::Code::kNotFound) return std::optional<Principal>();
    return session.status();
  }
  if (session->expires_at <= now || session->last_seen_at + options.session_idle_seconds <= now) {
    RETURN_IF_ERROR(accounts.DeleteSession(digest));
    return std::optional<Principal>();
  }
  if (now - session->last_seen_at >= kTouchEverySeconds) {
    RETURN_IF_ERROR(accounts.TouchSession(digest, now));
  }
  auto p = LoadPrincipal(accounts, session->user_id);
  if (!p.ok()) return p.status();
  p->via = Principal::Via::kSession;
  p->session_digest = digest;
  p->csrf_token = session->csrf_token;
  return std::optional<Principal>(std::move(*p));
}

Result<std::optional<Principal>> PrincipalFromToken(AccountStore& accounts,
                                                    std::string_view secret, std::int64_t now) {
  if (secret.empty()) return std::optional<Principal>();
  auto token = accounts.FindToken(TokenDigest(secret));
  if (!token.ok()) {
    if (token.status().code() == Status::Code::kNotFound) return std::optional<Principal>();
    return token.status();
  }
  if (now - token->last_used_at >= kTouchEverySeconds) {
    RETURN_IF_ERROR(accounts.TouchToken(token->id, now));
  }
  auto p = LoadPrincipal(accounts, token->user_id);
  if (!p.ok()) return p.status();
  p->via = Principal::Via::kToken;
  p->token_id = token->id;
  return std::optional<Principal>(std::move(*p));
}

Status SignOut(AccountStore& accounts, const Principal& who, std::string_view address,
               std::int64_t now) {
  if (who.via == Principal::Via::kSession) {
    RETURN_IF_ERROR(accounts.DeleteSession(who.session_digest));
  }
  return Audit(accounts, who.AsActor(address), "", "sign-out", who.user.email, "", now);
}

}  // namespace opennos
