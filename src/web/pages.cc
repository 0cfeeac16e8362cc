#include "web/pages.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "app/formats.h"
#include "core/uuid.h"
#include "web/lookup.h"
#include "web/map_svg.h"
#include "web/subset.h"
#include "search/index.h"

namespace opennos::web::pages {
namespace json = boost::json;
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool Welsh(const Context& ctx) { return ctx.request.Query("lang") == "cy"; }

// Text in the page's language: the Welsh when asked for and present, else the English.
std::string Pick(const Context& ctx, const std::string& english, const std::string& welsh) {
  return Welsh(ctx) && !welsh.empty() ? welsh : english;
}

// For each URN (lower case), the framework of its newest edition.
std::unordered_map<std::string, std::string> NewestFrameworkByUrn(Store& store) {
  std::unordered_map<std::string, std::string> newest;
  auto units = store.ListUnits();
  auto frameworks = store.ListFrameworks();
  if (!units.ok() || !frameworks.ok()) return newest;
  std::unordered_map<std::string, std::string> edition;
  for (const auto& s : *frameworks) edition[s.framework.uuid] = s.framework.edition;
  for (const UnitRef& u : *units) {
    if (u.urn.empty()) continue;
    auto [it, fresh] = newest.emplace(Lower(u.urn), u.framework_uuid);
    if (!fresh && EditionLess(edition[it->second], edition[u.framework_uuid])) {
      it->second = u.framework_uuid;
    }
  }
  return newest;
}

json::object FrameworkSummaryJson(const FrameworkSummary& s) {
  const Framework& f = s.framework;
  return json::object{{"code", f.code},
                      {"edition", f.edition},
                      {"title", f.title},
                      {"status", FrameworkStatusName(f.status)},
                      {"key_purpose", f.key_purpose},
                      {"units", s.units},
                      {"statements", s.statements},
                      {"url", SuiteUrl(f)}};
}

// The newest edition of each code, in code order.
std::vector<FrameworkSummary> NewestEditions(const std::vector<FrameworkSummary>& all) {
  std::map<std::string, FrameworkSummary> by_code;
  for (const auto& s : all) {
    auto it = by_code.find(s.framework.code);
    if (it == by_code.end() || EditionLess(it->second.framework.edition, s.framework.edition)) {
      by_code[s.framework.code] = s;
    }
  }
  std::vector<FrameworkSummary> out;
  for (auto& [code, s] : by_code) out.push_back(std::move(s));
  return out;
}

Response StoreError(const Context& ctx, const Status& s) {
  if (s.code() == Status::Code::kNotFound) return NotFoundPage(ctx, s.message());
  throw std::runtime_error(s.message());
}

json::array Editions(Store& store, const Framework& f) {
  json::array out;
  auto all = store.ListFrameworks();
  if (!all.ok()) return out;
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    if (it->framework.code != f.code) continue;
    out.push_back(json::object{{"edition", it->framework.edition},
                               {"url", SuiteUrl(it->framework)},
                               {"status", FrameworkStatusName(it->framework.status)},
                               {"current", it->framework.uuid == f.uuid}});
  }
  return out;
}

// The nested functional map, for the tree partial.
json::array TreeJson(const Context& ctx, const FrameworkDoc& doc,
                     const std::unordered_map<std::string, std::string>& newest) {
  std::unordered_map<std::string, std::vector<const Item*>> children;
  for (const Item& item : doc.items) {
    if (item.type == ItemType::kKeyArea || item.type == ItemType::kFunction ||
        item.type == ItemType::kUnit) {
      children[item.parent_uuid].push_back(&item);
    }
  }
  std::function<json::array(const std::string&)> build = [&](const std::string& parent) {
    json::array list;
    for (const Item* item : children[parent]) {
      json::object node{{"code", item->code},
                        {"title", Pick(ctx, item->title.empty() ? item->text : item->title,
                                       item->cy.title)},
                        {"type", ItemTypeLabel(item->type)},
                        {"is_unit", item->type == ItemType::kUnit}};
      if (item->type == ItemType::kUnit) {
        auto it = newest.find(Lower(item->unit.urn));
        const bool is_newest = it == newest.end() || it->second == doc.framework.uuid;
        node["url"] = UnitUrl(*item, doc.framework, is_newest);
        node["urn"] = item->unit.urn;
        node["legacy"] = item->unit.validity == "legacy";
      }
      json::array kids = item->type == ItemType::kUnit ? json::array() : build(item->uuid);
      node["has_children"] = !kids.empty();
      node["children"] = std::move(kids);
      list.push_back(std::move(node));
    }
    return list;
  };
  return build("");
}

