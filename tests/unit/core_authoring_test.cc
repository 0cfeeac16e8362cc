// The pure parts of authoring: the word diff, JSON merge patch and the quality checks.

#include <gtest/gtest.h>

#include <algorithm>

#include "core/merge_patch.h"
#include "core/quality.h"
#include "core/similarity.h"
#include "core/word_diff.h"
#include "unit/doc_builder.h"

namespace opennos {
namespace {

namespace json = boost::json;
using Kind = DiffPiece::Kind;

// The diff written compactly: "=kept", "-removed", "+added", runs separated by " | ".
std::string Show(const std::vector<DiffPiece>& pieces) {
  std::string out;
  for (const auto& p : pieces) {
    if (!out.empty()) out += " | ";
    out += p.kind == Kind::kSame ? "=" : p.kind == Kind::kRemoved ? "-" : "+";
    out += p.text;
  }
  return out;
}

TEST(WordDiff, EqualTextsAreOneKeptRun) {
  EXPECT_EQ(Show(WordDiff("plan the work", "plan  the\nwork")), "=plan the work");
}

TEST(WordDiff, ShowsAReplacedWordAsRemovedThenAdded) {
  EXPECT_EQ(Show(WordDiff("agree the plan with your team", "agree the budget with your team")),
            "=agree the | -plan | +budget | =with your team");
}

TEST(WordDiff, ShowsInsertionsAndDeletionsInTheMiddle) {
  EXPECT_EQ(Show(WordDiff("identify risks early", "identify the main risks")),
            "=identify | +the main | =risks | -early");
}

TEST(WordDiff, HandlesEmptySides) {
  EXPECT_EQ(Show(WordDiff("", "new text")), "+new text");
  EXPECT_EQ(Show(WordDiff("old text", "")), "-old text");
  EXPECT_TRUE(WordDiff("", "").empty());
}

TEST(WordDiff, KeepsTheLongestCommonSubsequence) {
  // a b c a b b a -> c b a b a c: the LCS has 4 words.
  const auto pieces = WordDiff("a b c a b b a", "c b a b a c");
  size_t kept = 0;
  for (const auto& p : pieces) {
    if (p.kind == Kind::kSame) kept += std::count(p.text.begin(), p.text.end(), ' ') + 1;
  }
  EXPECT_EQ(kept, 4u);
}

TEST(WordDiff, RebuildsBothTextsFromThePieces) {
  const std::string a = "Monitor progress against the plan, and report to stakeholders.";
  const std::string b = "Monitor the team's progress against agreed plans and report it.";
  std::string before, after;
  for (const auto& p : WordDiff(a, b)) {
    if (p.kind != Kind::kAdded) before += (before.empty() ? "" : " ") + p.text;
    if (p.kind != Kind::kRemoved) after += (after.empty() ? "" : " ") + p.text;
  }
  EXPECT_EQ(before, a);
  EXPECT_EQ(after, b);
}

TEST(WordDiff, FallsBackToRemoveAndAddForHugeTexts) {
  std::string a, b;
  for (int i = 0; i < 2100; ++i) {
    a += "a" + std::to_string(i) + " ";
    b += "b" + std::to_string(i) + " ";
  }
  EXPECT_EQ(WordDiff(a, b).size(), 2u);
}

TEST(DiffSnapshots, ComparesFieldByField) {
  const auto fields = DiffSnapshots(R"({"title":"Plan work","keywords":["a","b"]})",
                                    R"({"title":"Plan the work","overview":"New"})");
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].field, "title");
  EXPECT_TRUE(fields[0].changed);
  EXPECT_EQ(Show(fields[0].pieces), "=Plan | +the | =work");
  EXPECT_EQ(fields[1].field, "keywords");
  EXPECT_EQ(Show(fields[1].pieces), "-a, b");
  EXPECT_EQ(fields[2].field, "overview");
}

TEST(DiffSnapshots, AnAbsentEntityHasNoFields) {
  const auto fields = DiffSnapshots("", R"({"cy":{"title":"Teitl"}})");
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].field, "cy.title");
}

// RFC 7386 appendix A, every example.
struct PatchCase {
  const char* target;
  const char* patch;
  const char* result;
};

class MergePatchExamples : public testing::TestWithParam<PatchCase> {};

TEST_P(MergePatchExamples, GiveTheRfcResult) {
  const auto& c = GetParam();
  EXPECT_EQ(json::serialize(ApplyMergePatch(json::parse(c.target), json::parse(c.patch))),
            json::serialize(json::parse(c.result)));
}

