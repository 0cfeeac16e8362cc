// The importers of other organisations' files: the NOS catalogue export, SOC 2020, ESCO and
// O*NET (docs/formats/nos-catalogue.md, soc.md, esco.md, onet.md). Small hand-made fixtures in
// tests/fixtures/catalogue/ check every mapping rule and error; the real files in
// ../shared/corpora join in when that directory is there (the tests skip otherwise).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "app/formats.h"
#include "app/importer.h"
#include "core/codec.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "formats/esco.h"
#include "formats/native.h"
#include "formats/nos_catalogue.h"
#include "formats/onet.h"
#include "formats/soc.h"
#include "formats/table.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

namespace fs = std::filesystem;

std::string FixturePath(std::string_view name) {
  return test::Fixture("catalogue/" + std::string(name));
}
std::string ReadFixture(std::string_view name) { return test::ReadFile(FixturePath(name)); }

const FrameworkDoc* FindFramework(const std::vector<FrameworkDoc>& docs, std::string_view code) {
  for (const FrameworkDoc& doc : docs) {
    if (doc.framework.code == code) return &doc;
  }
  return nullptr;
}

const Item* Coded(const FrameworkDoc& doc, std::string_view code) {
  for (const Item& item : doc.items) {
    if (item.code == code) return &item;
  }
  return nullptr;
}

const Item* Titled(const FrameworkDoc& doc, std::string_view title) {
  for (const Item& item : doc.items) {
    if (item.title == title) return &item;
  }
  return nullptr;
}

std::vector<const Item*> ChildrenOf(const FrameworkDoc& doc, const std::string& parent_uuid) {
  std::vector<const Item*> out;
  for (const Item& item : doc.items) {
    if (item.parent_uuid == parent_uuid) out.push_back(&item);
  }
  return out;
}

// "line N: message" for each problem, in order.
std::vector<std::string> Lines(const ImportProblems& problems) {
  std::vector<std::string> out;
  for (const ImportProblem& p : problems) {
    out.push_back((p.line == 0 ? std::string() : "line " + std::to_string(p.line) + ": ") +
                  p.message);
  }
  return out;
}

size_t CountKind(const ImportProblems& problems, std::string_view kind) {
  return static_cast<size_t>(std::count_if(problems.begin(), problems.end(),
                                           [&](const ImportProblem& p) { return p.kind == kind; }));
}

std::string Joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += s + "\n";
  return out;
}

// --- Shared table reading -----------------------------------------------------------------------

TEST(CsvHeaderOf, ReadsTheFirstRecordWithQuotedLineBreaksAndABom) {
  EXPECT_EQ(CsvHeaderOf("\xEF\xBB\xBF"
                        "a,\"b\nc\",  d  \r\n1,2,3\n"),
            (std::vector<std::string>{"a", "b c", "d"}));
  EXPECT_EQ(CsvHeaderOf("level,code"), (std::vector<std::string>{"level", "code"}));
  EXPECT_TRUE(CsvHeaderOf("\"never closed,a\n").empty());
  EXPECT_TRUE(CsvHeaderOf("").empty());
}

TEST(CsvTable, NamesTheLineOfEachRecordAcrossQuotedLineBreaks) {
  auto t = CsvTable::Read("a,b\r\n\"one\ntwo\",x\r\n\r\nthree,y\r\n", "t.csv", "a test file");
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ(t->line(0), 2u);
  EXPECT_EQ(t->line(1), 5u);  // after the quoted break and a blank line
  EXPECT_EQ(t->Field(1, t->Column("b")), "y");
  EXPECT_EQ(t->Field(1, -1), "");
}

TEST(CsvTable, RefusesARecordWithTooFewFieldsNamingItsLine) {
  auto t = CsvTable::Read("a,b,c\n1,2,3\n\"x\ny\",2\n", "t.csv", "a test file");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "t.csv: line 3: 2 fields where the header has 3");
}

TEST(CsvTable, RequireNamesTheMissingColumn) {
  auto t = CsvTable::Read("a,b\n1,2\n", "t.csv", "a test file (a,b,c)");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->Require({"a", "b"}).ok());
  EXPECT_EQ(t->Require({"a", "c"}).message(),
            "t.csv: line 1: the header has no \"c\" column (expected a test file (a,b,c))");
}

// --- Detection ----------------------------------------------------------------------------------

TEST(DetectFormat, RecognisesEachImporterFromItsHeader) {
  const std::pair<const char*, FileFormat> cases[] = {
      {"nos-catalogue.csv", FileFormat::kNosCatalogue},
      {"soc2020_structure.csv", FileFormat::kSoc2020},
      {"soc2020_descriptions.csv", FileFormat::kSoc2020},
      {"Occupation_Data.csv", FileFormat::kOnet},
      {"Task_Statements.csv", FileFormat::kOnet},
      {"occupations_en.csv", FileFormat::kEsco},
      {"ISCOGroups_en.csv", FileFormat::kEsco},
      {"skillsHierarchy_en.csv", FileFormat::kEsco},
      {"skillGroups_en.csv", FileFormat::kEsco},
      {"transversalSkillsCollection_en.csv", FileFormat::kEsco},
  };
  for (const auto& [file, format] : cases) {
    EXPECT_EQ(DetectFormat(ReadFixture(file)), format) << file;
    // The content decides, with or without a byte-order mark and CRLF line ends.
    std::string crlf;
    for (char c : ReadFixture(file)) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    EXPECT_EQ(DetectFormat("\xEF\xBB\xBF" + crlf), format) << file;
  }
  EXPECT_EQ(DetectFormat("URN,Title\nX1,y\n"), FileFormat::kAuto);
  EXPECT_EQ(DetectFormat("conceptType,conceptUri,skillType,preferredLabel\n"), FileFormat::kAuto);
}

