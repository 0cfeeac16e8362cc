// The four analyses over frameworks: duplicates, coverage, crosswalk and editions, their JSON
// shapes, the edge cases (empty frameworks, one statement, stop words only, thresholds outside
// (0, 1], a framework against itself), and the demo's editions reproduced from its authored
// mappings and from similarity alone.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <set>

#include "analysis/report_json.h"
#include "analysis/reports.h"
#include "app/demo.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"

namespace opennos::analysis {
namespace {

namespace json = boost::json;
using test::AddItem;

// Units U1..U3 under key areas A and B, with a planted near-duplicate across three units and a
// statement of stop words only.
FrameworkDoc Suite(const std::string& code = "DUP") {
  FrameworkDoc doc = test::EmptyFramework(code, "2024");
  AddItem(doc, ItemType::kKeyArea, "A").title = "Working with people";
  AddItem(doc, ItemType::kUnit, "U1", "A").unit.urn = code + "U1";
  AddItem(doc, ItemType::kPerformanceCriterion, "U1.P1", "U1").text =
      "Agree your work objectives with your line manager.";
  AddItem(doc, ItemType::kPerformanceCriterion, "U1.P2", "U1").text =
      "Keep records of the training you have completed.";
  AddItem(doc, ItemType::kUnit, "U2", "A").unit.urn = code + "U2";
  AddItem(doc, ItemType::kPerformanceCriterion, "U2.P1", "U2").text =
      "Agree work objectives with your line manager";
  AddItem(doc, ItemType::kKnowledge, "U2.K1", "U2").text = "what it is and how it will be";
  AddItem(doc, ItemType::kKeyArea, "B", "").title = "Managing resources";
  AddItem(doc, ItemType::kUnit, "U3", "B").unit.urn = code + "U3";
  AddItem(doc, ItemType::kPerformanceCriterion, "U3.P1", "U3").text =
      "AGREE YOUR WORK OBJECTIVES WITH YOUR LINE MANAGER";
  AddItem(doc, ItemType::kPerformanceCriterion, "U3.P2", "U3").text =
      "Monitor spending against the agreed budget.";
  return doc;
}

RunOptions At(double t) {
  RunOptions o;
  o.threshold = t;
  return o;
}

json::object Parse(const std::string& text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  EXPECT_FALSE(ec) << "not JSON: " << text;
  return v.is_object() ? v.as_object() : json::object{};
}

std::string Code(const json::value& item) { return std::string(item.at("code").as_string()); }

// --- thresholds ----------------------------------------------------------------------------------

TEST(AnalysisThreshold, AcceptsOnlyValuesAboveZeroUpToOne) {
  EXPECT_TRUE(CheckThreshold(1.0).ok());
  EXPECT_TRUE(CheckThreshold(0.0001).ok());
  for (double bad : {0.0, -0.5, 1.0001, 2.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    const Status s = CheckThreshold(bad);
    EXPECT_EQ(s.code(), Status::Code::kInvalid) << bad;
    EXPECT_NE(s.message().find("threshold"), std::string::npos) << s.message();
  }
}

TEST(AnalysisThreshold, EveryAnalysisRefusesOneOutsideTheRange) {
  const FrameworkDoc a = Suite("A"), b = Suite("B");
  for (double bad : {0.0, 1.5, -1.0}) {
    EXPECT_FALSE(FindDuplicates(a, At(bad)).ok());
    EXPECT_FALSE(FindCoverage(a, b, At(bad)).ok());
    EXPECT_FALSE(FindCrosswalk(a, b, At(bad), 1.0).ok());
    EXPECT_FALSE(CompareEditions(a, b, EditionsReport::By::kAuto, At(bad)).ok());
  }
}

// --- duplicates ----------------------------------------------------------------------------------

TEST(Duplicates, FindsTheNearIdenticalStatementsAcrossUnitsAndClustersThem) {
  const FrameworkDoc doc = Suite();
  auto r = FindDuplicates(doc, At(0.8));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->pairs.size(), 3u);
  std::set<std::pair<std::string, std::string>> pairs;
  for (const Pair& p : r->pairs) {
    pairs.emplace(r->statements.items[p.a]->code, r->statements.items[p.b]->code);
    EXPECT_GE(p.score, 0.8f);
  }
  EXPECT_EQ(pairs, (std::set<std::pair<std::string, std::string>>{
                       {"U1.P1", "U2.P1"}, {"U1.P1", "U3.P1"}, {"U2.P1", "U3.P1"}}));
  ASSERT_EQ(r->clusters.size(), 1u);
  EXPECT_EQ(r->clusters[0].size(), 3u);
  EXPECT_EQ(r->without_terms, 1u) << "U2.K1 is stop words only";
  ASSERT_EQ(r->units.size(), 3u);
  EXPECT_EQ(r->units[0].pairs, 1u);
}

TEST(Duplicates, OrdersPairsByScoreThenByPlace) {
  const FrameworkDoc doc = Suite();
  auto r = FindDuplicates(doc, At(0.1));
  ASSERT_TRUE(r.ok());
  for (std::size_t i = 1; i < r->pairs.size(); ++i) {
    const Pair &p = r->pairs[i - 1], &q = r->pairs[i];
    EXPECT_TRUE(p.score > q.score || (p.score == q.score && std::tie(p.a, p.b) < std::tie(q.a, q.b)));
  }
}

TEST(Duplicates, JsonHasTheDocumentedShape) {
  const FrameworkDoc doc = Suite();
  auto r = FindDuplicates(doc, At(0.8));
  ASSERT_TRUE(r.ok());
  const json::object o = Parse(DuplicatesJson(*r));
  EXPECT_EQ(o.at("threshold").as_double(), 0.8);
  const auto& pairs = o.at("pairs").as_array();
  ASSERT_EQ(pairs.size(), 3u);
  const auto& a = pairs[0].at("a").as_object();
  EXPECT_EQ(a.at("id").as_string(), test::ItemCoded(const_cast<FrameworkDoc&>(doc), Code(a)).uuid);
  EXPECT_EQ(a.at("unit").as_string().subview(0, 5), "DUPU1");
  EXPECT_TRUE(pairs[0].at("score").is_double());
  EXPECT_EQ(o.at("clusters").as_array()[0].at("items").as_array().size(), 3u);
  EXPECT_EQ(o.at("units").as_array().size(), 3u);
  EXPECT_EQ(o.at("statements").as_int64(), 6);
  EXPECT_EQ(o.at("framework").at("code").as_string(), "DUP");
}

TEST(Duplicates, LongListsWrittenInPartsComeOutWholeAndInOrder) {
  // 200 statements in 200 units, all alike: 19,900 pairs and 19,900 unit pairs, more than one
  // part's worth, so the lists are written in parts (on every core) and joined.
  FrameworkDoc doc = test::EmptyFramework("MANY", "2024");
  for (int u = 0; u < 200; ++u) {
    const std::string unit = "U" + std::to_string(u);
    AddItem(doc, ItemType::kUnit, unit).unit.urn = "MANY" + unit;
    AddItem(doc, ItemType::kPerformanceCriterion, unit + ".P1", unit).text =
        u % 2 ? "Agree \"your\" work objectives with your line manager"
              : "Agree your work objectives with your line manager";
  }
  auto r = FindDuplicates(doc, At(0.8));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pairs.size(), 19900u);
  const std::string text = DuplicatesJson(*r);
  const json::object o = Parse(text);
  const auto& pairs = o.at("pairs").as_array();
  ASSERT_EQ(pairs.size(), r->pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    ASSERT_EQ(Code(pairs[i].at("a")), r->statements.items[r->pairs[i].a]->code) << i;
    ASSERT_EQ(Code(pairs[i].at("b")), r->statements.items[r->pairs[i].b]->code) << i;
  }
  const auto& units = o.at("units").as_array();
  ASSERT_EQ(units.size(), r->units.size());
  for (std::size_t i = 0; i < units.size(); ++i) {
    ASSERT_EQ(units[i].at("a").at("id").as_string(), r->units[i].a->uuid) << i;
    ASSERT_EQ(units[i].at("b").at("id").as_string(), r->units[i].b->uuid) << i;
  }
}

TEST(Duplicates, AnEmptyFrameworkOrOneStatementHasNoPairs) {
  FrameworkDoc empty = test::EmptyFramework("EMPTY", "1");
  auto r = FindDuplicates(empty, At(0.8));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->pairs.empty());
  EXPECT_TRUE(r->clusters.empty());
  EXPECT_EQ(Parse(DuplicatesJson(*r)).at("statements").as_int64(), 0);

