// Search never falls over: odd queries answer with results or a message, filters and facets
// agree, and the index survives imports, corruption, a missing directory and a second writer.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/demo.h"
#include "app/importer.h"
#include "search/index.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

namespace fs = std::filesystem;

// True when `s` is well-formed UTF-8 (no stray, overlong, surrogate or truncated sequences).
bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    unsigned min = 0;
    unsigned code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      code = (code << 6) | (d & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

search::Query Text(const std::string& text) {
  search::Query q;
  q.text = text;
  return q;
}

// The demo suites and their index, built once for every test of the fixture.
class SearchRobustness : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<test::ScratchDir>();
    store_ = test::OpenStoreIn(dir_->path());
    auto loaded = LoadDemo(*store_);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    auto index = search::OpenCurrentIndex(*store_, dir_->File("index"));
    ASSERT_TRUE(index.ok()) << index.status().message();
    index_ = std::move(*index);
  }
  static void TearDownTestSuite() {
    index_.reset();
    store_.reset();
    dir_.reset();
  }

  static search::Results Search(const search::Query& q) {
    auto results = index_->Search(q);
    EXPECT_TRUE(results.ok()) << "\"" << q.text << "\": " << results.status().message();
    return results.ok() ? *results : search::Results{};
  }
  static search::Results Search(const std::string& text) { return Search(Text(text)); }

  // Every hit of a query, page after page, as the person paging through would see them.
  static std::vector<search::Hit> AllHits(search::Query q) {
    std::vector<search::Hit> all;
    q.size = 100;
    q.facets = false;
    q.snippets = false;
    for (q.page = 1; q.page <= 100; ++q.page) {
      const search::Results r = Search(q);
      if (r.hits.empty()) break;
      all.insert(all.end(), r.hits.begin(), r.hits.end());
    }
    return all;
  }

  static inline std::unique_ptr<test::ScratchDir> dir_;
  static inline std::unique_ptr<Store> store_;
  static inline std::unique_ptr<search::Index> index_;
};

// --- Odd queries -----------------------------------------------------------------------------

enum class Answer {
  kHits,     // some results
  kMessage,  // no results, and a message saying why
  kEither,   // results or none, but an answer
};

struct OddQuery {
  const char* name;
  std::string text;
  Answer answer;
};

void PrintTo(const OddQuery& q, std::ostream* os) { *os << q.name; }

std::string Repeat(const std::string& s, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += s;
  return out;
}

class SearchOddQuery : public SearchRobustness, public ::testing::WithParamInterface<OddQuery> {};

TEST_P(SearchOddQuery, AnswersWithResultsOrAMessageAndNeverThrows) {
  const OddQuery& odd = GetParam();
  Result<search::Results> r = Status::Internal("not run");
  ASSERT_NO_THROW(r = index_->Search(Text(odd.text)));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_LE(r->hits.size(), 10u);
  EXPECT_EQ(r->hits.empty(), r->total == 0) << "a first page is empty only when nothing matched";
  switch (odd.answer) {
    case Answer::kHits:
      EXPECT_FALSE(r->hits.empty()) << "expected results; message: " << r->message;
      break;
    case Answer::kMessage:
      EXPECT_TRUE(r->hits.empty());
      EXPECT_FALSE(r->message.empty()) << "no results and nothing said about why";
      break;
    case Answer::kEither:
      break;
  }
}

TEST_P(SearchOddQuery, EchoesTheQueryAsValidUtf8) {
  const search::Results r = Search(GetParam().text);
  EXPECT_TRUE(IsValidUtf8(r.query)) << "the query echoed back (and printed by the JSON API) is "
                                       "not UTF-8: "
                                    << ::testing::PrintToString(r.query);
  EXPECT_TRUE(IsValidUtf8(r.suggestion)) << ::testing::PrintToString(r.suggestion);
  for (const search::Hit& h : r.hits) EXPECT_TRUE(IsValidUtf8(h.snippet)) << h.snippet;
}

