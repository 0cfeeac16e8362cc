#pragma once
// Finding what a URL names: frameworks by name, units by URN and edition, and the near misses
// that a helpful 404 suggests.

#include <string>
#include <vector>

#include "core/model.h"
#include "storage/store.h"

namespace opennos::web {

// The framework a URL names (UUID, CODE or CODE@EDITION), loaded whole.
Result<FrameworkDoc> LoadFrameworkNamed(Store& store, const std::string& name);

// The unit with this URN: in `edition` when given, else the newest edition that has it.
// `others` receives the same URN's units in other editions, newest first.
Result<Item> FindUnit(Store& store, const std::string& urn, const std::string& edition,
                      std::vector<Item>* others);

// URNs close to `urn` (edit distance, case-insensitive), best first, at most `limit`.
std::vector<std::string> SimilarUrns(Store& store, const std::string& urn, size_t limit);

// Levenshtein distance between two strings, without regard to ASCII case.
size_t EditDistance(std::string_view a, std::string_view b);

// The URL of a unit's page: /nos/{URN}, with ?edition= when it is not the newest with that
// URN; /items/{uuid} for a unit without a URN.
std::string UnitUrl(const Item& unit, const Framework& framework, bool newest);

// The URL of a suite page, /suites/CODE@EDITION.
std::string SuiteUrl(const Framework& f);

}  // namespace opennos::web
