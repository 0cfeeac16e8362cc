#include <gtest/gtest.h>

#include <functional>

#include "core/codec.h"
#include "core/validate.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

using test::AddItem;
using test::ItemCoded;
using test::SampleFramework;

TEST(ValidateFramework, AcceptsAWellFormedFramework) {
  const Status s = ValidateFramework(SampleFramework("ML", "2024", "ODSML01"));
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(ValidateFramework, AcceptsAnItemWithOnlyACode) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  ItemCoded(doc, "A1.P2").text.clear();
  const Status s = ValidateFramework(doc);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(ValidateFramework, AcceptsAFrameworkWithNoItems) {
  EXPECT_TRUE(ValidateFramework(test::EmptyFramework("ML", "2024")).ok());
}

struct BrokenCase {
  const char* rule;
  std::function<void(FrameworkDoc&)> breaks;
  const char* message;  // a part of the expected message
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.rule; }

class ValidateFrameworkRule : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(ValidateFrameworkRule, RefusesAFrameworkThatBreaksIt) {
  FrameworkDoc doc = SampleFramework("ML", "2024", "ODSML01");
  GetParam().breaks(doc);
  const Status s = ValidateFramework(doc);
  EXPECT_EQ(s.code(), Status::Code::kInvalid) << GetParam().rule;
  EXPECT_NE(s.message().find(GetParam().message), std::string::npos)
      << GetParam().rule << ": " << s.message();
}

Association& FirstAssociation(FrameworkDoc& doc) { return doc.associations.front(); }

const BrokenCase kBrokenCases[] = {
    {"framework uuid", [](FrameworkDoc& d) { d.framework.uuid.clear(); }, "no UUID"},
    {"framework code", [](FrameworkDoc& d) { d.framework.code.clear(); }, "no code"},
    {"framework edition", [](FrameworkDoc& d) { d.framework.edition.clear(); }, "no edition"},
    {"framework title", [](FrameworkDoc& d) { d.framework.title.clear(); }, "no title"},
    {"published date", [](FrameworkDoc& d) { d.framework.published = "2024-1-1"; },
     "\"2024-1-1\" is not YYYY-MM-DD"},
    {"review date", [](FrameworkDoc& d) { d.framework.review = "soon"; },
     "\"soon\" is not YYYY-MM-DD"},
    {"@ in the code", [](FrameworkDoc& d) { d.framework.code = "ML@X"; }, "must not contain '@'"},
    {"item uuid", [](FrameworkDoc& d) { ItemCoded(d, "A1.P2").uuid.clear(); },
     "item \"A1.P2\" has no UUID"},
    {"item of another framework",
     [](FrameworkDoc& d) { ItemCoded(d, "A1.P2").framework_uuid = DerivedFrameworkUuid("X", "1"); },
     "item \"A1.P2\" belongs to another framework"},
    {"unique item uuids",
     [](FrameworkDoc& d) { ItemCoded(d, "A1.P2").uuid = ItemCoded(d, "A1.P1").uuid; },
     "two items have the UUID"},
    {"unique item codes", [](FrameworkDoc& d) { ItemCoded(d, "A1.P2").code = "A1.P1"; },
     "two items have the code \"A1.P1\""},
    {"a title, a text or a code",
     [](FrameworkDoc& d) {
       ItemCoded(d, "A1.P2").text.clear();
       ItemCoded(d, "A1.P2").code.clear();
     },
     "has no title, text or code"},
    {"unit fields only on units", [](FrameworkDoc& d) { ItemCoded(d, "A1.P2").unit.urn = "X"; },
     "item \"A1.P2\" has unit fields but is a performance-criterion"},
    {"unit status", [](FrameworkDoc& d) { ItemCoded(d, "A1").unit.status = "copied"; },
     "unit status \"copied\""},
    {"unit validity", [](FrameworkDoc& d) { ItemCoded(d, "A1").unit.validity = "old"; },
     "validity \"old\""},
    {"unit category", [](FrameworkDoc& d) { ItemCoded(d, "A1").unit.category = "optional"; },
     "category \"optional\""},
    {"unit approved date",
     [](FrameworkDoc& d) { ItemCoded(d, "A1").unit.approved = "2024-02-30x"; },
     "\"2024-02-30x\" is not a date"},
    {"unit review date", [](FrameworkDoc& d) { ItemCoded(d, "A1").unit.review = "2024-13-01"; },
     "\"2024-13-01\" is not a date"},
    {"unit version", [](FrameworkDoc& d) { ItemCoded(d, "A1").unit.version = -1; },
     "item \"A1\": a negative version"},
    {"parent inside the framework",
     [](FrameworkDoc& d) {
       ItemCoded(d, "A1.P2").parent_uuid = "0f0f0f0f-0000-4000-8000-000000000000";
     },
     "item \"A1.P2\" names a parent"},
    {"parent listed before the child", [](FrameworkDoc& d) { std::swap(d.items[0], d.items[1]); },
     "item \"A1\" names a parent"},
    {"sibling positions from 0", [](FrameworkDoc& d) { ItemCoded(d, "A1.P1").position = 1; },
     "item \"A1.P1\" is at position 1 among its siblings; expected 0"},
    {"no gaps in positions", [](FrameworkDoc& d) { ItemCoded(d, "A2").position = 5; },
     "item \"A2\" is at position 5 among its siblings; expected 1"},
    {"association uuid", [](FrameworkDoc& d) { FirstAssociation(d).uuid.clear(); },
     "association isRelatedTo has no UUID"},
    {"unique association uuids",
     [](FrameworkDoc& d) { d.associations.push_back(d.associations.front()); },
     "two associations have the UUID"},
    {"association type", [](FrameworkDoc& d) { FirstAssociation(d).type = "made-up"; },
     "unknown type \"made-up\""},
    {"empty extension type", [](FrameworkDoc& d) { FirstAssociation(d).type = "ext:"; },
     "unknown type \"ext:\""},
    {"association origin", [](FrameworkDoc& d) { FirstAssociation(d).origin = {}; },
     "has no origin"},
    {"association destination", [](FrameworkDoc& d) { FirstAssociation(d).destination = {}; },
     "has no destination"},
    {"association provenance", [](FrameworkDoc& d) { FirstAssociation(d).provenance = "guessed"; },
     "unknown provenance \"guessed\""},
};

INSTANTIATE_TEST_SUITE_P(EachRule, ValidateFrameworkRule, ::testing::ValuesIn(kBrokenCases),
                         [](const auto& info) { return test::TestName(info.param.rule); });

TEST(ValidateFramework, AcceptsAnExtensionAssociationTypeAndAnExternalNode) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  doc.associations.front().type = "ext:mapsTo";
  doc.associations.front().destination = {"", "", "", "https://example.org/x", "X"};
  const Status s = ValidateFramework(doc);
  EXPECT_TRUE(s.ok()) << s.message();
}

