#include "cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/accounts.h"
#include "app/demo.h"
#include "app/importer.h"
#include "app/search_service.h"
#include "search/results_json.h"
#include "core/uuid.h"
#include "storage/open.h"
#include "storage/transfer.h"

namespace opennos::cli {

int Fail(const Status& s) {
  std::cerr << "opennos: " << s.message() << "\n";
  return 1;
}

Result<std::unique_ptr<Store>> OpenStore(const Globals& g) {
  auto store = opennos::OpenStore(g.Database(), OpenMode::kExisting);
  if (!store.ok() && store.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("no OpenNOS data in " + g.data_dir +
                            " (run `opennos --data " + g.data_dir + " init` first)");
  }
  return store;
}

namespace {

void PrintReport(const SaveReport& r) { std::cout << SaveReportSummary(r) << "\n"; }

void PrintProgress(std::int64_t items, void*) {
  std::cerr << "opennos: " << items << " items written\n" << std::flush;
}

void PrintReadProgress(const std::string& path, std::uintmax_t read, std::uintmax_t size, void*) {
  std::cerr << "opennos: " << path << ": " << read << " bytes read";
  if (size > 0) std::cerr << " (" << read * 100 / size << " %)";
  std::cerr << "\n" << std::flush;
}

// The problems report: a count per kind and the first lines on stderr, every line in
// `report_file` when one is given. Returns the command's exit code.
int PrintProblems(const ImportProblems& problems, const std::string& report_file) {
  constexpr size_t kShown = 20;
  if (!report_file.empty()) {
    const std::string temp = report_file + ".tmp";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      for (const ImportProblem& p : problems) out << p.Format() << "\n";
      out.close();
      if (!out) return Fail(Status::Io(report_file + ": cannot write the problems report"));
    }
    std::error_code ec;
    std::filesystem::rename(temp, report_file, ec);
    if (ec) return Fail(Status::Io(report_file + ": " + ec.message()));
  }
  if (problems.empty()) return 0;
  std::vector<std::pair<std::string, size_t>> kinds;  // most frequent first
  for (const ImportProblem& p : problems) {
    auto it = std::find_if(kinds.begin(), kinds.end(),
                           [&](const auto& k) { return k.first == p.kind; });
    if (it == kinds.end()) {
      kinds.emplace_back(p.kind, 1);
    } else {
      ++it->second;
    }
  }
  std::stable_sort(kinds.begin(), kinds.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::cerr << "opennos: " << problems.size()
            << (problems.size() == 1 ? " value" : " values")
            << " could not be read as given (kept, normalised or left empty as each line says; "
               "nothing was refused):\n";
  for (const auto& [kind, count] : kinds) std::cerr << "  " << count << "  " << kind << "\n";
  for (size_t i = 0; i < problems.size() && i < kShown; ++i) {
    std::cerr << "  " << problems[i].Format() << "\n";
  }
  if (!report_file.empty()) {
    std::cerr << "opennos: the whole problems report is in " << report_file << "\n";
  } else if (problems.size() > kShown) {
    std::cerr << "opennos: and " << problems.size() - kShown
              << " more (import --report FILE writes them all)\n";
  }
  return 0;
}

void Section(const std::vector<const Item*>& items, ItemType type, const char* heading) {
  bool first = true;
  for (const Item* item : items) {
    if (item->type != type) continue;
    if (first) std::cout << "\n" << heading << "\n";
    first = false;
    std::cout << "  " << item->code << "  ";
    if (!item->title.empty()) std::cout << item->title << ": ";
    std::cout << item->text << "\n";
  }
}

}  // namespace

int Init(const Globals& g) {
  std::error_code ec;
  std::filesystem::create_directories(g.data_dir, ec);
  if (ec) return Fail(Status::Io(g.data_dir + ": " + ec.message()));
  if (!g.database.empty()) {
    auto store = opennos::OpenStore(g.Database(), OpenMode::kCreate);
    if (!store.ok()) return Fail(store.status());
    std::cout << "initialised: " << DescribeStore(g.Database()) << " (search index in "
              << g.data_dir << ")\n";
    return 0;
  }
  const bool existed = std::filesystem::exists(g.DatabasePath());
  auto store = opennos::OpenStore(g.DatabasePath(), OpenMode::kCreate);
  if (!store.ok()) return Fail(store.status());
  std::cout << (existed ? "already initialised: " : "initialised: ") << g.data_dir << "\n";
  return 0;
}

int Migrate(const Globals& g) {
  auto applied = MigrateStore(g.Database());
  if (!applied.ok() && applied.status().code() == Status::Code::kNotFound) {
    return Fail(Status::NotFound("no OpenNOS data in " + g.data_dir + " (run `opennos --data " +
                                 g.data_dir + " init` first)"));
  }
  if (!applied.ok()) return Fail(applied.status());
  std::cout << DescribeStore(g.Database()) << ": "
            << (*applied == 0 ? std::string("schema already up to date")
                              : "applied " + std::to_string(*applied) +
                                    (*applied == 1 ? " migration" : " migrations"))
            << "\n";
  return 0;
}

int Demo(const Globals& g) {
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  auto report = LoadDemo(**store);
  if (!report.ok()) return Fail(report.status());
  PrintReport(*report);
  if (report->revisions > 0) {
    if (Status s = Audit((*store)->Accounts(), {"", "demo", "local"}, DemoOrganisationId(),
                         "framework.import", "the demo suites", SaveReportSummary(*report),
                         NowSeconds());
        !s.ok()) {
      return Fail(s);
    }
  }
  std::cout << UpdateIndexAfterWrite(**store, g.data_dir) << "\n";
  return 0;
}

int Import(const Globals& g, const std::vector<std::string>& files, const std::string& format,
           const std::string& author, const std::string& reason, bool progress, bool index,
           const std::string& report_file, const std::string& organisation) {
  auto parsed = ParseFileFormat(format);
  if (!parsed.ok()) return Fail(parsed.status());
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  AccountStore& accounts = (*store)->Accounts();
  // New frameworks belong to --org, or to the default organisation; with no organisation at
  // all, to nobody until the first one is added.
  auto owner = organisation.empty() ? DefaultOrganisation(accounts)
                                    : ResolveOrganisation(accounts, organisation);
  if (!owner.ok() && (!organisation.empty() || owner.status().code() != Status::Code::kNotFound)) {
    return Fail(owner.status());
  }
  ImportOptions options;
  options.format = *parsed;
  options.who = {author, reason.empty() ? "import" : reason, owner.ok() ? owner->id : ""};
  if (progress) {
    options.progress = PrintProgress;
    options.read_progress = PrintReadProgress;
  }
  ImportProblems problems;
  options.problems = &problems;
  auto report = ImportFiles(**store, files, options);
  if (!report.ok()) return Fail(report.status());
  PrintReport(*report);
  if (Status s = Audit(accounts, CommandLineActor(author), owner.ok() ? owner->id : "",
                       "framework.import", std::to_string(files.size()) + " file(s)",
                       SaveReportSummary(*report), NowSeconds());
      !s.ok()) {
    return Fail(s);
  }
  if (index) {
    std::cout << UpdateIndexAfterWrite(**store, g.data_dir) << "\n";
  } else {
    std::cout << "search index: not updated (--no-index); a server or the next search catches up\n";
  }
  return PrintProblems(problems, report_file);
}

namespace {

std::string Describe(const TransferReport& r) {
  return std::to_string(r.frameworks) + (r.frameworks == 1 ? " framework" : " frameworks") +
         ", " + std::to_string(r.rows) + " rows";
}

// A store named on the command line: "sqlite:PATH" (a data directory or a database file) or a
// PostgreSQL URL.
Result<std::string> StoreNamed(const std::string& name) {
  if (IsPostgresUrl(name)) return name;
  if (name.rfind("sqlite:", 0) != 0 || name.size() == 7) {
    return Status::Invalid("\"" + name +
                           "\": name a store as sqlite:PATH (a data directory or its database "
                           "file) or postgresql://...");
  }
  const std::string path = name.substr(7);
  if (std::filesystem::is_directory(path)) return Globals{path, ""}.DatabasePath();
  return path;
}

// After a bulk change, the local search index catches up (or the server holding it does).
void CatchUpIndex(const Globals& g) {
  auto store = opennos::OpenStore(g.Database(), OpenMode::kExisting);
  if (store.ok()) std::cout << UpdateIndexAfterWrite(**store, g.data_dir) << "\n";
}

}  // namespace

int Backup(const Globals& g, const std::string& file) {
  auto report = BackupStore(g.Database(), file);
  if (!report.ok() && report.status().code() == Status::Code::kNotFound && g.database.empty()) {
    return Fail(Status::NotFound("no OpenNOS data in " + g.data_dir));
  }
  if (!report.ok()) return Fail(report.status());
  std::cout << "backed up " << DescribeStore(g.Database()) << " to " << file << ": "
            << report->frameworks << (report->frameworks == 1 ? " framework" : " frameworks")
            << "\n";
  return 0;
}

int Restore(const Globals& g, const std::string& file, bool replace) {
  if (g.database.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(g.data_dir, ec);
    if (ec) return Fail(Status::Io(g.data_dir + ": " + ec.message()));
  }
  auto report = RestoreStore(file, g.Database(), replace);
  if (!report.ok()) return Fail(report.status());
  std::cout << "restored " << file << " into " << DescribeStore(g.Database()) << ": "
            << Describe(*report) << "\n";
  CatchUpIndex(g);
  return 0;
}

int Copy(const Globals& g, const std::string& from, const std::string& to, bool replace) {
  auto source = StoreNamed(from);
  if (!source.ok()) return Fail(source.status());
  auto target = StoreNamed(to);
  if (!target.ok()) return Fail(target.status());
  if (!IsPostgresUrl(*target)) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(*target).parent_path(), ec);
  }
  auto report = CopyStore(*source, *target, replace);
  if (!report.ok()) return Fail(report.status());
  std::cout << "copied " << DescribeStore(*source) << " to " << DescribeStore(*target) << ": "
            << Describe(*report) << "\n";
  if (*target == g.Database()) CatchUpIndex(g);
  return 0;
}

