#include "core/sha1.h"

#include <algorithm>
#include <cstddef>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace opennos {
namespace {

using BlockFn = void (*)(std::uint32_t h[5], const std::uint8_t* blocks, std::size_t count);

std::uint32_t Rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void PortableBlocks(std::uint32_t h[5], const std::uint8_t* p, std::size_t count) {
  for (; count > 0; --count, p += 64) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = std::uint32_t{p[4 * i]} << 24 | std::uint32_t{p[4 * i + 1]} << 16 |
             std::uint32_t{p[4 * i + 2]} << 8 | std::uint32_t{p[4 * i + 3]};
    }
    for (int i = 16; i < 80; ++i) w[i] = Rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    // The four rounds of twenty, each with its own function and constant.
    const auto step = [&](std::uint32_t f, std::uint32_t k, std::uint32_t word) {
      const std::uint32_t t = Rotl(a, 5) + f + e + k + word;
      e = d;
      d = c;
      c = Rotl(b, 30);
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
  }
}

#if defined(__x86_64__)
// The same with the SHA extensions: each sha1rnds4 does four rounds; the message schedule is
// made four words at a time by sha1msg1/sha1msg2. Registers hold words in reverse lane order
// (A, and each block's first word, in the top lane).
__attribute__((target("sha,sse4.1,ssse3"))) void ShaNiBlocks(std::uint32_t h[5],
                                                             const std::uint8_t* p,
                                                             std::size_t count) {
  const __m128i reverse = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h)), 0x1B);
  __m128i e0 = _mm_set_epi32(static_cast<int>(h[4]), 0, 0, 0);
  for (; count > 0; --count, p += 64) {
    const __m128i abcd_before = abcd;
    const __m128i e_before = e0;
    __m128i w[20];
    for (int i = 0; i < 4; ++i) {
      w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)),
                              reverse);
    }
    for (int i = 4; i < 20; ++i) {
      w[i] = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(w[i - 4], w[i - 3]), w[i - 2]),
                                w[i - 1]);
    }
    // Each group's E comes from the ABCD the group before last started from (the first
    // group's from the block's E); the function and constant change every five groups.
    __m128i previous = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e0, w[0]), 0);
    for (int i = 1; i < 20; ++i) {
      const __m128i e = _mm_sha1nexte_epu32(previous, w[i]);
      previous = abcd;
      switch (i / 5) {
        case 0: abcd = _mm_sha1rnds4_epu32(abcd, e, 0); break;
        case 1: abcd = _mm_sha1rnds4_epu32(abcd, e, 1); break;
        case 2: abcd = _mm_sha1rnds4_epu32(abcd, e, 2); break;
        default: abcd = _mm_sha1rnds4_epu32(abcd, e, 3); break;
      }
    }
    e0 = _mm_sha1nexte_epu32(previous, e_before);
    abcd = _mm_add_epi32(abcd, abcd_before);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h), _mm_shuffle_epi32(abcd, 0x1B));
  h[4] = static_cast<std::uint32_t>(_mm_extract_epi32(e0, 3));
}
#endif

BlockFn ChosenBlocks() {
#if defined(__x86_64__)
  // CPUID leaf 1: SSSE3 (ECX bit 9), SSE4.1 (ECX bit 19); leaf 7: SHA (EBX bit 29).
  unsigned a = 0, b = 0, c = 0, d = 0;
  const bool sse = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 9)) && (c & (1u << 19));
  if (sse && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29))) return ShaNiBlocks;
#endif
  return PortableBlocks;
}

Sha1Digest Digest(std::string_view message, BlockFn blocks) {
  std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(message.data());
  const std::size_t whole = message.size() / 64;
  blocks(h, bytes, whole);
  // The rest, a 1 bit, zeros and the length in bits: one block or two.
  std::uint8_t tail[128] = {};
  const std::size_t rest = message.size() - whole * 64;
  std::copy(bytes + whole * 64, bytes + message.size(), tail);
  tail[rest] = 0x80;
  const std::size_t tail_blocks = rest + 9 <= 64 ? 1 : 2;
  const std::uint64_t bits = std::uint64_t{message.size()} * 8;
  for (int i = 0; i < 8; ++i) {
    tail[tail_blocks * 64 - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  }
  blocks(h, tail, tail_blocks);
  Sha1Digest out{};
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
  }
  return out;
}

}  // namespace

Sha1Digest Sha1(std::string_view message) {
  static const BlockFn blocks = ChosenBlocks();
  return Digest(message, blocks);
}

Sha1Digest Sha1Portable(std::string_view message) { return Digest(message, PortableBlocks); }

}  // namespace opennos
