#pragma once
// TF-IDF statement vectors in compressed sparse rows: what the all-pairs engine compares.
//
// A statement's terms come from the one text pipeline (text/text.h: normalised, tokenised,
// stop words dropped, Snowball stems). A term's weight is tf * idf with tf its count in the
// statement and idf = ln((1 + n) / (1 + df)) + 1 over the n statements given (the smoothed
// idf that scikit-learn's TfidfVectorizer uses by default); each row is then scaled to unit
// L2 norm, so a dot product of two rows is their cosine similarity.
//
// Term ids are ranks by decreasing document frequency (ties by the stem's bytes): id 0 is the
// most common term. Within a row the terms are in increasing id order, so a row's prefix holds
// its most common terms; the engine's prefix filtering depends on that order.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace opennos::analysis {

struct SparseVectors {
  std::vector<std::uint64_t> offsets{0};  // row i is [offsets[i], offsets[i + 1])
  std::vector<std::uint32_t> terms;       // term ids, increasing within a row
  std::vector<float> weights;             // L2-normalised tf-idf weights, beside `terms`
  std::vector<std::string> vocabulary;    // term id -> stem

  std::size_t rows() const { return offsets.size() - 1; }
  std::size_t Length(std::size_t row) const { return offsets[row + 1] - offsets[row]; }
  // True when a row has no terms (empty text, or stop words only): it matches nothing.
  bool Empty(std::size_t row) const { return Length(row) == 0; }
};

// Called now and then with the fraction of the work done, from 0 to 1. May be called from any
// thread, never from two at once.
using ProgressFn = std::function<void(double)>;

struct VectoriseOptions {
  int threads = 0;                            // 0: one per core
  ProgressFn progress;                        // may be empty
  const std::atomic<bool>* cancel = nullptr;  // stop early when it becomes true
};

// The TF-IDF vectors of `texts`, one row each, in order. Thread-safe (pure). With `cancel` set
// part way, returns an empty result (rows() == 0) for a non-empty input.
SparseVectors Vectorise(const std::vector<std::string_view>& texts,
                        const VectoriseOptions& options = {});

// The cosine of two rows (a dot product of unit vectors), summed in term order. The engine and
// the brute-force reference both score pairs with this, so a pair's score does not depend on
// how it was found.
float Dot(const SparseVectors& v, std::size_t a, std::size_t b);

// How many worker threads `requested` means (0: one per core, at least 1).
int ThreadCount(int requested);

}  // namespace opennos::analysis
