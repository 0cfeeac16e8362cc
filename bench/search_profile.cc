// Where the time of a search goes, measured: the query path of opennos::search (index.cc,
// RunSearch) rebuilt here step by step with stage timers and with knobs, so that a change to
// index.cc can be tried against the same index and the same queries before it is made. This is
// a copy for measurement (of index.cc as of 2026-11-25, 20:40 UTC): what the product does is
// src/search/index.cc. Thesaurus expansion and "-word" exclusion are left out (the benchmark's
// queries use neither).
//
//   search_profile INDEX_DIR QUERIES_FILE [--rounds=N] VARIANT...
//   search_profile --compact INDEX_DIR OUT_DIR     # all shards into one database, to compare
//
// INDEX_DIR is DATA/index: its manifest's shards are opened as one database (or a single
// Xapian database, e.g. the --compact output). Every query runs under every variant in turn,
// N rounds (default 3); a query's figure is its fastest round (so a busy moment of a shared
// machine hits all variants alike).
//
// A VARIANT is comma-separated knobs (defaults = what index.cc does):
//   check=N        check_at_least (10000, for every search)
//   count=1|0      the DistinctKeySpy that counts the total as distinct units (1)
//   spies=distinct|combined|onevalue|packed|none
//                  facet counting. distinct: six DistinctCountSpy, as index.cc (a set of
//                  unit-UUID strings per facet value); combined: one spy that reads each slot
//                  once and counts distinct units as interned numbers; onevalue: a spy that
//                  reads one value per document (the collapse key), the cost floor of facets
//                  looked up per unit in memory; packed: reads the collapse key and the type
//                  (slots 6 and 1), the cost of a unit's facets packed into its collapse value
//                  plus the type; none: no facets (a plain search)
//   collapse=0|1   collapse by unit (1)
//   snippet=full|bg|plain|none
//                  full: BACKGROUND_MODEL|EXHAUSTIVE (as index.cc); bg: BACKGROUND_MODEL only;
//                  plain: neither; none: no snippets
//   spell=0|1      FLAG_SPELLING_CORRECTION in the query parser (1)
//   suggest=0|1    the "did you mean" pass, Suggest() (1)
//   boost=source|term|tiebreak|exact|none
//                  source: the exact-URN/title OR, and in force as a FixedWeightPostingSource
//                  filtered by XN in an AND_MAYBE (as index.cc); term: the same with the XN term
//                  itself weighted x1.5 (the first version); tiebreak: the exact OR, and equal
//                  relevance ordered by a value instead (set_sort_by_relevance_then_value on
//                  the validity slot, standing in for an in-force slot); exact: the exact OR
//                  only; none: neither
//   name=TEXT      label (no commas)
// Prints, per variant, p50/p99/mean of the whole search and the mean of each stage: parse
// (parser and suggestion), match (get_mset, spies included), docs (hits' data), snippets,
// facets (reading the counts).

#include <xapian.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "search/schema.h"
#include "text/text.h"

namespace {
namespace schema = opennos::search::schema;
namespace text = opennos::text;
using Clock = std::chrono::steady_clock;

struct Knobs {
  std::string name;
  Xapian::doccount check = 10000;
  bool count = true;
  std::string spies = "distinct";
  bool collapse = true;
  std::string snippet = "full";
  bool spell = true, suggest = true;
  std::string boost = "source";
};

Knobs Parse(const std::string& spec) {
  Knobs k;
  k.name = spec;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    const std::string kv = spec.substr(start, end - start);
    const size_t eq = kv.find('=');
    if (eq != std::string::npos) {
      const std::string key = kv.substr(0, eq), v = kv.substr(eq + 1);
      if (key == "check") k.check = static_cast<Xapian::doccount>(std::stoul(v));
      else if (key == "spies") k.spies = v;
      else if (key == "collapse") k.collapse = v == "1";
      else if (key == "snippet") k.snippet = v;
      else if (key == "spell") k.spell = v == "1";
      else if (key == "suggest") k.suggest = v == "1";
      else if (key == "count") k.count = v == "1";
      else if (key == "boost") k.boost = v;
      else if (key == "name") k.name = v;
      else throw std::runtime_error("unknown knob " + key);
    }
    start = end + 1;
  }
  return k;
}

