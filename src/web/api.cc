#include "web/api.h"

#include <unordered_map>

#include "app/resources.h"
#include "core/codec.h"
#include "core/uuid.h"
#include "search/results_json.h"
#include "web/authoring_access.h"
#include "web/authoring_api.h"
#include "web/lookup.h"

namespace opennos::web::api {
namespace json = boost::json;
namespace {

Response Fail(const Status& s) { return JsonError(HttpStatusOf(s), s.message()); }

// The framework a URL names, from the public view; or a draft, for someone who may read it.
Result<FrameworkDoc> LoadReadable(const Context& ctx, const std::string& name) {
  auto doc = LoadFrameworkNamed(ctx.store, name);
  if (doc.ok() || doc.status().code() != Status::Code::kNotFound || ctx.full_store == nullptr) {
    return doc;
  }
  auto full = LoadFrameworkNamed(*ctx.full_store, name);
  if (!full.ok() || IsPublic(full->framework) || Refuse(ctx, Need::kRead, &full->framework)) {
    return doc;
  }
  return full;
}

json::object FrameworkJson(const FrameworkSummary& s) {
  json::object o = FrameworkToJson(s.framework);
  o["units"] = s.units;
  o["statements"] = s.statements;
  return o;
}

json::object ItemBrief(const opennos::Item& item) {
  json::object o{{"uuid", item.uuid}, {"type", ItemTypeName(item.type)}};
  if (!item.code.empty()) o["code"] = item.code;
  if (!item.unit.urn.empty()) o["urn"] = item.unit.urn;
  o["title"] = item.title.empty() ? item.text : item.title;
  return o;
}

json::object FrameworkRef(const opennos::Framework& f) {
  return json::object{{"uuid", f.uuid}, {"code", f.code}, {"edition", f.edition}};
}

// The item's own JSON plus its framework, parent and children.
json::object ItemDetail(const FrameworkDoc& doc, const opennos::Item& item) {
  json::object o = ItemToJson(item);
  o["revision"] = item.revision;
  o["framework"] = FrameworkRef(doc.framework);
  o["parent"] = item.parent_uuid.empty() ? json::value(nullptr) : json::value(item.parent_uuid);
  o["position"] = item.position;
  json::array children;
  for (const opennos::Item& c : doc.items) {
    if (c.parent_uuid == item.uuid) children.push_back(ItemToJson(c));
  }
  o["children"] = std::move(children);
  return o;
}

json::array AssociationsJson(const std::vector<Association>& list) {
  json::array out;
  for (const Association& a : list) {
    json::object o = AssociationToJson(a, "");
    o["framework"] = a.framework_uuid;
    out.push_back(std::move(o));
  }
  return out;
}

json::array TreeJson(const FrameworkDoc& doc) {
  std::unordered_map<std::string, std::vector<size_t>> children;
  for (size_t i = 0; i < doc.items.size(); ++i) children[doc.items[i].parent_uuid].push_back(i);
  std::function<json::array(const std::string&)> build = [&](const std::string& parent) {
    json::array list;
    for (size_t i : children[parent]) {
      json::object o = ItemToJson(doc.items[i]);
      o["children"] = build(doc.items[i].uuid);
      list.push_back(std::move(o));
    }
    return list;
  };
  return build("");
}

}  // namespace

Response OpenApi(const Context&) {
  for (const Resource& r : StaticResources()) {
    if (r.name == "openapi.json") {
      return Response{200, {{"Content-Type", "application/json"}}, std::string(r.data)};
    }
  }
  return JsonError(404, "no OpenAPI document in this build");
}

Response Frameworks(const Context& ctx) {
  auto list = ctx.store.ListFrameworks();
  if (!list.ok()) return Fail(list.status());
  json::array frameworks;
  for (const auto& s : *list) {
    const opennos::Framework& f = s.framework;
    frameworks.push_back(json::object{{"uuid", f.uuid},
                                      {"code", f.code},
                                      {"edition", f.edition},
                                      {"title", f.title},
                                      {"status", FrameworkStatusName(f.status)},
                                      {"units", s.units},
                                      {"statements", s.statements}});
  }
  return JsonResponse(200, json::object{{"frameworks", std::move(frameworks)}});
}

Response Framework(const Context& ctx) {
  auto uuid = ResolveFramework(ctx.store, ctx.params[0]);
  if (!uuid.ok()) return Fail(uuid.status());
  auto list = ctx.store.ListFrameworks();
  if (!list.ok()) return Fail(list.status());
  for (const auto& s : *list) {
    if (s.framework.uuid == *uuid) return JsonResponse(200, FrameworkJson(s));
  }
  return JsonError(404, "no framework \"" + ctx.params[0] + "\"");
}

Response Tree(const Context& ctx) {
  auto doc = LoadReadable(ctx, ctx.params[0]);
  if (!doc.ok()) return Fail(doc.status());
  return JsonResponse(200, json::object{{"framework", FrameworkRef(doc->framework)},
                                        {"items", TreeJson(*doc)}});
}

Response FrameworkAssociations(const Context& ctx) {
  auto doc = LoadFrameworkNamed(ctx.store, ctx.params[0]);
  if (!doc.ok()) return Fail(doc.status());
  return JsonResponse(200, json::object{{"framework", FrameworkRef(doc->framework)},
                                        {"associations", AssociationsJson(doc->associations)}});
}

Response Item(const Context& ctx) {
  auto uuid = CanonicalUuid(ctx.params[0]);
  if (!uuid) return JsonError(400, "\"" + ctx.params[0] + "\" is not a UUID");
  auto item = ctx.store.GetItem(*uuid);
  if (!item.ok() && item.status().code() == Status::Code::kNotFound && ctx.full_store != nullptr) {
    auto hidden = ctx.full_store->GetItem(*uuid);  // a draft's item, for those who may read it
    if (hidden.ok()) {
      auto doc = LoadReadable(ctx, hidden->framework_uuid);
      if (doc.ok()) {
        Response r = JsonResponse(200, ItemDetail(*doc, *hidden));
        r.Set("ETag", authoring_api::RevisionEtag(hidden->revision));
        return r;
      }
    }
  }
  if (!item.ok()) return Fail(item.status());
  auto doc = ctx.store.LoadFramework(item->framework_uuid);
  if (!doc.ok()) return Fail(doc.status());
  // The ETag is the item's own revision, which writers send back in If-Match.
  Response r = JsonResponse(200, ItemDetail(*doc, *item));
  r.Set("ETag", authoring_api::RevisionEtag(item->revision));
  return r;
}

Response ItemAssociations(const Context& ctx) {
  auto uuid = CanonicalUuid(ctx.params[0]);
  if (!uuid) return JsonError(400, "\"" + ctx.params[0] + "\" is not a UUID");
  auto item = ctx.store.GetItem(*uuid);
  if (!item.ok()) return Fail(item.status());
  auto list = ctx.store.AssociationsOf(*uuid);
  if (!list.ok()) return Fail(list.status());
  return JsonResponse(200, json::object{{"item", ItemBrief(*item)},
                                        {"associations", AssociationsJson(*list)}});
}

Response Unit(const Context& ctx) {
  std::vector<opennos::Item> others;
  auto unit = FindUnit(ctx.store, ctx.params[0], ctx.request.Query("edition"), &others);
  if (!unit.ok()) return Fail(unit.status());
  auto doc = ctx.store.LoadFramework(unit->framework_uuid);
  if (!doc.ok()) return Fail(doc.status());
  json::object o = ItemDetail(*doc, *unit);
  json::array versions;
  for (const auto& other : others) {
    auto f = ctx.store.GetFramework(other.framework_uuid);
    if (!f.ok()) continue;
    json::object v = ItemBrief(other);
    v["version"] = other.unit.version;
    v["framework"] = FrameworkRef(*f);
    versions.push_back(std::move(v));
  }
  o["otherVersions"] = std::move(versions);
  return JsonResponse(200, o);
}

Response Search(const Context& ctx) {
  search::Query q;
  q.text = ctx.request.Query("q");
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "q" || key == "page" || key == "size") continue;
    if (key == "facets" || key == "snippets") {
      if (value != "true" && value != "false") {
        return JsonError(400, key + " must be true or false");
      }
      (key == "facets" ? q.facets : q.snippets) = value == "true";
      continue;
    }
    const auto& names = search::FacetNames();
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      return JsonError(400, "unknown parameter \"" + key + "\" (use q, page, size, facets, "
                                "snippets, or a facet: suite, type, occupation, developer, "
                                "validity, category)");
    }
    q.filters.push_back({key, value});
  }
  for (const auto& [key, target, low, high] :
       {std::tuple{"page", &q.page, 1, 1000}, std::tuple{"size", &q.size, 1, 100}}) {
    const std::string v = ctx.request.Query(key);
    if (v.empty()) continue;
    if (v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(v) < low || std::stoi(v) > high) {
      return JsonError(400, std::string(key) + " must be a whole number from " +
                                std::to_string(low) + " to " + std::to_string(high));
    }
    *target = std::stoi(v);
  }
  if (ctx.index == nullptr) {
    return JsonError(503, "the search index is not available yet; try again in a moment");
  }
  auto results = ctx.index->Search(q);
  if (!results.ok()) return Fail(results.status());
  return JsonResponse(200, search::ResultsToJson(*results));
}

}  // namespace opennos::web::api
