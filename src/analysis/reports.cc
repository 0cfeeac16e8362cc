#include "analysis/reports.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace opennos::analysis {
namespace {

// Vectorising is about a third of a run; the join the rest.
constexpr double kVectorisingShare = 0.3;
// Editions: a leftover unit joins a match (merge or split) when its similarity is at least
// this share of the match's own.
constexpr float kJoinShare = 0.75f;

VectoriseOptions VectorOptions(const RunOptions& o) {
  VectoriseOptions v;
  v.threads = o.threads;
  v.cancel = o.cancel;
  if (o.progress) v.progress = [&o](double f) { o.progress(kVectorisingShare * f); };
  return v;
}

JoinOptions JoinOptionsOf(const RunOptions& o) {
  JoinOptions j;
  j.threshold = o.threshold;
  j.threads = o.threads;
  j.cancel = o.cancel;
  if (o.progress) {
    j.progress = [&o](double f) { o.progress(kVectorisingShare + (1 - kVectorisingShare) * f); };
  }
  return j;
}

bool Cancelled(const RunOptions& o) {
  return o.cancel != nullptr && o.cancel->load();
}

std::vector<std::string_view> Texts(const Statements& s) {
  std::vector<std::string_view> texts;
  texts.reserve(s.size());
  for (const Item* item : s.items) texts.emplace_back(ComparedText(*item));
  return texts;
}

void ByScore(std::vector<Pair>& pairs) {
  std::sort(pairs.begin(), pairs.end(), [](const Pair& p, const Pair& q) {
    if (p.score != q.score) return p.score > q.score;
    return p.a != q.a ? p.a < q.a : p.b < q.b;
  });
}

struct DisjointSets {
  std::vector<std::uint32_t> parent;
  explicit DisjointSets(std::size_t n) : parent(n) {
    std::iota(parent.begin(), parent.end(), 0u);
  }
  std::uint32_t Find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Join(std::uint32_t a, std::uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);  // the earliest member leads
  }
};

std::vector<std::vector<std::uint32_t>> Clusters(std::size_t n, const std::vector<Pair>& pairs) {
  DisjointSets sets(n);
  for (const Pair& p : pairs) sets.Join(p.a, p.b);
  std::unordered_map<std::uint32_t, std::size_t> index;
  std::vector<std::vector<std::uint32_t>> clusters;
  std::vector<bool> paired(n, false);
  for (const Pair& p : pairs) paired[p.a] = paired[p.b] = true;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!paired[i]) continue;
    auto [it, fresh] = index.try_emplace(sets.Find(i), clusters.size());
    if (fresh) clusters.emplace_back();
    clusters[it->second].push_back(i);
  }
  std::stable_sort(clusters.begin(), clusters.end(),
                   [](const auto& x, const auto& y) { return x.size() > y.size(); });
  return clusters;
}

std::vector<DuplicatesReport::UnitPair> SharedUnits(const DuplicatesReport& r) {
  std::unordered_map<const Item*, std::uint32_t> order;
  for (const Item* u : r.statements.all_units) order.emplace(u, static_cast<std::uint32_t>(order.size()));
  std::map<std::pair<std::uint32_t, std::uint32_t>, DuplicatesReport::UnitPair> shared;
  for (const Pair& p : r.pairs) {
    const Item* ua = r.statements.units[p.a];
    const Item* ub = r.statements.units[p.b];
    if (ua == nullptr || ub == nullptr || ua == ub) continue;
    if (order[ua] > order[ub]) std::swap(ua, ub);
    auto& entry = shared[{order[ua], order[ub]}];
    entry.a = ua;
    entry.b = ub;
    ++entry.pairs;
    entry.best = std::max(entry.best, p.score);
  }
  std::vector<DuplicatesReport::UnitPair> out;
  for (auto& [key, value] : shared) out.push_back(value);
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return x.pairs != y.pairs ? x.pairs > y.pairs : x.best > y.best;
  });
  return out;
}

}  // namespace

Status CheckThreshold(double t) {
  if (!(t > 0.0 && t <= 1.0)) {
    return Status::Invalid("the threshold must be above 0 and at most 1 (got " +
                           std::to_string(t) + ")");
  }
  return Status::Ok();
}

Result<DuplicatesReport> FindDuplicates(const FrameworkDoc& doc, const RunOptions& options) {
  if (Status s = CheckThreshold(options.threshold); !s.ok()) return s;
  DuplicatesReport r;
  r.statements = CollectStatements(doc);
  r.threshold = options.threshold;
  const SparseVectors v = Vectorise(Texts(r.statements), VectorOptions(options));
  if (Cancelled(options)) {
    r.cancelled = true;
    return r;
  }
  for (std::size_t i = 0; i < v.rows(); ++i) r.without_terms += v.Empty(i) ? 1 : 0;
  auto pairs = SelfJoin(v, JoinOptionsOf(options));
  if (!pairs) {
    r.cancelled = true;
    return r;
  }
  r.pairs = std::move(*pairs);
  r.clusters = Clusters(r.statements.size(), r.pairs);
  ByScore(r.pairs);
  r.units = SharedUnits(r);
  return r;
}

