#include "search/index.h"

#include <xapian.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "search/schema.h"
#include "text/text.h"

namespace opennos::search {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace {

constexpr size_t kMaxTermBytes = 200;
constexpr size_t kMaxQueryBytes = 1000;
constexpr Xapian::doccount kCheckAtLeast = 10000;

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
  if (in_force) doc.add_term(schema::kInForce);
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

class XapianIndex final : public Index {
 public:
  XapianIndex(std::string dir, bool writable) : dir_(std::move(dir)), writable_(writable) {}

  Status Open() {
    try {
      if (writable_) {
        wdb_ = Xapian::WritableDatabase(dir_, Xapian::DB_CREATE_OR_OPEN);
        if (wdb_.get_metadata(schema::kMetaSchema).empty()) {
          wdb_.set_metadata(schema::kMetaSchema, schema::kSchemaVersion);
          wdb_.commit();
        }
        db_ = wdb_;
      } else {
        if (!fs::exists(dir_)) return Status::NotFound("no search index at " + dir_);
        db_ = Xapian::Database(dir_);
      }
      if (db_.get_metadata(schema::kMetaSchema) != schema::kSchemaVersion) {
        return Status::Invalid("the search index at " + dir_ + " has another schema version");
      }
      return Status::Ok();
    } catch (const Xapian::DatabaseLockError& e) {
      return Status::Conflict("the search index at " + dir_ +
                              " is being written by another process (a running server?)");
    } catch (const Xapian::DatabaseOpeningError& e) {
      return Status::Invalid("cannot open the search index at " + dir_ + ": " + e.get_msg());
    } catch (const Xapian::Error& e) {
      return Status::Invalid("the search index at " + dir_ + " is damaged: " + e.get_msg());
    }
  }

  Status Put(const FrameworkDoc& doc) override {
    try {
      Status s = RemoveLocked(doc.framework.uuid);
      if (!s.ok()) return s;
      Xapian::TermGenerator tg;
      tg.set_database(wdb_);
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
        } else if (auto q = by_uuid.find(item.parent_uuid);
                   q != by_uuid.end() && q->second->type == ItemType::kUnit) {
          unit = q->second;
        }
        unit_of[item.uuid] = unit;
        if (!Indexable(item)) continue;
        wdb_.replace_document(Term(schema::kId, item.uuid), BuildDocument(doc.framework, item, unit, tg));
      }
      return Status::Ok();
    } catch (const Xapian::Error& e) {
      return Status::Io("search index: " + e.get_msg());
    }
  }

  Status Remove(const std::string& framework_uuid) override {
    try {
      return RemoveLocked(framework_uuid);
    } catch (const Xapian::Error& e) {
      return Status::Io("search index: " + e.get_msg());
    }
  }

  Status Commit(std::int64_t change_seq) override {
    try {
      wdb_.set_metadata(schema::kMetaSeq, std::to_string(change_seq));
      wdb_.commit();
      return Status::Ok();
    } catch (const Xapian::Error& e) {
      return Status::Io("search index: " + e.get_msg());
    }
  }

  std::int64_t IndexedSeq() override {
    try {
      const std::string v = db_.get_metadata(schema::kMetaSeq);
      return v.empty() ? 0 : std::stoll(v);
    } catch (const std::exception&) {
      return 0;
    }
  }

  std::int64_t Size() override { return db_.get_doccount(); }

  Status Reopen() override {
    try {
      db_.reopen();
      return Status::Ok();
    } catch (const Xapian::Error&) {
      // The index was rebuilt under us: open it afresh.
      try {
        db_ = Xapian::Database(dir_);
        return Status::Ok();
      } catch (const Xapian::Error& e) {
        return Status::Io("search index: " + e.get_msg());
      }
    }
  }

  Result<Results> Search(const Query& q) override;

 private:
  Status RemoveLocked(const std::string& framework_uuid) {
    wdb_.delete_document(Term(schema::kFramework, framework_uuid));
    return Status::Ok();
  }

  std::string dir_;
  bool writable_;
  Xapian::WritableDatabase wdb_;
  Xapian::Database db_;
};

// A correction is worth offering when it changes only words of four letters or more (short
// words are more often names, codes or abbreviations than misspellings).
bool PlausibleCorrection(const std::string& original, const std::string& corrected) {
  const auto a = text::Tokens(original);
  const auto b = text::Tokens(corrected);
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && a[i].size() < 4) return false;
  }
  return true;
}

