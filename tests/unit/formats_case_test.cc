// CASE packages (src/formats/case.h) against the promises of issue 6 and its clarifications:
// a package read and written again keeps every field, extension object and association with
// its identifier; the demo suites go OpenNOS -> CASE -> OpenNOS unchanged; a bad package is
// refused with its file name and the place in it, and changes nothing.
//
// Fixtures: tests/fixtures/case/ (hand-written: front-of-house-v1p1.json uses every part of a
// v1.1 package; warehouse-safety-v1p0.json is a v1.0 package; bread-making-v1p1.json is the
// valid package that each file of bad/ breaks in one place). The packages of
// ../shared/corpora/case join the round-trip tests when that directory is there.
//

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "app/demo.h"
#include "app/formats.h"
#include "app/importer.h"
#include "core/json_util.h"
#include "core/uuid.h"
#include "formats/case.h"
#include "formats/native.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

constexpr const char* kUnmapped = "opennos.unmapped";
constexpr const char* kFrontOfHouse = "front-of-house-v1p1.json";
constexpr const char* kWarehouse = "warehouse-safety-v1p0.json";
constexpr const char* kBreadMaking = "bread-making-v1p1.json";
constexpr const char* kFrontOfHouseUuid = "5e0c6a10-7d1b-4c2e-9f3a-1b2c3d4e5f60";

// ---- helpers ---------------------------------------------------------------------------------

std::string CaseFixture(const std::string& name) { return test::Fixture("case/" + name); }

fs::path SharedCorpus() {
  return fs::path(OPENNOS_SOURCE_DIR) / ".." / "shared" / "corpora" / "case";
}

json::object ParseObject(const std::string& text) {
  json::value v = json::parse(text);
  if (!v.is_object()) throw std::runtime_error("not a JSON object");
  return v.as_object();
}

FrameworkDoc ReadOrThrow(const std::string& text, const std::string& source) {
  auto doc = ReadCasePackage(text, source);
  if (!doc.ok()) throw std::runtime_error(doc.status().message());
  return *doc;
}

std::string Write(const FrameworkDoc& doc, CaseVersion version = CaseVersion::k1p1) {
  CaseOptions options;
  options.version = version;
  return WriteCasePackage(doc, options);
}

ImportOptions As(const std::string& author) {
  ImportOptions options;
  options.who = {author, "CASE tests"};
  return options;
}

const json::object* Find(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The object of `array` (CFItems, CFAssociations) with this identifier, any case.
const json::object* WithIdentifier(const json::object& package, std::string_view array,
                                   const std::string& identifier) {
  const auto* v = package.if_contains(array);
  if (v == nullptr || !v->is_array()) return nullptr;
  for (const auto& e : v->get_array()) {
    if (!e.is_object()) continue;
    const auto* id = e.get_object().if_contains("identifier");
    if (id != nullptr && id->is_string() &&
        Lower(std::string(id->get_string())) == Lower(identifier)) {
      return &e.get_object();
    }
  }
  return nullptr;
}

// JSON equality with numbers compared by value (0.6 == 6E-1, 2 == 2u).
bool Same(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
    if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
    if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
    const std::int64_t i = a.is_int64() ? a.get_int64() : b.get_int64();
    const std::uint64_t u = a.is_uint64() ? a.get_uint64() : b.get_uint64();
    return i >= 0 && static_cast<std::uint64_t>(i) == u;
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const auto* other = y.if_contains(kv.key());
      if (other == nullptr || !Same(kv.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!Same(x[i], y[i])) return false;
    }
    return true;
  }
  return a == b;
}

std::string Short(const json::value& v) {
  std::string s = json::serialize(v);
  return s.size() > 140 ? s.substr(0, 140) + "..." : s;
}

// One way an export differs from its original: `kind` names the field for every object alike
// ("/CFItems/*/uri"), `text` says where and how.
struct Loss {
  std::string kind;
  std::string text;
};

std::string Describe(const std::vector<Loss>& losses, size_t most = 12) {
  std::string out;
  for (size_t i = 0; i < losses.size() && i < most; ++i) out += "\n  " + losses[i].text;
  if (losses.size() > most) out += "\n  ... and " + std::to_string(losses.size() - most) + " more";
  return out;
}

// Every key of `original` must be in `exported` with the same value, or under its
// extensions["opennos.unmapped"]; extension objects are compared one by one; the two node
// links field by field; "sequenceNumber": "2" counts as 2; identifiers ignore case.
void CompareObject(const std::string& where, const std::string& kind, const json::object& original,
                   const json::object* exported, const std::set<std::string>& derivable,
                   std::vector<Loss>& losses) {
  if (exported == nullptr) {
    losses.push_back({kind, where + ": missing from the export"});
    return;
  }
  static const json::object kEmpty;
  const json::object* ext = Find(*exported, "extensions");
  const json::object& extensions = ext != nullptr ? *ext : kEmpty;
  const json::object* unmapped_ptr = Find(extensions, kUnmapped);
  const json::object& unmapped = unmapped_ptr != nullptr ? *unmapped_ptr : kEmpty;
  for (const auto& kv : original) {
    const std::string key(kv.key());
    if (derivable.count(key)) continue;
    const auto* got = exported->if_contains(key);
    if (key == "extensions" && kv.value().is_object()) {
      for (const auto& e : kv.value().get_object()) {
        const auto* theirs = extensions.if_contains(e.key());
        if (theirs == nullptr || !Same(*theirs, e.value())) {
          losses.push_back({kind + "/extensions/" + std::string(e.key()),
                            where + "/extensions/" + std::string(e.key()) + ": " +
                                Short(e.value()) + " became " +
                                (theirs ? Short(*theirs) : "(absent)")});
        }
      }
      continue;
    }
    if ((key == "originNodeURI" || key == "destinationNodeURI") && kv.value().is_object()) {
      CompareObject(where + "/" + key, kind + "/" + key, kv.value().get_object(),
                    got != nullptr && got->is_object() ? &got->get_object() : nullptr, {}, losses);
      continue;
    }
    if (key == "identifier" && kv.value().is_string()) {
      if (got == nullptr || !got->is_string() ||
          Lower(std::string(got->get_string())) != Lower(std::string(kv.value().get_string()))) {
        losses.push_back({kind + "/identifier", where + "/identifier: " + Short(kv.value()) +
                                                    " became " + (got ? Short(*got) : "(absent)")});
      }
      continue;
    }
    json::value want = kv.value();
    if (key == "sequenceNumber" && want.is_string()) {
      const std::string s(want.get_string());
      if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos)
        want = std::stoll(s);
    }
    if (got != nullptr && Same(*got, want)) continue;
    const auto* moved = unmapped.if_contains(key);
    if (moved != nullptr && Same(*moved, kv.value())) continue;
    losses.push_back({kind + "/" + key, where + "/" + key + ": " + Short(kv.value()) + " became " +
                                            (got     ? Short(*got)
                                             : moved ? Short(*moved)
                                                     : "(absent)")});
  }
}

