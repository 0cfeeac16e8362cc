#include "search/index.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string_view>
#include <thread>
#include <unicode/unistr.h>
#include <unordered_map>
#include <unordered_set>

#include "search/schema.h"
#include "text/text.h"

namespace opennos::search {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxTermBytes = 200;
constexpr size_t kMaxQueryBytes = 1000;
// What being in force adds to a match's weight: enough to put the current edition of an unchanged
// unit first, too little to lift a weaker match over a better one.
constexpr double kInForceBoost = 0.5;
// BM25's parameters. A unit's document holds all its statements, so a word in the title (weight
// 5) competes with words spread over many statements: k1 above Xapian's default 1 lets a word's
// weight in the document keep counting (the relevance table passes from 1.2 to 4).
constexpr double kBm25K1 = 2.0;
constexpr double kBm25B = 0.5;
// The rest of Xapian's BM25 as this index has always used it: a query word given twice weighs
// 4/3 as much (k3 = 1), and no document counts as shorter than half the average.
constexpr double kBm25K3 = 1.0;
constexpr double kBm25MinNormLen = 0.5;
// More shards than this (re-indexed frameworks each get one) and the writer merges the small
// ones, so that a query opens few databases.
constexpr size_t kMaxShards = 8;

std::string Term(const char* prefix, const std::string& value) {
  std::string t = std::string(prefix) + value;
  if (t.size() > kMaxTermBytes) t.resize(kMaxTermBytes);
  return t;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Xapian::SimpleStopper& Stopper() {
  static Xapian::SimpleStopper* stopper = [] {
    auto* s = new Xapian::SimpleStopper();
    for (const auto& w : text::StopWords()) s->add(w);
    return s;
  }();
  return *stopper;
}

struct FacetDef {
  const char* name;
  const char* prefix;
};

const std::vector<FacetDef>& Facets() {
  static const std::vector<FacetDef> kFacets{
      {"suite", schema::kSuite},         {"type", schema::kType},
      {"occupation", schema::kOccupation}, {"developer", schema::kDeveloper},
      {"validity", schema::kValidity},   {"category", schema::kCategory},
  };
  return kFacets;
}

bool Indexable(const Item& item) {
  return item.type != ItemType::kKeyArea && item.type != ItemType::kFunction;
}

// --- The shard table ----------------------------------------------------------------------------
// Each shard carries, in its metadata, a table of its documents' groups: a group is a unit and its
// statements (or one item outside any unit), whose documents have consecutive document ids. The
// table holds what every document of a group shares (the unit's URN and title, its framework,
// its facet values), so that facet counts and results read a few arrays in memory instead of
// each matching document's values.

void PutNum(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void PutStr(std::string& out, std::string_view s) {
  PutNum(out, s.size());
  out.append(s);
}

// Reads what PutNum and PutStr wrote; any overrun marks it failed (a damaged table).
class Cursor {
 public:
  explicit Cursor(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
  std::uint64_t Num() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return Fail();
      const auto b = static_cast<unsigned char>(*p_++);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Fail();
  }
  std::string_view Str() {
    const std::uint64_t n = Num();
    if (n > static_cast<std::uint64_t>(end_ - p_)) {
      Fail();
      return {};
    }
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  bool ok() const { return ok_; }
  bool done() const { return p_ == end_; }

 private:
  std::uint64_t Fail() {
    ok_ = false;
    p_ = end_;
    return 0;
  }
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

constexpr std::uint32_t kNone = 0xFFFFFFFF;
constexpr std::uint8_t kTypeCount = static_cast<std::uint8_t>(ItemType::kStatement) + 1;

struct Group {
  std::uint32_t framework = 0;  // into ShardTable::frameworks
  std::uint32_t count = 0;      // its items (the unit and its statements), all in one document
  std::uint32_t length = 0;     // its document's length (the sum of its terms' wdf), for BM25
  std::uint16_t types = 0;      // a bit per ItemType among its items
  std::string key;              // the unit's UUID, or the lone item's own
  std::string unit;             // the unit's UUID; "" for an item outside any unit
  std::string urn, title;       // the unit's (for a lone item, its own)
  std::uint32_t developer = kNone, validity = kNone, category = kNone;  // into values
  std::vector<std::uint32_t> occupations;                               // into values
};

struct ShardFramework {
  std::string uuid, code, edition, title;
};

// The collapse key of a group: its shard's id and its number there, 4 bytes each. A match
// decider reads it to tell which shard and group a document belongs to (Xapian hands deciders
// and spies the document's id within its own shard, without saying which shard).
std::string GroupKey(std::uint32_t shard, std::uint32_t group) {
  std::string key(8, '\0');
  for (int i = 0; i < 4; ++i) {
    key[static_cast<size_t>(i)] = static_cast<char>(shard >> (24 - 8 * i));
    key[static_cast<size_t>(4 + i)] = static_cast<char>(group >> (24 - 8 * i));
  }
  return key;
}

bool ParseGroupKey(const std::string& key, std::uint32_t& shard, std::uint32_t& group) {
  if (key.size() != 8) return false;
  shard = group = 0;
  for (int i = 0; i < 4; ++i) {
    shard = (shard << 8) | static_cast<unsigned char>(key[static_cast<size_t>(i)]);
    group = (group << 8) | static_cast<unsigned char>(key[static_cast<size_t>(4 + i)]);
  }
  return true;
}

// A shard's id: a hash of its folder name (names are unique; two shards of one index with the
// same id make the index count as damaged, and a rebuild names them afresh).
std::uint32_t ShardId(std::string_view name) {
  std::uint32_t h = 2166136261u;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

struct ShardTable {
  std::uint32_t id = 0;
  std::vector<ShardFramework> frameworks;
  std::vector<std::string> values;  // facet values, each once
  std::vector<Group> groups;        // in document id order: group g is document g + 1

  std::string Serialise() const {
    std::string out;
    PutNum(out, id);
    PutNum(out, frameworks.size());
    for (const auto& f : frameworks) {
      PutStr(out, f.uuid);
      PutStr(out, f.code);
      PutStr(out, f.edition);
      PutStr(out, f.title);
    }
    PutNum(out, values.size());
    for (const auto& v : values) PutStr(out, v);
    PutNum(out, groups.size());
    for (const Group& g : groups) {
      PutNum(out, g.framework);
      PutNum(out, g.count);
      PutNum(out, g.length);
      PutNum(out, g.types);
      PutStr(out, g.key);
      PutStr(out, g.unit);
      PutStr(out, g.urn);
      PutStr(out, g.title);
      for (std::uint32_t v : {g.developer, g.validity, g.category}) PutNum(out, v + 1ull);
      PutNum(out, g.occupations.size());
      for (std::uint32_t o : g.occupations) PutNum(out, o);
    }
    return out;
  }

  // Nullopt when the bytes are not a whole table.
  static std::optional<ShardTable> Parse(std::string_view bytes) {
    ShardTable t;
    Cursor c(bytes);
    t.id = static_cast<std::uint32_t>(c.Num());
    const auto frameworks = c.Num();
    for (std::uint64_t i = 0; i < frameworks && c.ok(); ++i) {
      ShardFramework f;
      f.uuid = c.Str();
      f.code = c.Str();
      f.edition = c.Str();
      f.title = c.Str();
      t.frameworks.push_back(std::move(f));
    }
    const auto values = c.Num();
    for (std::uint64_t i = 0; i < values && c.ok(); ++i) t.values.emplace_back(c.Str());
    const auto groups = c.Num();
    const auto value_ref = [&](std::uint64_t v) -> std::uint32_t {
      if (v == 0) return kNone;
      if (v > t.values.size()) return kNone;
      return static_cast<std::uint32_t>(v - 1);
    };
    for (std::uint64_t i = 0; i < groups && c.ok(); ++i) {
      Group g;
      const auto fw = c.Num();
      if (fw >= t.frameworks.size()) return std::nullopt;
      g.framework = static_cast<std::uint32_t>(fw);
      g.count = static_cast<std::uint32_t>(c.Num());
      g.length = static_cast<std::uint32_t>(c.Num());
      const auto types = c.Num();
      if (types >= (1u << kTypeCount)) return std::nullopt;
      g.types = static_cast<std::uint16_t>(types);
      g.key = c.Str();
      g.unit = c.Str();
      g.urn = c.Str();
      g.title = c.Str();
      g.developer = value_ref(c.Num());
      g.validity = value_ref(c.Num());
      g.category = value_ref(c.Num());
      const auto occupations = c.Num();
      for (std::uint64_t k = 0; k < occupations && c.ok(); ++k) {
        const auto o = c.Num();
        if (o >= t.values.size()) return std::nullopt;
        g.occupations.push_back(static_cast<std::uint32_t>(o));
      }
      t.groups.push_back(std::move(g));
    }
    if (!c.ok() || !c.done()) return std::nullopt;
    return t;
  }
};

// The term that says a word occurs in an item of `type` within a group's document (docs/search.md).
std::string TypedTerm(ItemType type, std::string_view word) {
  std::string t = schema::kTypedWords;
  t.push_back(static_cast<char>('A' + static_cast<int>(type)));
  t.append(word);
  if (t.size() > kMaxTermBytes) t.resize(kMaxTermBytes);
  return t;
}

// A stemmed free-text term with no field prefix ("Zbudget"), whose word is the rest.
bool IsPlainStemmedTerm(std::string_view term) {
  return term.size() > 1 && term[0] == 'Z' && !(term[1] >= 'A' && term[1] <= 'Z');
}

// True for the stem of a stop word (a stop word's stem may differ from it: "does" -> "doe").
bool IsStemmedStopWord(const std::string& stem) {
  static const std::unordered_set<std::string> kStems = [] {
    std::unordered_set<std::string> stems;
    Xapian::Stem english("english");
    for (const auto& w : text::StopWords()) stems.insert(english(w));
    return stems;
  }();
  return kStems.count(stem) > 0;
}

// The term that says two words (their stems), neither a stop word, stand next to each other in
// an item (docs/search.md): it narrows a phrase's candidates before its positions are checked.
std::string PairTerm(const std::string& first, const std::string& second) {
  return Term(schema::kPairs, first + " " + second);
}

// The stems of a phrase's words, or none when it is not a phrase of plain words.
std::vector<std::string> PhraseWords(const Xapian::Query& q) {
  std::vector<std::string> words;
  if (q.get_type() != Xapian::Query::OP_PHRASE) return words;
  for (size_t i = 0; i < q.get_num_subqueries(); ++i) {
    const Xapian::Query leaf = q.get_subquery(i);
    if (leaf.get_type() != Xapian::Query::LEAF_TERM) return {};
    const std::string term = *leaf.get_terms_begin();
    if (!IsPlainStemmedTerm(term)) return {};
    words.push_back(term.substr(1));
  }
  return words;
}

// A phrase of two words, neither a stop word, matches exactly the documents with their pair
// term, weighted as Xapian weights a phrase (as its words together): the same answer without
// reading positions. The query with each such phrase replaced; other nodes are kept as they are
// (only operators without parameters are rebuilt on the way down).
Xapian::Query WithoutTwoWordPhrases(const Xapian::Query& q) {
  const auto op = q.get_type();
  if (op == Xapian::Query::OP_PHRASE) {
    const auto words = PhraseWords(q);
    if (words.size() != 2 || IsStemmedStopWord(words[0]) || IsStemmedStopWord(words[1])) return q;
    return Xapian::Query(Xapian::Query::OP_FILTER,
                         Xapian::Query(Xapian::Query::OP_AND, q.get_subquery(0), q.get_subquery(1)),
                         Xapian::Query(PairTerm(words[0], words[1])));
  }
  switch (op) {
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_XOR: {
      std::vector<Xapian::Query> subs;
      bool changed = false;
      for (size_t i = 0; i < q.get_num_subqueries(); ++i) {
        subs.push_back(WithoutTwoWordPhrases(q.get_subquery(i)));
        changed = changed || subs.back().serialise() != q.get_subquery(i).serialise();
      }
      return changed ? Xapian::Query(op, subs.begin(), subs.end()) : q;
    }
    default:
      return q;
  }
}

// One item of a group, as its document's data holds it.
struct StoredItem {
  std::string uuid, code, text;
  ItemType type = ItemType::kStatement;
  Xapian::termpos first = 0;  // its first word's position in the document
};

// The document of one group (a unit and its statements, or one item outside any unit): every
// item's words, each item at positions of its own, so that a search can tell afterwards which
// items of a matching unit hold the words; for each word, a term per item type it occurs in
// (the type filter and facet); the filter terms; the collapse key; and as data each item's
// UUID, code, type, first position and text (the rest of a result comes from the shard table).
Xapian::Document BuildDocument(const Framework& f, const Item* unit,
                               const std::vector<const Item*>& items, const std::string& key,
                               const std::string& suite, Xapian::TermGenerator& tg) {
  Xapian::Document doc;
  tg.set_document(doc);
  tg.set_termpos(0);
  const UnitFields& u = unit != nullptr ? unit->unit : items.front()->unit;
  const auto index = [&tg](const std::string& s, Xapian::termcount weight, const char* prefix) {
    if (s.empty()) return;
    tg.index_text(text::Normalise(s), weight, prefix);
    tg.increase_termpos();
  };
  std::string data;
  PutNum(data, items.size());
  std::vector<Xapian::termpos> firsts;
  firsts.reserve(items.size());
  std::uint16_t types = 0;
  for (const Item* item : items) {
    const bool is_unit = item->type == ItemType::kUnit;
    // Spelling suggestions come from the units' own words: titles, overviews, keywords.
    tg.set_flags(is_unit ? Xapian::TermGenerator::FLAG_SPELLING
                         : Xapian::TermGenerator::flags(0));
    const Xapian::termpos first = tg.get_termpos() + 1;
    firsts.push_back(first);
    types = static_cast<std::uint16_t>(types | (1u << static_cast<unsigned>(item->type)));
    if (is_unit) {
      const UnitFields& own = item->unit;
      const std::string title = text::Normalise(item->title);
      if (!title.empty()) {
        tg.index_text(title, 5);
        tg.increase_termpos();
        tg.index_text(title, 1, schema::kTitleWords);
        tg.increase_termpos();
      }
      index(own.urn, 5, "");
      index(item->code, 2, schema::kCodeWords);
      index(item->text, 2, "");
      index(own.overview, 1, "");
      for (const auto& k : own.keywords) index(k, 2, "");
      for (const auto& o : own.occupations) index(o, 1, "");
      if (!own.urn.empty()) doc.add_term(Term(schema::kExactUrn, Lower(own.urn)));
      if (!title.empty()) doc.add_term(Term(schema::kExactTitle, title));
    } else {
      if (!item->title.empty()) {
        const std::string title = text::Normalise(item->title);
        tg.index_text(title, 2);
        tg.increase_termpos();
        tg.index_text(title, 1, schema::kTitleWords);
        tg.increase_termpos();
      }
      index(item->text, 1, "");
      index(item->code, 1, schema::kCodeWords);
    }
    tg.increase_termpos();
    PutStr(data, item->uuid);
    PutStr(data, item->code);
    PutNum(data, static_cast<std::uint64_t>(item->type));
    PutNum(data, first);
    PutStr(data, is_unit ? (item->text.empty() ? item->unit.overview : item->text)
                         : (item->text.empty() ? item->title : item->text));
  }
  // Each word's item types, and each pair of adjacent words (for phrases), from positions.
  std::vector<std::string> words;
  std::vector<std::uint32_t> word_at(tg.get_termpos() + 2, kNone);
  std::vector<std::uint16_t> word_types;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    if (!IsPlainStemmedTerm(term)) continue;
    const auto w = static_cast<std::uint32_t>(words.size());
    std::uint16_t in = 0;
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
      const size_t at = static_cast<size_t>(
          std::upper_bound(firsts.begin(), firsts.end(), *p) - firsts.begin());
      if (at > 0) in = static_cast<std::uint16_t>(in | (1u << static_cast<unsigned>(items[at - 1]->type)));
      if (*p < word_at.size()) word_at[*p] = w;
    }
    words.push_back(term.substr(1));
    word_types.push_back(in);
  }
  for (size_t w = 0; w < words.size(); ++w) {
    for (unsigned type = 0; type < kTypeCount; ++type) {
      if (word_types[w] & (1u << type)) {
        doc.add_boolean_term(TypedTerm(static_cast<ItemType>(type), words[w]));
      }
    }
  }
  for (size_t p = 1; p + 1 < word_at.size(); ++p) {
    const std::uint32_t a = word_at[p], b = word_at[p + 1];
    if (a == kNone || b == kNone || IsStemmedStopWord(words[a]) || IsStemmedStopWord(words[b])) {
      continue;
    }
    doc.add_boolean_term(PairTerm(words[a], words[b]));
  }
  doc.add_boolean_term(Term(schema::kSuite, suite));
  for (unsigned type = 0; type < kTypeCount; ++type) {
    if (types & (1u << type)) {
      doc.add_boolean_term(
          Term(schema::kType, std::string(ItemTypeName(static_cast<ItemType>(type)))));
    }
  }
  const std::string& developer = u.developed_by.empty() ? f.publisher : u.developed_by;
  if (!developer.empty()) doc.add_boolean_term(Term(schema::kDeveloper, developer));
  if (unit != nullptr) {
    doc.add_boolean_term(Term(schema::kValidity, u.validity.empty() ? "current" : u.validity));
  }
  const bool in_force = f.status != FrameworkStatus::kSuperseded &&
                        f.status != FrameworkStatus::kWithdrawn && u.validity != "legacy";
  if (in_force) doc.add_boolean_term(schema::kInForce);
  if (!u.category.empty()) doc.add_boolean_term(Term(schema::kCategory, u.category));
  for (const auto& o : u.occupations) doc.add_boolean_term(Term(schema::kOccupation, o));
  doc.add_value(schema::kSlotCollapse, key);
  doc.set_data(data);
  return doc;
}

// The items of a group's document data; false when it is damaged.
bool ReadItems(const std::string& data, std::vector<StoredItem>& out) {
  Cursor c(data);
  const auto n = c.Num();
  for (std::uint64_t i = 0; i < n && c.ok(); ++i) {
    StoredItem item;
    item.uuid = c.Str();
    item.code = c.Str();
    const auto type = c.Num();
    if (type >= kTypeCount) return false;
    item.type = static_cast<ItemType>(type);
    item.first = static_cast<Xapian::termpos>(c.Num());
    item.text = c.Str();
    out.push_back(std::move(item));
  }
  return c.ok() && c.done() && !out.empty();
}

// The English stemmer with a memory of the words it has stemmed: a shard's words repeat, and
// Snowball was a sixth of the build's instructions. One per shard builder (not thread-safe).
class CachingStemmer : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override {
    auto it = cache_.find(word);
    if (it != cache_.end()) return it->second;
    std::string stem = english_(word);
    if (cache_.size() < kMaxWords) cache_.emplace(word, stem);
    return stem;
  }
  std::string get_description() const override { return "english, cached"; }

 private:
  static constexpr size_t kMaxWords = 1 << 20;
  Xapian::Stem english_{"english"};
  std::unordered_map<std::string, std::string> cache_;
};

// Documents a shard builder adds between flushes to disk. Xapian's default (10,000) held whole
// shards of unit documents in memory (1.6 GB at 1M statements) and made its inverter slow.
constexpr Xapian::doccount kFlushEvery = 200;

// Writes one shard: the documents of one or more frameworks, then the table, in one commit.
class ShardBuilder {
 public:
  explicit ShardBuilder(std::string path) : path_(std::move(path)) {
    table_.id = ShardId(fs::path(path_).filename().string());
  }

  void Add(const FrameworkDoc& doc) {
    if (!wdb_) {
      wdb_ = std::make_unique<Xapian::WritableDatabase>(
          path_, Xapian::DB_CREATE | Xapian::DB_NO_TERMLIST | Xapian::DB_NO_SYNC);
      tg_.set_database(*wdb_);
      tg_.set_stemmer(Xapian::Stem(new CachingStemmer()));
      tg_.set_stopper(&Stopper());
      tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    }
    const Framework& f = doc.framework;
    const auto fw = static_cast<std::uint32_t>(table_.frameworks.size());
    table_.frameworks.push_back({f.uuid, f.code, f.edition, f.title});
    frameworks_.push_back(f.uuid);
    const std::string suite = f.code + "@" + f.edition;
    // Each item's unit (a parent comes before its children), then the groups in order.
    std::unordered_map<std::string_view, const Item*> unit_of;
    unit_of.reserve(doc.items.size());
    struct Members {
      const Item* unit;
      std::vector<const Item*> items;
    };
    std::vector<Members> members;
    std::unordered_map<const Item*, size_t> group_of_unit;
    const bool public_framework = IsPublic(f);
    for (const Item& item : doc.items) {
      const Item* unit = nullptr;
      if (item.type == ItemType::kUnit) {
        unit = &item;
      } else if (auto p = unit_of.find(item.parent_uuid); p != unit_of.end()) {
        unit = p->second;
      }
      unit_of[item.uuid] = unit;
      if (!Indexable(item) || !public_framework) continue;  // drafts stay unsearchable
      if (unit == nullptr) {
        members.push_back({nullptr, {&item}});
        continue;
      }
      auto [at, added] = group_of_unit.try_emplace(unit, members.size());
      if (added) members.push_back({unit, {}});
      members[at->second].items.push_back(&item);
    }
    for (const Members& m : members) {
      const Item& head = m.unit != nullptr ? *m.unit : *m.items.front();
      const UnitFields& u = head.unit;
      Group g;
      g.framework = fw;
      g.count = static_cast<std::uint32_t>(m.items.size());
      for (const Item* item : m.items) {
        g.types = static_cast<std::uint16_t>(g.types | (1u << static_cast<unsigned>(item->type)));
      }
      g.key = head.uuid;
      g.unit = m.unit != nullptr ? m.unit->uuid : "";
      g.urn = u.urn;
      g.title = head.title;
      const std::string& developer = u.developed_by.empty() ? f.publisher : u.developed_by;
      if (!developer.empty()) g.developer = Value(developer);
      if (m.unit != nullptr) g.validity = Value(u.validity.empty() ? "current" : u.validity);
      if (!u.category.empty()) g.category = Value(u.category);
      for (const auto& o : u.occupations) g.occupations.push_back(Value(o));
      const std::string key =
          GroupKey(table_.id, static_cast<std::uint32_t>(table_.groups.size()));
      const Xapian::Document built = BuildDocument(f, m.unit, m.items, key, suite, tg_);
      for (auto t = built.termlist_begin(); t != built.termlist_end(); ++t) {
        g.length += t.get_wdf();
      }
      const Xapian::docid id = wdb_->add_document(built);
      table_.groups.push_back(std::move(g));
      if (id != table_.groups.size()) {
        throw Xapian::InvalidOperationError("unexpected document id in a new shard");
      }
      if (id % kFlushEvery == 0) wdb_->commit();
    }
  }

  bool empty() const { return !wdb_; }
  const std::vector<std::string>& frameworks() const { return frameworks_; }

  void Finish() {
    if (!wdb_) return;
    wdb_->set_metadata(schema::kMetaSchema, schema::kSchemaVersion);
    wdb_->set_metadata(schema::kMetaTable, table_.Serialise());
    wdb_->commit();
    wdb_->close();
    wdb_.reset();
  }

 private:
  std::uint32_t Value(const std::string& v) {
    auto [it, added] = value_ids_.try_emplace(v, static_cast<std::uint32_t>(table_.values.size()));
    if (added) table_.values.push_back(v);
    return it->second;
  }

  std::string path_;
  std::unique_ptr<Xapian::WritableDatabase> wdb_;
  Xapian::TermGenerator tg_;
  ShardTable table_;
  std::unordered_map<std::string, std::uint32_t> value_ids_;
  std::vector<std::string> frameworks_;
};

// The tables of the shards this process has open, shared by every reader (they never change).
Result<std::shared_ptr<const ShardTable>> TableOf(const std::string& path,
                                                   const Xapian::Database& shard) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const ShardTable>> cache;
  {
    std::lock_guard lock(mutex);
    if (auto it = cache.find(path); it != cache.end()) {
      auto table = it->second.lock();
      if (table && table->groups.size() == shard.get_doccount()) return table;
    }
  }
  const std::string blob = shard.get_metadata(schema::kMetaTable);
  auto parsed = ShardTable::Parse(blob);
  if (!parsed || parsed->groups.size() != shard.get_doccount() ||
      parsed->id != ShardId(fs::path(path).filename().string()) ||
      shard.get_lastdocid() != shard.get_doccount()) {
    return Status::Invalid("the search index shard " + path + " is damaged");
  }
  auto table = std::make_shared<const ShardTable>(std::move(*parsed));
  std::lock_guard lock(mutex);
  for (auto it = cache.begin(); it != cache.end();) {
    it = it->second.expired() ? cache.erase(it) : std::next(it);
  }
  cache[path] = table;
  return table;
}

// --- The manifest -------------------------------------------------------------------------------
// The index is a set of shards listed by a manifest (docs/search.md). A shard holds the
// frameworks it was built with; the manifest names, for each shard, those of them it is current
// for. A framework re-indexed later lives in a newer shard, and its documents in the older one
// are masked until that shard is merged away or the index rebuilt.
constexpr const char* kManifest = "manifest";
constexpr const char* kManifestHeader = "opennos-index 4";

struct Manifest {
  std::int64_t seq = 0;
  std::map<std::string, std::vector<std::string>> shards;  // shard folder -> current frameworks
  bool operator==(const Manifest&) const = default;
};

Result<Manifest> ReadManifest(const std::string& dir) {
  std::ifstream in(dir + "/" + kManifest);
  if (!in) return Status::NotFound("no search index at " + dir);
  Manifest m;
  std::string line;
  const Status damaged = Status::Invalid("the search index manifest in " + dir + " is damaged");
  if (!std::getline(in, line) || line != kManifestHeader) return damaged;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind, a;
    fields >> kind >> a;
    if (kind == "seq") {
      try {
        m.seq = std::stoll(a);
      } catch (const std::exception&) {
        return damaged;
      }
    } else if (kind == "shard" && !a.empty() && a.find('/') == std::string::npos &&
               a.find("..") == std::string::npos) {
      auto& list = m.shards[a];
      for (std::string uuid; fields >> uuid;) list.push_back(uuid);
      if (list.empty()) return damaged;
    } else if (!line.empty()) {
      return damaged;
    }
  }
  return m;
}

Status WriteManifest(const std::string& dir, const Manifest& m) {
  const std::string path = dir + "/" + kManifest, temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << kManifestHeader << "\nseq " << m.seq << "\n";
    for (const auto& [shard, frameworks] : m.shards) {
      if (frameworks.empty()) continue;
      out << "shard " << shard;
      for (const auto& uuid : frameworks) out << " " << uuid;
      out << "\n";
    }
    out.flush();
    if (!out) return Status::Io("cannot write " + temp);
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) return Status::Io("cannot replace " + path + ": " + ec.message());
  return Status::Ok();
}

