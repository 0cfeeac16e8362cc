#pragma once
// Pages for signed-in users about their own account and, for admins, their organisation:
// API tokens, password, members and roles, the audit log, import and export. Every handler
// checks its permission first (web/auth.h); every write is in the audit log.

#include "web/respond.h"

namespace opennos::web::admin {

Response CreateToken(const Context& ctx);     // POST /account/tokens (name)
Response RevokeToken(const Context& ctx);     // POST /account/tokens/{id}/revoke
Response PasswordPage(const Context& ctx);    // GET /account/password
Response ChangePassword(const Context& ctx);  // POST /account/password

Response Organisation(const Context& ctx);  // GET /admin/organisations/{org}: members, roles
Response AddMember(const Context& ctx);     // POST /admin/organisations/{org}/members
Response SetMemberRole(const Context& ctx); // POST .../members/{user}/role (role)
Response RemoveMember(const Context& ctx);  // POST .../members/{user}/remove
Response AuditLog(const Context& ctx);      // GET /admin/organisations/{org}/audit[?before=ID]
Response ImportPage(const Context& ctx);    // GET /admin/organisations/{org}/import
Response Import(const Context& ctx);        // POST .../import (multipart: file, format)
Response ExportPage(const Context& ctx);    // GET /admin/organisations/{org}/export
Response Export(const Context& ctx);        // GET .../export/{framework}?format=

}  // namespace opennos::web::admin