Xapian::SimpleStopper& Stopper() {
  static Xapian::SimpleStopper* stopper = [] {
    auto* s = new Xapian::SimpleStopper();
    for (const auto& w : text::StopWords()) s->add(w);
    return s;
  }();
  return *stopper;
}

// As index.cc.
class DistinctCountSpy : public Xapian::MatchSpy {
 public:
  DistinctCountSpy(Xapian::valueno slot, bool multi) : slot_(slot), multi_(multi) {}
  void operator()(const Xapian::Document& doc, double) override {
    const std::string v = doc.get_value(slot_);
    if (v.empty()) return;
    const std::string key = doc.get_value(schema::kSlotCollapse);
    if (!multi_) {
      seen_[v].insert(key);
      return;
    }
    size_t start = 0;
    while (start < v.size()) {
      size_t end = v.find('\n', start);
      if (end == std::string::npos) end = v.size();
      if (end > start) seen_[v.substr(start, end - start)].insert(key);
      start = end + 1;
    }
  }
  size_t Values() const { return seen_.size(); }

 private:
  Xapian::valueno slot_;
  bool multi_;
  std::unordered_map<std::string, std::unordered_set<std::string>> seen_;
};

// The alternative: one spy for all six facets; the unit's UUID is read once per document and
// interned to a number, and a value's distinct units are a set of numbers.
class CombinedSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    const std::string key = doc.get_value(schema::kSlotCollapse);
    auto [it, fresh] = units_.try_emplace(key, static_cast<std::uint32_t>(units_.size()));
    const std::uint32_t unit = it->second;
    for (Xapian::valueno slot = 0; slot < 6; ++slot) {
      const std::string v = doc.get_value(slot);
      if (v.empty()) continue;
      auto& per_slot = seen_[slot];
      if (slot != schema::kSlotOccupations) {
        per_slot[v].insert(unit);
        continue;
      }
      size_t start = 0;
      while (start < v.size()) {
        size_t end = v.find('\n', start);
        if (end == std::string::npos) end = v.size();
        if (end > start) per_slot[v.substr(start, end - start)].insert(unit);
        start = end + 1;
      }
    }
  }
  size_t Values() const {
    size_t n = 0;
    for (const auto& s : seen_) n += s.size();
    return n;
  }

 private:
  std::unordered_map<std::string, std::uint32_t> units_;
  std::unordered_map<std::string, std::unordered_set<std::uint32_t>> seen_[6];
};

class OneValueSpy : public Xapian::MatchSpy {
 public:
  explicit OneValueSpy(bool type) : type_(type) {}
  void operator()(const Xapian::Document& doc, double) override {
    if (type_) seen_.insert(doc.get_value(schema::kSlotType) + doc.get_value(schema::kSlotCollapse));
    else seen_.insert(doc.get_value(schema::kSlotCollapse));
  }
  size_t Values() const { return seen_.size(); }

 private:
  bool type_;
  std::unordered_set<std::string> seen_;
};

// As index.cc.
class DistinctKeySpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    ++documents_;
    keys_.insert(doc.get_value(schema::kSlotCollapse));
  }

 private:
  Xapian::doccount documents_ = 0;
  std::unordered_set<std::string> keys_;
};

// As index.cc's Suggest.
std::string Suggest(const std::string& normalised, const Xapian::Database& db) {
  std::string out = normalised;
  bool changed = false;
  size_t from = 0;
  for (const std::string& word : text::Tokens(normalised)) {
    const size_t at = out.find(word, from);
    if (at == std::string::npos) continue;
    from = at + word.size();
    const bool digit = std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (word.size() < 4 || digit || db.get_termfreq(word) > 0) continue;
    const std::string better = db.get_spelling_suggestion(word);
    if (better.empty() || text::IsStopWord(better)) continue;
    out.replace(at, word.size(), better);
    from = at + better.size();
    changed = true;
  }
  return changed ? out : "";
}

std::string Term(const char* prefix, const std::string& value) {
  std::string t = std::string(prefix) + value;
  if (t.size() > 200) t.resize(200);
  return t;
}