const OddQuery kOddQueries[] = {
    {"empty", "", Answer::kMessage},
    {"spaces", "   ", Answer::kMessage},
    {"tabs and newlines", "\t\r\n \n", Answer::kMessage},
    {"only stop words", "the and of", Answer::kMessage},
    {"only stop words in capitals", "THE AND OF", Answer::kMessage},
    {"2000 characters of words", Repeat("budget ", 286), Answer::kHits},
    {"2000 letters in one word", std::string(2000, 'a'), Answer::kMessage},
    {"2000 accented letters", Repeat("\xC3\xA9", 2000), Answer::kMessage},
    {"1000 Japanese characters", Repeat("\xE6\x97\xA5\xE6\x9C\xAC", 500), Answer::kMessage},
    {"a 300 letter word", "budget" + std::string(300, 'x'), Answer::kEither},
    {"an unbalanced quote before", "\"manage a budget", Answer::kHits},
    {"an unbalanced quote after", "budget\"", Answer::kHits},
    {"a lone quote", "\"", Answer::kMessage},
    {"an empty phrase", "\"\"", Answer::kMessage},
    {"AND alone", "AND", Answer::kMessage},
    {"OR NOT", "OR NOT", Answer::kMessage},
    {"NEAR alone", "NEAR", Answer::kEither},
    {"NEAR between words", "budget NEAR team", Answer::kHits},
    {"AND at the end", "budget AND", Answer::kHits},
    {"NOT at the start", "NOT budget", Answer::kEither},
    {"a plus alone", "+", Answer::kMessage},
    {"a minus alone", "-", Answer::kMessage},
    {"plus and minus", "+budget -project", Answer::kHits},
    {"a field with no word", "title:", Answer::kEither},
    {"a field", "title:budget", Answer::kHits},
    {"an unknown field", "colour:budget", Answer::kEither},
    {"a star in quotes", "\"*\"", Answer::kMessage},
    {"a star", "*", Answer::kMessage},
    {"a wildcard", "budg*", Answer::kEither},
    {"empty brackets", "()", Answer::kMessage},
    {"an open bracket", "(budget", Answer::kHits},
    {"a close bracket", "budget)", Answer::kHits},
    {"nested brackets", "((((budget))))", Answer::kHits},
    {"many open brackets", Repeat("(budget ", 300), Answer::kHits},
    {"operators repeated", Repeat("budget OR ", 200), Answer::kHits},
    {"NOT repeated", Repeat("NOT ", 500), Answer::kMessage},
    {"fields repeated", Repeat("title:", 300), Answer::kEither},
    {"a long phrase", "\"" + Repeat("budget ", 400), Answer::kEither},
    {"an invalid byte", "bud\xFFget", Answer::kEither},
    {"a truncated sequence", "budget \xE2\x82", Answer::kHits},
    {"a lone continuation byte", "\x80 budget", Answer::kHits},
    {"an overlong slash", "budget \xC0\xAF", Answer::kHits},
    {"a surrogate", "budget \xED\xA0\x80", Answer::kHits},
    {"only invalid bytes", "\xFF\xFE\xFD", Answer::kEither},
    {"control characters", "budget\x01\x02\x7F", Answer::kHits},
    {"a terminal escape", "\x1B[31mbudget\x1B[0m", Answer::kEither},
    {"a NUL inside", std::string("budget\0team", 11), Answer::kHits},
    {"a NUL alone", std::string(1, '\0'), Answer::kEither},
    {"a zero width space", "bud\xE2\x80\x8Bget", Answer::kEither},
    {"a right to left mark", "\u200Fbudget", Answer::kHits},
    {"punctuation only", "!@#$%^&*()_+={}[]|\\:;'<>,.?/~`", Answer::kEither},
    {"HTML", "<script>alert('budget')</script>", Answer::kHits},
};

INSTANTIATE_TEST_SUITE_P(EachOddQuery, SearchOddQuery, ::testing::ValuesIn(kOddQueries),
                         [](const auto& info) { return test::TestName(info.param.name); });

TEST_F(SearchRobustness, ALongQueryIsCutAtAWholeCharacterAndSaysSo) {
  const search::Results r = Search(Repeat("\xC3\xA9", 2000));  // 4,000 bytes
  EXPECT_NE(r.message.find("Only the first"), std::string::npos) << r.message;
  EXPECT_LE(r.query.size(), 1000u);
  EXPECT_TRUE(IsValidUtf8(r.query));
}

TEST_F(SearchRobustness, OnlyStopWordsAreTooCommonToSearchFor) {
  const search::Results r = Search("the and of");
  EXPECT_EQ(r.total, 0);
  EXPECT_NE(r.message.find("too common"), std::string::npos) << r.message;
}

TEST_F(SearchRobustness, AnEmptyQueryAsksForWords) {
  EXPECT_EQ(Search("").message, "Type some words to search for.");
  EXPECT_EQ(Search(" \t ").message, "Type some words to search for.");
}

// --- Operators ---------------------------------------------------------------------------------
// The CLI's help offers "AND/OR/NOT, +must -not" and index.cc says operators work when well
// formed.

bool HasUrn(const std::vector<search::Hit>& hits, const std::string& urn) {
  for (const search::Hit& h : hits) {
    if (h.urn == urn) return true;
  }
  return false;
}

std::set<std::string> UnitsOf(const std::vector<search::Hit>& hits) {
  std::set<std::string> units;
  for (const search::Hit& h : hits) units.insert(h.unit_uuid.empty() ? h.uuid : h.unit_uuid);
  return units;
}

