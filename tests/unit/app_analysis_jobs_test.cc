// The analysis job runner (app/analysis_jobs.h) over a SQLite store holding the demo: the same
// request joins one job, a change to the store makes a new one, a full queue refuses, jobs are
// cancelled when asked or abandoned, finished jobs are forgotten after a while, and a job over
// a framework that went fails with the reason.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "analysis/report_json.h"
#include "app/analysis_jobs.h"
#include "app/demo.h"
#include "storage/sqlite/sqlite_store.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

using namespace std::chrono_literals;

// Holds jobs at their start until released: makes "still running" certain in a test.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // Waits until `n` jobs are held.
  bool Holding(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 30s, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  int waiting_ = 0;
};

// Lets held jobs go when a test ends early, so that the runner can stop.
struct OpenAtEnd {
  Gate& gate;
  ~OpenAtEnd() { gate.Open(); }
};

class AnalysisJobsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    auto store = test::OpenStoreIn(dir_->path());
    ASSERT_TRUE(LoadDemo(*store).ok());
    ml_ = *ResolveFramework(*store, "ML");
    ml_2012_ = *ResolveFramework(*store, "ML@2012");
    cm_ = *ResolveFramework(*store, "CM");
  }
  static void TearDownTestSuite() { delete dir_; }

  static AnalysisJobs::OpenStore Opener() {
    const std::string db = test::DatabaseIn(dir_->path());
    return [db] { return OpenSqliteStore(db, false); };
  }

  static AnalysisRequest Duplicates(double threshold, std::int64_t version = 1) {
    AnalysisRequest r;
    r.kind = AnalysisKind::kDuplicates;
    r.frameworks = {ml_};
    r.threshold = threshold;
    r.store_version = version;
    return r;
  }

  static inline test::ScratchDir* dir_ = nullptr;
  static inline std::string ml_, ml_2012_, cm_;
};

TEST_F(AnalysisJobsTest, RunsAJobToTheSameReportTheEngineGives) {
  AnalysisJobs jobs(Opener());
  auto submitted = jobs.Submit(Duplicates(0.5));
  ASSERT_TRUE(submitted);
  EXPECT_TRUE(submitted->created);
  ASSERT_TRUE(submitted->job->WaitFor(30s));
  ASSERT_EQ(submitted->job->state(), AnalysisJob::State::kDone);
  EXPECT_EQ(submitted->job->progress(), 1.0);
  auto store = test::OpenStoreIn(dir_->path());
  auto doc = store->LoadFramework(ml_);
  analysis::RunOptions options;
  options.threshold = 0.5;
  auto direct = analysis::FindDuplicates(*doc, options);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(analysis::DuplicatesJson(submitted->job->result()->duplicates),
            analysis::DuplicatesJson(*direct));
  EXPECT_EQ(submitted->job->id().size(), 32u);
}

TEST_F(AnalysisJobsTest, TheSameRequestJoinsOneJobAndAnotherStartsItsOwn) {
  AnalysisJobs jobs(Opener());
  auto first = jobs.Submit(Duplicates(0.7));
  auto again = jobs.Submit(Duplicates(0.7));
  auto other = jobs.Submit(Duplicates(0.71));
  auto changed = jobs.Submit(Duplicates(0.7, 2));  // the store moved on
  AnalysisRequest mine = Duplicates(0.7);
  mine.owner = "a-user-id";
  auto joined = jobs.Submit(mine);  // whoever asks the same joins it (the site checks who may)
  AnalysisRequest theirs = Duplicates(0.72);
  theirs.owner = "a-user-id";
  auto own = jobs.Submit(theirs);
  ASSERT_TRUE(first && again && other && changed && joined && own);
  EXPECT_EQ(first->job, joined->job);
  EXPECT_FALSE(joined->created);
  EXPECT_EQ(joined->job->request().owner, "");  // it stays whoever's it was first
  EXPECT_EQ(own->job->request().owner, "a-user-id");
  EXPECT_EQ(first->job, again->job);
  EXPECT_FALSE(again->created);
  EXPECT_NE(first->job, other->job);
  EXPECT_NE(first->job, changed->job);
  EXPECT_NE(first->job->id(), other->job->id());
  EXPECT_EQ(jobs.Find(first->job->id()), first->job);
  EXPECT_EQ(jobs.Find("0123456789abcdef0123456789abcdef"), nullptr);
}

TEST_F(AnalysisJobsTest, RefusesWhenTheQueueIsFullAndRunsTheRestLater) {
  Gate gate;
  AnalysisJobsOptions options;
  options.workers = 1;
  options.max_queued = 1;
  options.on_start = [&](const AnalysisJob&) { gate.Wait(); };
  AnalysisJobs jobs(Opener(), options);
  OpenAtEnd release{gate};
  auto running = jobs.Submit(Duplicates(0.81));
  ASSERT_TRUE(running);
  ASSERT_TRUE(gate.Holding(1));
  EXPECT_EQ(running->job->state(), AnalysisJob::State::kRunning);
  auto queued = jobs.Submit(Duplicates(0.82));
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->job->state(), AnalysisJob::State::kQueued);
  EXPECT_FALSE(jobs.Submit(Duplicates(0.83)));  // busy
  EXPECT_TRUE(jobs.Submit(Duplicates(0.82)));   // joining a queued job is not a new one
  EXPECT_FALSE(running->job->WaitFor(50ms));
  gate.Open();
  EXPECT_TRUE(queued->job->WaitFor(30s));
  EXPECT_EQ(running->job->state(), AnalysisJob::State::kDone);
  EXPECT_EQ(queued->job->state(), AnalysisJob::State::kDone);
}

