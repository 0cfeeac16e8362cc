#include "storage/sql/sql_accounts.h"

#include <cctype>

namespace opennos::sql {
namespace {

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Runs `st` for at most one row: read(row) if there is one, else NotFound(`missing`).
template <typename T, typename ReadFn>
Result<T> One(Statement& st, ReadFn read, const std::string& missing) {
  auto row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound(missing);
  T value = read(st);
  st.Reset();
  return value;
}

// A unique constraint failing is a Conflict with a message people understand.
Status Explain(Status s, const std::string& conflict) {
  return s.code() == Status::Code::kConflict ? Status::Conflict(conflict) : s;
}

constexpr const char* kOrganisationColumns = "id, name, kind, created_at";

Organisation ReadOrganisation(const Statement& s) {
  return {s.Text(0), s.Text(1),
          ParseOrganisationKind(s.Text(2)).value_or(OrganisationKind::kStandardsBody), s.Int(3)};
}

constexpr const char* kUserColumns = "id, email, name, password_hash, created_at";

User ReadUser(const Statement& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4)};
}

constexpr const char* kMembershipQuery =
    "SELECT m.user_id, u.email, m.organisation_id, o.name, m.role FROM memberships m"
    " JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id";

Membership ReadMembership(const Statement& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), ParseRole(s.Text(4)).value_or(Role::kViewer)};
}

constexpr const char* kSessionColumns =
    "id_digest, user_id, csrf_token, address, created_at, last_seen_at, expires_at";

Session ReadSession(const Statement& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5), s.Int(6)};
}

constexpr const char* kTokenColumns = "id, user_id, name, digest, created_at, last_used_at";

ApiToken ReadToken(const Statement& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)};
}

constexpr const char* kAuditColumns =
    "id, at, actor_id, actor, address, organisation_id, action, target, detail";

AuditEntry ReadAudit(const Statement& s) {
  return {s.Int(0),  s.Int(1),  s.Text(2), s.Text(3), s.Text(4),
          s.Text(5), s.Text(6), s.Text(7), s.Text(8)};
}

}  // namespace

Status SqlAccountStore::RunChanging(Statement& st, const std::string& missing) {
  RETURN_IF_ERROR(st.Run());
  return db_.Changes() == 0 ? Status::NotFound(missing) : Status::Ok();
}

Result<std::int64_t> SqlAccountStore::QueryInt(Statement& st) {
  auto row = st.Step();
  if (!row.ok()) return row.status();
  const std::int64_t value = *row ? st.Int(0) : 0;
  st.Reset();
  return value;
}

// --- Organisations

Status SqlAccountStore::CreateOrganisation(const Organisation& o) {
  auto s = db_.Prepare(
      "INSERT INTO organisations (id, name, name_key, kind, created_at) VALUES (?, ?, ?, ?, ?)");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, o.id).Bind(2, o.name).Bind(3, AsciiLower(o.name));
  (*s)->Bind(4, OrganisationKindName(o.kind)).Bind(5, o.created_at);
  return Explain((*s)->Run(), "an organisation named \"" + o.name + "\" already exists");
}

