// `opennos search` and `opennos reindex`, run as a person runs them, on a fresh demo data
// directory.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "app/search_service.h"
#include "search/index.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

namespace json = boost::json;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class SearchCli : public ::testing::Test {
 protected:
  SearchCli() : data_(dir_.path() / "data") {}

  void SetUp() override {
    Ok({"init"});
    Ok({"demo"});
  }

  test::CliRun Opennos(const std::vector<std::string>& args) { return test::RunCli(data_, args); }
  // Runs a command that must succeed, and returns its standard output.
  std::string Ok(const std::vector<std::string>& args) {
    const test::CliRun run = Opennos(args);
    EXPECT_EQ(run.exit_code, 0) << args.front() << ": " << run.err;
    return run.out;
  }
  // Runs `search ... --json` and parses what it prints.
  json::object SearchJson(std::vector<std::string> args) {
    args.insert(args.begin(), "search");
    args.push_back("--json");
    const std::string out = Ok(args);
    json::error_code ec;
    json::value v = json::parse(out, ec);
    EXPECT_FALSE(ec) << "not JSON: " << out;
    return v.is_object() ? v.as_object() : json::object{};
  }
  std::string IndexDir() const { return opennos::IndexDir(data_.string()); }

  test::ScratchDir dir_;
  std::filesystem::path data_;
};

void ExpectString(const json::object& o, const char* key) {
  ASSERT_TRUE(o.contains(key)) << key << " missing from " << json::serialize(o);
  EXPECT_TRUE(o.at(key).is_string()) << key << " is not a string in " << json::serialize(o);
}

void ExpectInteger(const json::object& o, const char* key) {
  ASSERT_TRUE(o.contains(key)) << key << " missing from " << json::serialize(o);
  EXPECT_TRUE(o.at(key).is_int64() || o.at(key).is_uint64())
      << key << " is not a whole number in " << json::serialize(o);
}

// --- search --json -----------------------------------------------------------------------------

TEST_F(SearchCli, JsonHasTheShapeOfTheApi) {
  const json::object r = SearchJson({"budget"});
  EXPECT_EQ(r.at("query"), "budget");
  ExpectInteger(r, "total");
  EXPECT_GT(r.at("total").to_number<std::int64_t>(), 0);
  EXPECT_EQ(r.at("page"), 1);
  EXPECT_EQ(r.at("size"), 10);
  ExpectString(r, "suggestion");
  ExpectString(r, "message");

  ASSERT_TRUE(r.at("results").is_array());
  const json::array& results = r.at("results").as_array();
  ASSERT_FALSE(results.empty());
  for (const json::value& v : results) {
    const json::object& hit = v.as_object();
    for (const char* key : {"uuid", "type", "code", "urn", "title", "text", "snippet"}) {
      ExpectString(hit, key);
    }
    ASSERT_TRUE(hit.contains("unit"));
    EXPECT_TRUE(hit.at("unit").is_string() || hit.at("unit").is_null()) << json::serialize(hit);
    ASSERT_TRUE(hit.contains("score"));
    EXPECT_TRUE(hit.at("score").is_double() || hit.at("score").is_int64());
    ASSERT_TRUE(hit.contains("framework") && hit.at("framework").is_object());
    for (const char* key : {"uuid", "code", "edition"}) {
      ExpectString(hit.at("framework").as_object(), key);
    }
  }
  const json::object& first = results.front().as_object();
  EXPECT_EQ(first.at("urn"), "ODSMLD1");
  EXPECT_EQ(first.at("title"), "Manage a budget");
  EXPECT_EQ(first.at("framework").at("code"), "ML");
  EXPECT_EQ(first.at("framework").at("edition"), "2024");
  EXPECT_TRUE(Contains(std::string(first.at("snippet").as_string()), "<mark>"))
      << first.at("snippet");

  ASSERT_TRUE(r.at("facets").is_object());
  const json::object& facets = r.at("facets").as_object();
  for (const std::string& name : search::FacetNames()) {
    ASSERT_TRUE(facets.contains(name)) << name;
    for (const json::value& v : facets.at(name).as_array()) {
      ExpectString(v.as_object(), "value");
      ExpectInteger(v.as_object(), "count");
    }
  }
}

TEST_F(SearchCli, JsonPagesAndClampsTheSize) {
  const json::object page2 = SearchJson({"team", "--page", "2", "--size", "5"});
  EXPECT_EQ(page2.at("page"), 2);
  EXPECT_EQ(page2.at("size"), 5);
  EXPECT_EQ(page2.at("results").as_array().size(), 5u);
  EXPECT_EQ(SearchJson({"team", "--size", "1000"}).at("size"), 100);
  EXPECT_EQ(SearchJson({"team", "--size", "0"}).at("size"), 1);
  EXPECT_TRUE(SearchJson({"team", "--page", "999"}).at("results").as_array().empty());
}

TEST_F(SearchCli, FilterBySuiteRestrictsTheResults) {
  const json::object all = SearchJson({"coaching"});
  const json::object cm = SearchJson({"coaching", "--filter", "suite=CM@2023"});
  const json::array& results = cm.at("results").as_array();
  ASSERT_FALSE(results.empty());
  for (const json::value& v : results) {
    EXPECT_EQ(v.at("framework").at("code"), "CM") << json::serialize(v);
    EXPECT_EQ(v.at("framework").at("edition"), "2023") << json::serialize(v);
  }
  EXPECT_LT(cm.at("total").to_number<std::int64_t>(), all.at("total").to_number<std::int64_t>());
  const json::array& suites = cm.at("facets").at("suite").as_array();
  ASSERT_EQ(suites.size(), 1u) << json::serialize(suites);
  EXPECT_EQ(suites.front().at("value"), "CM@2023");
}