TEST_F(AnalysisJobsTest, CancelsARunningJobAndDropsAQueuedOne) {
  Gate gate;
  AnalysisJobsOptions options;
  options.workers = 1;
  options.on_start = [&](const AnalysisJob&) { gate.Wait(); };
  AnalysisJobs jobs(Opener(), options);
  OpenAtEnd release{gate};
  auto running = jobs.Submit(Duplicates(0.3));
  ASSERT_TRUE(running && gate.Holding(1));
  auto queued = jobs.Submit(Duplicates(0.31));
  ASSERT_TRUE(queued);
  running->job->Cancel();
  jobs.Cancel(*queued->job);
  EXPECT_EQ(queued->job->state(), AnalysisJob::State::kCancelled);  // dropped at once
  gate.Open();
  ASSERT_TRUE(running->job->WaitFor(30s));
  ASSERT_TRUE(queued->job->WaitFor(30s));
  EXPECT_EQ(running->job->state(), AnalysisJob::State::kCancelled);
  EXPECT_EQ(queued->job->state(), AnalysisJob::State::kCancelled);
  EXPECT_EQ(running->job->result(), nullptr);
  // Asking again after a cancel starts afresh.
  auto again = jobs.Submit(Duplicates(0.3));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->created);
  EXPECT_NE(again->job, running->job);
  EXPECT_TRUE(again->job->WaitFor(30s));
  EXPECT_EQ(again->job->state(), AnalysisJob::State::kDone);
}

TEST_F(AnalysisJobsTest, CancelsAJobNobodyAsksAboutAndForgetsOldResults) {
  Gate gate;
  AnalysisJobsOptions options;
  options.workers = 1;
  options.abandon = 0s;
  options.keep = 0s;
  options.on_start = [&](const AnalysisJob&) { gate.Wait(); };
  AnalysisJobs jobs(Opener(), options);
  OpenAtEnd release{gate};
  auto held = jobs.Submit(Duplicates(0.4));
  ASSERT_TRUE(held && gate.Holding(1));
  std::this_thread::sleep_for(5ms);
  jobs.Submit(Duplicates(0.41));  // any later request sweeps
  gate.Open();
  ASSERT_TRUE(held->job->WaitFor(30s));
  EXPECT_EQ(held->job->state(), AnalysisJob::State::kCancelled);
  std::this_thread::sleep_for(5ms);
  EXPECT_EQ(jobs.Find(held->job->id()), nullptr);
}

TEST_F(AnalysisJobsTest, KeepsAtMostSoManyFinishedJobs) {
  AnalysisJobsOptions options;
  options.max_kept = 2;
  AnalysisJobs jobs(Opener(), options);
  std::vector<std::shared_ptr<AnalysisJob>> done;
  for (double t : {0.91, 0.92, 0.93, 0.94}) {
    auto s = jobs.Submit(Duplicates(t));
    ASSERT_TRUE(s && s->job->WaitFor(30s));
    done.push_back(s->job);
    std::this_thread::sleep_for(2ms);
  }
  jobs.Submit(Duplicates(0.95));
  EXPECT_EQ(jobs.Find(done[0]->id()), nullptr);
  EXPECT_EQ(jobs.Find(done[1]->id()), nullptr);
  EXPECT_EQ(jobs.Find(done[3]->id()), done[3]);
}

TEST_F(AnalysisJobsTest, AJobOverAFrameworkThatIsNotThereFailsWithTheReason) {
  AnalysisJobs jobs(Opener());
  AnalysisRequest r = Duplicates(0.8);
  r.frameworks = {"00000000-0000-4000-8000-000000000000"};
  auto s = jobs.Submit(r);
  ASSERT_TRUE(s && s->job->WaitFor(30s));
  EXPECT_EQ(s->job->state(), AnalysisJob::State::kFailed);
  EXPECT_EQ(s->job->error().code(), Status::Code::kNotFound);
  // A failed job is not joined: asking again tries again.
  auto again = jobs.Submit(r);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->created);
}

