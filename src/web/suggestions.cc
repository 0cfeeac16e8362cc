#include "web/suggestions.h"

#include <algorithm>
#include <charconv>
#include <iomanip>
#include <sstream>
#include <unordered_map>

#include "analysis/statements.h"
#include "app/analysis_service.h"
#include "web/analysis_form.h"
#include "web/analysis_views.h"
#include "web/authoring_access.h"
#include "web/lookup.h"

namespace opennos::web::suggestions {
namespace json = boost::json;
namespace {

constexpr std::size_t kPerPage = 50;

Store& Full(const Context& ctx) { return ctx.full_store != nullptr ? *ctx.full_store : ctx.store; }

// The framework named in the path, drafts included (for those who may read them).
Result<Framework> Named(const Context& ctx) {
  auto uuid = ResolveFramework(Full(ctx), ctx.params.at(0));
  if (!uuid.ok()) return uuid.status();
  return Full(ctx).GetFramework(*uuid);
}

// Reading the list needs a role in the owning organisation (viewer and up). A draft stays
// hidden from anyone else (404, as in the public view).
std::optional<Response> RefuseRead(const Context& ctx, const Framework& f) {
  auto refused = Refuse(ctx, Need::kRead, &f);
  if (refused && refused->status == 403 && !IsPublic(f)) {
    return ctx.request.path.starts_with("/api/")
               ? JsonError(404, "no framework " + ctx.params.at(0))
               : NotFoundPage(ctx, "There is no suite " + ctx.params.at(0) + ".");
  }
  return refused;
}

std::string ListPath(const Context& ctx) {
  return "/suites/" + PercentEncode(ctx.params.at(0)) + "/suggestions";
}

std::string Name(const Framework& f) { return f.code + "@" + f.edition; }

// Which suggestions a list shows: ?show=pending (the default), accepted, rejected or all.
std::optional<std::string> ReadShow(const std::string& text) {
  if (text.empty()) return "pending";
  if (text == "pending" || text == "accepted" || text == "rejected" || text == "all") return text;
  return std::nullopt;
}

bool Shown(const Association& a, const std::string& show) {
  return show == "all" || a.decision == show;
}

// A count from a query parameter: digits only, else nullopt.
std::optional<std::size_t> Count(const std::string& text) {
  std::size_t n = 0;
  if (text.empty() || text.size() > 9) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::string Plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// What the last write did, from the address it sent the editor to; empty for none.
std::string Banner(const Context& ctx) {
  const Request& q = ctx.request;
  const auto added = Count(q.Query("added"));
  const auto updated = Count(q.Query("updated"));
  const auto unchanged = Count(q.Query("unchanged"));
  if (added && updated && unchanged) {
    return "Kept " + Plural(*added, "new suggestion", "new suggestions") + " for review; " +
           std::to_string(*updated) + " updated, " + std::to_string(*unchanged) +
           " already kept or decided.";
  }
  const std::string decided = q.Query("decided");
  const auto count = Count(q.Query("count"));
  if ((decided == "accepted" || decided == "rejected") && count) {
    return Plural(*count, "suggestion ", "suggestions ") + decided + ".";
  }
  return "";
}

std::string Score(double s) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << s;
  return out.str();
}

// One side of a suggestion: the statement, its text marked with the words it shares with the
// other side's, and where it is.
json::object Side(const NodeRef& ref, const Item* item, const Framework* framework,
                  const std::string& other_text) {
  if (item == nullptr) {
    const std::string label = ref.code.empty() ? ref.uuid : ref.code;
    return json::object{{"code", label},
                        {"item_url", ""},
                        {"where", ""},
                        {"runs", json::array{json::object{{"text", "(not public)"}, {"common", false}}}}};
  }
  const std::string& text = analysis::ComparedText(*item);
  return json::object{{"code", item->code.empty() ? item->uuid : item->code},
                      {"item_url", "/items/" + item->uuid},
                      {"where", framework != nullptr ? framework->title + " (" + Name(*framework) + ")" : ""},
                      {"runs", MarkCommonWords(text, other_text)}};
}

const char* TagClass(const std::string& decision) {
  if (decision == "accepted") return "govuk-tag--green";
  if (decision == "rejected") return "govuk-tag--red";
  return "govuk-tag--yellow";
}

std::string DecisionLabel(const std::string& decision) {
  if (decision == "accepted") return "Accepted";
  if (decision == "rejected") return "Rejected";
  return "Pending";
}

// The list page: `show` and `page` as asked (from the query, or the form that failed).
Response ListPage(const Context& ctx, int status, const std::vector<FieldError>& errors,
                  const std::string& show_text, const std::string& page_text) {
  auto f = Named(ctx);
  if (!f.ok()) return ProblemPage(ctx, f.status());
  if (auto refused = RefuseRead(ctx, *f)) return *refused;
  const bool editor = !Refuse(ctx, Need::kEdit, &*f).has_value();
  auto doc = Full(ctx).LoadFramework(f->uuid);
  if (!doc.ok()) return ProblemPage(ctx, doc.status());
  const auto show = ReadShow(show_text);
  if (!show) {
    return ProblemPage(ctx, Status::Invalid("?show= is one of pending, accepted, rejected or all, "
                                            "not \"" + show_text + "\""));
  }
  std::size_t page = 1;
  if (!page_text.empty()) {
    const auto n = Count(page_text);
    if (!n || *n == 0) {
      return ProblemPage(ctx, Status::Invalid("?page= is a page number from 1, not \"" +
                                              page_text + "\""));
    }
    page = *n;
  }

  const std::vector<Association> all = SuggestionsOf(*doc);
  std::unordered_map<std::string, std::size_t> counts;
  for (const Association& a : all) ++counts[a.decision];
  std::vector<const Association*> listed;
  for (const Association& a : all) {
    if (Shown(a, *show)) listed.push_back(&a);
  }
  const std::size_t pages = std::max<std::size_t>(1, (listed.size() + kPerPage - 1) / kPerPage);
  page = std::min(page, pages);

  std::unordered_map<std::string, const Item*> own;
  for (const Item& i : doc->items) own.emplace(i.uuid, &i);
  std::unordered_map<std::string, std::optional<Framework>> others;  // by UUID, public only
  json::array rows;
  for (std::size_t i = (page - 1) * kPerPage; i < std::min(listed.size(), page * kPerPage); ++i) {
    const Association& a = *listed[i];
    const auto at = own.find(a.origin.uuid);
    const Item* from = at == own.end() ? nullptr : at->second;
    // The other side is another framework's statement: shown only if the public may read it.
    auto to = ctx.store.GetItem(a.destination.uuid);
    const Item* dest = to.ok() ? &*to : nullptr;
    const Framework* dest_framework = nullptr;
    if (dest != nullptr) {
      auto [it, fresh] = others.try_emplace(dest->framework_uuid);
      if (fresh) {
        auto g = ctx.store.GetFramework(dest->framework_uuid);
        if (g.ok()) it->second = *g;
      }
      if (it->second) dest_framework = &*it->second;
    }
    const std::string from_text = from != nullptr ? analysis::ComparedText(*from) : "";
    const std::string to_text = dest != nullptr ? analysis::ComparedText(*dest) : "";
    const bool exact = a.type == "exactMatchOf";
    rows.push_back(json::object{
        {"id", a.uuid},
        {"score", Score(a.score.value_or(0))},
        {"type", a.type},
        {"type_label", exact ? "Same as" : "Related to"},
        {"decision", DecisionLabel(a.decision)},
        {"tag_class", TagClass(a.decision)},
        {"a", Side(a.origin, from, &doc->framework, to_text)},
        {"b", Side(a.destination, dest, dest_framework, from_text)}});
  }

  auto tab = [&](const char* value, const char* label, std::size_t n) {
    return json::object{{"label", std::string(label) + " (" + std::to_string(n) + ")"},
                        {"url", ListPath(ctx) + "?show=" + value},
                        {"current", *show == value}};
  };
  json::array tabs{tab("pending", "Pending", counts["pending"]),
                   tab("accepted", "Accepted", counts["accepted"]),
                   tab("rejected", "Rejected", counts["rejected"]),
                   tab("all", "All", all.size())};
  json::object model{
      {"title", "Crosswalk suggestions kept for review: " + Name(*f)},
      {"caption", f->title + " (" + Name(*f) + ")"},
      {"suite_url", SuiteUrl(*f)},
      {"suite_title", f->title},
      {"crosswalk_url", SuiteUrl(*f) + "/crosswalk"},
      {"action", ListPath(ctx) + "/decisions"},
      {"show", *show},
      {"tabs", std::move(tabs)},
      {"has_rows", !rows.empty()},
      {"rows", std::move(rows)},
      {"total", all.size()},
      {"editor", editor},
      {"banner", Banner(ctx)},
      {"api_url", "/api/v1/frameworks/" + PercentEncode(ctx.params.at(0)) + "/suggestions"}};
  if (pages > 1) {
    model["paged"] = true;
    model["page"] = page;
    model["pages"] = pages;
    if (page > 1) model["previous_url"] = ListPath(ctx) + "?show=" + *show + "&page=" + std::to_string(page - 1);
    if (page < pages) model["next_url"] = ListPath(ctx) + "?show=" + *show + "&page=" + std::to_string(page + 1);
  }
  AddFieldErrors(model, errors);
  return HtmlPage(status, "suggestions", std::move(model), ctx);
}

// Keeps the pairs of a finished crosswalk as suggestions of its first framework.
Result<SuggestionsSaved> KeepPairs(const Context& ctx, const AnalysisForm& form,
                                   const AnalysisResult& result) {
  const std::string reason = "kept crosswalk suggestions against " + Name(*form.against) +
                             " at " + Score(form.threshold);
  return StoreSuggestions(Full(ctx), result.crosswalk, WhoFor(ctx, &form.framework, reason));
}

std::string DecisionReason(bool accept, std::size_t n) {
  return std::string(accept ? "accepted " : "rejected ") + Plural(n, "suggestion", "suggestions");
}

}  // namespace

Response List(const Context& ctx) {
  return ListPage(ctx, 200, {}, ctx.request.Query("show"), ctx.request.Query("page"));
}

Response Keep(const Context& ctx) {
  auto form = ReadAnalysisForm(ctx, AnalysisKind::kCrosswalk, false);
  if (!form.ok()) return ProblemPage(ctx, form.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &form->framework)) return *refused;
  // The report's page shows what is wrong with the parameters, or the progress of the
  // crosswalk while it runs; the editor keeps the suggestions from there once it is done.
  const std::string& target = ctx.request.target;
  const std::size_t query = target.find('?');
  const std::string report = "/suites/" + PercentEncode(ctx.params.at(0)) + "/crosswalk" +
                             (query == std::string::npos ? "" : target.substr(query));
  if (!form->errors.empty() || form->missing_against()) return Redirect(report);
  const AnalysisRun run = RunAnalysis(ctx, *form);
  if (run.outcome != AnalysisRun::Outcome::kDone) return Redirect(report);
  auto saved = KeepPairs(ctx, *form, *run.job->result());
  if (!saved.ok()) return ProblemPage(ctx, saved.status());
  return Redirect(ListPath(ctx) + "?added=" + std::to_string(saved->added) +
                  "&updated=" + std::to_string(saved->updated) +
                  "&unchanged=" + std::to_string(saved->kept));
}

