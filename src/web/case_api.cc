#include "web/case_api.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_set>
#include <variant>

#include "core/uuid.h"
#include "formats/case.h"
#include "web/case_discovery.h"
#include "web/case_query.h"

namespace opennos::web::case_api {
namespace json = boost::json;
namespace {

// What every answer is made with: the CASE version asked for, and options that put this
// server in every URI and give single objects (CFDocumentURI, CFPackageURI) by default.
struct Service {
  CaseVersion version = CaseVersion::k1p1;
  CaseOptions options;
};

// "http://" + the Host header when it looks like a host (a name or address and an optional
// port), else http://localhost: the header is the client's to choose, and goes into URIs.
std::string BaseUrl(const Request& request) {
  const std::string host = request.Header("host");
  const bool plausible =
      !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
      });
  return "http://" + (plausible ? host : std::string("localhost"));
}

std::optional<Service> ServiceFor(const Context& ctx) {
  Service s;
  if (ctx.params.empty()) return std::nullopt;
  if (ctx.params[0] == "v1p1") {
    s.version = CaseVersion::k1p1;
  } else if (ctx.params[0] == "v1p0") {
    s.version = CaseVersion::k1p0;
  } else {
    return std::nullopt;
  }
  s.options.base_url = BaseUrl(ctx.request);
  s.options.version = s.version;
  s.options.package_form = false;
  return s;
}

// ---- failures: the binding's imsx_StatusInfo payload

Response StatusInfo(int http, std::string_view code_minor, const std::string& description) {
  json::object field{{"imsx_codeMinorFieldName", "TargetEndSystem"},
                     {"imsx_codeMinorFieldValue", code_minor}};
  return JsonResponse(
      http, json::object{{"imsx_codeMajor", "failure"},
                         {"imsx_severity", "error"},
                         {"imsx_description", description},
                         {"imsx_codeMinor",
                          json::object{{"imsx_codeMinorField", json::array{std::move(field)}}}}});
}

Response UnknownObject(std::string_view kind, const std::string& id) {
  return StatusInfo(404, "unknownobject",
                    "Unknown Object: no " + std::string(kind) + " has the identifier " + id);
}

Response InvalidUuid(const Service& s, const std::string& id) {
  return StatusInfo(404, s.version == CaseVersion::k1p0 ? "invaliduuid" : "invalid_uuid",
                    "Invalid UUID: \"" + id + "\" is not a UUID");
}

// A store error: a missing object is unknown; anything else is the server's fault.
Response Failure(const Status& status, std::string_view kind, const std::string& id) {
  if (status.code() == Status::Code::kNotFound) return UnknownObject(kind, id);
  return StatusInfo(500, "internal_server_error", status.message());
}

Response NoEndpoint(const Context& ctx) {
  return StatusInfo(404, "unknownobject",
                    "Unknown Object: there is no CASE endpoint at " + ctx.request.path +
                        " (the service is at /ims/case/v1p1/ and /ims/case/v1p0/)");
}

// Runs `body(service, id)` for a route /ims/case/{version}/KIND/{id}, answering here for an
// unknown version or an identifier that is not a UUID.
template <typename Body>
Response WithId(const Context& ctx, Body body) {
  auto s = ServiceFor(ctx);
  if (!s || ctx.params.size() < 2) return NoEndpoint(ctx);
  auto id = CanonicalUuid(ctx.params[1]);
  if (!id) return InvalidUuid(*s, ctx.params[1]);
  return body(*s, *id);
}

// ---- associations

// Whether `o`'s identifier is `id` (canonical), however the object spells its UUID.
bool IdentifierIs(const json::object& o, const std::string& id) {
  const auto* identifier = o.if_contains("identifier");
  if (identifier == nullptr || !identifier->is_string()) return false;
  const auto canonical = CanonicalUuid(identifier->get_string());
  return canonical ? *canonical == id : identifier->get_string() == id;
}

bool EndIs(const json::object& association, const std::string& id) {
  for (const char* end : {"originNodeURI", "destinationNodeURI"}) {
    const auto* node = association.if_contains(end);
    if (node != nullptr && node->is_object() && IdentifierIs(node->get_object(), id)) return true;
  }
  return false;
}

// `doc` cut down to `associations` and the items they and `items` need (both ends; an item's
// own isChildOf needs its parent). Its associations render as the whole framework's would,
// without rendering everything to pick a few. Items keep their order.
FrameworkDoc Slice(const FrameworkDoc& doc, std::unordered_set<std::string> items,
                   std::vector<opennos::Association> associations) {
  for (const opennos::Association& a : associations) {
    items.insert(a.origin.uuid);
    items.insert(a.destination.uuid);
  }
  FrameworkDoc slice;
  slice.framework = doc.framework;
  for (const opennos::Item& item : doc.items) {
    if (items.count(item.uuid)) slice.items.push_back(item);
  }
  slice.associations = std::move(associations);
  return slice;
}