TEST_F(SearchRobustness, MinusLeavesOutTheDocumentsWithTheWord) {
  const auto hits = AllHits(Text("manage -budget"));
  ASSERT_FALSE(hits.empty());
  for (const search::Hit& h : hits) {
    EXPECT_EQ(h.text.find("budget"), std::string::npos) << h.code << ": " << h.text;
  }
}

// A person who types -budget means "not about budgets", yet a unit is a unit of many documents:
// Manage a budget still comes back through its glossary term "Delegated authority".
TEST_F(SearchRobustness, MinusLeavesOutTheUnitsWithTheWord) {
  EXPECT_TRUE(HasUrn(AllHits(Text("manage")), "ODSMLD1"));
  for (const search::Hit& h : AllHits(Text("manage -budget"))) {
    EXPECT_NE(h.urn, "ODSMLD1") << "\"manage -budget\" still lists Manage a budget, through "
                                << h.type << " " << h.code << ": " << h.text;
  }
}

TEST_F(SearchRobustness, PlusKeepsOnlyTheUnitsWithEveryWord) {
  const auto budget = UnitsOf(AllHits(Text("budget")));
  const auto project = UnitsOf(AllHits(Text("project")));
  const auto both = UnitsOf(AllHits(Text("+budget +project")));
  ASSERT_FALSE(both.empty());
  EXPECT_LT(both.size(), budget.size());
  for (const std::string& unit : both) {
    EXPECT_TRUE(budget.count(unit) && project.count(unit)) << unit;
  }
}

TEST_F(SearchRobustness, AnUppercaseNotLeavesOutTheUnitsWithTheWord) {
  const auto hits = AllHits(Text("manage NOT budget"));
  EXPECT_FALSE(HasUrn(hits, "ODSMLD1"))
      << "\"manage NOT budget\" still finds Manage a budget (first: " << hits.front().urn
      << "): the query is lower-cased before Xapian's parser, which knows only AND/OR/NOT/NEAR "
         "in capitals, so NOT is searched as a word";
}

TEST_F(SearchRobustness, AnUppercaseAndNarrowsTheResults) {
  const search::Results either = Search("coaching OR contract");
  const search::Results both = Search("coaching AND contract");
  EXPECT_LT(both.total, either.total)
      << "AND finds as much as OR: the operators are lower-cased into plain words";
}

// --- Statements ---------------------------------------------------------------------------------
// A unit is one document with its statements; the words of a statement still find the unit, and
// the result shows that statement.

TEST_F(SearchRobustness, AStatementsWordsFindItsUnitThroughThatStatement) {
  const search::Results r = Search("unexpected demands and routine tasks");
  const search::Hit* hit = nullptr;
  for (const search::Hit& h : r.hits) {
    if (h.urn == "ODSMLA1") {
      hit = &h;
      break;
    }
  }
  ASSERT_NE(hit, nullptr) << "Manage your own time is not on the first page";
  EXPECT_EQ(hit->type, "performance-criterion");
  EXPECT_EQ(hit->code, "A1.P3");
  EXPECT_NE(hit->text.find("unexpected demands"), std::string::npos) << hit->text;
  EXPECT_NE(hit->snippet.find("<mark>unexpected</mark>"), std::string::npos) << hit->snippet;
  EXPECT_FALSE(hit->unit_uuid.empty());
  EXPECT_NE(hit->unit_uuid, hit->uuid);
}

TEST_F(SearchRobustness, ATitleMatchIsShownThroughTheUnitItself) {
  const search::Results r = Search("Manage a budget");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits.front().urn, "ODSMLD1");
  EXPECT_EQ(r.hits.front().type, "unit");
  EXPECT_EQ(r.hits.front().uuid, r.hits.front().unit_uuid);
}

TEST_F(SearchRobustness, ATypeFilterShowsEachUnitThroughAnItemOfThatType) {
  for (const char* type : {"performance-criterion", "knowledge", "unit"}) {
    search::Query q = Text("budget");
    q.filters = {{"type", type}};
    const auto hits = AllHits(q);
    ASSERT_FALSE(hits.empty()) << type;
    for (const search::Hit& h : hits) {
      EXPECT_EQ(h.type, type) << h.urn << " " << h.code;
      EXPECT_NE(Lower(h.text + " " + h.title).find("budget"), std::string::npos)
          << type << ": " << h.urn << " " << h.code << ": " << h.text;
    }
  }
}