Response Decide(const Context& ctx) {
  auto f = Named(ctx);
  if (!f.ok()) return ProblemPage(ctx, f.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &*f)) return *refused;
  const std::string decision = FormField(ctx, "decision");
  const std::string show = FormField(ctx, "show");
  std::vector<SuggestionDecision> decisions;
  for (const auto& [name, value] : FormFields(ctx)) {
    if (name == "id") decisions.push_back({value, decision == "accept"});
  }
  std::vector<FieldError> errors;
  if (decisions.empty()) errors.push_back({"suggestions", "Select at least one suggestion"});
  if (decision != "accept" && decision != "reject") {
    errors.push_back({"suggestions", "Choose Accept or Reject for the selected suggestions"});
  }
  if (!errors.empty()) return ListPage(ctx, 400, errors, show, "");
  auto done = DecideSuggestions(Full(ctx), f->uuid, decisions,
                                WhoFor(ctx, &*f, DecisionReason(decision == "accept", decisions.size())));
  if (!done.ok()) {
    if (HttpStatusOf(done.status()) == 500) return ProblemPage(ctx, done.status());
    return ListPage(ctx, 400, {{"suggestions", done.status().message()}}, show, "");
  }
  return Redirect(ListPath(ctx) + "?show=" + (ReadShow(show) ? *ReadShow(show) : "pending") +
                  "&decided=" + (decision == "accept" ? "accepted" : "rejected") +
                  "&count=" + std::to_string(done->size()));
}

