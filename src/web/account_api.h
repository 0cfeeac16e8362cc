#pragma once
// The JSON API of accounts and admin work under /api/v1 (described in static/openapi.json):
// who am I, one's own tokens, an organisation's members, its audit log, imports and exports.
// Each call checks its permission first (web/auth.h); each write is in the audit log.

#include "web/respond.h"

namespace opennos::web::account_api {

Response Me(const Context& ctx);              // GET /me
Response Tokens(const Context& ctx);          // GET /tokens
Response CreateToken(const Context& ctx);     // POST /tokens {"name"}
Response DeleteToken(const Context& ctx);     // DELETE /tokens/{id}
Response Members(const Context& ctx);         // GET /organisations/{org}/members
Response PutMember(const Context& ctx);       // PUT /organisations/{org}/members/{email}
Response DeleteMember(const Context& ctx);    // DELETE /organisations/{org}/members/{email}
Response Audit(const Context& ctx);           // GET /organisations/{org}/audit
Response Import(const Context& ctx);          // POST /organisations/{org}/import?format=
Response Export(const Context& ctx);          // GET /organisations/{org}/export/{framework}

}  // namespace opennos::web::account_api
