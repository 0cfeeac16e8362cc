#include <gtest/gtest.h>
#include <unistd.h>

#include "app/demo.h"
#include "app/importer.h"
#include "app/resources.h"
#include "formats/csv.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

using test::Fixture;

ImportOptions As(const std::string& author, const std::string& reason = "import") {
  ImportOptions options;
  options.who = {author, reason};
  return options;
}

class ImportTest : public ::testing::Test {
 protected:
  ImportTest() : store_(test::OpenStoreIn(dir_.path())) {}

  Result<SaveReport> Import(const std::vector<std::string>& paths,
                            FileFormat format = FileFormat::kAuto) {
    ImportOptions options = As("tester");
    options.format = format;
    return ImportFiles(*store_, paths, options);
  }
  test::StoreState State() { return test::CaptureState(*store_, test::DatabaseIn(dir_.path())); }
  std::string Export(std::string_view name, FileFormat format) {
    auto text = ExportFramework(*store_, name, format);
    EXPECT_TRUE(text.ok()) << name << ": " << text.status().message();
    return text.ok() ? *text : "";
  }

  test::ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

// Names of every framework in a store, as CODE@EDITION.
std::vector<std::string> FrameworkNames(Store& store) {
  std::vector<std::string> names;
  auto list = store.ListFrameworks();
  if (!list.ok()) return names;
  for (const auto& s : *list) names.push_back(s.framework.code + "@" + s.framework.edition);
  return names;
}

// --- The demo -------------------------------------------------------------------------------

TEST_F(ImportTest, LoadsEveryDemoFrameworkAsTheAuthorDemo) {
  auto report = LoadDemo(*store_);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->frameworks_created, static_cast<int>(DemoResources().size()));
  const auto names = FrameworkNames(*store_);
  EXPECT_EQ(names.size(), DemoResources().size());
  for (const std::string& name : names) {
    auto uuid = ResolveFramework(*store_, name);
    ASSERT_TRUE(uuid.ok());
    auto history = store_->History(*uuid);
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->size(), 1u) << name;
    EXPECT_EQ(history->front().author, "demo");
  }
}

TEST_F(ImportTest, LoadingTheDemoTwiceChangesNothing) {
  ASSERT_TRUE(LoadDemo(*store_).ok());
  const test::StoreState before = State();
  auto again = LoadDemo(*store_);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->frameworks_created + again->frameworks_updated, 0);
  EXPECT_EQ(again->frameworks_unchanged, static_cast<int>(DemoResources().size()));
  EXPECT_EQ(again->revisions, 0);
  test::ExpectSameState(before, State());
}

// --- Round trips ------------------------------------------------------------------------------

// Exports every framework of `from` in `format` to files, imports them into a fresh store, and
// expects each to export again to the same bytes.
void ExpectRoundTrip(Store& from, FileFormat format) {
  test::ScratchDir files;
  const auto names = FrameworkNames(from);
  ASSERT_FALSE(names.empty());
  for (const std::string& name : names) {
    SCOPED_TRACE(name + " as " + std::string(FileFormatName(format)));
    auto first = ExportFramework(from, name, format);
    ASSERT_TRUE(first.ok()) << first.status().message();
    const std::string path = files.File(name + "." + std::string(FileFormatName(format)));
    test::WriteFile(path, *first);

    test::ScratchDir empty;
    auto to = test::OpenStoreIn(empty.path());
    auto report = ImportFiles(*to, {path}, As("round-trip"));
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_EQ(report->frameworks_created, 1);
    auto second = ExportFramework(*to, name, format);
    ASSERT_TRUE(second.ok()) << second.status().message();
    EXPECT_TRUE(*first == *second) << "the second export differs from the first";
    // CSV carries no associations; the native file carries them all.
    auto doc = to->LoadFramework(*ResolveFramework(*to, name));
    ASSERT_TRUE(doc.ok());
    if (format == FileFormat::kCsv) {
      EXPECT_TRUE(doc->associations.empty());
    }
  }
}

TEST_F(ImportTest, EveryDemoFrameworkSurvivesANativeRoundTripByteForByte) {
  ASSERT_TRUE(LoadDemo(*store_).ok());
  ExpectRoundTrip(*store_, FileFormat::kNative);
}

TEST_F(ImportTest, EveryDemoFrameworkSurvivesACsvRoundTripByteForByte) {
  ASSERT_TRUE(LoadDemo(*store_).ok());
  ExpectRoundTrip(*store_, FileFormat::kCsv);
}

TEST_F(ImportTest, TheFixturesSurviveRoundTripsInBothFormats) {
  ASSERT_TRUE(Import({Fixture("good/tiny.json"), Fixture("good/tiny-edition-2.json"),
                      Fixture("good/tiny.csv")})
                  .ok());
  ExpectRoundTrip(*store_, FileFormat::kNative);
  ExpectRoundTrip(*store_, FileFormat::kCsv);
}

