#include "web/http/etag.h"

#include <cstdint>
#include <cstdio>

namespace opennos::web {

std::string StrongEtag(std::string_view body) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : body) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

std::string GzipEtag(std::string_view etag) {
  if (etag.size() < 2 || etag.back() != '"') return std::string(etag);
  return std::string(etag.substr(0, etag.size() - 1)) + "-gz\"";
}

bool EtagMatches(std::string_view header, std::string_view etag) {
  if (header.empty()) return false;
  size_t start = 0;
  while (start < header.size()) {
    size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view tag = header.substr(start, end - start);
    start = end + 1;
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace opennos::web
