#include <gtest/gtest.h>

#include "app/resources.h"
#include "core/codec.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "formats/json_parse.h"
#include "formats/native.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

// A native file of framework T@1 with these items and associations (JSON array texts).
std::string NativeFile(const std::string& items, const std::string& associations = "[]") {
  return R"({"opennos": "framework/1",
 "framework": {"code": "T", "edition": "1", "title": "Test"},
 "items": )" +
         items + R"(,
 "associations": )" +
         associations + "}\n";
}

const char* kTwoItems =
    R"([{"type": "unit", "code": "U1", "title": "A unit", "children": [
          {"type": "performance-criterion", "code": "U1.P1", "text": "Do it."}]}])";

FrameworkDoc ReadFixture(const char* name) {
  auto doc = ReadNative(test::ReadFile(test::Fixture(name)), name);
  if (!doc.ok()) throw std::runtime_error(doc.status().message());
  return *doc;
}

TEST(ReadNative, ReadsEveryFieldOfTheTinyFixture) {
  FrameworkDoc doc = ReadFixture("good/tiny.json");
  const Framework& f = doc.framework;
  EXPECT_EQ(f.uuid, DerivedFrameworkUuid("TINY", "1"));
  EXPECT_EQ(f.code, "TINY");
  EXPECT_EQ(f.edition, "1");
  EXPECT_EQ(f.status, FrameworkStatus::kApproved);
  EXPECT_EQ(f.licence, "CC0-1.0");
  EXPECT_EQ(f.published, "2024-01-31");
  EXPECT_EQ(f.extra, R"({"source":"hand-written"})");

  std::vector<std::string> codes;
  for (const Item& item : doc.items) codes.push_back(item.code);
  EXPECT_EQ(codes,
            (std::vector<std::string>{"K", "K1", "K1.P1", "K1.P2", "K1.K1", "K1.E1", "K.G1"}))
      << "tree pre-order";
  const Item& unit = test::ItemCoded(doc, "K1");
  EXPECT_EQ(unit.uuid, DerivedItemUuid(f.uuid, "K1"));
  EXPECT_EQ(unit.parent_uuid, doc.items[0].uuid);
  EXPECT_EQ(unit.position, 0);
  EXPECT_EQ(unit.type, ItemType::kUnit);
  EXPECT_EQ(unit.unit.urn, "TNY01");
  EXPECT_EQ(unit.unit.version, 2);
  EXPECT_EQ(unit.unit.category, "core");
  EXPECT_EQ(unit.unit.keywords, (std::vector<std::string>{"testing", "fixtures"}));
  EXPECT_EQ(unit.unit.occupations, (std::vector<std::string>{"2134"}));
  EXPECT_EQ(unit.cy.title, "Ysgrifennu prawf bach");
  const Item& evidence = doc.items[5];
  EXPECT_EQ(evidence.type, ItemType::kStatement);
  EXPECT_EQ(evidence.type_name, "Evidence");
  EXPECT_EQ(evidence.position, 3);
  EXPECT_EQ(doc.items[6].position, 1) << "K.G1 is K's second child";

  ASSERT_EQ(doc.associations.size(), 2u);
  const Association& related = doc.associations[0];
  EXPECT_EQ(related.type, "isRelatedTo");
  EXPECT_EQ(related.origin.uuid, doc.items[2].uuid);
  EXPECT_EQ(related.origin.framework_uuid, f.uuid);
  EXPECT_EQ(related.destination.uuid, doc.items[4].uuid);
  EXPECT_EQ(related.provenance, "authored");
  const Association& external = doc.associations[1];
  EXPECT_EQ(external.destination.uri, "https://example.org/tests");
  EXPECT_EQ(external.destination.title, "Tests");
  EXPECT_EQ(external.provenance, "suggested");
  ASSERT_TRUE(external.score.has_value());
  EXPECT_DOUBLE_EQ(*external.score, 0.75);
  EXPECT_EQ(external.decision, "pending");
  EXPECT_TRUE(ValidateFramework(doc).ok());
}

TEST(ReadNative, GivesTheSameUuidsEveryTime) {
  const FrameworkDoc a = ReadFixture("good/tiny.json");
  const FrameworkDoc b = ReadFixture("good/tiny.json");
  EXPECT_EQ(WriteNative(a), WriteNative(b));
}

