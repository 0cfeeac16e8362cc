#pragma once
// Who is asking, and may they? The helpers every handler that reads private data or writes
// uses. docs/accounts.md explains the model; this is how a handler applies it.
//
// What the site does before a handler runs (web/site.cc), so handlers cannot forget it:
//  - A write (POST, PUT, PATCH, DELETE) reaches its handler only with a valid session cookie
//    or bearer token: otherwise 401 and nothing runs. With a session cookie it also needs the
//    session's CSRF token (form field `csrf_token`, or header `X-CSRF-Token`) and, if the
//    browser sent an Origin, this site's origin: otherwise 403. The only exception is the
//    sign-in form, which checks its own pre-session token.
//  - A request with credentials, and every route marked kPersonal, is answered fresh, never
//    from or into the shared response cache, with "Cache-Control: private, no-store".
//
// What a handler does: check the role on the organisation concerned, early:
//
//   Response PublishDraft(const Context& ctx) {
//     auto uuid = ...;                                   // the framework in question
//     if (auto refused = RequireOnFramework(ctx, uuid, Permission::kPublish)) return *refused;
//     ...the write...
//     AuditWrite(ctx, owner_id, "framework.publish", uuid, "edition 2025");
//   }
//
// Refusals: nobody signed in → 401 (pages: a sign-in page; API: JSON with WWW-Authenticate:
// Bearer); signed in without the permission there, or another organisation's framework → 403.

#include <optional>
#include <string>
#include <string_view>

#include "app/accounts.h"
#include "web/respond.h"

namespace opennos::web {

// Cookie names.
inline constexpr std::string_view kSessionCookie = "opennos_session";
inline constexpr std::string_view kSignInCookie = "opennos_signin";

// nullopt when someone is signed in; otherwise the 401 answer.
std::optional<Response> RequireSignIn(const Context& ctx);
// nullopt when the user's role in `organisation_id` allows `p`; otherwise 401 or 403.
std::optional<Response> Require(const Context& ctx, std::string_view organisation_id,
                                Permission p);
// As Require, for the organisation that owns a framework (a framework nobody owns: 403).
std::optional<Response> RequireOnFramework(const Context& ctx, std::string_view framework_uuid,
                                           Permission p);

// The 401 and 403 answers, as a page or (under /api/) JSON.
Response Unauthorised(const Context& ctx);
Response Forbidden(const Context& ctx, const std::string& message);

// The request's actor for the audit log: the user and the client's address.
Actor ActorOf(const Context& ctx);
// Records a write in the audit log. Throws if the store fails (the write has happened; a lost
// audit entry is a fault, caught at the top of the request as a 500).
void AuditWrite(const Context& ctx, std::string_view organisation_id, std::string_view action,
                std::string_view target, std::string_view detail = "");

// The value of a cookie; empty when absent.
std::string CookieValue(const Request& request, std::string_view name);
// A Set-Cookie value: HttpOnly, Path=/, the given SameSite; Max-Age 0 clears it.
std::string CookieHeader(std::string_view name, std::string_view value, std::int64_t max_age,
                         std::string_view same_site, bool secure);
// True when cookies of this request must be Secure (options and, behind a proxy, its header).
bool WantsSecureCookies(const Request& request, const SiteOptions& options);
// The client's address: the socket's, or behind a trusted proxy the last X-Forwarded-For.
std::string ClientAddress(const Request& request, const SiteOptions& options);
// The credentials a request carries: "Authorization: Bearer X" (returns X), else "".
std::string BearerToken(const Request& request);

// True when a cookie-authenticated write carries its session's CSRF token (form field
// `csrf_token` or header X-CSRF-Token). Always true for bearer tokens.
bool CsrfTokenValid(const Context& ctx);
// A path to go back to after signing in: `next` if it is a path on this site, else `fallback`.
std::string SafeNext(std::string_view next, std::string_view fallback = "/account");

}  // namespace opennos::web