TEST_F(ImportTest, ExportsTheFixturesAsTheGoldenFiles) {
  ASSERT_TRUE(Import({Fixture("good/tiny.json"), Fixture("good/tiny.csv")}).ok());
  EXPECT_EQ(Export("TINY@1", FileFormat::kNative),
            test::ReadFile(Fixture("golden/tiny.native.json")));
  EXPECT_EQ(Export("TINY@1", FileFormat::kCsv), test::ReadFile(Fixture("golden/tiny.csv")));
  EXPECT_EQ(Export("SMALL", FileFormat::kCsv), test::ReadFile(Fixture("golden/small.csv")));
}

TEST_F(ImportTest, ReimportingAnUnchangedFileWritesNoRevision) {
  ASSERT_TRUE(Import({Fixture("good/tiny.json"), Fixture("good/tiny.csv")}).ok());
  const test::StoreState before = State();
  auto again = Import({Fixture("good/tiny.json"), Fixture("good/tiny.csv")});
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->frameworks_unchanged, 2);
  EXPECT_EQ(again->revisions, 0);
  test::ExpectSameState(before, State());
}

TEST_F(ImportTest, ReimportingACsvExportKeepsWhatCsvCannotCarry) {
  ASSERT_TRUE(LoadDemo(*store_).ok());
  ASSERT_TRUE(Import({Fixture("good/tiny.json")}).ok());
  const test::StoreState before = State();
  for (const std::string& name : FrameworkNames(*store_)) {
    const std::string path = dir_.File(name + ".csv");
    test::WriteFile(path, Export(name, FileFormat::kCsv));
    auto report = Import({path});
    ASSERT_TRUE(report.ok()) << name << ": " << report.status().message();
    EXPECT_EQ(report->frameworks_unchanged, 1) << name;
    EXPECT_EQ(report->revisions, 0) << name;
  }
  test::ExpectSameState(before, State());
}

TEST_F(ImportTest, UpdatingFromCsvKeepsTheStoredAssociationsAndExtras) {
  ASSERT_TRUE(Import({Fixture("good/tiny.json")}).ok());
  std::string csv = Export("TINY@1", FileFormat::kCsv);
  const std::string old_text = "Name the test after what it checks.";
  csv.replace(csv.find(old_text), old_text.size(), "Name each test after what it checks.");
  const std::string path = dir_.File("tiny-edited.csv");
  test::WriteFile(path, csv);
  auto report = Import({path});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->items_changed, 1);
  EXPECT_EQ(report->revisions, 1);
  EXPECT_EQ(report->associations_removed, 0);
  const std::string native = Export("TINY@1", FileFormat::kNative);
  EXPECT_NE(native.find("Name each test after what it checks."), std::string::npos);
  EXPECT_NE(native.find("\"licence\": \"CC0-1.0\""), std::string::npos);
  EXPECT_NE(native.find("\"source\": \"hand-written\""), std::string::npos);
  EXPECT_NE(native.find("\"type\": \"exemplar\""), std::string::npos);
}

// --- Refusals ------------------------------------------------------------------------------

struct BadFile {
  const char* fixture;
  FileFormat format;
  std::vector<const char*> message;  // parts the message must contain, besides the file name
};

void PrintTo(const BadFile& f, std::ostream* os) { *os << f.fixture; }

class ImportRefusal : public ImportTest, public ::testing::WithParamInterface<BadFile> {};

TEST_P(ImportRefusal, NamesTheFileAndThePlaceAndChangesNothing) {
  ASSERT_TRUE(LoadDemo(*store_).ok());
  ASSERT_TRUE(Import({Fixture("good/tiny.json")}).ok());
  const test::StoreState before = State();
  const std::string path = Fixture(GetParam().fixture);
  auto report = Import({path}, GetParam().format);
  ASSERT_FALSE(report.ok());
  const std::string& message = report.status().message();
  EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << "starts with the file: " << message;
  for (const char* part : GetParam().message) {
    EXPECT_NE(message.find(part), std::string::npos) << "lacks \"" << part << "\": " << message;
  }
  test::ExpectSameState(before, State());
}

const BadFile kBadFiles[] = {
    {"bad/malformed.json", FileFormat::kAuto, {"line 6, column 5"}},
    {"bad/truncated.json", FileFormat::kAuto, {"line 25, column 1", "truncated"}},
    {"bad/unknown-item-type.json",
     FileFormat::kAuto,
     {"/items/0/children/1/type", "unknown item type \"criterion\""}},
    {"bad/duplicate-code.json", FileFormat::kAuto, {"/items/0/children/1"}},
    {"bad/duplicate-code.csv", FileFormat::kAuto, {"row 5", "\"D1.P1\""}},
    {"bad/missing-parent.csv", FileFormat::kAuto, {"\"O1.P1\"", "parent \"NOPE\""}},
    {"bad/invalid-utf8.csv", FileFormat::kAuto, {"line 3", "UTF-8"}},
    {"bad/wrong-header.csv", FileFormat::kAuto, {"line 1", "header"}},
    {"bad/clash-tiny-1.json",
     FileFormat::kAuto,
     {"TINY@1", "00000000-0000-4000-8000-000000000001", "clashes"}},
    {"bad/not-a-framework.txt", FileFormat::kAuto, {"line 1", "not a format OpenNOS reads"}},
    {"good/tiny.json", FileFormat::kCsv, {"line 2", "a quote inside an unquoted field"}},
    {"good/tiny.csv", FileFormat::kNative, {"line 1, column 1"}},
};

