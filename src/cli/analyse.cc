// `opennos analyse ...`: duplicates, coverage, crosswalk and editions over stored frameworks,
// with a progress bar on a terminal and Ctrl-C to cancel; crosswalk suggestions stored and
// decided from here as admin work (--as).

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "analysis/report_json.h"
#include "app/analysis_service.h"
#include "cli/commands.h"
#include "storage/open.h"
#include "web/analysis_views.h"

namespace opennos::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void OnInterrupt(int) { g_cancel.store(true); }

// Ctrl-C cancels the run instead of killing the process, while this object lives.
class InterruptCancels {
 public:
  InterruptCancels() {
    g_cancel = false;
    struct sigaction action {};
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
  }
  ~InterruptCancels() { sigaction(SIGINT, &previous_, nullptr); }
  InterruptCancels(const InterruptCancels&) = delete;
  InterruptCancels& operator=(const InterruptCancels&) = delete;

 private:
  struct sigaction previous_ {};
};

// A bar on standard error, redrawn at most ten times a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool on) : on_(on) {}
  ~ProgressBar() { Done(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  analysis::ProgressFn Fn() {
    if (!on_) return {};
    return [this](double f) { Draw(f); };
  }
  void Done() {
    if (drawn_) std::cerr << "\n" << std::flush;
    drawn_ = false;
  }

 private:
  void Draw(double f) {
    const auto now = std::chrono::steady_clock::now();
    if (f < 1.0 && drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(f * kWidth);
    std::cerr << "\ranalysing [" << std::string(static_cast<size_t>(filled), '#')
              << std::string(static_cast<size_t>(kWidth - filled), '.') << "] " << std::setw(3)
              << static_cast<int>(f * 100) << "%  (Ctrl-C cancels)" << std::flush;
  }
  bool on_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

int Cancelled() {
  std::cerr << "opennos: cancelled; nothing was written\n";
  return 130;
}

Result<std::unique_ptr<Store>> Open(const Globals& g) {
  auto store = OpenStore(g.Database(), OpenMode::kExisting);
  if (!store.ok() && store.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("no OpenNOS data in " + g.data_dir + " (run `opennos --data " +
                            g.data_dir + " init` first)");
  }
  return store;
}

analysis::RunOptions RunOptionsOf(const AnalyseOptions& o, ProgressBar& bar) {
  analysis::RunOptions run;
  run.threshold = o.threshold;
  run.threads = o.threads;
  run.progress = bar.Fn();
  run.cancel = &g_cancel;
  return run;
}

bool ShowProgress(const AnalyseOptions& o) {
  return o.progress == 1 || (o.progress == -1 && isatty(STDERR_FILENO) != 0);
}

std::string Name(const Framework& f) { return f.code + "@" + f.edition; }

// At most `width` characters (by UTF-8 code point), with an ellipsis when cut.
std::string Clip(const std::string& text, size_t width) {
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++points > width) return text.substr(0, i) + "…";
  }
  return text;
}

std::string Score(float s) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << s;
  return out.str();
}

void StatementLine(const analysis::Statements& s, std::uint32_t i, const char* lead) {
  const Item& item = *s.items[i];
  std::cout << lead << std::left << std::setw(12) << item.code << " "
            << Clip(analysis::ComparedText(item), 90) << "\n";
}

std::string UnitName(const Item* unit) {
  if (unit == nullptr) return "(no unit)";
  const std::string label = analysis::UnitLabel(unit);
  return label == unit->code ? unit->code + " " + unit->title
                             : unit->code + " " + unit->title + " (" + label + ")";
}

int Write(const std::string& text) {
  std::cout << text << std::flush;
  return std::cout ? 0 : Fail(Status::Io("cannot write to standard output"));
}

void More(size_t shown, size_t total) {
  if (total > shown) {
    std::cout << "  … and " << total - shown << " more (--limit N shows more, --json all)\n";
  }
}

}  // namespace