json::array StatementList(const Context& ctx, const std::vector<const Item*>& items,
                          ItemType type) {
  json::array out;
  for (const Item* item : items) {
    if (item->type != type) continue;
    std::string code = item->code;
    const size_t dot = code.rfind('.');
    if (dot != std::string::npos) code = code.substr(dot + 1);
    // Marked as English when Welsh was asked for but this statement has none.
    const bool english = Welsh(ctx) && item->cy.text.empty() && item->cy.title.empty();
    out.push_back(json::object{{"code", code},
                               {"title", Pick(ctx, item->title, item->cy.title)},
                               {"text", Pick(ctx, item->text, item->cy.text)},
                               {"lang_en", english}});
  }
  return out;
}

// How a person reads an association from this end ("Replaced by", "Replaces").
std::string RelationLabel(const std::string& type, bool outgoing) {
  static const std::map<std::string, std::pair<std::string, std::string>> kLabels{
      {"isChildOf", {"Part of", "Contains"}},
      {"isPartOf", {"Part of", "Includes"}},
      {"exactMatchOf", {"Same as", "Same as"}},
      {"isRelatedTo", {"Related to", "Related to"}},
      {"isPeerOf", {"Peer of", "Peer of"}},
      {"replacedBy", {"Replaced by", "Replaces"}},
      {"precedes", {"Comes before", "Comes after"}},
      {"exemplar", {"Example:", "Example of"}},
      {"hasSkillLevel", {"Skill level:", "Skill level of"}},
      {"isTranslationOf", {"Translation of", "Translated as"}},
  };
  auto it = kLabels.find(type);
  if (it == kLabels.end()) return type;
  return outgoing ? it->second.first : it->second.second;
}

json::array Join(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}

}  // namespace

Response Home(const Context& ctx) {
  auto all = ctx.store.ListFrameworks();
  if (!all.ok()) return StoreError(ctx, all.status());
  json::array suites;
  for (const auto& s : NewestEditions(*all)) suites.push_back(FrameworkSummaryJson(s));
  json::object model{{"title", "OpenNOS: occupational standards, open"},
                     {"suites", std::move(suites)},
                     {"nav_home", true}};
  return HtmlPage(200, "home", std::move(model), ctx);
}

Response Suites(const Context& ctx) {
  auto all = ctx.store.ListFrameworks();
  if (!all.ok()) return StoreError(ctx, all.status());
  json::array rows;
  for (const auto& s : *all) rows.push_back(FrameworkSummaryJson(s));
  json::object model{{"title", "Suites of standards"},
                     {"suites", std::move(rows)},
                     {"has_suites", !all->empty()},
                     {"nav_suites", true}};
  return HtmlPage(200, "suites", std::move(model), ctx);
}