// A two-word phrase is answered from the pair terms, a longer one through them and positions:
// either way the words must stand next to each other, in that order, within one item.
TEST_F(SearchRobustness, APhraseKeepsItsWordsTogetherAndInOrder) {
  const search::Results forward = Search("\"risk register\"");
  EXPECT_GT(forward.total, 0);
  EXPECT_TRUE(HasUrn(forward.hits, "ODSMLB4")) << forward.total;
  EXPECT_EQ(Search("\"register risk\"").total, 0);
  const search::Results words = Search("risk register");
  EXPECT_GT(words.total, forward.total) << "the words apart match more units than the phrase";
  const search::Results three = Search("\"personal development plan\"");
  EXPECT_TRUE(HasUrn(three.hits, "ODSMLA2"));
  EXPECT_EQ(Search("\"development personal plan\"").total, 0);
}

// A phrase's snippet marks its words as any query's does, whether or not a stop word stands in
// it; the stop word itself is not marked (it is in almost every statement).
TEST_F(SearchRobustness, APhraseSnippetMarksThePhrasesWordsEvenWithAStopWordInIt) {
  struct Case {
    const char* query;
    const char* marked;  // how the phrase reads in each hit's snippet
  };
  const Case cases[] = {
      {"\"health and safety\"", "<mark>health</mark> and <mark>safety</mark>"},
      {"\"lead and motivate\"", "<mark>lead</mark> and <mark>motivate</mark>"},
  };
  for (const Case& c : cases) {
    const search::Results r = Search(c.query);
    ASSERT_FALSE(r.hits.empty()) << c.query;
    for (const search::Hit& h : r.hits) {
      EXPECT_NE(h.snippet.find(c.marked), std::string::npos) << c.query << ": " << h.snippet;
      EXPECT_EQ(h.snippet.find("<mark>and</mark>"), std::string::npos) << h.snippet;
    }
  }
}

// --- Filters, pages and sizes ----------------------------------------------------------------

TEST_F(SearchRobustness, AnUnknownFilterKeyIsInvalidAndNamesIt) {
  search::Query q = Text("budget");
  q.filters = {{"colour", "red"}};
  auto r = index_->Search(q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalid);
  EXPECT_NE(r.status().message().find("colour"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("suite"), std::string::npos) << "lists the known keys";
}

TEST_F(SearchRobustness, AnUnknownFilterValueFindsNothing) {
  search::Query q = Text("budget");
  q.filters = {{"suite", "NOPE@1"}};
  EXPECT_EQ(Search(q).total, 0);
}

TEST_F(SearchRobustness, APageBeyondTheEndHasNoHitsButKeepsTheTotal) {
  search::Query q = Text("budget");
  const std::int64_t total = Search(q).total;
  q.page = 99;
  const search::Results r = Search(q);
  EXPECT_TRUE(r.hits.empty());
  EXPECT_EQ(r.page, 99);
  EXPECT_EQ(r.total, total);
}

TEST_F(SearchRobustness, PagesAndSizesOutOfRangeAreClamped) {
  struct Case {
    int page, size;
    int want_page, want_size;
  };
  const Case cases[] = {
      {1, 0, 1, 1},    {1, 1000, 1, 100}, {1, -1, 1, 1}, {0, 10, 1, 10},
      {-5, 10, 1, 10}, {1, 100, 1, 100},  {1, 1, 1, 1},  {2147483647, 100, 2147483647, 100}};
  for (const Case& c : cases) {
    search::Query q = Text("team");
    q.page = c.page;
    q.size = c.size;
    Result<search::Results> r = Status::Internal("not run");
    ASSERT_NO_THROW(r = index_->Search(q)) << "page " << c.page << " size " << c.size;
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->page, c.want_page) << "page " << c.page;
    EXPECT_EQ(r->size, c.want_size) << "size " << c.size;
    EXPECT_LE(static_cast<int>(r->hits.size()), c.want_size);
  }
}

TEST_F(SearchRobustness, AFilterAloneBrowsesTheSuite) {
  search::Query q = Text("");
  q.filters = {{"suite", "CM@2023"}, {"type", "unit"}};
  const search::Results r = Search(q);
  EXPECT_EQ(r.total, 9);
  for (const search::Hit& h : r.hits) EXPECT_EQ(h.framework_code, "CM");
}

TEST_F(SearchRobustness, FiltersOfOneKeyWidenAndOfTwoKeysNarrow) {
  search::Query one = Text("team");
  one.filters = {{"suite", "CM@2023"}};
  search::Query two_values = one;
  two_values.filters.push_back({"suite", "ML@2012"});
  search::Query two_keys = one;
  two_keys.filters.push_back({"type", "unit"});
  const auto a = AllHits(one).size(), b = AllHits(two_values).size(), c = AllHits(two_keys).size();
  EXPECT_GT(b, a);
  EXPECT_LE(c, a);
}

// --- Facets and totals -------------------------------------------------------------------------

