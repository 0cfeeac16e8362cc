// The backend-independent parts of storage/store.h.

#include <gtest/gtest.h>

#include "storage/store.h"

namespace opennos {
namespace {

TEST(EditionLess, SortsNumbersAsNumbers) {
  struct Case {
    const char* a;
    const char* b;
    bool less;
  };
  const Case cases[] = {
      {"9", "10", true},        {"10", "9", false},        {"2004", "2024", true},
      {"2024", "2004", false},  {"2004", "2012", true},    {"2024", "2024", false},
      {"1.9", "1.10", true},    {"1.10", "1.9", false},    {"v2", "v10", true},
      {"v10", "v2", false},     {"09", "10", true},        {"", "1", true},
      {"1", "", false},         {"", "", false},           {"2024", "2024a", true},
      {"2024a", "2024b", true}, {"2024b", "2024a", false}, {"A", "B", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(EditionLess(c.a, c.b), c.less) << '"' << c.a << "\" < \"" << c.b << '"';
  }
}

TEST(EditionLess, IsAStrictWeakOrder) {
  const char* editions[] = {"1",   "01",   "2",  "9",   "10", "2004", "2012", "2024",
                            "1.9", "1.10", "v2", "v10", "",   "a",    "2024a"};
  for (const char* a : editions) {
    EXPECT_FALSE(EditionLess(a, a)) << a;
    for (const char* b : editions) {
      EXPECT_FALSE(EditionLess(a, b) && EditionLess(b, a)) << a << " and " << b;
      for (const char* c : editions) {
        if (EditionLess(a, b) && EditionLess(b, c)) {
          EXPECT_TRUE(EditionLess(a, c)) << a << " < " << b << " < " << c;
        }
      }
    }
  }
}

}  // namespace
}  // namespace opennos
