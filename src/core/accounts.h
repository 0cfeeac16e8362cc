#pragma once
// Accounts as plain values: organisations, users, their memberships with a role, sessions, API
// tokens and audit entries; and the permission table, which says what each role may do. No I/O
// here: storage keeps these (storage/accounts.h), app/accounts.h works with them.
//
// Times are Unix seconds (UTC).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opennos {

enum class OrganisationKind { kStandardsBody, kEmployer, kAwardingBody, kTrainingProvider };
// "standards-body", "employer", "awarding-body", "training-provider".
std::string_view OrganisationKindName(OrganisationKind k);
std::optional<OrganisationKind> ParseOrganisationKind(std::string_view name);

// A member's role in one organisation. Each role may do all that the roles before it may.
enum class Role { kViewer, kReviewer, kEditor, kAdmin };
// "viewer", "reviewer", "editor", "admin".
std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);

// What a member may do to their organisation's frameworks and membership. The table in
// core/accounts.cc (RoleAllows) is the one place that decides; docs/accounts.md shows it.
enum class Permission {
  kReadDrafts,      // see the organisation's frameworks that are not published
  kComment,         // comment on drafts
  kEditDrafts,      // create drafts, change their map, units and statements, restore revisions
  kPublish,         // publish a draft as a unit version or a new edition
  kImport,          // import framework files into the organisation (admin work)
  kExport,          // export any of the organisation's frameworks, drafts included (admin work)
  kManageMembers,   // add and remove members, change their roles
  kReadAudit,       // read the organisation's audit log
};
std::string_view PermissionName(Permission p);
const std::vector<Permission>& AllPermissions();
const std::vector<Role>& AllRoles();
// True when a member with role `role` may do `p` in their own organisation. Nobody may do
// anything to another organisation's frameworks (apart from reading what is published).
bool RoleAllows(Role role, Permission p);

struct Organisation {
  std::string id;  // a UUID
  std::string name;
  OrganisationKind kind = OrganisationKind::kStandardsBody;
  std::int64_t created_at = 0;
};

struct User {
  std::string id;     // a UUID
  std::string email;  // normalised: trimmed, lower case
  std::string name;   // how to show them; may be empty
  std::string password_hash;  // an Argon2id string (app/crypto.h); empty: cannot sign in
  std::int64_t created_at = 0;
};

struct Membership {
  std::string user_id;
  std::string email;
  std::string organisation_id;
  std::string organisation_name;
  Role role = Role::kViewer;
};

// A signed-in browser. The cookie holds a random token; only its digest is kept.
struct Session {
  std::string id_digest;   // TokenDigest of the cookie's token
  std::string user_id;
  std::string csrf_token;  // the synchroniser token every form of this session carries
  std::string address;     // where it signed in from
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;  // absolute end, whatever the activity
};

// A token for programs (Authorization: Bearer). Only its digest is kept.
struct ApiToken {
  std::string id;  // a UUID, to list and revoke it
  std::string user_id;
  std::string name;  // what it is for, as its owner said
  std::string digest;
  std::int64_t created_at = 0;
  std::int64_t last_used_at = 0;  // 0: never
};

// One write, as the audit log keeps it.
struct AuditEntry {
  std::int64_t id = 0;  // store-assigned, increasing
  std::int64_t at = 0;
  std::string actor_id;  // the user's id; empty for the command line or an unknown account
  std::string actor;     // the user's email, or "cli:NAME"
  std::string address;   // the client's IP address, or "local" for the command line
  std::string organisation_id;  // the organisation concerned; empty when none is
  std::string action;           // "sign-in", "member.role", "framework.import", ...
  std::string target;           // what it acted on: an email, a framework, a token id
  std::string detail;           // a short note; never a secret
};

}  // namespace opennos
