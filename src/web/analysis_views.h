#pragma once
// What the analysis pages and API show beyond the reports' JSON: the coverage chart, the
// evidence for a pair (two statements side by side with the words they share marked), and
// stored suggestions as JSON.

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "analysis/reports.h"
#include "core/model.h"

namespace opennos::web {

// A horizontal bar per key area: the share of its statements covered. role="img" with a title
// and a description; the page shows the same figures in a table for assistive technology.
std::string CoverageChartSvg(const analysis::CoverageReport& r);

// A statement's text cut into runs, each marked when its word shares a term (after the text
// pipeline: case, accents, stop words, stems) with `other`: [{"text", "common"}].
boost::json::array MarkCommonWords(const std::string& text, const std::string& other);

// {"suggestions": [{"id", "type", "origin": {"id", "code", "framework"}, "destination": {...},
//   "score", "decision"}]}
std::string SuggestionsJson(const std::vector<Association>& list);

}  // namespace opennos::web
