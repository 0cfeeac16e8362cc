#pragma once
// What the analysis pages and API share: reading an analysis's parameters from a request (the
// framework in the path, ?against=, ?threshold=, ?exact=, ?by=, ?wait=), turning them into a
// job, waiting for it a moment, and the addresses of a job's report.

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/analysis_jobs.h"
#include "storage/public_view.h"
#include "web/respond.h"

namespace opennos::web {

struct AnalysisForm {
  AnalysisKind kind = AnalysisKind::kDuplicates;
  Framework framework;               // named in the path
  std::optional<Framework> against;  // coverage and crosswalk, once chosen
  std::vector<Framework> editions;   // editions: every edition of the code, oldest first
  bool newest = true;                // `framework` is the newest edition of its code
  // The parameters as given (for showing them back in a form).
  std::string against_text, threshold_text, exact_text, by_text;
  double threshold = 0.8;
  double exact = 0.9;
  analysis::EditionsReport::By by = analysis::EditionsReport::By::kAuto;
  std::chrono::milliseconds wait{1000};
  // Bad parameters (field "against", "threshold", "exact", "by", "wait", or an unknown
  // parameter's name): run nothing.
  std::vector<FieldError> errors;
  bool strict = false;  // unknown parameters are errors (the API)

  // Coverage and crosswalk without ?against= (a page then shows its form only).
  bool missing_against() const;
};

// The frameworks the person asking may analyse, as a read-only store over the whole one: the
// public frameworks, and for someone signed in the frameworks of each organisation where their
// role allows read-drafts (docs/accounts.md), drafts included. To anyone else such a draft is
// not there (NotFound), as in the public view. Lives no longer than `ctx`.
PublicView ReaderView(const Context& ctx);

// The job `id` when the person asking may read every framework it analyses (ReaderView);
// otherwise nullptr, exactly as for no such job, so that neither a job nor its existence shows
// outside the organisations whose drafts it read. Counts as asking about it.
std::shared_ptr<AnalysisJob> FindJob(const Context& ctx, const std::string& id);

// The default threshold of each analysis (as the CLI's).
double DefaultThreshold(AnalysisKind kind);

// Reads the analysis `kind` for the framework ctx.params[0]. A name means what it means to the
// public (CODE: the newest published edition); only a name the public cannot read is looked for
// among the frameworks ReaderView adds (CODE@EDITION or the UUID of a draft, or the code of a
// suite that has only drafts). Editions compares the published editions of the code, and the
// reader's drafts of it too when the edition named is one. NotFound when that framework does
// not exist (for this reader); bad parameters are listed in `errors`. With `strict`, unknown parameters are
// errors too, and a missing ?against= is one.
Result<AnalysisForm> ReadAnalysisForm(const Context& ctx, AnalysisKind kind, bool strict);

// What came of asking for an analysis.
struct AnalysisRun {
  enum class Outcome { kDone, kPending, kBusy, kFailed, kCancelled };
  Outcome outcome = Outcome::kBusy;
  std::shared_ptr<AnalysisJob> job;  // null when busy
};
// Submits the form's job (or joins the one asked for before, by anyone: ReadAnalysisForm has
// checked that this reader may read its frameworks) and waits up to form.wait for it. With a
// wait of 0, a job made by this request is never waited for (pending).
AnalysisRun RunAnalysis(const Context& ctx, const AnalysisForm& form);

// The API's 400 naming every bad parameter of `form`; nullopt when there is none.
std::optional<Response> FormErrorsJson(const AnalysisForm& form);

// The API's answer to a run that is not done: 503 (busy, Retry-After), 202 with {"job": ...}
// (Location, Retry-After), 409 (cancelled), or the failure's status; nullopt when it is done.
std::optional<Response> UnfinishedJson(const AnalysisRun& run);

// Cancels the job `id` (a write: the site has checked the session's CSRF token or the bearer
// token), for everyone who follows it. Only its owner (who started it) may, and only while
// they may still read the framework it analyses (viewer or above in the organisation that
// owns it). Returns the job, or the refusal: 401, 403, or 404 for no such job (FindJob).
struct CancelOutcome {
  std::shared_ptr<AnalysisJob> job;
  std::optional<Response> refused;
};
CancelOutcome CancelJob(const Context& ctx, const std::string& id);
// True when the person asking may cancel the job (the progress page offers it).
bool MayCancel(const Context& ctx, const AnalysisJob& job);

// The addresses of the report a job computes: the page and the API call.
std::string ReportPageUrl(const AnalysisRequest& r);
std::string ReportApiUrl(const AnalysisRequest& r);
// The job's own addresses.
std::string JobPageUrl(const AnalysisJob& job);
std::string JobApiUrl(const AnalysisJob& job);

// {"id", "kind", "state", "percent", "report", "page", "error"}
boost::json::object JobJson(const AnalysisJob& job);

// "queued", "running", "done", "failed" or "cancelled".
const char* JobStateName(AnalysisJob::State s);

// A number as the shortest decimal that reads back the same (0.8, not 0.800000).
std::string NumberText(double d);

}  // namespace opennos::web