TEST(ParseFileFormat, NamesTheImporters) {
  const std::pair<const char*, FileFormat> cases[] = {{"nos-catalogue", FileFormat::kNosCatalogue},
                                                      {"soc2020", FileFormat::kSoc2020},
                                                      {"soc", FileFormat::kSoc2020},
                                                      {"esco", FileFormat::kEsco},
                                                      {"onet", FileFormat::kOnet}};
  for (const auto& [name, format] : cases) {
    auto parsed = ParseFileFormat(name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_EQ(*parsed, format);
    EXPECT_FALSE(IsWritableFormat(format));
  }
  EXPECT_EQ(FileFormatName(FileFormat::kNosCatalogue), "nos-catalogue");
  EXPECT_EQ(FileFormatName(FileFormat::kOnet), "onet");
  EXPECT_TRUE(IsWritableFormat(FileFormat::kCase));
}

TEST(ReadFrameworkFile, AForcedFormatThatDoesNotFitSaysWhatItExpected) {
  const std::string content = ReadFixture("Occupation_Data.csv");
  auto soc = ReadFrameworkFile(content, "o.csv", FileFormat::kSoc2020);
  ASSERT_FALSE(soc.ok());
  EXPECT_EQ(soc.status().message().rfind("o.csv: line 1: the header is neither", 0), 0u)
      << soc.status().message();
  auto nos = ReadFrameworkFile(content, "o.csv", FileFormat::kNosCatalogue);
  ASSERT_FALSE(nos.ok());
  EXPECT_EQ(nos.status().message().rfind("o.csv: line 1: the header has no \"Developed By\"", 0),
            0u)
      << nos.status().message();
  auto esco = ReadFrameworkFile(content, "o.csv", FileFormat::kEsco);
  ASSERT_FALSE(esco.ok());
  EXPECT_NE(esco.status().message().find("not one of the ESCO files"), std::string::npos);
}

// --- The NOS catalogue export -------------------------------------------------------------------

TEST(ExcelSerialDate, ConvertsExcelDayNumbers) {
  EXPECT_EQ(ExcelSerialDate("45046"), "2023-04-30");
  EXPECT_EQ(ExcelSerialDate("43300.681296296294"), "2018-07-19");
  EXPECT_EQ(ExcelSerialDate("25569"), "1970-01-01");
  EXPECT_EQ(ExcelSerialDate("61"), "1900-03-01");
  EXPECT_EQ(ExcelSerialDate("1901"), "1905-03-15");  // a date; the reader calls it a placeholder
  EXPECT_FALSE(ExcelSerialDate("60"));               // Excel's 29 February 1900
  EXPECT_FALSE(ExcelSerialDate(""));
  EXPECT_FALSE(ExcelSerialDate("2023-04-30"));
  EXPECT_FALSE(ExcelSerialDate("12.x"));
  EXPECT_FALSE(ExcelSerialDate("-5"));
}

TEST(SuiteCode, IsTheNameInLowerCaseWithHyphens) {
  EXPECT_EQ(SuiteCode("Logistics Operations"), "logistics-operations");
  EXPECT_EQ(SuiteCode("  Footwear, Leathergoods & Leather Production "),
            "footwear-leathergoods-leather-production");
  EXPECT_EQ(SuiteCode("Logistics operations"), SuiteCode("Logistics  Operations"));
  const std::string long_name =
      "Ensuring the Compliance of Electrical Installation Work in Dwellings with the Building "
      "Regulations (England & Wales)";
  const std::string code = SuiteCode(long_name);
  EXPECT_LE(code.size(), 64u);
  EXPECT_EQ(code.rfind("ensuring-the-compliance-of-electrical-installation", 0), 0u) << code;
  EXPECT_EQ(code, SuiteCode(long_name));
  EXPECT_NE(code, SuiteCode(long_name + " (Scotland)"));
  EXPECT_EQ(SuiteCode("\xE2\x80\x98\xE2\x80\x99").rfind("suite-", 0), 0u);
}

class NosCatalogueFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto read = ReadNosCatalogue(ReadFixture("nos-catalogue.csv"), "cat.csv", &problems_);
    ASSERT_TRUE(read.ok()) << read.status().message();
    catalogue_ = std::move(*read);
  }
  const FrameworkDoc& Suite(std::string_view code) {
    const FrameworkDoc* doc = FindFramework(catalogue_.suites, code);
    if (doc == nullptr) throw std::runtime_error("no suite " + std::string(code));
    return *doc;
  }
  const Item& Unit(std::string_view suite, std::string_view urn) {
    const Item* item = Coded(Suite(suite), urn);
    if (item == nullptr) throw std::runtime_error("no unit " + std::string(urn));
    return *item;
  }

  NosCatalogue catalogue_;
  ImportProblems problems_;
};

TEST_F(NosCatalogueFixture, MakesOneFrameworkPerSuiteNamedByItsCommonestSpelling) {
  std::vector<std::string> codes;
  for (const FrameworkDoc& doc : catalogue_.suites) {
    codes.push_back(doc.framework.code);
    EXPECT_TRUE(ValidateFramework(doc).ok()) << doc.framework.code;
    EXPECT_EQ(doc.framework.edition, "2018");  // the year of the newest Created date
    EXPECT_EQ(doc.framework.uuid, DerivedFrameworkUuid(doc.framework.code, "2018"));
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"arboriculture", "fabrication", "forestry-operations",
                                             "no-suite", "welding"}));
  EXPECT_EQ(Suite("arboriculture").framework.title, "Arboriculture");
  EXPECT_EQ(Suite("forestry-operations").framework.title, "Forestry Operations");
  EXPECT_EQ(Suite("no-suite").framework.title, "Standards with no suite");
  EXPECT_EQ(Suite("arboriculture").framework.publisher, "Greenway Skills");
  EXPECT_EQ(Suite("welding").framework.publisher, "Metalwork Council");
  EXPECT_NE(Suite("welding").framework.description.find("catalogue records only"),
            std::string::npos);
}

TEST_F(NosCatalogueFixture, PutsEachUnitInTheFirstSuiteItListsInUrnOrder) {
  std::vector<std::string> urns;
  for (const Item& item : Suite("arboriculture").items) urns.push_back(item.code);
  EXPECT_EQ(urns, (std::vector<std::string>{"GWSARB1", "GWSARB2L"}));
  std::vector<std::string> welding;
  for (const Item& item : Suite("welding").items) welding.push_back(item.code);
  EXPECT_EQ(welding, (std::vector<std::string>{"MWCWLD1", "MWCWLD2"}));
  size_t units = 0;
  for (const FrameworkDoc& doc : catalogue_.suites) units += doc.items.size();
  EXPECT_EQ(units, 7u);  // ten rows: one without a URN, and two URNs listed twice
}

TEST_F(NosCatalogueFixture, NormalisesEveryUnitField) {
  const Item& u = Unit("arboriculture", "GWSARB1");
  EXPECT_EQ(u.type, ItemType::kUnit);
  EXPECT_EQ(u.title, "Plan tree surveys");
  EXPECT_EQ(u.text, "");  // the export has no statement text
  EXPECT_EQ(u.unit.urn, "GWSARB1");
  EXPECT_EQ(u.unit.validity, "current");
  EXPECT_EQ(u.unit.category, "job-specific");
  EXPECT_EQ(u.unit.status, "original");
  EXPECT_EQ(u.unit.review, "2023-04-30");
  EXPECT_EQ(u.unit.developed_by, "Greenway Skills");
  EXPECT_EQ(u.unit.original_urn, "GWSARB1");
  EXPECT_EQ(u.unit.keywords, (std::vector<std::string>{"trees", "survey", "planning"}));
  EXPECT_EQ(u.unit.occupations, (std::vector<std::string>{"3122", "5119"}));
  EXPECT_EQ(u.extra,
            "{\"nosCatalogue\":{\"document\":\"GWSARB1.pdf\",\"created\":\"2018-07-19\","
            "\"modified\":\"2018-08-07\",\"occupations\":[\"Tree Surveyor\"]}}");

  const Item& legacy = Unit("arboriculture", "GWSARB2L");
  EXPECT_EQ(legacy.unit.validity, "legacy");                               // LEGACY
  EXPECT_EQ(legacy.unit.category, "job-specific");                         // Job Specific
  EXPECT_EQ(legacy.unit.review, "");                                       // 1901
  EXPECT_EQ(legacy.unit.occupations, (std::vector<std::string>{"3122"}));  // x3122
  EXPECT_EQ(legacy.unit.developed_by, "Greenway Skills");                  // "Greenway skills"

  const Item& weld = Unit("welding", "MWCWLD1");
  EXPECT_EQ(weld.unit.validity, "");  // Archive
  EXPECT_EQ(weld.unit.category, "");  // Other
  EXPECT_EQ(weld.unit.status, "");    // Draft
  EXPECT_EQ(weld.unit.review, "");    // 20000: 1954
  EXPECT_TRUE(weld.unit.occupations.empty());
  EXPECT_EQ(weld.unit.keywords, (std::vector<std::string>{"welding", "steel", "plate"}));

  const Item& inspect = Unit("welding", "MWCWLD2");
  EXPECT_EQ(inspect.title, "Inspect welds for defects");  // a quoted line break
  EXPECT_EQ(inspect.unit.review, "2024-03-31");           // 31/03/2024
  EXPECT_EQ(inspect.unit.category, "generic");

  const Item& brackets = Unit("no-suite", "MWCFAB1");
  EXPECT_EQ(brackets.unit.developed_by, "");  // x
  const Item& untitled = Unit("fabrication", "MWCFAB2");
  EXPECT_EQ(untitled.title, "");
  EXPECT_EQ(untitled.unit.category, "core");
}

