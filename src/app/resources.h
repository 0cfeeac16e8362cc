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

}  // namespace opennos