  FrameworkDoc one = test::EmptyFramework("ONE", "1");
  AddItem(one, ItemType::kUnit, "U1");
  AddItem(one, ItemType::kPerformanceCriterion, "U1.P1", "U1");
  auto single = FindDuplicates(one, At(0.01));
  ASSERT_TRUE(single.ok());
  EXPECT_TRUE(single->pairs.empty());
  EXPECT_EQ(single->statements.size(), 1u);
}

TEST(Duplicates, StatementsOfOnlyStopWordsMatchNothingEvenEachOther) {
  FrameworkDoc doc = test::EmptyFramework("STOP", "1");
  AddItem(doc, ItemType::kUnit, "U1");
  AddItem(doc, ItemType::kPerformanceCriterion, "U1.P1", "U1").text = "The and of it";
  AddItem(doc, ItemType::kPerformanceCriterion, "U1.P2", "U1").text = "the AND of it";
  AddItem(doc, ItemType::kPerformanceCriterion, "U1.P3", "U1").text = "";
  auto r = FindDuplicates(doc, At(0.01));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->pairs.empty());
  EXPECT_EQ(r->without_terms, 3u);
}

TEST(Duplicates, ACancelledRunSaysSo) {
  const FrameworkDoc doc = Suite();
  std::atomic<bool> cancel{true};
  RunOptions o = At(0.8);
  o.cancel = &cancel;
  auto r = FindDuplicates(doc, o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->cancelled);
}

