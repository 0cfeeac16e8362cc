// The CASE reader reads a package as it streams in (formats/json_stream.h): the same package
// gives the same framework whatever the pieces it arrives in and whatever the order of its
// top-level fields, and its errors still name the place.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "formats/case.h"
#include "formats/json_stream.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

namespace json = boost::json;

std::string FrontOfHouse() { return test::ReadFile(test::Fixture("case/front-of-house-v1p1.json")); }

// Gives `bytes` in pieces of `size`.
class PieceSource final : public ByteSource {
 public:
  PieceSource(std::string_view bytes, size_t size) : bytes_(bytes), size_(size) {}
  Result<std::string_view> Next() override {
    const std::string_view piece = bytes_.substr(at_, size_);
    at_ += piece.size();
    return piece;
  }

 private:
  std::string_view bytes_;
  size_t size_;
  size_t at_ = 0;
};

std::string Package(const Result<FrameworkDoc>& doc) {
  if (!doc.ok()) return "error: " + doc.status().message();
  return WriteCasePackage(*doc, CaseOptions());
}

// The package with its top-level fields in the order `keys`.
std::string Reordered(const std::string& text, std::initializer_list<const char*> keys) {
  const json::object original = json::parse(text).as_object();
  json::object out;
  for (const char* k : keys) {
    if (const auto* v = original.if_contains(k)) out[k] = *v;
  }
  for (const auto& kv : original) {
    if (!out.contains(kv.key())) out[kv.key()] = kv.value();
  }
  return json::serialize(out);
}

TEST(CaseStream, GivesTheSameFrameworkWhateverThePiecesThePackageArrivesIn) {
  const std::string text = FrontOfHouse();
  const std::string whole = Package(ReadCasePackage(text, "whole.json"));
  ASSERT_EQ(whole.rfind("error", 0), std::string::npos) << whole;
  for (size_t size : {1, 2, 3, 7, 64, 4096}) {
    PieceSource in(text, size);
    EXPECT_EQ(Package(ReadCasePackage(in, "pieces.json")), whole) << "pieces of " << size;
  }
}

TEST(CaseStream, ReadsTheTopLevelFieldsInAnyOrder) {
  const std::string text = FrontOfHouse();
  const std::string expected = Package(ReadCasePackage(text, "a.json"));
  const std::string items_first =
      Reordered(text, {"CFItems", "CFAssociations", "CFDefinitions", "CFDocument"});
  const std::string associations_first =
      Reordered(text, {"CFAssociations", "CFDocument", "CFRubrics", "CFItems"});
  EXPECT_EQ(Package(ReadCasePackage(items_first, "b.json")), expected);
  EXPECT_EQ(Package(ReadCasePackage(associations_first, "c.json")), expected);
}

TEST(CaseStream, RefusesATopLevelFieldGivenTwice) {
  std::string text = FrontOfHouse();
  const size_t end = text.rfind('}');
  for (const char* repeat : {R"(, "CFItems": [])", R"(, "CFDocument": {"title": "x"})",
                             R"(, "CFRubrics": [])"}) {
    const std::string bad = text.substr(0, end) + repeat + "}";
    auto doc = ReadCasePackage(bad, "twice.json");
    ASSERT_FALSE(doc.ok()) << repeat;
    EXPECT_NE(doc.status().message().find("twice.json: /CF"), std::string::npos)
        << doc.status().message();
    EXPECT_NE(doc.status().message().find("twice"), std::string::npos);
  }
}

TEST(CaseStream, NamesThePlaceOfASyntaxErrorWhateverThePieces) {
  const std::string text = R"({"CFDocument": {"identifier": "b1a2c3d4-0000-4000-8000-00000000d0c1",
 "title": "T"},
 "CFItems": [{"identifier": "b1a2c3d4-0001-4000-8000-0000000000c1", "fullStatement": "ok"},
  {"identifier": "b1a2c3d4-0001-4000-8000-0000000000c2", "fullStatement": "bad)" "\xff" R"("}]})";
  for (size_t size : {1, 5, 4096}) {
    PieceSource in(text, size);
    auto doc = ReadCasePackage(in, "bad.json");
    ASSERT_FALSE(doc.ok());
    EXPECT_EQ(doc.status().message(),
              "bad.json: /CFItems/1/fullStatement: line 4, column 79: a byte that is not UTF-8 "
              "text")
        << "pieces of " << size;
  }
}