// What of `original` the export `exported` lost. Only CFPackageURI and CFDocumentURI may go.
std::vector<Loss> Losses(const json::object& original, const json::object& exported) {
  std::vector<Loss> losses;
  static const json::object kEmpty;
  const json::object* top_ext = Find(exported, "extensions");
  const json::object* top_unmapped = top_ext != nullptr ? Find(*top_ext, kUnmapped) : nullptr;
  for (const auto& kv : original) {
    const std::string key(kv.key());
    if (key == "CFDocument" || key == "CFItems" || key == "CFAssociations") continue;
    if (key == "extensions" && kv.value().is_object()) {
      CompareObject("", "", json::object{{"extensions", kv.value()}}, &exported, {}, losses);
      continue;
    }
    const auto* got = exported.if_contains(key);
    if (got != nullptr && Same(*got, kv.value())) continue;
    const auto* moved = top_unmapped != nullptr ? top_unmapped->if_contains(key) : nullptr;
    if (moved != nullptr && Same(*moved, kv.value())) continue;
    const bool modelled = key == "CFDefinitions" || key == "CFRubrics";
    losses.push_back({(modelled ? "/" : "top-level unknown /") + key,
                      "/" + key + ": " + Short(kv.value()) + " is not in the export"});
  }
  if (const json::object* d = Find(original, "CFDocument")) {
    CompareObject("/CFDocument", "/CFDocument", *d, Find(exported, "CFDocument"), {"CFPackageURI"},
                  losses);
  }
  for (const char* array : {"CFItems", "CFAssociations"}) {
    const auto* v = original.if_contains(array);
    if (v == nullptr || !v->is_array()) continue;
    const auto* out = exported.if_contains(array);
    const size_t exported_count = out != nullptr && out->is_array() ? out->get_array().size() : 0;
    if (exported_count != v->get_array().size()) {
      losses.push_back({std::string("/") + array, std::string("/") + array + ": " +
                                                      std::to_string(v->get_array().size()) +
                                                      " became " + std::to_string(exported_count)});
    }
    for (size_t i = 0; i < v->get_array().size(); ++i) {
      const auto& e = v->get_array()[i];
      if (!e.is_object()) continue;
      const auto* id = e.get_object().if_contains("identifier");
      const std::string identifier =
          id != nullptr && id->is_string() ? std::string(id->get_string()) : "";
      CompareObject(std::string("/") + array + "/" + std::to_string(i) + " (" + identifier + ")",
                    std::string("/") + array + "/*", e.get_object(),
                    WithIdentifier(exported, array, identifier), {"CFDocumentURI"}, losses);
    }
  }
  return losses;
}

// Fails the test with `losses`, if there are any.
#define EXPECT_NO_LOSSES(losses, context)                        \
  do {                                                           \
    const std::vector<Loss>& losses_ = (losses);                 \
    if (!losses_.empty()) {                                      \
      ADD_FAILURE() << (context) << ":" << Describe(losses_, 40); \
    }                                                            \
  } while (false)

std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const size_t line =
      static_cast<size_t>(std::count(a.begin(), a.begin() + static_cast<long>(i), '\n')) + 1;
  const size_t from = a.rfind('\n', i == 0 ? 0 : i - 1);
  const size_t start = from == std::string::npos ? 0 : from + 1;
  return "line " + std::to_string(line) + ": " + a.substr(start, 100) + " | " +
         b.substr(start, 100);
}

// ---- the packages of the round trip ----------------------------------------------------------

struct Package {
  std::string name;  // for messages and the test name
  std::string path;
};

void PrintTo(const Package& p, std::ostream* os) { *os << p.name; }

// A store in a new subdirectory `name` of `dir`.
std::unique_ptr<Store> StoreIn(const test::ScratchDir& dir, const std::string& name) {
  fs::create_directories(dir.path() / name);
  return test::OpenStoreIn(dir.path() / name);
}

std::vector<Package> RoundTripPackages() {
  std::vector<Package> out;
  for (const char* f : {kFrontOfHouse, kWarehouse, kBreadMaking})
    out.push_back({f, CaseFixture(f)});
  std::error_code ec;
  const fs::path shared = SharedCorpus();
  if (fs::is_directory(shared, ec)) {
    std::vector<fs::path> found;
    for (const auto& e : fs::recursive_directory_iterator(shared, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".json" &&
          e.path().parent_path().filename() != "schema") {
        found.push_back(e.path());
      }
    }
    std::sort(found.begin(), found.end());
    for (const auto& p : found) out.push_back({"shared " + p.filename().string(), p.string()});
  }
  return out;
}

std::string PackageTestName(const ::testing::TestParamInfo<Package>& info) {
  std::string words;
  for (char c : info.param.name) words += std::isalnum(static_cast<unsigned char>(c)) ? c : ' ';
  return test::TestName(words);
}

class CaseRoundTrip : public ::testing::TestWithParam<Package> {
 protected:
  std::string Original() const { return test::ReadFile(GetParam().path); }
};

TEST_P(CaseRoundTrip, ReadWriteReadWriteGivesTheSameBytes) {
  const std::string first = Write(ReadOrThrow(Original(), GetParam().name));
  const std::string second = Write(ReadOrThrow(first, "first export"));
  if (first != second) {
    const std::string where = FirstDifference(first, second);
    ADD_FAILURE() << GetParam().name << ": the second export differs, " << where;
  }
}

TEST_P(CaseRoundTrip, TheExportKeepsEveryFieldItemAndAssociationOfTheOriginal) {
  const std::string original = Original();
  const std::string exported = Write(ReadOrThrow(original, GetParam().name));
  EXPECT_NO_LOSSES(Losses(ParseObject(original), ParseObject(exported)), " in " + GetParam().name);
}