// The rendered associations of `slice` that `keep` accepts.
template <typename Keep>
void AppendRendered(const FrameworkDoc& slice, const CaseOptions& o, Keep keep, json::array& out) {
  for (auto& a : CaseAssociationsJson(slice, o)) {
    if (keep(a.as_object())) out.push_back(std::move(a));
  }
}

// Every association of framework `doc` with the item `id` at either end: the item's isChildOf,
// its children's, and those the framework states.
json::array AssociationsAt(const FrameworkDoc& doc, const std::string& id, const CaseOptions& o) {
  std::unordered_set<std::string> items{id};
  std::vector<opennos::Association> stated;
  for (const opennos::Item& item : doc.items) {
    if (item.uuid == id && !item.parent_uuid.empty()) items.insert(item.parent_uuid);
    if (item.parent_uuid == id) items.insert(item.uuid);
  }
  for (const opennos::Association& a : doc.associations) {
    if (a.origin.uuid == id || a.destination.uuid == id) stated.push_back(a);
  }
  json::array out;
  AppendRendered(
      Slice(doc, std::move(items), std::move(stated)), o,
      [&](const json::object& a) { return EndIs(a, id); }, out);
  return out;
}

// The association `id` if the store holds it as one (not a tree association): found through
// its revisions, which name its framework.
Result<std::optional<json::object>> StoredAssociation(Store& store, const std::string& id,
                                                      const CaseOptions& o) {
  auto history = store.History(id);
  if (!history.ok()) return history.status();
  if (history->empty() || history->back().entity != "association" ||
      history->back().after.empty()) {
    return std::optional<json::object>();
  }
  auto doc = store.LoadFramework(history->back().framework_uuid);
  if (!doc.ok()) return doc.status();
  for (const opennos::Association& a : doc->associations) {
    if (a.uuid != id) continue;
    json::array found;
    AppendRendered(
        Slice(*doc, {}, {a}), o, [&](const json::object& r) { return IdentifierIs(r, id); }, found);
    if (!found.empty()) return std::optional<json::object>(found.front().as_object());
  }
  return std::optional<json::object>();
}

// The tree (isChildOf) association `id`. The tree is not stored as associations: the store
// finds the item whose tree association has this identifier (an index lookup), and it is
// rendered from that item and its parent.
Result<std::optional<json::object>> TreeAssociation(Store& store, const std::string& id,
                                                    const CaseOptions& o) {
  auto item = store.ItemWithChildOf(id);
  if (!item.ok()) {
    if (item.status().code() == Status::Code::kNotFound) return std::optional<json::object>();
    return item.status();
  }
  auto doc = store.LoadFramework(item->framework_uuid);
  if (!doc.ok()) return doc.status();
  std::unordered_set<std::string> needed{item->uuid};
  if (!item->parent_uuid.empty()) needed.insert(item->parent_uuid);
  json::array found;
  AppendRendered(
      Slice(*doc, std::move(needed), {}), o,
      [&](const json::object& a) { return IdentifierIs(a, id); }, found);
  if (found.empty()) return std::optional<json::object>();
  return std::optional<json::object>(found.front().as_object());
}

// ---- definitions and rubrics, kept from imported packages in Framework::extra["case"]

// v1.0 definitions and rubrics have no extensions at any level.
void DropExtensions(json::value& v) {
  if (v.is_array()) {
    for (auto& e : v.as_array()) DropExtensions(e);
  } else if (v.is_object()) {
    v.as_object().stable_erase("extensions");
    for (auto& kv : v.as_object()) DropExtensions(kv.value());
  }
}