struct Timing {
  double total = 0, parse = 0, match = 0, docs = 0, snippets = 0, facets = 0;
};

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

Timing Search(Xapian::Database& db, const std::string& raw, const Knobs& k, size_t* values) {
  Timing t;
  const auto t0 = Clock::now();
  const std::string normalised = text::Normalise(raw);
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stopper(&Stopper());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_OR);
  qp.add_prefix("title", schema::kTitleWords);
  qp.add_prefix("code", schema::kCodeWords);
  const unsigned spell = k.spell ? Xapian::QueryParser::FLAG_SPELLING_CORRECTION : 0;
  Xapian::Query q;
  try {
    q = qp.parse_query(normalised, Xapian::QueryParser::FLAG_PHRASE |
                                       Xapian::QueryParser::FLAG_BOOLEAN |
                                       Xapian::QueryParser::FLAG_LOVEHATE | spell);
  } catch (const Xapian::QueryParserError&) {
    q = qp.parse_query(normalised, spell);
  }
  std::string suggestion = k.suggest ? Suggest(normalised, db) : "";
  std::string trimmed = normalised;
  trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
  trimmed.erase(trimmed.find_last_not_of(" \t\r\n") + 1);
  if (q.empty() || trimmed.empty()) {
    t.parse = t.total = Ms(t0, Clock::now());
    return t;
  }
  if (k.boost != "none") {
    const Xapian::Query exact[] = {
        q,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                      Xapian::Query(Term(schema::kExactUrn, trimmed)), 60),
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                      Xapian::Query(Term(schema::kExactTitle, trimmed)), 30)};
    q = Xapian::Query(Xapian::Query::OP_OR, std::begin(exact), std::end(exact));
  }
  if (k.boost == "source") {
    Xapian::Query boost((new Xapian::FixedWeightPostingSource(0.5))->release());
    q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                      Xapian::Query(Xapian::Query::OP_FILTER, boost,
                                    Xapian::Query(schema::kInForce)));
  } else if (k.boost == "term") {
    q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                    Xapian::Query(schema::kInForce), 1.5));
  }
  const auto t1 = Clock::now();
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  if (k.collapse) enquire.set_collapse_key(schema::kSlotCollapse);
  if (k.boost == "tiebreak") enquire.set_sort_by_relevance_then_value(schema::kSlotValidity, false);
  DistinctKeySpy counted;
  if (k.count) enquire.add_matchspy(&counted);
  std::vector<std::unique_ptr<DistinctCountSpy>> spies;
  std::unique_ptr<CombinedSpy> combined;
  std::unique_ptr<OneValueSpy> one;
  const bool facets = k.spies != "none";
  if (k.spies == "distinct") {
    const Xapian::valueno slots[] = {0, 1, 5, 2, 3, 4};
    for (Xapian::valueno s : slots) {
      spies.push_back(std::make_unique<DistinctCountSpy>(s, s == schema::kSlotOccupations));
      enquire.add_matchspy(spies.back().get());
    }
  } else if (k.spies == "combined") {
    combined = std::make_unique<CombinedSpy>();
    enquire.add_matchspy(combined.get());
  } else if (k.spies == "onevalue" || k.spies == "packed") {
    one = std::make_unique<OneValueSpy>(k.spies == "packed");
    enquire.add_matchspy(one.get());
  }
  Xapian::MSet mset = enquire.get_mset(0, 10, k.check);
  const auto t2 = Clock::now();
  std::vector<std::string> texts;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const Xapian::Document doc = it.get_document();
    const boost::json::object data = boost::json::parse(doc.get_data()).as_object();
    texts.emplace_back(data.at("text").as_string());
  }
  const auto t3 = Clock::now();
  if (k.snippet != "none") {
    unsigned flags = 0;
    if (k.snippet == "full" || k.snippet == "bg") flags |= Xapian::MSet::SNIPPET_BACKGROUND_MODEL;
    if (k.snippet == "full") flags |= Xapian::MSet::SNIPPET_EXHAUSTIVE;
    Xapian::Stem stemmer("english");
    for (const auto& s : texts) mset.snippet(s, 240, stemmer, flags, "<mark>", "</mark>", "…");
  }
  const auto t4 = Clock::now();
  if (facets) {
    *values += combined ? combined->Values() : 0;
    *values += one ? one->Values() : 0;
    for (const auto& s : spies) *values += s->Values();
  }
  const auto t5 = Clock::now();
  t.parse = Ms(t0, t1);
  t.match = Ms(t1, t2);
  t.docs = Ms(t2, t3);
  t.snippets = Ms(t3, t4);
  t.facets = Ms(t4, t5);
  t.total = Ms(t0, t5);
  (void)suggestion;
  return t;
}

