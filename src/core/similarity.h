#pragma once
// How alike two statements are, for the near-duplicate quality check. One function, so that
// issue 8's analysis engine can take its place without touching the checks.

#include <string_view>

namespace opennos {

// 1.0 for statements with the same terms after the text pipeline (normalised, stop words
// dropped, stemmed); otherwise the Jaccard index of their term sets, in [0, 1]. Two statements
// with no terms at all compare as 1.0 when their normalised text is equal, else 0. Thread-safe.
double StatementSimilarity(std::string_view a, std::string_view b);

}  // namespace opennos
