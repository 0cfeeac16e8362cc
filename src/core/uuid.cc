#include "core/uuid.h"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>

#include "core/sha1.h"

namespace opennos {
namespace {

// A hex digit in lower case, or 0 for any other byte (a large import checks millions of
// identifiers: no locale look-ups).
char LowerHex(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) return c;
  if (c >= 'A' && c <= 'F') return static_cast<char>(c - 'A' + 'a');
  return 0;
}

bool IsDashPlace(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// The text form of a UUID's 16 bytes, lower case, 8-4-4-4-12.
std::string UuidText(const boost::uuids::uuid& u) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t at = 0;
  for (size_t i = 0; i < 16; ++i) {
    if (IsDashPlace(at)) ++at;
    out[at++] = kDigits[u.data[i] >> 4];
    out[at++] = kDigits[u.data[i] & 15];
  }
  return out;
}

}  // namespace

std::string NewUuid() {
  static std::mutex mutex;
  static boost::uuids::random_generator generator;
  std::lock_guard lock(mutex);
  return boost::uuids::to_string(generator());
}

std::string NameUuid(std::string_view ns, std::string_view name) {
  // The namespace's 16 bytes, read directly when it is a plain 8-4-4-4-12 UUID (every caller's
  // case); boost's parser for any other spelling.
  boost::uuids::uuid parsed{};
  bool plain = ns.size() == 36;
  for (size_t i = 0, at = 0; plain && i < 16; ++i, at += 2) {
    if (IsDashPlace(at) && ns[at++] != '-') plain = false;
    const char high = LowerHex(ns[at]), low = LowerHex(ns[at + 1]);
    if (high == 0 || low == 0) plain = false;
    else parsed.data[i] = static_cast<std::uint8_t>(HexValue(high) * 16 + HexValue(low));
  }
  if (!plain) parsed = boost::uuids::string_generator()(std::string(ns));
  // RFC 4122 section 4.3: SHA-1 of the namespace's bytes and the name; version 5, variant 1.
  Sha1Digest digest;
  if (name.size() <= 240) {
    char message[256];
    std::copy(parsed.data, parsed.data + 16, message);
    std::copy(name.begin(), name.end(), message + 16);
    digest = Sha1(std::string_view(message, 16 + name.size()));
  } else {
    std::string message(reinterpret_cast<const char*>(parsed.data), 16);
    message.append(name);
    digest = Sha1(message);
  }
  boost::uuids::uuid u{};
  std::copy(digest.begin(), digest.begin() + 16, u.data);
  u.data[6] = static_cast<std::uint8_t>((u.data[6] & 0x0F) | 0x50);
  u.data[8] = static_cast<std::uint8_t>((u.data[8] & 0x3F) | 0x80);
  return UuidText(u);
}

std::string_view OpenNosNamespace() { return "3f6c1a52-7d0e-5b8a-9c41-2e6f0d9b7a13"; }

std::optional<std::string> CanonicalUuid(std::string_view text) {
  if (text.substr(0, 9) == "urn:uuid:") text.remove_prefix(9);
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, 36);
  }
  if (text.size() != 36) return std::nullopt;
  std::string out(36, '-');
  for (size_t i = 0; i < 36; ++i) {
    if (IsDashPlace(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const char c = LowerHex(text[i]);
    if (c == 0) return std::nullopt;
    out[i] = c;
  }
  return out;
}

}  // namespace opennos