Response Suite(const Context& ctx) {
  auto doc = LoadFrameworkNamed(ctx.store, ctx.params[0]);
  if (!doc.ok()) return StoreError(ctx, doc.status());
  const Framework& f = doc->framework;
  const auto newest = NewestFrameworkByUrn(ctx.store);
  size_t units = 0;
  for (const Item& item : doc->items) units += item.type == ItemType::kUnit ? 1 : 0;
  json::array editions = Editions(ctx.store, f);
  const bool several = editions.size() > 1;
  json::object model{{"title", f.title + " (" + f.edition + ")"},
                     {"code", f.code},
                     {"edition", f.edition},
                     {"suite_title", f.title},
                     {"status", FrameworkStatusName(f.status)},
                     {"publisher", f.publisher},
                     {"key_purpose", f.key_purpose},
                     {"description", f.description},
                     {"published", f.published},
                     {"review", f.review},
                     {"licence", f.licence},
                     {"units", units},
                     {"tree", TreeJson(ctx, *doc, newest)},
                     {"map_svg", FunctionalMapSvg(*doc)},
                     {"editions", std::move(editions)},
                     {"several_editions", several},
                     {"editions_url", "/suites/" + PercentEncode(f.code) + "/editions"},
                     {"duplicates_url", SuiteUrl(f) + "/duplicates"},
                     {"coverage_url", SuiteUrl(f) + "/coverage"},
                     {"crosswalk_url", SuiteUrl(f) + "/crosswalk"},
                     {"download_json", SuiteUrl(f) + "/download.json"},
                     {"download_csv", SuiteUrl(f) + "/download.csv"},
                     {"nav_suites", true}};
  return HtmlPage(200, "suite", std::move(model), ctx);
}

Response SuiteDownload(const Context& ctx) {
  auto doc = LoadFrameworkNamed(ctx.store, ctx.params[0]);
  if (!doc.ok()) return StoreError(ctx, doc.status());
  const bool csv = ctx.params[1] == "csv";
  const std::string name = doc->framework.code + "@" + doc->framework.edition;
  return csv ? Download(WriteFrameworkFile(*doc, FileFormat::kCsv), "text/csv; charset=utf-8",
                        name + ".csv")
             : Download(WriteFrameworkFile(*doc, FileFormat::kNative),
                        "application/json", name + ".json");
}

