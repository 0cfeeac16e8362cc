// Search answers depend only on what an index is current for, never on how it got there: two
// indexes of the same frameworks, one that saw a history of changes (a framework re-indexed, one
// imported, re-imported changed and removed) and one built from the final state alone, give the
// same results, in the same order, with the same scores, snippets, facets and suggestions.

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/demo.h"
#include "app/importer.h"
#include "formats/native.h"
#include "search/index.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

namespace fs = std::filesystem;

// tiny.json as a framework of its own (its UUIDs derive from its code), its unit saying `words`.
FrameworkDoc TinyCopy(const std::string& code, const std::string& words) {
  std::string content = test::ReadFile(test::Fixture("good/tiny.json"));
  const auto replace = [&](const std::string& from, const std::string& to) {
    const size_t at = content.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) content.replace(at, from.size(), to);
  };
  replace("\"code\": \"TINY\"", "\"code\": \"" + code + "\"");
  replace("\"urn\": \"TNY01\"", "\"urn\": \"" + code + "01\"");
  replace("Write a test that reads like a sentence.", "Write a test that " + words + ".");
  auto doc = ReadNative(content, code + ".json");
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  return doc.ok() ? std::move(*doc) : FrameworkDoc{};
}

// `doc` with `words` added to the text of its first statement under a unit, and without its last
// unit (and everything under it) when `drop_a_unit`.
FrameworkDoc Changed(FrameworkDoc doc, const std::string& words, bool drop_a_unit) {
  for (Item& item : doc.items) {
    if (item.type != ItemType::kUnit && item.type != ItemType::kKeyArea &&
        item.type != ItemType::kFunction && !item.text.empty()) {
      item.text += " " + words;
      break;
    }
  }
  if (!drop_a_unit) return doc;
  std::string dropped;
  for (const Item& item : doc.items) {
    if (item.type == ItemType::kUnit) dropped = item.uuid;
  }
  std::vector<std::string> gone{dropped};
  std::vector<Item> kept;
  for (Item& item : doc.items) {
    if (std::find(gone.begin(), gone.end(), item.uuid) != gone.end() ||
        std::find(gone.begin(), gone.end(), item.parent_uuid) != gone.end()) {
      gone.push_back(item.uuid);
      continue;
    }
    kept.push_back(std::move(item));
  }
  doc.items = std::move(kept);
  return doc;
}

// The shards an index's manifest names, each with the frameworks it is current for.
std::map<std::string, std::vector<std::string>> ManifestShards(const std::string& dir) {
  std::map<std::string, std::vector<std::string>> shards;
  std::ifstream in(dir + "/manifest");
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string kind, name;
    fields >> kind >> name;
    if (kind != "shard") continue;
    for (std::string uuid; fields >> uuid;) shards[name].push_back(uuid);
  }
  return shards;
}

// Every document in the shards the manifest names, masked ones included.
Xapian::doccount StoredDocuments(const std::string& dir) {
  Xapian::doccount n = 0;
  for (const auto& [name, frameworks] : ManifestShards(dir)) {
    n += Xapian::Database(dir + "/shards/" + name).get_doccount();
  }
  return n;
}

std::string Describe(const search::Hit& h) {
  std::ostringstream out;
  out.precision(17);
  out << h.urn << " " << h.uuid << " " << h.framework_code << "@" << h.framework_edition << " "
      << h.score;
  return out.str();
}

class SearchHistory : public ::testing::Test {
 protected:
  SearchHistory() : store_(test::OpenStoreIn(dir_.path())) {}

  void SetUp() override {
    auto loaded = LoadDemo(*store_);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    // More frameworks than cores, so that a rebuild puts two of them in one shard.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < cores; ++i) {
      FrameworkDoc copy = TinyCopy("HIST" + std::to_string(i), "reads like a sentence");
      ImportOptions options;
      options.who = {"tester", "import"};
      auto saved = store_->SaveFrameworks({copy}, options.who);
      ASSERT_TRUE(saved.ok()) << saved.status().message();
    }
    auto listed = store_->ListFrameworks();
    ASSERT_TRUE(listed.ok());
    for (const auto& summary : *listed) {
      auto doc = store_->LoadFramework(summary.framework.uuid);
      ASSERT_TRUE(doc.ok()) << doc.status().message();
      final_.push_back(std::move(*doc));
    }
  }

  // Both indexes' answers to `q`, which must be the same.
  void ExpectSameAnswers(search::Index& a, search::Index& b, search::Query q) {
    SCOPED_TRACE("query \"" + q.text + "\", page " + std::to_string(q.page) + " of " +
                 std::to_string(q.size));
    auto ra = a.Search(q);
    auto rb = b.Search(q);
    ASSERT_TRUE(ra.ok()) << ra.status().message();
    ASSERT_TRUE(rb.ok()) << rb.status().message();
    EXPECT_EQ(ra->total, rb->total);
    EXPECT_EQ(ra->suggestion, rb->suggestion);
    EXPECT_EQ(ra->message, rb->message);
    ASSERT_EQ(ra->hits.size(), rb->hits.size());
    for (size_t i = 0; i < ra->hits.size(); ++i) {
      const search::Hit& x = ra->hits[i];
      const search::Hit& y = rb->hits[i];
      SCOPED_TRACE("hit " + std::to_string(i) + ": " + Describe(x) + " / " + Describe(y));
      EXPECT_EQ(x.uuid, y.uuid);
      EXPECT_EQ(x.unit_uuid, y.unit_uuid);
      EXPECT_EQ(x.framework_uuid, y.framework_uuid);
      EXPECT_EQ(x.text, y.text);
      EXPECT_EQ(x.snippet, y.snippet);
      EXPECT_EQ(x.score, y.score);  // exactly: the same statistics give the same arithmetic
    }
    ASSERT_EQ(ra->facets.size(), rb->facets.size());
    for (const auto& [name, values] : ra->facets) {
      const auto& other = rb->facets.at(name);
      ASSERT_EQ(values.size(), other.size()) << name;
      for (size_t i = 0; i < values.size(); ++i) {
        EXPECT_EQ(values[i].value, other[i].value) << name;
        EXPECT_EQ(values[i].count, other[i].count) << name;
      }
    }
  }

  test::ScratchDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<FrameworkDoc> final_;
};