// --- Building shards from the store -------------------------------------------------------------

struct BuiltShard {
  std::string name;
  std::vector<std::string> frameworks;
};

struct Built {
  std::vector<BuiltShard> shards;
  std::vector<std::string> missing;  // frameworks no longer in the store
};

int Workers() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

// Builds shards in `shard_dir` for the frameworks `uuids`, on up to one worker per core, each
// worker writing one shard named `prefix`-N. The store is read on this thread (it is this
// thread's) while the workers index. On failure nothing built is left behind.
Result<Built> BuildShards(Store& store, const std::string& shard_dir,
                          const std::vector<std::string>& uuids, const std::string& prefix,
                          RebuildProgress progress, void* context) {
  const int workers = std::max(1, std::min(Workers(), static_cast<int>(uuids.size())));
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::shared_ptr<FrameworkDoc>> queue;
  bool done_loading = false;
  Status failure;
  std::int64_t built = 0;
  const auto total = static_cast<std::int64_t>(uuids.size());
  std::vector<std::unique_ptr<ShardBuilder>> builders;
  for (int w = 0; w < workers; ++w) {
    builders.push_back(
        std::make_unique<ShardBuilder>(shard_dir + "/" + prefix + "-" + std::to_string(w)));
  }
  Built out;
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      ShardBuilder& builder = *builders[static_cast<size_t>(w)];
      for (;;) {
        std::shared_ptr<FrameworkDoc> job;
        {
          std::unique_lock lk(mutex);
          cv.wait(lk, [&] { return !queue.empty() || done_loading; });
          if (queue.empty()) break;
          job = std::move(queue.front());
          queue.pop_front();
        }
        cv.notify_all();
        Status s;
        {
          bool skip;
          {
            std::lock_guard lk(mutex);
            skip = !failure.ok();
          }
          if (!skip) {
            try {
              builder.Add(*job);
            } catch (const Xapian::Error& e) {
              s = Status::Io("search index: " + e.get_msg());
            }
          }
        }
        job.reset();
        std::lock_guard lk(mutex);
        if (!s.ok() && failure.ok()) failure = s;
        ++built;
        if (progress) progress(built, total, context);
      }
      try {
        builder.Finish();
      } catch (const Xapian::Error& e) {
        std::lock_guard lk(mutex);
        if (failure.ok()) failure = Status::Io("search index: " + e.get_msg());
      }
    });
  }
  for (const std::string& uuid : uuids) {
    auto doc = store.LoadFramework(uuid);
    std::unique_lock lk(mutex);
    if (!doc.ok() && doc.status().code() == Status::Code::kNotFound) {
      out.missing.push_back(uuid);
      ++built;
      continue;
    }
    if (!doc.ok()) {
      if (failure.ok()) failure = doc.status();
      break;
    }
    // At most two frameworks wait in memory per worker.
    cv.wait(lk, [&] { return queue.size() < static_cast<size_t>(2 * workers); });
    queue.push_back(std::make_shared<FrameworkDoc>(std::move(*doc)));
    cv.notify_all();
  }
  {
    std::lock_guard lk(mutex);
    done_loading = true;
  }
  cv.notify_all();
  for (auto& t : pool) t.join();
  for (int w = 0; w < workers; ++w) {
    const std::string name = prefix + "-" + std::to_string(w);
    if (!failure.ok()) {
      std::error_code ec;
      fs::remove_all(shard_dir + "/" + name, ec);
    } else if (!builders[static_cast<size_t>(w)]->frameworks().empty()) {
      out.shards.push_back({name, builders[static_cast<size_t>(w)]->frameworks()});
    }
  }
  if (!failure.ok()) return failure;
  return out;
}

