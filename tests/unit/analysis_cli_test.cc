// `opennos analyse ...`, run as a person runs it, on a fresh demo data directory: the tables,
// --json in the documented shapes, clear errors, and crosswalk suggestions stored and decided.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "unit/test_support.h"

namespace opennos {
namespace {

namespace json = boost::json;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class AnalyseCli : public ::testing::Test {
 protected:
  AnalyseCli() : data_(dir_.path() / "data") {}
  void SetUp() override {
    Ok({"init"});
    Ok({"demo"});
  }
  test::CliRun Opennos(const std::vector<std::string>& args) { return test::RunCli(data_, args); }
  std::string Ok(const std::vector<std::string>& args) {
    const test::CliRun run = Opennos(args);
    EXPECT_EQ(run.exit_code, 0) << args.front() << ": " << run.err;
    return run.out;
  }
  json::object Json(std::vector<std::string> args) {
    args.insert(args.begin(), "analyse");
    args.push_back("--json");
    const std::string out = Ok(args);
    json::error_code ec;
    json::value v = json::parse(out, ec);
    EXPECT_FALSE(ec) << "not JSON: " << out;
    return v.is_object() ? v.as_object() : json::object{};
  }
  test::ScratchDir dir_;
  std::filesystem::path data_;
};

TEST_F(AnalyseCli, DuplicatesPrintsATableOfPairsAndTheUnitsThatShareMost) {
  const std::string out = Ok({"analyse", "duplicates", "ML", "--threshold", "0.6"});
  EXPECT_TRUE(Contains(out, "ML@2024 Management and Leadership: 448 statements")) << out;
  EXPECT_TRUE(Contains(out, "Units that share most")) << out;
  EXPECT_TRUE(Contains(out, "1.000  ")) << out;
}

TEST_F(AnalyseCli, DuplicatesJsonNamesItemsByIdCodeAndUnit) {
  const json::object o = Json({"duplicates", "ML@2024", "--threshold", "0.6"});
  EXPECT_EQ(o.at("threshold").as_double(), 0.6);
  const auto& pairs = o.at("pairs").as_array();
  ASSERT_FALSE(pairs.empty());
  for (const char* end : {"a", "b"}) {
    const auto& item = pairs[0].at(end).as_object();
    EXPECT_EQ(item.at("id").as_string().size(), 36u);
    EXPECT_FALSE(item.at("code").as_string().empty());
    EXPECT_EQ(item.at("unit").as_string().subview(0, 5), "ODSML") << json::serialize(item);
  }
  EXPECT_FALSE(o.at("clusters").as_array().empty());
  // The same run by UUID gives the same report.
  const json::object by_uuid =
      Json({"duplicates", std::string(o.at("framework").at("uuid").as_string()), "--threshold", "0.6"});
  EXPECT_EQ(json::serialize(by_uuid), json::serialize(o));
}

TEST_F(AnalyseCli, ThresholdsOutsideZeroToOneAreRefusedClearly) {
  for (const char* t : {"0", "-0.2", "1.01", "nan"}) {
    const test::CliRun run = Opennos({"analyse", "duplicates", "ML", "--threshold", t});
    EXPECT_EQ(run.exit_code, 1) << t << ": " << run.err;
    EXPECT_TRUE(Contains(run.err, "threshold must be above 0 and at most 1")) << run.err;
    EXPECT_TRUE(run.out.empty());
  }
  EXPECT_EQ(Opennos({"analyse", "duplicates", "ML", "--threshold", "1"}).exit_code, 0);
}

TEST_F(AnalyseCli, AnUnknownFrameworkIsNamedInTheError) {
  const test::CliRun run = Opennos({"analyse", "coverage", "ML", "--against", "NOPE"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.err, "NOPE")) << run.err;
}

TEST_F(AnalyseCli, CoverageGivesGapsKeyAreasAndAnSvgChart) {
  const std::string svg = (dir_.path() / "chart.svg").string();
  const std::string out = Ok({"analyse", "coverage", "ML@2024", "--against", "ML@2012", "--svg", svg});
  EXPECT_TRUE(Contains(out, "How ML@2012 covers ML@2024 at threshold 0.5")) << out;
  EXPECT_TRUE(Contains(out, "Gaps (")) << out;
  const std::string chart = test::ReadFile(svg);
  EXPECT_TRUE(Contains(chart, "<svg")) << chart;
  EXPECT_TRUE(Contains(chart, "role=\"img\""));
  const json::object o = Json({"coverage", "ML@2024", "--against", "ML@2012"});
  const double ratio = o.at("ratio").as_double();
  EXPECT_GT(ratio, 0.0);
  EXPECT_LT(ratio, 1.0);
  EXPECT_EQ(o.at("covered").as_array().size() + o.at("uncovered").as_array().size(),
            static_cast<std::size_t>(o.at("statements").as_int64()));
  EXPECT_EQ(o.at("key_areas").as_array().size(), 6u);
}

TEST_F(AnalyseCli, EditionsReproduceTheDemoMappings) {
  const json::object o = Json({"editions", "ML@2012", "ML@2024"});
  const auto& counts = o.at("counts").as_object();
  EXPECT_EQ(counts.at("unchanged").as_int64(), 4);
  EXPECT_EQ(counts.at("changed").as_int64(), 11);
  EXPECT_EQ(counts.at("merged").as_int64(), 2);
  EXPECT_EQ(counts.at("split").as_int64(), 1);
  EXPECT_EQ(counts.at("removed").as_int64(), 6);
  EXPECT_EQ(counts.at("added").as_int64(), 2);
  const json::object sim = Json({"editions", "ML@2012", "ML@2024", "--by", "similarity"});
  EXPECT_EQ(json::serialize(sim.at("counts")), json::serialize(o.at("counts")));
  const std::string table = Ok({"analyse", "editions", "ML@2012", "ML@2024"});
  EXPECT_TRUE(Contains(table, "4 unchanged, 11 changed, 2 merged, 1 split, 6 removed, 2 added"))
      << table;
  const test::CliRun self = Opennos({"analyse", "editions", "ML@2024", "ML"});
  EXPECT_EQ(self.exit_code, 1);
  EXPECT_TRUE(Contains(self.err, "two different editions")) << self.err;
  EXPECT_EQ(Opennos({"analyse", "editions", "ML@2012", "ML", "--by", "guess"}).exit_code, 1);
}

TEST_F(AnalyseCli, CrosswalkSuggestionsAreStoredDecidedAndKeptOnARerun) {
  const json::object shown = Json({"crosswalk", "CM", "ML", "--threshold", "0.4"});
  ASSERT_FALSE(shown.at("pairs").as_array().empty());
  EXPECT_TRUE(Json({"suggestions", "CM"}).at("suggestions").as_array().empty())
      << "showing a crosswalk stores nothing";

  const test::CliRun stored =
      Opennos({"analyse", "crosswalk", "CM", "ML", "--threshold", "0.4", "--store", "--as", "ana"});
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  EXPECT_TRUE(Contains(stored.err, "added")) << stored.err;
  const auto list = Json({"suggestions", "CM"}).at("suggestions").as_array();
  ASSERT_EQ(list.size(), shown.at("pairs").as_array().size());
  const std::string id(list[0].at("id").as_string());
  EXPECT_EQ(list[0].at("decision").as_string(), "pending");

  const std::string accepted = Ok({"analyse", "accept", "CM", id, "--as", "ana"});
  EXPECT_TRUE(Contains(accepted, id + " accepted")) << accepted;
  // Running the crosswalk again never undoes a decision.
  Ok({"analyse", "crosswalk", "CM", "ML", "--threshold", "0.4", "--store", "--as", "ana"});
  bool found = false;
  const json::object after = Json({"suggestions", "CM"});
  for (const auto& s : after.at("suggestions").as_array()) {
    if (s.at("id").as_string() == id) {
      found = true;
      EXPECT_EQ(s.at("decision").as_string(), "accepted");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(Contains(Ok({"analyse", "reject", "CM", id}), "rejected"));
}

TEST_F(AnalyseCli, DecidingSomethingThatIsNotASuggestionFails) {
  const test::CliRun missing =
      Opennos({"analyse", "accept", "CM", "00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Contains(missing.err, "no suggestion")) << missing.err;
  const test::CliRun bad = Opennos({"analyse", "reject", "CM", "not-a-uuid"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(Contains(bad.err, "not a UUID")) << bad.err;
  const test::CliRun self = Opennos({"analyse", "crosswalk", "ML", "ML@2024"});
  EXPECT_EQ(self.exit_code, 1);
  EXPECT_TRUE(Contains(self.err, "two different frameworks")) << self.err;
}

TEST_F(AnalyseCli, ShowsAProgressBarWhenAsked) {
  const test::CliRun run = Opennos({"analyse", "duplicates", "ML", "--progress"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(Contains(run.err, "analysing [")) << run.err;
  EXPECT_TRUE(Contains(run.err, "100%")) << run.err;
  EXPECT_TRUE(Opennos({"analyse", "duplicates", "ML"}).err.empty()) << "no bar off a terminal";
}

}  // namespace
}  // namespace opennos
