#include "analysis/allpairs.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <thread>

namespace opennos::analysis {
namespace {

// Bounds are compared with the threshold less this slack, so that rounding in a bound never
// prunes a pair whose exact score (Dot) reaches the threshold.
constexpr double kSlack = 1e-5;
// A pair matches when its score is at least the threshold less this: identical statements
// (score 1 up to rounding) match at threshold 1.
constexpr float kTolerance = 1e-6f;
constexpr float kDead = -1e30f;
constexpr std::uint32_t kQueriesPerTask = 256;

struct Posting {
  std::uint32_t row;
  float weight;
  float prefix_norm;  // the ℓ2 norm of the row's terms before this one
};

// Posting lists of the indexed rows' suffixes, one list per term, rows increasing.
struct Index {
  std::vector<std::uint64_t> offsets;
  std::vector<Posting> postings;
  // Per row: the first term it indexes (UINT32_MAX: none) and the norm of the terms before it.
  std::vector<std::uint32_t> first_term;
  std::vector<float> unindexed_norm;
  // Per row: the sum and the largest of the weights before its first indexed term.
  std::vector<float> unindexed_sum;
  std::vector<float> unindexed_max;
};

// The largest weight of each term over the rows that will query the index.
std::vector<float> MaxWeights(const SparseVectors& v, std::uint32_t begin, std::uint32_t end) {
  std::vector<float> max(v.vocabulary.size(), 0.0f);
  for (std::uint64_t k = v.offsets[begin]; k < v.offsets[end]; ++k) {
    max[v.terms[k]] = std::max(max[v.terms[k]], v.weights[k]);
  }
  return max;
}

// The first position of a row's suffix to index: where both the AllPairs bound (the prefix's
// dot product with the largest query weights) and the ℓ2 bound (the prefix's norm) reach the
// threshold. Any partner at or above the threshold shares a term at or after it. Returns the
// row's end when no query can reach the threshold with this row.
std::uint64_t IndexStart(const SparseVectors& v, std::uint32_t row,
                         const std::vector<float>& max_weight, double t) {
  double squares = 0, ap = 0;
  for (std::uint64_t k = v.offsets[row]; k < v.offsets[row + 1]; ++k) {
    const double w = v.weights[k];
    squares += w * w;
    ap += w * max_weight[v.terms[k]];
    if (std::min(std::sqrt(squares), ap) >= t) return k;
  }
  return v.offsets[row + 1];
}

Index BuildIndex(const SparseVectors& v, std::uint32_t begin, std::uint32_t end,
                 const std::vector<float>& max_weight, double t) {
  Index index;
  index.offsets.assign(v.vocabulary.size() + 1, 0);
  std::vector<std::uint64_t> starts(end - begin);
  index.first_term.assign(end, UINT32_MAX);
  index.unindexed_norm.assign(end, 0.0f);
  index.unindexed_sum.assign(end, 0.0f);
  index.unindexed_max.assign(end, 0.0f);
  for (std::uint32_t row = begin; row < end; ++row) {
    starts[row - begin] = IndexStart(v, row, max_weight, t);
    if (starts[row - begin] < v.offsets[row + 1]) {
      index.first_term[row] = v.terms[starts[row - begin]];
    }
    for (std::uint64_t k = starts[row - begin]; k < v.offsets[row + 1]; ++k) {
      ++index.offsets[v.terms[k] + 1];
    }
  }
  for (std::size_t f = 0; f + 1 < index.offsets.size(); ++f) {
    index.offsets[f + 1] += index.offsets[f];
  }
  index.postings.resize(index.offsets.back());
  std::vector<std::uint64_t> fill(index.offsets.begin(), index.offsets.end() - 1);
  for (std::uint32_t row = begin; row < end; ++row) {
    double squares = 0, sum = 0;
    float max = 0;
    for (std::uint64_t k = v.offsets[row]; k < v.offsets[row + 1]; ++k) {
      if (k == starts[row - begin]) {
        index.unindexed_norm[row] = static_cast<float>(std::sqrt(squares));
        index.unindexed_sum[row] = static_cast<float>(sum);
        index.unindexed_max[row] = max;
      }
      if (k >= starts[row - begin]) {
        index.postings[fill[v.terms[k]]++] =
            Posting{row, v.weights[k], static_cast<float>(std::sqrt(squares))};
      }
      squares += static_cast<double>(v.weights[k]) * v.weights[k];
      sum += v.weights[k];
      max = std::max(max, v.weights[k]);
    }
  }
  return index;
}

// Dot(x, y) with x scattered into `dense`: the same products summed in the same (term) order,
// so the same float, without a merge's branches. A term x lacks adds 0 * w = +0, which leaves
// a non-negative sum exactly as it was.
float DenseDot(const SparseVectors& v, const std::vector<float>& dense, std::uint32_t y) {
  float sum = 0;
  const std::uint32_t* term = v.terms.data();
  const float* weight = v.weights.data();
  for (std::uint64_t k = v.offsets[y], e = v.offsets[y + 1]; k < e; ++k) {
    sum += dense[term[k]] * weight[k];
  }
  return std::min(sum, 1.0f);
}

// What a query knows of one indexed row, kept together so that meeting a row costs one
// cache line, not three.
struct Accumulator {
  std::uint32_t stamp = 0;  // the query that last met the row
  float score = 0;          // what the two share so far, or kDead
  float last_norm = 0;      // the row's prefix norm where the two last met
};

// One thread's reusable state: an accumulator per indexed row, so that nothing is allocated
// per query or per pair.
struct Scratch {
  std::vector<Accumulator> acc;
  std::uint32_t epoch = 0;
  std::vector<std::uint32_t> candidates;
  std::vector<double> prefix;  // the query's running sums of squares
  std::vector<double> prefix_sum;  // ... of weights
  std::vector<float> prefix_max;   // ... largest weight
  std::vector<float> dense;    // the query's weights by term, zero elsewhere