// --- coverage ------------------------------------------------------------------------------------

TEST(Coverage, GivesEachStatementItsBestMatchAndTheGaps) {
  const FrameworkDoc doc = Suite("A");
  FrameworkDoc other = test::EmptyFramework("B", "1");
  AddItem(other, ItemType::kUnit, "X1").unit.urn = "BX1";
  AddItem(other, ItemType::kPerformanceCriterion, "X1.P1", "X1").text =
      "Agree objectives with a line manager";
  AddItem(other, ItemType::kPerformanceCriterion, "X1.P2", "X1").text =
      "Monitor the spending against a budget";
  auto r = FindCoverage(doc, other, At(0.5));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const json::object o = Parse(CoverageJson(*r));
  std::set<std::string> covered, gaps;
  for (const auto& c : o.at("covered").as_array()) {
    covered.insert(Code(c.at("item")));
    EXPECT_EQ(c.at("best").at("item").at("unit").as_string(), "BX1");
    EXPECT_GE(c.at("best").at("score").as_double(), 0.5);
  }
  for (const auto& g : o.at("uncovered").as_array()) gaps.insert(Code(g));
  EXPECT_EQ(covered, (std::set<std::string>{"U1.P1", "U2.P1", "U3.P1", "U3.P2"}));
  EXPECT_EQ(gaps, (std::set<std::string>{"U1.P2", "U2.K1"}));
  EXPECT_NEAR(o.at("ratio").as_double(), 4.0 / 6.0, 1e-9);
  const auto& areas = o.at("key_areas").as_array();
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0].at("key_area").at("code").as_string(), "A");
  EXPECT_EQ(areas[0].at("covered").as_int64(), 2);
  EXPECT_EQ(areas[0].at("statements").as_int64(), 4);
  EXPECT_EQ(areas[1].at("covered").as_int64(), 2);
  const auto& units = o.at("units").as_array();
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(units[2].at("best_unit").at("code").as_string(), "X1");
  EXPECT_EQ(units[2].at("best_unit_covers").as_int64(), 2);
}

