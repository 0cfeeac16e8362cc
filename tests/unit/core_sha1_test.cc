// core/sha1.h: the digest is FIPS 180-4's, whether the processor's SHA instructions or the
// plain block function make it.

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/sha1.h"

namespace opennos {
namespace {

std::string Hex(const Sha1Digest& d) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : d) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

TEST(Sha1, GivesTheStandardsTestVectors) {
  for (auto sha1 : {Sha1, Sha1Portable}) {
    EXPECT_EQ(Hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(Hex(sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    EXPECT_EQ(Hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    EXPECT_EQ(Hex(sha1(std::string(1000000, 'a'))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  }
}

TEST(Sha1, TheFastAndThePlainWayAgreeOnEveryLengthAroundTheBlockEdges) {
  std::mt19937 random(7);
  for (std::size_t size = 0; size <= 300; ++size) {
    std::string message(size, '\0');
    for (char& c : message) c = static_cast<char>(random());
    ASSERT_EQ(Hex(Sha1(message)), Hex(Sha1Portable(message))) << "length " << size;
  }
}

}  // namespace
}  // namespace opennos
