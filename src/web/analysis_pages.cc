#include "web/analysis_pages.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "analysis/report_json.h"
#include "web/analysis_form.h"
#include "web/authoring_access.h"
#include "web/analysis_views.h"
#include "web/lookup.h"

namespace opennos::web::analysis_pages {
namespace json = boost::json;
namespace {

// How much of a long report a page shows; the API has all of it.
constexpr std::size_t kPairsShown = 100;
constexpr std::size_t kClustersShown = 30;
constexpr std::size_t kUnitPairsShown = 20;
constexpr std::size_t kGapsShown = 200;
constexpr std::size_t kSuggestionsShown = 200;
// Seconds between a progress page's checks of its job (by its script: the page never reloads
// itself, so that nothing changes under a reader who has not asked for it without a way to
// stop it).
constexpr int kCheckSeconds = 2;

std::string Score(float s) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << s;
  return out.str();
}

std::string Percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "–";
  return std::to_string(part * 100 / whole) + "%";
}

std::string Name(const Framework& f) { return f.code + "@" + f.edition; }

// The frameworks that are the newest edition of their code (their units' pages need no
// ?edition=).
std::unordered_set<std::string> NewestEditions(Store& store) {
  std::unordered_set<std::string> out;
  auto all = store.ListFrameworks();
  if (!all.ok()) return out;
  std::unordered_map<std::string, const Framework*> newest;
  for (const auto& s : *all) {
    auto [it, fresh] = newest.emplace(s.framework.code, &s.framework);
    if (!fresh && EditionLess(it->second->edition, s.framework.edition)) it->second = &s.framework;
  }
  for (const auto& [code, f] : newest) out.insert(f->uuid);
  return out;
}

// A draft's item, where its organisation reads it (the public item pages do not show drafts).
std::string DraftUrl(const Framework& f, const Item& item) {
  return "/drafts/" + f.uuid + "/items/" + item.uuid;
}

// A framework's page: its suite page, or a draft's task list.
std::string FrameworkUrl(const Framework& f) {
  return IsPublic(f) ? SuiteUrl(f) : "/drafts/" + f.uuid;
}

// Links to units and statements of the frameworks a report covers.
class Linker {
 public:
  explicit Linker(Store& store) : newest_(NewestEditions(store)) {}

  // {"label", "url", "title"} of a unit, or a placeholder for none.
  json::object Unit(const Item* unit, const Framework& f) const {
    if (unit == nullptr) return json::object{{"label", "(no unit)"}, {"url", ""}, {"title", ""}};
    const std::string label = analysis::UnitLabel(unit);
    return json::object{
        {"label", label == unit->code ? label : unit->code + " (" + label + ")"},
        {"title", unit->title},
        {"url", IsPublic(f) ? UnitUrl(*unit, f, newest_.count(f.uuid) > 0) : DraftUrl(f, *unit)}};
  }

  // A statement: {"code", "unit", "text"} and, when `other` is given, the text cut into runs
  // with the words it shares with `other` marked.
  json::object Statement(const analysis::Statements& s, std::uint32_t i,
                         const std::string* other) const {
    const Item& item = *s.items[i];
    const std::string& text = analysis::ComparedText(item);
    json::object o{{"code", item.code},
                   {"unit", Unit(s.units[i], s.doc->framework)},
                   {"text", text},
                   {"item_url", IsPublic(s.doc->framework) ? "/items/" + item.uuid
                                                           : DraftUrl(s.doc->framework, item)}};
    o["runs"] = other != nullptr ? MarkCommonWords(text, *other)
                                 : json::array{json::object{{"text", text}, {"common", false}}};
    return o;
  }

  // Two statements side by side, each marked with what it shares with the other.
  json::object Pair(const analysis::Statements& sa, std::uint32_t a, const analysis::Statements& sb,
                    std::uint32_t b, float score) const {
    const std::string& ta = analysis::ComparedText(*sa.items[a]);
    const std::string& tb = analysis::ComparedText(*sb.items[b]);
    return json::object{
        {"score", Score(score)}, {"a", Statement(sa, a, &tb)}, {"b", Statement(sb, b, &ta)}};
  }

 private:
  std::unordered_set<std::string> newest_;
};