Response Unit(const Context& ctx) {
  const std::string& urn = ctx.params[0];
  std::vector<Item> others;
  auto unit = FindUnit(ctx.store, urn, ctx.request.Query("edition"), &others);
  if (!unit.ok()) {
    if (unit.status().code() != Status::Code::kNotFound) return StoreError(ctx, unit.status());
    std::vector<std::pair<std::string, std::string>> suggestions;
    for (const auto& similar : SimilarUrns(ctx.store, urn, 5)) {
      suggestions.emplace_back(similar, "/nos/" + PercentEncode(similar));
    }
    return NotFoundPage(ctx, unit.status().message(), suggestions);
  }
  auto doc = ctx.store.LoadFramework(unit->framework_uuid);
  if (!doc.ok()) return StoreError(ctx, doc.status());
  const Framework& f = doc->framework;
  std::vector<const Item*> children;
  std::vector<const Item*> ancestors;
  std::unordered_map<std::string, const Item*> by_uuid;
  for (const Item& item : doc->items) by_uuid[item.uuid] = &item;
  for (const Item& item : doc->items) {
    if (item.parent_uuid == unit->uuid) children.push_back(&item);
  }
  for (auto it = by_uuid.find(unit->parent_uuid); it != by_uuid.end();
       it = by_uuid.find(it->second->parent_uuid)) {
    ancestors.insert(ancestors.begin(), it->second);
  }
  const UnitFields& u = unit->unit;
  const bool newest = others.empty() || ctx.request.Query("edition").empty() ||
                      std::none_of(others.begin(), others.end(), [&](const Item& o) {
                        auto of = ctx.store.GetFramework(o.framework_uuid);
                        return of.ok() && EditionLess(f.edition, of->edition);
                      });
  const std::string self_url = UnitUrl(*unit, f, newest);
  const std::string base = "/nos/" + PercentEncode(u.urn) + "/download";
  const std::string edition_query = newest ? "" : "?edition=" + PercentEncode(f.edition);

  json::array versions;
  for (const Item& other : others) {
    auto of = ctx.store.GetFramework(other.framework_uuid);
    if (!of.ok()) continue;
    const bool other_newest = EditionLess(f.edition, of->edition) &&
                              std::none_of(others.begin(), others.end(), [&](const Item& o) {
                                auto oo = ctx.store.GetFramework(o.framework_uuid);
                                return oo.ok() && EditionLess(of->edition, oo->edition);
                              });
    versions.push_back(json::object{{"edition", of->edition},
                                    {"version", other.unit.version},
                                    {"title", other.title},
                                    {"url", UnitUrl(other, *of, other_newest)}});
  }
  // Links to other units: associations at either end.
  json::array links;
  auto associations = ctx.store.AssociationsOf(unit->uuid);
  if (associations.ok()) {
    for (const Association& a : *associations) {
      const bool outgoing = a.origin.uuid == unit->uuid;
      const NodeRef& other = outgoing ? a.destination : a.origin;
      json::object link{{"relation", RelationLabel(a.type, outgoing)}, {"outgoing", outgoing}};
      auto item = ctx.store.GetItem(other.uuid);
      if (item.ok()) {
        auto of = ctx.store.GetFramework(item->framework_uuid);
        if (!of.ok()) continue;
        link["label"] = (item->unit.urn.empty() ? item->code : item->unit.urn) + " " +
                        (item->title.empty() ? item->text : item->title);
        link["suite"] = of->code + "@" + of->edition;
        link["url"] = item->type == ItemType::kUnit
                          ? UnitUrl(*item, *of, of->uuid == f.uuid ? newest : true)
                          : "/items/" + item->uuid;
      } else {
        link["label"] = other.title.empty() ? (other.code.empty() ? other.uuid : other.code)
                                            : other.title;
        if (!other.uri.empty()) link["external_url"] = other.uri;
      }
      links.push_back(std::move(link));
    }
  }
  json::array breadcrumbs;
  for (const Item* a : ancestors) {
    breadcrumbs.push_back(json::object{{"label", a->code + " " + Pick(ctx, a->title, a->cy.title)}});
  }
  const bool has_welsh = !unit->cy.empty();
  json::object model{
      {"title", (u.urn.empty() ? unit->code : u.urn) + " " + Pick(ctx, unit->title, unit->cy.title)},
      {"unit_title", Pick(ctx, unit->title, unit->cy.title)},
      {"urn", u.urn},
      {"code", unit->code},
      {"statement", Pick(ctx, unit->text, unit->cy.text)},
      {"overview", Pick(ctx, u.overview, unit->cy.overview)},
      {"suite_title", f.title},
      {"suite_url", SuiteUrl(f)},
      {"edition", f.edition},
      {"suite_code", f.code},
      {"version", u.version == 0 ? json::value(nullptr) : json::value(u.version)},
      {"unit_status", u.status},
      {"validity", u.validity.empty() ? "current" : u.validity},
      {"legacy", u.validity == "legacy"},
      {"category", u.category},
      {"developed_by", u.developed_by},
      {"originating_organisation", u.originating_organisation},
      {"approved", u.approved},
      {"review", u.review},
      {"original_urn", u.original_urn},
      {"keywords", Join(u.keywords)},
      {"has_keywords", !u.keywords.empty()},
      {"occupations", Join(u.occupations)},
      {"has_occupations", !u.occupations.empty()},
      {"performance", StatementList(ctx, children, ItemType::kPerformanceCriterion)},
      {"knowledge", StatementList(ctx, children, ItemType::kKnowledge)},
      {"behaviours", StatementList(ctx, children, ItemType::kBehaviour)},
      {"skills", StatementList(ctx, children, ItemType::kSkill)},
      {"scope", StatementList(ctx, children, ItemType::kScope)},
      {"glossary", StatementList(ctx, children, ItemType::kGlossaryTerm)},
      {"statements", StatementList(ctx, children, ItemType::kStatement)},
      {"breadcrumbs", std::move(breadcrumbs)},
      {"links", links},
      {"has_links", !links.empty()},
      {"versions", versions},
      {"has_versions", !versions.empty()},
      {"has_welsh", has_welsh},
      {"translation_note", f.translation_note},
      {"english_url", self_url},
      {"welsh_url", self_url + (self_url.find('?') == std::string::npos ? "?" : "&") + "lang=cy"},
      {"download_json", base + ".json" + edition_query},
      {"download_csv", base + ".csv" + edition_query},
      {"history_url", "/items/" + unit->uuid + "/history"},
      {"nav_suites", true}};
  for (const char* key : {"performance", "knowledge", "behaviours", "skills", "scope",
                          "glossary", "statements"}) {
    model[std::string("has_") + key] = !model[key].as_array().empty();
  }
  return HtmlPage(200, "unit", std::move(model), ctx);
}

