#include "web/authoring_access.h"

namespace opennos::web {

// Until the accounts module is wired in, nobody may do anything.
std::optional<Response> Refuse(const Context& ctx, Need, const Framework*) {
  if (ctx.request.path.rfind("/api/", 0) == 0) {
    return JsonError(401, "sign in or send an API token to do this");
  }
  return Response{303, {{"Location", "/sign-in"}}, ""};
}

ChangeContext WhoFor(const Context& ctx, const Framework*, std::string reason) {
  ChangeContext who;
  who.author = AuthorOf(ctx);
  who.reason = std::move(reason);
  return who;
}

std::string AuthorOf(const Context&) { return ""; }

std::string FormField(const Context&, std::string_view) { return ""; }

std::vector<std::pair<std::string, std::string>> FormFields(const Context&) { return {}; }

}  // namespace opennos::web
