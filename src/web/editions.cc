#include "web/editions.h"

#include <map>
#include <unordered_map>
#include <unordered_set>

#include "web/lookup.h"

namespace opennos::web {
namespace json = boost::json;
namespace {

json::object UnitJson(const Item& u, const Framework& f, bool newest) {
  return json::object{{"uuid", u.uuid},
                      {"code", u.code},
                      {"urn", u.unit.urn},
                      {"title", u.title},
                      {"version", u.unit.version},
                      {"url", UnitUrl(u, f, newest)}};
}

}  // namespace

json::object EditionComparisonJson(Store& store, const Framework& older, const Framework& newer) {
  json::object out{{"older", json::object{{"code", older.code}, {"edition", older.edition},
                                          {"uuid", older.uuid}, {"url", SuiteUrl(older)}}},
                   {"newer", json::object{{"code", newer.code}, {"edition", newer.edition},
                                          {"uuid", newer.uuid}, {"url", SuiteUrl(newer)}}}};
  auto old_doc = store.LoadFramework(older.uuid);
  auto new_doc = store.LoadFramework(newer.uuid);
  if (!old_doc.ok() || !new_doc.ok()) return out;
  std::unordered_map<std::string, const Item*> new_units;
  for (const Item& item : new_doc->items) {
    if (item.type == ItemType::kUnit) new_units[item.uuid] = &item;
  }
  // replacedBy edges from older units to newer ones, stated by either edition.
  std::map<std::string, std::vector<std::string>> successors;
  std::unordered_map<std::string, int> predecessors;
  for (const auto* doc : {&*old_doc, &*new_doc}) {
    for (const Association& a : doc->associations) {
      if (a.type != "replacedBy" || !new_units.count(a.destination.uuid)) continue;
      auto& list = successors[a.origin.uuid];
      if (std::find(list.begin(), list.end(), a.destination.uuid) != list.end()) continue;
      list.push_back(a.destination.uuid);
      ++predecessors[a.destination.uuid];
    }
  }
  std::map<std::string, int> counts{{"unchanged", 0}, {"revised", 0}, {"replaced", 0},
                                    {"merged", 0},    {"split", 0},   {"removed", 0},
                                    {"added", 0}};
  json::array rows;
  for (const Item& old : old_doc->items) {
    if (old.type != ItemType::kUnit) continue;
    const auto& next = successors[old.uuid];
    std::string kind;
    if (next.empty()) {
      kind = "removed";
    } else if (next.size() > 1) {
      kind = "split";
    } else if (predecessors[next[0]] > 1) {
      kind = "merged";
    } else {
      const Item& n = *new_units[next[0]];
      const bool same_urn = !old.unit.urn.empty() && old.unit.urn == n.unit.urn;
      kind = !same_urn ? "replaced" : n.unit.version > old.unit.version ? "revised" : "unchanged";
    }
    ++counts[kind];
    json::array news;
    for (const auto& uuid : next) news.push_back(UnitJson(*new_units[uuid], newer, true));
    rows.push_back(json::object{{"kind", kind},
                                {"old", UnitJson(old, older, false)},
                                {"new", std::move(news)},
                                {"has_new", !next.empty()}});
  }
  for (const Item& n : new_doc->items) {
    if (n.type != ItemType::kUnit || predecessors.count(n.uuid)) continue;
    ++counts["added"];
    rows.push_back(json::object{{"kind", "added"},
                                {"old", nullptr},
                                {"new", json::array{UnitJson(n, newer, true)}},
                                {"has_new", true}});
  }
  json::object count_json;
  for (const auto& [k, v] : counts) count_json[k] = v;
  out["rows"] = std::move(rows);
  out["counts"] = std::move(count_json);
  return out;
}

}  // namespace opennos::web