Response ApiList(const Context& ctx) {
  auto f = Named(ctx);
  if (!f.ok()) return JsonError(HttpStatusOf(f.status()), f.status().message());
  if (auto refused = RefuseRead(ctx, *f)) return *refused;
  const std::string show_text = ctx.request.Query("show");
  const auto show = ReadShow(show_text.empty() ? "all" : show_text);
  if (!show) {
    return JsonError(400, "?show= is one of pending, accepted, rejected or all, not \"" +
                              show_text + "\"");
  }
  auto doc = Full(ctx).LoadFramework(f->uuid);
  if (!doc.ok()) return JsonError(HttpStatusOf(doc.status()), doc.status().message());
  std::vector<Association> list = SuggestionsOf(*doc);
  std::erase_if(list, [&](const Association& a) { return !Shown(a, *show); });
  return Response{200, {{"Content-Type", "application/json"}}, SuggestionsJson(list)};
}

Response ApiKeep(const Context& ctx) {
  auto form = ReadAnalysisForm(ctx, AnalysisKind::kCrosswalk, true);
  if (!form.ok()) return JsonError(HttpStatusOf(form.status()), form.status().message());
  if (auto refused = Refuse(ctx, Need::kEdit, &form->framework)) return *refused;
  if (auto invalid = FormErrorsJson(*form)) return *invalid;
  const AnalysisRun run = RunAnalysis(ctx, *form);
  if (auto unfinished = UnfinishedJson(run)) return *unfinished;
  auto saved = KeepPairs(ctx, *form, *run.job->result());
  if (!saved.ok()) return JsonError(HttpStatusOf(saved.status()), saved.status().message());
  return JsonResponse(200, json::object{{"added", saved->added},
                                        {"updated", saved->updated},
                                        {"unchanged", saved->kept}});
}

