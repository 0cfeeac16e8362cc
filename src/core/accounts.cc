#include "core/accounts.h"

#include <array>
#include <utility>

namespace opennos {
namespace {

constexpr std::array<std::pair<OrganisationKind, std::string_view>, 4> kKinds{{
    {OrganisationKind::kStandardsBody, "standards-body"},
    {OrganisationKind::kEmployer, "employer"},
    {OrganisationKind::kAwardingBody, "awarding-body"},
    {OrganisationKind::kTrainingProvider, "training-provider"},
}};

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles{{
    {Role::kViewer, "viewer"},
    {Role::kReviewer, "reviewer"},
    {Role::kEditor, "editor"},
    {Role::kAdmin, "admin"},
}};

struct PermissionRow {
  Permission permission;
  std::string_view name;
  Role least;  // the least role that has it; every role above has it too
};

// The permission table (docs/accounts.md shows the same).
constexpr std::array<PermissionRow, 8> kPermissions{{
    {Permission::kReadDrafts, "read-drafts", Role::kViewer},
    {Permission::kComment, "comment", Role::kReviewer},
    {Permission::kEditDrafts, "edit-drafts", Role::kEditor},
    {Permission::kPublish, "publish", Role::kEditor},
    {Permission::kImport, "import", Role::kAdmin},
    {Permission::kExport, "export", Role::kAdmin},
    {Permission::kManageMembers, "manage-members", Role::kAdmin},
    {Permission::kReadAudit, "read-audit", Role::kAdmin},
}};

}  // namespace

std::string_view OrganisationKindName(OrganisationKind k) {
  for (const auto& [kind, name] : kKinds) {
    if (kind == k) return name;
  }
  return "standards-body";
}

std::optional<OrganisationKind> ParseOrganisationKind(std::string_view name) {
  for (const auto& [kind, n] : kKinds) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::string_view RoleName(Role r) {
  for (const auto& [role, name] : kRoles) {
    if (role == r) return name;
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [role, n] : kRoles) {
    if (n == name) return role;
  }
  return std::nullopt;
}

std::string_view PermissionName(Permission p) {
  for (const PermissionRow& row : kPermissions) {
    if (row.permission == p) return row.name;
  }
  return "";
}

const std::vector<Permission>& AllPermissions() {
  static const std::vector<Permission> all = [] {
    std::vector<Permission> out;
    for (const PermissionRow& row : kPermissions) out.push_back(row.permission);
    return out;
  }();
  return all;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> all{Role::kViewer, Role::kReviewer, Role::kEditor, Role::kAdmin};
  return all;
}

bool RoleAllows(Role role, Permission p) {
  for (const PermissionRow& row : kPermissions) {
    if (row.permission == p) return static_cast<int>(role) >= static_cast<int>(row.least);
  }
  return false;
}

}  // namespace opennos