TEST_F(SearchRobustness, EachFacetFilterReducesTheTotalToAtMostThatValuesCount) {
  for (const char* text : {"team", "coaching", "budget", "manage"}) {
    const search::Results all = Search(text);
    ASSERT_FALSE(all.facets.empty()) << text;
    for (const auto& [name, values] : all.facets) {
      for (const search::FacetValue& v : values) {
        search::Query q = Text(text);
        q.filters = {{name, v.value}};
        const search::Results filtered = Search(q);
        EXPECT_LE(filtered.total, v.count)
            << "\"" << text << "\" shows " << name << "=" << v.value << " (" << v.count
            << "), but filtering by it gives " << filtered.total << " results ("
            << AllHits(q).size() << " when paged through)";
        EXPECT_LE(filtered.total, all.total) << text << " " << name << "=" << v.value;
      }
    }
  }
}

// A facet count is exactly the number of units a person finds by ticking that value: the total
// of the filtered search, and the distinct units when paging through it.
TEST_F(SearchRobustness, EachFacetCountIsTheNumberOfUnitsItsFilterFinds) {
  for (const char* text : {"team", "budget", "coaching contract", "\"active listening\"", "manage -budget"}) {
    const search::Results all = Search(text);
    ASSERT_GT(all.total, 0) << text;
    for (const auto& [name, values] : all.facets) {
      std::int64_t sum = 0;
      for (const search::FacetValue& v : values) {
        search::Query q = Text(text);
        q.filters = {{name, v.value}};
        const search::Results filtered = Search(q);
        EXPECT_EQ(filtered.total, v.count) << "\"" << text << "\" " << name << "=" << v.value;
        EXPECT_EQ(static_cast<std::int64_t>(UnitsOf(AllHits(q)).size()), v.count)
            << "\"" << text << "\" " << name << "=" << v.value;
        sum += v.count;
      }
      // Single-valued facets that every result has add up to the total.
      if (name == "suite" || name == "developer") {
        EXPECT_EQ(sum, all.total) << text << " " << name;
      }
    }
    EXPECT_EQ(all.total, static_cast<std::int64_t>(UnitsOf(AllHits(Text(text))).size())) << text;
  }
}

TEST_F(SearchRobustness, EveryFacetIsCountedAndLargestFirst) {
  const search::Results r = Search("team");
  for (const std::string& name : search::FacetNames()) {
    ASSERT_TRUE(r.facets.count(name)) << name;
    const auto& values = r.facets.at(name);
    for (size_t i = 1; i < values.size(); ++i) {
      EXPECT_GE(values[i - 1].count, values[i].count) << name;
    }
  }
}

struct Counted {
  const char* text;
  std::vector<search::Filter> filters;
  int size;
};

void PrintTo(const Counted& c, std::ostream* os) { *os << c.text; }

class SearchTotal : public SearchRobustness, public ::testing::WithParamInterface<Counted> {};

TEST_P(SearchTotal, IsTheNumberOfResultsAPersonCanPageThrough) {
  search::Query q = Text(GetParam().text);
  q.filters = GetParam().filters;
  q.size = GetParam().size;
  const search::Results first = Search(q);
  const size_t paged = AllHits(q).size();
  EXPECT_EQ(first.total, static_cast<std::int64_t>(paged))
      << "index.h promises a total exact up to 10,000; the pages hold " << paged
      << " (the total looks like Xapian's estimate after collapsing, not a count)";
}

const Counted kCounted[] = {
    {"team", {}, 10},
    {"team", {{"type", "unit"}}, 10},
    {"team", {{"suite", "ML@2024"}}, 10},
    {"team", {{"validity", "legacy"}}, 10},
    {"team", {{"occupation", "1139"}}, 10},
    {"budget", {}, 10},
    {"budget OR budget OR budget OR budget OR budget OR budget OR budget OR budget", {}, 2},
};

INSTANTIATE_TEST_SUITE_P(EachQuery, SearchTotal, ::testing::ValuesIn(kCounted),
                         [](const auto& info) {
                           std::string name = std::string(info.param.text).substr(0, 30);
                           for (const auto& f : info.param.filters) {
                             name += " " + f.key + " " + f.value;
                           }
                           return test::TestName(name + " size " + std::to_string(info.param.size));
                         });

// --- The index's life ----------------------------------------------------------------------

class SearchIndexLifecycle : public ::testing::Test {
 protected:
  SearchIndexLifecycle() : store_(test::OpenStoreIn(dir_.path())), index_dir_(dir_.File("index")) {}