TEST_F(NosCatalogueFixture, MergesTheSameUnitListedTwice) {
  // "GWSFOR3 " and "gwsfor3": the same standard, in two suites.
  const Item& u = Unit("forestry-operations", "GWSFOR3");
  EXPECT_EQ(u.title, "Maintain chainsaws");
  EXPECT_EQ(u.unit.status, "tailored");
  EXPECT_EQ(u.unit.original_urn, "GWSARB9");
  EXPECT_EQ(u.unit.occupations, (std::vector<std::string>{"8129"}));  // 'x' dropped, 8129 joined
  EXPECT_EQ(u.unit.keywords, (std::vector<std::string>{"chainsaw"}));
  EXPECT_EQ(Coded(Suite("arboriculture"), "GWSFOR3"), nullptr);
}

TEST_F(NosCatalogueFixture, KeepsTheCurrentRecordOfAUrnWhoseRowsDisagree) {
  const Item& u = Unit("arboriculture", "GWSARB1");
  EXPECT_EQ(u.title, "Plan tree surveys");  // not "Plan tree surveys Legacy"
  EXPECT_EQ(u.unit.keywords, (std::vector<std::string>{"trees", "survey", "planning"}));
}

TEST_F(NosCatalogueFixture, LinksAUnitToItsOtherSuitesByIsPartOf) {
  std::map<std::string, std::string> links;  // URN -> "suite code: title"
  for (const FrameworkDoc& doc : catalogue_.suites) {
    for (const Association& a : doc.associations) {
      EXPECT_EQ(a.type, "isPartOf");
      EXPECT_EQ(a.provenance, "imported");
      EXPECT_EQ(a.framework_uuid, doc.framework.uuid);
      EXPECT_EQ(a.origin.framework_uuid, doc.framework.uuid);
      EXPECT_EQ(a.destination.uuid, DerivedFrameworkUuid(a.destination.code, "2018"));
      links[a.origin.code] += a.destination.code + ": " + a.destination.title + "; ";
    }
  }
  EXPECT_EQ(links, (std::map<std::string, std::string>{
                       {"GWSARB1",
                        "forestry-operations: Forestry Operations; urban-forestry: "
                        "Urban Forestry; "},
                       {"GWSFOR3", "arboriculture: Arboriculture; "},
                       {"MWCWLD1", "fabrication: Fabrication; "}}));
  EXPECT_EQ(FindFramework(catalogue_.suites, "urban-forestry"), nullptr);
}

TEST_F(NosCatalogueFixture, DerivesStableUuidsFromTheUrn) {
  const Item& u = Unit("arboriculture", "GWSARB1");
  EXPECT_EQ(u.uuid, "61d4ae97-3b7a-50ac-ba71-322775ff4806");  // nos-catalogue:2018:gwsarb1
  auto again = ReadNosCatalogue(ReadFixture("nos-catalogue.csv"), "cat.csv", nullptr);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->suites.size(), catalogue_.suites.size());
  for (size_t i = 0; i < catalogue_.suites.size(); ++i) {
    EXPECT_EQ(WriteNative(again->suites[i]), WriteNative(catalogue_.suites[i]));
  }
}

TEST_F(NosCatalogueFixture, ReportsRowByRowWhatCouldNotBeNormalised) {
  EXPECT_EQ(Joined(Lines(problems_)),
            Joined({
                "line 3: review date '1901' is a placeholder: left empty",
                "line 3: SOC code 'x3122' read as 3122",
                "line 4: SOC code 'x' is not a 4-digit SOC code: dropped",
                "line 5: URN gwsfor3 is listed again (also on line 4, the same standard): "
                "merged, suites, keywords and SOC codes joined",
                "line 6: URN GWSARB1 is also on line 2 with a different title ('Plan tree "
                "surveys Legacy' here, 'Plan tree surveys' there), validity (legacy here, "
                "current there): kept line 2 (it is current); this row adds only its suites",
                "line 6: suite \"Urban Forestry\" is only ever named after another suite (1 "
                "unit): it gets no framework of its own; its units are linked to it by isPartOf "
                "associations",
                "line 7: validity 'Archive' is neither current nor legacy: left empty",
                "line 7: category 'Other' is not Core, Generic or Job Specific: left empty",
                "line 7: document status 'Draft' is neither Original nor Tailored: left empty",
                "line 7: review date '20000' (1954-10-03 as an Excel date) is implausible: "
                "left empty",
                "line 7: SOC codes 'production', 'methods' are not 4-digit SOC codes: dropped",
                "line 10: developer 'x' is a placeholder: left empty",
                "line 10: URN MWCFAB1 lists no suite: placed in \"Standards with no suite\"",
                "line 11: URN MWCFAB2 has no title",
                "line 12: no URN: the row is skipped",
            }));
  for (const ImportProblem& p : problems_) EXPECT_EQ(p.source, "cat.csv");
  EXPECT_EQ(problems_.front().Format(),
            "cat.csv: line 3: review date '1901' is a placeholder: left empty");
}

TEST_F(NosCatalogueFixture, ListsTheSocCodesWithNoSoc2020Match) {
  EXPECT_EQ(catalogue_.soc_codes.size(), 4u);  // 3122, 5119, 8129, 5215
  ImportProblems without;
  ReportCatalogueSocCodes(catalogue_, nullptr, "cat.csv", &without);
  ASSERT_EQ(without.size(), 1u);
  EXPECT_NE(without[0].message.find("4 distinct SOC codes are SOC 2010 codes, kept as given; "
                                    "import SOC 2020"),
            std::string::npos)
      << without[0].message;
  const std::unordered_set<std::string> soc2020{"3122", "5119"};
  ImportProblems with;
  ReportCatalogueSocCodes(catalogue_, &soc2020, "cat.csv", &with);
  EXPECT_EQ(Joined(Lines(with)),
            Joined({"the export's 4 distinct SOC codes are SOC 2010 codes, kept as given; 2 of "
                    "them have no SOC 2020 match",
                    "line 8: SOC 2010 code 5215 with no SOC 2020 match (URN MWCWLD2; only this "
                    "row): kept",
                    "line 5: SOC 2010 code 8129 with no SOC 2020 match (URN gwsfor3; only this "
                    "row): kept"}));
  EXPECT_EQ(CountKind(with, "SOC 2010 code with no SOC 2020 match"), 2u);
}

struct BadCatalogue {
  const char* name;
  std::string content;
  const char* message;
};

void PrintTo(const BadCatalogue& c, std::ostream* os) { *os << c.name; }

class NosCatalogueRefuses : public ::testing::TestWithParam<BadCatalogue> {};

const std::string kCatalogueHeader =
    "Developed By,NOS Title,Suite,SuiteMetadata,Occupations,OccupationsMetadata,Name,Validity,"
    "Indicative Review Date,NOS Document Status,URN,SOC Code,NOSCategory,Keywords,Original URN,"
    "Created,Modified,Item Type,Path\n";
const std::string kCatalogueRow =
    "Dev,Do a thing,Suite A,,,,A1.pdf,Current,45046,Original,ABC1,2122,Core,k,ABC1,43000,43000,"
    "Item,PublishedNos-old\n";

TEST_P(NosCatalogueRefuses, NamingTheFileAndTheLine) {
  ImportProblems problems;
  auto read = ReadNosCatalogue(GetParam().content, "cat.csv", &problems);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(read.status().message(), GetParam().message);
}

