#include "web/lookup.h"

#include <algorithm>
#include <cctype>

#include "web/http/message.h"

namespace opennos::web {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

Result<FrameworkDoc> LoadFrameworkNamed(Store& store, const std::string& name) {
  auto uuid = ResolveFramework(store, name);
  if (!uuid.ok()) return uuid.status();
  return store.LoadFramework(*uuid);
}

Result<Item> FindUnit(Store& store, const std::string& urn, const std::string& edition,
                      std::vector<Item>* others) {
  auto units = store.FindUnitsByUrn(urn);
  if (!units.ok()) return units.status();
  if (units->empty()) return Status::NotFound("no standard with the URN \"" + urn + "\"");
  size_t chosen = 0;
  if (!edition.empty()) {
    chosen = units->size();
    for (size_t i = 0; i < units->size(); ++i) {
      auto f = store.GetFramework((*units)[i].framework_uuid);
      if (!f.ok()) return f.status();
      if (f->edition == edition) chosen = i;
    }
    if (chosen == units->size()) {
      return Status::NotFound("the standard \"" + urn + "\" is not in an edition \"" + edition +
                              "\"");
    }
  }
  if (others != nullptr) {
    for (size_t i = 0; i < units->size(); ++i) {
      if (i != chosen) others->push_back((*units)[i]);
    }
  }
  return (*units)[chosen];
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> SimilarUrns(Store& store, const std::string& urn, size_t limit) {
  auto units = store.ListUnits();
  if (!units.ok() || urn.size() > 64) return {};
  std::vector<std::pair<size_t, std::string>> scored;
  const size_t allowed = std::max<size_t>(2, urn.size() / 3);
  for (const UnitRef& u : *units) {
    if (u.urn.empty()) continue;
    const size_t d = EditDistance(urn, u.urn);
    if (d <= allowed) scored.emplace_back(d, u.urn);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, candidate] : scored) {
    if (std::find(out.begin(), out.end(), candidate) != out.end()) continue;
    out.push_back(candidate);
    if (out.size() == limit) break;
  }
  return out;
}

std::string UnitUrl(const Item& unit, const Framework& framework, bool newest) {
  if (unit.unit.urn.empty()) return "/items/" + unit.uuid;
  std::string url = "/nos/" + PercentEncode(unit.unit.urn);
  if (!newest) url += "?edition=" + PercentEncode(framework.edition);
  return url;
}

std::string SuiteUrl(const Framework& f) {
  return "/suites/" + PercentEncode(f.code) + "@" + PercentEncode(f.edition);
}

}  // namespace opennos::web