TEST_P(CaseRoundTrip, TheExportLeavesOutOnlyWhatCanBeDerived) {
  const json::object exported = ParseObject(Write(ReadOrThrow(Original(), GetParam().name)));
  EXPECT_FALSE(exported.at("CFDocument").as_object().contains("CFPackageURI"));
  for (const char* array : {"CFItems", "CFAssociations"}) {
    for (const auto& e : exported.at(array).as_array()) {
      EXPECT_FALSE(e.as_object().contains("CFDocumentURI")) << array << " " << Short(e);
    }
  }
  for (const auto& a : exported.at("CFAssociations").as_array()) {
    const auto* seq = a.as_object().if_contains("sequenceNumber");
    if (seq != nullptr) {
      EXPECT_TRUE(seq->is_int64() || seq->is_uint64()) << Short(a);
    }
  }
}

TEST_P(CaseRoundTrip, TheExportReadsBackToTheSameFramework) {
  const FrameworkDoc first = ReadOrThrow(Original(), GetParam().name);
  const FrameworkDoc second = ReadOrThrow(Write(first), "export");
  EXPECT_EQ(second.framework.uuid, first.framework.uuid);
  EXPECT_EQ(second.framework.title, first.framework.title);
  ASSERT_EQ(second.items.size(), first.items.size());
  for (size_t i = 0; i < first.items.size(); ++i) {
    const Item& a = first.items[i];
    const Item& b = second.items[i];
    EXPECT_EQ(b.uuid, a.uuid) << "item " << i << ": the order is kept";
    EXPECT_EQ(b.parent_uuid, a.parent_uuid) << a.uuid;
    EXPECT_EQ(b.position, a.position) << a.uuid;
    EXPECT_EQ(b.type, a.type) << a.uuid;
    EXPECT_EQ(b.type_name, a.type_name) << a.uuid;
    EXPECT_EQ(b.code, a.code) << a.uuid;
    EXPECT_EQ(b.title, a.title) << a.uuid;
    EXPECT_EQ(b.text, a.text) << a.uuid;
  }
  ASSERT_EQ(second.associations.size(), first.associations.size());
  for (size_t i = 0; i < first.associations.size(); ++i) {
    EXPECT_EQ(second.associations[i].uuid, first.associations[i].uuid);
    EXPECT_EQ(second.associations[i].type, first.associations[i].type);
    EXPECT_EQ(second.associations[i].origin.uuid, first.associations[i].origin.uuid);
    EXPECT_EQ(second.associations[i].destination.uuid, first.associations[i].destination.uuid);
  }
}

TEST_P(CaseRoundTrip, ThroughTwoStoresTheSecondExportIsTheSameBytes) {
  test::ScratchDir dir;
  auto first_store = StoreIn(dir, "first");
  auto report = ImportFiles(*first_store, {GetParam().path}, As("case-test"));
  ASSERT_TRUE(report.ok()) << report.status().message();
  const std::string uuid = ReadOrThrow(Original(), GetParam().name).framework.uuid;
  auto first = ExportFramework(*first_store, uuid, FileFormat::kCase);
  ASSERT_TRUE(first.ok()) << first.status().message();
  const std::string first_path = dir.File("first.json");
  test::WriteFile(first_path, *first);

  auto second_store = StoreIn(dir, "second");
  report = ImportFiles(*second_store, {first_path}, As("case-test"));
  ASSERT_TRUE(report.ok()) << report.status().message();
  auto second = ExportFramework(*second_store, uuid, FileFormat::kCase);
  ASSERT_TRUE(second.ok()) << second.status().message();
  if (*first != *second) {
    const std::string where = FirstDifference(*first, *second);
    ADD_FAILURE() << GetParam().name << ": the second export differs, " << where;
  }
  EXPECT_NO_LOSSES(Losses(ParseObject(Original()), ParseObject(*first)),
                   " in " + GetParam().name + " through a store");
}

INSTANTIATE_TEST_SUITE_P(Packages, CaseRoundTrip, ::testing::ValuesIn(RoundTripPackages()),
                         PackageTestName);

// ---- what the v1.1 fixture exercises, field by field -----------------------------------------

class FrontOfHouse : public ::testing::Test {
 protected:
  FrontOfHouse()
      : original_(test::ReadFile(CaseFixture(kFrontOfHouse))),
        doc_(ReadOrThrow(original_, kFrontOfHouse)),
        exported_(ParseObject(Write(doc_))),
        raw_(ParseObject(original_)) {}

  const Item& Coded(const std::string& code) { return test::ItemCoded(doc_, code); }
  const json::object& ExportedAssociation(const std::string& id) {
    const json::object* a = WithIdentifier(exported_, "CFAssociations", id);
    if (a == nullptr) throw std::runtime_error("no association " + id + " in the export");
    return *a;
  }
  const json::object& ExportedItem(const std::string& id) {
    const json::object* a = WithIdentifier(exported_, "CFItems", id);
    if (a == nullptr) throw std::runtime_error("no item " + id + " in the export");
    return *a;
  }

  std::string original_;
  FrameworkDoc doc_;
  json::object exported_;
  json::object raw_;
};

TEST_F(FrontOfHouse, IsRecognisedAsACasePackage) {
  for (const char* f : {kFrontOfHouse, kWarehouse, kBreadMaking}) {
    EXPECT_EQ(DetectFormat(test::ReadFile(CaseFixture(f))), FileFormat::kCase) << f;
  }
  EXPECT_EQ(DetectFormat("\xEF\xBB\xBF" + original_), FileFormat::kCase);
}

TEST_F(FrontOfHouse, OrdersSiblingsBySequenceNumberNotByPackageOrder) {
  std::vector<std::string> order;
  for (const Item& item : doc_.items) order.push_back(item.uuid.substr(24));
  // FOH01 (1), its P1 P2 K1 (1 2 3, listed 3 2 1), FOH02 ("2") with B1 (5), the cluster (3)
  // with its level (no sequenceNumber).
  EXPECT_EQ(order, (std::vector<std::string>{"000000000001", "000000000002", "000000000003",
                                             "000000000004", "000000000006", "000000000007",
                                             "000000000005", "000000000008"}));
  EXPECT_EQ(Coded("FOH02").position, 1);
  EXPECT_EQ(Coded("FOH02.B1").position, 0);
}