  Scratch(std::size_t rows, std::size_t terms)
      : acc(rows), dense(terms, 0.0f) {}
  void NextQuery() {
    if (++epoch == 0) {  // wrapped: forget every stamp
      for (Accumulator& a : acc) a.stamp = 0;
      epoch = 1;
    }
    candidates.clear();
  }
};

// The pairs of one query row `x`: with rows below it (self join) or every indexed row.
void Query(const SparseVectors& v, const Index& index, std::uint32_t x, bool self, double t,
           float threshold, Scratch& s, std::vector<Pair>& out) {
  const std::uint64_t begin = v.offsets[x], end = v.offsets[x + 1];
  if (begin == end) return;
  s.NextQuery();
  s.prefix.assign(1, 0.0);
  s.prefix_sum.assign(1, 0.0);
  s.prefix_max.assign(1, 0.0f);
  for (std::uint64_t k = begin; k < end; ++k) {
    s.prefix.push_back(s.prefix.back() + static_cast<double>(v.weights[k]) * v.weights[k]);
    s.prefix_sum.push_back(s.prefix_sum.back() + v.weights[k]);
    s.prefix_max.push_back(std::max(s.prefix_max.back(), v.weights[k]));
  }
  // Rare terms first: a candidate is met first at the last term it shares with x.
  std::uint64_t stop = begin;  // x's terms below this were not looked up
  for (std::uint64_t k = end; k-- > begin;) {
    const std::size_t at = k - begin;
    if (std::sqrt(s.prefix[at + 1]) < t) {  // no new candidate can reach t from here on
      stop = k + 1;
      break;
    }
    const float xw = v.weights[k];
    const float rest = static_cast<float>(std::sqrt(s.prefix[at]));
    const std::uint32_t term = v.terms[k];
    const Posting* p = index.postings.data() + index.offsets[term];
    const Posting* pe = index.postings.data() + index.offsets[term + 1];
    for (; p != pe; ++p) {
      const std::uint32_t y = p->row;
      if (self && y >= x) break;
      Accumulator& a = s.acc[y];
      if (a.stamp != s.epoch) {
        a.stamp = s.epoch;
        const float dot = xw * p->weight;
        if (dot + rest * p->prefix_norm >= static_cast<float>(t)) {
          a.score = dot;
          a.last_norm = p->prefix_norm;
          s.candidates.push_back(y);
        } else {
          a.score = kDead;
        }
      } else if (a.score != kDead) {
        a.score += xw * p->weight;
        a.last_norm = p->prefix_norm;
        if (a.score + rest * p->prefix_norm < static_cast<float>(t)) a.score = kDead;
      }
    }
  }
  for (std::uint64_t k = begin; k < end; ++k) s.dense[v.terms[k]] = v.weights[k];
  for (std::uint32_t y : s.candidates) {
    const Accumulator& a = s.acc[y];
    if (a.score == kDead) continue;
    // The score holds what x's looked-up terms share with y's indexed suffix. The rest lies
    // below x's stop or y's first indexed term, whichever is higher.
    const std::uint32_t first = index.first_term[y];
    float rest;
    if (stop == end || first >= v.terms[stop]) {
      // x's terms below `first` against y's unindexed prefix: at most the product of their
      // norms (Cauchy-Schwarz), and at most the largest weight of one times the sum of the
      // other's weights.
      std::uint64_t k = stop;
      while (k < end && v.terms[k] < first) ++k;
      const std::size_t at = k - begin;
      rest = std::min({static_cast<float>(std::sqrt(s.prefix[at])) * index.unindexed_norm[y],
                       s.prefix_max[at] * index.unindexed_sum[y],
                       index.unindexed_max[y] * static_cast<float>(s.prefix_sum[at])});
    } else {
      // x's terms below its stop against y's terms below where the two last met.
      rest = static_cast<float>(std::sqrt(s.prefix[stop - begin])) * a.last_norm;
    }
    if (a.score + rest < static_cast<float>(t)) continue;
    const float score = DenseDot(v, s.dense, y);
    if (score < threshold) continue;
    out.push_back(self ? Pair{y, x, score} : Pair{x, y, score});
  }
  for (std::uint64_t k = begin; k < end; ++k) s.dense[v.terms[k]] = 0.0f;
}

// Rows [begin, end) ordered by their terms read from the rarest: rows that share rare terms,
// which are each other's candidates, end up side by side in memory.
void LocalityOrder(const SparseVectors& v, std::uint32_t begin, std::uint32_t end,
                   std::vector<std::uint32_t>& order) {
  const auto first = order.size();
  for (std::uint32_t r = begin; r < end; ++r) order.push_back(r);
  std::sort(order.begin() + static_cast<std::ptrdiff_t>(first), order.end(),
            [&](std::uint32_t a, std::uint32_t b) {
              std::uint64_t i = v.offsets[a + 1], j = v.offsets[b + 1];
              const std::uint64_t ib = v.offsets[a], jb = v.offsets[b];
              while (i > ib && j > jb) {
                --i;
                --j;
                if (v.terms[i] != v.terms[j]) return v.terms[i] > v.terms[j];
              }
              return i == ib && j != jb ? true : (j == jb && i != ib ? false : a < b);
            });
}

SparseVectors Permute(const SparseVectors& v, const std::vector<std::uint32_t>& order) {
  SparseVectors p;
  p.vocabulary.resize(v.vocabulary.size());  // only its size is used
  p.offsets.reserve(order.size() + 1);
  p.terms.reserve(v.terms.size());
  p.weights.reserve(v.weights.size());
  for (std::uint32_t r : order) {
    p.terms.insert(p.terms.end(), v.terms.begin() + static_cast<std::ptrdiff_t>(v.offsets[r]),
                   v.terms.begin() + static_cast<std::ptrdiff_t>(v.offsets[r + 1]));
    p.weights.insert(p.weights.end(),
                     v.weights.begin() + static_cast<std::ptrdiff_t>(v.offsets[r]),
                     v.weights.begin() + static_cast<std::ptrdiff_t>(v.offsets[r + 1]));
    p.offsets.push_back(p.terms.size());
  }
  return p;
}

std::optional<std::vector<Pair>> JoinOrdered(const SparseVectors& v, std::uint32_t split,
                                             const JoinOptions& options);

std::optional<std::vector<Pair>> Join(const SparseVectors& original, std::uint32_t split,
                                      const JoinOptions& options) {
  std::vector<std::uint32_t> order;
  order.reserve(original.rows());
  const auto n = static_cast<std::uint32_t>(original.rows());
  if (split == 0) {
    LocalityOrder(original, 0, n, order);
  } else {
    LocalityOrder(original, 0, split, order);
    LocalityOrder(original, split, n, order);
  }
  auto pairs = JoinOrdered(Permute(original, order), split, options);
  if (!pairs) return pairs;
  for (Pair& p : *pairs) {
    p.a = order[p.a];
    p.b = order[p.b];
    if (split == 0 && p.a > p.b) std::swap(p.a, p.b);
  }
  std::sort(pairs->begin(), pairs->end(), [](const Pair& p, const Pair& q) {
    return p.a != q.a ? p.a < q.a : p.b < q.b;
  });
  return pairs;
}

std::optional<std::vector<Pair>> JoinOrdered(const SparseVectors& v, std::uint32_t split,
                                             const JoinOptions& options) {
  const auto n = static_cast<std::uint32_t>(v.rows());
  const bool self = split == 0;
  const std::uint32_t queries_end = self ? n : split;
  const std::uint32_t indexed_begin = self ? 0 : split;
  const double t = options.threshold - kSlack;
  const float threshold = static_cast<float>(options.threshold) - kTolerance;
  const Index index =
      BuildIndex(v, indexed_begin, n, MaxWeights(v, 0, queries_end), t);

  const std::uint32_t tasks = (queries_end + kQueriesPerTask - 1) / kQueriesPerTask;
  std::vector<std::vector<Pair>> results(tasks);
  std::atomic<std::uint32_t> next{0}, finished{0};
  std::atomic<bool> cancelled{false};
  std::mutex progress_mutex;
  auto work = [&](int) {
    Scratch scratch(n, v.vocabulary.size());
    for (;;) {
      if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
        cancelled = true;
        return;
      }
      const std::uint32_t task = next.fetch_add(1);
      if (task >= tasks) return;
      const std::uint32_t first = task * kQueriesPerTask;
      const std::uint32_t last = std::min(queries_end, first + kQueriesPerTask);
      for (std::uint32_t x = first; x < last; ++x) {
        Query(v, index, x, self, t, threshold, scratch, results[task]);
      }
      const std::uint32_t done = finished.fetch_add(1) + 1;
      if (options.progress) {
        std::lock_guard lock(progress_mutex);
        options.progress(static_cast<double>(done) / tasks);
      }
    }
  };
  const int threads = std::max(1, std::min<int>(ThreadCount(options.threads),
                                                static_cast<int>(std::max(1u, tasks))));
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(work, i);
  work(0);
  for (auto& th : pool) th.join();
  if (cancelled) return std::nullopt;