Result<Organisation> SqlAccountStore::GetOrganisation(std::string_view id) {
  auto s = db_.Prepare(std::string("SELECT ") + kOrganisationColumns +
                       " FROM organisations WHERE id = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, id);
  return One<Organisation>(**s, ReadOrganisation, "no organisation " + std::string(id));
}

Result<Organisation> SqlAccountStore::FindOrganisation(std::string_view name) {
  auto s = db_.Prepare(std::string("SELECT ") + kOrganisationColumns +
                       " FROM organisations WHERE name_key = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, AsciiLower(name));
  return One<Organisation>(**s, ReadOrganisation,
                           "no organisation named \"" + std::string(name) + "\"");
}

Result<std::vector<Organisation>> SqlAccountStore::ListOrganisations() {
  auto s = db_.Prepare(std::string("SELECT ") + kOrganisationColumns +
                       " FROM organisations ORDER BY seq");
  if (!s.ok()) return s.status();
  std::vector<Organisation> out;
  RETURN_IF_ERROR(Collect(**s, out, ReadOrganisation));
  return out;
}

// --- Users

Status SqlAccountStore::CreateUser(const User& u) {
  auto s = db_.Prepare(
      "INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, u.id).Bind(2, AsciiLower(u.email)).BindOrNull(3, u.name);
  (*s)->BindOrNull(4, u.password_hash).Bind(5, u.created_at);
  return Explain((*s)->Run(), "a user with the email " + u.email + " already exists");
}

Result<User> SqlAccountStore::GetUser(std::string_view id) {
  auto s = db_.Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, id);
  return One<User>(**s, ReadUser, "no user " + std::string(id));
}

Result<User> SqlAccountStore::FindUserByEmail(std::string_view email) {
  auto s = db_.Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, AsciiLower(email));
  return One<User>(**s, ReadUser, "no user with the email " + std::string(email));
}

Status SqlAccountStore::SetPasswordHash(std::string_view user_id, std::string_view hash) {
  auto s = db_.Prepare("UPDATE users SET password_hash = ? WHERE id = ?");
  if (!s.ok()) return s.status();
  (*s)->BindOrNull(1, hash).Bind(2, user_id);
  return RunChanging(**s, "no user " + std::string(user_id));
}

// --- Memberships

Status SqlAccountStore::SetMembership(std::string_view user_id,
                                         std::string_view organisation_id, Role role) {
  auto s = db_.Prepare(
      "INSERT INTO memberships (user_id, organisation_id, role) VALUES (?, ?, ?)"
      " ON CONFLICT (user_id, organisation_id) DO UPDATE SET role = excluded.role");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, user_id).Bind(2, organisation_id).Bind(3, RoleName(role));
  Status st = (*s)->Run();
  // A foreign key failing means the user or the organisation is not there.
  if (st.code() == Status::Code::kConflict) return Status::NotFound("no such user or organisation");
  return st;
}

Status SqlAccountStore::RemoveMembership(std::string_view user_id,
                                            std::string_view organisation_id) {
  auto s = db_.Prepare("DELETE FROM memberships WHERE user_id = ? AND organisation_id = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, user_id).Bind(2, organisation_id);
  return RunChanging(**s, "not a member of that organisation");
}

Result<std::vector<Membership>> SqlAccountStore::MembershipsOf(std::string_view user_id) {
  auto s = db_.Prepare(std::string(kMembershipQuery) +
                       " WHERE m.user_id = ? ORDER BY o.name_key");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, user_id);
  std::vector<Membership> out;
  RETURN_IF_ERROR(Collect(**s, out, ReadMembership));
  return out;
}

Result<std::vector<Membership>> SqlAccountStore::Members(std::string_view organisation_id) {
  auto s = db_.Prepare(std::string(kMembershipQuery) +
                       " WHERE m.organisation_id = ? ORDER BY u.email");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, organisation_id);
  std::vector<Membership> out;
  RETURN_IF_ERROR(Collect(**s, out, ReadMembership));
  return out;
}

// --- Framework owners

Result<std::string> SqlAccountStore::FrameworkOwner(std::string_view framework_uuid) {
  auto s = db_.Prepare("SELECT organisation_id FROM framework_owners WHERE framework_uuid = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, framework_uuid);
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  std::string owner = *row ? (*s)->Text(0) : "";
  (*s)->Reset();
  return owner;
}

Status SqlAccountStore::SetFrameworkOwner(std::string_view framework_uuid,
                                             std::string_view organisation_id) {
  auto exists = db_.Prepare("SELECT count(*) FROM frameworks WHERE uuid = ?");
  if (!exists.ok()) return exists.status();
  (*exists)->Bind(1, framework_uuid);
  auto n = QueryInt(**exists);
  if (!n.ok()) return n.status();
  if (*n == 0) return Status::NotFound("no framework " + std::string(framework_uuid));
  auto s = db_.Prepare(
      "INSERT INTO framework_owners (framework_uuid, organisation_id) VALUES (?, ?)"
      " ON CONFLICT (framework_uuid) DO UPDATE SET organisation_id = excluded.organisation_id");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, framework_uuid).Bind(2, organisation_id);
  Status st = (*s)->Run();
  if (st.code() == Status::Code::kConflict) {
    return Status::NotFound("no organisation " + std::string(organisation_id));
  }
  return st;
}

