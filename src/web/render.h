#pragma once
// Renders logic-less mustache templates (src/web/templates/) from view models. A view model is
// a JSON object built by a page's builder; templates only show what it holds.

#include <boost/json.hpp>
#include <string>
#include <string_view>

namespace opennos::web {

// Renders the template `name` (without ".mustache") with `model`; partials are other templates
// by name. Thread-safe. Throws std::runtime_error for a template that does not exist or does not
// parse (a bug, not an input error). With $OPENNOS_WEB_DIR set, templates are read from
// $OPENNOS_WEB_DIR/templates on every call (for editing them without a rebuild).
std::string Render(std::string_view name, const boost::json::object& model);

// Escapes text for HTML element content and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace opennos::web
