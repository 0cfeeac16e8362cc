#include "web/analysis_api.h"

#include "analysis/report_json.h"
#include "web/analysis_form.h"

namespace opennos::web::analysis_api {
namespace json = boost::json;
namespace {

Response NoStore(Response r) {
  r.Set("Cache-Control", "no-store");
  return r;
}

json::object FrameworkRef(const Framework& f) {
  return json::object{{"uuid", f.uuid}, {"code", f.code}, {"edition", f.edition}};
}

// The editions of a code and the engine's comparison of each with the next, oldest first.
std::string EditionsBody(const AnalysisForm& form, const AnalysisResult& result) {
  json::array editions;
  for (const auto& f : form.editions) editions.push_back(FrameworkRef(f));
  std::string out = "{\"code\":" + json::serialize(json::value(form.framework.code)) +
                    ",\"editions\":" + json::serialize(editions) + ",\"comparisons\":[";
  for (std::size_t i = 0; i < result.editions.size(); ++i) {
    std::string one = analysis::EditionsJson(result.editions[i]);
    while (!one.empty() && one.back() == '\n') one.pop_back();
    out += (i == 0 ? "" : ",") + one;
  }
  return out + "]}\n";
}

std::string Body(const AnalysisForm& form, const AnalysisResult& result) {
  switch (form.kind) {
    case AnalysisKind::kDuplicates:
      return analysis::DuplicatesJson(result.duplicates);
    case AnalysisKind::kCoverage:
      return analysis::CoverageJson(result.coverage);
    case AnalysisKind::kCrosswalk:
      return analysis::CrosswalkJson(result.crosswalk);
    case AnalysisKind::kEditions:
      break;
  }
  return EditionsBody(form, result);
}

Response Report(const Context& ctx, AnalysisKind kind) {
  auto form = ReadAnalysisForm(ctx, kind, true);
  if (!form.ok()) return JsonError(HttpStatusOf(form.status()), form.status().message());
  if (auto invalid = FormErrorsJson(*form)) return *invalid;
  const AnalysisRun run = RunAnalysis(ctx, *form);
  if (auto unfinished = UnfinishedJson(run)) return *unfinished;
  return Response{200, {{"Content-Type", "application/json"}}, Body(*form, *run.job->result())};
}

}  // namespace

Response Duplicates(const Context& ctx) { return Report(ctx, AnalysisKind::kDuplicates); }
Response Coverage(const Context& ctx) { return Report(ctx, AnalysisKind::kCoverage); }
Response Crosswalk(const Context& ctx) { return Report(ctx, AnalysisKind::kCrosswalk); }
Response Editions(const Context& ctx) { return Report(ctx, AnalysisKind::kEditions); }

Response Job(const Context& ctx) {
  auto job = FindJob(ctx, ctx.params.at(0));
  if (job == nullptr) {
    return NoStore(JsonError(404, "no analysis job \"" + ctx.params.at(0) +
                                      "\" (finished jobs are kept for a few minutes)"));
  }
  return NoStore(JsonResponse(200, JobJson(*job)));
}

Response Cancel(const Context& ctx) {
  CancelOutcome done = CancelJob(ctx, ctx.params.at(0));
  if (done.refused) return std::move(*done.refused);
  return NoStore(JsonResponse(200, JobJson(*done.job)));
}

}  // namespace opennos::web::analysis_api
