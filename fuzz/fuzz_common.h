#pragma once
// What the fuzz targets share: a failed property aborts, so that libFuzzer keeps the input.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace opennos::fuzz {

// Reports a broken property of an accepted input and aborts (libFuzzer saves the input as a
// crash). `detail` is shown up to 2,000 bytes.
[[noreturn]] inline void Broken(const char* property, std::string_view detail = {}) {
  std::fprintf(stderr, "\n*** property broken: %s\n", property);
  if (!detail.empty()) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(detail.size() > 2000 ? 2000 : detail.size()),
                 detail.data());
  }
  std::abort();
}

// The first place two texts differ, with a little context, for a report.
inline std::string_view Around(std::string_view a, std::string_view b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const size_t from = i > 200 ? i - 200 : 0;
  return a.substr(from, 400);
}

}  // namespace opennos::fuzz