// Holds an advisory lock on `path` for the object's life.
class FileLock {
 public:
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Acquire(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::Io("cannot open " + path);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return Status::Conflict("the search index is being written by another process (a running "
                              "server?)");
    }
    return Status::Ok();
  }

 private:
  int fd_ = -1;
};

// --- Reading ------------------------------------------------------------------------------------

struct LoadedShard {
  std::string name;
  Xapian::Database db;  // this shard alone (the counting pass reads shards one by one)
  std::shared_ptr<const ShardTable> table;
  std::vector<char> dead;    // per group: its framework is current in another shard
  // The dead groups as runs of document ids [first, last] (a framework's groups are
  // consecutive), for leaving them out of term frequencies.
  std::vector<std::pair<Xapian::docid, Xapian::docid>> dead_runs;
  std::uint32_t offset = 0;  // its first group's number among all the index's groups
};

// What a search reads: the shards as one database, and their tables.
struct View {
  Xapian::Database db;
  std::vector<LoadedShard> shards;
  std::uint32_t groups = 0;
  std::int64_t live_items = 0;      // units and statements in live groups
  std::int64_t live_documents = 0;  // live groups (one document each)
  std::uint64_t live_length = 0;    // the live documents' lengths, summed
  bool any_dead = false;
  std::uint16_t types = 0;  // a bit per item type any group holds