TEST_F(FrontOfHouse, ReadsAStringSequenceNumberAsANumber) {
  const json::object& a = ExportedAssociation("5e0c6a10-a000-4000-8000-000000000002");
  ASSERT_TRUE(a.contains("sequenceNumber"));
  EXPECT_TRUE(a.at("sequenceNumber").is_int64()) << Short(a.at("sequenceNumber"));
  EXPECT_EQ(a.at("sequenceNumber").to_number<std::int64_t>(), 2);
  // A sequenceNumber that is not the position comes back as it was.
  EXPECT_EQ(ExportedAssociation("5e0c6a10-a000-4000-8000-000000000021")
                .at("sequenceNumber")
                .to_number<std::int64_t>(),
            5);
}

TEST_F(FrontOfHouse, MapsCaseItemTypesToNosTypesByNameIgnoringCase) {
  EXPECT_EQ(Coded("FOH01").type, ItemType::kUnit);
  EXPECT_EQ(Coded("FOH01.P1").type, ItemType::kPerformanceCriterion);
  EXPECT_EQ(Coded("FOH01.K1").type, ItemType::kKnowledge) << "\"knowledge and understanding\"";
  EXPECT_EQ(Coded("FOH02.B1").type, ItemType::kBehaviour);
  for (const Item& item : doc_.items) {
    if (item.code.empty()) {
      EXPECT_EQ(item.type, ItemType::kStatement) << item.text;
      EXPECT_FALSE(item.type_name.empty()) << item.text;
    }
  }
  EXPECT_EQ(ExportedItem(Coded("FOH01.K1").uuid).at("CFItemType"), "knowledge and understanding")
      << "the package's spelling of a type is kept";
}

TEST_F(FrontOfHouse, KeepsTextOutsideTheBmpAndMarkdownByteForByte) {
  for (const auto& e : raw_.at("CFItems").as_array()) {
    const auto& item = e.as_object();
    const std::string id(item.at("identifier").as_string());
    EXPECT_EQ(ExportedItem(id).at("fullStatement"), item.at("fullStatement")) << id;
  }
  EXPECT_EQ(exported_.at("CFDocument").at("description"), raw_.at("CFDocument").at("description"));
  EXPECT_NE(Coded("FOH01.P2").text.find("\xF0\x9F\xA5\x9C"), std::string::npos) << "U+1F95C";
  EXPECT_NE(Coded("FOH01.K1").text.find("| Flag \xF0\x9D\x94\x89 |"), std::string::npos)
      << "U+1D509";
  EXPECT_EQ(exported_.at("extensions").at("org.example.package").at("note"),
            "\xF0\x9D\x92\xBD\xF0\x9D\x92\xB6\xF0\x9D\x93\x83\xF0\x9D\x92\xB9");
}

TEST_F(FrontOfHouse, KeepsExtensionObjectsOnTheDocumentItemsAndAssociations) {
  const struct {
    const char* where;
    const json::object* original;
    const json::object* exported;
  } cases[] = {
      {"document", &raw_.at("CFDocument").as_object(), &exported_.at("CFDocument").as_object()},
      {"item FOH01", WithIdentifier(raw_, "CFItems", "5e0c6a10-0001-4000-8000-000000000001"),
       WithIdentifier(exported_, "CFItems", "5e0c6a10-0001-4000-8000-000000000001")},
      {"tree association",
       WithIdentifier(raw_, "CFAssociations", "5e0c6a10-a000-4000-8000-000000000011"),
       WithIdentifier(exported_, "CFAssociations", "5e0c6a10-a000-4000-8000-000000000011")},
      {"exactMatchOf",
       WithIdentifier(raw_, "CFAssociations", "5e0c6a10-a000-4000-8000-000000000103"),
       WithIdentifier(exported_, "CFAssociations", "5e0c6a10-a000-4000-8000-000000000103")},
  };
  for (const auto& c : cases) {
    ASSERT_NE(c.original, nullptr) << c.where;
    ASSERT_NE(c.exported, nullptr) << c.where;
    for (const auto& kv : c.original->at("extensions").as_object()) {
      const auto* got = c.exported->at("extensions").as_object().if_contains(kv.key());
      ASSERT_NE(got, nullptr) << c.where << ": " << kv.key();
      EXPECT_TRUE(Same(*got, kv.value())) << c.where << ": " << Short(*got);
    }
  }
  EXPECT_TRUE(Same(exported_.at("extensions"), raw_.at("extensions"))) << "the package's own";
}

TEST_F(FrontOfHouse, KeepsDefinitionsAndRubricsAsTheyWere) {
  EXPECT_TRUE(Same(exported_.at("CFDefinitions"), raw_.at("CFDefinitions")));
  EXPECT_TRUE(Same(exported_.at("CFRubrics"), raw_.at("CFRubrics")));
}

TEST_F(FrontOfHouse, KeepsEveryAssociationTypeWithItsIdentifierAndEnds) {
  std::set<std::string> types;
  for (const auto& e : raw_.at("CFAssociations").as_array()) {
    const auto& a = e.as_object();
    const std::string id(a.at("identifier").as_string());
    const json::object& out = ExportedAssociation(id);
    EXPECT_EQ(out.at("associationType"), a.at("associationType")) << id;
    for (const char* end : {"originNodeURI", "destinationNodeURI"}) {
      EXPECT_EQ(out.at(end).at("identifier"), a.at(end).at("identifier")) << id << " " << end;
      EXPECT_EQ(out.at(end).at("title"), a.at(end).at("title")) << id << " " << end;
    }
    types.insert(std::string(a.at("associationType").as_string()));
  }
  std::set<std::string> all(AssociationTypeNames().begin(), AssociationTypeNames().end());
  all.insert("ext:requiresCertificate");
  EXPECT_EQ(types, all) << "the fixture uses every type";
}

TEST_F(FrontOfHouse, KeepsAssociationsToNodesOutsideThePackage) {
  // Ends that are not in the package: another framework's item, an ESCO skill with an
  // identifier that is no UUID, a video, a Welsh item, a certificate.
  for (const char* id :
       {"5e0c6a10-a000-4000-8000-000000000103", "5e0c6a10-a000-4000-8000-000000000105",
        "5e0c6a10-a000-4000-8000-000000000106", "5e0c6a10-a000-4000-8000-000000000107",
        "5e0c6a10-a000-4000-8000-000000000109", "5e0c6a10-a000-4000-8000-000000000110"}) {
    const json::object* original = WithIdentifier(raw_, "CFAssociations", id);
    ASSERT_NE(original, nullptr);
    const json::object& out = ExportedAssociation(id);
    for (const char* end : {"originNodeURI", "destinationNodeURI"}) {
      const auto& want = original->at(end).as_object();
      const auto& got = out.at(end).as_object();
      const std::string node(want.at("identifier").as_string());
      const bool inside = std::any_of(doc_.items.begin(), doc_.items.end(),
                                      [&](const Item& i) { return i.uuid == node; });
      if (inside) continue;
      EXPECT_EQ(got.at("uri"), want.at("uri")) << id << " " << end;
      EXPECT_EQ(got.at("identifier"), want.at("identifier")) << id << " " << end;
    }
  }
}