int Export(const Globals& g, const std::string& name, const std::string& format,
           const std::string& output) {
  auto parsed = ParseFileFormat(format);
  if (!parsed.ok()) return Fail(parsed.status());
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  auto text = ExportFramework(**store, name, *parsed);
  if (!text.ok()) return Fail(text.status());
  if (output.empty() || output == "-") {
    std::cout << *text << std::flush;
    return std::cout ? 0 : Fail(Status::Io("cannot write to standard output"));
  }
  // Write beside the target and rename, so a failure never leaves half a file.
  const std::string temp = output + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << *text;
    out.close();
    if (!out) return Fail(Status::Io(output + ": cannot write the file"));
  }
  std::error_code ec;
  std::filesystem::rename(temp, output, ec);
  if (ec) return Fail(Status::Io(output + ": " + ec.message()));
  return 0;
}

int List(const Globals& g, bool json) {
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  auto list = (*store)->ListFrameworks();
  if (!list.ok()) return Fail(list.status());
  if (json) {
    boost::json::array frameworks;
    for (const auto& s : *list) {
      const Framework& f = s.framework;
      frameworks.push_back(boost::json::object{{"uuid", f.uuid},
                                               {"code", f.code},
                                               {"edition", f.edition},
                                               {"title", f.title},
                                               {"status", FrameworkStatusName(f.status)},
                                               {"units", s.units},
                                               {"statements", s.statements}});
    }
    std::cout << boost::json::serialize(boost::json::object{{"frameworks", frameworks}})
              << "\n";
    return 0;
  }
  if (list->empty()) {
    std::cout << "no frameworks yet (try `opennos demo` or `opennos import FILE`)\n";
    return 0;
  }
  std::printf("%-10s %-8s %-36s %6s %10s  %s\n", "CODE", "EDITION", "UUID", "UNITS",
              "STATEMENTS", "TITLE");
  for (const auto& s : *list) {
    const Framework& f = s.framework;
    std::printf("%-10s %-8s %-36s %6lld %10lld  %s\n", f.code.c_str(), f.edition.c_str(),
                f.uuid.c_str(), static_cast<long long>(s.units),
                static_cast<long long>(s.statements), f.title.c_str());
  }
  return 0;
}