int AnalyseDuplicates(const Globals& g, const AnalyseOptions& o) {
  if (Status s = analysis::CheckThreshold(o.threshold); !s.ok()) return Fail(s);
  auto store = Open(g);
  if (!store.ok()) return Fail(store.status());
  auto doc = LoadNamedFrameworkOutline(**store, o.frameworks.at(0));
  if (!doc.ok()) return Fail(doc.status());
  InterruptCancels interrupt;
  ProgressBar bar(ShowProgress(o));
  auto r = analysis::FindDuplicates(*doc, RunOptionsOf(o, bar));
  bar.Done();
  if (!r.ok()) return Fail(r.status());
  if (r->cancelled) return Cancelled();
  if (o.json) return Write(analysis::DuplicatesJson(*r));
  const auto& s = r->statements;
  std::cout << Name(doc->framework) << " " << doc->framework.title << ": " << s.size()
            << " statements compared at threshold " << o.threshold << "\n"
            << r->pairs.size() << " pairs of near-identical statements in " << r->clusters.size()
            << " clusters";
  if (r->without_terms > 0) {
    std::cout << "; " << r->without_terms << " statements have no comparable words";
  }
  std::cout << "\n";
  if (r->pairs.empty()) return 0;
  std::cout << "\nscore  statements\n";
  const size_t shown = std::min(r->pairs.size(), o.limit);
  for (size_t i = 0; i < shown; ++i) {
    const auto& p = r->pairs[i];
    std::cout << Score(p.score) << "  ";
    StatementLine(s, p.a, "");
    StatementLine(s, p.b, "       ");
  }
  More(shown, r->pairs.size());
  if (!r->units.empty()) {
    std::cout << "\nUnits that share most\npairs  units\n";
    const size_t units = std::min(r->units.size(), o.limit);
    for (size_t i = 0; i < units; ++i) {
      const auto& u = r->units[i];
      std::cout << std::left << std::setw(5) << u.pairs << "  " << UnitName(u.a) << "\n"
                << "       " << UnitName(u.b) << "\n";
    }
    More(units, r->units.size());
  }
  return 0;
}

int AnalyseCoverage(const Globals& g, const AnalyseOptions& o) {
  if (Status s = analysis::CheckThreshold(o.threshold); !s.ok()) return Fail(s);
  auto store = Open(g);
  if (!store.ok()) return Fail(store.status());
  auto doc = LoadNamedFrameworkOutline(**store, o.frameworks.at(0));
  if (!doc.ok()) return Fail(doc.status());
  auto against = LoadNamedFrameworkOutline(**store, o.frameworks.at(1));
  if (!against.ok()) return Fail(against.status());
  InterruptCancels interrupt;
  ProgressBar bar(ShowProgress(o));
  auto r = analysis::FindCoverage(*doc, *against, RunOptionsOf(o, bar));
  bar.Done();
  if (!r.ok()) return Fail(r.status());
  if (r->cancelled) return Cancelled();
  if (!o.svg.empty()) {
    std::ofstream out(o.svg, std::ios::binary | std::ios::trunc);
    out << web::CoverageChartSvg(*r);
    out.close();
    if (!out) return Fail(Status::Io(o.svg + ": cannot write the chart"));
  }
  if (o.json) return Write(analysis::CoverageJson(*r));
  const auto& s = r->statements;
  std::cout << "How " << Name(against->framework) << " covers " << Name(doc->framework)
            << " at threshold " << o.threshold << ": " << r->covered << " of " << s.size()
            << " statements";
  if (s.size() > 0) std::cout << " (" << (100 * r->covered / s.size()) << "%)";
  std::cout << "\n\nKey area                                   covered\n";
  for (const auto& k : r->key_areas) {
    const std::string name = k.item == nullptr ? "(outside any key area)"
                                               : k.item->code + " " + k.item->title;
    std::cout << std::left << std::setw(42) << Clip(name, 40) << " " << k.covered << "/"
              << k.statements << "\n";
  }
  std::cout << "\nUnit                                       covered  best match in "
            << Name(against->framework) << "\n";
  for (const auto& u : r->units) {
    std::cout << std::left << std::setw(42) << Clip(UnitName(u.item), 40) << " " << std::setw(8)
              << (std::to_string(u.covered) + "/" + std::to_string(u.statements)) << " "
              << (u.best_unit == nullptr ? "-" : Clip(UnitName(u.best_unit), 50)) << "\n";
  }
  const size_t gaps = s.size() - r->covered;
  std::cout << "\nGaps (" << gaps << " statements with no match)\n";
  size_t shown = 0;
  for (std::uint32_t i = 0; i < s.size() && shown < o.limit; ++i) {
    if (r->best[i]) continue;
    StatementLine(s, i, "  ");
    ++shown;
  }
  More(shown, gaps);
  return 0;
}