Result<CoverageReport> FindCoverage(const FrameworkDoc& framework, const FrameworkDoc& against,
                                    const RunOptions& options) {
  if (Status s = CheckThreshold(options.threshold); !s.ok()) return s;
  CoverageReport r;
  r.statements = CollectStatements(framework);
  r.against = CollectStatements(against);
  r.threshold = options.threshold;
  std::vector<std::string_view> texts = Texts(r.statements);
  const auto split = static_cast<std::uint32_t>(texts.size());
  for (auto t : Texts(r.against)) texts.push_back(t);
  const SparseVectors v = Vectorise(texts, VectorOptions(options));
  auto pairs = Cancelled(options) ? std::nullopt : CrossJoin(v, split, JoinOptionsOf(options));
  if (!pairs) {
    r.cancelled = true;
    return r;
  }
  r.best.assign(r.statements.size(), std::nullopt);
  for (const Pair& p : *pairs) {  // by (a, b): the first of equal scores is the earliest b
    auto& best = r.best[p.a];
    if (!best || p.score > best->score) best = Match{p.b - split, p.score};
  }
  // Per unit and per key area: statements, how many are covered, and the unit of `against`
  // that covers most of them.
  auto summarise = [&](const std::vector<const Item*>& groups_of) {
    std::vector<CoverageReport::Group> groups;
    std::unordered_map<const Item*, std::size_t> at;
    std::vector<std::map<const Item*, std::uint32_t>> covering;
    for (std::size_t i = 0; i < r.statements.size(); ++i) {
      auto [it, fresh] = at.try_emplace(groups_of[i], groups.size());
      if (fresh) {
        groups.push_back(CoverageReport::Group{groups_of[i]});
        covering.emplace_back();
      }
      auto& g = groups[it->second];
      ++g.statements;
      if (!r.best[i]) continue;
      ++g.covered;
      const Item* unit = r.against.units[r.best[i]->item];
      if (unit != nullptr) ++covering[it->second][unit];
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (const Item* u : r.against.all_units) {  // tree order breaks ties
        auto it = covering[g].find(u);
        if (it != covering[g].end() && it->second > groups[g].best_unit_covers) {
          groups[g].best_unit = u;
          groups[g].best_unit_covers = it->second;
        }
      }
    }
    return groups;
  };
  r.units = summarise(r.statements.units);
  r.key_areas = summarise(r.statements.key_areas);
  for (const auto& b : r.best) r.covered += b ? 1 : 0;
  return r;
}

Result<CrosswalkReport> FindCrosswalk(const FrameworkDoc& a, const FrameworkDoc& b,
                                      const RunOptions& options, double exact_threshold) {
  if (Status s = CheckThreshold(options.threshold); !s.ok()) return s;
  if (!(exact_threshold >= options.threshold && exact_threshold <= 1.0)) {
    return Status::Invalid("the exact-match threshold must lie between the threshold and 1");
  }
  if (a.framework.uuid == b.framework.uuid) {
    return Status::Invalid("a crosswalk links two different frameworks; to find repeated "
                           "statements inside one, use `analyse duplicates`");
  }
  CrosswalkReport r;
  r.a = CollectStatements(a);
  r.b = CollectStatements(b);
  r.threshold = options.threshold;
  r.exact_threshold = exact_threshold;
  std::vector<std::string_view> texts = Texts(r.a);
  const auto split = static_cast<std::uint32_t>(texts.size());
  for (auto t : Texts(r.b)) texts.push_back(t);
  const SparseVectors v = Vectorise(texts, VectorOptions(options));
  auto pairs = Cancelled(options) ? std::nullopt : CrossJoin(v, split, JoinOptionsOf(options));
  if (!pairs) {
    r.cancelled = true;
    return r;
  }
  r.pairs = std::move(*pairs);
  for (Pair& p : r.pairs) p.b -= split;
  ByScore(r.pairs);
  return r;
}

const char* SuggestedType(const CrosswalkReport& r, float score) {
  return score >= static_cast<float>(r.exact_threshold) ? "exactMatchOf" : "isRelatedTo";
}

