// Where the time of an index build goes, measured: index.cc's Rebuild (one shard per
// framework, built by one worker per core) rebuilt here with knobs, on frameworks loaded from a
// real store, so that a change to src/search/index.cc can be tried before it is made. This is a
// copy for measurement (of index.cc as of 2026-11-25, 20:40 UTC): what the product does is
// src/search/index.cc (BuildDocument, BuildShard, Rebuild).
//
//   search_index_profile DATA_DIR SCRATCH_DIR FRAMEWORKS VARIANT...
//
// Loads the first FRAMEWORKS frameworks of DATA_DIR's store once (timed apart), then builds
// their shards in SCRATCH_DIR for each VARIANT: comma-separated knobs, defaults = what index.cc
// does:
//   threads=N      workers, each building whole frameworks' shards (default: one per core)
//   termlist=0|1   with a termlist table (0: DB_NO_TERMLIST)
//   sync=0|1       fsync at commit (0: DB_NO_SYNC)
//   write=add|replace
//                  add_document, or replace_document(Q-term, doc) as the first version did
//   spelling=1|0   FLAG_SPELLING on unit documents
//   positions=1|0  index_text (positions, for phrases) or index_text_without_positions
//   compact=0|1    then compact all shards into one database (timed apart)
//   name=TEXT      label (no commas)
// Prints per variant: wall and CPU seconds of the build, documents per second, the size on
// disk, and the compaction's time and size.

#include <sys/resource.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "search/schema.h"
#include "storage/sqlite/sqlite_store.h"
#include "text/text.h"

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace schema = opennos::search::schema;
namespace text = opennos::text;
using opennos::Framework;
using opennos::FrameworkDoc;
using opennos::Item;
using opennos::ItemType;

