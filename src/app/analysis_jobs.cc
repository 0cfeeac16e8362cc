#include "app/analysis_jobs.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <random>

namespace opennos {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string NumberText(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

// 128 random bits as hex: a job's address is not guessable from another's.
std::string RandomId() {
  static thread_local std::random_device device;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(device()));
    id += buf;
  }
  return id;
}

}  // namespace

const char* AnalysisKindName(AnalysisKind kind) {
  switch (kind) {
    case AnalysisKind::kCoverage:
      return "coverage";
    case AnalysisKind::kCrosswalk:
      return "crosswalk";
    case AnalysisKind::kEditions:
      return "editions";
    case AnalysisKind::kDuplicates:
      break;
  }
  return "duplicates";
}

std::string AnalysisRequest::Key() const {
  std::string key = AnalysisKindName(kind);
  for (const auto& f : frameworks) key += "|" + f;
  key += "|t=" + NumberText(threshold);
  if (kind == AnalysisKind::kCrosswalk) key += "|x=" + NumberText(exact_threshold);
  if (kind == AnalysisKind::kEditions) key += "|by=" + std::to_string(static_cast<int>(by));
  key += "|v=" + std::to_string(store_version);
  return key;
}

// --- A job -------------------------------------------------------------------------------------

AnalysisJob::AnalysisJob(std::string id, AnalysisRequest request)
    : id_(std::move(id)), request_(std::move(request)) {
  touched_ms_ = NowMs();
}

AnalysisJob::State AnalysisJob::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

bool AnalysisJob::finished() const {
  const State s = state();
  return s != State::kQueued && s != State::kRunning;
}

std::shared_ptr<const AnalysisResult> AnalysisJob::result() const {
  std::lock_guard lock(mutex_);
  return result_;
}

Status AnalysisJob::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void AnalysisJob::Cancel() { cancel_ = true; }

bool AnalysisJob::WaitFor(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(
      lock, timeout, [this] { return state_ != State::kQueued && state_ != State::kRunning; });
}

void AnalysisJob::Finish(State state, std::shared_ptr<const AnalysisResult> result, Status error) {
  if (state == State::kDone) progress_ = 1.0;  // before anyone can see it done
  finished_ms_ = NowMs();
  {
    std::lock_guard lock(mutex_);
    state_ = state;
    result_ = std::move(result);
    error_ = std::move(error);
  }
  changed_.notify_all();
}

// --- The runner --------------------------------------------------------------------------------

AnalysisJobs::AnalysisJobs(OpenStore open_store, AnalysisJobsOptions options)
    : open_store_(std::move(open_store)), options_(std::move(options)) {
  for (int i = 0; i < std::max(1, options_.workers); ++i) workers_.emplace_back([this] { Work(); });
}

AnalysisJobs::~AnalysisJobs() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, job] : by_id_) job->Cancel();
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
  for (auto& job : queue_) job->Finish(AnalysisJob::State::kCancelled, nullptr, Status::Ok());
}

std::optional<AnalysisJobs::Submitted> AnalysisJobs::Submit(const AnalysisRequest& request) {
  const std::int64_t now = NowMs();
  const std::string key = request.Key();
  std::lock_guard lock(mutex_);
  Sweep(now);
  auto it = by_key_.find(key);
  if (it != by_key_.end()) {
    const auto state = it->second->state();
    if (state != AnalysisJob::State::kFailed && state != AnalysisJob::State::kCancelled &&
        !it->second->cancel_.load()) {
      it->second->touched_ms_ = now;
      return Submitted{it->second, false};
    }
  }
  const std::size_t idle =
      static_cast<std::size_t>(std::max(0, static_cast<int>(workers_.size()) - running_));
  if (queue_.size() >= options_.max_queued + idle) return std::nullopt;
  std::string id = RandomId();
  while (by_id_.count(id)) id = RandomId();
  auto job = std::make_shared<AnalysisJob>(id, request);
  by_id_[id] = job;
  by_key_[key] = job;
  queue_.push_back(job);
  wake_.notify_one();
  return Submitted{job, true};
}

std::shared_ptr<AnalysisJob> AnalysisJobs::Find(const std::string& id) {
  const std::int64_t now = NowMs();
  std::lock_guard lock(mutex_);
  Sweep(now);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return nullptr;
  it->second->touched_ms_ = now;
  return it->second;
}

void AnalysisJobs::Cancel(AnalysisJob& job) {
  std::lock_guard lock(mutex_);
  job.Cancel();
  auto it =
      std::find_if(queue_.begin(), queue_.end(), [&](const auto& q) { return q.get() == &job; });
  if (it == queue_.end()) return;
  queue_.erase(it);
  job.Finish(AnalysisJob::State::kCancelled, nullptr, Status::Ok());
}