int AnalyseCrosswalk(const Globals& g, const AnalyseOptions& o) {
  if (Status s = analysis::CheckThreshold(o.threshold); !s.ok()) return Fail(s);
  auto store = Open(g);
  if (!store.ok()) return Fail(store.status());
  auto a = LoadNamedFrameworkOutline(**store, o.frameworks.at(0));
  if (!a.ok()) return Fail(a.status());
  auto b = LoadNamedFrameworkOutline(**store, o.frameworks.at(1));
  if (!b.ok()) return Fail(b.status());
  InterruptCancels interrupt;
  ProgressBar bar(ShowProgress(o));
  auto r = analysis::FindCrosswalk(*a, *b, RunOptionsOf(o, bar), o.exact_threshold);
  bar.Done();
  if (!r.ok()) return Fail(r.status());
  if (r->cancelled) return Cancelled();
  if (o.store) {
    auto saved = StoreSuggestions(**store, *r, {o.author, o.reason.empty() ? "crosswalk suggestions" : o.reason});
    if (!saved.ok()) return Fail(saved.status());
    std::cerr << "suggestions stored in " << Name(a->framework) << ": " << saved->added
              << " added, " << saved->updated << " updated, " << saved->kept
              << " kept (decided ones are never changed)\n";
  }
  if (o.json) return Write(analysis::CrosswalkJson(*r));
  std::cout << "Suggested links from " << Name(a->framework) << " to " << Name(b->framework)
            << " at threshold " << o.threshold << " (exactMatchOf from " << o.exact_threshold
            << "): " << r->pairs.size() << "\n";
  if (r->pairs.empty()) return 0;
  std::cout << "\nscore  type          statements\n";
  const size_t shown = std::min(r->pairs.size(), o.limit);
  for (size_t i = 0; i < shown; ++i) {
    const auto& p = r->pairs[i];
    std::cout << Score(p.score) << "  " << std::left << std::setw(12)
              << analysis::SuggestedType(*r, p.score) << "  ";
    StatementLine(r->a, p.a, "");
    StatementLine(r->b, p.b, "                     ");
  }
  More(shown, r->pairs.size());
  return 0;
}