TEST(ReadNative, ResolvesANodeOfAnotherFrameworkByCodeAndEdition) {
  const FrameworkDoc doc = ReadFixture("good/tiny-edition-2.json");
  ASSERT_EQ(doc.associations.size(), 1u);
  const NodeRef& origin = doc.associations[0].origin;
  EXPECT_EQ(origin.framework_uuid, DerivedFrameworkUuid("TINY", "1"));
  EXPECT_EQ(origin.uuid, DerivedItemUuid(DerivedFrameworkUuid("TINY", "1"), "K1"));
  EXPECT_EQ(origin.uuid, ReadFixture("good/tiny.json").items[1].uuid)
      << "the same UUID as the item in its own file";
}

TEST(ReadNative, CanonicalisesUuidsWrittenByHand) {
  const std::string file = R"({"opennos": "framework/1",
    "framework": {"uuid": "{8C1E9B1A-3F2D-4C5E-9A7B-0123456789AB}", "code": "T", "edition": "1",
                  "title": "T"},
    "items": [{"uuid": "urn:uuid:0F0F0F0F-0000-4000-8000-00000000000A", "type": "unit",
               "title": "U"}]})";
  auto doc = ReadNative(file, "t.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->framework.uuid, "8c1e9b1a-3f2d-4c5e-9a7b-0123456789ab");
  EXPECT_EQ(doc->items[0].uuid, "0f0f0f0f-0000-4000-8000-00000000000a");
}

TEST(ReadNative, DerivesAStableUuidForAnItemWithoutACode) {
  const std::string file = NativeFile(R"([{"type": "statement", "text": "No code."}])");
  auto a = ReadNative(file, "a.json");
  auto b = ReadNative(file, "b.json");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->items[0].uuid, b->items[0].uuid);
  EXPECT_EQ(CanonicalUuid(a->items[0].uuid), a->items[0].uuid);
}

TEST(ReadNative, AcceptsAFileWithOnlyTheFrameworkAndNullsForAbsentFields) {
  auto doc = ReadNative(R"({"opennos": "framework/1", "framework": {"code": "T", "edition": "1",
                            "title": "T", "publisher": null}, "items": null})",
                        "t.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_TRUE(doc->items.empty());
  EXPECT_TRUE(doc->framework.publisher.empty());
}

struct BadNative {
  const char* name;
  std::string content;
  const char* message;  // expected after "t.json: "
};

void PrintTo(const BadNative& c, std::ostream* os) { *os << c.name; }

class ReadNativeRefusal : public ::testing::TestWithParam<BadNative> {};

TEST_P(ReadNativeRefusal, NamesTheFileAndThePlace) {
  auto doc = ReadNative(GetParam().content, "t.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), Status::Code::kInvalid);
  const std::string expected = std::string("t.json: ") + GetParam().message;
  EXPECT_EQ(doc.status().message().substr(0, expected.size()), expected);
}

std::string Deep(int levels) {
  std::string items =
      R"([{"type": "statement", "code": "L)" + std::to_string(levels) + R"(", "text": "x"}])";
  for (int i = levels - 1; i >= 1; --i) {
    items = R"([{"type": "statement", "code": "L)" + std::to_string(i) +
            R"(", "text": "x", "children": )" + items + "}]";
  }
  return NativeFile(items);
}

// The pointer of the list of children at `levels` deep.
std::string ChildrenPointer(int levels) {
  std::string pointer = "/items/0";
  for (int i = 2; i < levels; ++i) pointer += "/children/0";
  return pointer + "/children";
}