  void LoadTheDemo() {
    auto loaded = LoadDemo(*store_);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  }
  Result<SaveReport> Import(const std::string& path) {
    ImportOptions options;
    options.who = {"tester", "import"};
    return ImportFiles(*store_, {path}, options);
  }
  // The hits of `text` from a fresh reader of the index.
  std::vector<search::Hit> Find(const std::string& text) {
    auto reader = search::OpenReadOnlyIndex(index_dir_);
    EXPECT_TRUE(reader.ok()) << reader.status().message();
    if (!reader.ok()) return {};
    search::Query q = Text(text);
    q.size = 100;
    auto r = (*reader)->Search(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->hits : std::vector<search::Hit>{};
  }
  std::int64_t LastChange() {
    auto seq = store_->LastChange();
    EXPECT_TRUE(seq.ok());
    return seq.ok() ? *seq : -1;
  }
  // Overwrites the index's files whose names end with `suffix` ("" for all of them, the manifest
  // and every shard's tables) with bytes that mean nothing.
  void Corrupt(const std::string& suffix = "") {
    size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(index_dir_)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || !name.ends_with(suffix)) continue;
      test::WriteFile(entry.path(), Repeat("this is not a xapian table \x01\xFF", 100));
      ++files;
    }
    ASSERT_GT(files, 0u) << "no index files end with \"" << suffix << "\" in " << index_dir_;
  }
  // Builds the index, closes it, and damages it as Corrupt(suffix) does.
  void BuildThenCorrupt(const std::string& suffix = "") {
    LoadTheDemo();
    {
      auto index = search::OpenCurrentIndex(*store_, index_dir_);
      ASSERT_TRUE(index.ok()) << index.status().message();
    }
    Corrupt(suffix);
  }

  test::ScratchDir dir_;
  std::unique_ptr<Store> store_;
  std::string index_dir_;
};

TEST_F(SearchIndexLifecycle, OpenCurrentIndexBuildsAMissingIndex) {
  LoadTheDemo();
  ASSERT_FALSE(fs::exists(index_dir_));
  auto index = search::OpenCurrentIndex(*store_, index_dir_);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_GT((*index)->Size(), 1000);
  EXPECT_EQ((*index)->IndexedSeq(), LastChange());
  auto r = (*index)->Search(Text("budget"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(HasUrn(r->hits, "ODSMLD1"));
}

TEST_F(SearchIndexLifecycle, OpenReadOnlyIndexOfAMissingIndexIsNotFound) {
  auto reader = search::OpenReadOnlyIndex(index_dir_);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kNotFound);
}

TEST_F(SearchIndexLifecycle, CatchUpAfterAnImportAddsTheNewFramework) {
  LoadTheDemo();
  auto index = search::OpenCurrentIndex(*store_, index_dir_);
  ASSERT_TRUE(index.ok()) << index.status().message();
  const std::int64_t before = (*index)->Size();
  EXPECT_FALSE(HasUrn(Find("tiny test"), "TNY01"));

  auto report = Import(test::Fixture("good/tiny.json"));
  ASSERT_TRUE(report.ok()) << report.status().message();
  auto reindexed = search::CatchUp(*store_, **index);
  ASSERT_TRUE(reindexed.ok()) << reindexed.status().message();
  EXPECT_EQ(*reindexed, 1);
  EXPECT_EQ((*index)->IndexedSeq(), LastChange());
  EXPECT_GT((*index)->Size(), before);
  EXPECT_TRUE(HasUrn(Find("tiny test"), "TNY01"));
  EXPECT_TRUE(HasUrn(Find("TNY01"), "TNY01"));
}

TEST_F(SearchIndexLifecycle, CatchUpWithNothingNewReindexesNothing) {
  LoadTheDemo();
  auto index = search::OpenCurrentIndex(*store_, index_dir_);
  ASSERT_TRUE(index.ok()) << index.status().message();
  auto again = search::CatchUp(*store_, **index);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, 0);
}

TEST_F(SearchIndexLifecycle, ReimportOfAChangedFrameworkReplacesItsText) {
  const std::string original = test::ReadFile(test::Fixture("good/tiny.json"));
  const std::string changed_path = dir_.File("tiny-changed.json");
  std::string changed = original;
  const std::string from = "reads like a sentence";
  const size_t at = changed.find(from);
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, from.size(), "reads like a limerick");
  test::WriteFile(changed_path, changed);

  ASSERT_TRUE(Import(test::Fixture("good/tiny.json")).ok());
  auto index = search::OpenCurrentIndex(*store_, index_dir_);
  ASSERT_TRUE(index.ok()) << index.status().message();
  const std::int64_t size = (*index)->Size();
  ASSERT_TRUE(HasUrn(Find("sentence"), "TNY01"));

  auto report = Import(changed_path);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->frameworks_updated, 1);
  auto reindexed = search::CatchUp(*store_, **index);
  ASSERT_TRUE(reindexed.ok()) << reindexed.status().message();
  EXPECT_EQ(*reindexed, 1);
  EXPECT_FALSE(HasUrn(Find("sentence"), "TNY01")) << "the old text is still found";
  EXPECT_TRUE(HasUrn(Find("limerick"), "TNY01")) << "the new text is not found";
  EXPECT_EQ((*index)->Size(), size) << "re-indexing left stale or duplicate documents";
}