// The array at extra["case"][path...] of a framework, if there is one.
std::optional<json::array> KeptList(const opennos::Framework& f,
                                    std::initializer_list<std::string_view> path) {
  if (f.extra.empty()) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(f.extra, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::value* at = v.get_object().if_contains("case");
  for (auto key : path) {
    if (at == nullptr || !at->is_object()) return std::nullopt;
    at = at->get_object().if_contains(key);
  }
  if (at == nullptr || !at->is_array()) return std::nullopt;
  return at->get_array();
}

struct Found {
  json::object object;
  json::array siblings;  // every object of the same kind in the same framework, itself included
};

// The first object with identifier `id` in any framework's kept list at `path`, frameworks
// in the store's order.
Result<std::optional<Found>> FindKept(Store& store, std::initializer_list<std::string_view> path,
                                      const std::string& id) {
  auto list = store.ListFrameworks();
  if (!list.ok()) return list.status();
  for (const auto& summary : *list) {
    auto kept = KeptList(summary.framework, path);
    if (!kept) continue;
    for (const auto& v : *kept) {
      if (v.is_object() && IdentifierIs(v.get_object(), id)) {
        return std::optional<Found>(Found{v.get_object(), std::move(*kept)});
      }
    }
  }
  return std::optional<Found>();
}

std::string HierarchyCode(const json::value& v) {
  const auto* code = v.is_object() ? v.get_object().if_contains("hierarchyCode") : nullptr;
  return code != nullptr && code->is_string() ? std::string(code->get_string()) : std::string();
}

// A definition and its children: those whose hierarchyCode is its own plus one more
// dot-separated part ("1.2" under "1").
json::array WithChildren(const Found& found) {
  json::array out{found.object};
  const std::string code = HierarchyCode(found.object);
  if (code.empty()) return out;
  for (const auto& v : found.siblings) {
    const std::string child = HierarchyCode(v);
    if (child.size() > code.size() + 1 && child.compare(0, code.size() + 1, code + ".") == 0 &&
        child.find('.', code.size() + 1) == std::string::npos) {
      out.push_back(v);
    }
  }
  return out;
}

// CFLicenses/{id} and the like: one kept definition; `set` names the list key of a Set
// answer (CFConcepts ...) that also carries the children, or is empty for a lone object.
Response Kept(const Context& ctx, std::initializer_list<std::string_view> path,
              std::string_view kind, std::string_view set) {
  return WithId(ctx, [&](const Service& s, const std::string& id) {
    auto found = FindKept(ctx.store, path, id);
    if (!found.ok()) return Failure(found.status(), kind, id);
    if (!*found) return UnknownObject(kind, id);
    json::value body = set.empty() ? json::value((*found)->object)
                                   : json::value(json::object{{set, WithChildren(**found)}});
    if (s.version == CaseVersion::k1p0) DropExtensions(body);
    return JsonResponse(200, body);
  });
}

// ---- the CFDocuments query

case_query::RecordFields DocumentFields(CaseVersion v) {
  case_query::RecordFields f;
  f.names = {
      "identifier",        "uri",       "creator",        "title",           "lastChangeDateTime",
      "officialSourceURL", "publisher", "description",    "subject",         "subjectURI",
      "language",          "version",   "adoptionStatus", "statusStartDate", "statusEndDate",
      "licenseURI",        "notes",     "CFPackageURI"};
  f.objects = {"subjectURI", "licenseURI", "CFPackageURI"};
  if (v == CaseVersion::k1p1) {
    for (std::string_view name : {"frameworkType", "caseVersion", "extensions"}) {
      f.names.push_back(name);
    }
    f.objects.push_back("extensions");
  }
  return f;
}

FrameworkDoc RecordOnly(const opennos::Framework& f) {
  // The document and item objects need only the framework record, not its items.
  FrameworkDoc doc;
  doc.framework = f;
  return doc;
}

}  // namespace

Response Documents(const Context& ctx) {
  auto s = ServiceFor(ctx);
  if (!s) return NoEndpoint(ctx);
  auto parsed = case_query::ParseListQuery(ctx.request, DocumentFields(s->version));
  if (const auto* error = std::get_if<case_query::QueryError>(&parsed)) {
    return StatusInfo(400, error->code_minor, error->description);
  }
  const auto& query = std::get<case_query::ListQuery>(parsed);
  auto list = ctx.store.ListFrameworks();
  if (!list.ok()) return StatusInfo(500, "internal_server_error", list.status().message());
  std::vector<json::object> records;
  for (const auto& summary : *list) {
    records.push_back(CaseDocumentJson(RecordOnly(summary.framework), s->options));
  }
  records = case_query::FilterAndSort(std::move(records), query);
  json::array page;
  for (size_t i = query.offset; i < records.size() && i - query.offset < query.limit; ++i) {
    page.push_back(case_query::SelectFields(records[i], query.fields));
  }
  Response r = JsonResponse(200, json::object{{"CFDocuments", std::move(page)}});
  r.Set("X-Total-Count", std::to_string(records.size()));
  r.Set("Link", case_query::PageLinks(s->options.base_url, ctx.request, query, records.size()));
  return r;
}