Response ApiDecide(const Context& ctx) {
  auto f = Named(ctx);
  if (!f.ok()) return JsonError(HttpStatusOf(f.status()), f.status().message());
  if (auto refused = Refuse(ctx, Need::kEdit, &*f)) return *refused;
  boost::system::error_code error;
  const json::value body = json::parse(ctx.request.body, error);
  const char* shape = "the body is {\"accept\": [UUID, ...], \"reject\": [UUID, ...]}";
  if (error || !body.is_object()) return JsonError(400, shape);
  std::vector<SuggestionDecision> decisions;
  for (const auto& [key, value] : body.as_object()) {
    if ((key != "accept" && key != "reject") || !value.is_array()) {
      return JsonError(400, std::string(shape) + "; \"" + std::string(key) + "\" is not");
    }
    for (const json::value& id : value.as_array()) {
      if (!id.is_string()) return JsonError(400, std::string(shape) + ": UUIDs are strings");
      decisions.push_back({std::string(id.as_string()), key == "accept"});
    }
  }
  if (decisions.empty()) return JsonError(400, std::string(shape) + ", with at least one UUID");
  std::size_t accepted = 0;
  for (const auto& d : decisions) accepted += d.accept ? 1 : 0;
  const std::string reason = accepted == decisions.size() ? DecisionReason(true, accepted)
                             : accepted == 0 ? DecisionReason(false, decisions.size())
                                             : "decided " + Plural(decisions.size(), "suggestion", "suggestions");
  auto done = DecideSuggestions(Full(ctx), f->uuid, decisions, WhoFor(ctx, &*f, reason));
  if (!done.ok()) return JsonError(HttpStatusOf(done.status()), done.status().message());
  return Response{200, {{"Content-Type", "application/json"}}, SuggestionsJson(*done)};
}

}  // namespace opennos::web::suggestions