struct Knobs {
  std::string name;
  bool replace = false, spelling = true, positions = true, termlist = false, sync = false;
  bool compact = false;
  int threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
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
      if (key == "write") k.replace = v == "replace";
      else if (key == "spelling") k.spelling = v == "1";
      else if (key == "positions") k.positions = v == "1";
      else if (key == "termlist") k.termlist = v == "1";
      else if (key == "sync") k.sync = v == "1";
      else if (key == "threads") k.threads = std::max(1, std::stoi(v));
      else if (key == "compact") k.compact = v == "1";
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

std::string Term(const char* prefix, const std::string& value) {
  std::string t = std::string(prefix) + value;
  if (t.size() > 200) t.resize(200);
  return t;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// index.cc's BuildDocument, with the spelling and positions knobs.
Xapian::Document BuildDocument(const Framework& f, const Item& item, const Item* unit,
                               Xapian::TermGenerator& tg, const Knobs& k) {
  Xapian::Document doc;
  tg.set_document(doc);
  tg.set_flags(item.type == ItemType::kUnit && k.spelling ? Xapian::TermGenerator::FLAG_SPELLING
                                                          : Xapian::TermGenerator::flags(0));
  const opennos::UnitFields& u = unit != nullptr ? unit->unit : item.unit;
  const std::string suite = f.code + "@" + f.edition;
  const bool is_unit = item.type == ItemType::kUnit;
  const auto index = [&tg, &k](const std::string& s, Xapian::termcount weight, const char* prefix) {
    if (s.empty()) return;
    if (k.positions) {
      tg.index_text(text::Normalise(s), weight, prefix);
      tg.increase_termpos();
    } else {
      tg.index_text_without_positions(text::Normalise(s), weight, prefix);
    }
  };
  if (is_unit) {
    index(item.title, 5, "");
    index(item.title, 1, schema::kTitleWords);
    index(u.urn, 5, "");
    index(item.code, 2, schema::kCodeWords);
    index(item.text, 2, "");
    index(u.overview, 1, "");
    for (const auto& kw : u.keywords) index(kw, 2, "");
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
  const bool in_force = f.status != opennos::FrameworkStatus::kSuperseded &&
                        f.status != opennos::FrameworkStatus::kWithdrawn && u.validity != "legacy";
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

// index.cc's BuildShard: one framework into a fresh database.
size_t BuildShard(const FrameworkDoc& doc, const std::string& path, const Knobs& k) {
  int flags = Xapian::DB_CREATE;
  if (!k.termlist) flags |= Xapian::DB_NO_TERMLIST;
  if (!k.sync) flags |= Xapian::DB_NO_SYNC;
  Xapian::WritableDatabase db(path, flags);
  Xapian::TermGenerator tg;
  tg.set_database(db);
  tg.set_stemmer(Xapian::Stem("english"));
  tg.set_stopper(&Stopper());
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  std::unordered_map<std::string, const Item*> by_uuid, unit_of;
  for (const Item& item : doc.items) by_uuid[item.uuid] = &item;
  size_t n = 0;
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
    if (item.type == ItemType::kKeyArea || item.type == ItemType::kFunction) continue;
    Xapian::Document d = BuildDocument(doc.framework, item, unit, tg, k);
    if (k.replace) db.replace_document(Term(schema::kId, item.uuid), d);
    else db.add_document(d);
    ++n;
  }
  db.set_metadata(schema::kMetaSchema, schema::kSchemaVersion);
  db.commit();
  db.close();
  return n;
}

double CpuSeconds() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::uintmax_t DirBytes(const fs::path& p) {
  std::uintmax_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(p)) {
    if (e.is_regular_file()) n += e.file_size();
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: search_index_profile DATA_DIR SCRATCH_DIR FRAMEWORKS VARIANT...\n";
    return 2;
  }
  const std::string data = argv[1], scratch = argv[2];
  const size_t count = std::stoul(argv[3]);
  auto store = opennos::OpenSqliteStore(data + "/opennos.db", false);
  if (!store.ok()) {
    std::cerr << store.status().message() << "\n";
    return 1;
  }
  auto list = (*store)->ListFrameworks();
  if (!list.ok()) return 1;
  double w0 = Now(), c0 = CpuSeconds();
  std::vector<FrameworkDoc> docs;
  for (const auto& s : *list) {
    if (docs.size() == count) break;
    auto d = (*store)->LoadFramework(s.framework.uuid);
    if (!d.ok()) return 1;
    docs.push_back(std::move(*d));
  }
  std::printf("loaded %zu frameworks from the store: %.2f s wall, %.2f s CPU\n", docs.size(),
              Now() - w0, CpuSeconds() - c0);
  std::printf("%-50s %9s %9s %10s %9s %9s\n", "variant", "wall s", "CPU s", "docs/s", "MB",
              "docs");
  fs::create_directories(scratch);
  for (int i = 4; i < argc; ++i) {
    const Knobs k = Parse(argv[i]);
    const fs::path dir = fs::path(scratch) / ("v" + std::to_string(i));
    fs::remove_all(dir);
    fs::create_directories(dir);
    w0 = Now();
    c0 = CpuSeconds();
    std::atomic<size_t> next{0}, n{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < k.threads; ++t) {
      workers.emplace_back([&] {
        for (size_t f; (f = next++) < docs.size();) {
          n += BuildShard(docs[f], (dir / ("shard" + std::to_string(f))).string(), k);
        }
      });
    }
    for (auto& w : workers) w.join();
    const double build_wall = Now() - w0, build_cpu = CpuSeconds() - c0;
    const double mb = static_cast<double>(DirBytes(dir)) / 1048576.0;
    double compact_wall = 0, compact_mb = 0;
    if (k.compact) {
      const double w1 = Now();
      Xapian::Database all;
      for (size_t f = 0; f < docs.size(); ++f) {
        all.add_database(Xapian::Database((dir / ("shard" + std::to_string(f))).string()));
      }
      all.compact((dir / "compact").string(), Xapian::DBCOMPACT_MULTIPASS);
      compact_wall = Now() - w1;
      compact_mb = static_cast<double>(DirBytes(dir / "compact")) / 1048576.0;
    }
    std::printf("%-50s %9.2f %9.2f %10.0f %9.1f %9zu", k.name.c_str(), build_wall, build_cpu,
                static_cast<double>(n) / build_wall, mb, n.load());
    if (k.compact) std::printf("   compact: %.2f s wall, %.1f MB", compact_wall, compact_mb);
    std::printf("\n");
    std::fflush(stdout);
    fs::remove_all(dir);
  }
  return 0;
}