// The model every analysis page starts from: its heading, the form and any errors.
json::object BaseModel(const AnalysisForm& form, const std::string& heading) {
  const Framework& f = form.framework;
  json::object model{{"title", heading + ": " + Name(f)},
                     {"heading", heading},
                     {"caption", f.title + " (" + Name(f) + ")"},
                     {"suite_url", FrameworkUrl(f)},
                     {"suite_title", f.title},
                     {"code", f.code},
                     {"nav_suites", true}};
  const bool two = form.kind == AnalysisKind::kCoverage || form.kind == AnalysisKind::kCrosswalk;
  json::object fields{
      {"action", SuiteUrl(f) + "/" + AnalysisKindName(form.kind)},
      {"threshold", form.threshold_text.empty() ? NumberText(form.threshold) : form.threshold_text},
      {"has_against", two},
      {"has_exact", form.kind == AnalysisKind::kCrosswalk},
      {"exact", form.exact_text.empty() ? NumberText(form.exact) : form.exact_text}};
  model["form"] = std::move(fields);
  AddFieldErrors(model, form.errors);
  return model;
}

// The frameworks to choose from in the "against" list.
json::array Choices(Store& store, const AnalysisForm& form) {
  json::array out;
  auto all = store.ListFrameworks();
  if (!all.ok()) return out;
  for (const auto& s : *all) {
    const Framework& f = s.framework;
    const std::string value = Name(f);
    const bool selected = form.against ? form.against->uuid == f.uuid : form.against_text == value;
    out.push_back(json::object{
        {"value", value},
        {"label", f.title + " (" + value + ", " + std::to_string(s.statements) + " statements)"},
        {"selected", selected}});
  }
  return out;
}

Response Fail(const Context& ctx, const Status& s) {
  if (s.code() == Status::Code::kNotFound) return NotFoundPage(ctx, s.message());
  throw std::runtime_error(s.message());
}

Response NoStore(Response r) {
  r.Set("Cache-Control", "no-store");
  return r;
}

const char* StateText(AnalysisJob::State s) {
  switch (s) {
    case AnalysisJob::State::kQueued:
      return "Waiting to start: other analyses are running";
    case AnalysisJob::State::kRunning:
      return "Analysing";
    case AnalysisJob::State::kDone:
      return "Finished";
    case AnalysisJob::State::kFailed:
      return "The analysis failed";
    case AnalysisJob::State::kCancelled:
      break;
  }
  return "Cancelled";
}

// The progress of a job. Its "Check progress" button asks for the report's own address again,
// which shows the report once it is ready. `following`: at the report's address, the page's
// script checks the job every few seconds and shows the report when it is done (with a button
// to stop it); the job's own page (not following) only changes when asked.
Response ProgressPage(const Context& ctx, const AnalysisJob& job, json::object model,
                      bool following, int status) {
  const auto state = job.state();
  const int percent = static_cast<int>(std::floor(job.progress() * 100));
  model["title"] = std::string(StateText(state)) + ": " + std::string(model["title"].as_string());
  model["progress"] = true;
  model["state_text"] = StateText(state);
  model["unfinished"] = !job.finished();
  model["done"] = state == AnalysisJob::State::kDone;
  model["cancelled"] = state == AnalysisJob::State::kCancelled;
  model["failed"] = state == AnalysisJob::State::kFailed;
  model["error"] = job.error().message();
  model["percent"] = percent;
  model["following"] = following && !job.finished();
  model["check_seconds"] = kCheckSeconds;
  model["job_url"] = JobPageUrl(job);
  model["job_api_url"] = JobApiUrl(job);
  model["report_url"] = ReportPageUrl(job.request());
  model["can_cancel"] = MayCancel(ctx, job);
  model["cancel_url"] = JobPageUrl(job) + "/cancel";
  return NoStore(HtmlPage(status, "analysis_progress", std::move(model), ctx));
}

Response Busy(const Context& ctx, json::object model) {
  model["title"] = "Busy: " + std::string(model["title"].as_string());
  model["progress"] = true;
  model["busy"] = true;
  model["retry_url"] = ctx.request.target;
  Response r = NoStore(HtmlPage(503, "analysis_progress", std::move(model), ctx));
  r.Set("Retry-After", "10");
  return r;
}

std::string Heading(const AnalysisForm& form) {
  switch (form.kind) {
    case AnalysisKind::kCoverage:
      return "Coverage by another framework";
    case AnalysisKind::kCrosswalk:
      return "Crosswalk suggestions";
    case AnalysisKind::kEditions:
      return form.framework.title + ": how the units changed between editions";
    case AnalysisKind::kDuplicates:
      break;
  }
  return "Duplicated statements";
}

using Builder = void (*)(const Context&, const AnalysisForm&, const AnalysisResult&, json::object&);

