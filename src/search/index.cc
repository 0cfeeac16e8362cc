#include "search/index.h"

#include <xapian.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "search/schema.h"
#include <unicode/unistr.h>
#include "text/text.h"

namespace opennos::search {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace {

constexpr size_t kMaxTermBytes = 200;
constexpr size_t kMaxQueryBytes = 1000;
constexpr Xapian::doccount kCheckAtLeast = 10000;
// What being in force adds to a match's weight: enough to put the current edition of an unchanged
// unit first, too little to lift a weaker match over a better one.
constexpr double kInForceBoost = 0.5;

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

// Counts, for each value of a slot, the distinct results (collapse keys: units) that have it,
// so facet counts agree with the result count. A slot may hold several '\n'-joined values.
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
  std::string name() const override { return "opennos.DistinctCountSpy"; }
  std::vector<FacetValue> Values() const {
    std::vector<FacetValue> out;
    for (const auto& [value, keys] : seen_) {
      out.push_back({value, static_cast<std::int64_t>(keys.size())});
    }
    return out;
  }

 private:
  Xapian::valueno slot_;
  bool multi_;
  std::unordered_map<std::string, std::unordered_set<std::string>> seen_;
};

// Counts the distinct results (collapse keys) among the matching documents, so that the total is
// a count, not Xapian's estimate after collapsing.
class DistinctKeySpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    ++documents_;
    keys_.insert(doc.get_value(schema::kSlotCollapse));
  }
  std::string name() const override { return "opennos.DistinctKeySpy"; }
  Xapian::doccount documents() const { return documents_; }
  std::int64_t keys() const { return static_cast<std::int64_t>(keys_.size()); }

 private:
  Xapian::doccount documents_ = 0;
  std::unordered_set<std::string> keys_;
};

struct FacetDef {
  const char* name;
  const char* prefix;
  Xapian::valueno slot;
};

const std::vector<FacetDef>& Facets() {
  static const std::vector<FacetDef> kFacets{
      {"suite", schema::kSuite, schema::kSlotSuite},
      {"type", schema::kType, schema::kSlotType},
      {"occupation", schema::kOccupation, schema::kSlotOccupations},
      {"developer", schema::kDeveloper, schema::kSlotDeveloper},
      {"validity", schema::kValidity, schema::kSlotValidity},
      {"category", schema::kCategory, schema::kSlotCategory},
  };
  return kFacets;
}

bool Indexable(const Item& item) {
  return item.type != ItemType::kKeyArea && item.type != ItemType::kFunction;
}