TEST_F(SearchIndexLifecycle, RebuildReplacesACorruptIndex) {
  LoadTheDemo();
  std::int64_t size = 0;
  {
    auto index = search::OpenCurrentIndex(*store_, index_dir_);
    ASSERT_TRUE(index.ok()) << index.status().message();
    size = (*index)->Size();
  }
  Corrupt();
  const Status rebuilt = search::Rebuild(*store_, index_dir_);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.message();
  auto reader = search::OpenReadOnlyIndex(index_dir_);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ((*reader)->Size(), size);
  EXPECT_EQ((*reader)->IndexedSeq(), LastChange());
  EXPECT_TRUE(HasUrn(Find("budget"), "ODSMLD1"));
}

// Each way an index can be damaged: every file, only the manifest, only the shards' tables.
class SearchCorruptIndex : public SearchIndexLifecycle,
                           public ::testing::WithParamInterface<const char*> {};

TEST_P(SearchCorruptIndex, IsRebuiltByRebuild) {
  BuildThenCorrupt(GetParam());
  Status rebuilt;
  ASSERT_NO_THROW(rebuilt = search::Rebuild(*store_, index_dir_));
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.message();
  EXPECT_TRUE(HasUrn(Find("budget"), "ODSMLD1"));
}

TEST_P(SearchCorruptIndex, IsRebuiltByOpenCurrentIndex) {
  BuildThenCorrupt(GetParam());
  Result<std::unique_ptr<search::Index>> index = Status::Internal("not run");
  ASSERT_NO_THROW(index = search::OpenCurrentIndex(*store_, index_dir_));
  ASSERT_TRUE(index.ok()) << index.status().message();
  auto r = (*index)->Search(Text("budget"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(HasUrn(r->hits, "ODSMLD1"));
}

TEST_P(SearchCorruptIndex, IsInvalidToAWriterSoTheCallerMayRebuild) {
  BuildThenCorrupt(GetParam());
  Result<std::unique_ptr<search::Index>> writer = Status::Internal("not run");
  ASSERT_NO_THROW(writer = search::OpenWritableIndex(index_dir_));
  ASSERT_FALSE(writer.ok()) << "a damaged index opens as if sound";
  EXPECT_EQ(writer.status().code(), Status::Code::kInvalid) << writer.status().message();
}

TEST_P(SearchCorruptIndex, IsAnErrorValueToAReaderNotAnException) {
  BuildThenCorrupt(GetParam());
  ASSERT_NO_THROW({
    auto reader = search::OpenReadOnlyIndex(index_dir_);
    if (reader.ok()) {
      (*reader)->Size();
      (*reader)->IndexedSeq();
      auto r = (*reader)->Search(Text("budget team manage"));
      if (!r.ok()) {
        EXPECT_FALSE(r.status().message().empty());
      }
    }
  });
}

INSTANTIATE_TEST_SUITE_P(EachDamage, SearchCorruptIndex,
                         ::testing::Values("", "manifest", ".glass", "iamglass"),
                         [](const auto& info) {
                           const std::string what = info.param;
                           return what.empty() ? std::string("EveryFile")
                                               : test::TestName("only " + what);
                         });

// A framework indexed again lives in a new shard; its old documents must not be found or counted.
TEST_F(SearchIndexLifecycle, AReindexedFrameworkIsCountedOnce) {
  LoadTheDemo();
  auto index = search::OpenCurrentIndex(*store_, index_dir_);
  ASSERT_TRUE(index.ok()) << index.status().message();
  search::Query q = Text("coaching");
  auto before = (*index)->Search(q);
  ASSERT_TRUE(before.ok());
  search::Query all = q;
  all.size = 100;
  auto before_all = (*index)->Search(all);
  ASSERT_TRUE(before_all.ok());
  ASSERT_LT(before_all->total, 100);
  const std::int64_t size = (*index)->Size();
  auto doc = store_->LoadFramework(before->hits.front().framework_uuid);
  ASSERT_TRUE(doc.ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*index)->Put(*doc).ok());
    ASSERT_TRUE((*index)->Commit((*index)->IndexedSeq()).ok());
  }
  auto after = (*index)->Search(q);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->total, before->total);
  EXPECT_EQ((*index)->Size(), size);
  for (const auto& [name, values] : before->facets) {
    ASSERT_EQ(after->facets.at(name).size(), values.size()) << name;
    for (size_t i = 0; i < values.size(); ++i) {
      EXPECT_EQ(after->facets.at(name)[i].count, values[i].count) << name << "=" << values[i].value;
    }
  }
  // The same results (their order may differ where scores tie: document ids changed).
  q.size = 100;
  std::set<std::string> was, is;
  for (const auto& h : before_all->hits) was.insert(h.uuid);
  auto now = (*index)->Search(q);
  ASSERT_TRUE(now.ok());
  for (const auto& h : now->hits) is.insert(h.uuid);
  EXPECT_EQ(is, was);
}