TEST(Coverage, AFrameworkAgainstItselfCoversEveryStatementWithWords) {
  const FrameworkDoc doc = Suite();
  auto r = FindCoverage(doc, doc, At(0.9));
  ASSERT_TRUE(r.ok());
  for (std::size_t i = 0; i < r->statements.size(); ++i) {
    if (r->statements.items[i]->code == "U2.K1") {
      EXPECT_FALSE(r->best[i]) << "stop words only: nothing to match";
      continue;
    }
    ASSERT_TRUE(r->best[i]) << r->statements.items[i]->code;
    EXPECT_NEAR(r->best[i]->score, 1.0, 1e-6);
  }
}

TEST(Coverage, AgainstAnEmptyFrameworkEverythingIsAGap) {
  const FrameworkDoc doc = Suite();
  const FrameworkDoc empty = test::EmptyFramework("EMPTY", "1");
  auto r = FindCoverage(doc, empty, At(0.5));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->covered, 0u);
  const json::object o = Parse(CoverageJson(*r));
  EXPECT_EQ(o.at("uncovered").as_array().size(), 6u);
  EXPECT_EQ(o.at("ratio").as_double(), 0.0);
  auto none = FindCoverage(empty, doc, At(0.5));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(Parse(CoverageJson(*none)).at("ratio").is_null()) << "no statements: no ratio";
}

// --- crosswalk -----------------------------------------------------------------------------------

TEST(Crosswalk, SuggestsExactMatchesAndRelatedStatementsWithScores) {
  const FrameworkDoc a = Suite("A"), b = Suite("B");
  auto r = FindCrosswalk(a, b, At(0.1), 0.99);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const json::object o = Parse(CrosswalkJson(*r));
  std::set<std::string> types;
  for (const auto& p : o.at("pairs").as_array()) {
    const double score = p.at("score").as_double();
    types.insert(std::string(p.at("type").as_string()));
    EXPECT_EQ(p.at("type").as_string(), score >= 0.99 ? "exactMatchOf" : "isRelatedTo");
    EXPECT_EQ(p.at("a").at("unit").as_string().subview(0, 1), "A");
    EXPECT_EQ(p.at("b").at("unit").as_string().subview(0, 1), "B");
  }
  EXPECT_EQ(types, (std::set<std::string>{"exactMatchOf", "isRelatedTo"}));
}

TEST(Crosswalk, RefusesAFrameworkWithItselfAndABadExactThreshold) {
  const FrameworkDoc a = Suite("A"), b = Suite("B");
  auto self = FindCrosswalk(a, a, At(0.5), 0.9);
  ASSERT_FALSE(self.ok());
  EXPECT_NE(self.status().message().find("duplicates"), std::string::npos);
  EXPECT_FALSE(FindCrosswalk(a, b, At(0.5), 0.4).ok()) << "exact below the threshold";
  EXPECT_FALSE(FindCrosswalk(a, b, At(0.5), 1.1).ok());
}

// --- editions ------------------------------------------------------------------------------------

TEST(Editions, AnEditionAgainstItselfIsRefused) {
  const FrameworkDoc a = Suite();
  auto r = CompareEditions(a, a, EditionsReport::By::kAuto, At(0.3));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalid);
}

TEST(Editions, EmptyEditionsGiveEmptyLists) {
  const FrameworkDoc a = test::EmptyFramework("E", "1"), b = test::EmptyFramework("E", "2");
  auto r = CompareEditions(a, b, EditionsReport::By::kAuto, At(0.3));
  ASSERT_TRUE(r.ok());
  const json::object o = Parse(EditionsJson(*r));
  for (const char* key : {"added", "removed", "changed", "merged", "split", "unchanged"}) {
    EXPECT_TRUE(o.at(key).as_array().empty()) << key;
  }
  auto added = CompareEditions(a, Suite(), EditionsReport::By::kAuto, At(0.3));
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->added.size(), 3u);
}