// A chain of `depth` items, each the only child of the one before.
FrameworkDoc Chain(int depth) {
  FrameworkDoc doc = test::EmptyFramework("DEEP", "1");
  std::string parent;
  for (int i = 1; i <= depth; ++i) {
    const std::string code = "L" + std::to_string(i);
    AddItem(doc, ItemType::kStatement, code, parent);
    parent = code;
  }
  return doc;
}

TEST(ValidateFramework, AcceptsATreeExactlyAsDeepAsTheLimit) {
  const Status s = ValidateFramework(Chain(kMaxTreeDepth));
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(ValidateFramework, RefusesATreeDeeperThanTheLimit) {
  const Status s = ValidateFramework(Chain(kMaxTreeDepth + 1));
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("item \"L65\" is nested more than 64 levels deep"), std::string::npos)
      << s.message();
}

TEST(ValidateFramework, NamesAnItemWithoutACodeByItsUuid) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Item& item = ItemCoded(doc, "A1.P2");
  item.code.clear();
  item.text.clear();
  const Status s = ValidateFramework(doc);
  EXPECT_EQ(s.message().rfind("item " + item.uuid + " ", 0), 0u)
      << s.message();
}

TEST(IsIsoDate, AcceptsOnlyYyyyMmDdWithAPlausibleMonthAndDay) {
  const std::pair<const char*, bool> cases[] = {
      {"2024-03-01", true},  {"1999-12-31", true},        {"2024-02-29", true},
      {"2024-00-10", false}, {"2024-13-10", false},       {"2024-01-00", false},
      {"2024-01-32", false}, {"2024-1-01", false},        {"24-01-01", false},
      {"2024/01/01", false}, {"2024-01-01T00:00", false}, {"", false},
      {"abcd-ef-gh", false}, {"2024-01-0a", false},
  };
  for (const auto& [text, valid] : cases) EXPECT_EQ(IsIsoDate(text), valid) << text;
}

std::vector<std::string> Codes(const FrameworkDoc& doc) {
  std::vector<std::string> out;
  for (const Item& item : doc.items) out.push_back(item.code);
  return out;
}

TEST(PutInTreeOrder, PutsParentsBeforeChildrenAndKeepsSiblingsInOrder) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  // Reverse the items: every child now comes before its parent.
  std::reverse(doc.items.begin(), doc.items.end());
  for (Item& item : doc.items) item.position = 99;
  ASSERT_TRUE(PutInTreeOrder(doc).ok());
  // Reversal also reversed the siblings, and their relative order is kept.
  EXPECT_EQ(Codes(doc),
            (std::vector<std::string>{"A", "A2", "A2.P1", "A1", "A1.K1", "A1.P2", "A1.P1"}));
  for (const char* code : {"A", "A2", "A2.P1", "A1.K1"}) {
    EXPECT_EQ(ItemCoded(doc, code).position, 0) << code;
  }
  EXPECT_EQ(ItemCoded(doc, "A1").position, 1);
  EXPECT_EQ(ItemCoded(doc, "A1.P2").position, 1);
  EXPECT_EQ(ItemCoded(doc, "A1.P1").position, 2);
  const Status s = ValidateFramework(doc);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(PutInTreeOrder, LeavesATreeAlreadyInOrderAsItIs) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  const std::vector<std::string> before = Codes(doc);
  ASSERT_TRUE(PutInTreeOrder(doc).ok());
  EXPECT_EQ(Codes(doc), before);
}

TEST(PutInTreeOrder, RefusesParentsThatFormACycle) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  // A1 becomes a child of its own criterion A1.P1.
  ItemCoded(doc, "A1").parent_uuid = ItemCoded(doc, "A1.P1").uuid;
  const Status s = PutInTreeOrder(doc);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("cycle"), std::string::npos) << s.message();
}

TEST(PutInTreeOrder, RefusesAnItemThatIsItsOwnParent) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Item& item = ItemCoded(doc, "A2.P1");
  item.parent_uuid = item.uuid;
  const Status s = PutInTreeOrder(doc);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("cycle"), std::string::npos) << s.message();
}

TEST(PutInTreeOrder, RefusesAParentThatIsNotInTheFramework) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  ItemCoded(doc, "A2.P1").parent_uuid = "0f0f0f0f-0000-4000-8000-000000000000";
  const Status s = PutInTreeOrder(doc);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("item \"A2.P1\" names a parent that is not in the framework"),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace opennos
