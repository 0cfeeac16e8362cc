#pragma once
// The four analyses over frameworks, as plain values: duplicates inside a framework, coverage
// of one framework by another, crosswalk suggestions between two, and the comparison of two
// editions. Pure functions over loaded frameworks (no I/O), multithreaded, deterministic.
// report_json.h writes them in the documented JSON shapes (docs/analysis.md).

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/allpairs.h"
#include "analysis/statements.h"
#include "core/status.h"

namespace opennos::analysis {

// What every analysis takes besides its frameworks.
struct RunOptions {
  double threshold = 0.8;                     // in (0, 1]
  int threads = 0;                            // 0: one per core
  ProgressFn progress;                        // fraction done, 0 to 1; may be empty
  const std::atomic<bool>* cancel = nullptr;  // when it becomes true the run stops
};

// Invalid (with a message saying why) unless 0 < t <= 1.
Status CheckThreshold(double t);

// Duplicated or near-identical statements inside one framework.
struct DuplicatesReport {
  Statements statements;
  double threshold = 0;
  std::vector<Pair> pairs;  // statement numbers a < b; by score (highest first), then a, b
  // Groups of statements joined by pairs (connected components), largest first; members in
  // tree order.
  std::vector<std::vector<std::uint32_t>> clusters;
  struct UnitPair {
    const Item* a = nullptr;  // the unit earlier in the tree
    const Item* b = nullptr;
    std::uint32_t pairs = 0;  // duplicate pairs with one statement in each
    float best = 0;
  };
  std::vector<UnitPair> units;  // pairs of different units, most shared first
  std::size_t without_terms = 0;  // statements with no comparable word (they match nothing)
  bool cancelled = false;
};
Result<DuplicatesReport> FindDuplicates(const FrameworkDoc& doc, const RunOptions& options);

struct Match {
  std::uint32_t item = 0;  // a statement number of the other framework
  float score = 0;
};

// How well `against` covers `framework`: each statement's best match at or above the threshold.
struct CoverageReport {
  Statements statements;  // of the framework covered
  Statements against;
  double threshold = 0;
  std::vector<std::optional<Match>> best;  // beside statements.items; nullopt: a gap
  struct Group {
    const Item* item = nullptr;  // a unit or key area; nullptr for statements outside any
    std::uint32_t statements = 0;
    std::uint32_t covered = 0;
    const Item* best_unit = nullptr;  // the unit of `against` that covers most of this group
    std::uint32_t best_unit_covers = 0;
  };
  std::vector<Group> units;      // in tree order
  std::vector<Group> key_areas;  // in tree order
  std::uint32_t covered = 0;
  bool cancelled = false;
};
Result<CoverageReport> FindCoverage(const FrameworkDoc& framework, const FrameworkDoc& against,
                                    const RunOptions& options);

// Suggested associations between the statements of two different frameworks.
struct CrosswalkReport {
  Statements a;
  Statements b;
  double threshold = 0;
  double exact_threshold = 0;  // pairs at or above it are suggested as exactMatchOf
  std::vector<Pair> pairs;     // a: statement of `a`, b: of `b`; by score, then a, b
  bool cancelled = false;
};
// `exact_threshold` must lie in [threshold, 1]. Two frameworks, not one framework twice.
Result<CrosswalkReport> FindCrosswalk(const FrameworkDoc& a, const FrameworkDoc& b,
                                      const RunOptions& options, double exact_threshold);
// "exactMatchOf" or "isRelatedTo" for a score.
const char* SuggestedType(const CrosswalkReport& r, float score);

// Which units of an older edition became which units of a newer one.
struct EditionsReport {
  enum class By { kAuto, kAuthored, kSimilarity };
  Statements older;
  Statements newer;
  double threshold = 0;  // for unit similarity
  By by = By::kAuto;
  struct Link {
    const Item* from = nullptr;
    const Item* to = nullptr;
    bool authored = false;  // a replacedBy association; else found by similarity
    float score = 0;        // the two units' similarity (0 when below every threshold)
  };
  std::vector<Link> links;  // older unit -> newer unit, by older unit then newer, tree order
  struct Entry {
    std::vector<const Item*> from;  // older units (empty for "added")
    std::vector<const Item*> to;    // newer units (empty for "removed")
  };
  std::vector<Entry> added, removed, changed, merged, split, unchanged;
  bool cancelled = false;
};
// kAuto: the authored replacedBy links, and similarity among the units no authored link
// touches. kAuthored: authored links only. kSimilarity: similarity only. Similarity compares
// whole units (title, overview and statements): a one-to-one matching from the most similar
// pair down, at or above `options.threshold`; then a unit left over joins the match it is most
// similar to (a merge or a split) when that similarity is at least 3/4 of the match's own.
// A one-to-one link whose two units have the same text is "unchanged", else "changed".
Result<EditionsReport> CompareEditions(const FrameworkDoc& older, const FrameworkDoc& newer,
                                       EditionsReport::By by, const RunOptions& options);

}  // namespace opennos::analysis