TEST(CaseStream, NamesAnAssociationOfAnIsChildOfCycleAndTheItemsOnIt) {
  const std::string text = R"({"CFDocument": {"identifier": "b1a2c3d4-0000-4000-8000-00000000d0c1",
 "title": "T"},
 "CFItems": [
  {"identifier": "b1a2c3d4-0001-4000-8000-0000000000c1", "fullStatement": "a", "humanCodingScheme": "A"},
  {"identifier": "b1a2c3d4-0001-4000-8000-0000000000c2", "fullStatement": "b", "humanCodingScheme": "B"}],
 "CFAssociations": [
  {"identifier": "b1a2c3d4-0002-4000-8000-0000000000a1", "associationType": "isChildOf",
   "originNodeURI": {"identifier": "b1a2c3d4-0001-4000-8000-0000000000c1"},
   "destinationNodeURI": {"identifier": "b1a2c3d4-0001-4000-8000-0000000000c2"}},
  {"identifier": "b1a2c3d4-0002-4000-8000-0000000000a2", "associationType": "isChildOf",
   "originNodeURI": {"identifier": "b1a2c3d4-0001-4000-8000-0000000000c2"},
   "destinationNodeURI": {"identifier": "b1a2c3d4-0001-4000-8000-0000000000c1"}}]})";
  auto doc = ReadCasePackage(text, "cycle.json");
  ASSERT_FALSE(doc.ok());
  const std::string& m = doc.status().message();
  EXPECT_EQ(m.rfind("cycle.json: /CFAssociations/0: the isChildOf associations form a cycle", 0),
            0u)
      << m;
  EXPECT_NE(m.find("A (b1a2c3d4-0001-4000-8000-0000000000c1) -> B"), std::string::npos) << m;
}

TEST(CaseStream, KeepsAnUnknownTopLevelFieldAndWritesItUnderThePackageExtensions) {
  std::string text = FrontOfHouse();
  text = text.substr(0, text.rfind('}')) + R"(, "vendorNote": {"kept": [1, "two"]}})";
  auto doc = ReadCasePackage(text, "unknown.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const json::object out = json::parse(Package(doc)).as_object();
  EXPECT_FALSE(out.contains("vendorNote")) << "the official schema allows no other top-level field";
  EXPECT_EQ(out.at("extensions").at("opennos.unmapped").at("vendorNote"),
            json::parse(R"({"kept": [1, "two"]})"));
  auto back = ReadCasePackage(Package(doc), "export.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(Package(back), Package(doc));
}

TEST(CaseStream, KeepsTheTargetTypeOfANodeLink) {
  std::string text = FrontOfHouse();
  json::object p = json::parse(text).as_object();
  json::array& associations = p.at("CFAssociations").as_array();
  bool changed = false;
  for (auto& a : associations) {
    if (a.at("associationType") == "isChildOf") continue;
    a.as_object()["destinationNodeURI"].as_object()["targetType"] = "CFItem";
    changed = true;
    break;
  }
  ASSERT_TRUE(changed);
  auto doc = ReadCasePackage(json::serialize(p), "target.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_NE(Package(doc).find(R"("targetType": "CFItem")"), std::string::npos);
  CaseOptions v1p0;
  v1p0.version = CaseVersion::k1p0;
  EXPECT_EQ(WriteCasePackage(*doc, v1p0).find("targetType"), std::string::npos)
      << "CASE 1.0 links have no targetType";
}

TEST(CaseStream, ReadsAFileInPiecesAndRefusesOneOverTheLimit) {
  test::ScratchDir dir;
  const std::string path = (dir.path() / "p.json").string();
  std::ofstream(path, std::ios::binary) << FrontOfHouse();
  FileSource in(path, 1 << 30);
  auto doc = ReadCasePackage(in, path);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(Package(doc), Package(ReadCasePackage(FrontOfHouse(), "whole.json")));
  FileSource small(path, 100);
  auto refused = ReadCasePackage(small, path);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("over 100 bytes"), std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace opennos
