// The all-pairs engine: on generated corpora its pair set equals a brute-force computation
// exactly, for self and cross joins, at thresholds from low to 1, with any number of threads;
// and the TF-IDF vectors it compares are what the documentation says.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "analysis/allpairs.h"
#include "analysis/vectors.h"

namespace opennos::analysis {
namespace {

// A word the pipeline keeps as it is: letters only, no stop word, no suffix to stem.
std::string Word(std::size_t i) {
  std::string w = "q";
  do {
    w += static_cast<char>('b' + i % 20);
    i /= 20;
  } while (i > 0);
  return w + "z";
}

// Statements drawn from a Zipf-like vocabulary, with planted groups of near-duplicates
// (a base statement with one word dropped, replaced or added).
std::vector<std::string> Corpus(std::uint32_t seed, std::size_t n, std::size_t vocabulary) {
  std::mt19937 rng(seed);
  std::vector<double> weights;
  for (std::size_t i = 0; i < vocabulary; ++i) weights.push_back(1.0 / std::pow(i + 1.0, 1.1));
  std::discrete_distribution<std::size_t> word(weights.begin(), weights.end());
  std::uniform_int_distribution<int> length(1, 18);
  std::vector<std::string> out;
  while (out.size() < n) {
    std::vector<std::string> words;
    const int len = length(rng);
    for (int k = 0; k < len; ++k) words.push_back(Word(word(rng)));
    auto join = [](const std::vector<std::string>& ws) {
      std::string s;
      for (const auto& w : ws) s += (s.empty() ? "" : " ") + w;
      return s;
    };
    out.push_back(join(words));
    if (rng() % 4 == 0) {  // a planted group of two to five near-copies
      const int copies = 1 + static_cast<int>(rng() % 4);
      for (int c = 0; c < copies && out.size() < n; ++c) {
        std::vector<std::string> copy = words;
        const std::size_t at = rng() % copy.size();
        switch (rng() % 4) {
          case 0: copy.erase(copy.begin() + static_cast<std::ptrdiff_t>(at)); break;
          case 1: copy[at] = Word(word(rng)); break;
          case 2: copy.push_back(Word(word(rng))); break;
          default: break;  // an exact copy
        }
        out.push_back(join(copy));
      }
    }
  }
  return out;
}

SparseVectors VectorsOf(const std::vector<std::string>& texts, int threads = 2) {
  std::vector<std::string_view> views(texts.begin(), texts.end());
  VectoriseOptions options;
  options.threads = threads;
  return Vectorise(views, options);
}

// The same pair set, except pairs within 1e-6 of the threshold (CLARIFICATIONS, issue 8),
// with the same scores.
void ExpectSamePairs(const std::vector<Pair>& engine, const std::vector<Pair>& brute, double t) {
  auto key = [](const Pair& p) { return std::make_pair(p.a, p.b); };
  std::map<std::pair<std::uint32_t, std::uint32_t>, float> e, b;
  for (const Pair& p : engine) e[key(p)] = p.score;
  for (const Pair& p : brute) b[key(p)] = p.score;
  std::size_t missing = 0, extra = 0;
  for (const auto& [k, score] : b) {
    auto it = e.find(k);
    if (it == e.end()) {
      if (std::abs(score - t) > 1e-6) ++missing;
    } else {
      EXPECT_EQ(it->second, score) << k.first << "," << k.second;
    }
  }
  for (const auto& [k, score] : e) {
    if (!b.count(k) && std::abs(score - t) > 1e-6) ++extra;
  }
  EXPECT_EQ(missing, 0u) << "pairs brute force finds and the engine misses, at t=" << t;
  EXPECT_EQ(extra, 0u) << "pairs the engine finds and brute force does not, at t=" << t;
}

bool Ordered(const std::vector<Pair>& pairs) {
  for (std::size_t i = 1; i < pairs.size(); ++i) {
    if (std::make_pair(pairs[i - 1].a, pairs[i - 1].b) >= std::make_pair(pairs[i].a, pairs[i].b)) {
      return false;
    }
  }
  return true;
}

struct ExactCase {
  std::uint32_t seed;
  std::size_t n;
  std::size_t vocabulary;
  double threshold;
};

class AllPairsExactness : public ::testing::TestWithParam<ExactCase> {};

TEST_P(AllPairsExactness, SelfJoinEqualsBruteForceWithAnyThreadCount) {
  const ExactCase c = GetParam();
  const SparseVectors v = VectorsOf(Corpus(c.seed, c.n, c.vocabulary));
  const std::vector<Pair> brute = BruteForceJoin(v, 0, c.threshold);
  std::optional<std::vector<Pair>> first;
  for (int threads : {1, 2, 3}) {
    JoinOptions options;
    options.threshold = c.threshold;
    options.threads = threads;
    auto pairs = SelfJoin(v, options);
    ASSERT_TRUE(pairs.has_value());
    ExpectSamePairs(*pairs, brute, c.threshold);
    EXPECT_TRUE(Ordered(*pairs));
    for (const Pair& p : *pairs) EXPECT_LT(p.a, p.b);
    if (first) {
      EXPECT_EQ(*pairs, *first) << "the output depends on the thread count";
    } else {
      first = std::move(pairs);
    }
  }
  if (c.threshold <= 0.9) {
    EXPECT_FALSE(brute.empty()) << "the corpus should plant some pairs";
  }
}

TEST_P(AllPairsExactness, CrossJoinEqualsBruteForce) {
  const ExactCase c = GetParam();
  const SparseVectors v = VectorsOf(Corpus(c.seed, c.n, c.vocabulary));
  for (std::uint32_t split : {static_cast<std::uint32_t>(c.n / 3), static_cast<std::uint32_t>(c.n / 2)}) {
    JoinOptions options;
    options.threshold = c.threshold;
    auto pairs = CrossJoin(v, split, options);
    ASSERT_TRUE(pairs.has_value());
    ExpectSamePairs(*pairs, BruteForceJoin(v, split, c.threshold), c.threshold);
    EXPECT_TRUE(Ordered(*pairs));
    for (const Pair& p : *pairs) {
      EXPECT_LT(p.a, split);
      EXPECT_GE(p.b, split);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    GeneratedCorpora, AllPairsExactness,
    ::testing::Values(ExactCase{1, 1500, 300, 0.8}, ExactCase{2, 1500, 300, 0.5},
                      ExactCase{3, 1500, 300, 0.2}, ExactCase{4, 1500, 80, 0.9},
                      ExactCase{5, 1500, 2000, 0.7}, ExactCase{6, 1200, 40, 0.6},
                      ExactCase{7, 1500, 300, 1.0}, ExactCase{8, 1500, 300, 0.95},
                      ExactCase{9, 3000, 1000, 0.8}, ExactCase{10, 1500, 10, 0.3}),
    [](const auto& info) {
      return "Seed" + std::to_string(info.param.seed) + "At" +
             std::to_string(static_cast<int>(std::lround(info.param.threshold * 100)));
    });

TEST(AllPairs, IdenticalStatementsScoreOneAndAreFoundAtThresholdOne) {
  const SparseVectors v = VectorsOf({"plan the budget", "Plan the budget.", "budget plans"});
  JoinOptions options;
  options.threshold = 1.0;
  auto pairs = SelfJoin(v, options);
  ASSERT_TRUE(pairs.has_value());
  // "budget plans" stems to the same two terms as "plan the budget": all three are identical.
  EXPECT_EQ(pairs->size(), 3u);
  for (const Pair& p : *pairs) EXPECT_NEAR(p.score, 1.0, 1e-6);
}

TEST(AllPairs, EmptyRowsMatchNothing) {
  const SparseVectors v = VectorsOf({"", "the and of", "plan the budget", "plan the budget"});
  EXPECT_TRUE(v.Empty(0));
  EXPECT_TRUE(v.Empty(1));
  JoinOptions options;
  options.threshold = 0.01;
  auto pairs = SelfJoin(v, options);
  ASSERT_TRUE(pairs.has_value());
  ASSERT_EQ(pairs->size(), 1u);
  EXPECT_EQ((*pairs)[0].a, 2u);
  EXPECT_EQ((*pairs)[0].b, 3u);
}

TEST(AllPairs, NoRowsAndOneRowGiveNoPairs) {
  JoinOptions options;
  auto none = SelfJoin(VectorsOf({}), options);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  auto one = SelfJoin(VectorsOf({"plan the budget"}), options);
  ASSERT_TRUE(one.has_value());
  EXPECT_TRUE(one->empty());
  auto cross = CrossJoin(VectorsOf({"plan the budget"}), 1, options);
  ASSERT_TRUE(cross.has_value());
  EXPECT_TRUE(cross->empty());
}

TEST(AllPairs, ACancelledRunReturnsNothing) {
  const SparseVectors v = VectorsOf(Corpus(11, 2000, 300));
  std::atomic<bool> cancel{true};
  JoinOptions options;
  options.cancel = &cancel;
  EXPECT_FALSE(SelfJoin(v, options).has_value());
  EXPECT_FALSE(CrossJoin(v, 1000, options).has_value());
}

TEST(AllPairs, ReportsProgressUpToTheWhole) {
  const SparseVectors v = VectorsOf(Corpus(12, 3000, 300));
  double last = 0;
  int calls = 0;
  JoinOptions options;
  options.progress = [&](double f) {
    EXPECT_GE(f, last);
    last = f;
    ++calls;
  };
  ASSERT_TRUE(SelfJoin(v, options).has_value());
  EXPECT_GT(calls, 1);
  EXPECT_DOUBLE_EQ(last, 1.0);
}

// --- Vectorise ---------------------------------------------------------------------------------

TEST(Vectorise, RowsAreUnitLengthWithTermsInIncreasingId) {
  const SparseVectors v = VectorsOf(Corpus(13, 500, 100));
  for (std::size_t r = 0; r < v.rows(); ++r) {
    if (v.Empty(r)) continue;
    double norm = 0;
    for (auto k = v.offsets[r]; k < v.offsets[r + 1]; ++k) {
      norm += static_cast<double>(v.weights[k]) * v.weights[k];
      if (k > v.offsets[r]) {
        EXPECT_LT(v.terms[k - 1], v.terms[k]);
      }
    }
    EXPECT_NEAR(norm, 1.0, 1e-5);
  }
}

TEST(Vectorise, WeightsAreSmoothedTfIdfAndCommonTermsComeFirst) {
  // "budget" is in all three, "plan" in two, "review" in one; "plan" twice in the last.
  const SparseVectors v = VectorsOf({"budget plan", "budget review", "plan the budget plan"});
  ASSERT_EQ(v.vocabulary.size(), 3u);
  EXPECT_EQ(v.vocabulary[0], "budget");
  EXPECT_EQ(v.vocabulary[1], "plan");
  EXPECT_EQ(v.vocabulary[2], "review");
  const double idf_budget = std::log(4.0 / 4.0) + 1, idf_plan = std::log(4.0 / 3.0) + 1;
  const double b = idf_budget, p = 2 * idf_plan, norm = std::sqrt(b * b + p * p);
  ASSERT_EQ(v.Length(2), 2u);
  EXPECT_NEAR(v.weights[v.offsets[2]], b / norm, 1e-6);
  EXPECT_NEAR(v.weights[v.offsets[2] + 1], p / norm, 1e-6);
}

TEST(Vectorise, TheSameTextGivesTheSameVectorsWhateverTheThreadCount) {
  const auto texts = Corpus(14, 20000, 500);
  const SparseVectors one = VectorsOf(texts, 1), three = VectorsOf(texts, 3);
  EXPECT_EQ(one.offsets, three.offsets);
  EXPECT_EQ(one.terms, three.terms);
  EXPECT_EQ(one.weights, three.weights);
  EXPECT_EQ(one.vocabulary, three.vocabulary);
}

TEST(Vectorise, UsesTheSharedTextPipeline) {
  // Case, accents, stop words and stems: "Managing" and "manage" are one term.
  const SparseVectors v = VectorsOf({"Managing the CAFÉ budgets", "manage a cafe budget"});
  EXPECT_NEAR(Dot(v, 0, 1), 1.0, 1e-6) ;
}

}  // namespace
}  // namespace opennos::analysis
