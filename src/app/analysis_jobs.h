#pragma once
// Analyses that run in the background of a server: a bounded, in-process job runner. A request
// for an analysis becomes a job keyed by what it asks for (the kind, the frameworks, the
// thresholds and the store's change-log position), so that asking again joins the job already
// running or takes its finished result. Jobs run on a few worker threads of their own, each with
// its own store connection, report their progress and can be cancelled. Nothing is written: a
// job only reads the store.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "analysis/reports.h"
#include "storage/store.h"

namespace opennos {

enum class AnalysisKind { kDuplicates, kCoverage, kCrosswalk, kEditions };

// "duplicates", "coverage", "crosswalk" or "editions".
const char* AnalysisKindName(AnalysisKind kind);

// What a job computes. The caller resolves names to UUIDs and checks the thresholds.
struct AnalysisRequest {
  AnalysisKind kind = AnalysisKind::kDuplicates;
  // Duplicates: the framework. Coverage: the framework covered, then the one covering it.
  // Crosswalk: from, to. Editions: every edition compared, oldest first (each with the next).
  std::vector<std::string> frameworks;
  double threshold = 0.8;
  double exact_threshold = 0.9;                                           // crosswalk only
  analysis::EditionsReport::By by = analysis::EditionsReport::By::kAuto;  // editions only
  std::int64_t store_version = 0;  // the store's LastChange() when asked: a new one, a new job
  // Who asked first: a signed-in user's id, or empty for nobody. Only the owner may cancel a
  // job. Not part of the key: whoever asks the same question joins the job (the caller decides
  // who may ask about which frameworks).
  std::string owner;

  // Equal for requests that ask for the same thing, whoever asks.
  std::string Key() const;
};

// A finished job's reports, with the frameworks they point into.
struct AnalysisResult {
  // In the order of AnalysisRequest::frameworks. Editions: whole frameworks. The others: their
  // outlines (Store::LoadFrameworkOutline: the record and each item's uuid, parent, position,
  // type, code, title, text and URN; no associations), enough for their reports and pages.
  std::deque<FrameworkDoc> docs;
  analysis::DuplicatesReport duplicates;           // kDuplicates
  analysis::CoverageReport coverage;               // kCoverage
  analysis::CrosswalkReport crosswalk;             // kCrosswalk
  std::vector<analysis::EditionsReport> editions;  // kEditions: one per consecutive pair
};

class AnalysisJob {
 public:
  enum class State { kQueued, kRunning, kDone, kFailed, kCancelled };

  AnalysisJob(std::string id, AnalysisRequest request);
  AnalysisJob(const AnalysisJob&) = delete;
  AnalysisJob& operator=(const AnalysisJob&) = delete;

  // A random identifier (32 hex digits), unguessable from other jobs' identifiers.
  const std::string& id() const { return id_; }
  const AnalysisRequest& request() const { return request_; }
  State state() const;
  bool finished() const;
  // Fraction done, 0 to 1 (1 once done).
  double progress() const { return progress_.load(); }
  // The reports once done, else nullptr. Immutable: safe to read from any thread.
  std::shared_ptr<const AnalysisResult> result() const;
  // Why it failed (Ok unless failed).
  Status error() const;
  // Asks the job to stop: a running one stops between tasks, a queued one when a worker takes
  // it (AnalysisJobs::Cancel drops it at once). Nothing happens to a finished job.
  void Cancel();
  // Waits until the job has finished or `timeout` has passed; true when finished.
  bool WaitFor(std::chrono::milliseconds timeout) const;

 private:
  friend class AnalysisJobs;
  void Finish(State state, std::shared_ptr<const AnalysisResult> result, Status error);

  const std::string id_;
  const AnalysisRequest request_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  State state_ = State::kQueued;
  std::shared_ptr<const AnalysisResult> result_;
  Status error_;
  std::atomic<double> progress_{0};
  std::atomic<bool> cancel_{false};
  // Last asked about (steady clock, ms): a job nobody follows any more is cancelled.
  std::atomic<std::int64_t> touched_ms_{0};
  std::atomic<std::int64_t> finished_ms_{0};  // when it finished (steady clock, ms)
};

// The settings of the runner, with their defaults.
struct AnalysisJobsOptions {
  int workers = 2;                 // jobs that run at once
  std::size_t max_queued = 8;      // jobs that may wait for a busy worker; more are refused
  std::size_t max_kept = 32;       // finished jobs kept (the oldest go first)
  std::chrono::seconds keep{600};  // how long a finished job's result is kept
  std::chrono::seconds abandon{
      120};                 // an unfinished job nobody asks about for this long is cancelled
  int threads_per_job = 0;  // the engine's threads for one job; 0: one per core
  // Called on the worker thread as each job starts, before it reads anything (tests use it to
  // hold a job in the running state). May be empty.
  std::function<void(const AnalysisJob&)> on_start;
};

class AnalysisJobs {
 public:
  using OpenStore = std::function<Result<std::unique_ptr<Store>>()>;

  // Starts the workers. `open_store` opens a connection for a worker (each keeps its own).
  explicit AnalysisJobs(OpenStore open_store, AnalysisJobsOptions options = {});
  // Cancels every job and waits for the workers to stop.
  ~AnalysisJobs();
  AnalysisJobs(const AnalysisJobs&) = delete;
  AnalysisJobs& operator=(const AnalysisJobs&) = delete;

  struct Submitted {
    std::shared_ptr<AnalysisJob> job;
    bool created = false;  // a new job, rather than one asked for before
  };
  // The job for `request`: one asked for before with the same key, unless it failed or was
  // cancelled, else a new one in the queue. nullopt when too many jobs wait already (the
  // caller says "busy, try again"). Thread-safe.
  std::optional<Submitted> Submit(const AnalysisRequest& request);

  // The job with this identifier, or nullptr when there is none (or no longer). Counts as
  // asking about it. Thread-safe.
  std::shared_ptr<AnalysisJob> Find(const std::string& id);

  // Cancels a job: a queued one is finished (cancelled) at once, a running one is asked to
  // stop. Thread-safe.
  void Cancel(AnalysisJob& job);

 private:
  void Work();
  void Run(AnalysisJob& job, Store* store);
  // Drops old finished jobs and cancels abandoned ones. Needs mutex_.
  void Sweep(std::int64_t now_ms);

  OpenStore open_store_;
  const AnalysisJobsOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::list<std::shared_ptr<AnalysisJob>> queue_;
  int running_ = 0;  // jobs the workers have taken
  std::unordered_map<std::string, std::shared_ptr<AnalysisJob>> by_id_;
  std::unordered_map<std::string, std::shared_ptr<AnalysisJob>> by_key_;
  std::vector<std::thread> workers_;
};

}  // namespace opennos