void AnalysisJobs::Sweep(std::int64_t now_ms) {
  const std::int64_t keep_ms = options_.keep.count() * 1000;
  const std::int64_t abandon_ms = options_.abandon.count() * 1000;
  std::vector<std::shared_ptr<AnalysisJob>> finished;
  for (auto it = by_id_.begin(); it != by_id_.end();) {
    AnalysisJob& job = *it->second;
    if (!job.finished()) {
      if (now_ms - job.touched_ms_.load() > abandon_ms) job.Cancel();
      ++it;
      continue;
    }
    if (now_ms - job.finished_ms_ > keep_ms) {
      auto k = by_key_.find(job.request().Key());
      if (k != by_key_.end() && k->second.get() == &job) by_key_.erase(k);
      it = by_id_.erase(it);
      continue;
    }
    finished.push_back(it->second);
    ++it;
  }
  if (finished.size() <= options_.max_kept) return;
  std::sort(finished.begin(), finished.end(), [](const auto& a, const auto& b) {
    return a->finished_ms_.load() < b->finished_ms_.load();
  });
  for (std::size_t i = 0; i + options_.max_kept < finished.size(); ++i) {
    AnalysisJob& job = *finished[i];
    auto k = by_key_.find(job.request().Key());
    if (k != by_key_.end() && k->second.get() == &job) by_key_.erase(k);
    by_id_.erase(job.id());
  }
}

void AnalysisJobs::Work() {
  std::unique_ptr<Store> store;
  Status store_error;
  for (;;) {
    std::shared_ptr<AnalysisJob> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      queue_.pop_front();
      if (job->cancel_.load()) {
        job->Finish(AnalysisJob::State::kCancelled, nullptr, Status::Ok());
        continue;
      }
      ++running_;
      std::lock_guard job_lock(job->mutex_);
      job->state_ = AnalysisJob::State::kRunning;
    }
    if (!store) {
      auto opened = open_store_();
      if (opened.ok()) {
        store = std::move(*opened);
      } else {
        store_error = opened.status();
      }
    }
    if (store) {
      Run(*job, store.get());
    } else {
      job->Finish(AnalysisJob::State::kFailed, nullptr, store_error);
    }
    std::lock_guard lock(mutex_);
    --running_;
  }
}

void AnalysisJobs::Run(AnalysisJob& job, Store* store) {
  if (options_.on_start) options_.on_start(job);
  const AnalysisRequest& req = job.request();
  auto result = std::make_shared<AnalysisResult>();
  // The outline holds every field duplicates, coverage and crosswalk read (and their pages
  // show); editions also reads units' overviews and the authored replacedBy associations.
  const bool whole = req.kind == AnalysisKind::kEditions;
  for (const std::string& uuid : req.frameworks) {
    auto doc = whole ? store->LoadFramework(uuid) : store->LoadFrameworkOutline(uuid);
    if (!doc.ok()) {
      job.Finish(AnalysisJob::State::kFailed, nullptr, doc.status());
      return;
    }
    result->docs.push_back(std::move(*doc));
    if (job.cancel_.load()) {
      job.Finish(AnalysisJob::State::kCancelled, nullptr, Status::Ok());
      return;
    }
  }
  const std::size_t steps = req.kind == AnalysisKind::kEditions && req.frameworks.size() > 1
                                ? req.frameworks.size() - 1
                                : 1;
  auto options = [&](std::size_t step) {
    analysis::RunOptions run;
    run.threshold = req.threshold;
    run.threads = options_.threads_per_job;
    run.cancel = &job.cancel_;
    run.progress = [&job, step, steps](double f) {
      job.progress_ = (static_cast<double>(step) + f) / static_cast<double>(steps);
    };
    return run;
  };
  auto& docs = result->docs;
  Status failed;
  bool cancelled = false;
  auto take = [&](auto&& outcome, auto& into) {
    if (!outcome.ok()) {
      failed = outcome.status();
      return;
    }
    cancelled = cancelled || outcome->cancelled;
    into = std::move(*outcome);
  };
  switch (req.kind) {
    case AnalysisKind::kDuplicates:
      take(analysis::FindDuplicates(docs.at(0), options(0)), result->duplicates);
      break;
    case AnalysisKind::kCoverage:
      take(analysis::FindCoverage(docs.at(0), docs.at(1), options(0)), result->coverage);
      break;
    case AnalysisKind::kCrosswalk:
      take(analysis::FindCrosswalk(docs.at(0), docs.at(1), options(0), req.exact_threshold),
           result->crosswalk);
      break;
    case AnalysisKind::kEditions:
      for (std::size_t i = 0; i + 1 < docs.size() && failed.ok() && !cancelled; ++i) {
        result->editions.emplace_back();
        take(analysis::CompareEditions(docs[i], docs[i + 1], req.by, options(i)),
             result->editions.back());
      }
      break;
  }
  if (!failed.ok()) {
    job.Finish(AnalysisJob::State::kFailed, nullptr, failed);
  } else if (cancelled || job.cancel_.load()) {
    job.Finish(AnalysisJob::State::kCancelled, nullptr, Status::Ok());
  } else {
    job.Finish(AnalysisJob::State::kDone, std::move(result), Status::Ok());
  }
}

}  // namespace opennos
