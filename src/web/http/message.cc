#include "web/http/message.h"

#include <cctype>

namespace opennos::web {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Request::Query(std::string_view key) const {
  for (const auto& [k, v] : query) {
    if (k == key) return v;
  }
  return {};
}

std::string Request::Header(std::string_view lower_case_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_case_name) return v;
  }
  return {};
}

void Response::Set(std::string_view name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

std::string Response::Get(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

bool PercentDecode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

std::string PercentEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : in) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || c == '@') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

bool ParseTarget(std::string_view target, Request& request, std::string& error) {
  const size_t q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);
  if (raw_path.empty() || raw_path.front() != '/') {
    error = "the request target must be an absolute path";
    return false;
  }
  if (!PercentDecode(raw_path, request.path, false)) {
    error = "bad percent-encoding in the path";
    return false;
  }
  if (request.path.find('\0') != std::string::npos) {
    error = "a NUL byte in the path";
    return false;
  }
  // Reject dot segments (after decoding, so %2e%2e counts) and backslashes.
  size_t start = 1;
  while (start <= request.path.size()) {
    size_t end = request.path.find('/', start);
    if (end == std::string::npos) end = request.path.size();
    const std::string_view segment(request.path.data() + start, end - start);
    if (segment == "." || segment == "..") {
      error = "\".\" and \"..\" are not allowed in a path";
      return false;
    }
    start = end + 1;
  }
  if (request.path.find('\\') != std::string::npos) {
    error = "backslashes are not allowed in a path";
    return false;
  }
  request.query.clear();
  if (q == std::string_view::npos) return true;
  if (!ParseUrlEncoded(target.substr(q + 1), request.query)) {
    error = "bad percent-encoding in the query";
    return false;
  }
  return true;
}

bool ParseUrlEncoded(std::string_view text,
                     std::vector<std::pair<std::string, std::string>>& out) {
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), key, true) ||
        (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), value, true))) {
      return false;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

}  // namespace opennos::web