TEST_F(SearchCli, AFilterWithoutAnEqualsSignExitsOneSayingWhatItExpects) {
  const test::CliRun run = Opennos({"search", "budget", "--filter", "nonsense"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.err, "nonsense")) << run.err;
  EXPECT_TRUE(Contains(run.err, "KEY=VALUE")) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(SearchCli, AnUnknownFilterKeyExitsOneNamingTheKnownOnes) {
  const test::CliRun run = Opennos({"search", "budget", "--filter", "colour=red", "--json"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.err, "colour")) << run.err;
  EXPECT_TRUE(Contains(run.err, "suite")) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(SearchCli, JsonIsValidUtf8WhateverBytesWereTyped) {
  const test::CliRun run = Opennos({"search", "bud\xFFget", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(Contains(run.out, "\xFF"))
      << "search --json (like the API) prints the query's invalid byte back, so its output is "
         "not UTF-8 and strict JSON readers refuse it";
}

// --- search, for people --------------------------------------------------------------------------

TEST_F(SearchCli, PrintsTheCountAndEachUnitWithItsSuite) {
  const std::string out = Ok({"search", "budget"});
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(^\d+ results\n)"))) << out;
  EXPECT_TRUE(Contains(out, "ODSMLD1  Manage a budget  (ML@2024)")) << out;
}

TEST_F(SearchCli, OffersACorrectionForAMisspeltWord) {
  const std::string out = Ok({"search", "mentring"});
  EXPECT_TRUE(Contains(out, "Did you mean: mentoring")) << out;
  EXPECT_TRUE(Contains(out, "0 results")) << out;
}

TEST_F(SearchCli, SaysWhatToDoWithAnEmptyQuery) {
  EXPECT_TRUE(Contains(Ok({"search", ""}), "Type some words to search for."));
  EXPECT_TRUE(Contains(Ok({"search", "the of and"}), "too common"));
}

TEST_F(SearchCli, BuildsAMissingIndexBeforeSearching) {
  std::filesystem::remove_all(IndexDir());
  const json::object r = SearchJson({"budget"});
  EXPECT_EQ(r.at("results").as_array().front().at("urn"), "ODSMLD1");
  EXPECT_TRUE(std::filesystem::exists(IndexDir()));
}

TEST_F(SearchCli, ReadsTheIndexWhenAnotherProcessIsWritingIt) {
  auto writer = search::OpenWritableIndex(IndexDir());
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  const json::object r = SearchJson({"budget"});
  EXPECT_EQ(r.at("results").as_array().front().at("urn"), "ODSMLD1");
}

TEST_F(SearchCli, FailsClearlyWithoutData) {
  const test::CliRun run = test::RunCli(dir_.path() / "nowhere", {"search", "budget"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.err, "init")) << run.err;
}

// --- reindex -------------------------------------------------------------------------------------

TEST_F(SearchCli, ReindexRebuildsAndPrintsItsDocumentsAndTheUnitsAndStatementsInThem) {
  const std::string out = Ok({"reindex"});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      out, m,
      std::regex(R"(search index rebuilt: (\d+) documents \(one per unit or statement outside )"
                 R"(any unit\) holding (\d+) units and statements\n)")))
      << out;
  auto reader = search::OpenReadOnlyIndex(IndexDir());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ(std::stoll(m[1]), (*reader)->Documents());
  EXPECT_EQ(std::stoll(m[2]), (*reader)->Size());
  // The demo: 56 units (21 + 26 + 9), each a document holding its statements; no statement
  // outside a unit. `list` counts the same units and statements.
  std::int64_t units = 0, statements = 0;
  const json::value listed = json::parse(Ok({"list", "--json"}));
  for (const auto& f : listed.at("frameworks").as_array()) {
    units += f.at("units").to_number<std::int64_t>();
    statements += f.at("statements").to_number<std::int64_t>();
  }
  EXPECT_EQ(std::stoll(m[1]), units);
  EXPECT_EQ(std::stoll(m[2]), units + statements);
}

TEST_F(SearchCli, ReindexRecreatesADeletedOrCorruptIndex) {
  std::filesystem::remove_all(IndexDir());
  EXPECT_TRUE(Contains(Ok({"reindex"}), "search index rebuilt"));
  for (const auto& entry : std::filesystem::recursive_directory_iterator(IndexDir())) {
    if (entry.is_regular_file()) test::WriteFile(entry.path(), "garbage");
  }
  EXPECT_TRUE(Contains(Ok({"reindex"}), "search index rebuilt"));
  EXPECT_EQ(SearchJson({"budget"}).at("results").as_array().front().at("urn"), "ODSMLD1");
}

TEST_F(SearchCli, ReindexRefusesWhileAnotherProcessWritesTheIndex) {
  auto writer = search::OpenWritableIndex(IndexDir());
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  const test::CliRun run = Opennos({"reindex"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(Contains(run.err, "another process")) << run.err;
}

TEST_F(SearchCli, ImportKeepsTheIndexCurrent) {
  Ok({"import", test::Fixture("good/tiny.json")});
  const json::object r = SearchJson({"TNY01"});
  ASSERT_FALSE(r.at("results").as_array().empty()) << json::serialize(r);
  EXPECT_EQ(r.at("results").as_array().front().at("urn"), "TNY01");
}

}  // namespace
}  // namespace opennos