Response UnitDownload(const Context& ctx) {
  auto unit = FindUnit(ctx.store, ctx.params[0], ctx.request.Query("edition"), nullptr);
  if (!unit.ok()) return StoreError(ctx, unit.status());
  auto doc = ctx.store.LoadFramework(unit->framework_uuid);
  if (!doc.ok()) return StoreError(ctx, doc.status());
  FrameworkDoc subset = UnitSubset(*doc, unit->uuid);
  const std::string name = unit->unit.urn.empty() ? unit->code : unit->unit.urn;
  return ctx.params[1] == "csv"
             ? Download(WriteFrameworkFile(subset, FileFormat::kCsv), "text/csv; charset=utf-8",
                        name + ".csv")
             : Download(WriteFrameworkFile(subset, FileFormat::kNative), "application/json",
                        name + ".json");
}

Response ItemPage(const Context& ctx) {
  auto uuid = CanonicalUuid(ctx.params[0]);
  if (!uuid) return NotFoundPage(ctx, "\"" + ctx.params[0] + "\" is not an item identifier");
  auto item = ctx.store.GetItem(*uuid);
  if (!item.ok()) return StoreError(ctx, item.status());
  auto f = ctx.store.GetFramework(item->framework_uuid);
  if (!f.ok()) return StoreError(ctx, f.status());
  if (item->type == ItemType::kUnit && !item->unit.urn.empty()) {
    Response r{303, {{"Location", UnitUrl(*item, *f, false)}}, ""};
    return r;
  }
  const std::string heading = item->title.empty() ? std::string(ItemTypeLabel(item->type))
                                                 : item->title;
  json::object model{{"title", (item->code.empty() ? "" : item->code + " ") + heading},
                     {"code", item->code},
                     {"type", item->type == ItemType::kStatement && !item->type_name.empty()
                                  ? item->type_name
                                  : std::string(ItemTypeLabel(item->type))},
                     {"item_title", item->title},
                     {"text", item->text},
                     {"suite_title", f->title},
                     {"edition", f->edition},
                     {"suite_url", SuiteUrl(*f)},
                     {"uuid", item->uuid},
                     {"nav_suites", true}};
  return HtmlPage(200, "item", std::move(model), ctx);
}

namespace {

// The search a request asks for: q, page, size and any facet filters (repeatable keys).
search::Query QueryFrom(const Request& request) {
  search::Query q;
  q.text = request.Query("q");
  for (const auto& [key, value] : request.query) {
    if (value.empty()) continue;
    const auto& names = search::FacetNames();
    if (std::find(names.begin(), names.end(), key) != names.end()) {
      q.filters.push_back({key, value});
    }
  }
  const auto number = [&](const char* key, int fallback) {
    const std::string v = request.Query(key);
    if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) {
      return fallback;
    }
    return std::stoi(v);
  };
  q.page = std::clamp(number("page", 1), 1, 1000);
  q.size = std::clamp(number("size", 10), 1, 100);
  return q;
}

std::string FacetLabel(const std::string& facet) {
  static const std::map<std::string, std::string> kLabels{
      {"suite", "Suite"},         {"type", "Type of statement"},
      {"occupation", "Occupation (SOC 2020)"}, {"developer", "Developed by"},
      {"validity", "Validity"},   {"category", "Category"}};
  auto it = kLabels.find(facet);
  return it == kLabels.end() ? facet : it->second;
}

std::string SearchUrl(const search::Query& q, int page) {
  std::string url = "/search?q=" + PercentEncode(q.text);
  for (const auto& f : q.filters) url += "&" + f.key + "=" + PercentEncode(f.value);
  if (page > 1) url += "&page=" + std::to_string(page);
  return url;
}

}  // namespace