int Show(const Globals& g, const std::string& key) {
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  Item unit;
  std::vector<Item> other_versions;
  if (auto uuid = CanonicalUuid(key)) {
    auto item = (*store)->GetItem(*uuid);
    if (!item.ok()) return Fail(item.status());
    unit = std::move(*item);
  } else {
    auto units = (*store)->FindUnitsByUrn(key);
    if (!units.ok()) return Fail(units.status());
    if (units->empty()) return Fail(Status::NotFound("no unit with the URN \"" + key + "\""));
    unit = units->front();
    other_versions.assign(units->begin() + 1, units->end());
  }
  auto doc = (*store)->LoadFramework(unit.framework_uuid);
  if (!doc.ok()) return Fail(doc.status());
  const Framework& f = doc->framework;
  std::vector<const Item*> children;
  for (const Item& item : doc->items) {
    if (item.parent_uuid == unit.uuid) children.push_back(&item);
  }
  const UnitFields& u = unit.unit;
  std::cout << (unit.unit.urn.empty() ? unit.code : unit.unit.urn) << "  " << unit.title << "\n";
  std::cout << "Type: " << ItemTypeLabel(unit.type) << "   Code: " << unit.code
            << "   Suite: " << f.title << " (" << f.code << "@" << f.edition << ")\n";
  if (u.version) std::cout << "Version: " << u.version << "   ";
  if (!u.validity.empty()) std::cout << "Validity: " << u.validity << "   ";
  if (!u.category.empty()) std::cout << "Category: " << u.category << "   ";
  if (!u.approved.empty()) std::cout << "Approved: " << u.approved << "   ";
  if (!u.review.empty()) std::cout << "Review: " << u.review;
  std::cout << "\n";
  if (!u.developed_by.empty()) std::cout << "Developed by: " << u.developed_by << "\n";
  if (!unit.text.empty() && unit.text != unit.title) std::cout << "\n" << unit.text << "\n";
  if (!u.overview.empty()) std::cout << "\nOverview\n  " << u.overview << "\n";
  Section(children, ItemType::kPerformanceCriterion, "Performance criteria");
  Section(children, ItemType::kKnowledge, "Knowledge and understanding");
  Section(children, ItemType::kBehaviour, "Behaviours");
  Section(children, ItemType::kSkill, "Skills");
  Section(children, ItemType::kScope, "Scope/range");
  Section(children, ItemType::kGlossaryTerm, "Glossary");
  Section(children, ItemType::kStatement, "Statements");
  const auto join = [](const std::vector<std::string>& list) {
    std::string out;
    for (const auto& s : list) out += (out.empty() ? "" : ", ") + s;
    return out;
  };
  if (!u.keywords.empty()) std::cout << "\nKeywords: " << join(u.keywords) << "\n";
  if (!u.occupations.empty()) std::cout << "Occupations (SOC 2020): " << join(u.occupations) << "\n";
  for (const Item& other : other_versions) {
    auto of = (*store)->GetFramework(other.framework_uuid);
    if (!of.ok()) return Fail(of.status());
    std::cout << "Also in " << of->code << "@" << of->edition << " (version "
              << other.unit.version << ", " << other.uuid << ")\n";
  }
  return 0;
}

