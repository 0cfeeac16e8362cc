#include "web/analysis_form.h"

#include <charconv>
#include <cmath>
#include <set>

#include "web/auth.h"
#include "web/lookup.h"

namespace opennos::web {
namespace json = boost::json;
namespace {

constexpr int kMaxWaitSeconds = 10;

// A decimal number and nothing else ("0.8", ".8", "1"); nullopt otherwise.
std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  if (text.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

// Reads a threshold parameter into `out`, or notes why it cannot.
void ReadThreshold(AnalysisForm& form, const std::string& field, const std::string& text,
                   const std::string& what, double& out) {
  if (text.empty()) return;
  auto value = ParseNumber(text);
  if (!value || *value <= 0.0 || *value > 1.0) {
    form.errors.push_back(
        {field, what + " must be a number above 0 and at most 1, like 0.8 (got \"" + text + "\")"});
    return;
  }
  out = *value;
}

std::set<std::string> KnownParameters(AnalysisKind kind) {
  switch (kind) {
    case AnalysisKind::kDuplicates:
      return {"threshold", "wait"};
    case AnalysisKind::kCoverage:
      return {"against", "threshold", "wait"};
    case AnalysisKind::kCrosswalk:
      return {"against", "threshold", "exact", "wait"};
    case AnalysisKind::kEditions:
      return {"threshold", "by", "wait"};
  }
  return {};
}

const char* ByName(analysis::EditionsReport::By by) {
  switch (by) {
    case analysis::EditionsReport::By::kAuthored:
      return "authored";
    case analysis::EditionsReport::By::kSimilarity:
      return "similarity";
    case analysis::EditionsReport::By::kAuto:
      break;
  }
  return "auto";
}

// The query string of a job's report, for either address.
std::string ReportQuery(const AnalysisRequest& r) {
  std::string q = "?threshold=" + NumberText(r.threshold);
  if (r.kind == AnalysisKind::kCoverage || r.kind == AnalysisKind::kCrosswalk) {
    q += "&against=" + PercentEncode(r.frameworks.at(1));
  }
  if (r.kind == AnalysisKind::kCrosswalk) q += "&exact=" + NumberText(r.exact_threshold);
  if (r.kind == AnalysisKind::kEditions) q += std::string("&by=") + ByName(r.by);
  return q;
}

// The framework the report is addressed by: the newest edition for editions, else the first.
const std::string& ReportFramework(const AnalysisRequest& r) {
  return r.kind == AnalysisKind::kEditions ? r.frameworks.back() : r.frameworks.front();
}

}  // namespace

std::string NumberText(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

bool AnalysisForm::missing_against() const {
  return (kind == AnalysisKind::kCoverage || kind == AnalysisKind::kCrosswalk) &&
         against_text.empty();
}

double DefaultThreshold(AnalysisKind kind) {
  switch (kind) {
    case AnalysisKind::kDuplicates:
      return 0.8;
    case AnalysisKind::kCoverage:
    case AnalysisKind::kCrosswalk:
      return 0.5;
    case AnalysisKind::kEditions:
      return 0.3;
  }
  return 0.8;
}

PublicView ReaderView(const Context& ctx) {
  Store& whole = ctx.full_store != nullptr ? *ctx.full_store : ctx.store;
  std::vector<std::string> organisations;
  if (ctx.user != nullptr) {
    for (const Membership& m : ctx.user->Where(Permission::kReadDrafts)) {
      organisations.push_back(m.organisation_id);
    }
  }
  return PublicView(whole, std::move(organisations));
}

std::shared_ptr<AnalysisJob> FindJob(const Context& ctx, const std::string& id) {
  auto job = ctx.jobs == nullptr ? nullptr : ctx.jobs->Find(id);
  if (job == nullptr) return nullptr;
  PublicView reader = ReaderView(ctx);
  for (const std::string& uuid : job->request().frameworks) {
    auto f = reader.GetFramework(uuid);
    if (f.ok()) continue;
    if (f.status().code() == Status::Code::kNotFound) return nullptr;
    throw std::runtime_error(f.status().message());
  }
  return job;
}

// A framework's UUID from its name as the public reads it (CODE: the newest published
// edition), so that a member and the public asking the same share one job; a name the public
// cannot read (a draft's UUID or CODE@EDITION) is then looked for among the reader's drafts.
Result<std::string> ResolveForReader(const Context& ctx, Store& reader, std::string_view name) {
  auto uuid = ResolveFramework(ctx.store, name);
  if (uuid.ok() || uuid.status().code() != Status::Code::kNotFound) return uuid;
  return ResolveFramework(reader, name);
}

Result<AnalysisForm> ReadAnalysisForm(const Context& ctx, AnalysisKind kind, bool strict) {
  const Request& q = ctx.request;
  PublicView reader = ReaderView(ctx);
  auto uuid = ResolveForReader(ctx, reader, ctx.params.at(0));
  if (!uuid.ok()) return uuid.status();
  auto framework = reader.GetFramework(*uuid);
  if (!framework.ok()) return framework.status();
  // The editions compared: the published ones, and the reader's drafts too when a draft is
  // the edition named.
  auto all = (IsPublic(*framework) ? ctx.store : reader).ListFrameworks();
  if (!all.ok()) return all.status();

  AnalysisForm form;
  form.kind = kind;
  form.strict = strict;
  form.framework = *framework;
  form.threshold = DefaultThreshold(kind);
  for (const auto& s : *all) {
    if (s.framework.code != framework->code) continue;
    if (EditionLess(framework->edition, s.framework.edition)) form.newest = false;
    form.editions.push_back(s.framework);  // ListFrameworks orders editions oldest first
  }
  if (strict) {
    const auto known = KnownParameters(kind);
    for (const auto& [key, value] : q.query) {
      if (known.count(key) == 0) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        form.errors.push_back(
            {key, "unknown parameter \"" + key + "\" (this analysis takes " + list + ")"});
      }
    }
  }
  form.threshold_text = q.Query("threshold");
  ReadThreshold(form, "threshold", form.threshold_text, "The threshold", form.threshold);
  if (kind == AnalysisKind::kCrosswalk) {
    form.exact_text = q.Query("exact");
    ReadThreshold(form, "exact", form.exact_text, "The exact-match threshold", form.exact);
    if (form.exact < form.threshold) {
      form.errors.push_back({"exact", "The exact-match threshold (" + NumberText(form.exact) +
                                          ") must not be below the threshold (" +
                                          NumberText(form.threshold) + ")"});
    }
  }
  if (kind == AnalysisKind::kEditions) {
    form.by_text = q.Query("by");
    if (form.by_text == "authored") {
      form.by = analysis::EditionsReport::By::kAuthored;
    } else if (form.by_text == "similarity") {
      form.by = analysis::EditionsReport::By::kSimilarity;
    } else if (!form.by_text.empty() && form.by_text != "auto") {
      form.errors.push_back(
          {"by", "by must be auto, authored or similarity (got \"" + form.by_text + "\")"});
    }
  }
  if (const std::string wait = q.Query("wait"); !wait.empty()) {
    if (wait.size() > 2 || wait.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(wait) > kMaxWaitSeconds) {
      // A page has no field for it: there a bad value means the default.
      if (strict)
        form.errors.push_back({"wait", "wait must be a whole number of seconds from 0 to " +
                                           std::to_string(kMaxWaitSeconds) + " (got \"" + wait +
                                           "\")"});
    } else {
      form.wait = std::chrono::seconds(std::stoi(wait));
    }
  }
  if (kind == AnalysisKind::kCoverage || kind == AnalysisKind::kCrosswalk) {
    form.against_text = q.Query("against");
    if (form.against_text.empty()) {
      if (strict)
        form.errors.push_back({"against", "against is required: the framework to compare with"});
    } else if (auto other = ResolveForReader(ctx, reader, form.against_text); !other.ok()) {
      if (other.status().code() != Status::Code::kNotFound) return other.status();
      form.errors.push_back({"against", "There is no framework \"" + form.against_text +
                                            "\": choose one from the list"});
    } else if (kind == AnalysisKind::kCrosswalk && *other == framework->uuid) {
      form.errors.push_back({"against",
                             "Choose a different framework: a crosswalk links two "
                             "frameworks (for one framework, find its duplicates)"});
    } else {
      auto against = reader.GetFramework(*other);
      if (!against.ok()) return against.status();
      form.against = *against;
    }
  }
  return form;
}

AnalysisRun RunAnalysis(const Context& ctx, const AnalysisForm& form) {
  AnalysisRun run;
  if (ctx.jobs == nullptr) return run;
  AnalysisRequest request;
  request.kind = form.kind;
  request.threshold = form.threshold;
  request.exact_threshold = form.exact;
  request.by = form.by;
  if (form.kind == AnalysisKind::kEditions) {
    for (const auto& f : form.editions) request.frameworks.push_back(f.uuid);
  } else {
    request.frameworks.push_back(form.framework.uuid);
    if (form.against) request.frameworks.push_back(form.against->uuid);
  }
  auto version = ctx.store.LastChange();
  if (!version.ok()) throw std::runtime_error(version.status().message());
  request.store_version = *version;
  if (ctx.user != nullptr) request.owner = ctx.user->user.id;
  auto submitted = ctx.jobs->Submit(request);
  if (!submitted) return run;
  run.job = submitted->job;
  const bool finished =
      form.wait.count() == 0 && submitted->created ? false : run.job->WaitFor(form.wait);
  if (!finished) {
    run.outcome = AnalysisRun::Outcome::kPending;
    return run;
  }
  switch (run.job->state()) {
    case AnalysisJob::State::kDone:
      run.outcome = AnalysisRun::Outcome::kDone;
      break;
    case AnalysisJob::State::kFailed:
      run.outcome = AnalysisRun::Outcome::kFailed;
      break;
    default:
      run.outcome = AnalysisRun::Outcome::kCancelled;
      break;
  }
  return run;
}

bool MayCancel(const Context& ctx, const AnalysisJob& job) {
  return ctx.user != nullptr && !job.request().owner.empty() &&
         job.request().owner == ctx.user->user.id && !job.finished();
}

CancelOutcome CancelJob(const Context& ctx, const std::string& id) {
  CancelOutcome out;
  if (auto refused = RequireSignIn(ctx)) {
    out.refused = std::move(refused);
    return out;
  }
  out.job = FindJob(ctx, id);
  if (out.job == nullptr) {
    const std::string message =
        "There is no analysis job \"" + id + "\" (finished jobs are kept for a few minutes).";
    out.refused = ctx.request.path.rfind("/api/", 0) == 0 ? JsonError(404, message)
                                                          : NotFoundPage(ctx, message);
    return out;
  }
  if (auto refused =
          RequireOnFramework(ctx, ReportFramework(out.job->request()), Permission::kReadDrafts)) {
    out.refused = std::move(refused);
    return out;
  }
  if (out.job->request().owner != ctx.user->user.id) {
    out.refused = Forbidden(ctx, "Only the person who started an analysis can cancel it.");
    return out;
  }
  ctx.jobs->Cancel(*out.job);
  out.job->WaitFor(std::chrono::seconds(1));  // a running job stops between tasks
  return out;
}

std::string ReportPageUrl(const AnalysisRequest& r) {
  return "/suites/" + ReportFramework(r) + "/" + AnalysisKindName(r.kind) + ReportQuery(r);
}

std::string ReportApiUrl(const AnalysisRequest& r) {
  return "/api/v1/frameworks/" + ReportFramework(r) + "/" + AnalysisKindName(r.kind) +
         ReportQuery(r);
}

std::string JobPageUrl(const AnalysisJob& job) { return "/analysis/jobs/" + job.id(); }

std::string JobApiUrl(const AnalysisJob& job) { return "/api/v1/analysis/jobs/" + job.id(); }

const char* JobStateName(AnalysisJob::State s) {
  switch (s) {
    case AnalysisJob::State::kQueued:
      return "queued";
    case AnalysisJob::State::kRunning:
      return "running";
    case AnalysisJob::State::kDone:
      return "done";
    case AnalysisJob::State::kFailed:
      return "failed";
    case AnalysisJob::State::kCancelled:
      break;
  }
  return "cancelled";
}

std::optional<Response> FormErrorsJson(const AnalysisForm& form) {
  if (form.errors.empty()) return std::nullopt;
  std::string message;
  for (const FieldError& e : form.errors) message += (message.empty() ? "" : "; ") + e.message;
  return JsonError(400, message);
}

std::optional<Response> UnfinishedJson(const AnalysisRun& run) {
  Response r;
  switch (run.outcome) {
    case AnalysisRun::Outcome::kBusy:
      r = JsonError(503, "the server is running as many analyses as it can; try again in a minute");
      r.Set("Retry-After", "10");
      break;
    case AnalysisRun::Outcome::kPending:
      r = JsonResponse(202, json::object{{"job", JobJson(*run.job)}});
      r.Set("Location", JobApiUrl(*run.job));
      r.Set("Retry-After", "1");
      break;
    case AnalysisRun::Outcome::kCancelled:
      r = JsonError(409, "the analysis was cancelled before it finished; ask again to start it afresh");
      break;
    case AnalysisRun::Outcome::kFailed: {
      const Status error = run.job->error();
      return JsonError(HttpStatusOf(error), error.message());
    }
    case AnalysisRun::Outcome::kDone:
      return std::nullopt;
  }
  r.Set("Cache-Control", "no-store");
  return r;
}

json::object JobJson(const AnalysisJob& job) {
  const Status error = job.error();
  return json::object{{"id", job.id()},
                      {"kind", AnalysisKindName(job.request().kind)},
                      {"state", JobStateName(job.state())},
                      {"percent", static_cast<int>(std::floor(job.progress() * 100))},
                      {"report", ReportApiUrl(job.request())},
                      {"page", ReportPageUrl(job.request())},
                      {"error", error.ok() ? json::value(nullptr) : json::value(error.message())}};
}

}  // namespace opennos::web
