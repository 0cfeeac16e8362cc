#pragma once
// SHA-1 (FIPS 180-4), for name-based (version 5) UUIDs: a large import derives one or two per
// item. Where the processor has the SHA extensions their instructions do the rounds, otherwise
// a plain block function does; both give the same digest (tested).

#include <array>
#include <cstdint>
#include <string_view>

namespace opennos {

using Sha1Digest = std::array<std::uint8_t, 20>;

Sha1Digest Sha1(std::string_view message);

// The plain block function only, whatever the processor (for the tests that compare them).
Sha1Digest Sha1Portable(std::string_view message);

}  // namespace opennos