const BadCatalogue kBadCatalogues[] = {
    {"a missing column", "Developed By,NOS Title,Suite,Validity\nDev,T,S,Current\n",
     "cat.csv: line 1: the header has no \"Indicative Review Date\" column (expected the NOS "
     "catalogue export (Developed By,NOS Title,Suite,...,URN,SOC Code,NOSCategory,...))"},
    {"a row with too few fields", kCatalogueHeader + kCatalogueRow + "Dev,Short row,Suite A\n",
     "cat.csv: line 3: 3 fields where the header has 19"},
    {"a row with too many fields", kCatalogueHeader + "\"a\nb\"," + kCatalogueRow,
     "cat.csv: line 2: 20 fields where the header has 19"},
    {"bytes that are not utf-8", kCatalogueHeader + "Dev,Caf\xE9," + kCatalogueRow.substr(15),
     "cat.csv: line 2: text that is not UTF-8"},
    {"an unclosed quote", kCatalogueHeader + "Dev,\"Never closed\n",
     "cat.csv: line 3: a quoted field is never closed"},
    {"an empty file", "",
     "cat.csv: line 1: the file is empty (expected the NOS catalogue export "
     "(Developed By,NOS Title,Suite,...,URN,SOC Code,NOSCategory,...))"},
};

INSTANTIATE_TEST_SUITE_P(EachMistake, NosCatalogueRefuses, ::testing::ValuesIn(kBadCatalogues),
                         [](const auto& info) { return test::TestName(info.param.name); });

TEST(NosCatalogue, AcceptsAByteOrderMarkAndCrlfLineEnds) {
  std::string crlf;
  for (char c : kCatalogueHeader + kCatalogueRow + kCatalogueRow) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  ImportProblems problems;
  auto read = ReadNosCatalogue("\xEF\xBB\xBF" + crlf, "cat.csv", &problems);
  ASSERT_TRUE(read.ok()) << read.status().message();
  ASSERT_EQ(read->suites.size(), 1u);
  EXPECT_EQ(read->suites[0].framework.code, "suite-a");
  EXPECT_EQ(read->suites[0].items.size(), 1u);
  EXPECT_EQ(Joined(Lines(problems)),
            "line 3: URN ABC1 is listed again (also on line 2, the same standard): merged, "
            "suites, keywords and SOC codes joined\n");
}

// --- SOC 2020 -----------------------------------------------------------------------------------

Result<FrameworkDoc> ReadSoc(const std::vector<std::string>& files, ImportProblems* problems) {
  Soc2020Reader reader(problems);
  for (const std::string& f : files) {
    if (Status s = reader.Add(ReadFixture(f), f); !s.ok()) return s;
  }
  return reader.Finish();
}

TEST(Soc2020, ReadsTheStructureAloneAsAFourLevelTree) {
  ImportProblems problems;
  auto doc = ReadSoc({"soc2020_structure.csv"}, &problems);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_TRUE(problems.empty()) << Joined(Lines(problems));
  const Framework& f = doc->framework;
  EXPECT_EQ(f.code, "SOC2020");
  EXPECT_EQ(f.edition, "2020");
  EXPECT_EQ(f.uuid, DerivedFrameworkUuid("SOC2020", "2020"));
  EXPECT_EQ(f.publisher, "Office for National Statistics");
  ASSERT_EQ(doc->items.size(), 9u);
  std::vector<std::string> codes;
  for (const Item& item : doc->items) codes.push_back(item.code);
  EXPECT_EQ(codes,
            (std::vector<std::string>{"1", "11", "111", "1111", "1112", "2", "21", "211", "2111"}));
  const Item& unit = *Coded(*doc, "1111");
  EXPECT_EQ(unit.type, ItemType::kStatement);
  EXPECT_EQ(unit.type_name, "SOC unit group");
  EXPECT_EQ(unit.title, "Chief executives and senior officials");
  EXPECT_EQ(unit.text, "");
  EXPECT_EQ(unit.parent_uuid, Coded(*doc, "111")->uuid);
  EXPECT_EQ(unit.uuid, DerivedItemUuid(f.uuid, "1111"));
  EXPECT_EQ(unit.extra, "{\"soc\":{\"uniqueId\":\"soc-t1aa\"}}");
  EXPECT_EQ(Coded(*doc, "1")->type_name, "SOC major group");
  EXPECT_EQ(Coded(*doc, "11")->type_name, "SOC sub-major group");
  EXPECT_EQ(Coded(*doc, "111")->type_name, "SOC minor group");
  EXPECT_EQ(Coded(*doc, "1")->title, "MANAGERS AND DIRECTORS");
  EXPECT_EQ(Soc2020UnitGroupCodes(*doc), (std::unordered_set<std::string>{"1111", "1112", "2111"}));
}

TEST(Soc2020, AddsDescriptionsAndTasksFromTheSecondFileInEitherOrder) {
  for (const auto& files :
       {std::vector<std::string>{"soc2020_structure.csv", "soc2020_descriptions.csv"},
        std::vector<std::string>{"soc2020_descriptions.csv", "soc2020_structure.csv"}}) {
    ImportProblems problems;
    auto doc = ReadSoc(files, &problems);
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    const Item& unit = *Coded(*doc, "1111");
    EXPECT_EQ(unit.title, "Chief executives and senior officials");  // the structure's
    EXPECT_EQ(unit.text, "Chief executives head large enterprises.");
    EXPECT_EQ(unit.extra,
              "{\"soc\":{\"uniqueId\":\"soc-t1aa\",\"typicalEntryRoutes\":\"Entry is by "
              "appointment.\",\"relatedJobTitles\":[\"Chief executive\",\"Vice President\"]}}");
    EXPECT_EQ(Coded(*doc, "1")->title, "MANAGERS AND DIRECTORS");
    EXPECT_EQ(Coded(*doc, "1")->text,
              "This major group covers occupations that plan and direct organisations.");
    const auto tasks = ChildrenOf(*doc, unit.uuid);
    ASSERT_EQ(tasks.size(), 3u);
    EXPECT_EQ(tasks[0]->code, "1111.1");
    EXPECT_EQ(tasks[0]->type_name, "SOC task");
    EXPECT_EQ(tasks[0]->text, "plans and directs the organisation at a strategic level");
    EXPECT_EQ(tasks[1]->text, "prepares reports, budgets and forecasts");
    EXPECT_EQ(tasks[2]->code, "1111.3");
    // 2112 is described but not in the structure: added under its minor group, and reported.
    const Item* extra = Coded(*doc, "2112");
    ASSERT_NE(extra, nullptr);
    EXPECT_EQ(extra->title, "Biological scientists");
    EXPECT_EQ(extra->parent_uuid, Coded(*doc, "211")->uuid);
    EXPECT_EQ(Joined(Lines(problems)),
              "line 28: group 2112 is described but not in the structure file "
              "soc2020_structure.csv: added under 211\n");
    EXPECT_EQ(doc->items.size(), 10u + 7u);
    EXPECT_TRUE(ValidateFramework(*doc).ok());
  }
}

TEST(Soc2020, ReadsTheDescriptionsAloneDerivingParentsFromCodes) {
  ImportProblems problems;
  auto doc = ReadSoc({"soc2020_descriptions.csv"}, &problems);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_TRUE(problems.empty()) << Joined(Lines(problems));
  EXPECT_EQ(Coded(*doc, "1")->title, "Managers and directors");
  EXPECT_EQ(Coded(*doc, "1111")->parent_uuid, Coded(*doc, "111")->uuid);
  EXPECT_EQ(Coded(*doc, "1111")->title, "Chief executives and senior officials.");
  EXPECT_EQ(Coded(*doc, "1112")->extra,
            "{\"soc\":{\"typicalEntryRoutes\":\"Entry is by election.\"}}");
}

struct BadSoc {
  const char* name;
  std::string content;
  const char* message;
};

void PrintTo(const BadSoc& c, std::ostream* os) { *os << c.name; }