Response Document(const Context& ctx) {
  return WithId(ctx, [&](const Service& s, const std::string& id) {
    auto f = ctx.store.GetFramework(id);
    if (!f.ok()) return Failure(f.status(), "CFDocument", id);
    return JsonResponse(200, CaseDocumentJson(RecordOnly(*f), s.options));
  });
}

Response Package(const Context& ctx) {
  return WithId(ctx, [&](const Service& s, const std::string& id) {
    auto doc = ctx.store.LoadFramework(id);
    if (!doc.ok()) return Failure(doc.status(), "CFPackage", id);
    CaseOptions o = s.options;
    o.package_form = true;
    return JsonResponse(200, CasePackageJson(*doc, o));
  });
}

Response Item(const Context& ctx) {
  return WithId(ctx, [&](const Service& s, const std::string& id) {
    auto item = ctx.store.GetItem(id);
    if (!item.ok()) return Failure(item.status(), "CFItem", id);
    auto f = ctx.store.GetFramework(item->framework_uuid);
    if (!f.ok()) return Failure(f.status(), "CFItem", id);
    return JsonResponse(200, CaseItemJson(RecordOnly(*f), *item, s.options));
  });
}

Response ItemAssociations(const Context& ctx) {
  return WithId(ctx, [&](const Service& s, const std::string& id) {
    auto item = ctx.store.GetItem(id);
    if (!item.ok()) return Failure(item.status(), "CFItem", id);
    auto doc = ctx.store.LoadFramework(item->framework_uuid);
    if (!doc.ok()) return Failure(doc.status(), "CFItem", id);
    json::array associations = AssociationsAt(*doc, id, s.options);
    // Associations other frameworks state about the item, each rendered in its framework.
    auto others = ctx.store.AssociationsOf(id);
    if (!others.ok()) return Failure(others.status(), "CFItem", id);
    std::vector<std::string> frameworks;
    for (const opennos::Association& a : *others) {
      if (a.framework_uuid != item->framework_uuid &&
          std::find(frameworks.begin(), frameworks.end(), a.framework_uuid) == frameworks.end()) {
        frameworks.push_back(a.framework_uuid);
      }
    }
    for (const std::string& framework : frameworks) {
      auto other = ctx.store.LoadFramework(framework);
      if (!other.ok()) return Failure(other.status(), "CFDocument", framework);
      for (auto& a : AssociationsAt(*other, id, s.options)) associations.push_back(std::move(a));
    }
    return JsonResponse(200, json::object{{"CFItem", CaseItemJson(*doc, *item, s.options)},
                                          {"CFAssociations", std::move(associations)}});
  });
}

Response Association(const Context& ctx) {
  return WithId(ctx, [&](const Service& s, const std::string& id) {
    auto stored = StoredAssociation(ctx.store, id, s.options);
    if (!stored.ok()) return Failure(stored.status(), "CFAssociation", id);
    if (*stored) return JsonResponse(200, **stored);
    auto tree = TreeAssociation(ctx.store, id, s.options);
    if (!tree.ok()) return Failure(tree.status(), "CFAssociation", id);
    if (*tree) return JsonResponse(200, **tree);
    return UnknownObject("CFAssociation", id);
  });
}

Response AssociationGrouping(const Context& ctx) {
  return Kept(ctx, {"CFDefinitions", "CFAssociationGroupings"}, "CFAssociationGrouping", "");
}

Response Concept(const Context& ctx) {
  return Kept(ctx, {"CFDefinitions", "CFConcepts"}, "CFConcept", "CFConcepts");
}

Response ItemType(const Context& ctx) {
  return Kept(ctx, {"CFDefinitions", "CFItemTypes"}, "CFItemType", "CFItemTypes");
}

Response License(const Context& ctx) {
  return Kept(ctx, {"CFDefinitions", "CFLicenses"}, "CFLicense", "");
}

Response Subject(const Context& ctx) {
  return Kept(ctx, {"CFDefinitions", "CFSubjects"}, "CFSubject", "CFSubjects");
}

Response Rubric(const Context& ctx) { return Kept(ctx, {"CFRubrics"}, "CFRubric", ""); }

Response Discovery(const Context& ctx) {
  auto s = ServiceFor(ctx);
  if (!s || ctx.params.size() < 2 || ctx.params[1] != CaseDiscoveryFileName(s->version)) {
    return NoEndpoint(ctx);
  }
  return JsonResponse(200, CaseDiscoveryDocument(s->version, s->options.base_url));
}

Response Unknown(const Context& ctx) { return NoEndpoint(ctx); }

}  // namespace opennos::web::case_api
