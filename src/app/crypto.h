#pragma once
// The secrets of accounts, through libsodium: Argon2id password hashes, random tokens, their
// digests, and HMACs. Thread-safe. Nothing here logs or keeps what it is given.

#include <string>
#include <string_view>

#include "core/status.h"

namespace opennos {

// Initialises libsodium once; every function below calls it. Throws if libsodium cannot start
// (no entropy source): nothing about accounts can work then.
void EnsureCrypto();

// An Argon2id string (crypto_pwhash_str_alg, ARGON2ID13, the interactive limits: about 0.1 s
// and 64 MB) holding its own salt and parameters. Internal error if memory runs out.
Result<std::string> HashPassword(std::string_view password);
// True when `password` matches `hash` (from HashPassword). False for an empty or foreign hash.
bool VerifyPassword(std::string_view hash, std::string_view password);
// Spends the time a VerifyPassword takes, for an account that does not exist, so that timing
// does not tell which emails have accounts.
void SpendPasswordTime(std::string_view password);

// `bytes` random bytes as unpadded base64url text (32 bytes: 43 characters).
std::string RandomToken(std::size_t bytes = 32);
// A one-way digest of a random token (BLAKE2b-256, hex), to keep instead of the token. Tokens
// are random and long, so a fast digest is safe here (unlike for passwords).
std::string TokenDigest(std::string_view token);
// HMAC-SHA-256 of `message` under `key`, as base64url text.
std::string Hmac(std::string_view key, std::string_view message);
// Compares two strings in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace opennos