class Soc2020Refuses : public ::testing::TestWithParam<BadSoc> {};

TEST_P(Soc2020Refuses, NamingTheFileAndTheLine) {
  Soc2020Reader reader;
  Status s = reader.Add(GetParam().content, "soc.csv");
  if (s.ok()) {
    auto doc = reader.Finish();
    ASSERT_FALSE(doc.ok());
    s = doc.status();
  }
  EXPECT_EQ(s.message(), GetParam().message);
}

const BadSoc kBadSocs[] = {
    {"an unknown level", "level,code,title,parent_code\nmajor,1,A,\ngroup,11,B,1\n",
     "soc.csv: line 3: level \"group\" is not major, sub-major, minor or unit"},
    {"a code of the wrong length", "level,code,title,parent_code\nmajor,12,A,\n",
     "soc.csv: line 2: code \"12\" is not a major group code (1 digits)"},
    {"a missing parent", "level,code,title,parent_code\nmajor,1,A,\nminor,111,C,11\n",
     "soc.csv: line 3: group 111's parent 11 is not in the file"},
    {"a group listed twice", "level,code,title,parent_code\nmajor,1,A,\nmajor,1,B,\n",
     "soc.csv: line 3: group 1 is listed twice (first on line 2)"},
    {"a row with too few fields", "level,code,title,parent_code\nmajor,1\n",
     "soc.csv: line 2: 2 fields where the header has 4"},
    {"no title", "level,code,title,parent_code\nmajor,1,,\n",
     "soc.csv: line 2: group 1 has no title"},
    {"a description without a code",
     "SOC 2020 Major Group,SOC 2020 Sub-Major Group,SOC 2020 Minor Group,SOC 2020 Unit Group,"
     "SOC 2020 Group Title,Group Description\n<blank>,<blank>,<blank>,<blank>,A,B\n",
     "soc.csv: line 2: no code in any of the four group columns"},
    {"neither file", "code,title\n1,A\n",
     "soc.csv: line 1: the header is neither the SOC 2020 structure file "
     "(level,code,title,parent_code) nor the SOC 2020 descriptions file (SOC 2020 Major Group, "
     "... Tasks, Related Job Titles)"},
};

INSTANTIATE_TEST_SUITE_P(EachMistake, Soc2020Refuses, ::testing::ValuesIn(kBadSocs),
                         [](const auto& info) { return test::TestName(info.param.name); });

TEST(Soc2020, RefusesTheSameFileTwice) {
  Soc2020Reader reader;
  ASSERT_TRUE(reader.Add(ReadFixture("soc2020_structure.csv"), "a.csv").ok());
  Status s = reader.Add(ReadFixture("soc2020_structure.csv"), "b.csv");
  EXPECT_EQ(s.message(),
            "b.csv: a second SOC 2020 structure file in one import (the first is a.csv)");
}

// --- O*NET --------------------------------------------------------------------------------------

Result<FrameworkDoc> ReadOnet(const std::vector<std::string>& files, ImportProblems* problems) {
  OnetReader reader(problems);
  for (const std::string& f : files) {
    if (Status s = reader.Add(ReadFixture(f), f); !s.ok()) return s;
  }
  return reader.Finish();
}

TEST(Onet, ReadsOccupationsWithTheirTasksAsChildren) {
  ImportProblems problems;
  auto doc = ReadOnet({"Task_Statements.csv", "Occupation_Data.csv"}, &problems);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const Framework& f = doc->framework;
  EXPECT_EQ(f.code, "ONET");
  EXPECT_EQ(f.edition, "29.3");
  EXPECT_EQ(f.licence, "CC-BY-4.0");
  EXPECT_NE(f.description.find("Used under the CC BY 4.0 license"), std::string::npos);
  EXPECT_NE(f.description.find("USDOL/ETA"), std::string::npos);
  const Item& ceo = *Coded(*doc, "11-1011.00");
  EXPECT_EQ(ceo.type, ItemType::kStatement);
  EXPECT_EQ(ceo.type_name, "O*NET occupation");
  EXPECT_EQ(ceo.title, "Chief Executives");
  EXPECT_EQ(ceo.parent_uuid, "");
  const auto tasks = ChildrenOf(*doc, ceo.uuid);
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0]->code, "T8823");
  EXPECT_EQ(tasks[0]->type_name, "O*NET core task");
  EXPECT_EQ(tasks[0]->text, "Direct or coordinate financial activities.");
  EXPECT_EQ(tasks[0]->extra,
            "{\"onet\":{\"taskId\":\"8823\",\"taskType\":\"Core\",\"incumbentsResponding\":"
            "\"95\",\"date\":\"08/2023\",\"domainSource\":\"Incumbent\"}}");
  EXPECT_EQ(tasks[1]->type_name, "O*NET supplemental task");
  EXPECT_EQ(ChildrenOf(*doc, Coded(*doc, "15-1252.00")->uuid)[0]->type_name, "O*NET task");
  EXPECT_EQ(Coded(*doc, "15-1252.00")->text,
            "Research, design, and develop computer applications, \"small\" and large.");
  EXPECT_TRUE(ChildrenOf(*doc, Coded(*doc, "29-1141.00")->uuid).empty());
  // A task's occupation missing from Occupation_Data.csv: added from the task file.
  EXPECT_EQ(Coded(*doc, "31-1131.00")->title, "Nursing Assistants");
  EXPECT_EQ(Joined(Lines(problems)),
            "line 5: occupation 31-1131.00 has tasks but is not in Occupation_Data.csv: added "
            "with the title \"Nursing Assistants\" and no description\n");
  EXPECT_EQ(doc->items.size(), 4u + 4u);
}

TEST(Onet, ReadsEitherFileAlone) {
  ImportProblems problems;
  auto occupations = ReadOnet({"Occupation_Data.csv"}, &problems);
  ASSERT_TRUE(occupations.ok()) << occupations.status().message();
  EXPECT_EQ(occupations->items.size(), 3u);
  EXPECT_TRUE(problems.empty());
  auto tasks = ReadOnet({"Task_Statements.csv"}, &problems);
  ASSERT_TRUE(tasks.ok()) << tasks.status().message();
  EXPECT_EQ(tasks->items.size(), 3u + 4u);
  EXPECT_EQ(Coded(*tasks, "11-1011.00")->text, "");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 0u);
  EXPECT_NE(problems[0].message.find("no Occupation_Data.csv"), std::string::npos);
}

TEST(Onet, RefusesMalformedRowsNamingTheLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"O*NET-SOC Code,Title,Description\n11-1011,Chief,x\n",
       "o.csv: line 2: \"11-1011\" is not an O*NET-SOC code (like 11-1011.00)"},
      {"O*NET-SOC Code,Title,Description\n11-1011.00,A,x\n11-1011.00,B,y\n",
       "o.csv: line 3: occupation 11-1011.00 is listed twice (first on line 2)"},
      {"O*NET-SOC Code,Title,Task ID,Task\n11-1011.00,A,1,x\n11-1011.00,A,1,y\n",
       "o.csv: line 3: task 1 is listed twice (first on line 2)"},
      {"O*NET-SOC Code,Title,Task ID,Task\n11-1011.00,A,T1,x\n",
       "o.csv: line 2: task ID \"T1\" is not a number"},
      {"O*NET-SOC Code,Title,Task ID,Task\n11-1011.00,A,1\n",
       "o.csv: line 2: 3 fields where the header has 4"},
  };
  for (const auto& [content, message] : cases) {
    OnetReader reader;
    EXPECT_EQ(reader.Add(content, "o.csv").message(), message);
  }
}

// --- ESCO ---------------------------------------------------------------------------------------

