#include "app/crypto.h"

#include <sodium.h>

#include <mutex>
#include <stdexcept>
#include <vector>

namespace opennos {
namespace {

std::string Base64Url(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

// A hash of a password nobody knows, for SpendPasswordTime.
const std::string& DecoyHash() {
  static const std::string hash = [] {
    auto h = HashPassword(RandomToken());
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

}  // namespace

void EnsureCrypto() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  });
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureCrypto();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("not enough memory to hash a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureCrypto();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void SpendPasswordTime(std::string_view password) {
  (void)VerifyPassword(DecoyHash(), password);
}

std::string RandomToken(std::size_t bytes) {
  EnsureCrypto();
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  return Base64Url(buf.data(), buf.size());
}

std::string TokenDigest(std::string_view token) {
  EnsureCrypto();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string Hmac(std::string_view key, std::string_view message) {
  EnsureCrypto();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return Base64Url(mac, sizeof mac);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  EnsureCrypto();
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace opennos