int Search(const Globals& g, const SearchOptions& options) {
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  search::Query query;
  query.text = options.query;
  query.page = options.page;
  query.size = options.size;
  for (const std::string& f : options.filters) {
    const size_t eq = f.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(Status::Invalid("--filter \"" + f + "\": expected KEY=VALUE"));
    }
    query.filters.push_back({f.substr(0, eq), f.substr(eq + 1)});
  }
  const std::string dir = IndexDir(g.data_dir);
  // Bring the index up to date if nobody else is writing it; otherwise read what is there.
  std::unique_ptr<search::Index> index;
  auto current = search::OpenCurrentIndex(**store, dir);
  if (current.ok()) {
    index = std::move(*current);
  } else if (current.status().code() == Status::Code::kConflict) {
    auto reader = search::OpenReadOnlyIndex(dir);
    if (!reader.ok()) return Fail(reader.status());
    index = std::move(*reader);
  } else {
    return Fail(current.status());
  }
  auto results = index->Search(query);
  if (!results.ok()) return Fail(results.status());
  if (options.json) {
    std::cout << boost::json::serialize(search::ResultsToJson(*results)) << "\n";
    return 0;
  }
  if (!results->message.empty()) std::cout << results->message << "\n";
  if (!results->suggestion.empty()) std::cout << "Did you mean: " << results->suggestion << "\n";
  std::cout << results->total << " results\n";
  for (const auto& h : results->hits) {
    std::cout << "\n" << (h.urn.empty() ? h.code : h.urn) << "  " << h.title << "  ("
              << h.framework_code << "@" << h.framework_edition << ")\n";
    if (h.type != "unit") std::cout << "  " << h.code << ": " << h.text << "\n";
  }
  return 0;
}

namespace {

void PrintRebuildProgress(std::int64_t done, std::int64_t total, void*) {
  const int width = 30;
  const int filled = total == 0 ? width : static_cast<int>(done * width / total);
  std::cerr << "\r[" << std::string(static_cast<size_t>(filled), '#')
            << std::string(static_cast<size_t>(width - filled), ' ') << "] " << done << "/"
            << total << " frameworks" << (done == total ? "\n" : "") << std::flush;
}

}  // namespace

int Reindex(const Globals& g) {
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  if (Status s = search::Rebuild(**store, IndexDir(g.data_dir), PrintRebuildProgress, nullptr);
      !s.ok()) {
    return Fail(s);
  }
  auto index = search::OpenReadOnlyIndex(IndexDir(g.data_dir));
  if (!index.ok()) return Fail(index.status());
  std::cout << "search index rebuilt: " << (*index)->Documents()
            << " documents (one per unit or statement outside any unit) holding "
            << (*index)->Size() << " units and statements\n";
  return 0;
}

}  // namespace opennos::cli