const BadNative kBadNatives[] = {
    {"empty file", "", "line 1, column 1: the file ends before the JSON value does"},
    {"syntax error", "{\n  \"opennos\": \"framework/1\",\n  \"framework\" {}\n}",
     "line 3, column 15: "},
    {"truncated", NativeFile(kTwoItems).substr(0, 120), "line 3, column 32: the file ends before"},
    {"text after the value", NativeFile("[]") + "{}", "line 5, column 1: unexpected text"},
    {"nesting beyond the JSON limit", std::string(300, '[') + std::string(300, ']'),
     "line 1, column "},
    {"invalid UTF-8 in a string",
     NativeFile(R"([{"type": "unit", "title": "Caf)"
                "\xC3\x28"
                R"("}])"),
     "line 3, column 42: "},
    {"a wrong version tag",
     R"({"opennos": "framework/2", "framework": {"code": "T", "edition": "1", "title": "T"}})",
     "/opennos: unsupported version \"framework/2\""},
    {"no version tag", R"({"framework": {"code": "T", "edition": "1", "title": "T"}})",
     "/: missing \"opennos\""},
    {"an unknown top-level key", R"({"opennos": "framework/1", "colour": "red", "framework": {}})",
     "/colour: unknown key"},
    {"framework not an object", R"({"opennos": "framework/1", "framework": []})",
     "/framework: expected an object"},
    {"framework without a title",
     R"({"opennos": "framework/1", "framework": {"code": "T", "edition": "1"}})",
     "/framework: missing \"title\""},
    {"framework with an empty code",
     R"({"opennos": "framework/1", "framework": {"code": "", "edition": "1", "title": "T"}})",
     "/framework/code: must not be empty"},
    {"framework code not a string",
     R"({"opennos": "framework/1", "framework": {"code": 7, "edition": "1", "title": "T"}})",
     "/framework/code: expected a string"},
    {"an unknown framework status",
     R"({"opennos": "framework/1", "framework": {"code": "T", "edition": "1", "title": "T",
         "status": "live"}})",
     "/framework/status: \"live\" is not one of"},
    {"a framework date not YYYY-MM-DD",
     R"({"opennos": "framework/1", "framework": {"code": "T", "edition": "1", "title": "T",
         "published": "1 March 2024"}})",
     "/framework/published: expected a date as YYYY-MM-DD"},
    {"a framework uuid that is not one",
     R"({"opennos": "framework/1", "framework": {"uuid": "nope", "code": "T", "edition": "1",
         "title": "T"}})",
     "/framework/uuid: \"nope\" is not a UUID"},
    {"an unknown framework key",
     R"({"opennos": "framework/1", "framework": {"code": "T", "edition": "1", "title": "T",
         "owner": "me"}})",
     "/framework/owner: unknown key"},
    {"an @ in the framework code",
     R"({"opennos": "framework/1", "framework": {"code": "T@1", "edition": "1", "title": "T"}})",
     "the framework code \"T@1\" must not contain '@'"},
    {"items not an array", NativeFile("{}"), "/items: expected an array"},
    {"an item not an object", NativeFile("[1]"), "/items/0: expected an item object"},
    {"an item without a type", NativeFile(R"([{"code": "X", "title": "X"}])"),
     "/items/0: missing \"type\""},
    {"an unknown item type",
     NativeFile(R"([{"type": "unit", "code": "U1", "title": "U", "children": [
                    {"type": "skill", "code": "S", "text": "s"},
                    {"type": "criterion", "code": "C", "text": "c"}]}])"),
     "/items/0/children/1/type: unknown item type \"criterion\""},
    {"an unknown item key", NativeFile(R"([{"type": "skill", "title": "S", "colour": 1}])"),
     "/items/0/colour: unknown key"},
    {"a unit field on another type",
     NativeFile(R"([{"type": "skill", "title": "S", "urn": "X1"}])"), "/items/0/urn: unknown key"},
    {"an item with neither title nor text", NativeFile(R"([{"type": "skill"}])"),
     "/items/0/text: an item needs a title or a text"},
    {"a negative unit version", NativeFile(R"([{"type": "unit", "title": "U", "version": -1}])"),
     "/items/0/version: expected a whole number"},
    {"a unit version as text", NativeFile(R"([{"type": "unit", "title": "U", "version": "2"}])"),
     "/items/0/version: expected a whole number"},
    {"a unit status not in the list",
     NativeFile(R"([{"type": "unit", "title": "U", "status": "approved"}])"),
     "/items/0/status: \"approved\" is not one of: original, tailored"},
    {"a unit date not YYYY-MM-DD",
     NativeFile(R"([{"type": "unit", "title": "U", "approved": "2024-02-31x"}])"),
     "/items/0/approved: expected a date"},
    {"keywords that are not strings",
     NativeFile(R"([{"type": "unit", "title": "U", "keywords": ["a", 2]}])"),
     "/items/0/keywords: expected an array of strings"},
    {"an unknown Welsh key", NativeFile(R"([{"type": "unit", "title": "U", "cy": {"name": "x"}}])"),
     "/items/0/cy/name: unknown key"},
    {"children not an array", NativeFile(R"([{"type": "unit", "title": "U", "children": {}}])"),
     "/items/0/children: expected an array"},
    {"an item uuid that is not one",
     NativeFile(R"([{"uuid": "123", "type": "unit", "title": "U"}])"),
     "/items/0/uuid: \"123\" is not a UUID"},
    {"two items with one uuid",
     NativeFile(R"([{"uuid": "0f0f0f0f-0000-4000-8000-000000000001", "type": "unit", "title": "U"},
                    {"uuid": "0f0f0f0f-0000-4000-8000-000000000001", "type": "unit", "title": "V"}])"),
     "/items/1: the UUID 0f0f0f0f-0000-4000-8000-000000000001 is also used at /items/0"},
    {"two items with one code and their own uuids",
     NativeFile(R"([{"uuid": "0f0f0f0f-0000-4000-8000-000000000001", "type": "unit", "code": "U",
                     "title": "U"},
                    {"uuid": "0f0f0f0f-0000-4000-8000-000000000002", "type": "unit", "code": "U",
                     "title": "V"}])"),
     "/items/1/code: the code \"U\" is also used at /items/0"},
    {"an association not an object", NativeFile(kTwoItems, "[[]]"),
     "/associations/0: expected an association object"},
    {"an unknown association type",
     NativeFile(kTwoItems, R"([{"type": "sameAs", "origin": {"code": "U1"},
                                "destination": {"code": "U1.P1"}}])"),
     "/associations/0/type: unknown association type \"sameAs\""},
    {"an association without an origin",
     NativeFile(kTwoItems, R"([{"type": "isPartOf", "destination": {"code": "U1"}}])"),
     "/associations/0: missing \"origin\""},
    {"a code that names no item",
     NativeFile(kTwoItems, R"([{"type": "isPartOf", "origin": {"code": "U1.P1"},
                                "destination": {"code": "U9"}}])"),
     "/associations/0/destination/code: no item of this framework has the code \"U9\""},
    {"an empty node",
     NativeFile(kTwoItems,
                R"([{"type": "isPartOf", "origin": {}, "destination": {"code": "U1"}}])"),
     "/associations/0/origin: a node needs a uuid, a code or a uri"},
    {"a node framework that is neither a uuid nor CODE@EDITION",
     NativeFile(kTwoItems, R"([{"type": "isPartOf", "origin": {"framework": "ML", "code": "A1"},
                                "destination": {"code": "U1"}}])"),
     "/associations/0/origin/framework: \"ML\" is neither a UUID nor CODE@EDITION"},
    {"an unknown node key",
     NativeFile(kTwoItems, R"([{"type": "isPartOf", "origin": {"code": "U1", "name": "x"},
                                "destination": {"code": "U1"}}])"),
     "/associations/0/origin/name: unknown key"},
    {"an association uuid that is not one",
     NativeFile(kTwoItems, R"([{"uuid": "x", "type": "isPartOf", "origin": {"code": "U1.P1"},
                                "destination": {"code": "U1"}}])"),
     "/associations/0/uuid: \"x\" is not a UUID"},
    {"a score that is not a number",
     NativeFile(kTwoItems, R"([{"type": "isPartOf", "origin": {"code": "U1.P1"},
                                "destination": {"code": "U1"}, "score": "high"}])"),
     "/associations/0/score: expected a number"},
};