TEST_F(AnalysisJobsTest, RunsEveryKind) {
  AnalysisJobs jobs(Opener());
  auto ask = [](AnalysisKind kind, std::vector<std::string> frameworks, double threshold) {
    AnalysisRequest r;
    r.kind = kind;
    r.frameworks = std::move(frameworks);
    r.threshold = threshold;
    return r;
  };
  const AnalysisRequest coverage = ask(AnalysisKind::kCoverage, {ml_, cm_}, 0.5);
  const AnalysisRequest crosswalk = ask(AnalysisKind::kCrosswalk, {ml_, cm_}, 0.4);
  const AnalysisRequest editions = ask(AnalysisKind::kEditions, {ml_2012_, ml_}, 0.3);
  for (const AnalysisRequest& r : {coverage, crosswalk, editions}) {
    auto s = jobs.Submit(r);
    ASSERT_TRUE(s && s->job->WaitFor(30s));
    ASSERT_EQ(s->job->state(), AnalysisJob::State::kDone) << AnalysisKindName(r.kind);
  }
  auto e = jobs.Submit(editions);
  const auto& report = e->job->result()->editions.at(0);
  EXPECT_EQ(report.unchanged.size(), 4u);
  EXPECT_EQ(report.changed.size(), 11u);
  EXPECT_EQ(report.merged.size(), 2u);
  EXPECT_EQ(report.split.size(), 1u);
  EXPECT_EQ(report.removed.size(), 6u);
  EXPECT_EQ(report.added.size(), 2u);
}

// Duplicates, coverage and crosswalk read outlines, editions whole frameworks: each report is
// the one the engine gives over whole frameworks, byte for byte.
TEST_F(AnalysisJobsTest, ReadsOutlinesWhereTheyAreEnoughAndGivesTheSameReports) {
  auto store = test::OpenStoreIn(dir_->path());
  const FrameworkDoc ml = *store->LoadFramework(ml_);
  const FrameworkDoc ml_2012 = *store->LoadFramework(ml_2012_);
  const FrameworkDoc cm = *store->LoadFramework(cm_);
  analysis::RunOptions options;
  options.threshold = 0.3;
  AnalysisJobs jobs(Opener());
  auto run = [&](AnalysisKind kind, std::vector<std::string> frameworks) {
    AnalysisRequest r;
    r.kind = kind;
    r.frameworks = std::move(frameworks);
    r.threshold = options.threshold;
    r.exact_threshold = 0.6;
    auto s = jobs.Submit(r);
    EXPECT_TRUE(s && s->job->WaitFor(30s));
    EXPECT_EQ(s->job->state(), AnalysisJob::State::kDone) << AnalysisKindName(kind);
    return s->job->result();
  };
  auto outlined = [](const FrameworkDoc& doc) {
    const bool overviews = std::any_of(doc.items.begin(), doc.items.end(),
                                       [](const Item& i) { return !i.unit.overview.empty(); });
    return doc.associations.empty() && !overviews;
  };
  ASSERT_FALSE(outlined(ml));  // the demo has overviews and associations to leave out
  ASSERT_FALSE(ml_2012.associations.empty() && ml.associations.empty());

  auto duplicates = run(AnalysisKind::kDuplicates, {ml_});
  EXPECT_TRUE(outlined(duplicates->docs.at(0)));
  EXPECT_EQ(analysis::DuplicatesJson(duplicates->duplicates),
            analysis::DuplicatesJson(*analysis::FindDuplicates(ml, options)));
  auto coverage = run(AnalysisKind::kCoverage, {ml_, cm_});
  EXPECT_TRUE(outlined(coverage->docs.at(0)) && outlined(coverage->docs.at(1)));
  EXPECT_EQ(analysis::CoverageJson(coverage->coverage),
            analysis::CoverageJson(*analysis::FindCoverage(ml, cm, options)));
  auto crosswalk = run(AnalysisKind::kCrosswalk, {ml_, cm_});
  EXPECT_TRUE(outlined(crosswalk->docs.at(0)) && outlined(crosswalk->docs.at(1)));
  EXPECT_EQ(analysis::CrosswalkJson(crosswalk->crosswalk),
            analysis::CrosswalkJson(*analysis::FindCrosswalk(ml, cm, options, 0.6)));
  // Editions compares units' overviews and follows authored links: whole frameworks.
  auto editions = run(AnalysisKind::kEditions, {ml_2012_, ml_});
  EXPECT_FALSE(outlined(editions->docs.at(0)) && outlined(editions->docs.at(1)));
  EXPECT_EQ(analysis::EditionsJson(editions->editions.at(0)),
            analysis::EditionsJson(*analysis::CompareEditions(
                ml_2012, ml, analysis::EditionsReport::By::kAuto, options)));
}

TEST_F(AnalysisJobsTest, StoppingTheRunnerCancelsWhatIsLeft) {
  Gate gate;
  std::shared_ptr<AnalysisJob> running, queued;
  std::thread opener;
  {
    AnalysisJobsOptions options;
    options.workers = 1;
    options.on_start = [&](const AnalysisJob&) { gate.Wait(); };
    AnalysisJobs jobs(Opener(), options);
    running = jobs.Submit(Duplicates(0.51))->job;
    ASSERT_TRUE(gate.Holding(1));
    queued = jobs.Submit(Duplicates(0.52))->job;
    opener = std::thread([&] {
      std::this_thread::sleep_for(20ms);
      gate.Open();
    });
  }  // the runner stops here, once the held job is let go
  opener.join();
  EXPECT_EQ(running->state(), AnalysisJob::State::kCancelled);
  EXPECT_EQ(queued->state(), AnalysisJob::State::kCancelled);
}

}  // namespace
}  // namespace opennos