  std::size_t total = 0;
  for (const auto& r : results) total += r.size();
  std::vector<Pair> pairs;
  pairs.reserve(total);
  for (auto& r : results) {
    pairs.insert(pairs.end(), r.begin(), r.end());
    std::vector<Pair>().swap(r);
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& p, const Pair& q) {
    return p.a != q.a ? p.a < q.a : p.b < q.b;
  });
  return pairs;
}

}  // namespace

std::optional<std::vector<Pair>> SelfJoin(const SparseVectors& v, const JoinOptions& options) {
  return Join(v, 0, options);
}

std::optional<std::vector<Pair>> CrossJoin(const SparseVectors& v, std::uint32_t split,
                                           const JoinOptions& options) {
  if (split == 0 || split >= v.rows()) {
    if (options.progress) options.progress(1.0);
    return std::vector<Pair>{};
  }
  return Join(v, split, options);
}

std::vector<Pair> BruteForceJoin(const SparseVectors& v, std::uint32_t split, double threshold) {
  const auto n = static_cast<std::uint32_t>(v.rows());
  const float t = static_cast<float>(threshold) - kTolerance;
  std::vector<Pair> out;
  for (std::uint32_t a = 0; a < (split == 0 ? n : split); ++a) {
    for (std::uint32_t b = split == 0 ? a + 1 : split; b < n; ++b) {
      const float score = Dot(v, a, b);
      if (score >= t) out.push_back(Pair{a, b, score});
    }
  }
  return out;
}

}  // namespace opennos::analysis