// Parses what a person typed. Operators work when well formed; anything the parser rejects
// is searched as plain words instead.
Xapian::Query ParseText(const std::string& normalised, const Xapian::Database& db,
                        std::string& suggestion) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stopper(&Stopper());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_OR);
  qp.add_prefix("title", schema::kTitleWords);
  qp.add_prefix("code", schema::kCodeWords);
  const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                         Xapian::QueryParser::FLAG_LOVEHATE |
                         Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
  Xapian::Query parsed;
  try {
    parsed = qp.parse_query(normalised, flags);
  } catch (const Xapian::QueryParserError&) {
    parsed = qp.parse_query(normalised, Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
  }
  suggestion = qp.get_corrected_query_string();
  return parsed;
}

Result<Results> XapianIndex::Search(const Query& q) {
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
  r.query = raw;
  try {
    const std::string normalised = text::Normalise(raw);
    std::string suggestion;
    Xapian::Query text_query = ParseText(normalised, db_, suggestion);
    if (!suggestion.empty() && suggestion != normalised && PlausibleCorrection(normalised, suggestion)) {
      r.suggestion = suggestion;
    }
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
      text_query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, text_query,
                                 Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                               Xapian::Query(schema::kInForce), 1.5));
      final_query = filter.empty() ? text_query
                                   : Xapian::Query(Xapian::Query::OP_FILTER, text_query, filter);
    }
    Xapian::Enquire enquire(db_);
    enquire.set_query(final_query);
    enquire.set_collapse_key(schema::kSlotCollapse);
    std::vector<std::unique_ptr<DistinctCountSpy>> spies;
    if (q.facets) {
      for (const FacetDef& d : Facets()) {
        spies.push_back(
            std::make_unique<DistinctCountSpy>(d.slot, d.slot == schema::kSlotOccupations));
        enquire.add_matchspy(spies.back().get());
      }
    }
    const Xapian::doccount first = static_cast<Xapian::doccount>((r.page - 1) * r.size);
    Xapian::MSet mset = enquire.get_mset(first, static_cast<Xapian::doccount>(r.size),
                                         q.facets ? kCheckAtLeast : 0);
    r.total = mset.get_matches_estimated();
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
  auto index = std::make_unique<XapianIndex>(dir, writable);
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
  // Hold the live index's write lock throughout, so no other process writes it meanwhile.
  std::unique_ptr<Index> live;
  if (fs::exists(dir)) {
    auto opened = OpenWritableIndex(dir);
    if (!opened.ok() && opened.status().code() == Status::Code::kConflict) {
      return opened.status();
    }
    if (opened.ok()) live = std::move(*opened);
  }
  const std::string fresh_dir = dir + ".new";
  std::error_code ec;
  fs::remove_all(fresh_dir, ec);
  auto seq = store.LastChange();
  if (!seq.ok()) return seq.status();
  auto frameworks = store.ListFrameworks();
  if (!frameworks.ok()) return frameworks.status();
  {
    auto fresh = OpenWritableIndex(fresh_dir);
    if (!fresh.ok()) return fresh.status();
    std::int64_t done = 0;
    for (const auto& s : *frameworks) {
      auto doc = store.LoadFramework(s.framework.uuid);
      if (!doc.ok()) return doc.status();
      if (Status st = (*fresh)->Put(*doc); !st.ok()) return st;
      if (progress) progress(++done, static_cast<std::int64_t>(frameworks->size()), context);
    }
    if (Status st = (*fresh)->Commit(*seq); !st.ok()) return st;
  }
  const std::string old_dir = dir + ".old";
  fs::remove_all(old_dir, ec);
  if (fs::exists(dir)) fs::rename(dir, old_dir, ec);
  if (ec) return Status::Io("cannot replace " + dir + ": " + ec.message());
  fs::rename(fresh_dir, dir, ec);
  if (ec) return Status::Io("cannot replace " + dir + ": " + ec.message());
  live.reset();
  fs::remove_all(old_dir, ec);
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
  if (!index.ok() || !fs::exists(dir)) {
    if (Status s = Rebuild(store, dir); !s.ok()) return s;
    index = OpenWritableIndex(dir);
    if (!index.ok()) return index.status();
  }
  auto caught = CatchUp(store, **index);
  if (!caught.ok()) return caught.status();
  return index;
}

}  // namespace opennos::search