Result<std::vector<FrameworkDoc>> ReadEsco(const std::vector<std::string>& files,
                                           ImportProblems* problems) {
  EscoReader reader(problems);
  for (const std::string& f : files) {
    if (Status s = reader.Add(ReadFixture(f), f); !s.ok()) return s;
  }
  return reader.Finish();
}

const std::string kEsco = "http://data.europa.eu/esco/";

TEST(Esco, UuidsAreNameBasedOnTheConceptUri) {
  EXPECT_EQ(EscoConceptUuid(kEsco + "occupation/11111111-aaaa-4aaa-8aaa-000000000001"),
            "fe8a51bd-42c2-5cb9-9856-3214e411bc3b");
  EXPECT_EQ(EscoConceptUuid(kEsco + "skill/S1.1"), "502ef420-82e9-554d-afca-cc49e393e07c");
}

TEST(Esco, PutsOccupationsUnderTheirIscoGroups) {
  ImportProblems problems;
  auto docs = ReadEsco({"occupations_en.csv", "ISCOGroups_en.csv"}, &problems);
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 1u);
  const FrameworkDoc& doc = docs->front();
  EXPECT_EQ(doc.framework.code, "ESCO-OCCUPATIONS");
  EXPECT_EQ(doc.framework.edition, "1.0");
  EXPECT_EQ(doc.framework.title, "ESCO occupations");
  const Item& chemists = *Coded(doc, "2113");
  EXPECT_EQ(chemists.type_name, "ISCO unit group");
  EXPECT_EQ(chemists.uuid, EscoConceptUuid(kEsco + "isco/C2113"));
  EXPECT_EQ(chemists.parent_uuid, Coded(doc, "211")->uuid);
  EXPECT_EQ(Coded(doc, "2")->type_name, "ISCO major group");
  const auto occupations = ChildrenOf(doc, chemists.uuid);
  ASSERT_EQ(occupations.size(), 2u);
  EXPECT_EQ(occupations[0]->title, "biochemist");  // by title
  EXPECT_EQ(occupations[1]->title, "chemist");
  EXPECT_EQ(occupations[1]->type_name, "ESCO occupation");
  EXPECT_EQ(occupations[1]->text, "Chemists conduct chemical experiments.");
  EXPECT_EQ(occupations[1]->code, "");
  EXPECT_EQ(occupations[1]->uuid, "fe8a51bd-42c2-5cb9-9856-3214e411bc3b");
  EXPECT_EQ(occupations[1]->extra,
            "{\"esco\":{\"uri\":\"" + kEsco +
                "occupation/11111111-aaaa-4aaa-8aaa-000000000001\",\"altLabels\":[\"analytical "
                "chemist\",\"research chemist\"]}}");
  // 2166 is not among the groups: made up, with its parent 216, and reported.
  const Item* made_up = Coded(doc, "2166");
  ASSERT_NE(made_up, nullptr);
  EXPECT_EQ(made_up->title, "ISCO group 2166");
  EXPECT_EQ(made_up->parent_uuid, Coded(doc, "216")->uuid);
  EXPECT_EQ(Coded(doc, "216")->parent_uuid, Coded(doc, "21")->uuid);
  EXPECT_EQ(CountKind(problems, "ESCO ISCO group missing"), 2u) << Joined(Lines(problems));
  EXPECT_EQ(doc.items.size(), 4u + 2u + 3u);
}

TEST(Esco, BuildsTheSkillsHierarchyWithTheCollectionsSkills) {
  ImportProblems problems;
  auto docs = ReadEsco(
      {"transversalSkillsCollection_en.csv", "skillsHierarchy_en.csv", "skillGroups_en.csv"},
      &problems);
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 1u);
  const FrameworkDoc& doc = docs->front();
  EXPECT_EQ(doc.framework.code, "ESCO-SKILLS");
  EXPECT_EQ(doc.framework.title, "ESCO skills hierarchy");
  const Item& negotiating = *Coded(doc, "S1.1");
  EXPECT_EQ(negotiating.type_name, "ESCO skill group");
  EXPECT_EQ(negotiating.text, "Negotiating agreements.");  // the hierarchy's, not the group's
  EXPECT_EQ(negotiating.parent_uuid, Coded(doc, "S1")->uuid);
  EXPECT_EQ(Coded(doc, "S1.1.1")->parent_uuid, negotiating.uuid);
  EXPECT_EQ(negotiating.extra, "{\"esco\":{\"uri\":\"" + kEsco +
                                   "skill/S1.1\",\"altLabels\":[\"bargaining\",\"haggling\"]}}");
  EXPECT_EQ(Coded(doc, "S1")->extra,
            "{\"esco\":{\"uri\":\"" + kEsco + "skill/S1\",\"scopeNote\":\"Excludes: - animals\"}}");
  // A group outside the hierarchy stands at the top.
  const Item& social = *Titled(doc, "social interaction");
  EXPECT_EQ(social.parent_uuid, "");
  EXPECT_EQ(social.code, "");
  // A skill goes under its first broader concept of the hierarchy; others are isPartOf links.
  const Item& compromise = *Titled(doc, "negotiate compromises");
  EXPECT_EQ(compromise.type_name, "ESCO skill");
  EXPECT_EQ(compromise.parent_uuid, negotiating.uuid);
  const Item& write = *Titled(doc, "write English");
  EXPECT_EQ(write.parent_uuid, Coded(doc, "L")->uuid);
  const Item& english = *Titled(doc, "English");
  EXPECT_EQ(english.type_name, "ESCO knowledge");
  EXPECT_EQ(english.parent_uuid, "");  // its broader concept is not in the import
  // Links to the other broader concepts, in the framework or (by URI and label) outside it.
  std::map<std::string, std::string> links;
  for (const Association& a : doc.associations) {
    EXPECT_EQ(a.type, "isPartOf");
    EXPECT_EQ(a.provenance, "imported");
    EXPECT_EQ(a.origin.framework_uuid, doc.framework.uuid);
    links[a.origin.uuid] = a.destination.uuid;
    if (a.origin.uuid == english.uuid) {
      EXPECT_EQ(a.destination.uri, kEsco + "skill/44444444-dddd-4ddd-8ddd-000000000001");
      EXPECT_EQ(a.destination.title, "languages");
      EXPECT_EQ(a.destination.framework_uuid, "");
    } else {
      EXPECT_EQ(a.destination.framework_uuid, doc.framework.uuid);
      EXPECT_EQ(a.destination.uri, "");
    }
  }
  EXPECT_EQ(
      links,
      (std::map<std::string, std::string>{
          {compromise.uuid, social.uuid},
          {write.uuid, english.uuid},
          {english.uuid, EscoConceptUuid(kEsco + "skill/44444444-dddd-4ddd-8ddd-000000000001")}}));
  EXPECT_EQ(Joined(Lines(problems)),
            "line 3: skill \"English\": none of its broader concepts is in this import: placed "
            "at the top\n");
  EXPECT_EQ(doc.items.size(), 5u + 1u + 3u);
}

TEST(Esco, ReadsEveryFileIntoTwoFrameworks) {
  auto docs = ReadEsco({"skillsHierarchy_en.csv", "occupations_en.csv", "ISCOGroups_en.csv",
                        "skillGroups_en.csv", "transversalSkillsCollection_en.csv"},
                       nullptr);
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].framework.code, "ESCO-OCCUPATIONS");
  EXPECT_EQ((*docs)[1].framework.code, "ESCO-SKILLS");
  for (const FrameworkDoc& doc : *docs) EXPECT_TRUE(ValidateFramework(doc).ok());
}