Result<EditionsReport> CompareEditions(const FrameworkDoc& older, const FrameworkDoc& newer,
                                       EditionsReport::By by, const RunOptions& options) {
  if (Status s = CheckThreshold(options.threshold); !s.ok()) return s;
  if (older.framework.uuid == newer.framework.uuid) {
    return Status::Invalid("compare two different editions (both names give " +
                           older.framework.code + "@" + older.framework.edition + ")");
  }
  EditionsReport r;
  r.older = CollectStatements(older);
  r.newer = CollectStatements(newer);
  r.threshold = options.threshold;
  r.by = by;
  const auto& olds = r.older.all_units;
  const auto& news = r.newer.all_units;
  const auto split = static_cast<std::uint32_t>(olds.size());

  // Unit vectors: each unit's title, overview and statements, idf over both editions.
  std::vector<std::string> unit_texts = UnitTexts(r.older);
  for (auto& t : UnitTexts(r.newer)) unit_texts.push_back(std::move(t));
  std::vector<std::string_view> views(unit_texts.begin(), unit_texts.end());
  const SparseVectors v = Vectorise(views, VectorOptions(options));
  if (Cancelled(options)) {
    r.cancelled = true;
    return r;
  }

  std::unordered_map<std::string_view, std::uint32_t> old_at, new_at;
  for (std::uint32_t i = 0; i < olds.size(); ++i) old_at.emplace(olds[i]->uuid, i);
  for (std::uint32_t i = 0; i < news.size(); ++i) new_at.emplace(news[i]->uuid, i);
  std::set<std::pair<std::uint32_t, std::uint32_t>> links;  // (old, new)
  std::set<std::pair<std::uint32_t, std::uint32_t>> authored;
  std::vector<bool> old_touched(olds.size(), false), new_touched(news.size(), false);
  if (by != EditionsReport::By::kSimilarity) {
    for (const FrameworkDoc* doc : {&older, &newer}) {
      for (const Association& a : doc->associations) {
        if (a.type != "replacedBy") continue;
        auto o = old_at.find(a.origin.uuid);
        auto n = new_at.find(a.destination.uuid);
        if (o == old_at.end() || n == new_at.end()) continue;
        links.emplace(o->second, n->second);
        authored.emplace(o->second, n->second);
        old_touched[o->second] = new_touched[n->second] = true;
      }
    }
  }
  if (by != EditionsReport::By::kAuthored) {
    auto pairs = CrossJoin(v, split, JoinOptionsOf(options));
    if (!pairs) {
      r.cancelled = true;
      return r;
    }
    // Only units no authored link touches. First a one-to-one matching, greedily from the
    // most similar pair; then a unit left over joins a match (a merge or a split) when it is
    // nearly as similar to the matched unit as that unit's own partner.
    std::vector<Pair> open;
    for (const Pair& p : *pairs) {
      if (!old_touched[p.a] && !new_touched[p.b - split]) open.push_back(p);
    }
    ByScore(open);
    std::vector<float> old_match(olds.size(), 0), new_match(news.size(), 0);
    for (const Pair& p : open) {
      const std::uint32_t o = p.a, n = p.b - split;
      if (old_match[o] > 0 || new_match[n] > 0) continue;
      old_match[o] = new_match[n] = p.score;
      links.emplace(o, n);
    }
    std::vector<bool> old_joined(olds.size(), false), new_joined(news.size(), false);
    for (const Pair& p : open) {  // best first: each leftover joins its most similar match
      const std::uint32_t o = p.a, n = p.b - split;
      if (old_match[o] == 0 && !old_joined[o] && new_match[n] > 0 &&
          p.score >= kJoinShare * new_match[n]) {
        old_joined[o] = true;
        links.emplace(o, n);
      } else if (new_match[n] == 0 && !new_joined[n] && old_match[o] > 0 &&
                 p.score >= kJoinShare * old_match[o]) {
        new_joined[n] = true;
        links.emplace(o, n);
      }
    }
  } else if (options.progress) {
    options.progress(1.0);
  }
  for (const auto& [o, n] : links) {
    r.links.push_back(EditionsReport::Link{olds[o], news[n], authored.count({o, n}) > 0,
                                           Dot(v, o, split + n)});
  }

  // Classify the connected groups of linked units.
  DisjointSets sets(olds.size() + news.size());
  for (const auto& [o, n] : links) sets.Join(o, split + n);
  std::map<std::uint32_t, EditionsReport::Entry> groups;  // by leader: the earliest unit
  for (std::uint32_t i = 0; i < olds.size(); ++i) groups[sets.Find(i)].from.push_back(olds[i]);
  for (std::uint32_t i = 0; i < news.size(); ++i) {
    groups[sets.Find(split + i)].to.push_back(news[i]);
  }
  for (auto& [leader, entry] : groups) {
    if (entry.to.empty()) {
      r.removed.push_back(std::move(entry));
    } else if (entry.from.empty()) {
      r.added.push_back(std::move(entry));
    } else if (entry.from.size() > 1) {
      r.merged.push_back(std::move(entry));  // several into one (or several: recombined)
    } else if (entry.to.size() > 1) {
      r.split.push_back(std::move(entry));
    } else {
      const std::uint32_t o = old_at[entry.from[0]->uuid], n = new_at[entry.to[0]->uuid];
      const bool same = unit_texts[o] == unit_texts[split + n];
      (same ? r.unchanged : r.changed).push_back(std::move(entry));
    }
  }
  return r;
}

}  // namespace opennos::analysis
