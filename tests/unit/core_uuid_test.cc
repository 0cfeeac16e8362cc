#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "core/codec.h"
#include "core/uuid.h"

namespace opennos {
namespace {

constexpr std::string_view kCanonical = "8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab";

TEST(CanonicalUuid, AcceptsTheUsualSpellingsAndLowerCasesThem) {
  const std::string_view cases[] = {
      "8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab",
      "8C1E9B1A-3F2D-4C5E-9A7B-0123456789AB",
      "{8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab}",
      "{8C1E9B1A-3F2D-4C5E-9A7B-0123456789AB}",
      "urn:uuid:8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab",
      "urn:uuid:8C1E9B1A-3f2d-4C5E-9a7b-0123456789Ab",
  };
  for (std::string_view text : cases) {
    const auto canonical = CanonicalUuid(text);
    ASSERT_TRUE(canonical.has_value()) << text;
    EXPECT_EQ(*canonical, kCanonical) << text;
  }
}

TEST(CanonicalUuid, RefusesAnythingThatIsNotAUuid) {
  const std::string_view cases[] = {
      "",
      "ML@2024",
      "8c1e9b1a3f2d4c5e9a7b0123456789ab",       // no dashes
      "8c1e9b1a-3f2d-4c5e-9a7b-0123456789a",    // one digit short
      "8c1e9b1a-3f2d-4c5e-9a7b-0123456789abc",  // one digit long
      "8c1e9b1a-3f2d4-c5e-9a7b-0123456789ab",   // a dash in the wrong place
      "8c1e9b1g-3f2d-4c5e-9a7b-0123456789ab",   // not hex
      "{8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab",  // unbalanced brace
      "8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab}",
      " 8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab",  // surrounding space
      "8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab ",
      "urn:uuid:{8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab",
      "uuid:8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab",
  };
  for (std::string_view text : cases) {
    EXPECT_FALSE(CanonicalUuid(text).has_value()) << '"' << text << '"';
  }
}

TEST(NameUuid, GivesTheStandardVersion5Uuid) {
  // RFC 4122 namespace for DNS names; the value Python's uuid.uuid5 gives for "python.org".
  EXPECT_EQ(NameUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(NameUuid, GivesTheStandardUuidForNamesOfEveryLengthAroundABlock) {
  // Python's uuid.uuid5 in the DNS namespace: the namespace's 16 bytes and the name fill one
  // SHA-1 block, one and a bit, exactly one, or several.
  const std::string_view dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
  std::string long_name;
  for (int i = 0; i < 13; ++i) long_name += "long name ";
  const std::pair<std::string, std::string_view> cases[] = {
      {"", "4ebd0208-8328-5d69-8c44-ec50939c0967"},
      {std::string(39, 'x'), "2f80c0d1-1c62-579f-8d68-e61ad5592c9b"},
      {std::string(40, 'y'), "b31f942e-dc87-58c7-b8b9-51825eb9fb8d"},
      {std::string(47, 'w'), "75bb32f8-ee67-58e0-8460-b4f702f19dd1"},
      {std::string(48, 'z'), "959e56cf-ee75-5d96-976c-78f625e589f2"},
      {long_name, "d8c75e1e-a2a9-56ba-8cc8-4469f7516aea"},
  };
  for (const auto& [name, expected] : cases) {
    EXPECT_EQ(NameUuid(dns, name), expected) << name.size() << " bytes";
  }
  EXPECT_EQ(NameUuid("6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d")
      << "a namespace in capitals";
}

TEST(NameUuid, IsStableAndDependsOnBothNamespaceAndName) {
  const std::string a = NameUuid(OpenNosNamespace(), "framework:ML@2024");
  EXPECT_EQ(a, NameUuid(OpenNosNamespace(), "framework:ML@2024"));
  EXPECT_NE(a, NameUuid(OpenNosNamespace(), "framework:ML@2012"));
  EXPECT_NE(a, NameUuid(std::string(kCanonical), "framework:ML@2024"));
  EXPECT_EQ(CanonicalUuid(a), a) << "a name-based UUID is canonical";
  EXPECT_EQ(a[14], '5') << "version 5";
}

TEST(NameUuid, DerivedIdentitiesNeverChange) {
  // Stores and files hold these values: changing the derivation would orphan them.
  EXPECT_EQ(OpenNosNamespace(), "3f6c1a52-7d0e-5b8a-9c41-2e6f0d9b7a13");
  EXPECT_EQ(DerivedFrameworkUuid("ML", "2024"), "66b377c5-acca-5b66-bfb6-e69d9fe5d507");
  EXPECT_EQ(DerivedItemUuid("66b377c5-acca-5b66-bfb6-e69d9fe5d507", "A1"),
            "9719dc84-55e0-53de-a9d0-47942a1e2ab9");
}

TEST(NewUuid, GivesDistinctCanonicalVersion4Uuids) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string u = NewUuid();
    ASSERT_EQ(CanonicalUuid(u), u);
    ASSERT_EQ(u[14], '4') << u;
    ASSERT_NE(std::string_view("89ab").find(u[19]), std::string_view::npos) << "variant: " << u;
    ASSERT_TRUE(seen.insert(u).second) << "repeated: " << u;
  }
}

}  // namespace
}  // namespace opennos