  // The shard and group of a document of `db` (a shard's document g + 1 is its group g).
  struct Place {
    const LoadedShard* shard;
    std::uint32_t group;
  };
  Place Locate(Xapian::docid did) const {
    const auto n = static_cast<Xapian::docid>(shards.size());
    return {&shards[(did - 1) % n], (did - 1) / n};
  }
  // The shard and group of a collapse key, or nullptr.
  const LoadedShard* ByKey(const std::string& key, std::uint32_t& group) const {
    std::uint32_t id = 0;
    if (!ParseGroupKey(key, id, group)) return nullptr;
    for (const LoadedShard& s : shards) {
      if (s.table->id == id) return group < s.dead.size() ? &s : nullptr;
    }
    return nullptr;
  }
};

Result<View> OpenView(const std::string& dir, const Manifest& m) {
  View v;
  try {
    for (const auto& [name, frameworks] : m.shards) {
      const std::string path = dir + "/shards/" + name;
      Xapian::Database shard(path);
      auto table = TableOf(path, shard);
      if (!table.ok()) return table.status();
      LoadedShard s;
      s.name = name;
      s.db = shard;
      s.table = *table;
      for (const LoadedShard& other : v.shards) {
        if (other.table->id == s.table->id) {
          return Status::Invalid("the search index at " + dir + " has two shards with one id");
        }
      }
      s.offset = v.groups;
      const std::unordered_set<std::string> current(frameworks.begin(), frameworks.end());
      std::vector<char> dead_framework;
      for (const auto& f : s.table->frameworks) dead_framework.push_back(!current.count(f.uuid));
      s.dead.reserve(s.table->groups.size());
      for (const Group& g : s.table->groups) {
        const bool dead = dead_framework[g.framework] != 0;
        const auto did = static_cast<Xapian::docid>(s.dead.size() + 1);
        s.dead.push_back(dead);
        v.any_dead = v.any_dead || dead;
        if (dead && !s.dead_runs.empty() && s.dead_runs.back().second + 1 == did) {
          s.dead_runs.back().second = did;
        } else if (dead) {
          s.dead_runs.emplace_back(did, did);
        } else {
          v.live_items += g.count;
          v.live_documents += 1;
          v.live_length += g.length;
        }
        v.types = static_cast<std::uint16_t>(v.types | g.types);
      }
      v.groups += static_cast<std::uint32_t>(s.table->groups.size());
      v.db.add_database(shard);
      v.shards.push_back(std::move(s));
    }
  } catch (const Xapian::Error& e) {
    return Status::Invalid("the search index at " + dir + " is damaged: " + e.get_msg());
  }
  return v;
}

Result<Results> RunSearch(const View& view, const Query& q);

class ShardedIndex final : public Index {
 public:
  ShardedIndex(std::string dir, bool writable) : dir_(std::move(dir)), writable_(writable) {}

  Status Open() {
    if (writable_) {
      std::error_code ec;
      fs::create_directories(dir_ + "/shards", ec);
      if (ec) return Status::Io("cannot create " + dir_ + ": " + ec.message());
      if (Status s = lock_.Acquire(dir_ + "/lock"); !s.ok()) return s;
      if (!fs::exists(dir_ + "/" + kManifest)) {
        if (Status s = WriteManifest(dir_, Manifest{}); !s.ok()) return s;
      }
    }
    auto m = ReadManifest(dir_);
    if (!m.ok()) return m.status();
    return Load(std::move(*m));
  }

  Status Put(const FrameworkDoc& doc) override {
    const std::string name = "p" + std::to_string(NextGeneration());
    try {
      ShardBuilder builder(dir_ + "/shards/" + name);
      builder.Add(doc);
      builder.Finish();
    } catch (const Xapian::Error& e) {
      std::error_code ec;
      fs::remove_all(dir_ + "/shards/" + name, ec);
      return Status::Io("search index: " + e.get_msg());
    }
    Stage(name, {doc.framework.uuid});
    return Status::Ok();
  }

  // Records a shard built elsewhere as the current one for `frameworks`.
  void Stage(const std::string& name, const std::vector<std::string>& frameworks) {
    for (const std::string& uuid : frameworks) Drop(uuid);
    manifest_.shards[name] = frameworks;
  }

  Status Remove(const std::string& framework_uuid) override {
    Drop(framework_uuid);
    return Status::Ok();
  }

  Status Commit(std::int64_t change_seq) override {
    manifest_.seq = change_seq;
    if (Status s = WriteManifest(dir_, manifest_); !s.ok()) return s;
    // Readers that still have an old shard open keep reading it until they reopen.
    for (const auto& name : obsolete_) {
      std::error_code ec;
      fs::remove_all(dir_ + "/shards/" + name, ec);
    }
    obsolete_.clear();
    return Load(manifest_);
  }

  std::int64_t IndexedSeq() override { return manifest_.seq; }

  std::int64_t Size() override { return view_.live_items; }
  std::int64_t Documents() override { return view_.live_documents; }

  Status Reopen() override {
    if (writable_) return Status::Ok();  // it alone changes the index
    auto m = ReadManifest(dir_);
    if (m.ok() && *m == manifest_) return Status::Ok();
    if (!m.ok()) return m.status();
    return Load(std::move(*m));
  }

  Result<Results> Search(const Query& q) override {
    auto r = RunSearch(view_, q);
    if (r.ok() || writable_) return r;
    // A shard went away under us (re-indexed by the writer): open the new set and retry.
    auto m = ReadManifest(dir_);
    if (!m.ok()) return m.status();
    if (Status s = Load(std::move(*m)); !s.ok()) return s;
    return RunSearch(view_, q);
  }

  const std::string& dir() const { return dir_; }
  const Manifest& manifest() const { return manifest_; }
  std::string NewName(const char* kind) { return kind + std::to_string(NextGeneration()); }

  // Live documents per shard, for choosing what to merge.
  std::map<std::string, std::int64_t> ShardSizes() const {
    std::map<std::string, std::int64_t> sizes;
    for (const LoadedShard& s : view_.shards) {
      std::int64_t live = 0;
      for (size_t g = 0; g < s.table->groups.size(); ++g) {
        if (!s.dead[g]) live += s.table->groups[g].count;
      }
      sizes[s.name] = live;
    }
    return sizes;
  }

 private:
  void Drop(const std::string& uuid) {
    for (auto it = manifest_.shards.begin(); it != manifest_.shards.end();) {
      auto& list = it->second;
      list.erase(std::remove(list.begin(), list.end(), uuid), list.end());
      if (list.empty()) {
        obsolete_.push_back(it->first);
        it = manifest_.shards.erase(it);
      } else {
        ++it;
      }
    }
  }

  std::uint64_t NextGeneration() {
    if (generation_ == 0) {
      generation_ = static_cast<std::uint64_t>(
          std::chrono::system_clock::now().time_since_epoch().count());
    }
    return generation_++;
  }

  Status Load(Manifest m) {
    auto view = OpenView(dir_, m);
    if (!view.ok()) return view.status();
    manifest_ = std::move(m);
    view_ = std::move(*view);
    return Status::Ok();
  }

  std::string dir_;
  bool writable_;
  FileLock lock_;
  Manifest manifest_;
  View view_;
  std::vector<std::string> obsolete_;
  std::uint64_t generation_ = 0;
};