Result<std::int64_t> SqlAccountStore::AdoptUnownedFrameworks(std::string_view organisation_id) {
  Transaction tx(db_, Transaction::Kind::kWrite);
  RETURN_IF_ERROR(tx.Begin());
  auto unowned = db_.Prepare(
      "SELECT uuid FROM frameworks WHERE uuid NOT IN (SELECT framework_uuid FROM framework_owners)");
  if (!unowned.ok()) return unowned.status();
  std::vector<std::string> uuids;
  RETURN_IF_ERROR(Collect(**unowned, uuids, [](const Statement& st) { return st.Text(0); }));
  auto own = db_.Prepare(
      "INSERT INTO framework_owners (framework_uuid, organisation_id) VALUES (?, ?)");
  if (!own.ok()) return own.status();
  for (const std::string& uuid : uuids) {
    RETURN_IF_ERROR((*own)->Reset().Bind(1, uuid).Bind(2, organisation_id).Run());
  }
  RETURN_IF_ERROR(tx.Commit());
  return static_cast<std::int64_t>(uuids.size());
}

// --- Sessions

Status SqlAccountStore::CreateSession(const Session& session) {
  auto s = db_.Prepare(std::string("INSERT INTO sessions (") + kSessionColumns +
                       ") VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, session.id_digest).Bind(2, session.user_id).Bind(3, session.csrf_token);
  (*s)->BindOrNull(4, session.address).Bind(5, session.created_at);
  (*s)->Bind(6, session.last_seen_at).Bind(7, session.expires_at);
  return (*s)->Run();
}

Result<Session> SqlAccountStore::GetSession(std::string_view id_digest) {
  auto s = db_.Prepare(std::string("SELECT ") + kSessionColumns +
                       " FROM sessions WHERE id_digest = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, id_digest);
  return One<Session>(**s, ReadSession, "no such session");
}

Status SqlAccountStore::TouchSession(std::string_view id_digest, std::int64_t now) {
  auto s = db_.Prepare("UPDATE sessions SET last_seen_at = ? WHERE id_digest = ?");
  if (!s.ok()) return s.status();
  return (*s)->Bind(1, now).Bind(2, id_digest).Run();
}

Status SqlAccountStore::DeleteSession(std::string_view id_digest) {
  auto s = db_.Prepare("DELETE FROM sessions WHERE id_digest = ?");
  if (!s.ok()) return s.status();
  return (*s)->Bind(1, id_digest).Run();
}

Status SqlAccountStore::DeleteStaleSessions(std::int64_t now, std::int64_t idle_since) {
  auto s = db_.Prepare("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?");
  if (!s.ok()) return s.status();
  return (*s)->Bind(1, now).Bind(2, idle_since).Run();
}

Status SqlAccountStore::DeleteSessionsOf(std::string_view user_id) {
  auto s = db_.Prepare("DELETE FROM sessions WHERE user_id = ?");
  if (!s.ok()) return s.status();
  return (*s)->Bind(1, user_id).Run();
}

// --- API tokens

Status SqlAccountStore::CreateToken(const ApiToken& t) {
  auto s = db_.Prepare(std::string("INSERT INTO api_tokens (") + kTokenColumns +
                       ") VALUES (?, ?, ?, ?, ?, NULL)");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, t.id).Bind(2, t.user_id).Bind(3, t.name).Bind(4, t.digest).Bind(5, t.created_at);
  return (*s)->Run();
}

Result<ApiToken> SqlAccountStore::FindToken(std::string_view digest) {
  auto s = db_.Prepare(std::string("SELECT ") + kTokenColumns +
                       " FROM api_tokens WHERE digest = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, digest);
  return One<ApiToken>(**s, ReadToken, "no such token");
}

Result<std::vector<ApiToken>> SqlAccountStore::TokensOf(std::string_view user_id) {
  auto s = db_.Prepare(std::string("SELECT ") + kTokenColumns +
                       " FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, user_id);
  std::vector<ApiToken> out;
  RETURN_IF_ERROR(Collect(**s, out, ReadToken));
  return out;
}

Status SqlAccountStore::DeleteToken(std::string_view user_id, std::string_view token_id) {
  auto s = db_.Prepare("DELETE FROM api_tokens WHERE id = ? AND user_id = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, token_id).Bind(2, user_id);
  return RunChanging(**s, "no token " + std::string(token_id));
}

Status SqlAccountStore::TouchToken(std::string_view token_id, std::int64_t now) {
  auto s = db_.Prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?");
  if (!s.ok()) return s.status();
  return (*s)->Bind(1, now).Bind(2, token_id).Run();
}

// --- Audit log

Status SqlAccountStore::AppendAudit(const AuditEntry& e) {
  auto s = db_.Prepare(
      "INSERT INTO audit_log (at, actor_id, actor, address, organisation_id, action, target,"
      " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, e.at).BindOrNull(2, e.actor_id).Bind(3, e.actor).BindOrNull(4, e.address);
  (*s)->BindOrNull(5, e.organisation_id).Bind(6, e.action).BindOrNull(7, e.target);
  (*s)->BindOrNull(8, e.detail);
  return (*s)->Run();
}

Result<std::vector<AuditEntry>> SqlAccountStore::AuditOf(std::string_view organisation_id,
                                                            std::int64_t before_id, int limit) {
  auto s = db_.Prepare(
      std::string("SELECT ") + kAuditColumns +
      " FROM audit_log WHERE (organisation_id = ?1 OR actor_id IN"
      " (SELECT user_id FROM memberships WHERE organisation_id = ?1))"
      " AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, organisation_id).Bind(2, before_id).Bind(3, limit);
  std::vector<AuditEntry> out;
  RETURN_IF_ERROR(Collect(**s, out, ReadAudit));
  return out;
}

// --- Failed sign-ins

Status SqlAccountStore::RecordSignInFailure(std::string_view key, std::int64_t now,
                                               std::int64_t forget_before) {
  Transaction tx(db_, Transaction::Kind::kWrite);
  RETURN_IF_ERROR(tx.Begin());
  auto forget = db_.Prepare("DELETE FROM sign_in_failures WHERE key = ? AND at < ?");
  if (!forget.ok()) return forget.status();
  RETURN_IF_ERROR((*forget)->Bind(1, key).Bind(2, forget_before).Run());
  auto add = db_.Prepare("INSERT INTO sign_in_failures (key, at) VALUES (?, ?)");
  if (!add.ok()) return add.status();
  RETURN_IF_ERROR((*add)->Bind(1, key).Bind(2, now).Run());
  return tx.Commit();
}

Result<int> SqlAccountStore::SignInFailuresSince(std::string_view key, std::int64_t since) {
  auto s = db_.Prepare("SELECT count(*) FROM sign_in_failures WHERE key = ? AND at >= ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, key).Bind(2, since);
  auto n = QueryInt(**s);
  if (!n.ok()) return n.status();
  return static_cast<int>(*n);
}

Result<std::int64_t> SqlAccountStore::OldestSignInFailureSince(std::string_view key,
                                                                  std::int64_t since) {
  auto s = db_.Prepare(
      "SELECT coalesce(min(at), 0) FROM sign_in_failures WHERE key = ? AND at >= ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, key).Bind(2, since);
  return QueryInt(**s);
}

Status SqlAccountStore::ClearSignInFailures(std::string_view key) {
  auto s = db_.Prepare("DELETE FROM sign_in_failures WHERE key = ?");
  if (!s.ok()) return s.status();
  return (*s)->Bind(1, key).Run();
}

// --- Server secrets

Result<std::string> SqlAccountStore::ServerSecret(std::string_view name,
                                                     std::string_view candidate) {
  auto add = db_.Prepare(
      "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
  if (!add.ok()) return add.status();
  RETURN_IF_ERROR((*add)->Bind(1, name).Bind(2, candidate).Run());
  auto get = db_.Prepare("SELECT value FROM server_secrets WHERE name = ?");
  if (!get.ok()) return get.status();
  (*get)->Bind(1, name);
  return One<std::string>(**get, [](const Statement& st) { return st.Text(0); },
                          "no secret " + std::string(name));
}

}  // namespace opennos::sql