// Reads the form, runs or joins the analysis, and shows its report, its progress or the form
// with what is wrong.
Response AnalysisPage(const Context& ctx, AnalysisKind kind, const char* page, Builder build) {
  auto form = ReadAnalysisForm(ctx, kind, false);
  if (!form.ok()) return Fail(ctx, form.status());
  json::object model = BaseModel(*form, Heading(*form));
  if (model["form"].as_object()["has_against"].as_bool()) {
    PublicView reader = ReaderView(ctx);
    model["form"].as_object()["frameworks"] = Choices(reader, *form);
  }
  if (!form->errors.empty()) return HtmlPage(400, page, std::move(model), ctx);
  if (form->missing_against()) return HtmlPage(200, page, std::move(model), ctx);
  const AnalysisRun run = RunAnalysis(ctx, *form);
  switch (run.outcome) {
    case AnalysisRun::Outcome::kBusy:
      return Busy(ctx, std::move(model));
    case AnalysisRun::Outcome::kPending:
      return ProgressPage(ctx, *run.job, std::move(model), true, 202);
    case AnalysisRun::Outcome::kCancelled:
      return ProgressPage(ctx, *run.job, std::move(model), false, 200);
    case AnalysisRun::Outcome::kFailed:
      return Fail(ctx, run.job->error());
    case AnalysisRun::Outcome::kDone:
      break;
  }
  model["has_report"] = true;
  model["api_url"] = ReportApiUrl(run.job->request());
  const std::string page_url = ReportPageUrl(run.job->request());
  model["report_query"] = page_url.substr(std::min(page_url.find('?'), page_url.size()));
  build(ctx, *form, *run.job->result(), model);
  return HtmlPage(200, page, std::move(model), ctx);
}

// --- The reports -------------------------------------------------------------------------------

void BuildDuplicates(const Context& ctx, const AnalysisForm&, const AnalysisResult& result,
                     json::object& model) {
  const auto& r = result.duplicates;
  const auto& s = r.statements;
  const Framework& f = s.doc->framework;
  const Linker links(ctx.store);
  json::array pairs;
  for (std::size_t i = 0; i < std::min(r.pairs.size(), kPairsShown); ++i) {
    const auto& p = r.pairs[i];
    pairs.push_back(links.Pair(s, p.a, s, p.b, p.score));
  }
  json::array clusters;
  for (std::size_t i = 0; i < std::min(r.clusters.size(), kClustersShown); ++i) {
    json::array items;
    for (std::uint32_t m : r.clusters[i]) items.push_back(links.Statement(s, m, nullptr));
    clusters.push_back(json::object{
        {"number", i + 1}, {"size", r.clusters[i].size()}, {"items", std::move(items)}});
  }
  json::array units;
  for (std::size_t i = 0; i < std::min(r.units.size(), kUnitPairsShown); ++i) {
    const auto& u = r.units[i];
    units.push_back(json::object{{"a", links.Unit(u.a, f)},
                                 {"b", links.Unit(u.b, f)},
                                 {"pairs", u.pairs},
                                 {"best", Score(u.best)}});
  }
  model["statements"] = s.size();
  model["no_statements"] = s.size() == 0;
  model["without_terms"] = r.without_terms;
  model["threshold"] = NumberText(r.threshold);
  model["pair_count"] = r.pairs.size();
  model["cluster_count"] = r.clusters.size();
  model["has_pairs"] = !pairs.empty();
  model["pairs"] = std::move(pairs);
  model["has_more_pairs"] = r.pairs.size() > kPairsShown;
  model["pairs_shown"] = kPairsShown;
  model["clusters"] = std::move(clusters);
  model["has_more_clusters"] = r.clusters.size() > kClustersShown;
  model["clusters_shown"] = kClustersShown;
  model["has_units"] = !units.empty();
  model["units"] = std::move(units);
}

