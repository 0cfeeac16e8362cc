#include <gtest/gtest.h>

#include <map>

#include "app/resources.h"
#include "core/codec.h"
#include "core/validate.h"
#include "formats/csv.h"
#include "formats/native.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// --- ParseCsv --------------------------------------------------------------------------------

struct GoodCsv {
  const char* name;
  std::string content;
  Rows rows;
};

void PrintTo(const GoodCsv& c, std::ostream* os) { *os << c.name; }

class ParseCsvAccepts : public ::testing::TestWithParam<GoodCsv> {};

TEST_P(ParseCsvAccepts, SplitsRowsAndFields) {
  auto rows = ParseCsv(GetParam().content, "t.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(*rows, GetParam().rows);
}

const GoodCsv kGoodCsvs[] = {
    {"plain fields", "a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}}},
    {"no final newline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
    {"crlf line ends", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
    {"empty fields", ",a,,\n", {{"", "a", "", ""}}},
    {"a quoted comma", "\"a,b\",c\n", {{"a,b", "c"}}},
    {"a doubled quote", "\"say \"\"hi\"\"\",x\n", {{"say \"hi\"", "x"}}},
    {"a quoted newline", "\"two\nlines\",x\ny,z\n", {{"two\nlines", "x"}, {"y", "z"}}},
    {"a quoted crlf", "\"two\r\nlines\",x\r\n", {{"two\r\nlines", "x"}}},
    {"an empty quoted field", "\"\",x\n", {{"", "x"}}},
    {"a byte-order mark",
     "\xEF\xBB\xBF"
     "a,b\n",
     {{"a", "b"}}},
    {"a blank line", "a\n\nb\n", {{"a"}, {""}, {"b"}}},
    {"utf-8 text",
     "caf\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80\n",
     {{"caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}}},
    {"nothing", "", {}},
};

INSTANTIATE_TEST_SUITE_P(EachLayout, ParseCsvAccepts, ::testing::ValuesIn(kGoodCsvs),
                         [](const auto& info) { return test::TestName(info.param.name); });

struct BadCsv {
  const char* name;
  std::string content;
  const char* message;  // the whole message
};

void PrintTo(const BadCsv& c, std::ostream* os) { *os << c.name; }

class ParseCsvRefuses : public ::testing::TestWithParam<BadCsv> {};

TEST_P(ParseCsvRefuses, NamingTheFileAndTheLine) {
  auto rows = ParseCsv(GetParam().content, "t.csv");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(rows.status().message(), GetParam().message);
}

const BadCsv kBadCsvs[] = {
    {"an unclosed quote", "a,b\n\"c,d", "t.csv: line 2: a quoted field is never closed"},
    {"a quote inside an unquoted field", "a,b\nc,d\"e\n",
     "t.csv: line 2: a quote inside an unquoted field"},
    {"text after a closing quote", "a\n\"b\"c,d\n", "t.csv: line 2: text after a closing quote"},
    {"a stray byte", "a\nb\xFF\n", "t.csv: line 2: text that is not UTF-8"},
    {"a lone continuation byte", "\x80\n", "t.csv: line 1: text that is not UTF-8"},
    {"a broken two-byte sequence", "a\nCaf\xC3\x28\n", "t.csv: line 2: text that is not UTF-8"},
    {"an overlong encoding", "a\n\xC0\xAF\n", "t.csv: line 2: text that is not UTF-8"},
    {"a surrogate", "a\n\xED\xA0\x80\n", "t.csv: line 2: text that is not UTF-8"},
    {"a code point beyond unicode", "a\n\xF4\x90\x80\x80\n",
     "t.csv: line 2: text that is not UTF-8"},
    {"a sequence cut short", "a\nb,\xE2\x82", "t.csv: line 2: text that is not UTF-8"},
};

INSTANTIATE_TEST_SUITE_P(EachMistake, ParseCsvRefuses, ::testing::ValuesIn(kBadCsvs),
                         [](const auto& info) { return test::TestName(info.param.name); });

TEST(ParseCsv, AcceptsARowOfExactlyTheLimit) {
  const std::string content = "a\n" + std::string(kMaxCsvRowBytes, 'x') + "\nb\n";
  auto rows = ParseCsv(content, "t.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1][0].size(), kMaxCsvRowBytes);
}

TEST(ParseCsv, RefusesARowOneByteOverTheLimitNamingItsLine) {
  const std::string expected = "t.csv: line 2: a row longer than " +
                               std::to_string(kMaxCsvRowBytes) +
                               " bytes (the largest this layout accepts)";
  const std::string over(kMaxCsvRowBytes + 1, 'x');
  for (const std::string& row :
       {over + "\n", over, "\"" + over + "\"\n", "a,\"b\n" + over + "\"\n"}) {
    auto rows = ParseCsv("a\n" + row, "t.csv");
    ASSERT_FALSE(rows.ok());
    EXPECT_EQ(rows.status().message(), expected);
  }
}

TEST(ParseCsv, NamesTheLineOfInvalidUtf8AfterAFieldOverSeveralLines) {
  auto rows = ParseCsv("a,b\n\"one\ntwo\nthree\",x\nbad\xFF,y\n", "t.csv");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().message(), "t.csv: line 5: text that is not UTF-8");
}

TEST(CsvField, QuotesOnlyWhatNeedsIt) {
  const std::pair<const char*, const char*> cases[] = {
      {"plain", "plain"},
      {"", ""},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"cr\r", "\"cr\r\""},
      {" leading", "\" leading\""},
      {"trailing ", "\"trailing \""},
      {"in side", "in side"},
      {"caf\xC3\xA9", "caf\xC3\xA9"},
  };
  for (const auto& [value, field] : cases) EXPECT_EQ(CsvField(value), field) << value;
}

TEST(CsvField, GivesBackTheValueWhenParsed) {
  for (const char* value : {"a,b", "say \"hi\"", "two\nlines", " x ", "\"", ",,", ""}) {
    auto rows = ParseCsv(CsvField(value) + ",end\n", "t.csv");
    ASSERT_TRUE(rows.ok()) << value;
    EXPECT_EQ((*rows)[0][0], value);
  }
}

// --- ReadCsv ---------------------------------------------------------------------------------

std::string Header() {
  std::string out;
  for (const std::string& c : CsvColumns()) out += (out.empty() ? "" : ",") + c;
  return out + "\n";
}

// One row of framework T@1: the named columns set, the others empty.
std::string Row(const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const std::string& column : CsvColumns()) {
    std::string value;
    if (column == "framework_code") value = "T";
    if (column == "framework_edition") value = "1";
    if (auto it = fields.find(column); it != fields.end()) value = it->second;
    out += (column == CsvColumns().front() ? "" : ",") + CsvField(value);
  }
  return out + "\n";
}

std::string FrameworkRow() { return Row({{"type", "framework"}, {"title", "Test"}}); }

std::string UnitRow() { return Row({{"type", "unit"}, {"code", "U1"}, {"title", "A unit"}}); }

TEST(ReadCsv, ReadsEveryFieldOfTheSmallFixture) {
  auto doc = ReadCsv(test::ReadFile(test::Fixture("good/tiny.csv")), "tiny.csv");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const Framework& f = doc->framework;
  EXPECT_EQ(f.uuid, DerivedFrameworkUuid("SMALL", "2"));
  EXPECT_EQ(f.title, "A small CSV suite");
  EXPECT_EQ(f.key_purpose, "To check the CSV layout, \"quotes\" and all.");
  EXPECT_EQ(f.publisher, "OpenNOS tests");
  EXPECT_EQ(f.published, "2024-02-01");
  EXPECT_EQ(f.status, FrameworkStatus::kApproved);
  EXPECT_EQ(f.language, "en") << "a field the layout lacks keeps its default";
  ASSERT_EQ(doc->items.size(), 4u);
  FrameworkDoc& d = *doc;
  const Item& unit = test::ItemCoded(d, "S1");
  EXPECT_EQ(unit.uuid, DerivedItemUuid(f.uuid, "S1")) << "the same UUID a native file derives";
  EXPECT_EQ(unit.parent_uuid, test::ItemCoded(d, "S").uuid);
  EXPECT_EQ(unit.text, "Read a file\nover two lines.");
  EXPECT_EQ(unit.unit.overview, "About CSV.");
  EXPECT_EQ(unit.unit.urn, "SML01");
  EXPECT_EQ(unit.unit.version, 1);
  EXPECT_EQ(unit.unit.validity, "current");
  EXPECT_EQ(unit.unit.category, "generic");
  EXPECT_EQ(unit.unit.keywords, (std::vector<std::string>{"csv", "rfc 4180"}));
  EXPECT_EQ(unit.unit.occupations, (std::vector<std::string>{"2134", "2136"}));
  EXPECT_EQ(unit.cy.title, "Darllen ffeil CSV");
  EXPECT_EQ(test::ItemCoded(d, "S1.K1").cy.text, "Gwybodaeth");
  EXPECT_EQ(test::ItemCoded(d, "S1.K1").position, 1);
  EXPECT_TRUE(doc->associations.empty());
  EXPECT_TRUE(ValidateFramework(*doc).ok());
}

TEST(ReadCsv, AcceptsChildrenBeforeTheirParentsAndPutsThemInTreeOrder) {
  const std::string csv = Header() + FrameworkRow() +
                          Row({{"type", "performance-criterion"},
                               {"code", "U1.P1"},
                               {"parent", "U1"},
                               {"text", "First."}}) +
                          Row({{"type", "performance-criterion"},
                               {"code", "U1.P2"},
                               {"parent", "U1"},
                               {"text", "Second."}}) +
                          UnitRow();
  auto doc = ReadCsv(csv, "t.csv");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  std::vector<std::string> codes;
  for (const Item& item : doc->items) codes.push_back(item.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"U1", "U1.P1", "U1.P2"}));
  EXPECT_EQ(doc->items[2].position, 1);
}

TEST(ReadCsv, FindsAParentByUuidAndSkipsBlankLines) {
  const std::string unit_uuid = "0f0f0f0f-0000-4000-8000-000000000001";
  const std::string csv =
      Header() + FrameworkRow() + "\n" +
      Row({{"type", "unit"}, {"uuid", unit_uuid}, {"title", "A unit without a code"}}) + "\n" +
      Row({{"type", "skill"}, {"code", "S1"}, {"parent", unit_uuid}, {"text", "A skill."}});
  auto doc = ReadCsv(csv, "t.csv");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  ASSERT_EQ(doc->items.size(), 2u);
  EXPECT_EQ(doc->items[1].parent_uuid, unit_uuid);
}

struct BadLayout {
  const char* name;
  std::string content;
  const char* message;  // expected after "t.csv: "
};

void PrintTo(const BadLayout& c, std::ostream* os) { *os << c.name; }

class ReadCsvRefuses : public ::testing::TestWithParam<BadLayout> {};

TEST_P(ReadCsvRefuses, NamingTheFileAndThePlace) {
  auto doc = ReadCsv(GetParam().content, "t.csv");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), Status::Code::kInvalid);
  const std::string expected = std::string("t.csv: ") + GetParam().message;
  EXPECT_EQ(doc.status().message().substr(0, expected.size()), expected) << doc.status().message();
}

const BadLayout kBadLayouts[] = {
    {"an empty file", "", "line 1: the file is empty"},
    {"a wrong header", "code,edition,title\n" + FrameworkRow(),
     "line 1: the header is not the OpenNOS CSV layout"},
    {"a header with a column missing", Header().substr(0, Header().rfind(',')) + "\n",
     "line 1: the header is not"},
    {"only a header", Header(), "no framework row"},
    {"a row with too few fields", Header() + FrameworkRow() + "T,1,unit,U1\n",
     "row 3: has 4 fields; the layout has 25"},
    {"an item before the framework row", Header() + UnitRow() + FrameworkRow(),
     "row 2: the first row must be the framework row"},
    {"a second framework row", Header() + FrameworkRow() + FrameworkRow(),
     "row 3: a second framework row"},
    {"a framework row without a title", Header() + Row({{"type", "framework"}}),
     "row 2: the framework row needs framework_code, framework_edition and title"},
    {"an unknown framework status",
     Header() + Row({{"type", "framework"}, {"title", "T"}, {"status", "live"}}),
     "row 2: unknown framework status \"live\""},
    {"a framework uuid that is not one",
     Header() + Row({{"type", "framework"}, {"title", "T"}, {"uuid", "x"}}),
     "row 2: \"x\" is not a UUID"},
    {"a row of another framework",
     Header() + FrameworkRow() + Row({{"framework_code", "X"}, {"type", "unit"}, {"title", "U"}}),
     "row 3: belongs to framework X@1, not T@1 (one framework per file)"},
    {"an unknown item type",
     Header() + FrameworkRow() + Row({{"type", "criterion"}, {"text", "c"}}),
     "row 3: unknown item type \"criterion\""},
    {"a version that is not a number",
     Header() + FrameworkRow() + Row({{"type", "unit"}, {"title", "U"}, {"version", "2a"}}),
     "row 3: version \"2a\" is not a whole number"},
    {"a version too large",
     Header() + FrameworkRow() + Row({{"type", "unit"}, {"title", "U"}, {"version", "9999999999"}}),
     "row 3: version \"9999999999\" is not a whole number"},
    {"unit fields on another type",
     Header() + FrameworkRow() + Row({{"type", "skill"}, {"text", "s"}, {"urn", "X1"}}),
     "row 3: unit fields on an item of type skill"},
    {"an item uuid that is not one",
     Header() + FrameworkRow() + Row({{"type", "unit"}, {"title", "U"}, {"uuid", "123"}}),
     "row 3: \"123\" is not a UUID"},
    {"two rows with one code", Header() + FrameworkRow() + UnitRow() + UnitRow(),
     "row 4: the code \"U1\" is used twice"},
    {"two rows with one uuid",
     Header() + FrameworkRow() +
         Row({{"type", "unit"}, {"title", "U"}, {"uuid", "0f0f0f0f-0000-4000-8000-000000000001"}}) +
         Row({{"type", "unit"}, {"title", "V"}, {"uuid", "0f0f0f0f-0000-4000-8000-000000000001"}}),
     "row 4: the UUID 0f0f0f0f-0000-4000-8000-000000000001 is used twice"},
    {"a missing parent",
     Header() + FrameworkRow() + UnitRow() +
         Row({{"type", "skill"}, {"code", "S1"}, {"parent", "U9"}, {"text", "s"}}),
     "row 4: item \"S1\": its parent \"U9\" is not in the file"},
    {"parents in a cycle",
     Header() + FrameworkRow() +
         Row({{"type", "unit"}, {"code", "U1"}, {"parent", "U2"}, {"title", "U"}}) +
         Row({{"type", "unit"}, {"code", "U2"}, {"parent", "U1"}, {"title", "V"}}),
     "the items' parents form a cycle"},
    {"a bad unit date",
     Header() + FrameworkRow() +
         Row({{"type", "unit"}, {"code", "U1"}, {"title", "U"}, {"approved", "2024-13-01"}}),
     "item \"U1\": \"2024-13-01\" is not a date"},
    {"invalid utf-8",
     Header() + FrameworkRow() + "T,1,unit,U1,,,Caf\xC3\x28" + std::string(17, ',') + "\n",
     "line 3: text that is not UTF-8"},
};

INSTANTIATE_TEST_SUITE_P(EachMistake, ReadCsvRefuses, ::testing::ValuesIn(kBadLayouts),
                         [](const auto& info) { return test::TestName(info.param.name); });

TEST(ReadCsv, NamesTheRowOfAChildWhoseParentIsMissing) {
  const std::string csv = Header() + FrameworkRow() + UnitRow() +
                          Row({{"type", "skill"}, {"parent", "U9"}, {"text", "No code."}});
  auto doc = ReadCsv(csv, "t.csv");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message().rfind("t.csv: row 4: ", 0), 0u) << doc.status().message();
}