int AnalyseEditions(const Globals& g, const AnalyseOptions& o) {
  if (Status s = analysis::CheckThreshold(o.threshold); !s.ok()) return Fail(s);
  analysis::EditionsReport::By by;
  if (o.by == "auto") {
    by = analysis::EditionsReport::By::kAuto;
  } else if (o.by == "authored") {
    by = analysis::EditionsReport::By::kAuthored;
  } else if (o.by == "similarity") {
    by = analysis::EditionsReport::By::kSimilarity;
  } else {
    return Fail(Status::Invalid("--by must be auto, authored or similarity (got \"" + o.by + "\")"));
  }
  auto store = Open(g);
  if (!store.ok()) return Fail(store.status());
  auto older = LoadNamedFramework(**store, o.frameworks.at(0));
  if (!older.ok()) return Fail(older.status());
  auto newer = LoadNamedFramework(**store, o.frameworks.at(1));
  if (!newer.ok()) return Fail(newer.status());
  InterruptCancels interrupt;
  ProgressBar bar(ShowProgress(o));
  auto r = analysis::CompareEditions(*older, *newer, by, RunOptionsOf(o, bar));
  bar.Done();
  if (!r.ok()) return Fail(r.status());
  if (r->cancelled) return Cancelled();
  if (o.json) return Write(analysis::EditionsJson(*r));
  std::cout << Name(older->framework) << " -> " << Name(newer->framework) << ": "
            << r->unchanged.size() << " unchanged, " << r->changed.size() << " changed, "
            << r->merged.size() << " merged, " << r->split.size() << " split, "
            << r->removed.size() << " removed, " << r->added.size() << " added\n";
  auto score_of = [&](const Item* from, const Item* to) {
    for (const auto& l : r->links) {
      if (l.from == from && l.to == to) return Score(l.score) + (l.authored ? " authored" : " similarity");
    }
    return std::string();
  };
  auto section = [&](const char* title, const std::vector<analysis::EditionsReport::Entry>& list) {
    if (list.empty()) return;
    std::cout << "\n" << title << "\n";
    for (const auto& e : list) {
      for (const Item* f : e.from) std::cout << "  " << UnitName(f) << "\n";
      for (const Item* t : e.to) {
        std::cout << (e.from.empty() ? "  " : "    -> ") << UnitName(t);
        if (e.from.size() == 1) std::cout << "  [" << score_of(e.from[0], t) << "]";
        std::cout << "\n";
      }
    }
  };
  section("Unchanged", r->unchanged);
  section("Changed", r->changed);
  section("Merged", r->merged);
  section("Split", r->split);
  section("Removed", r->removed);
  section("Added", r->added);
  return 0;
}

int AnalyseSuggestions(const Globals& g, const std::string& framework, bool json) {
  auto store = Open(g);
  if (!store.ok()) return Fail(store.status());
  auto uuid = ResolveFramework(**store, framework);
  if (!uuid.ok()) return Fail(uuid.status());
  auto list = Suggestions(**store, *uuid);
  if (!list.ok()) return Fail(list.status());
  if (json) return Write(web::SuggestionsJson(*list) + "\n");
  if (list->empty()) {
    std::cout << "no suggestions (`opennos analyse crosswalk A B --store` makes some)\n";
    return 0;
  }
  std::cout << "id                                    decision  score   type          from -> to\n";
  for (const Association& a : *list) {
    std::cout << a.uuid << "  " << std::left << std::setw(8) << a.decision << "  "
              << Score(static_cast<float>(a.score.value_or(0))) << "  " << std::setw(12)
              << a.type << "  " << a.origin.code << " -> " << a.destination.code << "\n";
  }
  return 0;
}

int AnalyseDecide(const Globals& g, const std::string& framework,
                  const std::vector<std::string>& ids, bool accept, const std::string& author,
                  const std::string& reason) {
  auto store = Open(g);
  if (!store.ok()) return Fail(store.status());
  auto uuid = ResolveFramework(**store, framework);
  if (!uuid.ok()) return Fail(uuid.status());
  std::vector<SuggestionDecision> decisions;
  for (const std::string& id : ids) decisions.push_back({id, accept});
  auto decided = DecideSuggestions(**store, *uuid, decisions,
                                   {author, reason.empty() ? (accept ? "accepted" : "rejected") : reason});
  if (!decided.ok()) return Fail(decided.status());
  for (const Association& a : *decided) {
    std::cout << a.uuid << " " << a.decision << ": " << a.type << " " << a.origin.code << " -> "
              << a.destination.code << "\n";
  }
  return 0;
}

}  // namespace opennos::cli