INSTANTIATE_TEST_SUITE_P(EachBadFile, ImportRefusal, ::testing::ValuesIn(kBadFiles),
                         [](const auto& info) {
                           return test::TestName(std::string(info.param.fixture) + " as " +
                                                 std::string(FileFormatName(info.param.format)));
                         });

TEST_F(ImportTest, RefusesEveryFileWhenOneOfThemIsBad) {
  ASSERT_TRUE(Import({Fixture("good/tiny.json")}).ok());
  const test::StoreState before = State();
  for (const char* bad :
       {"bad/unknown-item-type.json", "bad/clash-tiny-1.json", "bad/missing-parent.csv"}) {
    auto report =
        Import({Fixture("good/tiny-edition-2.json"), Fixture("good/tiny.csv"), Fixture(bad)});
    ASSERT_FALSE(report.ok()) << bad;
    EXPECT_NE(report.status().message().find(Fixture(bad)), std::string::npos)
        << report.status().message();
  }
  test::ExpectSameState(before, State());
}

TEST_F(ImportTest, RefusesTheSameFrameworkTwiceInOneImport) {
  auto report = Import({Fixture("good/tiny.json"), Fixture("good/tiny.json")});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("TINY@1 is given twice"), std::string::npos)
      << report.status().message();
  EXPECT_TRUE(FrameworkNames(*store_).empty());
}

TEST_F(ImportTest, RefusesTwoFrameworksClashingOnCodeAndEditionInOneImport) {
  auto report = Import({Fixture("good/tiny.json"), Fixture("bad/clash-tiny-1.json")});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find(Fixture("bad/clash-tiny-1.json")), std::string::npos)
      << report.status().message();
  EXPECT_TRUE(FrameworkNames(*store_).empty());
}

TEST_F(ImportTest, ReportsAFileThatDoesNotExist) {
  const std::string path = dir_.File("missing.json");
  auto report = Import({Fixture("good/tiny.json"), path});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kIo);
  EXPECT_EQ(report.status().message().rfind(path, 0), 0u) << report.status().message();
  EXPECT_TRUE(FrameworkNames(*store_).empty());
}

TEST_F(ImportTest, RefusesAFileOverTheSizeLimitWithoutReadingIt) {
  const std::string path = dir_.File("huge.json");
  test::WriteFile(path, "");
  // A sparse file: it takes no disk space and is never read.
  ASSERT_EQ(truncate(path.c_str(), static_cast<off_t>(kMaxImportFileBytes + 1)), 0);
  auto report = Import({path});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(report.status().message().rfind(path + ": ", 0), 0u) << report.status().message();
  EXPECT_NE(report.status().message().find(std::to_string(kMaxImportFileBytes)), std::string::npos);
}

TEST_F(ImportTest, RefusesACsvRowOverTheLimitNamingItsLine) {
  std::string csv = test::ReadFile(Fixture("good/tiny.csv"));
  csv +=
      "SMALL,2,knowledge,S1.K2,S1,,," + std::string(kMaxCsvRowBytes, 'x') + ",,,,,,,,,,,,,,,,,\n";
  const std::string path = dir_.File("long-row.csv");
  test::WriteFile(path, csv);
  auto report = Import({path});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().message().rfind(path + ": line 8: a row longer than", 0), 0u)
      << report.status().message();
  EXPECT_TRUE(FrameworkNames(*store_).empty());
}

// --- Export -----------------------------------------------------------------------------------

TEST_F(ImportTest, ExportsByUuidCodeOrCodeAtEditionAndDefaultsToNative) {
  ASSERT_TRUE(Import({Fixture("good/tiny.json"), Fixture("good/tiny-edition-2.json")}).ok());
  const std::string second = Export("TINY@2", FileFormat::kNative);
  EXPECT_EQ(Export("TINY", FileFormat::kNative), second) << "CODE is the newest edition";
  EXPECT_EQ(Export(*ResolveFramework(*store_, "TINY@2"), FileFormat::kNative), second);
  EXPECT_EQ(Export("TINY@2", FileFormat::kAuto), second);
}

TEST_F(ImportTest, ReportsNotFoundForAnUnknownFramework) {
  auto text = ExportFramework(*store_, "NOPE@1", FileFormat::kNative);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), Status::Code::kNotFound);
  EXPECT_NE(text.status().message().find("NOPE@1"), std::string::npos);
}

TEST(ReadWholeFile, ReadsTheExactBytes) {
  test::ScratchDir dir;
  const std::string bytes("a\0b\r\n\xff", 6);
  test::WriteFile(dir.File("f"), bytes);
  auto read = ReadWholeFile(dir.File("f"));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, bytes);
}

}  // namespace
}  // namespace opennos