// --- WriteCsv --------------------------------------------------------------------------------

TEST(WriteCsv, WritesTheGoldenFiles) {
  auto tiny = ReadNative(test::ReadFile(test::Fixture("good/tiny.json")), "tiny.json");
  ASSERT_TRUE(tiny.ok());
  EXPECT_EQ(WriteCsv(*tiny), test::ReadFile(test::Fixture("golden/tiny.csv")));
  auto small = ReadCsv(test::ReadFile(test::Fixture("good/tiny.csv")), "tiny.csv");
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(WriteCsv(*small), test::ReadFile(test::Fixture("golden/small.csv")));
}

TEST(WriteCsv, ReadingWhatItWroteGivesTheSameFile) {
  std::vector<FrameworkDoc> docs{test::SampleFramework("ML", "2024", "ODSML01")};
  for (const Resource& r : DemoResources()) {
    auto doc = ReadNative(r.data, std::string(r.name));
    ASSERT_TRUE(doc.ok()) << r.name;
    docs.push_back(std::move(*doc));
  }
  for (const FrameworkDoc& doc : docs) {
    const std::string first = WriteCsv(doc);
    auto again = ReadCsv(first, "again.csv");
    ASSERT_TRUE(again.ok()) << doc.framework.code << ": " << again.status().message();
    EXPECT_TRUE(WriteCsv(*again) == first) << doc.framework.code;
    EXPECT_EQ(again->items.size(), doc.items.size());
    EXPECT_EQ(again->framework.uuid, doc.framework.uuid);
  }
}

TEST(WriteCsv, WritesAParentWithoutACodeByItsUuid) {
  FrameworkDoc doc = test::EmptyFramework("T", "1");
  Item& unit = test::AddItem(doc, ItemType::kUnit, "U1");
  unit.title = "A unit";
  test::AddItem(doc, ItemType::kSkill, "S1", "U1");
  doc.items[0].code.clear();
  const std::string csv = WriteCsv(doc);
  EXPECT_NE(csv.find(",S1," + doc.items[0].uuid + ","), std::string::npos) << csv;
  auto again = ReadCsv(csv, "t.csv");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->items[1].parent_uuid, doc.items[0].uuid);
}

}  // namespace
}  // namespace opennos
