// Exactness on the benchmark corpus: the engine's pair set against brute force.
//
//   analysis_exact DATA_DIR FRAMEWORK [--threshold 0.8] [--sample K] [--join-only 1]
//
// Loads the framework from the store, vectorises its statements as `analyse duplicates` does,
// and runs the engine (SelfJoin). Without --sample, scores every pair of statements with Dot
// (O(n^2): up to a few tens of thousands of statements) and compares the two sets. With
// --sample K, takes K rows spread over the corpus (every n/K-th) and compares, for each, the
// engine's pairs involving it with all its pairs scored by brute force against every other
// row: exact for those rows, and feasible at a million statements. Exit 0 when they agree.
// Prints the join's wall and CPU time on standard error; --join-only 1 stops there.

#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "analysis/allpairs.h"
#include "analysis/statements.h"
#include "analysis/vectors.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

using opennos::analysis::Pair;

int Usage() {
  std::cerr << "usage: analysis_exact DATA_DIR FRAMEWORK [--threshold 0.8] [--sample K] "
               "[--join-only 1]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage();
  double threshold = 0.8;
  std::size_t sample = 0;
  bool join_only = false;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--threshold") {
      threshold = std::atof(argv[i + 1]);
    } else if (flag == "--join-only") {
      join_only = std::string(argv[i + 1]) == "1";
    } else if (flag == "--sample") {
      sample = static_cast<std::size_t>(std::atol(argv[i + 1]));
    } else {
      return Usage();
    }
  }
  auto store = opennos::OpenSqliteStore(std::string(argv[1]) + "/opennos.db", false);
  if (!store.ok()) return std::cerr << store.status().message() << "\n", 1;
  auto uuid = opennos::ResolveFramework(**store, argv[2]);
  if (!uuid.ok()) return std::cerr << uuid.status().message() << "\n", 1;
  auto doc = (*store)->LoadFramework(*uuid);
  if (!doc.ok()) return std::cerr << doc.status().message() << "\n", 1;
  const auto statements = opennos::analysis::CollectStatements(*doc);
  std::vector<std::string_view> texts;
  for (const auto* item : statements.items) texts.emplace_back(opennos::analysis::ComparedText(*item));
  const auto v = opennos::analysis::Vectorise(texts);
  opennos::analysis::JoinOptions options;
  options.threshold = threshold;
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  const auto engine = *opennos::analysis::SelfJoin(v, options);
  std::cerr << "join " << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s wall, " << double(std::clock() - c0) / CLOCKS_PER_SEC << " s cpu\n";
  if (join_only) return 0;
  const auto n = static_cast<std::uint32_t>(v.rows());
  const float t = static_cast<float>(threshold) - 1e-6f;  // the engine's own matching rule

  std::set<std::pair<std::uint32_t, std::uint32_t>> expected, got;
  std::set<std::uint32_t> rows;
  if (sample == 0) {
    for (const Pair& p : opennos::analysis::BruteForceJoin(v, 0, threshold)) expected.emplace(p.a, p.b);
    for (const Pair& p : engine) got.emplace(p.a, p.b);
  } else {
    for (std::size_t k = 0; k < sample && k < n; ++k) rows.insert(static_cast<std::uint32_t>(k * n / sample));
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> found(2);
    std::vector<std::uint32_t> list(rows.begin(), rows.end());
    std::atomic<std::size_t> next{0};
    auto work = [&](int w) {
      for (std::size_t i; (i = next++) < list.size();) {
        const std::uint32_t x = list[i];
        for (std::uint32_t y = 0; y < n; ++y) {
          if (y != x && opennos::analysis::Dot(v, x, y) >= t) found[w].emplace_back(std::min(x, y), std::max(x, y));
        }
      }
    };
    std::thread other(work, 1);
    work(0);
    other.join();
    for (const auto& f : found) expected.insert(f.begin(), f.end());
    for (const Pair& p : engine) {
      if (rows.count(p.a) || rows.count(p.b)) got.emplace(p.a, p.b);
    }
  }
  std::size_t missing = 0, extra = 0;
  for (const auto& p : expected) missing += got.count(p) ? 0 : 1;
  for (const auto& p : got) extra += expected.count(p) ? 0 : 1;
  std::cout << n << " statements, threshold " << threshold << ": engine " << engine.size()
            << " pairs; checked " << (sample == 0 ? "every pair" : std::to_string(rows.size()) + " rows against all")
            << ": brute force " << expected.size() << " pairs, engine " << got.size()
            << ", missing " << missing << ", extra " << extra << "\n";
  return missing == 0 && extra == 0 ? 0 : 1;
}