void BuildCoverage(const Context& ctx, const AnalysisForm&, const AnalysisResult& result,
                   json::object& model) {
  const auto& r = result.coverage;
  const auto& s = r.statements;
  const Framework& f = s.doc->framework;
  const Framework& other = r.against.doc->framework;
  const Linker links(ctx.store);
  auto group = [&](const analysis::CoverageReport::Group& g, bool unit) {
    json::object o{
        {"statements", g.statements},
        {"covered", g.covered},
        {"percent", Percent(g.covered, g.statements)},
        {"best_unit", g.best_unit == nullptr ? json::value(nullptr)
                                             : json::value(links.Unit(g.best_unit, other))},
        {"best_unit_covers", g.best_unit_covers}};
    if (unit) {
      o["unit"] = links.Unit(g.item, f);
    } else {
      o["label"] = g.item == nullptr ? std::string("Outside any key area")
                                     : g.item->code + " " + g.item->title;
    }
    return o;
  };
  json::array key_areas, units, gaps, matches;
  for (const auto& g : r.key_areas) key_areas.push_back(group(g, false));
  for (const auto& g : r.units) units.push_back(group(g, true));
  std::size_t gap_count = 0;
  for (std::uint32_t i = 0; i < s.size(); ++i) {
    if (r.best[i]) {
      if (matches.size() < kPairsShown) {
        matches.push_back(links.Pair(s, i, r.against, r.best[i]->item, r.best[i]->score));
      }
      continue;
    }
    if (gap_count++ < kGapsShown) gaps.push_back(links.Statement(s, i, nullptr));
  }
  model["against_name"] = Name(other);
  model["against_title"] = other.title;
  model["statements"] = s.size();
  model["no_statements"] = s.size() == 0;
  model["covered"] = r.covered;
  model["percent"] = Percent(r.covered, s.size());
  model["threshold"] = NumberText(r.threshold);
  model["chart_svg"] = CoverageChartSvg(r);
  model["key_areas"] = std::move(key_areas);
  model["units"] = std::move(units);
  model["gap_count"] = gap_count;
  model["has_gaps"] = gap_count > 0;
  model["gaps"] = std::move(gaps);
  model["has_more_gaps"] = gap_count > kGapsShown;
  model["gaps_shown"] = kGapsShown;
  model["has_matches"] = !matches.empty();
  model["pairs"] = std::move(matches);
  model["has_more_matches"] = r.covered > kPairsShown;
  model["pairs_shown"] = kPairsShown;
}

void BuildCrosswalk(const Context& ctx, const AnalysisForm&, const AnalysisResult& result,
                    json::object& model) {
  const auto& r = result.crosswalk;
  const Linker links(ctx.store);
  json::array pairs;
  std::size_t exact = 0;
  for (const auto& p : r.pairs) {
    const std::string type = analysis::SuggestedType(r, p.score);
    exact += type == "exactMatchOf" ? 1 : 0;
    if (pairs.size() >= kSuggestionsShown) continue;
    json::object o = links.Pair(r.a, p.a, r.b, p.b, p.score);
    o["type"] = type;
    o["type_label"] = type == "exactMatchOf" ? "Same as" : "Related to";
    pairs.push_back(std::move(o));
  }
  model["against_name"] = Name(r.b.doc->framework);
  model["against_title"] = r.b.doc->framework.title;
  model["threshold"] = NumberText(r.threshold);
  model["exact_threshold"] = NumberText(r.exact_threshold);
  model["pair_count"] = r.pairs.size();
  model["exact_count"] = exact;
  model["related_count"] = r.pairs.size() - exact;
  model["has_pairs"] = !pairs.empty();
  model["pairs"] = std::move(pairs);
  model["has_more_pairs"] = r.pairs.size() > kSuggestionsShown;
  model["pairs_shown"] = kSuggestionsShown;
  // Keeping the suggestions for review is an editor's work in the organisation that owns the
  // suite; its members may read what was kept.
  const Framework& f = r.a.doc->framework;
  const std::string suggestions = "/suites/" + PercentEncode(ctx.params.at(0)) + "/suggestions";
  model["suggestions_url"] = suggestions;
  model["keep_action"] = suggestions + std::string(model["report_query"].as_string());
  model["can_keep"] = ctx.user != nullptr && !Refuse(ctx, Need::kEdit, &f).has_value();
  model["can_read_suggestions"] = ctx.user != nullptr && !Refuse(ctx, Need::kRead, &f).has_value();
}