bool HasDigit(const std::string& word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The query with each misspelt word corrected, or "" when no word needs it. A word is misspelt
// when it is four letters or more, has no digit (codes and SOC numbers are not words) and occurs
// in no live document (`live_freq` of its term); its correction must not be a stop word, and
// must occur in a live document. Words are corrected one by one, so a known word is never
// changed and never blocks the correction of another.
template <typename LiveFreq>
std::string Suggest(const std::string& normalised, const Xapian::Database& db,
                    LiveFreq&& live_freq) {
  const Xapian::Stem stemmer("english");
  std::string out = normalised;
  bool changed = false;
  size_t from = 0;
  for (const std::string& word : text::Tokens(normalised)) {
    const size_t at = out.find(word, from);
    if (at == std::string::npos) continue;
    from = at + word.size();
    if (word.size() < 4 || HasDigit(word) || live_freq("Z" + stemmer(word)) > 0) continue;
    const std::string better = db.get_spelling_suggestion(word);
    if (better.empty() || text::IsStopWord(better) || live_freq("Z" + stemmer(better)) == 0) {
      continue;
    }
    out.replace(at, word.size(), better);
    from = at + better.size();
    changed = true;
  }
  return changed ? out : "";
}

// Xapian knows its operators only in capitals, and Normalise folds case: keep them as typed.
std::string NormaliseKeepingOperators(const std::string& raw) {
  static const std::unordered_set<std::string> kOperators{"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
  std::string out;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find_first_of(" \t\r\n", start);
    if (end == std::string::npos) end = raw.size();
    const std::string word = raw.substr(start, end - start);
    out += kOperators.count(word) ? word : text::Normalise(word);
    if (end < raw.size()) out += raw[end];
    start = end + 1;
  }
  return out;
}

// `s` with each invalid UTF-8 sequence replaced by U+FFFD, fit to print in JSON or HTML.
std::string ValidUtf8(const std::string& s) {
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())))
      .toUTF8String(out);
  return out;
}

// Parses what a person typed. Operators work when well formed; anything the parser rejects
// is searched as plain words instead.
// A small workplace thesaurus: the everyday words people search with, and the words standards
// are written in. A query that contains the words on the left also looks for those on the right
// (docs/search.md).
struct Synonym {
  std::vector<std::string> words;  // a word or a run of words, normalised
  const char* also;                // added to the query
};

const std::vector<Synonym>& Thesaurus() {
  static const std::vector<Synonym> kThesaurus = [] {
    const std::vector<std::pair<const char*, const char*>> rows{
        {"argument", "conflict disagreement"}, {"arguments", "conflict disagreement"},
        {"arguing", "conflict disagreement"},  {"dispute", "conflict disagreement"},
        {"disputes", "conflict disagreement"}, {"falling out", "conflict disagreement"},
        {"hire", "recruit recruitment"},       {"hiring", "recruit recruitment"},
        {"employ", "recruit"},                 {"employee", "staff"},
        {"employees", "staff"},                {"worker", "staff"},
        {"workers", "staff"},                  {"measure", "evaluate assess"},
        {"measuring", "evaluate assess"},      {"too much work", "workload"},
        {"overworked", "workload"},            {"overload", "workload"},
        {"whistle blowing", "whistleblowing"}, {"whistle blower", "whistleblowing"},
        {"money", "budget financial"},         {"spending", "budget expenditure"},
        {"costs", "budget expenditure"},       {"boss", "manager"},
        {"sickness", "absence wellbeing"},     {"illness", "absence wellbeing"},
        {"bullying", "harassment conflict"},   {"client", "customer"},
        {"clients", "customers"},              {"mistakes", "errors quality"},
        {"training", "learning development"},  {"teach", "coach learning"},
        {"sacking", "dismissal disciplinary"}, {"firing", "dismissal disciplinary"},
        {"pay", "reward"},                     {"salary", "reward"},
        {"staff", "team"},                     {"rota", "schedule workload"}};
    std::vector<Synonym> out;
    for (const auto& [words, also] : rows) out.push_back({text::Tokens(words), also});
    return out;
  }();
  return kThesaurus;
}

// The query with the thesaurus's words for any it contains added (OR-ed, as extra words).
std::string WithSynonyms(const std::string& normalised) {
  const auto tokens = text::Tokens(normalised);
  std::string extra;
  for (const Synonym& s : Thesaurus()) {
    for (size_t i = 0; i + s.words.size() <= tokens.size(); ++i) {
      if (std::equal(s.words.begin(), s.words.end(), tokens.begin() + static_cast<long>(i))) {
        extra += std::string(" ") + s.also;
        break;
      }
    }
  }
  return extra.empty() ? normalised : normalised + extra;
}

// What a person typed, parsed: their own words, and the thesaurus's additions (empty when none).
struct Parsed {
  Xapian::Query typed, extra;
};

Parsed ParseText(const std::string& normalised, const Xapian::Database& db) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stopper(&Stopper());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
  qp.set_default_op(Xapian::Query::OP_OR);
  qp.add_prefix("title", schema::kTitleWords);
  qp.add_prefix("code", schema::kCodeWords);
  // No FLAG_SPELLING_CORRECTION: Suggest() corrects word by word, and the parser's own
  // correction (a spelling look-up in every shard) cost a quarter of a query's time.
  const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                         Xapian::QueryParser::FLAG_LOVEHATE;
  Xapian::Query parsed;
  try {
    parsed = qp.parse_query(normalised, flags);
  } catch (const Xapian::QueryParserError&) {
    parsed = qp.parse_query(normalised, 0);
  }
  const std::string expanded = WithSynonyms(normalised);
  if (expanded == normalised || parsed.empty()) return {parsed, {}};
  return {parsed,
          qp.parse_query(expanded.substr(normalised.size()), Xapian::QueryParser::FLAG_DEFAULT)};
}

// The words typed OR the thesaurus's, which widen the match (they never narrow it) at a lower
// weight.
Xapian::Query WithExtra(const Xapian::Query& typed, const Xapian::Query& extra) {
  if (extra.empty()) return typed;
  return Xapian::Query(Xapian::Query::OP_OR, typed,
                       Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, extra, 0.8));
}

// Rejects the documents of a framework re-indexed into another shard.
class Mask : public Xapian::MatchDecider {
 public:
  explicit Mask(const View& view) : view_(view) {}
  bool operator()(const Xapian::Document& doc) const override {
    std::uint32_t group = 0;
    const LoadedShard* s = view_.ByKey(doc.get_value(schema::kSlotCollapse), group);
    return s != nullptr && !s->dead[group];
  }

 private:
  const View& view_;
};

constexpr std::uint16_t kMatched = 0x8000;  // a group matched (the other bits: item types)

// Adds a fixed weight to the documents of what is in force: a posting source over the in-force
// term's posting list (one list to skip along, where a FixedWeightPostingSource filtered by the
// term was two and a filter).
class InForceBoost : public Xapian::PostingSource {
 public:
  explicit InForceBoost(double weight) : weight_(weight) { set_maxweight(weight); }
  InForceBoost* clone() const override { return new InForceBoost(weight_); }
  std::string name() const override { return "opennos.InForceBoost"; }
  void init(const Xapian::Database& db) override {
    db_ = db;
    it_ = db_.postlist_begin(schema::kInForce);
    end_ = db_.postlist_end(schema::kInForce);
    started_ = false;
    set_maxweight(weight_);
  }
  Xapian::doccount get_termfreq_min() const override { return db_.get_termfreq(schema::kInForce); }
  Xapian::doccount get_termfreq_est() const override { return db_.get_termfreq(schema::kInForce); }
  Xapian::doccount get_termfreq_max() const override { return db_.get_termfreq(schema::kInForce); }
  void next(double) override {
    if (started_) ++it_;
    started_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    started_ = true;
    it_.skip_to(did);
  }
  bool at_end() const override { return it_ == end_; }
  Xapian::docid get_docid() const override { return *it_; }
  double get_weight() const override { return weight_; }

 private:
  double weight_;
  Xapian::Database db_;
  Xapian::PostingIterator it_, end_;
  bool started_ = false;
};

// --- Ranking from the live documents alone -------------------------------------------------------
// Xapian's own statistics (the number of documents, each term's frequency, the average length)
// count every document of every shard, masked ones too, so they depend on the index's history:
// an index caught up change by change, with masked copies of re-indexed frameworks, would rank
// otherwise than one rebuilt for the same frameworks. So the ranked query carries each term's
// BM25 idf, worked out from the live documents, as a scale on the term, and LiveBm25 weighs a
// term's occurrences with the live documents' average length, never reading Xapian's
// collection statistics. Scores then depend only on what the index is current for.

// The live documents' statistics of a view, each term's frequency worked out once.
class LiveStats {
 public:
  explicit LiveStats(const View& view) : view_(view) {}

  // Live documents holding `term`: each shard's frequency, less its postings in masked groups.
  Xapian::doccount TermFreq(const std::string& term) {
    if (auto it = freqs_.find(term); it != freqs_.end()) return it->second;
    Xapian::doccount tf = 0;
    for (const LoadedShard& s : view_.shards) {
      Xapian::doccount n = s.db.get_termfreq(term);
      if (n == 0 || s.dead_runs.empty()) {
        tf += n;
        continue;
      }
      auto p = s.db.postlist_begin(term);
      const auto end = s.db.postlist_end(term);
      for (const auto& [first, last] : s.dead_runs) {
        p.skip_to(first);
        for (; p != end && *p <= last; ++p) --n;
        if (p == end) break;
      }
      tf += n;
    }
    freqs_.emplace(term, tf);
    return tf;
  }

  Xapian::doccount Documents() const { return static_cast<Xapian::doccount>(view_.live_documents); }

  double AverageLength() const {
    return view_.live_documents == 0
               ? 0.0
               : static_cast<double>(view_.live_length) / static_cast<double>(view_.live_documents);
  }

  // BM25's idf of `term` without relevance information, as Xapian works it out (a very common
  // term keeps a small positive weight instead of a negative one).
  double Idf(const std::string& term) {
    const double n = Documents(), tf = TermFreq(term);
    double odds = (n - tf + 0.5) / (tf + 0.5);
    if (odds < 2) odds = odds * 0.5 + 1;
    return std::log(odds);
  }

 private:
  const View& view_;
  std::unordered_map<std::string, Xapian::doccount> freqs_;
};