// DATA/index: the shards its manifest lists ("shard UUID NAME" lines), as one database; or a
// plain Xapian database.
Xapian::Database OpenIndex(const std::string& dir) {
  std::ifstream manifest(dir + "/manifest");
  if (!manifest) return Xapian::Database(dir);
  Xapian::Database db;
  std::string kind, uuid, name;
  for (std::string line; std::getline(manifest, line);) {
    std::istringstream fields(line);
    if (fields >> kind >> uuid >> name && kind == "shard") {
      db.add_database(Xapian::Database(dir + "/shards/" + name));
    }
  }
  return db;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: search_profile INDEX_DIR QUERIES_FILE [--rounds=N] VARIANT...\n";
    return 2;
  }
  if (std::string(argv[1]) == "--compact") {
    OpenIndex(argv[2]).compact(argv[3], Xapian::DBCOMPACT_MULTIPASS);
    std::printf("compacted into %s\n", argv[3]);
    return 0;
  }
  Xapian::Database db = OpenIndex(argv[1]);
  std::printf("%u documents in %zu database(s)\n", db.get_doccount(), db.size());
  std::vector<std::string> queries;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) queries.push_back(line);
  }
  int rounds = 3, first = 3;
  if (std::string(argv[3]).rfind("--rounds=", 0) == 0) {
    rounds = std::max(1, std::atoi(argv[3] + 9));
    first = 4;
  }
  std::vector<Knobs> variants;
  for (int i = first; i < argc; ++i) variants.push_back(Parse(argv[i]));
  size_t values = 0;
  for (const Knobs& k : variants) {
    for (const auto& q : queries) Search(db, q, k, &values);  // warm-up
  }
  // Interleaved: each round runs every query under every variant in turn, and a query's
  // figure is its fastest round, so that a busy moment of the machine hits all variants alike.
  std::vector<std::vector<Timing>> best(variants.size(), std::vector<Timing>(queries.size()));
  for (auto& v : best) {
    for (auto& t : v) t.total = 1e300;
  }
  for (int r = 0; r < rounds; ++r) {
    for (size_t qi = 0; qi < queries.size(); ++qi) {
      for (size_t vi = 0; vi < variants.size(); ++vi) {
        const Timing t = Search(db, queries[qi], variants[vi], &values);
        if (t.total < best[vi][qi].total) best[vi][qi] = t;
      }
    }
  }
  std::printf("%zu queries, each its fastest of %d interleaved rounds\n", queries.size(), rounds);
  std::printf("%-44s %8s %8s %8s | mean ms: %7s %7s %7s %7s %7s\n", "variant", "p50", "p99",
              "mean", "parse", "match", "docs", "snippet", "facets");
  for (size_t vi = 0; vi < variants.size(); ++vi) {
    std::vector<double> total;
    Timing sum;
    for (const Timing& t : best[vi]) {
      total.push_back(t.total);
      sum.parse += t.parse;
      sum.match += t.match;
      sum.docs += t.docs;
      sum.snippets += t.snippets;
      sum.facets += t.facets;
    }
    const double n = static_cast<double>(queries.size());
    std::printf("%-44s %8.3f %8.3f %8.3f | mean ms: %7.3f %7.3f %7.3f %7.3f %7.3f\n",
                variants[vi].name.c_str(), Percentile(total, 50), Percentile(total, 99),
                std::accumulate(total.begin(), total.end(), 0.0) / n, sum.parse / n,
                sum.match / n, sum.docs / n, sum.snippets / n, sum.facets / n);
  }
  return 0;
}