// The demo's two Management and Leadership editions, loaded as `opennos demo` loads them.
class DemoEditions : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStoreIn(dir_.path());
    ASSERT_TRUE(LoadDemo(*store_).ok());
    older_ = Load("ML@2012");
    newer_ = Load("ML@2024");
  }
  FrameworkDoc Load(const std::string& name) {
    auto uuid = ResolveFramework(*store_, name);
    EXPECT_TRUE(uuid.ok()) << name;
    auto doc = store_->LoadFramework(*uuid);
    EXPECT_TRUE(doc.ok());
    return *doc;
  }
  // The authored replacedBy links between the two editions, by unit code.
  std::set<std::pair<std::string, std::string>> Authored() const {
    std::map<std::string, std::string> codes;
    for (const auto* doc : {&older_, &newer_}) {
      for (const Item& i : doc->items) codes[i.uuid] = i.code;
    }
    std::set<std::pair<std::string, std::string>> out;
    for (const Association& a : older_.associations) {
      if (a.type == "replacedBy") out.emplace(codes[a.origin.uuid], codes[a.destination.uuid]);
    }
    return out;
  }
  static std::set<std::pair<std::string, std::string>> Links(const EditionsReport& r) {
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& l : r.links) out.emplace(l.from->code, l.to->code);
    return out;
  }
  static std::set<std::string> Codes(const std::vector<EditionsReport::Entry>& list, bool from) {
    std::set<std::string> out;
    for (const auto& e : list) {
      for (const Item* u : from ? e.from : e.to) out.insert(u->code);
    }
    return out;
  }

  test::ScratchDir dir_;
  std::unique_ptr<Store> store_;
  FrameworkDoc older_, newer_;
};

TEST_F(DemoEditions, TheReportReproducesTheAuthoredMappings) {
  ASSERT_EQ(Authored().size(), 21u);
  for (auto by : {EditionsReport::By::kAuto, EditionsReport::By::kAuthored}) {
    auto r = CompareEditions(older_, newer_, by, At(0.3));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(Links(*r), Authored());
    for (const auto& l : r->links) EXPECT_TRUE(l.authored);
    EXPECT_EQ(r->unchanged.size(), 4u);
    EXPECT_EQ(r->changed.size(), 11u);
    EXPECT_EQ(r->merged.size(), 2u);
    EXPECT_EQ(r->split.size(), 1u);
    EXPECT_EQ(r->removed.size(), 6u);
    EXPECT_EQ(r->added.size(), 2u);
    EXPECT_EQ(Codes(r->merged, true), (std::set<std::string>{"C3", "C4", "E1", "E2"}));
    EXPECT_EQ(Codes(r->split, true), (std::set<std::string>{"D2"}));
    EXPECT_EQ(Codes(r->removed, true),
              (std::set<std::string>{"A3", "A4", "B1", "B6", "D3", "D4"}));
    EXPECT_EQ(Codes(r->added, false), (std::set<std::string>{"A3", "F3"}));
  }
}

TEST_F(DemoEditions, SimilarityAloneFindsTheSameMappings) {
  for (double t : {0.25, 0.3, 0.35}) {
    auto r = CompareEditions(older_, newer_, EditionsReport::By::kSimilarity, At(t));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(Links(*r), Authored()) << "at threshold " << t;
    for (const auto& l : r->links) {
      EXPECT_FALSE(l.authored);
      EXPECT_GE(l.score, 0.25f);
    }
  }
}

TEST_F(DemoEditions, WithoutAuthoredLinksTheUnitsAreMatchedBySimilarity) {
  const auto authored = Authored();
  newer_.associations.clear();
  older_.associations.clear();
  auto r = CompareEditions(older_, newer_, EditionsReport::By::kAuto, At(0.3));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Links(*r), authored);
  const json::object o = Parse(EditionsJson(*r));
  EXPECT_EQ(o.at("changed").as_array()[0].at("source").as_string(), "similarity");
  EXPECT_EQ(o.at("counts").at("unchanged").as_int64(), 4);
}

}  // namespace
}  // namespace opennos::analysis