TEST(Esco, RefusesMalformedFilesNamingTheLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"conceptType,conceptUri,iscoGroup,preferredLabel,description\nOccupation,,2113,x,y\n",
       "e.csv: line 2: no conceptUri"},
      {"conceptType,conceptUri,iscoGroup,preferredLabel,description\nOccupation,u,21x3,x,y\n",
       "e.csv: line 2: iscoGroup \"21x3\" is not an ISCO code (1 to 4 digits)"},
      {"conceptType,conceptUri,code,preferredLabel,description\nISCOGroup,u,2,,y\n",
       "e.csv: line 2: concept u has no preferredLabel"},
      {"conceptType,conceptUri,code,preferredLabel,description\nISCOGroup,u,2,a,y\n"
       "ISCOGroup,v,2,b,y\n",
       "e.csv: line 3: ISCO group 2 is listed twice (first on line 2)"},
      {"Level 0 URI,Level 0 preferred term,Level 1 URI,Level 1 preferred term,Level 2 URI,"
       "Level 2 preferred term,Level 3 URI,Level 3 preferred term,Description\n"
       ",,u1,one,,,,,d\n",
       "e.csv: line 2: a level 1 URI without a level 0 URI"},
      {"conceptType,conceptUri,iscoGroup,preferredLabel\nOccupation,u,2113,x\n",
       "e.csv: line 1: the header has no \"description\" column (expected ESCO's "
       "occupations_en.csv (conceptType,conceptUri,iscoGroup,preferredLabel,...))"},
  };
  for (const auto& [content, message] : cases) {
    EscoReader reader;
    EXPECT_EQ(reader.Add(content, "e.csv").message(), message);
  }
}

// --- Imports through the store ------------------------------------------------------------------

class CatalogueImport : public ::testing::Test {
 protected:
  CatalogueImport() : store_(test::OpenStoreIn(dir_.path())) {}

  Result<SaveReport> Import(const std::vector<std::string>& paths,
                            FileFormat format = FileFormat::kAuto) {
    ImportOptions options;
    options.who = {"tester", "import"};
    options.format = format;
    problems_.clear();
    options.problems = &problems_;
    return ImportFiles(*store_, paths, options);
  }
  test::StoreState State() { return test::CaptureState(*store_, test::DatabaseIn(dir_.path())); }

  test::ScratchDir dir_;
  std::unique_ptr<Store> store_;
  ImportProblems problems_;
};

TEST_F(CatalogueImport, ImportsEveryFixtureInOneCommandAndAgainChangingNothing) {
  std::vector<std::string> paths;
  for (const char* f : {"nos-catalogue.csv", "soc2020_structure.csv", "Task_Statements.csv",
                        "occupations_en.csv", "soc2020_descriptions.csv", "Occupation_Data.csv",
                        "skillsHierarchy_en.csv", "ISCOGroups_en.csv"}) {
    paths.push_back(FixturePath(f));
  }
  auto first = Import(paths);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->frameworks_created, 5 + 1 + 1 + 2);
  // The catalogue's SOC codes were checked against the SOC 2020 of the same import.
  EXPECT_EQ(CountKind(problems_, "SOC 2010 code with no SOC 2020 match"), 4u);
  EXPECT_GT(problems_.size(), 15u);
  const test::StoreState before = State();
  auto again = Import(paths);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->frameworks_unchanged, 9);
  EXPECT_EQ(again->revisions, 0);
  test::ExpectSameState(before, State());
  auto units = store_->FindUnitsByUrn("gwsarb1");
  ASSERT_TRUE(units.ok());
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ(units->front().title, "Plan tree surveys");
}

TEST_F(CatalogueImport, ChecksTheCatalogueAgainstASoc2020AlreadyStored) {
  ASSERT_TRUE(Import({FixturePath("soc2020_structure.csv")}).ok());
  ASSERT_TRUE(Import({FixturePath("nos-catalogue.csv")}).ok());
  // Of 3122, 5119, 8129 and 5215 the fixture's SOC 2020 knows none.
  EXPECT_EQ(CountKind(problems_, "SOC 2010 code with no SOC 2020 match"), 4u);
  EXPECT_EQ(problems_.back().kind, "SOC 2010 code with no SOC 2020 match");
}

TEST_F(CatalogueImport, WritesNothingWhenOneFileIsMalformed) {
  const test::StoreState before = State();
  const std::string bad = dir_.File("bad_descriptions.csv");
  std::string content = ReadFixture("soc2020_descriptions.csv");
  content.insert(content.rfind("\r\n", content.size() - 3) + 2, "<blank>,2\r\n");
  test::WriteFile(bad, content);
  auto report =
      Import({FixturePath("Occupation_Data.csv"), FixturePath("soc2020_structure.csv"), bad});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().message(), bad + ": line 28: 2 fields where the header has 10");
  test::ExpectSameState(before, State());
}

TEST_F(CatalogueImport, ReimportingTheStructureAloneRemovesTheTasks) {
  ASSERT_TRUE(
      Import({FixturePath("soc2020_structure.csv"), FixturePath("soc2020_descriptions.csv")}).ok());
  auto report = Import({FixturePath("soc2020_structure.csv")});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->items_removed, 7 + 1);  // the tasks, and 2112
  EXPECT_EQ(report->frameworks_updated, 1);
}

TEST_F(CatalogueImport, TheFormatsAreReadNotWritten) {
  ASSERT_TRUE(Import({FixturePath("Occupation_Data.csv")}).ok());
  auto text = ExportFramework(*store_, "ONET", FileFormat::kOnet);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "OpenNOS reads the onet format but does not write it (export as native, csv or "
            "case)");
}

TEST(CatalogueCli, PrintsASummaryAndWritesTheWholeReport) {
  test::ScratchDir dir;
  ASSERT_EQ(test::RunCli(dir.path(), {"init"}).exit_code, 0);
  const std::string report = dir.File("problems.txt");
  auto run = test::RunCli(
      dir.path(), {"import", "--no-index", FixturePath("nos-catalogue.csv"), "--report", report});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("frameworks: 5 created"), std::string::npos) << run.out;
  EXPECT_EQ(run.err.rfind("opennos: 16 values could not be read as given", 0), 0u) << run.err;
  EXPECT_NE(run.err.find("  2  not a SOC code\n"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("  " + FixturePath("nos-catalogue.csv") +
                         ": line 3: review date '1901' is a placeholder: left empty\n"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("the whole problems report is in " + report), std::string::npos);
  const std::string written = test::ReadFile(report);
  EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), 16);
  EXPECT_EQ(written.rfind(FixturePath("nos-catalogue.csv") + ": line 3: review date", 0), 0u);

  auto again = test::RunCli(dir.path(), {"import", "--no-index", FixturePath("nos-catalogue.csv")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("5 unchanged"), std::string::npos) << again.out;
  auto bad_export = test::RunCli(dir.path(), {"export", "welding", "--format", "nos-catalogue"});
  EXPECT_EQ(bad_export.exit_code, 1);
}

// --- The real files -----------------------------------------------------------------------------

fs::path Corpora() {
  if (const char* env = std::getenv("OPENNOS_CORPORA"); env != nullptr && *env != '\0') {
    return env;
  }
  return fs::path(OPENNOS_SOURCE_DIR) / ".." / "shared" / "corpora";
}

#define REQUIRE_CORPUS(relative)                                                             \
  do {                                                                                       \
    if (!fs::exists(Corpora() / (relative))) {                                               \
      GTEST_SKIP() << "the real corpora are not here (" << (Corpora() / (relative)).string() \
                   << "); set OPENNOS_CORPORA to run this test";                             \
    }                                                                                        \
  } while (0)

size_t CountTyped(const FrameworkDoc& doc, std::string_view type_name) {
  return static_cast<size_t>(std::count_if(
      doc.items.begin(), doc.items.end(), [&](const Item& i) { return i.type_name == type_name; }));
}