// Builds the document of one item. `unit` is the unit it belongs to (itself for a unit), or
// nullptr for an item outside any unit.
Xapian::Document BuildDocument(const Framework& f, const Item& item, const Item* unit,
                               Xapian::TermGenerator& tg) {
  Xapian::Document doc;
  tg.set_document(doc);
  // Spelling suggestions come from the units' own words: titles, overviews, keywords.
  tg.set_flags(item.type == ItemType::kUnit ? Xapian::TermGenerator::FLAG_SPELLING
                                            : Xapian::TermGenerator::flags(0));
  const UnitFields& u = unit != nullptr ? unit->unit : item.unit;
  const std::string suite = f.code + "@" + f.edition;
  const bool is_unit = item.type == ItemType::kUnit;
  const auto index = [&tg](const std::string& s, Xapian::termcount weight, const char* prefix) {
    if (s.empty()) return;
    tg.index_text(text::Normalise(s), weight, prefix);
    tg.increase_termpos();
  };
  if (is_unit) {
    index(item.title, 5, "");
    index(item.title, 1, schema::kTitleWords);
    index(u.urn, 5, "");
    index(item.code, 2, schema::kCodeWords);
    index(item.text, 2, "");
    index(u.overview, 1, "");
    for (const auto& k : u.keywords) index(k, 2, "");
    for (const auto& o : u.occupations) index(o, 1, "");
    if (!u.urn.empty()) doc.add_term(Term(schema::kExactUrn, Lower(u.urn)));
    if (!item.title.empty()) doc.add_term(Term(schema::kExactTitle, text::Normalise(item.title)));
  } else {
    index(item.title, 2, "");
    index(item.title, 1, schema::kTitleWords);
    index(item.text, 1, "");
    index(item.code, 1, schema::kCodeWords);
  }
  doc.add_boolean_term(Term(schema::kId, item.uuid));
  doc.add_boolean_term(Term(schema::kFramework, f.uuid));
  doc.add_boolean_term(Term(schema::kSuite, suite));
  doc.add_boolean_term(Term(schema::kType, std::string(ItemTypeName(item.type))));
  doc.add_value(schema::kSlotSuite, suite);
  doc.add_value(schema::kSlotType, std::string(ItemTypeName(item.type)));
  const std::string developer = u.developed_by.empty() ? f.publisher : u.developed_by;
  if (!developer.empty()) {
    doc.add_boolean_term(Term(schema::kDeveloper, developer));
    doc.add_value(schema::kSlotDeveloper, developer);
  }
  if (unit != nullptr || is_unit) {
    const std::string validity = u.validity.empty() ? "current" : u.validity;
    doc.add_boolean_term(Term(schema::kValidity, validity));
    doc.add_value(schema::kSlotValidity, validity);
  }
  const bool in_force = f.status != FrameworkStatus::kSuperseded &&
                        f.status != FrameworkStatus::kWithdrawn && u.validity != "legacy";
  if (in_force) doc.add_boolean_term(schema::kInForce);
  if (!u.category.empty()) {
    doc.add_boolean_term(Term(schema::kCategory, u.category));
    doc.add_value(schema::kSlotCategory, u.category);
  }
  std::string occupations;
  for (const auto& o : u.occupations) {
    doc.add_boolean_term(Term(schema::kOccupation, o));
    occupations += (occupations.empty() ? "" : "\n") + o;
  }
  if (!occupations.empty()) doc.add_value(schema::kSlotOccupations, occupations);
  doc.add_value(schema::kSlotCollapse, unit != nullptr ? unit->uuid : item.uuid);

  json::object data{{"uuid", item.uuid},
                    {"type", ItemTypeName(item.type)},
                    {"code", item.code},
                    {"urn", u.urn},
                    {"title", unit != nullptr ? unit->title : item.title},
                    {"text", is_unit ? (item.text.empty() ? u.overview : item.text)
                                     : (item.text.empty() ? item.title : item.text)},
                    {"unit", unit != nullptr ? unit->uuid : ""},
                    {"fw", f.uuid},
                    {"fc", f.code},
                    {"fe", f.edition},
                    {"ft", f.title}};
  doc.set_data(json::serialize(data));
  return doc;
}

// The index is a set of shards, one Xapian database per framework, listed by a manifest
// (docs/search.md). Re-indexing a framework builds a fresh shard and swaps the manifest, so
// shards need no termlists (fast to build) and a rebuild builds shards in parallel.
constexpr const char* kManifest = "manifest";
constexpr const char* kManifestHeader = "opennos-index 1";

struct Manifest {
  std::int64_t seq = 0;
  std::map<std::string, std::string> shards;  // framework UUID -> shard folder name
};

Result<Manifest> ReadManifest(const std::string& dir) {
  std::ifstream in(dir + "/" + kManifest);
  if (!in) return Status::NotFound("no search index at " + dir);
  Manifest m;
  std::string line;
  if (!std::getline(in, line) || line != kManifestHeader) {
    return Status::Invalid("the search index manifest in " + dir + " is damaged");
  }
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind, a, b;
    fields >> kind >> a;
    if (kind == "seq") {
      try {
        m.seq = std::stoll(a);
      } catch (const std::exception&) {
        return Status::Invalid("the search index manifest in " + dir + " is damaged");
      }
    } else if (kind == "shard" && (fields >> b)) {
      m.shards[a] = b;
    } else if (!line.empty()) {
      return Status::Invalid("the search index manifest in " + dir + " is damaged");
    }
  }
  return m;
}

Status WriteManifest(const std::string& dir, const Manifest& m) {
  const std::string path = dir + "/" + kManifest, temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << kManifestHeader << "\nseq " << m.seq << "\n";
    for (const auto& [uuid, shard] : m.shards) out << "shard " << uuid << " " << shard << "\n";
    out.flush();
    if (!out) return Status::Io("cannot write " + temp);
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) return Status::Io("cannot replace " + path + ": " + ec.message());
  return Status::Ok();
}