TEST_F(FrontOfHouse, MovesUnknownFieldsUnderOpennosUnmapped) {
  const json::object& item = ExportedItem("5e0c6a10-0001-4000-8000-000000000001");
  EXPECT_FALSE(item.contains("x-reviewNote"));
  EXPECT_EQ(item.at("extensions").at(kUnmapped).at("x-reviewNote"),
            "Check the wording of the booking step with the panel.");
  const json::object& a = ExportedAssociation("5e0c6a10-a000-4000-8000-000000000110");
  EXPECT_FALSE(a.contains("x-reviewStatus"));
  EXPECT_EQ(a.at("extensions").at(kUnmapped).at("x-reviewStatus"), "agreed");
  // Read back, the field is where the package first had it: a third export is the same.
  const FrameworkDoc again = ReadOrThrow(Write(doc_), "export");
  const json::object third = ParseObject(Write(again));
  EXPECT_TRUE(Same(
      WithIdentifier(third, "CFItems", "5e0c6a10-0001-4000-8000-000000000001")->at("extensions"),
      item.at("extensions")));
}

TEST_F(FrontOfHouse, SingleObjectsCarryTheirDocumentUriAndThePackageDoesNot) {
  CaseOptions rest;
  rest.package_form = false;
  EXPECT_TRUE(CaseDocumentJson(doc_, rest).contains("CFPackageURI"));
  const json::object item = CaseItemJson(doc_, doc_.items.front(), rest);
  ASSERT_TRUE(item.contains("CFDocumentURI"));
  EXPECT_EQ(item.at("CFDocumentURI").at("identifier"), kFrontOfHouseUuid);
  for (const auto& a : CaseAssociationsJson(doc_, rest)) {
    EXPECT_TRUE(a.as_object().contains("CFDocumentURI")) << Short(a);
  }
  CaseOptions package;
  EXPECT_FALSE(CaseDocumentJson(doc_, package).contains("CFPackageURI"));
  EXPECT_FALSE(CaseItemJson(doc_, doc_.items.front(), package).contains("CFDocumentURI"));
}

TEST_F(FrontOfHouse, AVersion1p0ExportUsesOnlyWhatVersion1p0Has) {
  const json::object v1p0 = ParseObject(Write(doc_, CaseVersion::k1p0));
  EXPECT_FALSE(v1p0.contains("extensions"));
  const json::object& d = v1p0.at("CFDocument").as_object();
  for (const char* k : {"frameworkType", "caseVersion", "extensions"})
    EXPECT_FALSE(d.contains(k)) << k;
  for (const auto& e : v1p0.at("CFItems").as_array())
    EXPECT_FALSE(e.as_object().contains("extensions"));
  const std::set<std::string> v1p0_types{"isChildOf",    "isPeerOf", "isPartOf",
                                         "exactMatchOf", "precedes", "isRelatedTo",
                                         "replacedBy",   "exemplar", "hasSkillLevel"};
  for (const auto& e : v1p0.at("CFAssociations").as_array()) {
    const auto& a = e.as_object();
    EXPECT_TRUE(v1p0_types.count(std::string(a.at("associationType").as_string()))) << Short(e);
    EXPECT_FALSE(a.contains("extensions")) << Short(e);
    EXPECT_FALSE(a.contains("notes")) << Short(e);
  }
  // isTranslationOf and ext: go out as isRelatedTo, as the 1.1 guidance says consumers treat them.
  for (const char* id :
       {"5e0c6a10-a000-4000-8000-000000000109", "5e0c6a10-a000-4000-8000-000000000110"}) {
    const json::object* a = WithIdentifier(v1p0, "CFAssociations", id);
    ASSERT_NE(a, nullptr) << id;
    EXPECT_EQ(a->at("associationType"), "isRelatedTo") << id;
  }
}

// ---- version 1.0 ---------------------------------------------------------------------------

TEST(CaseVersion1p0, ReadsAVersion1p0Package) {
  const FrameworkDoc doc = ReadOrThrow(test::ReadFile(CaseFixture(kWarehouse)), kWarehouse);
  EXPECT_EQ(doc.framework.uuid, "3c9f6e2a-51b7-4d08-b2a4-6e7f8091a2b3");
  EXPECT_EQ(doc.framework.edition, "3");
  EXPECT_EQ(doc.framework.status, FrameworkStatus::kSuperseded) << "adoptionStatus Deprecated";
  EXPECT_EQ(doc.framework.published, "2019-07-01");
  std::vector<std::string> codes;
  for (const Item& item : doc.items) codes.push_back(item.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"WS1", "WS1.1", "WS1.2", "WS2"}));
  const struct {
    const char* code;
    ItemType type;
  } types[] = {{"WS1", ItemType::kUnit},
               {"WS1.1", ItemType::kPerformanceCriterion},
               {"WS1.2", ItemType::kKnowledge},
               {"WS2", ItemType::kUnit}};
  for (const auto& t : types) {
    FrameworkDoc copy = doc;
    EXPECT_EQ(test::ItemCoded(copy, t.code).type, t.type) << t.code;
  }
  ASSERT_EQ(doc.associations.size(), 2u);
  EXPECT_EQ(doc.associations[0].type, "replacedBy");
  EXPECT_EQ(doc.associations[0].destination.uuid, "7d8e9fa0-b1c2-4d3e-8f40-516273849506");
}

