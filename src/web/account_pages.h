#pragma once
// Signing in and out, and the signed-in user's own account page (web/auth.h for the checks).

#include "web/respond.h"

namespace opennos::web::account {

Response SignInPage(const Context& ctx);   // GET /sign-in[?next=PATH]
Response SignIn(const Context& ctx);       // POST /sign-in (email, password, csrf_token, next)
Response SignOut(const Context& ctx);      // POST /sign-out
Response AccountPage(const Context& ctx);  // GET /account: memberships, tokens

}  // namespace opennos::web::account