INSTANTIATE_TEST_SUITE_P(EachMistake, ReadNativeRefusal, ::testing::ValuesIn(kBadNatives),
                         [](const auto& info) { return test::TestName(info.param.name); });

TEST(ReadNative, NamesTheListOfChildrenThatNestsTooDeep) {
  auto doc = ReadNative(Deep(65), "t.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "t.json: " + ChildrenPointer(65) + ": items nest more than 64 levels deep");
  EXPECT_TRUE(ReadNative(Deep(64), "t.json").ok()) << "64 levels are allowed";
}

TEST(ReadNative, NamesTheFileWhenTheTopLevelIsNotAnObject) {
  for (const char* content : {"[]", "42", R"({"opennos": "framework/1"})"}) {
    auto doc = ReadNative(content, "t.json");
    ASSERT_FALSE(doc.ok());
    EXPECT_EQ(doc.status().message().rfind("t.json: /: ", 0), 0u) << doc.status().message();
  }
}

TEST(ReadNative, NamesTheCodeWhenTwoItemsShareACodeAndNoUuid) {
  auto doc = ReadNative(test::ReadFile(test::Fixture("bad/duplicate-code.json")), "t.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "t.json: /items/0/children/1/code: the code \"D1.P1\" is also used at "
            "/items/0/children/0");
}

TEST(ReadNative, PointsAtAnAssociationWithAnUnknownProvenance) {
  auto doc = ReadNative(NativeFile(kTwoItems, R"([{"type": "isPartOf", "origin": {"code": "U1.P1"},
                                  "destination": {"code": "U1"}, "provenance": "guessed"}])"),
                        "t.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message().rfind("t.json: /associations/0/provenance: ", 0), 0u)
      << doc.status().message();
}