Response Search(const Context& ctx) {
  const search::Query query = QueryFrom(ctx.request);
  json::object model{{"title", query.text.empty() ? "Search" : "Search: " + query.text},
                     {"query", query.text},
                     {"searched", !query.text.empty() || !query.filters.empty()},
                     {"nav_search", true}};
  if (ctx.index == nullptr) {
    model["message"] = "Search is not available yet: the index is being built. Try again in a moment.";
    return HtmlPage(200, "search", std::move(model), ctx);
  }
  auto results = ctx.index->Search(query);
  if (!results.ok()) {
    if (results.status().code() != Status::Code::kInvalid) throw std::runtime_error(results.status().message());
    model["message"] = results.status().message();
    return HtmlPage(400, "search", std::move(model), ctx);
  }
  const auto newest = NewestFrameworkByUrn(ctx.store);
  json::array hits;
  for (const auto& h : results->hits) {
    Item unit;
    unit.uuid = h.unit_uuid.empty() ? h.uuid : h.unit_uuid;
    unit.unit.urn = h.urn;
    Framework f;
    f.edition = h.framework_edition;
    auto it = newest.find(Lower(h.urn));
    const bool is_newest = it == newest.end() || it->second == h.framework_uuid;
    std::string url = h.urn.empty() ? "/items/" + h.uuid : UnitUrl(unit, f, is_newest);
    const bool statement = h.type != "unit";
    hits.push_back(json::object{
        {"url", url},
        {"urn", h.urn.empty() ? h.code : h.urn},
        {"title", h.title.empty() ? h.text : h.title},
        {"suite", h.framework_title + " (" + h.framework_code + "@" + h.framework_edition + ")"},
        {"statement", statement},
        {"kind", statement ? std::string(ItemTypeLabel(ParseItemType(h.type).value_or(ItemType::kStatement))) : ""},
        {"code", h.code},
        {"snippet", h.snippet}});
  }
  json::array facets;
  for (const auto& name : search::FacetNames()) {
    auto it = results->facets.find(name);
    if (it == results->facets.end() || it->second.empty()) continue;
    json::array values;
    int i = 0;
    for (const auto& v : it->second) {
      const bool checked = std::any_of(query.filters.begin(), query.filters.end(),
                                       [&](const search::Filter& f) {
                                         return f.key == name && f.value == v.value;
                                       });
      values.push_back(json::object{{"value", v.value},
                                    {"count", v.count},
                                    {"checked", checked},
                                    {"id", name + "-" + std::to_string(i++)}});
    }
    facets.push_back(json::object{{"name", name}, {"label", FacetLabel(name)}, {"values", values}});
  }
  const std::int64_t pages = (results->total + query.size - 1) / query.size;
  json::array page_links;
  for (std::int64_t p = std::max<std::int64_t>(1, query.page - 3);
       p <= std::min<std::int64_t>(pages, query.page + 3); ++p) {
    page_links.push_back(json::object{{"number", p},
                                      {"url", SearchUrl(query, static_cast<int>(p))},
                                      {"current", p == query.page}});
  }
  json::array filters;
  for (const auto& f : query.filters) {
    filters.push_back(json::object{{"key", f.key}, {"value", f.value}});
  }
  model["count"] = results->total;
  model["results_word"] = results->total == 1 ? "result" : "results";
  model["results"] = std::move(hits);
  model["has_results"] = !results->hits.empty();
  model["facets"] = facets;
  model["has_facets"] = !facets.empty();
  model["filters"] = std::move(filters);
  model["message"] = results->message;
  model["suggestion"] = results->suggestion;
  model["suggestion_url"] = "/search?q=" + PercentEncode(results->suggestion);
  model["pages"] = std::move(page_links);
  model["has_pages"] = pages > 1;
  model["has_previous"] = query.page > 1;
  model["previous_url"] = SearchUrl(query, query.page - 1);
  model["has_next"] = query.page < pages;
  model["next_url"] = SearchUrl(query, query.page + 1);
  return HtmlPage(200, "search", std::move(model), ctx);
}

Response About(const Context& ctx) {
  return HtmlPage(200, "about", json::object{{"title", "About OpenNOS"}, {"nav_about", true}},
                  ctx);
}

}  // namespace opennos::web::pages