INSTANTIATE_TEST_SUITE_P(
    Rfc7386, MergePatchExamples,
    testing::Values(PatchCase{R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
                    PatchCase{R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
                    PatchCase{R"({"a":"b"})", R"({"a":null})", R"({})"},
                    PatchCase{R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
                    PatchCase{R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
                    PatchCase{R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
                    PatchCase{R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})",
                              R"({"a":{"b":"d"}})"},
                    PatchCase{R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
                    PatchCase{R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
                    PatchCase{R"({"a":"b"})", R"(["c"])", R"(["c"])"},
                    PatchCase{R"({"a":"foo"})", "null", "null"},
                    PatchCase{R"({"a":"foo"})", R"("bar")", R"("bar")"},
                    PatchCase{R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
                    PatchCase{R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
                    PatchCase{R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"}));

// A unit that passes every check: title, overview, review date, SOC code, criteria starting
// with verbs, knowledge, nothing repeated.
FrameworkDoc GoodDraft() {
  FrameworkDoc doc = test::EmptyFramework("QC", "2026");
  doc.framework.key_purpose = "Keep things working.";
  test::AddItem(doc, ItemType::kKeyArea, "A").title = "Area";
  Item& unit = test::AddItem(doc, ItemType::kUnit, "A1", "A");
  unit.title = "Plan work";
  unit.unit.overview = "About planning work.";
  unit.unit.review = "2029-01-01";
  unit.unit.occupations = {"1131"};
  test::AddItem(doc, ItemType::kPerformanceCriterion, "A1.P1", "A1").text =
      "Identify the objectives of the work.";
  test::AddItem(doc, ItemType::kPerformanceCriterion, "A1.P2", "A1").text =
      "Agree a budget with your manager.";
  test::AddItem(doc, ItemType::kKnowledge, "A1.K1", "A1").text =
      "How to estimate the cost of resources.";
  return doc;
}

std::vector<std::string> Ids(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.check);
  return out;
}

TEST(QualityChecks, AGoodDraftHasNoFindings) {
  const auto findings = RunQualityChecks(GoodDraft(), {});
  EXPECT_TRUE(findings.empty()) << findings.front().check << ": " << findings.front().message;
}

TEST(QualityChecks, EveryCheckHasAnIdFieldAndMessage) {
  std::vector<std::string_view> ids;
  for (const auto& c : QualityChecks()) {
    EXPECT_FALSE(c.id.empty());
    EXPECT_FALSE(c.field.empty());
    EXPECT_FALSE(c.message.empty());
    ids.push_back(c.id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "ids are unique";
}

struct QualityCase {
  const char* check;
  std::function<void(FrameworkDoc&)> breaks;
  const char* field;
  const char* message_part;
};

void PrintTo(const QualityCase& c, std::ostream* os) { *os << c.check; }

class QualityFinds : public testing::TestWithParam<QualityCase> {};

TEST_P(QualityFinds, TheProblemBesideItsField) {
  const auto& c = GetParam();
  FrameworkDoc doc = GoodDraft();
  c.breaks(doc);
  const std::unordered_set<std::string> soc{"1131", "2134"};
  QualityContext context;
  context.soc2020_codes = &soc;
  context.item_exists = [](const std::string&) { return false; };
  context.urn_exists = [](const std::string& urn) { return urn == "KNOWN1"; };
  const auto findings = RunQualityChecks(doc, context);
  ASSERT_EQ(findings.size(), 1u) << testing::PrintToString(Ids(findings));
  EXPECT_EQ(findings[0].check, c.check);
  EXPECT_EQ(findings[0].field, c.field);
  EXPECT_NE(findings[0].message.find(c.message_part), std::string::npos) << findings[0].message;
}

Item& Unit(FrameworkDoc& doc) { return test::ItemCoded(doc, "A1"); }

INSTANTIATE_TEST_SUITE_P(
    EachCheck, QualityFinds,
    testing::Values(
        QualityCase{"suite-key-purpose", [](FrameworkDoc& d) { d.framework.key_purpose = ""; },
                    "keyPurpose", "key purpose"},
        QualityCase{"unit-title", [](FrameworkDoc& d) { Unit(d).title = " "; }, "title",
                    "title"},
        QualityCase{"unit-overview", [](FrameworkDoc& d) { Unit(d).unit.overview = ""; },
                    "overview", "overview"},
        QualityCase{"unit-performance-criteria",
                    [](FrameworkDoc& d) {
                      std::erase_if(d.items, [](const Item& i) {
                        return i.type == ItemType::kPerformanceCriterion;
                      });
                    },
                    "performanceCriteria", "performance criterion"},
        QualityCase{"unit-knowledge",
                    [](FrameworkDoc& d) {
                      std::erase_if(d.items,
                                    [](const Item& i) { return i.type == ItemType::kKnowledge; });
                    },
                    "knowledge", "knowledge"},
        QualityCase{"criterion-verb",
                    [](FrameworkDoc& d) {
                      test::ItemCoded(d, "A1.P2").text = "The budget is agreed with a manager.";
                    },
                    "text", "\u201cthe\u201d"},
        QualityCase{"statement-duplicate",
                    [](FrameworkDoc& d) {
                      test::ItemCoded(d, "A1.P2").text = "identify THE objectives of work";
                    },
                    "text", "repeats A1.P1"},
        QualityCase{"statement-near-duplicate",
                    [](FrameworkDoc& d) {
                      test::ItemCoded(d, "A1.P1").text =
                          "Identify the objectives, priorities and budget of the team's work.";
                      test::ItemCoded(d, "A1.P2").text =
                          "Identify the objectives, priorities and budget of the team's work "
                          "plans.";
                    },
                    "text", "nearly the same as A1.P1"},
        QualityCase{"unit-review-date", [](FrameworkDoc& d) { Unit(d).unit.review = ""; },
                    "review", "review date"},
        QualityCase{"occupation-code-shape",
                    [](FrameworkDoc& d) { Unit(d).unit.occupations = {"113"}; }, "occupations",
                    "\u201c113\u201d"},
        QualityCase{"occupation-code-unknown",
                    [](FrameworkDoc& d) { Unit(d).unit.occupations = {"9999"}; },
                    "occupations", "9999"},
        QualityCase{"original-urn-unknown",
                    [](FrameworkDoc& d) { Unit(d).unit.original_urn = "NOPE1"; }, "originalUrn",
                    "NOPE1"},
        QualityCase{"link-broken",
                    [](FrameworkDoc& d) {
                      Association a;
                      a.uuid = "00000000-0000-4000-8000-000000000001";
                      a.framework_uuid = d.framework.uuid;
                      a.type = "isRelatedTo";
                      a.origin = {Unit(d).uuid, d.framework.uuid, "A1", "", ""};
                      a.destination = {"00000000-0000-4000-8000-0000000000ff", "", "ZZ9", "", ""};
                      d.associations.push_back(a);
                    },
                    "links", "ZZ9"}),
    [](const testing::TestParamInfo<QualityCase>& info) {
      std::string name;
      for (const char* p = info.param.check; *p != '\0'; ++p) {
        if (*p != '-') name += *p;
      }
      return name;
    });

TEST(QualityChecks, AKnownOriginalUrnAndAnExternalLinkPass) {
  FrameworkDoc doc = GoodDraft();
  Unit(doc).unit.original_urn = "KNOWN1";
  Association a;
  a.uuid = "00000000-0000-4000-8000-000000000001";
  a.framework_uuid = doc.framework.uuid;
  a.type = "isRelatedTo";
  a.origin = {Unit(doc).uuid, doc.framework.uuid, "A1", "", ""};
  a.destination = {"x-1", "", "", "https://example.org/x-1", "Outside"};
  doc.associations.push_back(a);
  QualityContext context;
  context.item_exists = [](const std::string&) { return false; };
  context.urn_exists = [](const std::string& urn) { return urn == "KNOWN1"; };
  EXPECT_TRUE(RunQualityChecks(doc, context).empty());
}

TEST(QualityChecks, WithoutSoc2020OnlyTheShapeIsChecked) {
  FrameworkDoc doc = GoodDraft();
  Unit(doc).unit.occupations = {"9999", "12a4"};
  EXPECT_EQ(Ids(RunQualityChecks(doc, {})), std::vector<std::string>{"occupation-code-shape"});
}

TEST(StartsWithVerb, KnowsCommonCriterionVerbsInAnyForm) {
  EXPECT_TRUE(StartsWithVerb("Identify the risks"));
  EXPECT_TRUE(StartsWithVerb("  agree targets"));
  EXPECT_TRUE(StartsWithVerb("Prioritises work"));
  EXPECT_FALSE(StartsWithVerb("The risks are identified"));
  EXPECT_FALSE(StartsWithVerb("Risks"));
  EXPECT_FALSE(StartsWithVerb(""));
}

TEST(StatementSimilarity, IsOneForTheSameTermsAndLowForDifferentOnes) {
  EXPECT_DOUBLE_EQ(StatementSimilarity("Plan the work.", "plan THE work"), 1.0);
  EXPECT_LT(StatementSimilarity("Plan the work", "Record the accident"), 0.2);
  EXPECT_DOUBLE_EQ(StatementSimilarity("", ""), 1.0);
}

}  // namespace
}  // namespace opennos