TEST(ReadNative, AcceptsAnExternalNodeWithAnIdentifierAsDocumented) {
  auto doc = ReadNative(NativeFile(kTwoItems, R"([{"type": "exactMatchOf", "origin": {"code": "U1"},
          "destination": {"uri": "https://case.example/items/42", "identifier": "42",
                          "title": "Elsewhere"}}])"),
                        "t.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const NodeRef& node = doc->associations[0].destination;
  EXPECT_EQ(node.uri, "https://case.example/items/42");
  EXPECT_EQ(node.uuid, "42") << "NodeRef::uuid holds an external node's identifier";
  auto again = ReadNative(WriteNative(*doc), "again.json");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(WriteNative(*again), WriteNative(*doc));
}

TEST(WriteNative, WritesTheCanonicalLayout) {
  const std::string text = WriteNative(ReadFixture("good/tiny.json"));
  EXPECT_EQ(text, test::ReadFile(test::Fixture("golden/tiny.native.json")));
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.rfind("{\n  \"opennos\": \"framework/1\",\n  \"framework\": {\n    \"uuid\"", 0),
            0u);
}

TEST(WriteNative, LeavesEmptyFieldsOut) {
  FrameworkDoc doc = test::EmptyFramework("T", "1");
  test::AddItem(doc, ItemType::kSkill, "S").text = "A skill.";
  const std::string text = WriteNative(doc);
  for (const char* absent : {"publisher", "keyPurpose", "licence", "published", "extra", "typeName",
                             "\"title\": \"\"", "urn", "version", "cy", "children", "keywords"}) {
    EXPECT_EQ(text.find(absent), std::string::npos) << absent << " in\n" << text;
  }
  EXPECT_NE(text.find("\"associations\": []"), std::string::npos);
}

TEST(WriteNative, ReadingWhatItWroteGivesTheSameDocument) {
  std::vector<FrameworkDoc> docs{ReadFixture("good/tiny.json"),
                                 ReadFixture("good/tiny-edition-2.json"),
                                 test::SampleFramework("ML", "2024", "ODSML01")};
  for (const Resource& r : DemoResources()) {
    auto doc = ReadNative(r.data, std::string(r.name));
    ASSERT_TRUE(doc.ok()) << r.name << ": " << doc.status().message();
    docs.push_back(std::move(*doc));
  }
  for (const FrameworkDoc& doc : docs) {
    const std::string first = WriteNative(doc);
    auto again = ReadNative(first, "again.json");
    ASSERT_TRUE(again.ok()) << doc.framework.code << ": " << again.status().message();
    EXPECT_TRUE(WriteNative(*again) == first) << doc.framework.code;
    EXPECT_EQ(again->items.size(), doc.items.size());
    EXPECT_EQ(again->associations.size(), doc.associations.size());
  }
}

TEST(ParseJson, ReportsTheLineAndColumnOfASyntaxError) {
  auto value = ParseJson("{\n  \"a\": 1,\n  \"b\": tru\n}", "x.json");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().message().rfind("x.json: line 3, column ", 0), 0u)
      << value.status().message();
}

}  // namespace
}  // namespace opennos
