#pragma once
// The reports in their documented JSON shapes (docs/analysis.md), written as text without
// building a document in memory: a million pairs stay cheap. The CLI's --json and the API
// print exactly these.

#include <string>

#include "analysis/reports.h"

namespace opennos::analysis {

std::string DuplicatesJson(const DuplicatesReport& r);
std::string CoverageJson(const CoverageReport& r);
std::string CrosswalkJson(const CrosswalkReport& r);
std::string EditionsJson(const EditionsReport& r);

// A score as JSON writes it: the shortest decimal that reads back as the same float.
std::string ScoreText(float score);

// How an item is named in reports: its unit's URN, else the unit's code, else "".
const std::string& UnitLabel(const Item* unit);

}  // namespace opennos::analysis