TEST_F(SearchHistory, AnIndexWithAHistoryAnswersAsOneBuiltFromTheFinalStateAlone) {
  // Index A: rebuilt from the store, then a framework that shares a shard re-indexed twice
  // (changed, a unit dropped; then back to its final state), and another framework put,
  // changed and removed.
  const std::string a_dir = dir_.File("index-a");
  ASSERT_TRUE(search::Rebuild(*store_, a_dir).ok());
  std::string shared;
  for (const auto& [name, frameworks] : ManifestShards(a_dir)) {
    if (frameworks.size() >= 2) shared = frameworks.front();
  }
  ASSERT_FALSE(shared.empty()) << "no shard of the rebuilt index holds two frameworks";
  const auto it = std::find_if(final_.begin(), final_.end(),
                               [&](const FrameworkDoc& d) { return d.framework.uuid == shared; });
  ASSERT_NE(it, final_.end());
  {
    auto a = search::OpenWritableIndex(a_dir);
    ASSERT_TRUE(a.ok()) << a.status().message();
    std::int64_t seq = (*a)->IndexedSeq();
    const auto step = [&](const Status& s) {
      ASSERT_TRUE(s.ok()) << s.message();
      ASSERT_TRUE((*a)->Commit(++seq).ok());
    };
    step((*a)->Put(Changed(*it, "manage every team budget with coaching", true)));
    const FrameworkDoc passing = TinyCopy("GONE", "manage a coaching budget for the team");
    step((*a)->Put(passing));
    step((*a)->Put(Changed(passing, "and its health and safety risks", false)));
    step((*a)->Remove(passing.framework.uuid));
    step((*a)->Put(*it));
  }
  auto a = search::OpenReadOnlyIndex(a_dir);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_GT(StoredDocuments(a_dir), static_cast<Xapian::doccount>((*a)->Documents()))
      << "the history left no masked documents, so it tests nothing";

  // Index B: the final state alone, one framework at a time, in the opposite order.
  const std::string b_dir = dir_.File("index-b");
  {
    auto b = search::OpenWritableIndex(b_dir);
    ASSERT_TRUE(b.ok()) << b.status().message();
    for (auto doc = final_.rbegin(); doc != final_.rend(); ++doc) {
      ASSERT_TRUE((*b)->Put(*doc).ok());
    }
    ASSERT_TRUE((*b)->Commit(1).ok());
  }
  auto b = search::OpenReadOnlyIndex(b_dir);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ((*a)->Documents(), (*b)->Documents());
  EXPECT_EQ((*a)->Size(), (*b)->Size());
  EXPECT_EQ(StoredDocuments(b_dir), static_cast<Xapian::doccount>((*b)->Documents()));

  for (const char* text :
       {"manage", "team", "coaching", "budget", "manage risk", "\"health and safety\"",
        "\"risk register\"", "lead AND team", "budget -project", "title:budget", "hiring staff",
        "sentence", "a test that reads", "ODSMLD1", "budgte", "managment of a teem"}) {
    search::Query q;
    q.text = text;
    q.size = 100;
    ExpectSameAnswers(**a, **b, q);
    q.size = 3;  // a page cut inside a run of equal scores keeps the same units
    q.page = 2;
    ExpectSameAnswers(**a, **b, q);
  }
  // Browsing by a filter alone: every score is equal, so the order is the tie-break's.
  search::Query browse;
  browse.filters = {{"type", "unit"}};
  browse.size = 100;
  ExpectSameAnswers(**a, **b, browse);
}

TEST_F(SearchHistory, EqualScoresAreOrderedByUrnThenUuid) {
  const std::string dir = dir_.File("index");
  ASSERT_TRUE(search::Rebuild(*store_, dir).ok());
  auto index = search::OpenReadOnlyIndex(dir);
  ASSERT_TRUE(index.ok()) << index.status().message();
  search::Query q;
  q.text = "sentence";  // the same unit text in every HIST copy
  q.size = 100;
  auto r = (*index)->Search(q);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_GE(r->hits.size(), 2u);
  for (size_t i = 1; i < r->hits.size(); ++i) {
    const search::Hit& before = r->hits[i - 1];
    const search::Hit& after = r->hits[i];
    ASSERT_GE(before.score, after.score);
    if (before.score == after.score) {
      EXPECT_LT(std::tie(before.urn, before.unit_uuid), std::tie(after.urn, after.unit_uuid))
          << Describe(before) << " / " << Describe(after);
    }
  }
}

}  // namespace
}  // namespace opennos
