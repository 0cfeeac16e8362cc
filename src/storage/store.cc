#include "storage/store.h"

#include <algorithm>
#include <cctype>

#include "core/uuid.h"

namespace opennos {

bool EditionLess(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = std::isdigit(static_cast<unsigned char>(a[i]));
    const bool db = std::isdigit(static_cast<unsigned char>(b[j]));
    if (da && db) {
      size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      std::string_view na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

Result<std::string> ResolveFramework(Store& store, std::string_view name) {
  if (auto uuid = CanonicalUuid(name)) {
    auto f = store.GetFramework(*uuid);
    if (!f.ok()) return f.status();
    return f->uuid;
  }
  const auto at = name.find('@');
  const std::string_view code = name.substr(0, at);
  const std::string_view edition = at == std::string_view::npos ? "" : name.substr(at + 1);
  auto list = store.ListFrameworks();
  if (!list.ok()) return list.status();
  const Framework* best = nullptr;
  for (const auto& s : *list) {
    const Framework& f = s.framework;
    if (f.code != code) continue;
    if (at != std::string_view::npos && f.edition != edition) continue;
    // A bare code names the newest public edition; a draft only when there is nothing else.
    if (best == nullptr || (!IsPublic(*best) && IsPublic(f)) ||
        (IsPublic(*best) == IsPublic(f) && EditionLess(best->edition, f.edition))) {
      best = &f;
    }
  }
  if (best == nullptr) {
    return Status::NotFound("no framework \"" + std::string(name) + "\"");
  }
  return best->uuid;
}

}  // namespace opennos
