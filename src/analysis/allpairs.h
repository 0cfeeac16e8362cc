#pragma once
// Exact all-pairs cosine similarity: every pair of rows whose cosine is at or above a
// threshold, never an approximation.
//
// The engine is an inverted-index join with the pruning of AllPairs (Bayardo, Ma and Srikant,
// 2007) and L2AP (Anastasiu and Karypis, 2014); docs/analysis.md explains it. In short: a row
// indexes only the suffix of its terms (rare terms last) that any partner must share; a query
// admits a candidate only where the ℓ2 bound of the two prefixes still leaves room for the
// threshold, drops it as soon as it cannot reach it, stops opening new posting lists once its
// own remaining prefix norm is below the threshold, and scores each survivor exactly with Dot.
// Bounds are checked with a small slack (1e-5), so floating-point rounding never prunes a pair
// that Dot would keep.

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/vectors.h"

namespace opennos::analysis {

struct Pair {
  std::uint32_t a = 0;  // row numbers
  std::uint32_t b = 0;
  float score = 0;      // Dot(a, b)
  friend bool operator==(const Pair&, const Pair&) = default;
};

struct JoinOptions {
  double threshold = 0.8;                     // in (0, 1]; the caller checks it
  int threads = 0;                            // 0: one per core
  ProgressFn progress;                        // fraction of queries done; may be empty
  const std::atomic<bool>* cancel = nullptr;  // stop early when it becomes true
};

// A pair matches when Dot(a, b) >= threshold - 1e-6 (so that identical rows, whose score is 1
// up to rounding, match at threshold 1).
//
// Every matching pair a < b of rows of `v`, ordered by (a, b). Empty rows
// match nothing. Returns nullopt when cancelled. Deterministic: the same input gives the same
// output whatever the thread count. Thread-safe (pure).
std::optional<std::vector<Pair>> SelfJoin(const SparseVectors& v, const JoinOptions& options);

// Every matching pair with a in [0, split) and b in [split, rows), ordered
// by (a, b). Returns nullopt when cancelled.
std::optional<std::vector<Pair>> CrossJoin(const SparseVectors& v, std::uint32_t split,
                                           const JoinOptions& options);

// The reference: every pair scored with Dot and matched as above, no pruning. O(n^2); for tests and benchmarks.
// `split` 0 means a self join, else a cross join as above.
std::vector<Pair> BruteForceJoin(const SparseVectors& v, std::uint32_t split, double threshold);

}  // namespace opennos::analysis
