#include <gtest/gtest.h>

#include "app/formats.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

TEST(FileFormat, ParsesTheNamesTheCliAccepts) {
  const std::pair<const char*, FileFormat> cases[] = {
      {"auto", FileFormat::kAuto},
      {"native", FileFormat::kNative},
      {"json", FileFormat::kNative},
      {"csv", FileFormat::kCsv},
  };
  for (const auto& [name, format] : cases) {
    auto parsed = ParseFileFormat(name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_EQ(*parsed, format) << name;
  }
  for (const char* name : {"", "CSV", "xml", "native "}) {
    auto parsed = ParseFileFormat(name);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalid);
    EXPECT_NE(parsed.status().message().find(std::string("\"") + name + "\""), std::string::npos);
  }
  EXPECT_EQ(FileFormatName(FileFormat::kNative), "native");
  EXPECT_EQ(FileFormatName(FileFormat::kCsv), "csv");
  EXPECT_EQ(FileFormatName(FileFormat::kAuto), "auto");
}

TEST(FileFormat, OnlyCsvIsPartial) {
  EXPECT_TRUE(IsPartialFormat(FileFormat::kCsv));
  EXPECT_FALSE(IsPartialFormat(FileFormat::kNative));
}

TEST(DetectFormat, RecognisesEachFormatFromItsFirstBytes) {
  const std::pair<std::string, FileFormat> cases[] = {
      {test::ReadFile(test::Fixture("good/tiny.json")), FileFormat::kNative},
      {test::ReadFile(test::Fixture("good/tiny.csv")), FileFormat::kCsv},
      {"\xEF\xBB\xBF" + test::ReadFile(test::Fixture("good/tiny.csv")), FileFormat::kCsv},
      {"\n  {\"opennos\": \"framework/1\"}", FileFormat::kNative},
      {"\xEF\xBB\xBF{\"opennos\": \"framework/1\"}", FileFormat::kNative},
      {"framework_code,framework_edition", FileFormat::kCsv},
      {"[1, 2]", FileFormat::kAuto},
      {"code,edition,title\n", FileFormat::kAuto},
      {"", FileFormat::kAuto},
      {"  \n\t", FileFormat::kAuto},
  };
  for (const auto& [content, format] : cases) {
    EXPECT_EQ(DetectFormat(content), format) << content.substr(0, 40);
  }
}

TEST(ReadFrameworkFile, ReadsEitherFormatWhenAskedToDetect) {
  for (const char* fixture : {"good/tiny.json", "good/tiny.csv"}) {
    auto docs =
        ReadFrameworkFile(test::ReadFile(test::Fixture(fixture)), fixture, FileFormat::kAuto);
    ASSERT_TRUE(docs.ok()) << docs.status().message();
    EXPECT_EQ(docs->size(), 1u);
  }
}

TEST(ReadFrameworkFile, RefusesContentItDoesNotRecogniseNamingTheFile) {
  auto docs = ReadFrameworkFile("hello\n", "notes.txt", FileFormat::kAuto);
  ASSERT_FALSE(docs.ok());
  EXPECT_EQ(docs.status().message().rfind("notes.txt: line 1: not a format OpenNOS reads", 0), 0u)
      << docs.status().message();
}

TEST(WriteFrameworkFile, WritesTheFormatAskedFor) {
  auto docs = ReadFrameworkFile(test::ReadFile(test::Fixture("good/tiny.json")), "tiny.json",
                                FileFormat::kNative);
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(DetectFormat(WriteFrameworkFile(docs->front(), FileFormat::kNative)),
            FileFormat::kNative);
  EXPECT_EQ(DetectFormat(WriteFrameworkFile(docs->front(), FileFormat::kCsv)), FileFormat::kCsv);
}

}  // namespace
}  // namespace opennos
