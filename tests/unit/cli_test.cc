// The opennos binary, run as a user would run it.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <regex>

#include "unit/test_support.h"

namespace opennos {
namespace {

using test::CliRun;
using test::Fixture;
using test::RunCli;

class CliTest : public ::testing::Test {
 protected:
  CliTest() : data_(dir_.path() / "data") {}

  CliRun Opennos(const std::vector<std::string>& args) { return RunCli(data_, args); }
  // Runs a command that must succeed, and returns its standard output.
  std::string Ok(const std::vector<std::string>& args) {
    const CliRun run = Opennos(args);
    EXPECT_EQ(run.exit_code, 0) << args.front() << ": " << run.err;
    return run.out;
  }
  void InitWithDemo() {
    Ok({"init"});
    Ok({"demo"});
  }
  // CODE@EDITION of every framework, from `list --json`.
  std::vector<std::string> Names() {
    std::vector<std::string> names;
    const auto list = boost::json::parse(Ok({"list", "--json"}));
    for (const auto& f : list.at("frameworks").as_array()) {
      names.push_back(std::string(f.at("code").as_string()) + "@" +
                      std::string(f.at("edition").as_string()));
    }
    return names;
  }

  test::ScratchDir dir_;
  std::filesystem::path data_;
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The first line of a command's output, without its newline: the report of a write.
std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// --- Usage -----------------------------------------------------------------------------------

TEST(Cli, HelpOnEveryCommandExitsZeroAndMentionsTheCommand) {
  for (const char* command : {"init", "demo", "import", "export", "list", "show"}) {
    const CliRun run = RunCli({command, "--help"});
    EXPECT_EQ(run.exit_code, 0) << command << ": " << run.err;
    EXPECT_TRUE(Contains(run.out, command)) << command << ":\n" << run.out;
  }
  const CliRun top = RunCli({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* command : {"init", "demo", "import", "export", "list", "show"}) {
    EXPECT_TRUE(Contains(top.out, command)) << command << " is not listed:\n" << top.out;
  }
}

TEST(Cli, WrongUsageExitsTwo) {
  const std::vector<std::vector<std::string>> cases{
      {},         {"frobnicate"}, {"list", "--bogus"}, {"import"}, {"import", "/no/such/file.json"},
      {"export"}, {"show"},       {"--data"},
  };
  for (const auto& args : cases) {
    const CliRun run = RunCli(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(run.exit_code, 2) << joined << "\n" << run.out << run.err;
    EXPECT_FALSE(run.err.empty()) << joined << ": says what is wrong";
  }
}

TEST_F(CliTest, AMissingDataDirectoryIsReportedWithTheWayOut) {
  const std::string dir = data_.string();
  const std::string expected =
      "opennos: no OpenNOS data in " + dir + " (run `opennos --data " + dir + " init` first)\n";
  const std::vector<std::vector<std::string>> commands{
      {"demo"},
      {"list"},
      {"list", "--json"},
      {"export", "ML"},
      {"show", "ODSMLA1"},
      {"import", Fixture("good/tiny.json")},
  };
  for (const auto& args : commands) {
    const CliRun run = Opennos(args);
    EXPECT_EQ(run.exit_code, 1) << args.front();
    EXPECT_EQ(run.err, expected) << args.front();
    EXPECT_EQ(run.out, "") << args.front();
  }
  EXPECT_FALSE(std::filesystem::exists(data_)) << "nothing was created";
}

TEST_F(CliTest, InitCreatesTheDataDirectoryAndIsIdempotent) {
  EXPECT_EQ(Ok({"init"}), "initialised: " + data_.string() + "\n");
  EXPECT_TRUE(std::filesystem::exists(data_ / "opennos.db"));
  EXPECT_EQ(Ok({"init"}), "already initialised: " + data_.string() + "\n");
}

TEST_F(CliTest, ImportWithProgressSaysHowMuchOfAPackageItHasRead) {
  ASSERT_EQ(Opennos({"init"}).exit_code, 0);
  const std::string package = test::Fixture("case/front-of-house-v1p1.json");
  const CliRun run = Opennos({"import", "--progress", "--no-index", package});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string size = std::to_string(std::filesystem::file_size(package));
  EXPECT_NE(run.err.find("opennos: " + package + ": " + size + " bytes read (100 %)\n"),
            std::string::npos)
      << run.err;
}

TEST_F(CliTest, ImportWithProgressSaysHowMuchOfAnyFileItHasRead) {
  ASSERT_EQ(Opennos({"init"}).exit_code, 0);
  for (const std::string& file : {test::Fixture("good/tiny.csv"), test::Fixture("good/tiny.json"),
                                  test::Fixture("catalogue/nos-catalogue.csv")}) {
    const CliRun run = Opennos({"import", "--progress", "--no-index", file});
    ASSERT_EQ(run.exit_code, 0) << file << ": " << run.err;
    const std::string size = std::to_string(std::filesystem::file_size(file));
    EXPECT_NE(run.err.find("opennos: " + file + ": " + size + " bytes read (100 %)\n"),
              std::string::npos)
        << file << ": " << run.err;
  }
}

TEST_F(CliTest, InitReportsADataDirectoryItCannotCreate) {
  test::WriteFile(dir_.File("a-file"), "x");
  const CliRun run = RunCli(dir_.path() / "a-file" / "data", {"init"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err.rfind("opennos: " + dir_.File("a-file"), 0), 0u) << run.err;
}

// --- list and show ---------------------------------------------------------------------------

TEST_F(CliTest, ListJsonPrintsExactlyTheDocumentedShape) {
  Ok({"init"});
  EXPECT_EQ(Ok({"list", "--json"}), "{\"frameworks\":[]}\n");
  Ok({"import", Fixture("good/tiny.json")});
  EXPECT_EQ(Ok({"list", "--json"}),
            "{\"frameworks\":[{\"uuid\":\"8380922b-e0e8-54ea-bdd6-57064eee9e50\",\"code\":\"TINY\","
            "\"edition\":\"1\",\"title\":\"A tiny suite for tests\",\"status\":\"approved\","
            "\"units\":1,\"statements\":5}]}\n");
}

TEST_F(CliTest, ListJsonOfTheDemoHasOnlyTheDocumentedKeysAndNoPathsOrTimes) {
  InitWithDemo();
  const std::string out = Ok({"list", "--json"});
  const auto parsed = boost::json::parse(out);
  ASSERT_TRUE(parsed.is_object());
  ASSERT_EQ(parsed.as_object().size(), 1u);
  const auto& frameworks = parsed.at("frameworks").as_array();
  ASSERT_FALSE(frameworks.empty());
  const std::vector<std::string> keys{"uuid",   "code",  "edition",   "title",
                                      "status", "units", "statements"};
  for (const auto& f : frameworks) {
    std::vector<std::string> seen;
    for (const auto& kv : f.as_object()) seen.emplace_back(kv.key());
    EXPECT_EQ(seen, keys);
    EXPECT_TRUE(f.at("uuid").is_string());
    EXPECT_TRUE(f.at("units").is_int64());
    EXPECT_TRUE(f.at("statements").is_int64());
    EXPECT_GT(f.at("statements").as_int64(), 0);
  }
  EXPECT_FALSE(Contains(out, data_.string()));
  EXPECT_FALSE(Contains(out, "opennos.db"));
  EXPECT_FALSE(std::regex_search(out, std::regex(R"(\d\d:\d\d)"))) << out;
}

TEST_F(CliTest, ListWithoutJsonShowsAHintThenATable) {
  Ok({"init"});
  EXPECT_TRUE(Contains(Ok({"list"}), "no frameworks yet"));
  Ok({"import", Fixture("good/tiny.json")});
  const std::string table = Ok({"list"});
  EXPECT_TRUE(Contains(table, "CODE")) << table;
  EXPECT_TRUE(Contains(table, "TINY")) << table;
  EXPECT_TRUE(Contains(table, "A tiny suite for tests")) << table;
}

TEST_F(CliTest, ShowFindsTheNewestUnitByLowerCaseUrnAndNamesTheOthers) {
  Ok({"init"});
  Ok({"import", Fixture("good/tiny.json"), Fixture("good/tiny-edition-2.json")});
  const std::string out = Ok({"show", "tny01"});
  EXPECT_EQ(out.rfind("TNY01  Write a tiny test, revised\n", 0), 0u) << out;
  EXPECT_TRUE(Contains(out, "(TINY@2)")) << out;
  EXPECT_TRUE(Contains(out, "Performance criteria\n  K1.P1  Name the test after what it checks."))
      << out;
  EXPECT_TRUE(Contains(out, "Also in TINY@1 (version 2, ")) << out;
}

TEST_F(CliTest, ShowPrintsAUnitsSections) {
  Ok({"init"});
  Ok({"import", Fixture("good/tiny.json")});
  const std::string out = Ok({"show", "TNY01"});
  for (const char* part :
       {"Type: Unit   Code: K1   Suite: A tiny suite for tests (TINY@1)", "Version: 2",
        "Category: core", "Developed by: OpenNOS", "Overview\n  This unit is about small tests.",
        "Knowledge and understanding\n  K1.K1", "Statements\n  K1.E1  A green run.",
        "Keywords: testing, fixtures", "Occupations (SOC 2020): 2134"}) {
    EXPECT_TRUE(Contains(out, part)) << part << " missing from:\n" << out;
  }
}

TEST_F(CliTest, ShowFindsEveryDemoUnitByItsLowerCaseUrn) {
  InitWithDemo();
  auto store = test::OpenStoreIn(data_);
  auto list = store->ListFrameworks();
  ASSERT_TRUE(list.ok());
  int shown = 0;
  for (const auto& s : *list) {
    auto doc = store->LoadFramework(s.framework.uuid);
    ASSERT_TRUE(doc.ok());
    for (const Item& item : doc->items) {
      if (item.type != ItemType::kUnit || item.unit.urn.empty() || shown >= 5) continue;
      std::string lower = item.unit.urn;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const CliRun run = Opennos({"show", lower});
      EXPECT_EQ(run.exit_code, 0) << lower << ": " << run.err;
      EXPECT_TRUE(Contains(run.out, item.unit.urn)) << run.out;
      ++shown;
    }
  }
  EXPECT_GT(shown, 0) << "the demo has units with URNs";
}

TEST_F(CliTest, ShowFindsAnItemByUuid) {
  Ok({"init"});
  Ok({"import", Fixture("good/tiny.json")});
  auto store = test::OpenStoreIn(data_);
  auto units = store->FindUnitsByUrn("TNY01");
  ASSERT_TRUE(units.ok());
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ(Ok({"show", units->front().uuid}).rfind("TNY01  Write a tiny test\n", 0), 0u);
}

TEST_F(CliTest, ShowReportsAnUnknownUnit) {
  Ok({"init"});
  CliRun run = Opennos({"show", "NOPE01"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "opennos: no unit with the URN \"NOPE01\"\n");
  run = Opennos({"show", "0f0f0f0f-0000-4000-8000-000000000000"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.err, "0f0f0f0f-0000-4000-8000-000000000000")) << run.err;
}

// --- demo, import and export -----------------------------------------------------------------

TEST_F(CliTest, DemoTwiceIsIdempotent) {
  InitWithDemo();
  const test::StoreState before = test::CaptureStateWithCli(data_);
  const std::string second = FirstLine(Ok({"demo"}));
  const std::string frameworks = std::to_string(Names().size());
  EXPECT_EQ(second, "frameworks: 0 created, 0 updated, " + frameworks +
                        " unchanged; items: 0 added, 0 changed, 0 removed; associations: 0 "
                        "added, 0 changed, 0 removed");
  test::ExpectSameState(before, test::CaptureStateWithCli(data_));
}

TEST_F(CliTest, ImportRecordsWhoMadeTheChangeAndWhy) {
  Ok({"init"});
  EXPECT_EQ(
      FirstLine(Ok({"import", "--as", "carol", "--why", "a test", Fixture("good/tiny.json")})),
      "frameworks: 1 created, 0 updated, 0 unchanged; items: 7 added, 0 changed, 0 "
      "removed; associations: 2 added, 0 changed, 0 removed");
  auto store = test::OpenStoreIn(data_);
  auto uuid = ResolveFramework(*store, "TINY@1");
  ASSERT_TRUE(uuid.ok());
  auto history = store->History(*uuid);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().author, "carol");
  EXPECT_EQ(history->front().reason, "a test");
}

TEST_F(CliTest, ImportRefusesAnUnknownFormat) {
  Ok({"init"});
  const CliRun run = Opennos({"import", "--format", "xml", Fixture("good/tiny.json")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err.rfind("opennos: unknown format \"xml\"", 0), 0u) << run.err;
  EXPECT_EQ(Ok({"list", "--json"}), "{\"frameworks\":[]}\n");
}

TEST_F(CliTest, ExportWritesAFileWholeAndLeavesNoTemporaryFile) {
  Ok({"init"});
  Ok({"import", Fixture("good/tiny.json")});
  const std::string out = dir_.File("tiny.json");
  EXPECT_EQ(Ok({"export", "TINY", "-o", out}), "");
  EXPECT_EQ(test::ReadFile(out), test::ReadFile(Fixture("golden/tiny.native.json")));
  EXPECT_EQ(Ok({"export", "TINY@1", "--format", "csv"}),
            test::ReadFile(Fixture("golden/tiny.csv")));
  EXPECT_EQ(Ok({"export", "TINY", "-o", "-"}), test::ReadFile(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".tmp"));
}

TEST_F(CliTest, ExportReportsWhatItCannotDo) {
  Ok({"init"});
  Ok({"import", Fixture("good/tiny.json")});
  CliRun run = Opennos({"export", "NOPE@1"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "opennos: no framework \"NOPE@1\"\n");
  run = Opennos({"export", "TINY", "--format", "xml"});
  EXPECT_EQ(run.exit_code, 1);
  const std::string unwritable = dir_.File("no/such/dir/tiny.json");
  run = Opennos({"export", "TINY", "-o", unwritable});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.err, unwritable)) << run.err;
  EXPECT_FALSE(std::filesystem::exists(unwritable));
}

// --- Round trips through the binary ----------------------------------------------------------

TEST_F(CliTest, EveryDemoFrameworkSurvivesExportImportExportByteForByte) {
  InitWithDemo();
  const std::vector<std::string> names = Names();
  ASSERT_FALSE(names.empty());
  for (const char* format : {"native", "csv"}) {
    for (const std::string& name : names) {
      SCOPED_TRACE(name + " as " + format);
      const std::string first = dir_.File(name + ".first." + format);
      Ok({"export", name, "--format", format, "-o", first});

      const std::filesystem::path fresh = dir_.path() / (name + "-" + format);
      ASSERT_EQ(RunCli(fresh, {"init"}).exit_code, 0);
      const CliRun imported = RunCli(fresh, {"import", first});
      ASSERT_EQ(imported.exit_code, 0) << imported.err;
      EXPECT_EQ(imported.out.rfind("frameworks: 1 created,", 0), 0u) << imported.out;

      const std::string second = dir_.File(name + ".second." + format);
      const CliRun exported = RunCli(fresh, {"export", name, "--format", format, "-o", second});
      ASSERT_EQ(exported.exit_code, 0) << exported.err;
      EXPECT_TRUE(test::ReadFile(first) == test::ReadFile(second))
          << first << " and " << second << " differ";
    }
  }
}

// --- Refusals ---------------------------------------------------------------------------------

struct RefusedImport {
  const char* name;
  std::vector<std::string> files;  // fixtures, imported together
  const char* place;               // the file's first words after its name
};

void PrintTo(const RefusedImport& c, std::ostream* os) { *os << c.name; }

class CliRefusedImport : public CliTest, public ::testing::WithParamInterface<RefusedImport> {};

TEST_P(CliRefusedImport, ExitsOneNamingTheFileAndThePlaceAndChangesNothing) {
  InitWithDemo();
  Ok({"import", Fixture("good/tiny.json")});
  const test::StoreState before = test::CaptureStateWithCli(data_);
  std::vector<std::string> args{"import"};
  for (const std::string& f : GetParam().files) args.push_back(Fixture(f));
  const CliRun run = Opennos(args);
  EXPECT_EQ(run.exit_code, 1);
  const std::string expected =
      "opennos: " + Fixture(GetParam().files.back()) + ": " + GetParam().place;
  EXPECT_EQ(run.err.substr(0, expected.size()), expected);
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << "one line: " << run.err;
  EXPECT_EQ(run.out, "");
  test::ExpectSameState(before, test::CaptureStateWithCli(data_));
}

const RefusedImport kRefusedImports[] = {
    {"bad json", {"bad/malformed.json"}, "line 6, column 5: "},
    {"truncated json", {"bad/truncated.json"}, "line 25, column 1: the file ends before"},
    {"an unknown item type", {"bad/unknown-item-type.json"}, "/items/0/children/1/type: "},
    {"a duplicate code in json", {"bad/duplicate-code.json"}, "/items/0/children/1"},
    {"a duplicate code in csv", {"bad/duplicate-code.csv"}, "row 5: the code \"D1.P1\""},
    {"a child whose parent is missing", {"bad/missing-parent.csv"}, "row 4: item \"O1.P1\": its parent"},
    {"invalid utf-8 in csv", {"bad/invalid-utf8.csv"}, "line 3: text that is not UTF-8"},
    {"a wrong csv header", {"bad/wrong-header.csv"}, "line 1: the header"},
    {"a clash with a stored framework", {"bad/clash-tiny-1.json"}, "framework TINY@1 "},
    {"a good file then a clash",
     {"good/tiny-edition-2.json", "good/tiny.csv", "bad/clash-tiny-1.json"},
     "framework TINY@1 "},
    {"a good file then a bad one", {"good/tiny.csv", "bad/truncated.json"}, "line 25, column 1"},
    {"neither json nor csv", {"bad/not-a-framework.txt"}, "line 1: not a format"},
};

INSTANTIATE_TEST_SUITE_P(EachBadImport, CliRefusedImport, ::testing::ValuesIn(kRefusedImports),
                         [](const auto& info) { return test::TestName(info.param.name); });

}  // namespace
}  // namespace opennos