TEST(CaseVersion1p0, AVersion1p0ExportKeepsTheFieldsVersion1p0Has) {
  const std::string original = test::ReadFile(CaseFixture(kWarehouse));
  const json::object raw = ParseObject(original);
  const json::object v1p0 =
      ParseObject(Write(ReadOrThrow(original, kWarehouse), CaseVersion::k1p0));
  std::vector<Loss> losses;
  const json::object& d = raw.at("CFDocument").as_object();
  for (const char* k : {"notes", "subject", "officialSourceURL", "licenseURI", "statusEndDate"}) {
    const auto* got = v1p0.at("CFDocument").as_object().if_contains(k);
    if (got == nullptr || !Same(*got, d.at(k))) {
      losses.push_back({std::string("v1.0 CFDocument ") + k,
                        std::string("/CFDocument/") + k + " is not in the 1.0 export"});
    }
  }
  for (const auto& e : raw.at("CFItems").as_array()) {
    const json::object* out =
        WithIdentifier(v1p0, "CFItems", std::string(e.at("identifier").as_string()));
    ASSERT_NE(out, nullptr);
    for (const auto& kv : e.as_object()) {
      if (kv.key() == "CFDocumentURI") continue;
      const auto* got = out->if_contains(kv.key());
      if (got == nullptr || !Same(*got, kv.value())) {
        losses.push_back({"v1.0 CFItem " + std::string(kv.key()),
                          "an item's " + std::string(kv.key()) + " is not in the 1.0 export"});
      }
    }
  }
  EXPECT_NO_LOSSES(losses, std::string(" in the case-1.0 export of ") + kWarehouse);
}

// ---- unknown fields in each place ------------------------------------------------------------

struct UnknownField {
  const char* place;
  const char* pointer;  // where the field is added to bread-making-v1p1.json
};

void PrintTo(const UnknownField& u, std::ostream* os) { *os << u.place; }

class CaseUnknownFields : public ::testing::TestWithParam<UnknownField> {};

TEST_P(CaseUnknownFields, AreKeptUnderOpennosUnmappedOrWhereTheyWere) {
  json::object package = ParseObject(test::ReadFile(CaseFixture(kBreadMaking)));
  json::value root = package;
  boost::system::error_code ec;
  json::value* target = root.find_pointer(GetParam().pointer, ec);
  ASSERT_NE(target, nullptr) << GetParam().pointer;
  target->as_object()["x-opennosTest"] = json::object{{"kept", true}, {"by", "the CASE tests"}};
  const std::string text = json::serialize(root);
  const json::object exported = ParseObject(Write(ReadOrThrow(text, "unknown.json")));
  // Only the added field counts here: the fixture's other losses have tests of their own.
  std::vector<Loss> losses;
  for (Loss& loss : Losses(root.as_object(), exported)) {
    if (loss.kind.find("x-opennosTest") != std::string::npos) losses.push_back(std::move(loss));
  }
  EXPECT_NO_LOSSES(losses, std::string(" for a field on the ") + GetParam().place);
}

INSTANTIATE_TEST_SUITE_P(Places, CaseUnknownFields,
                         ::testing::Values(UnknownField{"package", ""},
                                           UnknownField{"document", "/CFDocument"},
                                           UnknownField{"item", "/CFItems/1"},
                                           UnknownField{"tree association", "/CFAssociations/2"},
                                           UnknownField{"association", "/CFAssociations/4"}),
                         [](const auto& info) { return test::TestName(info.param.place); });

// ---- the demo suites -------------------------------------------------------------------------

TEST(CaseDemo, EverySuiteGoesOpenNosToCaseToOpenNosWithTheSameNativeExport) {
  test::ScratchDir dir;
  auto store = StoreIn(dir, "demo");
  ASSERT_TRUE(LoadDemo(*store).ok());
  auto list = store->ListFrameworks();
  ASSERT_TRUE(list.ok());
  ASSERT_FALSE(list->empty());
  for (const FrameworkSummary& s : *list) {
    const std::string name = s.framework.code + "@" + s.framework.edition;
    SCOPED_TRACE(name);
    auto native = ExportFramework(*store, s.framework.uuid, FileFormat::kNative);
    auto package = ExportFramework(*store, s.framework.uuid, FileFormat::kCase);
    ASSERT_TRUE(native.ok() && package.ok());
    const std::string path = dir.File(name + ".case.json");
    test::WriteFile(path, *package);

    test::ScratchDir other;
    auto second = test::OpenStoreIn(other.path());
    auto report = ImportFiles(*second, {path}, As("case-test"));
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_EQ(report->frameworks_created, 1);
    auto native_again = ExportFramework(*second, s.framework.uuid, FileFormat::kNative);
    ASSERT_TRUE(native_again.ok());
    EXPECT_TRUE(*native == *native_again)
        << "the native export differs after CASE: " << FirstDifference(*native, *native_again);
    auto package_again = ExportFramework(*second, s.framework.uuid, FileFormat::kCase);
    ASSERT_TRUE(package_again.ok());
    EXPECT_TRUE(*package == *package_again)
        << "the CASE export differs: " << FirstDifference(*package, *package_again);
  }
}

TEST(CaseDemo, EverySuiteWritesAVersion1p0PackageThatReadsBack) {
  test::ScratchDir dir;
  auto store = test::OpenStoreIn(dir.path());
  ASSERT_TRUE(LoadDemo(*store).ok());
  auto list = store->ListFrameworks();
  ASSERT_TRUE(list.ok());
  for (const FrameworkSummary& s : *list) {
    auto package = ExportFramework(*store, s.framework.uuid, FileFormat::kCase1p0);
    ASSERT_TRUE(package.ok());
    auto doc = ReadCasePackage(*package, s.framework.code);
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    auto original = store->LoadFramework(s.framework.uuid);
    ASSERT_TRUE(original.ok());
    EXPECT_EQ(doc->items.size(), original->items.size()) << s.framework.code;
    EXPECT_EQ(doc->associations.size(), original->associations.size()) << s.framework.code;
  }
}

// Any framework, not only the demo: the tiny native fixture carries a framework `extra` and an
// association to a node known only by its URI.
TEST(CaseFromNative, TheTinyFixtureGoesOpenNosToCaseToOpenNosUnchanged) {
  auto doc = ReadNative(test::ReadFile(test::Fixture("good/tiny.json")), "tiny.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const std::string native = WriteNative(*doc);
  const std::string package = Write(*doc);
  auto back = ReadCasePackage(package, "tiny.case.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  // CASE names every node by a UUID, the one known only by its URI too.
  const json::object written = ParseObject(package);
  for (const auto& e : written.at("CFAssociations").as_array()) {
    for (const char* end : {"originNodeURI", "destinationNodeURI"}) {
      const json::value& id = e.at(end).at("identifier");
      EXPECT_TRUE(CanonicalUuid(id.as_string()).has_value()) << Short(e);
    }
  }
  const std::string again = WriteNative(*back);
  if (again != native) {
    ADD_FAILURE() << "the native file differs after CASE: " << FirstDifference(native, again);
  }
}

// ---- what the fuzzers found --------------------------------------------------------------------

TEST(CaseWriter, CutsNoCharacterInTwoWhenItShortensATextForATitle) {
  // 58 ASCII bytes, then U+2014 (3 bytes) across byte 60.
  const std::string text = std::string(58, 'a') + "\xE2\x80\x94 and more";
  const std::string package =
      R"({"CFDocument": {"identifier": "b1a2c3d4-0000-4000-8000-00000000d0c1",
    "title": "Titles"}, "CFItems": [{"identifier": "b1a2c3d4-0001-4000-8000-0000000000c1",
    "fullStatement": ")" +
      text + R"("}]})";
  const FrameworkDoc doc = ReadOrThrow(package, "titles.json");
  const std::string exported = Write(doc);
  auto back = ReadCasePackage(exported, "export.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->items.at(0).text, text);
}