// All shards of a manifest as one database for searching.
Result<Xapian::Database> OpenShards(const std::string& dir, const Manifest& m) {
  try {
    Xapian::Database db;
    for (const auto& [uuid, shard] : m.shards) db.add_database(Xapian::Database(dir + "/shards/" + shard));
    return db;
  } catch (const Xapian::Error& e) {
    return Status::Invalid("the search index at " + dir + " is damaged: " + e.get_msg());
  }
}

// Builds one framework's shard in `path` (which must not exist).
Status BuildShard(const FrameworkDoc& doc, const std::string& path) {
  try {
    Xapian::WritableDatabase wdb(path, Xapian::DB_CREATE | Xapian::DB_NO_TERMLIST |
                                           Xapian::DB_NO_SYNC);
    Xapian::TermGenerator tg;
    tg.set_database(wdb);
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stopper(&Stopper());
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    std::unordered_map<std::string, const Item*> by_uuid;
    for (const Item& item : doc.items) by_uuid[item.uuid] = &item;
    std::unordered_map<std::string, const Item*> unit_of;  // memo: item -> its unit
    for (const Item& item : doc.items) {
      const Item* unit = nullptr;
      if (item.type == ItemType::kUnit) {
        unit = &item;
      } else if (auto p = unit_of.find(item.parent_uuid); p != unit_of.end()) {
        unit = p->second;
      }
      unit_of[item.uuid] = unit;
      if (!Indexable(item)) continue;
      wdb.add_document(BuildDocument(doc.framework, item, unit, tg));
    }
    wdb.set_metadata(schema::kMetaSchema, schema::kSchemaVersion);
    wdb.commit();
    wdb.close();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::Io("search index: " + e.get_msg());
  }
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

Result<Results> RunSearch(const Xapian::Database& db, const Query& q);

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
    return Load();
  }

  Status Put(const FrameworkDoc& doc) override {
    const std::string name = doc.framework.uuid + "-" + std::to_string(NextGeneration());
    if (Status s = BuildShard(doc, dir_ + "/shards/" + name); !s.ok()) return s;
    return Stage(doc.framework.uuid, name);
  }

  // Records a shard built elsewhere (Rebuild builds them in parallel).
  Status Stage(const std::string& framework_uuid, const std::string& name) {
    auto it = manifest_.shards.find(framework_uuid);
    if (it != manifest_.shards.end()) obsolete_.push_back(it->second);
    manifest_.shards[framework_uuid] = name;
    return Status::Ok();
  }

  Status Remove(const std::string& framework_uuid) override {
    auto it = manifest_.shards.find(framework_uuid);
    if (it == manifest_.shards.end()) return Status::Ok();
    obsolete_.push_back(it->second);
    manifest_.shards.erase(it);
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
    return Load();
  }

  std::int64_t IndexedSeq() override { return manifest_.seq; }

  std::int64_t Size() override { return db_.get_doccount(); }

  Status Reopen() override {
    // The manifest's time is too coarse to tell commits apart (two within a few milliseconds
    // share it): compare what it says.
    auto m = ReadManifest(dir_);
    if (m.ok() && m->seq == manifest_.seq && m->shards == manifest_.shards) return Status::Ok();
    return Load();
  }

  Result<Results> Search(const Query& q) override {
    auto r = RunSearch(db_, q);
    if (r.ok() || writable_) return r;
    // A shard went away under us (re-indexed by the writer): open the new set and retry.
    if (Status s = Load(); !s.ok()) return s;
    return RunSearch(db_, q);
  }

  std::string ShardPath(const std::string& name) const { return dir_ + "/shards/" + name; }
  std::uint64_t NextGeneration() { return generation_++; }
  const std::string& dir() const { return dir_; }
  const Manifest& manifest() const { return manifest_; }

 private:
  Status Load() {
    std::error_code ec;
    const auto stamp = fs::last_write_time(dir_ + "/" + kManifest, ec);
    auto m = ReadManifest(dir_);
    if (!m.ok()) return m.status();
    auto db = OpenShards(dir_, *m);
    if (!db.ok()) return db.status();
    if (writable_) {
      // Carry staged changes over a reload.
      for (const auto& [uuid, name] : manifest_.shards) {
        if (!m->shards.count(uuid)) m->shards[uuid] = name;
      }
    }
    manifest_ = std::move(*m);
    db_ = std::move(*db);
    stamp_ = stamp;
    if (generation_ == 0) {
      generation_ = static_cast<std::uint64_t>(
          std::chrono::system_clock::now().time_since_epoch().count());
    }
    return Status::Ok();
  }

  std::string dir_;
  bool writable_;
  FileLock lock_;
  Manifest manifest_;
  Xapian::Database db_;
  fs::file_time_type stamp_{};
  std::vector<std::string> obsolete_;
  std::uint64_t generation_ = 0;
};

