#include "analysis/vectors.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "text/text.h"

namespace opennos::analysis {
namespace {

constexpr std::uint32_t kStopWord = UINT32_MAX;

// The terms of a contiguous range of texts, with ids local to this range.
struct Chunk {
  std::size_t begin = 0, end = 0;
  std::vector<std::string> stems;          // local id -> stem
  std::vector<std::uint64_t> offsets{0};   // per text, into ids/counts
  std::vector<std::uint32_t> ids;          // local ids, increasing within a text
  std::vector<std::uint32_t> counts;       // term frequency beside ids
};

// Hashes std::string and std::string_view alike, so that a map keyed by strings can be
// searched with a view, without building a string.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Tokenises [chunk.begin, chunk.end). Each statement is normalised and split once; each
// distinct token is checked and stemmed once per chunk: statements repeat a small vocabulary,
// and stemming is the costly step.
bool TokeniseChunk(const std::vector<std::string_view>& texts, Chunk& chunk,
                   const VectoriseOptions& options, std::atomic<std::size_t>& done,
                   std::mutex& progress_mutex, std::size_t total) {
  // token -> local id or kStopWord
  std::unordered_map<std::string, std::uint32_t, TextHash, std::equal_to<>> token_ids;
  std::unordered_map<std::string, std::uint32_t> stem_ids;
  std::vector<std::uint32_t> row;
  for (std::size_t i = chunk.begin; i < chunk.end; ++i) {
    if ((i & 1023) == 0) {
      if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
        return false;
      }
      const std::size_t now = done.fetch_add(1024) + 1024;
      if (options.progress) {
        std::lock_guard lock(progress_mutex);
        options.progress(static_cast<double>(std::min(now, total)) /
                         static_cast<double>(std::max<std::size_t>(total, 1)));
      }
    }
    row.clear();
    text::ForEachToken(text::Normalise(texts[i]), [&](std::string_view token) {
      auto found = token_ids.find(token);
      if (found == token_ids.end()) {
        std::uint32_t id = kStopWord;
        if (!text::IsStopWord(token)) {
          auto [it, fresh] = stem_ids.try_emplace(text::Stem(token),
                                                  static_cast<std::uint32_t>(chunk.stems.size()));
          if (fresh) chunk.stems.push_back(it->first);
          id = it->second;
        }
        found = token_ids.emplace(std::string(token), id).first;
      }
      if (found->second != kStopWord) row.push_back(found->second);
    });
    std::sort(row.begin(), row.end());
    for (std::size_t k = 0; k < row.size();) {
      std::size_t run = k;
      while (run < row.size() && row[run] == row[k]) ++run;
      chunk.ids.push_back(row[k]);
      chunk.counts.push_back(static_cast<std::uint32_t>(run - k));
      k = run;
    }
    chunk.offsets.push_back(chunk.ids.size());
  }
  return true;
}

template <typename Fn>
void RunThreads(int threads, Fn&& fn) {
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(fn, t);
  fn(0);
  for (auto& th : pool) th.join();
}

}  // namespace

int ThreadCount(int requested) {
  if (requested > 0) return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

SparseVectors Vectorise(const std::vector<std::string_view>& texts,
                        const VectoriseOptions& options) {
  SparseVectors out;
  const std::size_t n = texts.size();
  if (n == 0) return out;
  const int threads = static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(ThreadCount(options.threads)),
                            std::max<std::size_t>(1, n / 4096)));
  // 1. Tokens to local term ids, one contiguous range per thread.
  std::vector<Chunk> chunks(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    chunks[t].begin = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(threads);
    chunks[t].end = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(threads);
  }
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  std::atomic<bool> complete{true};
  RunThreads(threads, [&](int t) {
    if (!TokeniseChunk(texts, chunks[t], options, done, progress_mutex, n)) complete = false;
  });
  if (!complete) return SparseVectors{};

  // 2. One vocabulary; document frequencies.
  std::unordered_map<std::string_view, std::uint32_t> global;
  std::vector<std::string_view> stems;
  std::vector<std::vector<std::uint32_t>> to_global(chunks.size());
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    for (const std::string& stem : chunks[c].stems) {
      auto [it, fresh] = global.try_emplace(stem, static_cast<std::uint32_t>(stems.size()));
      if (fresh) stems.push_back(stem);
      to_global[c].push_back(it->second);
    }
  }
  std::vector<std::uint64_t> df(stems.size(), 0);
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    for (std::uint32_t id : chunks[c].ids) ++df[to_global[c][id]];
  }
  // 3. Term ids by decreasing document frequency, so that rows start with common terms.
  std::vector<std::uint32_t> order(stems.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return df[a] != df[b] ? df[a] > df[b] : stems[a] < stems[b];
  });
  std::vector<std::uint32_t> rank(stems.size());
  std::vector<double> idf(stems.size());
  out.vocabulary.reserve(stems.size());
  for (std::uint32_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = r;
    idf[r] = std::log((1.0 + static_cast<double>(n)) /
                      (1.0 + static_cast<double>(df[order[r]]))) + 1.0;
    out.vocabulary.emplace_back(stems[order[r]]);
  }
  for (auto& map : to_global) {
    for (auto& id : map) id = rank[id];
  }

  // 4. Weighted, normalised rows, in input order.
  out.offsets.assign(n + 1, 0);
  for (const Chunk& chunk : chunks) {
    for (std::size_t i = chunk.begin; i < chunk.end; ++i) {
      out.offsets[i + 1] = out.offsets[i] + (chunk.offsets[i - chunk.begin + 1] -
                                             chunk.offsets[i - chunk.begin]);
    }
  }
  out.terms.resize(out.offsets[n]);
  out.weights.resize(out.offsets[n]);
  RunThreads(threads, [&](int t) {
    const Chunk& chunk = chunks[t];
    std::vector<std::pair<std::uint32_t, double>> row;
    for (std::size_t i = chunk.begin; i < chunk.end; ++i) {
      row.clear();
      for (std::uint64_t k = chunk.offsets[i - chunk.begin]; k < chunk.offsets[i - chunk.begin + 1];
           ++k) {
        const std::uint32_t id = to_global[t][chunk.ids[k]];
        row.emplace_back(id, static_cast<double>(chunk.counts[k]) * idf[id]);
      }
      std::sort(row.begin(), row.end());
      double norm = 0;
      for (const auto& [id, w] : row) norm += w * w;
      norm = std::sqrt(norm);
      std::uint64_t at = out.offsets[i];
      for (const auto& [id, w] : row) {
        out.terms[at] = id;
        out.weights[at] = static_cast<float>(w / norm);
        ++at;
      }
    }
  });
  if (options.progress) options.progress(1.0);
  return out;
}

float Dot(const SparseVectors& v, std::size_t a, std::size_t b) {
  std::uint64_t i = v.offsets[a], ie = v.offsets[a + 1];
  std::uint64_t j = v.offsets[b], je = v.offsets[b + 1];
  float sum = 0;
  while (i < ie && j < je) {
    if (v.terms[i] < v.terms[j]) {
      ++i;
    } else if (v.terms[j] < v.terms[i]) {
      ++j;
    } else {
      sum += v.weights[i++] * v.weights[j++];
    }
  }
  return std::min(sum, 1.0f);  // rounding can take identical rows a hair above 1
}

}  // namespace opennos::analysis