TEST(CaseWriter, WritesEveryIdentifierOnceEvenWhenAnAssociationHasATreeIdentifier) {
  auto doc = ReadNative(R"({"opennos": "framework/1",
    "framework": {"code": "DUP", "edition": "1", "title": "Duplicate identifiers"},
    "items": [{"uuid": "f92a394d-a536-5542-9c4b-7f313e32fab1", "type": "unit", "code": "U1", "title": "A unit"}],
    "associations": [{"uuid": "600d0211-1c1c-572a-a03d-fa8b7c87bbaa", "type": "isRelatedTo",
      "origin": {"code": "U1"}, "destination": {"uri": "https://example.org/x", "title": "X"}}]})",
                        "dup.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  auto back = ReadCasePackage(Write(*doc), "export.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->associations.size(), 1u);
}

TEST(CaseWriter, WritesAPackageThatReadsBackWhateverANativeFileKeptInExtra) {
  auto doc = ReadNative(R"({"opennos": "framework/1",
    "framework": {"code": "XTRA", "edition": "1", "title": "Kept CASE fields"},
    "items": [{"type": "unit", "code": "U1", "title": "A unit",
      "extra": {"case": {"childOf": {"identifier": "5e0c6a10-a000-4000-draft-000000000031"}}}}]})",
                        "extra.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  auto back = ReadCasePackage(Write(*doc), "export.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->items.size(), 1u);
}

// A tree association's identifier is the package's, kept in the model (Item::child_of_uuid);
// what an item's `extra` says of it is never read.
TEST(CaseReader, KeepsATreeAssociationsIdentifierInTheModelNotInExtra) {
  const FrameworkDoc doc = ReadOrThrow(test::ReadFile(CaseFixture(kFrontOfHouse)), kFrontOfHouse);
  const std::string tree = "5e0c6a10-a000-4000-8000-000000000011";
  const Item* p1 = nullptr;
  for (const Item& item : doc.items) {
    if (item.uuid == "5e0c6a10-0001-4000-8000-000000000002") p1 = &item;
  }
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->child_of_uuid, tree);
  const json::object extra = ParseObject(p1->extra);
  const json::object* child_of = Find(*Find(extra, "case"), "childOf");
  ASSERT_NE(child_of, nullptr) << p1->extra;
  EXPECT_FALSE(child_of->contains("identifier")) << p1->extra;
  EXPECT_TRUE(child_of->contains("uri")) << "the package's own URI is kept: " << p1->extra;
  const json::object exported = ParseObject(Write(doc));
  const json::object* a = WithIdentifier(exported, "CFAssociations", tree);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->at("originNodeURI").at("identifier").as_string(), p1->uuid);
}

TEST(CaseWriter, AnItemsExtraNeverSetsItsTreeAssociationsIdentifier) {
  // U1's extra names a UUID of its own, U2's the UUID of an association, U3's the UUID of an
  // item: none of them becomes a tree association's identifier.
  const std::string own = "5e0c6a10-a000-4000-8000-0000000000e1";
  const std::string association = "5e0c6a10-a000-4000-8000-0000000000e2";
  const std::string item = "5e0c6a10-0001-4000-8000-0000000000e3";
  auto doc = ReadNative(R"({"opennos": "framework/1",
    "framework": {"code": "XTRA", "edition": "1", "title": "Identifiers in extra"},
    "items": [
      {"type": "unit", "code": "U1", "title": "One",
       "extra": {"case": {"childOf": {"identifier": ")" + own + R"("}}}},
      {"type": "unit", "code": "U2", "title": "Two",
       "extra": {"case": {"childOf": {"identifier": ")" + association + R"("}}}},
      {"uuid": ")" + item + R"(", "type": "unit", "code": "U3", "title": "Three",
       "extra": {"case": {"childOf": {"identifier": ")" + item + R"("}}}}],
    "associations": [{"uuid": ")" + association + R"(", "type": "isRelatedTo",
      "origin": {"code": "U1"}, "destination": {"code": "U2"}}]})",
                        "extra.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const json::object exported = ParseObject(Write(*doc));
  std::set<std::string> identifiers;
  for (const auto& e : exported.at("CFAssociations").as_array()) {
    const std::string id(e.at("identifier").as_string());
    EXPECT_TRUE(identifiers.insert(id).second) << "two associations have " << id;
    if (e.at("associationType") == "isChildOf") {
      EXPECT_NE(id, own);
      EXPECT_NE(id, association);
      EXPECT_NE(id, item);
    }
  }
  EXPECT_EQ(identifiers.size(), 4u) << "three tree associations and the stated one";
  EXPECT_EQ(WithIdentifier(exported, "CFAssociations", association)->at("associationType"),
            "isRelatedTo");
}

