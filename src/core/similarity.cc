#include "core/similarity.h"

#include <algorithm>
#include <string>
#include <vector>

#include "text/text.h"

namespace opennos {

double StatementSimilarity(std::string_view a, std::string_view b) {
  auto ta = text::Terms(a), tb = text::Terms(b);
  if (ta.empty() || tb.empty()) {
    return ta.empty() && tb.empty() && text::Normalise(a) == text::Normalise(b) ? 1.0 : 0.0;
  }
  std::sort(ta.begin(), ta.end());
  ta.erase(std::unique(ta.begin(), ta.end()), ta.end());
  std::sort(tb.begin(), tb.end());
  tb.erase(std::unique(tb.begin(), tb.end()), tb.end());
  std::vector<std::string> common;
  std::set_intersection(ta.begin(), ta.end(), tb.begin(), tb.end(), std::back_inserter(common));
  const double joined = static_cast<double>(ta.size() + tb.size() - common.size());
  return static_cast<double>(common.size()) / joined;
}

}  // namespace opennos
