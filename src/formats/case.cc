#include "formats/case.h"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "core/codec.h"
#include "core/json_util.h"
#include "core/uuid.h"
#include "formats/case_internal.h"

namespace opennos {
namespace json = boost::json;
namespace case_detail {

// The properties the official v1.1 package schema allows on each object; anything else a
// package brings is written back under extensions["opennos.unmapped"].
const std::unordered_set<std::string_view> kDocumentKeys{
    "identifier", "uri", "frameworkType", "caseVersion", "creator", "title",
    "lastChangeDateTime", "officialSourceURL", "publisher", "description", "subject",
    "subjectURI", "language", "version", "adoptionStatus", "statusStartDate", "statusEndDate",
    "licenseURI", "notes", "extensions", "CFPackageURI"};
const std::unordered_set<std::string_view> kItemKeys{
    "identifier", "fullStatement", "alternativeLabel", "CFItemType", "uri", "humanCodingScheme",
    "listEnumeration", "abbreviatedStatement", "conceptKeywords", "conceptKeywordsURI", "notes",
    "subject", "subjectURI", "language", "educationLevel", "CFItemTypeURI", "licenseURI",
    "statusStartDate", "statusEndDate", "lastChangeDateTime", "extensions", "CFDocumentURI"};
const std::unordered_set<std::string_view> kTopLevelKeys{
    "CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics", "extensions"};
const std::unordered_set<std::string_view> kAssociationKeys{
    "identifier", "associationType", "sequenceNumber", "uri", "originNodeURI",
    "destinationNodeURI", "CFAssociationGroupingURI", "lastChangeDateTime", "notes",
    "extensions", "CFDocumentURI"};
// Properties v1.0 lacks, dropped from a v1.0 export.
const std::unordered_set<std::string_view> kNotInV1p0Document{"frameworkType", "caseVersion",
                                                              "extensions"};
const std::unordered_set<std::string_view> kNotInV1p0Item{"subject", "subjectURI", "extensions"};
const std::unordered_set<std::string_view> kNotInV1p0Association{"notes", "extensions"};

std::string Str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

const char* VersionPath(CaseVersion v) { return v == CaseVersion::k1p0 ? "v1p0" : "v1p1"; }

std::string Uri(const CaseOptions& o, std::string_view kind, const std::string& id) {
  return o.base_url + "/ims/case/" + VersionPath(o.version) + "/" + std::string(kind) + "/" + id;
}

bool IsUri(std::string_view got, const CaseOptions& o, std::string_view kind,
           std::string_view id) {
  const std::string_view parts[] = {o.base_url, "/ims/case/", VersionPath(o.version), "/",
                                    kind,       "/",          id};
  for (const std::string_view part : parts) {
    if (got.substr(0, part.size()) != part) return false;
    got.remove_prefix(part.size());
  }
  return got.empty();
}

json::object Link(const std::string& title, const std::string& id, const std::string& uri) {
  return json::object{{"title", title}, {"identifier", id}, {"uri", uri}};
}

// A CASE dateTime for a framework with no timestamp of its own: its publication date.
std::string ChangeTime(const Framework& f) {
  return (f.published.empty() ? std::string("2000-01-01") : f.published) + "T00:00:00+00:00";
}

// Whether `v` is the string ChangeTime(f), without building it.
bool IsChangeTime(const json::value& v, const Framework& f) {
  if (!v.is_string()) return false;
  const std::string_view got = v.get_string();
  const std::string_view date = f.published.empty() ? std::string_view("2000-01-01") : f.published;
  return got.size() == date.size() + 15 && got.substr(0, date.size()) == date &&
         got.substr(date.size()) == "T00:00:00+00:00";
}

std::string_view AdoptionStatus(FrameworkStatus s) {
  switch (s) {
    case FrameworkStatus::kDraft:
    case FrameworkStatus::kConsultation:
      return "Draft";
    case FrameworkStatus::kApproved:
      return "Adopted";
    case FrameworkStatus::kSuperseded:
    case FrameworkStatus::kWithdrawn:
      break;
  }
  return "Deprecated";
}

FrameworkStatus StatusFromAdoption(const std::string& s) {
  if (s == "Draft" || s == "Private Draft") return FrameworkStatus::kDraft;
  if (s == "Deprecated") return FrameworkStatus::kSuperseded;
  return FrameworkStatus::kApproved;
}

std::string_view NodeTitleView(const Item& item) {
  if (!item.code.empty()) return item.code;
  if (!item.title.empty()) return item.title;
  // At most 60 bytes, never cutting a UTF-8 character in two.
  size_t n = std::min<size_t>(item.text.size(), 60);
  while (n > 0 && n < item.text.size() && (static_cast<unsigned char>(item.text[n]) & 0xC0) == 0x80) --n;
  return std::string_view(item.text).substr(0, n);
}

std::string NodeTitle(const Item& item) { return std::string(NodeTitleView(item)); }

// Fields the model owns: a value kept from the package fills them only when the model has
// none (an empty description, say), so an edit made in OpenNOS is never overridden.
const std::unordered_set<std::string_view> kModelOwned{
    "identifier", "title", "description", "language", "version", "fullStatement",
    "abbreviatedStatement", "humanCodingScheme"};

// Writes `overlay`'s keys over `base` (in place when present, appended when new).
void Overlay(json::object& base, const json::object& overlay) {
  for (const auto& kv : overlay) {
    if (kModelOwned.count(kv.key()) && base.contains(kv.key())) continue;
    base[kv.key()] = kv.value();
  }
}

// Keeps in `kept` the keys of `raw` whose value differs from what the writer derives; those
// are what a package knows beyond the model.
json::object NotDerivable(const json::object& raw, const json::object& derived,
                          const std::unordered_set<std::string_view>& owned) {
  json::object kept;
  for (const auto& kv : raw) {
    if (owned.count(kv.key())) continue;
    const auto* d = derived.if_contains(kv.key());
    if (d != nullptr && *d == kv.value()) continue;
    kept[kv.key()] = kv.value();
  }
  return kept;
}

// Moves keys outside the schema into extensions["opennos.unmapped"].
void MoveUnmapped(json::object& o, const std::unordered_set<std::string_view>& allowed) {
  json::object unmapped;
  for (auto it = o.begin(); it != o.end();) {
    if (allowed.count(it->key())) {
      ++it;
      continue;
    }
    unmapped[it->key()] = it->value();
    it = o.stable_erase(it);
  }
  if (unmapped.empty()) return;
  auto& ext = o["extensions"];
  if (!ext.is_object()) ext = json::object();
  auto& slot = ext.as_object()[kUnmapped];
  if (slot.is_object()) {
    Overlay(slot.as_object(), unmapped);
  } else {
    slot = std::move(unmapped);
  }
}

// Puts a moved-away unmapped object back at the top level, as the package first had it.
void RestoreUnmapped(json::object& o) {
  auto* ext = o.if_contains("extensions");
  if (ext == nullptr || !ext->is_object()) return;
  auto* unmapped = ext->as_object().if_contains(kUnmapped);
  if (unmapped == nullptr || !unmapped->is_object()) return;
  json::object moved = unmapped->as_object();
  ext->as_object().stable_erase(kUnmapped);
  if (ext->as_object().empty()) o.stable_erase("extensions");
  for (const auto& kv : moved) {
    if (!o.contains(kv.key())) o[kv.key()] = kv.value();
  }
}

json::object CaseExtra(const std::string& extra) {
  if (extra.empty()) return {};
  json::value v = json::parse(extra);
  auto* c = v.as_object().if_contains("case");
  return c != nullptr && c->is_object() ? c->as_object() : json::object();
}

json::object OwnExtra(const std::string& extra) {
  if (extra.empty()) return {};
  json::object own = json::parse(extra).as_object();
  own.stable_erase("case");
  return own;
}

std::string UriNodeIdentifier(const std::string& uri) {
  return NameUuid(OpenNosNamespace(), "node-uri:" + uri);
}

json::object SubObject(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? v->as_object() : json::object();
}

const json::object* FindObject(const json::object* o, std::string_view key) {
  if (o == nullptr) return nullptr;
  const auto* v = o->if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

// ---- writing ----

json::object DerivedDocument(const Framework& f, const CaseOptions& o) {
  json::object d{{"identifier", f.uuid},
                 {"uri", Uri(o, "CFDocuments", f.uuid)},
                 {"creator", f.publisher.empty() ? "OpenNOS" : f.publisher},
                 {"title", f.title},
                 {"lastChangeDateTime", ChangeTime(f)}};
  if (!f.publisher.empty()) d["publisher"] = f.publisher;
  if (!f.description.empty()) d["description"] = f.description;
  if (!f.language.empty()) d["language"] = f.language;
  d["version"] = f.edition;
  d["adoptionStatus"] = AdoptionStatus(f.status);
  if (!f.published.empty()) d["statusStartDate"] = f.published;
  if (!f.review.empty()) d["statusEndDate"] = f.review;
  json::object nos{{"code", f.code}, {"edition", f.edition},
                   {"status", FrameworkStatusName(f.status)}};
  if (!f.key_purpose.empty()) nos["keyPurpose"] = f.key_purpose;
  if (!f.licence.empty()) nos["licence"] = f.licence;
  if (!f.published.empty()) nos["published"] = f.published;
  if (!f.review.empty()) nos["review"] = f.review;
  if (!f.previous_edition.empty()) nos["previousEdition"] = f.previous_edition;
  if (!f.translation_note.empty()) nos["translationNote"] = f.translation_note;
  if (!f.publisher.empty()) nos["publisher"] = f.publisher;
  if (json::object own = OwnExtra(f.extra); !own.empty()) nos["extra"] = std::move(own);
  d["extensions"] = json::object{{"opennos", std::move(nos)}};
  return d;
}

json::object DerivedItem(const Framework& f, const Item& item, const CaseOptions& o) {
  json::object d{{"identifier", item.uuid},
                 {"uri", Uri(o, "CFItems", item.uuid)},
                 {"fullStatement", item.text.empty() ? item.title : item.text}};
  if (!item.title.empty()) d["abbreviatedStatement"] = item.title;
  if (!item.code.empty()) d["humanCodingScheme"] = item.code;
  d["CFItemType"] = item.type_name.empty() ? std::string(CaseItemTypeName(item.type))
                                           : item.type_name;
  if (item.type == ItemType::kUnit && !item.unit.keywords.empty()) {
    json::array k;
    for (const auto& s : item.unit.keywords) k.emplace_back(s);
    d["conceptKeywords"] = std::move(k);
  }
  d["lastChangeDateTime"] = ChangeTime(f);
  // Everything CASE has no place for: the NOS type and unit fields, Welsh text.
  json::object nos = ItemToJson(item);
  for (const char* k :
       {"uuid", "code", "title", "text", "typeName", "extra", "keywords", "childOfUuid"}) {
    nos.stable_erase(k);
  }
  if (item.text.empty()) nos["fullStatementIsTitle"] = true;
  if (json::object own = OwnExtra(item.extra); !own.empty()) nos["extra"] = std::move(own);
  d["extensions"] = json::object{{"opennos", std::move(nos)}};
  return d;
}

std::string DerivedChildOfIdentifier(const Item& item) { return DerivedChildOfUuid(item.uuid); }

std::string ChildOfIdentifier(const Item& item) { return ChildOfUuid(item); }

json::object DerivedChildOf(const FrameworkDoc& doc, const Item& item, const Item* parent,
                            const CaseOptions& o) {
  const std::string id = ChildOfIdentifier(item);
  json::object destination =
      parent != nullptr
          ? Link(NodeTitle(*parent), parent->uuid, Uri(o, "CFItems", parent->uuid))
          : Link(doc.framework.title, doc.framework.uuid,
                 Uri(o, "CFDocuments", doc.framework.uuid));
  return json::object{
      {"identifier", id},
      {"associationType", "isChildOf"},
      {"sequenceNumber", item.position + 1},
      {"uri", Uri(o, "CFAssociations", id)},
      {"originNodeURI", Link(NodeTitle(item), item.uuid, Uri(o, "CFItems", item.uuid))},
      {"destinationNodeURI", std::move(destination)},
      {"lastChangeDateTime", ChangeTime(doc.framework)}};
}

namespace {

// Whether `v` is the node link {title, identifier, uri} with these values.
// (`uri` is Uri(o, kind, id)).
bool IsLink(const json::value& v, std::string_view title, std::string_view id,
            const CaseOptions& o, std::string_view kind) {
  if (!v.is_object() || v.get_object().size() != 3) return false;
  const json::object& l = v.get_object();
  const auto string = [&](std::string_view key) -> const json::string* {
    const auto* got = l.if_contains(key);
    return got != nullptr && got->is_string() ? &got->get_string() : nullptr;
  };
  const json::string* t = string("title");
  const json::string* i = string("identifier");
  const json::string* u = string("uri");
  return t != nullptr && *t == title && i != nullptr && *i == id && u != nullptr &&
         IsUri(*u, o, kind, id);
}

}  // namespace

json::object NotDerivableItem(const json::object& raw, const Framework& f, const Item& item,
                              const CaseOptions& o) {
  json::object kept;
  const auto is = [](const json::value& v, const std::string& want) {
    return !want.empty() && v.is_string() && v.get_string() == want;
  };
  for (const auto& kv : raw) {
    const std::string_view key = kv.key();
    const json::value& v = kv.value();
    if (key == "identifier" || key == "CFItemType" || key == "CFDocumentURI") continue;
    bool derivable = false;
    if (key == "uri") {
      derivable = v.is_string() && IsUri(v.get_string(), o, "CFItems", item.uuid);
    } else if (key == "fullStatement") {
      derivable = v.is_string() && v.get_string() == (item.text.empty() ? item.title : item.text);
    } else if (key == "abbreviatedStatement") {
      derivable = is(v, item.title);
    } else if (key == "humanCodingScheme") {
      derivable = is(v, item.code);
    } else if (key == "lastChangeDateTime") {
      derivable = IsChangeTime(v, f);
    } else if (key == "conceptKeywords" && item.type == ItemType::kUnit &&
               !item.unit.keywords.empty() && v.is_array()) {
      const json::array& words = v.get_array();
      derivable = words.size() == item.unit.keywords.size() &&
                  std::equal(words.begin(), words.end(), item.unit.keywords.begin(),
                             [](const json::value& w, const std::string& k) {
                               return w.is_string() && w.get_string() == k;
                             });
    }
    if (!derivable) kept[key] = v;
  }
  return kept;
}

json::object NotDerivableChildOf(const json::object& raw, const std::string& identifier,
                                 const FrameworkDoc& doc, const Item& item, const Item* parent,
                                 bool sequence_given, const CaseOptions& o) {
  json::object kept;
  for (const auto& kv : raw) {
    const std::string_view key = kv.key();
    const json::value& v = kv.value();
    if (key == "identifier" || key == "associationType" || key == "CFDocumentURI") continue;
    bool derivable = false;
    if (key == "sequenceNumber") {
      derivable = sequence_given;  // compared with the position once the tree is built
    } else if (key == "uri") {
      derivable = v.is_string() && IsUri(v.get_string(), o, "CFAssociations", identifier);
    } else if (key == "originNodeURI") {
      derivable = IsLink(v, NodeTitleView(item), item.uuid, o, "CFItems");
    } else if (key == "destinationNodeURI") {
      derivable = parent != nullptr
                      ? IsLink(v, NodeTitleView(*parent), parent->uuid, o, "CFItems")
                      : IsLink(v, doc.framework.title, doc.framework.uuid, o, "CFDocuments");
    } else if (key == "lastChangeDateTime") {
      derivable = IsChangeTime(v, doc.framework);
    }
    if (!derivable) kept[key] = v;
  }
  return kept;
}

json::object NodeJson(const NodeRef& n, const ItemFinder& items, const CaseOptions& o) {
  const Item* item = items(n.uuid);
  const std::string title = !n.title.empty()   ? n.title
                            : item != nullptr ? NodeTitle(*item)
                                              : n.code;
  const std::string uri = !n.uri.empty() ? n.uri
                          : item != nullptr || !n.framework_uuid.empty()
                              ? Uri(o, "CFItems", n.uuid)
                              : "urn:uuid:" + n.uuid;
  return Link(title, n.uuid.empty() ? UriNodeIdentifier(n.uri) : n.uuid, uri);
}

json::object DerivedAssociation(const FrameworkDoc& doc, const Association& a,
                                const ItemFinder& items, const CaseOptions& o) {
  json::object d{{"identifier", a.uuid},
                 {"associationType", a.type},
                 {"uri", Uri(o, "CFAssociations", a.uuid)},
                 {"originNodeURI", NodeJson(a.origin, items, o)},
                 {"destinationNodeURI", NodeJson(a.destination, items, o)},
                 {"lastChangeDateTime", ChangeTime(doc.framework)}};
  // What CASE has no place for: provenance, and where an end lives in OpenNOS.
  json::object nos;
  if (a.provenance != "imported") nos["provenance"] = a.provenance;
  if (a.score) nos["score"] = *a.score;
  if (!a.decision.empty()) nos["decision"] = a.decision;
  for (const auto& [name, node] : {std::pair{"origin", &a.origin}, std::pair{"destination", &a.destination}}) {
    if (!node->framework_uuid.empty() && node->framework_uuid != doc.framework.uuid) {
      nos[std::string(name) + "Framework"] = node->framework_uuid;
    }
    if (!node->code.empty()) nos[std::string(name) + "Code"] = node->code;
  }
  if (json::object own = OwnExtra(a.extra); !own.empty()) nos["extra"] = std::move(own);
  if (!nos.empty()) d["extensions"] = json::object{{"opennos", std::move(nos)}};
  return d;
}

void MergeExtensions(json::object& derived, const json::object& kept) {
  // Keep the package's own extensions beside OpenNOS's.
  const auto* theirs = kept.if_contains("extensions");
  json::object merged = theirs != nullptr && theirs->is_object() ? theirs->as_object()
                                                                  : json::object();
  const auto* ours = derived.if_contains("extensions");
  if (ours != nullptr && ours->is_object()) {
    for (const auto& kv : ours->as_object()) merged[kv.key()] = kv.value();
  }
  json::object rest = kept;
  rest.stable_erase("extensions");
  Overlay(derived, rest);
  if (merged.empty()) {
    derived.stable_erase("extensions");
  } else {
    derived["extensions"] = std::move(merged);
  }
}

enum class Entity { kDocument, kItem, kAssociation };

void AdaptToVersion(json::object& o, const CaseOptions& opts, Entity entity) {
  if (opts.version != CaseVersion::k1p0) return;
  const bool association = entity == Entity::kAssociation;
  const auto& drop = entity == Entity::kDocument ? kNotInV1p0Document
                     : entity == Entity::kItem   ? kNotInV1p0Item
                                                 : kNotInV1p0Association;
  for (auto k : drop) o.stable_erase(k);
  if (association) {
    const std::string type = Str(o, "associationType");
    if (type == "isTranslationOf" || type.rfind("ext:", 0) == 0) o["associationType"] = "isRelatedTo";
    // A v1.0 node link is title, identifier and uri only (no v1.1 targetType).
    for (const char* end : {"originNodeURI", "destinationNodeURI"}) {
      auto* link = o.if_contains(end);
      if (link == nullptr || !link->is_object()) continue;
      json::object& l = link->as_object();
      for (auto it = l.begin(); it != l.end();) {
        const std::string_view k = it->key();
        it = k == "title" || k == "identifier" || k == "uri" ? it + 1 : l.stable_erase(it);
      }
    }
  }
}

// v1.0 definitions and rubrics have no `extensions` at any level (their schema forbids any
// property it does not name), so a v1.0 package leaves every one out.
void DropExtensions(json::value& v) {
  if (v.is_array()) {
    for (auto& e : v.as_array()) DropExtensions(e);
  } else if (v.is_object()) {
    v.as_object().stable_erase("extensions");
    for (auto& kv : v.as_object()) DropExtensions(kv.value());
  }
}

json::object DocumentJson(const FrameworkDoc& doc, const CaseOptions& o) {
  json::object d = DerivedDocument(doc.framework, o);
  MergeExtensions(d, SubObject(CaseExtra(doc.framework.extra), "document"));
  MoveUnmapped(d, kDocumentKeys);
  d.stable_erase("CFPackageURI");
  if (!o.package_form) {
    d["CFPackageURI"] =
        Link(doc.framework.title, doc.framework.uuid, Uri(o, "CFPackages", doc.framework.uuid));
  }
  AdaptToVersion(d, o, Entity::kDocument);
  return d;
}

json::object ItemJson(const FrameworkDoc& doc, const Item& item, const CaseOptions& o) {
  json::object d = DerivedItem(doc.framework, item, o);
  MergeExtensions(d, SubObject(CaseExtra(item.extra), "item"));
  MoveUnmapped(d, kItemKeys);
  d.stable_erase("CFDocumentURI");
  if (!o.package_form) {
    d["CFDocumentURI"] = Link(doc.framework.title, doc.framework.uuid,
                              Uri(o, "CFDocuments", doc.framework.uuid));
  }
  AdaptToVersion(d, o, Entity::kItem);
  return d;
}

json::object Finish(json::object a, const FrameworkDoc& doc, const CaseOptions& o) {
  MoveUnmapped(a, kAssociationKeys);
  a.stable_erase("CFDocumentURI");
  if (!o.package_form) {
    a["CFDocumentURI"] = Link(doc.framework.title, doc.framework.uuid,
                              Uri(o, "CFDocuments", doc.framework.uuid));
  }
  AdaptToVersion(a, o, Entity::kAssociation);
  return a;
}

}  // namespace case_detail

using namespace case_detail;

std::string_view CaseItemTypeName(ItemType type) {
  switch (type) {
    case ItemType::kKeyArea:
      return "Key Area";
    case ItemType::kFunction:
      return "Function";
    case ItemType::kUnit:
      return "Unit";
    case ItemType::kPerformanceCriterion:
      return "Performance Criterion";
    case ItemType::kKnowledge:
      return "Knowledge and Understanding";
    case ItemType::kBehaviour:
      return "Behaviour";
    case ItemType::kSkill:
      return "Skill";
    case ItemType::kScope:
      return "Scope";
    case ItemType::kGlossaryTerm:
      return "Glossary Term";
    case ItemType::kStatement:
      break;
  }
  return "Statement";
}

bool LooksLikeCasePackage(std::string_view content) {
  const std::string_view head = content.substr(0, 65536);
  return head.find("\"CFDocument\"") != std::string_view::npos;
}

json::object CaseDocumentJson(const FrameworkDoc& doc, const CaseOptions& options) {
  return DocumentJson(doc, options);
}

json::object CaseItemJson(const FrameworkDoc& doc, const Item& item, const CaseOptions& options) {
  return ItemJson(doc, item, options);
}

namespace {

// Puts what a package kept of a node link (its targetType, say) into the link the writer
// derives. The identifier stays the model's: the link names that node.
void MergeNode(json::object& link, const json::value* kept) {
  if (kept == nullptr || !kept->is_object()) return;
  for (const auto& kv : kept->as_object()) {
    if (kv.key() != "identifier") link[kv.key()] = kv.value();
  }
}

// The tree association of `item`, with what its package said of it beyond the derivable,
// under an identifier no other association of the package has (`taken` grows by it). The
// identifier is the item's own (child_of_uuid, kept from a package) or derived: what `extra`
// says of it is never read.
json::object TreeAssociation(const FrameworkDoc& doc, const Item& item, const Item* parent,
                             const CaseOptions& o, std::unordered_set<std::string>& taken) {
  json::object a = DerivedChildOf(doc, item, parent, o);
  const std::string derived_uri = Str(a, "uri");
  for (const auto& kv : SubObject(CaseExtra(item.extra), "childOf")) {
    const std::string_view key = kv.key();
    const json::value& v = kv.value();
    if (key == "identifier" || key == "associationType") continue;
    if (key == "originNodeURI" || key == "destinationNodeURI") {
      MergeNode(a[key].as_object(), &v);
    } else if (key == "sequenceNumber") {
      if (v.is_int64() || v.is_uint64()) a[key] = v;
    } else {
      a[key] = v;
    }
  }
  const std::string id = Str(a, "identifier");
  std::string unique = id;
  for (int n = 2; !taken.insert(unique).second; ++n) {
    unique = NameUuid(item.uuid, "isChildOf#" + std::to_string(n));
  }
  if (unique != id) {
    a["identifier"] = unique;
    if (Str(a, "uri") == derived_uri) a["uri"] = Uri(o, "CFAssociations", unique);
  }
  return a;
}

}  // namespace

json::array CaseAssociationsJson(const FrameworkDoc& doc, const CaseOptions& o) {
  std::unordered_map<std::string, const Item*> by_uuid;
  for (const Item& item : doc.items) by_uuid[item.uuid] = &item;
  const ItemFinder find = [&](const std::string& uuid) -> const Item* {
    auto it = by_uuid.find(uuid);
    return it == by_uuid.end() ? nullptr : it->second;
  };
  // A stated association keeps its UUID; a tree association gives way to it.
  std::unordered_set<std::string> taken;
  for (const Association& assoc : doc.associations) taken.insert(assoc.uuid);
  json::array out;
  out.reserve(doc.items.size() + doc.associations.size());
  for (const Item& item : doc.items) {
    const Item* parent = find(item.parent_uuid);
    out.push_back(Finish(TreeAssociation(doc, item, parent, o, taken), doc, o));
  }
  for (const Association& assoc : doc.associations) {
    json::object a = DerivedAssociation(doc, assoc, find, o);
    const json::object extra = CaseExtra(assoc.extra);
    json::object kept = SubObject(extra, "association");
    for (const char* owned : {"identifier", "associationType", "originNodeURI", "destinationNodeURI"}) {
      kept.stable_erase(owned);
    }
    MergeExtensions(a, kept);
    MergeNode(a["originNodeURI"].as_object(), extra.if_contains("originNodeURI"));
    MergeNode(a["destinationNodeURI"].as_object(), extra.if_contains("destinationNodeURI"));
    out.push_back(Finish(std::move(a), doc, o));
  }
  return out;
}

json::object CasePackageJson(const FrameworkDoc& doc, const CaseOptions& options) {
  json::object package;
  package["CFDocument"] = DocumentJson(doc, options);
  json::array items;
  items.reserve(doc.items.size());
  for (const Item& item : doc.items) items.push_back(ItemJson(doc, item, options));
  package["CFItems"] = std::move(items);
  package["CFAssociations"] = CaseAssociationsJson(doc, options);
  const json::object extra = CaseExtra(doc.framework.extra);
  for (const char* k : {"CFDefinitions", "CFRubrics"}) {
    const auto* v = extra.if_contains(k);
    if (v == nullptr) continue;
    package[k] = *v;
    if (options.version == CaseVersion::k1p0) DropExtensions(package[k]);
  }
  if (options.version == CaseVersion::k1p1) {
    if (const auto* v = extra.if_contains("extensions")) package["extensions"] = *v;
    // Top-level fields outside the schema ride in the package's extensions, as on items.
    const json::object unknown = SubObject(extra, "package");
    if (!unknown.empty()) {
      for (const auto& kv : unknown) {
        if (!package.contains(kv.key())) package[kv.key()] = kv.value();
      }
      MoveUnmapped(package, kTopLevelKeys);
    }
  }
  return package;
}

std::string WriteCasePackage(const FrameworkDoc& doc, const CaseOptions& options) {
  return PrettyJson(CasePackageJson(doc, options));
}

}  // namespace opennos