bool HasDigit(const std::string& word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The query with each misspelt word corrected, or "" when no word needs it. A word is misspelt
// when it is four letters or more, has no digit (codes and SOC numbers are not words) and occurs
// nowhere in the index; its correction must not be a stop word. Words are corrected one by one,
// so a known word is never changed and never blocks the correction of another.
std::string Suggest(const std::string& normalised, const Xapian::Database& db) {
  std::string out = normalised;
  bool changed = false;
  size_t from = 0;
  for (const std::string& word : text::Tokens(normalised)) {
    const size_t at = out.find(word, from);
    if (at == std::string::npos) continue;
    from = at + word.size();
    if (word.size() < 4 || HasDigit(word) || db.get_termfreq(word) > 0) continue;
    const std::string better = db.get_spelling_suggestion(word);
    if (better.empty() || text::IsStopWord(better)) continue;
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

Xapian::Query ParseText(const std::string& normalised, const Xapian::Database& db,
                        std::string& /*suggestion*/) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stopper(&Stopper());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
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
  if (expanded == normalised || parsed.empty()) return parsed;
  // The thesaurus's words widen the match; they never narrow it.
  const Xapian::Query extra =
      qp.parse_query(expanded.substr(normalised.size()), Xapian::QueryParser::FLAG_DEFAULT);
  return Xapian::Query(Xapian::Query::OP_OR, parsed,
                       Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, extra, 0.8));
}

// Rejects the documents of units in `units` (by collapse key).
struct UnitExcluder : public Xapian::MatchDecider {
  std::unordered_set<std::string> units;
  bool operator()(const Xapian::Document& doc) const override {
    return !units.count(doc.get_value(schema::kSlotCollapse));
  }
};

// The words a query excludes: each "-word" and each word after NOT, space-separated.
std::string ExcludedWords(const std::string& raw) {
  std::string out;
  std::istringstream in(raw);
  std::string token;
  bool after_not = false;
  while (in >> token) {
    if (token == "NOT") {
      after_not = true;
      continue;
    }
    if (after_not || (token.size() > 1 && token[0] == '-')) {
      out += " " + (token[0] == '-' ? token.substr(1) : token);
    }
    after_not = false;
  }
  return out;
}

Result<Results> RunSearch(const Xapian::Database& db_, const Query& q) {
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
  try {
    const std::string normalised = text::Normalise(raw);
    std::string suggestion;
    Xapian::Query text_query = ParseText(NormaliseKeepingOperators(raw), db_, suggestion);
    r.suggestion = Suggest(normalised, db_);
    std::string trimmed = normalised;
    trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
    trimmed.erase(trimmed.find_last_not_of(" \t\r\n") + 1);
    const auto words = text::Tokens(normalised);
    const bool only_stop_words =
        !words.empty() && std::all_of(words.begin(), words.end(), [](const std::string& w) {
          return text::IsStopWord(w) || w == "and" || w == "or" || w == "not";
        });
    const bool nothing_to_match = text_query.empty() || only_stop_words;
    if (!trimmed.empty()) {
      // An exact URN or whole title outranks everything else.
      const Xapian::Query exact[] = {
          text_query,
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                        Xapian::Query(Term(schema::kExactUrn, trimmed)), 60),
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                        Xapian::Query(Term(schema::kExactTitle, trimmed)), 30)};
      text_query = Xapian::Query(Xapian::Query::OP_OR, std::begin(exact), std::end(exact));
    }
    // Filters: OR within a facet, AND across facets.
    std::map<std::string, std::vector<Xapian::Query>> by_key;
    for (const Filter& f : q.filters) {
      const auto& defs = Facets();
      auto it = std::find_if(defs.begin(), defs.end(),
                             [&](const FacetDef& d) { return f.key == d.name; });
      if (it == defs.end()) {
        return Status::Invalid("unknown filter \"" + f.key + "\" (use one of: suite, type, "
                               "occupation, developer, validity, category)");
      }
      by_key[f.key].emplace_back(Term(it->prefix, f.value));
    }
    Xapian::Query filter;
    for (auto& [key, terms] : by_key) {
      Xapian::Query any(Xapian::Query::OP_OR, terms.begin(), terms.end());
      filter = filter.empty() ? any : Xapian::Query(Xapian::Query::OP_AND, filter, any);
    }
    Xapian::Query final_query;
    if (nothing_to_match || trimmed.empty()) {
      if (filter.empty()) {
        r.message = trimmed.empty() ? "Type some words to search for."
                                    : "Those words are too common to search for: try more "
                                      "specific ones.";
        return r;
      }
      final_query = filter;  // browse by filters alone
    } else {
      // Among matches, prefer what is in force (a small boost, not a filter).
      Xapian::Query boost((new Xapian::FixedWeightPostingSource(kInForceBoost))->release());
      text_query = Xapian::Query(
          Xapian::Query::OP_AND_MAYBE, text_query,
          Xapian::Query(Xapian::Query::OP_FILTER, boost, Xapian::Query(schema::kInForce)));
      final_query = filter.empty() ? text_query
                                   : Xapian::Query(Xapian::Query::OP_FILTER, text_query, filter);
    }
    Xapian::Enquire enquire(db_);
    enquire.set_query(final_query);
    enquire.set_collapse_key(schema::kSlotCollapse);
    // Exact totals (distinct units) for pages that show them; a plain top-N query takes
    // Xapian's estimate and skips the counting.
    DistinctKeySpy counted;
    if (q.facets) enquire.add_matchspy(&counted);
    std::vector<std::unique_ptr<DistinctCountSpy>> spies;
    if (q.facets) {
      for (const FacetDef& d : Facets()) {
        spies.push_back(
            std::make_unique<DistinctCountSpy>(d.slot, d.slot == schema::kSlotOccupations));
        enquire.add_matchspy(spies.back().get());
      }
    }
    // "-word" and "NOT word" leave out whole units: a unit with the word in any of its
    // statements goes, not just the statements that have it.
    const std::string excluded = ExcludedWords(raw);
    std::unique_ptr<UnitExcluder> excluder;
    if (!excluded.empty()) {
      Xapian::QueryParser qp;
      qp.set_stemmer(Xapian::Stem("english"));
      qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
      Xapian::Enquire away(db_);
      away.set_query(qp.parse_query(text::Normalise(excluded), 0));
      away.set_collapse_key(schema::kSlotCollapse);
      excluder = std::make_unique<UnitExcluder>();
      const Xapian::MSet gone = away.get_mset(0, kCheckAtLeast);
      for (auto it = gone.begin(); it != gone.end(); ++it) {
        excluder->units.insert(it.get_document().get_value(schema::kSlotCollapse));
      }
    }
    const Xapian::doccount first = static_cast<Xapian::doccount>((r.page - 1) * r.size);
    Xapian::MSet mset = enquire.get_mset(first, static_cast<Xapian::doccount>(r.size),
                                         q.facets ? kCheckAtLeast : 0, nullptr, excluder.get());
    r.total = q.facets && counted.documents() < kCheckAtLeast ? counted.keys()
                                                              : mset.get_matches_estimated();
    Xapian::Stem stemmer("english");
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const Xapian::Document doc = it.get_document();
      const json::object data = json::parse(doc.get_data()).as_object();
      Hit h;
      const auto str = [&data](const char* k) { return std::string(data.at(k).as_string()); };
      h.uuid = str("uuid");
      h.type = str("type");
      h.code = str("code");
      h.urn = str("urn");
      h.title = str("title");
      h.text = str("text");
      h.unit_uuid = str("unit");
      h.framework_uuid = str("fw");
      h.framework_code = str("fc");
      h.framework_edition = str("fe");
      h.framework_title = str("ft");
      h.score = it.get_weight();
      if (q.snippets) {
        h.snippet = mset.snippet(h.text, 240, stemmer,
                                 Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                     Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                 "<mark>", "</mark>", "…");
      }
      r.hits.push_back(std::move(h));
    }
    if (q.facets) {
      size_t spy = 0;
      for (const FacetDef& d : Facets()) {
        std::vector<FacetValue> values = spies[spy++]->Values();
        std::sort(values.begin(), values.end(), [](const FacetValue& a, const FacetValue& b) {
          return a.count != b.count ? a.count > b.count : a.value < b.value;
        });
        if (values.size() > 50) values.resize(50);
        r.facets[d.name] = std::move(values);
      }
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
  // Load frameworks here (the store is this thread's) and build their shards on workers.
  const std::string stamp = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  Manifest fresh;
  fresh.seq = *seq;
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::pair<std::shared_ptr<FrameworkDoc>, std::string>> queue;
  bool done_loading = false;
  Status failure;
  std::int64_t built = 0;
  const std::int64_t total = static_cast<std::int64_t>(frameworks->size());
  const int workers = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      for (;;) {
        std::pair<std::shared_ptr<FrameworkDoc>, std::string> job;
        {
          std::unique_lock lk(mutex);
          cv.wait(lk, [&] { return !queue.empty() || done_loading; });
          if (queue.empty()) return;
          job = std::move(queue.front());
          queue.pop_front();
        }
        cv.notify_all();
        Status s = BuildShard(*job.first, dir + "/shards/" + job.second);
        std::lock_guard lk(mutex);
        if (!s.ok() && failure.ok()) failure = s;
        ++built;
        if (progress) progress(built, total, context);
      }
    });
  }
  for (const auto& summary : *frameworks) {
    auto doc = store.LoadFramework(summary.framework.uuid);
    std::unique_lock lk(mutex);
    if (!doc.ok()) {
      if (failure.ok()) failure = doc.status();
      break;
    }
    // At most two frameworks wait in memory per worker.
    cv.wait(lk, [&] { return queue.size() < static_cast<size_t>(2 * workers); });
    const std::string name = summary.framework.uuid + "-r" + stamp;
    fresh.shards[summary.framework.uuid] = name;
    queue.emplace_back(std::make_shared<FrameworkDoc>(std::move(*doc)), name);
    cv.notify_all();
  }
  {
    std::lock_guard lk(mutex);
    done_loading = true;
  }
  cv.notify_all();
  for (auto& t : pool) t.join();
  if (!failure.ok()) {
    for (const auto& [uuid, name] : fresh.shards) fs::remove_all(dir + "/shards/" + name, ec);
    return failure;
  }
  if (progress && total == 0) progress(0, 0, context);
  // Swap in the new manifest, then remove every shard it does not name.
  if (Status s = WriteManifest(dir, fresh); !s.ok()) return s;
  std::unordered_set<std::string> keep;
  for (const auto& [uuid, name] : fresh.shards) keep.insert(name);
  for (const auto& entry : fs::directory_iterator(dir + "/shards", ec)) {
    if (!keep.count(entry.path().filename().string())) fs::remove_all(entry.path(), ec);
  }
  return Status::Ok();
}

Result<int> CatchUp(Store& store, Index& index) {
  int reindexed = 0;
  std::int64_t seq = index.IndexedSeq();
  for (;;) {
    auto changes = store.ChangesSince(seq, 1000);
    if (!changes.ok()) return changes.status();
    if (changes->empty()) break;
    std::vector<std::string> touched;
    for (const Change& c : *changes) {
      if (std::find(touched.begin(), touched.end(), c.framework_uuid) == touched.end()) {
        touched.push_back(c.framework_uuid);
      }
      seq = c.seq;
    }
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
    if (Status s = index.Commit(seq); !s.ok()) return s;
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