// BM25 (k1, b, k3 and the least normalised length as above) whose idf comes in as the factor
// (the term's scale, LiveStats::Idf times any scale around it) and whose average length is the
// live documents'. Xapian's statistics are used only for the bound on a term's weight.
class LiveBm25 : public Xapian::Weight {
 public:
  explicit LiveBm25(double average_length) : average_length_(average_length) {
    need_stat(WDF);
    need_stat(DOC_LENGTH);
    need_stat(WQF);
    need_stat(WDF_MAX);
    need_stat(DOC_LENGTH_MIN);
  }
  LiveBm25* clone() const override { return new LiveBm25(average_length_); }
  std::string name() const override { return "opennos.LiveBm25"; }
  void init(double factor) override {
    const double wqf = get_wqf();
    termweight_ = factor * ((kBm25K3 + 1) * wqf / (kBm25K3 + wqf)) * (kBm25K1 + 1);
    len_factor_ = average_length_ > 0 ? 1 / average_length_ : 0;
  }
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount length,
                     Xapian::termcount) const override {
    return Part(wdf, std::max(length * len_factor_, kBm25MinNormLen));
  }
  double get_maxpart() const override {
    const Xapian::termcount wdf = get_wdf_upper_bound();
    const double shortest = std::max(wdf, get_doclength_lower_bound()) * len_factor_;
    return Part(wdf, std::max(shortest, kBm25MinNormLen));
  }
  double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
  double get_maxextra() const override { return 0; }

 private:
  double Part(Xapian::termcount wdf, double normlen) const {
    const double w = wdf;
    return termweight_ * (w / (kBm25K1 * (normlen * kBm25B + (1 - kBm25B)) + w));
  }
  double average_length_;
  double termweight_ = 0;
  double len_factor_ = 0;
};

// The ranked form of a parsed query, for LiveBm25: each weighted term scaled by its live idf; a
// phrase (or NEAR) weighed as its words together, stop words left out of the weight when it has
// other words, and kept whole as a filter; the filtering sides of FILTER and AND_NOT left as
// they are. It matches exactly what `q` matches. The parser makes no other operator with words
// under it (no synonyms, wildcards or scales), so nothing else needs weighing.
Xapian::Query Ranked(const Xapian::Query& q, LiveStats& stats) {
  const auto op = q.get_type();
  const size_t n = q.get_num_subqueries();
  std::vector<Xapian::Query> subs;
  switch (op) {
    case Xapian::Query::LEAF_TERM:
      return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, stats.Idf(*q.get_terms_begin()));
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR: {
      std::vector<Xapian::Query> stop;
      for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) {
        const std::string term = *t;
        const bool is_stop = IsPlainStemmedTerm(term) && IsStemmedStopWord(term.substr(1));
        (is_stop ? stop : subs).push_back(Ranked(Xapian::Query(term), stats));
      }
      if (subs.empty()) subs = std::move(stop);
      return Xapian::Query(Xapian::Query::OP_FILTER,
                           Xapian::Query(Xapian::Query::OP_AND, subs.begin(), subs.end()), q);
    }
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER:
      subs.push_back(Ranked(q.get_subquery(0), stats));
      for (size_t i = 1; i < n; ++i) subs.push_back(q.get_subquery(i));
      return Xapian::Query(op, subs.begin(), subs.end());
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
      for (size_t i = 0; i < n; ++i) subs.push_back(Ranked(q.get_subquery(i), stats));
      return Xapian::Query(op, subs.begin(), subs.end());
    default:
      return q;  // nothing of its own to weigh: everything, nothing, a posting source
  }
}

// Orders equal scores by the unit's URN, then its UUID: what any index current for the same
// frameworks agrees on (document ids depend on the shards).
class UnitOrder : public Xapian::KeyMaker {
 public:
  explicit UnitOrder(const View& view) : view_(view) {}
  std::string operator()(const Xapian::Document& doc) const override {
    std::uint32_t group = 0;
    const LoadedShard* s = view_.ByKey(doc.get_value(schema::kSlotCollapse), group);
    if (s == nullptr) return {};
    const Group& g = s->table->groups[group];
    std::string key = g.urn;
    key.push_back('\0');
    key += g.key;
    return key;
  }

 private:
  const View& view_;
};

// Per group of the view: kMatched when it matches, and a bit per item type that holds a word.
struct Marks {
  explicit Marks(const View& view) : marks(view.groups, 0) {}
  std::vector<std::uint16_t> marks;
};

// A set of a shard's groups, a bit each.
using GroupBits = std::vector<std::uint64_t>;

// Notes the groups of the documents Xapian matches (it hands a spy the id within the shard).
class BitsSpy : public Xapian::MatchSpy {
 public:
  explicit BitsSpy(GroupBits& bits) : bits_(bits) {}
  void operator()(const Xapian::Document& doc, double) override {
    const std::uint32_t group = doc.get_docid() - 1;
    if (group / 64 < bits_.size()) bits_[group / 64] |= 1ull << (group % 64);
  }
  std::string name() const override { return "opennos.BitsSpy"; }

 private:
  GroupBits& bits_;
};

// The groups of one shard that match `query`, without ranking. Terms and the boolean operators
// are worked out from posting lists, which is several times cheaper than Xapian's matcher; a
// phrase (or anything else that needs positions) is left to the matcher, unranked.
GroupBits MatchingGroups(const Xapian::Database& shard, size_t groups, const Xapian::Query& q) {
  GroupBits out((groups + 63) / 64, 0);
  const auto sub = [&](size_t i) {
    return MatchingGroups(shard, groups, q.get_subquery(i));
  };
  const size_t n = q.get_num_subqueries();
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM: {
      const std::string term = *q.get_terms_begin();
      for (auto p = shard.postlist_begin(term); p != shard.postlist_end(term); ++p) {
        const std::uint32_t group = *p - 1;
        if (group < groups) out[group / 64] |= 1ull << (group % 64);
      }
      return out;
    }
    case Xapian::Query::LEAF_MATCH_ALL:
      for (size_t g = 0; g < groups; ++g) out[g / 64] |= 1ull << (g % 64);
      return out;
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return out;
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_AND_MAYBE:
      return sub(0);
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      for (size_t i = 0; i < n; ++i) {
        const GroupBits b = sub(i);
        for (size_t w = 0; w < out.size(); ++w) out[w] |= b[w];
      }
      return out;
    case Xapian::Query::OP_XOR:
      for (size_t i = 0; i < n; ++i) {
        const GroupBits b = sub(i);
        for (size_t w = 0; w < out.size(); ++w) out[w] ^= b[w];
      }
      return out;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
      out = sub(0);
      for (size_t i = 1; i < n; ++i) {
        const GroupBits b = sub(i);
        for (size_t w = 0; w < out.size(); ++w) out[w] &= b[w];
      }
      return out;
    case Xapian::Query::OP_AND_NOT:
      out = sub(0);
      for (size_t i = 1; i < n; ++i) {
        const GroupBits b = sub(i);
        for (size_t w = 0; w < out.size(); ++w) out[w] &= ~b[w];
      }
      return out;
    default: {
      // A phrase's words stand in pairs next to each other wherever it matches: the documents
      // with every pair are the only ones whose positions need checking.
      Xapian::Query checked = q;
      const auto words = PhraseWords(q);
      std::vector<Xapian::Query> pairs;
      for (size_t i = 0; i + 1 < words.size(); ++i) {
        if (IsStemmedStopWord(words[i]) || IsStemmedStopWord(words[i + 1])) continue;
        pairs.emplace_back(PairTerm(words[i], words[i + 1]));
      }
      if (!pairs.empty()) {
        checked = Xapian::Query(Xapian::Query::OP_FILTER, q,
                                Xapian::Query(Xapian::Query::OP_AND, pairs.begin(), pairs.end()));
      }
      BitsSpy spy(out);
      Xapian::Enquire enquire(shard);
      enquire.set_query(checked);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.set_docid_order(Xapian::Enquire::ASCENDING);
      enquire.add_matchspy(&spy);
      enquire.get_mset(0, 0, shard.get_doccount());
      return out;
    }
  }
}

// Marks every group matching `query` as matched, shard by shard, without ranking.
void MatchAll(const View& view, const Xapian::Query& query, Marks& m) {
  auto& marks = m.marks;
  for (const LoadedShard& shard : view.shards) {
    const GroupBits bits = MatchingGroups(shard.db, shard.dead.size(), query);
    for (size_t w = 0; w < bits.size(); ++w) {
      for (std::uint64_t b = bits[w]; b != 0; b &= b - 1) {
        const size_t group = w * 64 + static_cast<size_t>(__builtin_ctzll(b));
        if (!shard.dead[group]) marks[shard.offset + group] |= kMatched;
      }
    }
  }
}

// Marks each matched group with the types of its items that hold one of `words` (what the type
// filter asks of a group), reading the typed terms' posting lists shard by shard.
void MarkTypes(const View& view, const std::vector<std::string>& words, Marks& m) {
  auto& marks = m.marks;
  for (const LoadedShard& shard : view.shards) {
    for (unsigned type = 0; type < kTypeCount; ++type) {
      if ((view.types & (1u << type)) == 0) continue;
      const auto bit = static_cast<std::uint16_t>(1u << type);
      for (const std::string& w : words) {
        const std::string term = TypedTerm(static_cast<ItemType>(type), w);
        for (auto p = shard.db.postlist_begin(term); p != shard.db.postlist_end(term); ++p) {
          const std::uint32_t group = *p - 1;
          if (group >= shard.dead.size()) break;
          auto& mark = marks[shard.offset + group];
          if (mark & kMatched) mark = static_cast<std::uint16_t>(mark | bit);
        }
      }
    }
  }
}

