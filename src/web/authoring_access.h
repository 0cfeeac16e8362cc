#pragma once
// Who may do what in authoring, as the authoring pages and API ask it: the one place that
// turns the accounts module's sessions, tokens and roles (web/auth.h) into the three needs of
// authoring, and into the author and organisation a revision records.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/respond.h"

namespace opennos::web {

enum class Need {
  kRead,     // read drafts and their history (read-drafts: viewer and up)
  kEdit,     // create and change drafts, restore revisions (edit-drafts: editor and up)
  kPublish,  // publish drafts (publish: editor and up)
};

// The refusal to send (401 without valid credentials; 403 without the role in the
// organisation owning `framework`, or, when it is null, in any organisation), or nullopt when
// the request may go ahead.
std::optional<Response> Refuse(const Context& ctx, Need need, const Framework* framework);

// The ChangeContext of a write: the user or token as author, `reason`, and the organisation
// that will own what it creates (the framework's owner, or the user's first organisation
// where they may edit), limited to that organisation's frameworks.
ChangeContext WhoFor(const Context& ctx, const Framework* framework, std::string reason);

// The request's author for revisions (the user's email); empty for nobody.
std::string AuthorOf(const Context& ctx);

// A field of the posted form; empty when absent.
std::string FormField(const Context& ctx, std::string_view name);
// Every field of the posted form, in order.
std::vector<std::pair<std::string, std::string>> FormFields(const Context& ctx);

}  // namespace opennos::web