TEST(CaseWriter, AnItemsOwnTreeIdentifierMustBeAUuidNoOtherEntityOfTheFrameworkHas) {
  const auto read = [](const std::string& u2_child_of) {
    return ReadNative(R"({"opennos": "framework/1",
      "framework": {"code": "TREE", "edition": "1", "title": "Tree identifiers"},
      "items": [
        {"uuid": "5e0c6a10-0001-4000-8000-0000000000f1", "type": "unit", "code": "U1",
         "title": "One", "childOfUuid": "5e0c6a10-a000-4000-8000-0000000000f1"},
        {"type": "unit", "code": "U2", "title": "Two", "childOfUuid": ")" +
                          u2_child_of + R"("}],
      "associations": [{"uuid": "5e0c6a10-a000-4000-8000-0000000000f2", "type": "isRelatedTo",
        "origin": {"code": "U1"}, "destination": {"code": "U2"}}]})",
                      "tree.json");
  };
  auto fine = read("5E0C6A10-A000-4000-8000-0000000000F3");
  ASSERT_TRUE(fine.ok()) << fine.status().message();
  EXPECT_EQ(test::ItemCoded(*fine, "U2").child_of_uuid, "5e0c6a10-a000-4000-8000-0000000000f3");
  const json::object exported = ParseObject(Write(*fine));
  ASSERT_NE(WithIdentifier(exported, "CFAssociations", "5e0c6a10-a000-4000-8000-0000000000f3"),
            nullptr);
  const auto back = ReadCasePackage(Write(*fine), "tree.case.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(WriteNative(*back), WriteNative(*fine));
  const struct {
    const char* value;
    const char* message;
  } refused[] = {
      {"not-a-uuid", "/items/1/childOfUuid"},
      {"5e0c6a10-a000-4000-8000-0000000000f1", "already used"},  // U1's tree association
      {"5e0c6a10-a000-4000-8000-0000000000f2", "already used"},  // the association
      {"5e0c6a10-0001-4000-8000-0000000000f1", "already used"},  // the item U1
  };
  for (const auto& r : refused) {
    auto doc = read(r.value);
    ASSERT_FALSE(doc.ok()) << r.value;
    EXPECT_NE(doc.status().message().find(r.message), std::string::npos)
        << doc.status().message();
  }
}

// ---- bad packages ----------------------------------------------------------------------------

struct BadPackage {
  const char* file;     // under tests/fixtures/case/bad/
  const char* pointer;  // the JSON pointer the message gives
  const char* place;    // for malformed JSON, "line L, column C"; else nullptr
};

const BadPackage kBadPackages[] = {
    {"association-without-origin.json", "/CFAssociations/4/originNodeURI", nullptr},
    {"byte-order-mark.json", "/", "line 1, column 1"},
    {"child-of-cycle.json", "/CFAssociations/", nullptr},
    {"document-title-not-a-string.json", "/CFDocument/title", nullptr},
    {"document-without-title.json", "/CFDocument/title", nullptr},
    {"duplicate-association-identifier.json", "/CFAssociations/5/identifier", nullptr},
    {"duplicate-item-identifier.json", "/CFItems/4/identifier", nullptr},
    {"empty-extension-association-type.json", "/CFAssociations/4/associationType", nullptr},
    {"full-statement-an-array.json", "/CFItems/2/fullStatement", nullptr},
    {"identifier-not-a-uuid.json", "/CFItems/2/identifier", nullptr},
    {"item-without-full-statement.json", "/CFItems/3/fullStatement", nullptr},
    {"item-without-identifier.json", "/CFItems/1/identifier", nullptr},
    {"items-not-an-array.json", "/CFItems", nullptr},
    {"no-document.json", "/CFDocument", nullptr},
    {"not-utf8.json", "/CFItems/2/fullStatement", "line 30, column"},
    {"sequence-number-a-boolean.json", "/CFAssociations/1/sequenceNumber", nullptr},
    {"sequence-number-not-a-number.json", "/CFAssociations/3/sequenceNumber", nullptr},
    {"truncated.json", "/CFItems/2/", "line 31, column"},
    {"unknown-association-type.json", "/CFAssociations/4/associationType", nullptr},
};

void PrintTo(const BadPackage& b, std::ostream* os) { *os << b.file; }

std::string BadPath(const BadPackage& b) { return CaseFixture(std::string("bad/") + b.file); }

class CaseBadPackage : public ::testing::TestWithParam<BadPackage> {};

TEST_P(CaseBadPackage, IsRefusedNamingTheFileAndThePlace) {
  const BadPackage& b = GetParam();
  auto doc = ReadCasePackage(test::ReadFile(BadPath(b)), b.file);
  ASSERT_FALSE(doc.ok()) << b.file << " was accepted";
  const std::string& message = doc.status().message();
  EXPECT_EQ(message.rfind(std::string(b.file) + ": ", 0), 0u) << message;
  if (b.place != nullptr) {
    EXPECT_NE(message.find(b.place), std::string::npos) << message;
  }
  EXPECT_NE(message.find(std::string(": ") + b.pointer), std::string::npos)
      << "no JSON pointer " << b.pointer << " in: " << message;
}

TEST_P(CaseBadPackage, ChangesNothingInAStore) {
  const BadPackage& b = GetParam();
  test::ScratchDir dir;
  auto store = test::OpenStoreIn(dir.path());
  ASSERT_TRUE(LoadDemo(*store).ok());
  ASSERT_TRUE(ImportFiles(*store, {CaseFixture(kWarehouse)}, As("case-test")).ok());
  const std::string db = test::DatabaseIn(dir.path());
  const test::StoreState before = test::CaptureState(*store, db);
  const std::string bad = BadPath(b);
  for (FileFormat format : {FileFormat::kAuto, FileFormat::kCase}) {
    for (const auto& files : {std::vector<std::string>{bad},
                              std::vector<std::string>{CaseFixture(kBreadMaking), bad}}) {
      ImportOptions options = As("case-test");
      options.format = format;
      auto report = ImportFiles(*store, files, options);
      ASSERT_FALSE(report.ok()) << b.file << " was imported";
      EXPECT_NE(report.status().message().find(bad), std::string::npos)
          << report.status().message();
      if (format == FileFormat::kCase && b.place == nullptr &&
          std::string(b.file) != "child-of-cycle.json") {
        EXPECT_NE(report.status().message().find(b.pointer), std::string::npos)
            << report.status().message();
      }
    }
  }
  test::ExpectSameState(before, test::CaptureState(*store, db));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CaseBadPackage, ::testing::ValuesIn(kBadPackages),
                         [](const auto& info) {
                           std::string words(info.param.file);
                           words = words.substr(0, words.size() - 5);
                           for (char& c : words)
                             if (c == '-') c = ' ';
                           return test::TestName(words);
                         });

TEST(CaseBadPackage, EveryFileOfTheBadDirectoryIsInTheTable) {
  std::set<std::string> listed;
  for (const BadPackage& b : kBadPackages) listed.insert(b.file);
  for (const auto& e : fs::directory_iterator(CaseFixture("bad"))) {
    EXPECT_TRUE(listed.count(e.path().filename().string())) << e.path().filename();
  }
}

TEST(CaseBadPackage, EachBreaksAValidPackage) {
  auto doc = ReadCasePackage(test::ReadFile(CaseFixture(kBreadMaking)), kBreadMaking);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->items.size(), 4u);
}

}  // namespace
}  // namespace opennos