// Many re-indexed frameworks make many shards; the writer merges them, and nothing changes for
// the person searching.
TEST_F(SearchIndexLifecycle, ManyShardsAreMergedWithoutChangingResults) {
  LoadTheDemo();
  auto index = search::OpenCurrentIndex(*store_, index_dir_);
  ASSERT_TRUE(index.ok()) << index.status().message();
  auto before = (*index)->Search(Text("team budget"));
  ASSERT_TRUE(before.ok());
  const std::int64_t size = (*index)->Size();
  // Each import of the tiny framework under a new edition is a framework of its own.
  const std::string tiny = test::ReadFile(test::Fixture("good/tiny.json"));
  for (int i = 0; i < 10; ++i) {
    std::string text = tiny;
    const std::string from = "\"edition\": \"";
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos);
    text.insert(at + from.size(), "9" + std::to_string(i));
    const std::string path = dir_.File("tiny-" + std::to_string(i) + ".json");
    test::WriteFile(path, text);
    auto report = Import(path);
    ASSERT_TRUE(report.ok()) << report.status().message();
    ASSERT_TRUE(search::CatchUp(*store_, **index).ok());
  }
  size_t shards = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(index_dir_) / "shards")) {
    shards += entry.is_directory();
  }
  EXPECT_LE(shards, 8u);
  auto after = (*index)->Search(Text("team budget"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->total, before->total);
  ASSERT_EQ(after->hits.size(), before->hits.size());
  EXPECT_GT((*index)->Size(), size);
  std::set<std::string> tiny_units;
  for (const search::Hit& h : Find("tiny test")) {
    if (h.urn == "TNY01") tiny_units.insert(h.unit_uuid);
  }
  EXPECT_EQ(tiny_units.size(), 10u) << "each edition's unit is found once";
  auto reader = search::OpenReadOnlyIndex(index_dir_);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Size(), (*index)->Size());
}

TEST_F(SearchIndexLifecycle, ASecondWriterGetsConflict) {
  LoadTheDemo();
  auto first = search::OpenCurrentIndex(*store_, index_dir_);
  ASSERT_TRUE(first.ok()) << first.status().message();

  auto second = search::OpenWritableIndex(index_dir_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kConflict) << second.status().message();
  auto current = search::OpenCurrentIndex(*store_, index_dir_);
  ASSERT_FALSE(current.ok());
  EXPECT_EQ(current.status().code(), Status::Code::kConflict) << current.status().message();
  const Status rebuild = search::Rebuild(*store_, index_dir_);
  EXPECT_EQ(rebuild.code(), Status::Code::kConflict) << rebuild.message();
  EXPECT_TRUE(HasUrn(Find("budget"), "ODSMLD1")) << "a reader still searches meanwhile";
}

TEST_F(SearchIndexLifecycle, AReaderSeesAWriteAfterReopen) {
  LoadTheDemo();
  auto writer = search::OpenCurrentIndex(*store_, index_dir_);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  auto reader = search::OpenReadOnlyIndex(index_dir_);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  const fs::path manifest = fs::path(index_dir_) / "manifest";
  const auto opened_at = fs::last_write_time(manifest);
  ASSERT_TRUE(Import(test::Fixture("good/tiny.json")).ok());
  ASSERT_TRUE(search::CatchUp(*store_, **writer).ok());
  // File times are coarse (a few milliseconds): a commit soon after the reader opened often
  // leaves the manifest's time as it was. Make that certain rather than likely.
  fs::last_write_time(manifest, opened_at);
  ASSERT_TRUE((*reader)->Reopen().ok());
  auto r = (*reader)->Search(Text("TNY01"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(HasUrn(r->hits, "TNY01"))
      << "Reopen() compares the manifest's modification time only, so it misses a commit made "
         "within the same file-time tick and the reader stays stale until the next write";
}

TEST_F(SearchIndexLifecycle, AReaderSurvivesARebuildUnderIt) {
  LoadTheDemo();
  { ASSERT_TRUE(search::OpenCurrentIndex(*store_, index_dir_).ok()); }
  auto reader = search::OpenReadOnlyIndex(index_dir_);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  ASSERT_TRUE(search::Rebuild(*store_, index_dir_).ok());
  ASSERT_TRUE((*reader)->Reopen().ok());
  auto r = (*reader)->Search(Text("budget"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(HasUrn(r->hits, "ODSMLD1"));
}

}  // namespace
}  // namespace opennos