TEST(RealCorpora, TheNosCatalogueExport) {
  REQUIRE_CORPUS("nos/published_nos_details_old.csv");
  const std::string path = (Corpora() / "nos" / "published_nos_details_old.csv").string();
  ImportProblems problems;
  auto catalogue = ReadNosCatalogue(test::ReadFile(path), path, &problems);
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  size_t units = 0, associations = 0;
  for (const FrameworkDoc& doc : catalogue->suites) {
    units += doc.items.size();
    associations += doc.associations.size();
    EXPECT_EQ(doc.framework.edition, "2018");
  }
  // 20,872 rows; 19,756 URNs once compared without case or surrounding space.
  EXPECT_EQ(units, 19756u);
  EXPECT_EQ(catalogue->suites.size(), 922u);
  EXPECT_EQ(associations, 3831u);
  EXPECT_EQ(CountKind(problems, "placeholder review date"), 13578u);
  EXPECT_EQ(
      CountKind(problems, "repeated URN merged") + CountKind(problems, "repeated URN conflict"),
      20872u - 19756u);
  EXPECT_EQ(catalogue->soc_codes.size(), 238u);
}

TEST(RealCorpora, TheNewerNosCatalogueList) {
  REQUIRE_CORPUS("nos/published_nos_details_new.csv");
  const std::string path = (Corpora() / "nos" / "published_nos_details_new.csv").string();
  ImportProblems problems;
  auto catalogue = ReadNosCatalogue(test::ReadFile(path), path, &problems);
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  size_t units = 0;
  for (const FrameworkDoc& doc : catalogue->suites) {
    units += doc.items.size();
    EXPECT_EQ(doc.framework.edition, "2019");
  }
  EXPECT_EQ(units, 1190u);  // 1,221 rows: 16 without a URN, 15 repeats
  EXPECT_EQ(CountKind(problems, "no URN"), 16u);
}

TEST(RealCorpora, Soc2020FromBothFilesOrTheStructureAlone) {
  REQUIRE_CORPUS("soc2020/soc2020_structure.csv");
  const fs::path dir = Corpora() / "soc2020";
  Soc2020Reader both;
  ASSERT_TRUE(both.Add(test::ReadFile(dir / "soc2020_descriptions_raw.csv"), "d").ok());
  ASSERT_TRUE(both.Add(test::ReadFile(dir / "soc2020_structure.csv"), "s").ok());
  auto doc = both.Finish();
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(CountTyped(*doc, "SOC major group"), 9u);
  EXPECT_EQ(CountTyped(*doc, "SOC sub-major group"), 26u);
  EXPECT_EQ(CountTyped(*doc, "SOC minor group"), 104u);
  EXPECT_EQ(CountTyped(*doc, "SOC unit group"), 412u);
  EXPECT_GT(CountTyped(*doc, "SOC task"), 2000u);
  EXPECT_EQ(Coded(*doc, "1111")->title, "Chief executives and senior officials");
  EXPECT_FALSE(Coded(*doc, "1111")->text.empty());
  Soc2020Reader structure;
  ASSERT_TRUE(structure.Add(test::ReadFile(dir / "soc2020_structure.csv"), "s").ok());
  auto alone = structure.Finish();
  ASSERT_TRUE(alone.ok()) << alone.status().message();
  EXPECT_EQ(alone->items.size(), 551u);
  EXPECT_EQ(Soc2020UnitGroupCodes(*alone).size(), 412u);
}

TEST(RealCorpora, Onet) {
  REQUIRE_CORPUS("onet/Occupation_Data.csv");
  const fs::path dir = Corpora() / "onet";
  OnetReader reader;
  ASSERT_TRUE(reader.Add(test::ReadFile(dir / "Occupation_Data.csv"), "o").ok());
  ASSERT_TRUE(reader.Add(test::ReadFile(dir / "Task_Statements.csv"), "t").ok());
  auto doc = reader.Finish();
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(CountTyped(*doc, "O*NET occupation"), 1016u);
  EXPECT_EQ(CountTyped(*doc, "O*NET core task") + CountTyped(*doc, "O*NET supplemental task") +
                CountTyped(*doc, "O*NET task"),
            18796u);
  EXPECT_EQ(CountTyped(*doc, "O*NET core task"), 13417u);
}

TEST(RealCorpora, Esco) {
  REQUIRE_CORPUS("esco/occupations_en.csv");
  const fs::path dir = Corpora() / "esco";
  ImportProblems problems;
  EscoReader reader(&problems);
  for (const char* f : {"occupations_en.csv", "ISCOGroups_en.csv", "skillsHierarchy_en.csv",
                        "skillGroups_en.csv", "transversalSkillsCollection_en.csv",
                        "languageSkillsCollection_en.csv", "ictSkillsCollection_en.csv"}) {
    ASSERT_TRUE(reader.Add(test::ReadFile(dir / f), f).ok()) << f;
  }
  auto docs = reader.Finish();
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ(CountTyped((*docs)[0], "ESCO occupation"), 2942u);
  EXPECT_EQ((*docs)[0].items.size(), 2942u + 619u);
  EXPECT_EQ(CountTyped((*docs)[1], "ESCO skill group"), 656u + 17u);
  // 107 + 345 + 21 skills, the 21 ICT ones also transversal.
  EXPECT_EQ(CountTyped((*docs)[1], "ESCO skill") + CountTyped((*docs)[1], "ESCO knowledge"), 452u);
  EXPECT_TRUE(problems.empty()) << Joined(Lines(problems));
}

TEST(RealCorpora, ImportingEverythingTwiceChangesNothingTheSecondTime) {
  REQUIRE_CORPUS("nos/published_nos_details_old.csv");
  const fs::path c = Corpora();
  const std::vector<std::string> paths{(c / "nos" / "published_nos_details_old.csv").string(),
                                       (c / "soc2020" / "soc2020_structure.csv").string(),
                                       (c / "soc2020" / "soc2020_descriptions_raw.csv").string(),
                                       (c / "onet" / "Occupation_Data.csv").string(),
                                       (c / "onet" / "Task_Statements.csv").string(),
                                       (c / "esco" / "occupations_en.csv").string(),
                                       (c / "esco" / "ISCOGroups_en.csv").string(),
                                       (c / "esco" / "skillsHierarchy_en.csv").string(),
                                       (c / "esco" / "skillGroups_en.csv").string(),
                                       (c / "esco" / "transversalSkillsCollection_en.csv").string(),
                                       (c / "esco" / "languageSkillsCollection_en.csv").string(),
                                       (c / "esco" / "ictSkillsCollection_en.csv").string()};
  test::ScratchDir dir;
  auto store = test::OpenStoreIn(dir.path());
  ImportProblems problems;
  ImportOptions options;
  options.who = {"tester", "import"};
  options.problems = &problems;
  auto first = ImportFiles(*store, paths, options);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->frameworks_created, 922 + 1 + 1 + 2);
  EXPECT_EQ(CountKind(problems, "SOC 2010 code with no SOC 2020 match"), 65u);
  auto list = store->ListFrameworks();
  ASSERT_TRUE(list.ok());
  std::int64_t units = 0;
  for (const auto& s : *list) units += s.units;
  EXPECT_EQ(units, 19756);
  const test::StoreState before = test::CaptureState(*store, test::DatabaseIn(dir.path()));
  problems.clear();
  auto again = ImportFiles(*store, paths, options);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->frameworks_unchanged, 922 + 1 + 1 + 2);
  EXPECT_EQ(again->revisions, 0);
  test::ExpectSameState(before, test::CaptureState(*store, test::DatabaseIn(dir.path())));
}

}  // namespace
}  // namespace opennos