// The facet counts and the total from the marked groups.
void CountFacets(const View& view, const Marks& m, Results& r) {
  std::map<std::string, std::int64_t> counts[6];  // in Facets() order
  std::int64_t type_counts[kTypeCount] = {};
  std::int64_t total = 0;
  const auto& marks = m.marks;
  for (const LoadedShard& s : view.shards) {
    const ShardTable& t = *s.table;
    std::vector<std::int64_t> suite(t.frameworks.size()), developer(t.values.size()),
        validity(t.values.size()), category(t.values.size()), occupation(t.values.size());
    for (std::uint32_t g = 0; g < t.groups.size(); ++g) {
      const std::uint16_t types = marks[s.offset + g];
      if ((types & kMatched) == 0) continue;
      ++total;
      const Group& group = t.groups[g];
      ++suite[group.framework];
      if (group.developer != kNone) ++developer[group.developer];
      if (group.validity != kNone) ++validity[group.validity];
      if (group.category != kNone) ++category[group.category];
      for (std::uint32_t o : group.occupations) ++occupation[o];
      for (std::uint8_t type = 0; type < kTypeCount; ++type) {
        if (types & (1u << type)) ++type_counts[type];
      }
    }
    for (size_t f = 0; f < suite.size(); ++f) {
      if (suite[f]) counts[0][t.frameworks[f].code + "@" + t.frameworks[f].edition] += suite[f];
    }
    for (size_t v = 0; v < t.values.size(); ++v) {
      if (occupation[v]) counts[2][t.values[v]] += occupation[v];
      if (developer[v]) counts[3][t.values[v]] += developer[v];
      if (validity[v]) counts[4][t.values[v]] += validity[v];
      if (category[v]) counts[5][t.values[v]] += category[v];
    }
  }
  for (std::uint8_t type = 0; type < kTypeCount; ++type) {
    if (type_counts[type]) {
      counts[1][std::string(ItemTypeName(static_cast<ItemType>(type)))] = type_counts[type];
    }
  }
  r.total = total;
  size_t i = 0;
  for (const FacetDef& d : Facets()) {
    std::vector<FacetValue> values;
    for (const auto& [value, count] : counts[i++]) values.push_back({value, count});
    std::sort(values.begin(), values.end(), [](const FacetValue& a, const FacetValue& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    if (values.size() > 50) values.resize(50);
    r.facets[d.name] = std::move(values);
  }
}

// The words (stems) a query looks for in the text, from its stemmed terms (field words too).
std::vector<std::string> WordsOf(const Xapian::Query& query) {
  std::vector<std::string> words;
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    const std::string term = *t;
    if (IsPlainStemmedTerm(term)) {
      words.push_back(term.substr(1));
    } else if (term.size() > 2 && term[0] == 'Z' && term[1] == schema::kTitleWords[0] &&
               !(term[2] >= 'A' && term[2] <= 'Z')) {
      words.push_back(term.substr(2));  // a title: word ("ZSbudget")
    }
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

// Matches the groups where an item of `type` holds one of `words`.
Xapian::Query TypedQuery(const std::vector<std::string>& words, ItemType type) {
  std::vector<Xapian::Query> terms;
  for (const std::string& w : words) terms.emplace_back(TypedTerm(type, w));
  if (terms.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// The item of a matching group that best stands for it: the one holding the most (by rarity)
// of the query's words, the unit on a tie; only items of `allowed` types when a type filter
// asks for them. Reads the words' positions in the group's document.
size_t BestItem(const Xapian::Database& db, Xapian::docid did,
                const std::vector<std::pair<std::string, double>>& weighted,
                const std::vector<StoredItem>& items, std::uint16_t allowed) {
  std::vector<double> score(items.size(), 0);
  std::vector<char> seen(items.size());
  for (const auto& [term, weight] : weighted) {
    std::fill(seen.begin(), seen.end(), 0);
    for (auto p = db.positionlist_begin(did, term); p != db.positionlist_end(did, term); ++p) {
      size_t at = items.size();
      while (at > 0 && items[at - 1].first > *p) --at;
      if (at == 0 || seen[at - 1]) continue;
      seen[at - 1] = 1;
      score[at - 1] += weight;
    }
  }
  size_t best = items.size();
  for (size_t i = 0; i < items.size(); ++i) {
    if (allowed != 0 && (allowed & (1u << static_cast<unsigned>(items[i].type))) == 0) continue;
    if (best == items.size() || score[i] > score[best]) best = i;
  }
  return best == items.size() ? 0 : best;
}

Result<Results> RunSearch(const View& view, const Query& q) {
  Results r;
  r.page = std::max(1, q.page);
  r.size = std::clamp(q.size, 1, 100);
  std::string raw = q.text;
  if (raw.size() > kMaxQueryBytes) {
    raw.resize(kMaxQueryBytes);
    while (!raw.empty() && (static_cast<unsigned char>(raw.back()) & 0xC0) == 0x80) raw.pop_back();
    if (!raw.empty() && (static_cast<unsigned char>(raw.back()) & 0x80)) raw.pop_back();
    r.message = "Only the first " + std::to_string(kMaxQueryBytes) +
                " characters of the search were used.";
  }
  r.query = ValidUtf8(raw);
  if (view.shards.empty()) return r;  // nothing indexed yet
  const Xapian::Database& db = view.db;
  try {
    const std::string normalised = text::Normalise(raw);
    LiveStats stats(view);
    const Parsed parsed = ParseText(NormaliseKeepingOperators(raw), db);
    const Xapian::Query typed = WithoutTwoWordPhrases(parsed.typed);
    // What matches (for the counting pass), and the same weighed from live statistics.
    Xapian::Query text_query = WithExtra(typed, parsed.extra);
    Xapian::Query ranked_query = WithExtra(Ranked(typed, stats), Ranked(parsed.extra, stats));
    r.suggestion =
        Suggest(normalised, db, [&](const std::string& term) { return stats.TermFreq(term); });
    std::string trimmed = normalised;
    trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
    trimmed.erase(trimmed.find_last_not_of(" \t\r\n") + 1);
    const auto tokens = text::Tokens(normalised);
    const bool only_stop_words =
        !tokens.empty() && std::all_of(tokens.begin(), tokens.end(), [](const std::string& w) {
          return text::IsStopWord(w) || w == "and" || w == "or" || w == "not";
        });
    const bool nothing_to_match = text_query.empty() || only_stop_words;
    const bool has_text = !nothing_to_match && !trimmed.empty();
    const std::vector<std::string> words = has_text ? WordsOf(text_query) : std::vector<std::string>{};
    if (!trimmed.empty()) {
      // An exact URN or whole title outranks everything else.
      const auto with_exact = [&](const Xapian::Query& q, bool ranked) {
        const auto exact = [&](const char* prefix, double scale) {
          Xapian::Query term(Term(prefix, trimmed));
          if (ranked) term = Ranked(term, stats);
          return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, term, scale);
        };
        const Xapian::Query any[] = {q, exact(schema::kExactUrn, 60),
                                     exact(schema::kExactTitle, 30)};
        return Xapian::Query(Xapian::Query::OP_OR, std::begin(any), std::end(any));
      };
      text_query = with_exact(text_query, false);
      ranked_query = with_exact(ranked_query, true);
    }
    // Filters: OR within a facet, AND across facets. With words, a type means a unit with an
    // item of that type that holds one of them; without, a unit with an item of that type.
    std::map<std::string, std::vector<Xapian::Query>> by_key;
    std::uint16_t allowed_types = 0;
    for (const Filter& f : q.filters) {
      const auto& defs = Facets();
      auto it = std::find_if(defs.begin(), defs.end(),
                             [&](const FacetDef& d) { return f.key == d.name; });
      if (it == defs.end()) {
        return Status::Invalid("unknown filter \"" + f.key + "\" (use one of: suite, type, "
                               "occupation, developer, validity, category)");
      }
      if (f.key == "type" && has_text) {
        const auto type = ParseItemType(f.value);
        by_key[f.key].push_back(type ? TypedQuery(words, *type) : Xapian::Query::MatchNothing);
        if (type) allowed_types = static_cast<std::uint16_t>(allowed_types | (1u << static_cast<unsigned>(*type)));
        continue;
      }
      if (f.key == "type") {
        if (const auto type = ParseItemType(f.value)) {
          allowed_types = static_cast<std::uint16_t>(allowed_types | (1u << static_cast<unsigned>(*type)));
        }
      }
      by_key[f.key].emplace_back(Term(it->prefix, f.value));
    }
    Xapian::Query filter;
    for (auto& [key, terms] : by_key) {
      Xapian::Query any(Xapian::Query::OP_OR, terms.begin(), terms.end());
      filter = filter.empty() ? any : Xapian::Query(Xapian::Query::OP_AND, filter, any);
    }
    Xapian::Query final_query, match_query;
    if (!has_text) {
      if (filter.empty()) {
        r.message = trimmed.empty() ? "Type some words to search for."
                                    : "Those words are too common to search for: try more "
                                      "specific ones.";
        return r;
      }
      final_query = match_query = filter;  // browse by filters alone
    } else {
      match_query = filter.empty() ? text_query
                                   : Xapian::Query(Xapian::Query::OP_FILTER, text_query, filter);
      // Among matches, prefer what is in force (a small boost, not a filter).
      ranked_query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, ranked_query,
                                   Xapian::Query((new InForceBoost(kInForceBoost))->release()));
      final_query = filter.empty() ? ranked_query
                                   : Xapian::Query(Xapian::Query::OP_FILTER, ranked_query, filter);
    }
    Mask mask(view);
    const Xapian::MatchDecider* decider = view.any_dead ? &mask : nullptr;

    // The page of results: one document per unit, ranked, found without visiting every match
    // (Xapian skips what cannot reach the page).
    Xapian::Enquire enquire(db);
    enquire.set_query(final_query);
    enquire.set_weighting_scheme(LiveBm25(stats.AverageLength()));
    const auto first = static_cast<Xapian::doccount>((r.page - 1) * r.size);
    const auto want = first + static_cast<Xapian::doccount>(r.size);
    // Equal scores in the order every index agrees on (UnitOrder; document ids depend on the
    // shards). Xapian's relevance-then-key sort would make that key for every candidate it
    // weighs; instead the ranking runs by relevance alone, up to the page's end and on while
    // the weight stays that of the page's last place, and only those are ordered.
    Xapian::MSet mset;
    for (Xapian::doccount fetch = want == 0 ? 0 : want + 1;; fetch *= 2) {
      mset = enquire.get_mset(0, fetch, 0, nullptr, decider);
      if (want == 0 || mset.size() < fetch ||
          mset[want - 1].get_weight() != mset[fetch - 1].get_weight()) {
        break;
      }
    }
    std::vector<std::pair<double, std::string>> keys(mset.size());
    const UnitOrder order(view);
    std::vector<Xapian::doccount> shown(mset.size());
    for (Xapian::doccount i = 0; i < mset.size(); ++i) {
      shown[i] = i;
      const double w = mset[i].get_weight();
      const bool tied = (i > 0 && mset[i - 1].get_weight() == w) ||
                        (i + 1 < mset.size() && mset[i + 1].get_weight() == w);
      keys[i] = {w, tied ? order(mset[i].get_document()) : std::string()};
    }
    std::stable_sort(shown.begin(), shown.end(), [&](Xapian::doccount a, Xapian::doccount b) {
      if (keys[a].first != keys[b].first) return keys[a].first > keys[b].first;
      return keys[a].second < keys[b].second;
    });
    if (shown.size() > want) shown.resize(want);
    shown.erase(shown.begin(), shown.begin() + std::min<std::size_t>(first, shown.size()));
    // The total and the facets: every match, counted by unit, without ranking; then, for a
    // search with words, the units where an item of each type holds one. A plain top-N query
    // takes Xapian's estimate of the total instead.
    if (q.facets) {
      Marks marks(view);
      MatchAll(view, match_query, marks);
      if (has_text) {
        MarkTypes(view, words, marks);
      } else {
        for (const LoadedShard& s : view.shards) {
          for (std::uint32_t g = 0; g < s.table->groups.size(); ++g) {
            auto& mark = marks.marks[s.offset + g];
            if (mark & kMatched) mark = static_cast<std::uint16_t>(mark | s.table->groups[g].types);
          }
        }
      }
      CountFacets(view, marks, r);
    } else {
      r.total = mset.get_matches_estimated();
    }
    // Each shown unit is represented by its item that holds the most of the words.
    // Stop words (in a phrase) count only when there is nothing else.
    std::vector<std::pair<std::string, double>> weighted;
    if (!shown.empty()) {
      const double n = std::max<double>(1, stats.Documents());
      const bool all_stop = std::all_of(words.begin(), words.end(), IsStemmedStopWord);
      for (const std::string& w : words) {
        if (!all_stop && IsStemmedStopWord(w)) continue;
        const std::string term = "Z" + w;
        const Xapian::doccount tf = stats.TermFreq(term);
        if (tf > 0) weighted.emplace_back(term, std::log(1 + n / static_cast<double>(tf)));
      }
    }
    Xapian::Stem stemmer("english");
    std::vector<StoredItem> items;
    for (const Xapian::doccount place : shown) {
      const Xapian::MSetIterator it = mset[place];
      const View::Place p = view.Locate(*it);
      const ShardTable& t = *p.shard->table;
      if (p.group >= t.groups.size()) return Status::Invalid("the search index is damaged");
      const Group& g = t.groups[p.group];
      const ShardFramework& f = t.frameworks[g.framework];
      items.clear();
      if (!ReadItems(it.get_document().get_data(), items)) {
        return Status::Invalid("the search index has a damaged document");
      }
      StoredItem& item = items[BestItem(db, *it, weighted, items, allowed_types)];
      Hit h;
      h.uuid = std::move(item.uuid);
      h.code = std::move(item.code);
      h.text = std::move(item.text);
      h.type = ItemTypeName(item.type);
      h.urn = g.urn;
      h.title = g.title;
      h.unit_uuid = g.unit;
      h.framework_uuid = f.uuid;
      h.framework_code = f.code;
      h.framework_edition = f.edition;
      h.framework_title = f.title;
      h.score = it.get_weight();
      if (q.snippets) {
        h.snippet = mset.snippet(h.text, 240, stemmer, Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                 "<mark>", "</mark>", "…");
      }
      r.hits.push_back(std::move(h));
    }
    return r;
  } catch (const Xapian::Error& e) {
    return Status::Io("search: " + e.get_msg());
  }
}

Result<std::unique_ptr<Index>> Open(const std::string& dir, bool writable) {
  auto index = std::make_unique<ShardedIndex>(dir, writable);
  if (Status s = index->Open(); !s.ok()) return s;
  return std::unique_ptr<Index>(std::move(index));
}

// Re-indexes `uuids` from the store into new shards of `index` (frameworks gone from the store
// are removed), without committing.
Status Reindex(Store& store, ShardedIndex& index, const std::vector<std::string>& uuids) {
  auto built = BuildShards(store, index.dir() + "/shards", uuids, index.NewName("c"), nullptr,
                           nullptr);
  if (!built.ok()) return built.status();
  for (const auto& uuid : built->missing) {
    if (Status s = index.Remove(uuid); !s.ok()) return s;
  }
  for (const BuiltShard& s : built->shards) index.Stage(s.name, s.frameworks);
  return Status::Ok();
}

// Keeps the shards few: past kMaxShards, the frameworks of all but the largest shards are
// indexed again together.
Status MergeSmallShards(Store& store, ShardedIndex& index) {
  if (index.manifest().shards.size() <= kMaxShards) return Status::Ok();
  std::vector<std::pair<std::int64_t, std::string>> by_size;
  for (const auto& [name, live] : index.ShardSizes()) by_size.emplace_back(live, name);
  std::sort(by_size.rbegin(), by_size.rend());
  const size_t keep = static_cast<size_t>(Workers());
  std::vector<std::string> uuids;
  for (size_t i = keep; i < by_size.size(); ++i) {
    const auto& frameworks = index.manifest().shards.at(by_size[i].second);
    uuids.insert(uuids.end(), frameworks.begin(), frameworks.end());
  }
  if (uuids.empty()) return Status::Ok();
  if (Status s = Reindex(store, index, uuids); !s.ok()) return s;
  return index.Commit(index.IndexedSeq());
}

}  // namespace

const std::vector<std::string>& FacetNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const FacetDef& d : Facets()) names.emplace_back(d.name);
    return names;
  }();
  return kNames;
}