// One edition comparison as rows: each old unit (in tree order) with what became of it, then
// the new units.
json::object EditionComparison(const Linker& links, const analysis::EditionsReport& r) {
  const Framework& older = r.older.doc->framework;
  const Framework& newer = r.newer.doc->framework;
  std::unordered_map<const Item*, std::size_t> old_order, new_order;
  for (std::size_t i = 0; i < r.older.all_units.size(); ++i) old_order[r.older.all_units[i]] = i;
  for (std::size_t i = 0; i < r.newer.all_units.size(); ++i) new_order[r.newer.all_units[i]] = i;
  struct Row {
    std::size_t order;
    const char* kind;
    const analysis::EditionsReport::Entry* entry;
  };
  std::vector<Row> rows;
  const std::size_t after = r.older.all_units.size();
  auto add = [&](const char* kind, const std::vector<analysis::EditionsReport::Entry>& list) {
    for (const auto& e : list) {
      const std::size_t order =
          e.from.empty() ? after + new_order[e.to.front()] : old_order[e.from.front()];
      rows.push_back({order, kind, &e});
    }
  };
  add("unchanged", r.unchanged);
  add("changed", r.changed);
  add("merged", r.merged);
  add("split", r.split);
  add("removed", r.removed);
  add("added", r.added);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.order < b.order; });
  json::array out;
  for (const Row& row : rows) {
    const auto& e = *row.entry;
    json::array olds, news;
    for (const Item* u : e.from) olds.push_back(links.Unit(u, older));
    for (const Item* u : e.to) news.push_back(links.Unit(u, newer));
    std::size_t authored = 0, found = 0;
    float best = 0;
    for (const auto& l : r.links) {
      const bool in = std::find(e.from.begin(), e.from.end(), l.from) != e.from.end() &&
                      std::find(e.to.begin(), e.to.end(), l.to) != e.to.end();
      if (!in) continue;
      (l.authored ? authored : found) += 1;
      best = std::max(best, l.score);
    }
    std::string how;
    if (authored + found > 0) {
      how = found == 0      ? "Recorded by the developers"
            : authored == 0 ? "Similar text"
                            : "Recorded and similar text";
      how += " (similarity " + Score(best) + ")";
    }
    out.push_back(json::object{{"kind", row.kind},
                               {"old", std::move(olds)},
                               {"has_old", !e.from.empty()},
                               {"new", std::move(news)},
                               {"has_new", !e.to.empty()},
                               {"how", how}});
  }
  json::object counts{{"unchanged", r.unchanged.size()}, {"changed", r.changed.size()},
                      {"merged", r.merged.size()},       {"split", r.split.size()},
                      {"removed", r.removed.size()},     {"added", r.added.size()}};
  return json::object{{"older", json::object{{"edition", older.edition}, {"url", FrameworkUrl(older)}}},
                      {"newer", json::object{{"edition", newer.edition}, {"url", FrameworkUrl(newer)}}},
                      {"counts", std::move(counts)},
                      {"rows", std::move(out)}};
}

void BuildEditions(const Context& ctx, const AnalysisForm& form, const AnalysisResult& result,
                   json::object& model) {
  const Linker links(ctx.store);
  json::array comparisons;
  for (const auto& r : result.editions) comparisons.push_back(EditionComparison(links, r));
  std::reverse(comparisons.begin(), comparisons.end());  // the newest change first
  model["has_comparisons"] = !comparisons.empty();
  model["comparisons"] = std::move(comparisons);
  model["threshold"] = NumberText(form.threshold);
}

}  // namespace

Response Duplicates(const Context& ctx) {
  return AnalysisPage(ctx, AnalysisKind::kDuplicates, "analysis_duplicates", BuildDuplicates);
}

Response Coverage(const Context& ctx) {
  return AnalysisPage(ctx, AnalysisKind::kCoverage, "analysis_coverage", BuildCoverage);
}

Response Crosswalk(const Context& ctx) {
  return AnalysisPage(ctx, AnalysisKind::kCrosswalk, "analysis_crosswalk", BuildCrosswalk);
}

Response Editions(const Context& ctx) {
  return AnalysisPage(ctx, AnalysisKind::kEditions, "editions", BuildEditions);
}

Response Job(const Context& ctx) {
  auto job = FindJob(ctx, ctx.params.at(0));
  if (job == nullptr) {
    return NoStore(NotFoundPage(ctx,
                                "There is no analysis with this address: it finished more "
                                "than a few minutes ago, or never existed. Start it again "
                                "from its suite's page."));
  }
  const AnalysisRequest& req = job->request();
  const std::string& uuid =
      req.kind == AnalysisKind::kEditions ? req.frameworks.back() : req.frameworks.front();
  PublicView reader = ReaderView(ctx);
  auto f = reader.GetFramework(uuid);
  if (!f.ok()) return Fail(ctx, f.status());
  AnalysisForm form;
  form.kind = req.kind;
  form.framework = *f;
  form.threshold = req.threshold;
  form.exact = req.exact_threshold;
  return ProgressPage(ctx, *job, BaseModel(form, Heading(form)), false, 200);
}

Response Cancel(const Context& ctx) {
  CancelOutcome done = CancelJob(ctx, ctx.params.at(0));
  if (done.refused) return std::move(*done.refused);
  return Response{303, {{"Location", JobPageUrl(*done.job)}}, ""};
}

}  // namespace opennos::web::analysis_pages
