#include "core/uuid.h"

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <cctype>
#include <mutex>

namespace opennos {
namespace {

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Strict 8-4-4-4-12 check; boost's string_generator is lenient about dashes.
bool IsCanonicalShape(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHex(s[i])) return false;
  }
  return true;
}

}  // namespace

std::string NewUuid() {
  static std::mutex mutex;
  static boost::uuids::random_generator generator;
  std::lock_guard lock(mutex);
  return boost::uuids::to_string(generator());
}

std::string NameUuid(std::string_view ns, std::string_view name) {
  const auto parsed = boost::uuids::string_generator()(std::string(ns));
  boost::uuids::name_generator_sha1 gen(parsed);
  return boost::uuids::to_string(gen(name.data(), name.size()));
}

std::string_view OpenNosNamespace() { return "3f6c1a52-7d0e-5b8a-9c41-2e6f0d9b7a13"; }

std::optional<std::string> CanonicalUuid(std::string_view text) {
  if (text.substr(0, 9) == "urn:uuid:") text.remove_prefix(9);
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, 36);
  }
  if (!IsCanonicalShape(text)) return std::nullopt;
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace opennos
