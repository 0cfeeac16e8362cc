#include "core/uuid.h"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>

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

// SHA-1 (FIPS 180-4) of a short message, for name-based UUIDs: a large import derives one per
// item, and a straight block function costs a fraction of a byte-at-a-time one.
std::array<std::uint8_t, 20> Sha1(std::string_view message) {
  std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const auto rotl = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  const auto block = [&](const std::uint8_t* p) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = std::uint32_t{p[4 * i]} << 24 | std::uint32_t{p[4 * i + 1]} << 16 |
             std::uint32_t{p[4 * i + 2]} << 8 | std::uint32_t{p[4 * i + 3]};
    }
    for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    // The four rounds of twenty, each with its own function and constant.
    const auto step = [&](std::uint32_t f, std::uint32_t k, std::uint32_t word) {
      const std::uint32_t t = rotl(a, 5) + f + e + k + word;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    };
    for (int i = 0; i < 20; ++i) step((b & c) | (~b & d), 0x5A827999, w[i]);
    for (int i = 20; i < 40; ++i) step(b ^ c ^ d, 0x6ED9EBA1, w[i]);
    for (int i = 40; i < 60; ++i) step((b & c) | (b & d) | (c & d), 0x8F1BBCDC, w[i]);
    for (int i = 60; i < 80; ++i) step(b ^ c ^ d, 0xCA62C1D6, w[i]);
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  };
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(message.data());
  size_t whole = message.size() / 64 * 64;
  for (size_t at = 0; at < whole; at += 64) block(bytes + at);
  // The rest, a 1 bit, zeros and the length in bits: one block or two.
  std::uint8_t tail[128] = {};
  const size_t rest = message.size() - whole;
  std::copy(bytes + whole, bytes + message.size(), tail);
  tail[rest] = 0x80;
  const size_t tail_size = rest + 9 <= 64 ? 64 : 128;
  const std::uint64_t bits = std::uint64_t{message.size()} * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  block(tail);
  if (tail_size == 128) block(tail + 64);
  std::array<std::uint8_t, 20> out{};
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
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
  std::array<std::uint8_t, 20> digest;
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
