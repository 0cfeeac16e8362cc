#include "search/results_json.h"

namespace opennos::search {

boost::json::object ResultsToJson(const Results& r) {
  namespace json = boost::json;
  json::array results;
  for (const Hit& h : r.hits) {
    results.push_back(json::object{
        {"uuid", h.uuid},
        {"type", h.type},
        {"code", h.code},
        {"urn", h.urn},
        {"title", h.title},
        {"text", h.text},
        {"unit", h.unit_uuid.empty() ? json::value(nullptr) : json::value(h.unit_uuid)},
        {"framework", json::object{{"uuid", h.framework_uuid},
                                   {"code", h.framework_code},
                                   {"edition", h.framework_edition}}},
        {"snippet", h.snippet},
        {"score", h.score}});
  }
  json::object facets;
  for (const auto& [name, values] : r.facets) {
    json::array list;
    for (const FacetValue& v : values) {
      list.push_back(json::object{{"value", v.value}, {"count", v.count}});
    }
    facets[name] = std::move(list);
  }
  return json::object{{"query", r.query},
                      {"total", r.total},
                      {"page", r.page},
                      {"size", r.size},
                      {"results", std::move(results)},
                      {"facets", std::move(facets)},
                      {"suggestion", r.suggestion},
                      {"message", r.message}};
}

}  // namespace opennos::search