Result<std::unique_ptr<Index>> OpenWritableIndex(const std::string& dir) {
  return Open(dir, true);
}

Result<std::unique_ptr<Index>> OpenReadOnlyIndex(const std::string& dir) {
  return Open(dir, false);
}

Status Rebuild(Store& store, const std::string& dir, RebuildProgress progress, void* context) {
  // Hold the write lock throughout, so no other process writes the index meanwhile.
  std::error_code ec;
  fs::create_directories(dir + "/shards", ec);
  FileLock lock;
  if (Status s = lock.Acquire(dir + "/lock"); !s.ok()) return s;
  auto seq = store.LastChange();
  if (!seq.ok()) return seq.status();
  auto frameworks = store.ListFrameworks();
  if (!frameworks.ok()) return frameworks.status();
  std::vector<std::string> uuids;
  for (const auto& summary : *frameworks) uuids.push_back(summary.framework.uuid);
  const std::string prefix =
      "r" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  auto built = BuildShards(store, dir + "/shards", uuids, prefix, progress, context);
  if (!built.ok()) return built.status();
  if (progress && uuids.empty()) progress(0, 0, context);
  Manifest fresh;
  fresh.seq = *seq;
  for (const BuiltShard& s : built->shards) fresh.shards[s.name] = s.frameworks;
  // Swap in the new manifest, then remove every shard it does not name.
  if (Status s = WriteManifest(dir, fresh); !s.ok()) return s;
  for (const auto& entry : fs::directory_iterator(dir + "/shards", ec)) {
    if (!fresh.shards.count(entry.path().filename().string())) fs::remove_all(entry.path(), ec);
  }
  return Status::Ok();
}

Result<int> CatchUp(Store& store, Index& index) {
  std::int64_t seq = index.IndexedSeq();
  std::vector<std::string> touched;
  std::unordered_set<std::string> seen;
  for (;;) {
    auto changes = store.ChangesSince(seq, 1000);
    if (!changes.ok()) return changes.status();
    if (changes->empty()) break;
    for (const Change& c : *changes) {
      if (seen.insert(c.framework_uuid).second) touched.push_back(c.framework_uuid);
      seq = c.seq;
    }
  }
  if (seq == index.IndexedSeq()) return 0;
  int reindexed = 0;
  auto* sharded = dynamic_cast<ShardedIndex*>(&index);
  if (sharded != nullptr && touched.size() > 1) {
    // Several frameworks: built together, on every core.
    if (Status s = Reindex(store, *sharded, touched); !s.ok()) return s;
    for (const auto& uuid : touched) {
      const auto& shards = sharded->manifest().shards;
      reindexed += std::any_of(shards.begin(), shards.end(), [&](const auto& s) {
        return std::find(s.second.begin(), s.second.end(), uuid) != s.second.end();
      });
    }
  } else {
    for (const std::string& uuid : touched) {
      auto doc = store.LoadFramework(uuid);
      if (!doc.ok() && doc.status().code() == Status::Code::kNotFound) {
        if (Status s = index.Remove(uuid); !s.ok()) return s;
        continue;
      }
      if (!doc.ok()) return doc.status();
      if (Status s = index.Put(*doc); !s.ok()) return s;
      ++reindexed;
    }
  }
  if (Status s = index.Commit(seq); !s.ok()) return s;
  if (sharded != nullptr) {
    if (Status s = MergeSmallShards(store, *sharded); !s.ok()) return s;
  }
  return reindexed;
}

Result<std::unique_ptr<Index>> OpenCurrentIndex(Store& store, const std::string& dir) {
  auto index = OpenWritableIndex(dir);
  if (!index.ok() && index.status().code() == Status::Code::kConflict) return index.status();
  if (!index.ok()) {
    // Missing or damaged: build it again from the store.
    if (Status s = Rebuild(store, dir); !s.ok()) return s;
    index = OpenWritableIndex(dir);
    if (!index.ok()) return index.status();
  }
  auto caught = CatchUp(store, **index);
  if (!caught.ok()) return caught.status();
  return index;
}

}  // namespace opennos::search
