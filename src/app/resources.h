#pragma once
// Files embedded in the binary at build time (cmake/embed.cmake).

#include <string_view>
#include <vector>

namespace opennos {

struct Resource {
  std::string_view name;  // path relative to its folder in the source tree
  std::string_view data;
};

// The demo frameworks, from data/demo/.
const std::vector<Resource>& DemoResources();
// Page templates, from src/web/templates/.
const std::vector<Resource>& TemplateResources();
// The site's own static files, from src/web/static/.
const std::vector<Resource>& StaticResources();
// The compiled GOV.UK Frontend (CSS, JS, fonts and images), from its npm package's dist/govuk/.
const std::vector<Resource>& GovukResources();

}  // namespace opennos
