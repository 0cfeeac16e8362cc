#include "formats/case.h"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "core/codec.h"
#include "core/json_util.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "formats/json_parse.h"

namespace opennos {
namespace json = boost::json;
namespace {

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
const std::unordered_set<std::string_view> kAssociationKeys{
    "identifier", "associationType", "sequenceNumber", "uri", "originNodeURI",
    "destinationNodeURI", "CFAssociationGroupingURI", "lastChangeDateTime", "notes",
    "extensions", "CFDocumentURI"};
// Properties v1.0 lacks, dropped from a v1.0 export.
const std::unordered_set<std::string_view> kNotInV1p0Document{"frameworkType", "caseVersion",
                                                              "extensions"};
const std::unordered_set<std::string_view> kNotInV1p0Item{"subject", "subjectURI", "extensions"};
const std::unordered_set<std::string_view> kNotInV1p0Association{"notes", "extensions"};
constexpr const char* kUnmapped = "opennos.unmapped";

std::string Str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

const char* VersionPath(CaseVersion v) { return v == CaseVersion::k1p0 ? "v1p0" : "v1p1"; }

std::string Uri(const CaseOptions& o, std::string_view kind, const std::string& id) {
  return o.base_url + "/ims/case/" + VersionPath(o.version) + "/" + std::string(kind) + "/" + id;
}

json::object Link(const std::string& title, const std::string& id, const std::string& uri) {
  return json::object{{"title", title}, {"identifier", id}, {"uri", uri}};
}

// A CASE dateTime for a framework with no timestamp of its own: its publication date.
std::string ChangeTime(const Framework& f) {
  return (f.published.empty() ? std::string("2000-01-01") : f.published) + "T00:00:00+00:00";
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

std::string NodeTitle(const Item& item) {
  if (!item.code.empty()) return item.code;
  if (!item.title.empty()) return item.title;
  // At most 60 bytes, never cutting a UTF-8 character in two.
  size_t n = std::min<size_t>(item.text.size(), 60);
  while (n > 0 && n < item.text.size() && (static_cast<unsigned char>(item.text[n]) & 0xC0) == 0x80) --n;
  return item.text.substr(0, n);
}

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
  ext->as_object().erase(kUnmapped);
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

json::object SubObject(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? v->as_object() : json::object();
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
  for (const char* k : {"uuid", "code", "title", "text", "typeName", "extra", "keywords"}) {
    nos.stable_erase(k);
  }
  if (item.text.empty()) nos["fullStatementIsTitle"] = true;
  d["extensions"] = json::object{{"opennos", std::move(nos)}};
  return d;
}

json::object DerivedChildOf(const FrameworkDoc& doc, const Item& item, const Item* parent,
                            const CaseOptions& o) {
  const std::string id = NameUuid(item.uuid, "isChildOf");
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

json::object NodeJson(const NodeRef& n, const std::unordered_map<std::string, const Item*>& items,
                      const CaseOptions& o) {
  auto it = items.find(n.uuid);
  const std::string title = !n.title.empty()
                                ? n.title
                                : it != items.end() ? NodeTitle(*it->second) : n.code;
  const std::string uri = !n.uri.empty() ? n.uri
                          : it != items.end() || !n.framework_uuid.empty()
                              ? Uri(o, "CFItems", n.uuid)
                              : "urn:uuid:" + n.uuid;
  return Link(title, n.uuid.empty() ? n.uri : n.uuid, uri);
}

json::object DerivedAssociation(const FrameworkDoc& doc, const Association& a,
                                const std::unordered_map<std::string, const Item*>& items,
                                const CaseOptions& o) {
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

// ---- reading ----

class CaseReader {
 public:
  explicit CaseReader(const std::string& source) : source_(source) {}

  Result<FrameworkDoc> Read(const json::value& root) {
    if (!root.is_object()) return Error("", "a CASE package is a JSON object");
    const auto& top = root.get_object();
    const auto* document = top.if_contains("CFDocument");
    if (document == nullptr || !document->is_object()) {
      return Error("/CFDocument", "missing or not an object");
    }
    if (Status s = ReadDocument(document->get_object(), top); !s.ok()) return s;
    if (const auto* items = top.if_contains("CFItems"); items != nullptr && !items->is_null()) {
      if (!items->is_array()) return Error("/CFItems", "expected an array");
      for (size_t i = 0; i < items->get_array().size(); ++i) {
        if (Status s = ReadItem(items->get_array()[i], PointerJoin("/CFItems", i)); !s.ok()) {
          return s;
        }
      }
    }
    if (const auto* assoc = top.if_contains("CFAssociations"); assoc != nullptr && !assoc->is_null()) {
      if (!assoc->is_array()) return Error("/CFAssociations", "expected an array");
      for (size_t i = 0; i < assoc->get_array().size(); ++i) {
        Status s = ReadAssociation(assoc->get_array()[i], PointerJoin("/CFAssociations", i));
        if (!s.ok()) return s;
      }
    }
    if (Status s = BuildTree(); !s.ok()) return s;
    if (Status s = ValidateFramework(doc_); !s.ok()) return s.WithContext(source_);
    return std::move(doc_);
  }

 private:
  Status Error(const std::string& pointer, const std::string& what) const {
    return Status::Invalid(source_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + what);
  }

  Result<std::string> Identifier(const json::object& o, const std::string& pointer) {
    const auto* v = o.if_contains("identifier");
    if (v == nullptr || !v->is_string()) return Error(pointer + "/identifier", "missing or not a string");
    auto u = CanonicalUuid(v->get_string());
    if (!u) return Error(pointer + "/identifier", "\"" + std::string(v->get_string()) + "\" is not a UUID");
    return *u;
  }

  Status ReadDocument(const json::object& d, const json::object& top) {
    Framework& f = doc_.framework;
    auto id = Identifier(d, "/CFDocument");
    if (!id.ok()) return id.status();
    f.uuid = *id;
    const auto* title = d.if_contains("title");
    if (title == nullptr || !title->is_string() || title->get_string().empty()) {
      return Error("/CFDocument/title", "missing, empty or not a string");
    }
    for (const char* k : {"description", "language", "version", "publisher", "creator"}) {
      const auto* v = d.if_contains(k);
      if (v != nullptr && !v->is_string()) return Error(std::string("/CFDocument/") + k, "expected a string");
    }
    f.title = std::string(title->get_string());
    f.description = Str(d, "description");
    f.language = Str(d, "language");
    f.publisher = Str(d, "publisher").empty() ? Str(d, "creator") : Str(d, "publisher");
    f.status = StatusFromAdoption(Str(d, "adoptionStatus"));
    const std::string start = Str(d, "statusStartDate"), end = Str(d, "statusEndDate");
    if (IsIsoDate(start)) f.published = start;
    if (IsIsoDate(end)) f.review = end;
    f.edition = Str(d, "version").empty() ? "1" : Str(d, "version");
    const json::object ext = SubObject(d, "extensions");
    const json::object nos = SubObject(ext, "opennos");
    if (!nos.empty()) {
      FieldReader r(nos, "/CFDocument/extensions/opennos");
      r.String("code", f.code);
      r.String("edition", f.edition);
      std::string status;
      r.String("status", status);
      if (!status.empty()) {
        auto s = ParseFrameworkStatus(status);
        if (!s) r.Fail("status", "unknown status \"" + status + "\"");
        else f.status = *s;
      }
      r.String("keyPurpose", f.key_purpose);
      r.String("licence", f.licence);
      r.String("published", f.published);
      r.String("review", f.review);
      r.String("previousEdition", f.previous_edition);
      r.String("translationNote", f.translation_note);
      r.String("publisher", f.publisher);
      if (!r.ok()) return r.status().WithContext(source_);
    }
    if (f.code.empty()) f.code = DerivedCode(f.title, f.uuid);
    // Keep what the package says beyond what the writer would derive from the model.
    // Compared with what an export under the default base URL writes, so a package's own URIs
    // (another server's) are kept, and OpenNOS's own exports come back without extras.
    CaseOptions o;
    base_url_ = o.base_url;
    json::object derived = DerivedDocument(f, o);
    json::object kept = NotDerivable(d, derived, {"identifier", "CFPackageURI"});
    StripOpenNos(kept);
    json::object extra;
    if (!kept.empty()) extra["document"] = std::move(kept);
    for (const char* k : {"CFDefinitions", "CFRubrics", "extensions"}) {
      const auto* v = top.if_contains(k);
      if (v != nullptr && !v->is_null()) extra[k] = *v;
    }
    if (!extra.empty()) f.extra = CompactJson(json::object{{"case", std::move(extra)}});
    return Status::Ok();
  }

  static std::string DerivedCode(const std::string& title, const std::string& uuid) {
    std::string code;
    bool start = true;
    for (char c : title) {
      const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
      if (alnum && start && code.size() < 6) code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      start = !alnum;
    }
    return (code.empty() ? "CASE" : code) + "-" + uuid.substr(0, 4);
  }

  // Drops extensions.opennos (the model holds it) and an emptied extensions object.
  static void StripOpenNos(json::object& kept) {
    auto* ext = kept.if_contains("extensions");
    if (ext == nullptr || !ext->is_object()) return;
    ext->as_object().stable_erase("opennos");
    if (ext->as_object().empty()) kept.stable_erase("extensions");
  }

  Status ReadItem(const json::value& v, const std::string& pointer) {
    if (!v.is_object()) return Error(pointer, "expected a CFItem object");
    json::object o = v.get_object();
    RestoreUnmapped(o);
    auto id = Identifier(o, pointer);
    if (!id.ok()) return id.status();
    if (!item_index_.emplace(*id, doc_.items.size()).second) {
      return Error(pointer + "/identifier", "the identifier " + *id + " is used by two CFItems");
    }
    for (const char* k : {"fullStatement", "abbreviatedStatement", "humanCodingScheme", "CFItemType"}) {
      const auto* f = o.if_contains(k);
      if (f != nullptr && !f->is_string()) return Error(pointer + "/" + k, "expected a string");
    }
    const auto* full = o.if_contains("fullStatement");
    if (full == nullptr) return Error(pointer + "/fullStatement", "missing");
    Item item;
    item.uuid = *id;
    item.framework_uuid = doc_.framework.uuid;
    item.text = Str(o, "fullStatement");
    item.title = Str(o, "abbreviatedStatement");
    item.code = Str(o, "humanCodingScheme");
    const std::string case_type = Str(o, "CFItemType");
    item.type = ItemTypeFromForeignName(case_type);
    const json::object nos = SubObject(SubObject(o, "extensions"), "opennos");
    if (!nos.empty()) {
      json::object fields = nos;
      const bool text_is_title = fields.contains("fullStatementIsTitle");
      fields.stable_erase("fullStatementIsTitle");
      fields["text"] = "x";  // ItemFromJson needs text or title; the real ones are above
      auto parsed = ItemFromJson(fields, pointer + "/extensions/opennos");
      if (!parsed.ok()) return parsed.status().WithContext(source_);
      item.type = parsed->type;
      item.unit = parsed->unit;
      item.cy = parsed->cy;
      if (text_is_title) item.text.clear();
    }
    if (!case_type.empty() && case_type != CaseItemTypeName(item.type)) item.type_name = case_type;
    if (item.type == ItemType::kUnit && item.unit.keywords.empty()) {
      if (const auto* k = o.if_contains("conceptKeywords"); k != nullptr && k->is_array()) {
        for (const auto& w : k->get_array()) {
          if (w.is_string()) item.unit.keywords.emplace_back(w.get_string());
        }
      }
    }
    if (item.text.empty() && item.title.empty() && item.code.empty()) {
      return Error(pointer + "/fullStatement", "empty, with no abbreviatedStatement or humanCodingScheme");
    }
    raw_items_.push_back(std::move(o));
    doc_.items.push_back(std::move(item));
    return Status::Ok();
  }

  Status ReadNode(const json::object& a, const char* key, const std::string& pointer, NodeRef& n) {
    const auto* v = a.if_contains(key);
    if (v == nullptr || !v->is_object()) return Error(pointer + "/" + key, "missing or not an object");
    const auto& o = v->get_object();
    const auto* id = o.if_contains("identifier");
    if (id == nullptr || !id->is_string() || id->get_string().empty()) {
      return Error(pointer + "/" + key + "/identifier", "missing or not a string");
    }
    auto canonical = CanonicalUuid(id->get_string());
    n.uuid = canonical ? *canonical : std::string(id->get_string());
    n.title = Str(o, "title");
    n.uri = Str(o, "uri");
    if (item_index_.count(n.uuid) || n.uuid == doc_.framework.uuid) {
      n.framework_uuid = doc_.framework.uuid;
    }
    return Status::Ok();
  }

  Status ReadAssociation(const json::value& v, const std::string& pointer) {
    if (!v.is_object()) return Error(pointer, "expected a CFAssociation object");
    json::object o = v.get_object();
    RestoreUnmapped(o);
    auto id = Identifier(o, pointer);
    if (!id.ok()) return id.status();
    if (!association_ids_.insert(*id).second) {
      return Error(pointer + "/identifier", "the identifier " + *id + " is used by two CFAssociations");
    }
    const std::string type = Str(o, "associationType");
    if (!IsValidAssociationType(type)) {
      return Error(pointer + "/associationType", "unknown association type \"" + type + "\"");
    }
    Association a;
    a.uuid = *id;
    a.framework_uuid = doc_.framework.uuid;
    a.type = type;
    a.provenance = "imported";
    if (Status s = ReadNode(o, "originNodeURI", pointer, a.origin); !s.ok()) return s;
    if (Status s = ReadNode(o, "destinationNodeURI", pointer, a.destination); !s.ok()) return s;
    if (const auto* seq = o.if_contains("sequenceNumber"); seq != nullptr && !seq->is_null()) {
      // Real packages write "sequenceNumber": "1"; it is a number.
      if (seq->is_string()) {
        const std::string s(seq->get_string());
        if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
          return Error(pointer + "/sequenceNumber", "\"" + s + "\" is not a whole number");
        }
        o["sequenceNumber"] = std::stoll(s);
      } else if (!seq->is_int64() && !seq->is_uint64()) {
        return Error(pointer + "/sequenceNumber", "expected a whole number");
      }
    }
    const bool tree = type == "isChildOf" && item_index_.count(a.origin.uuid) &&
                      (item_index_.count(a.destination.uuid) ||
                       a.destination.uuid == doc_.framework.uuid) &&
                      !has_parent_.count(a.origin.uuid);
    if (tree) {
      has_parent_.insert(a.origin.uuid);
      Item& child = doc_.items[item_index_[a.origin.uuid]];
      child.parent_uuid = a.destination.uuid == doc_.framework.uuid ? "" : a.destination.uuid;
      tree_raw_[a.origin.uuid] = std::move(o);
      return Status::Ok();
    }
    const json::object nos = SubObject(SubObject(o, "extensions"), "opennos");
    if (!nos.empty()) {
      FieldReader r(nos, pointer + "/extensions/opennos");
      std::string provenance;
      r.String("provenance", provenance);
      if (!provenance.empty()) a.provenance = provenance;
      r.Number("score", a.score);
      r.String("decision", a.decision);
      r.String("originFramework", a.origin.framework_uuid);
      r.String("originCode", a.origin.code);
      r.String("destinationFramework", a.destination.framework_uuid);
      r.String("destinationCode", a.destination.code);
      if (!r.ok()) return r.status().WithContext(source_);
    }
    raw_associations_.push_back(std::move(o));
    doc_.associations.push_back(std::move(a));
    return Status::Ok();
  }

  static std::int64_t SequenceOf(const json::object& a) {
    const auto* s = a.if_contains("sequenceNumber");
    if (s != nullptr && s->is_int64()) return s->get_int64();
    if (s != nullptr && s->is_uint64()) return static_cast<std::int64_t>(s->get_uint64());
    return std::numeric_limits<std::int64_t>::max();
  }

  Status BuildTree() {
    // Order siblings by sequence number, then by their order in the package.
    std::vector<size_t> order(doc_.items.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::vector<std::int64_t> seq(doc_.items.size(), std::numeric_limits<std::int64_t>::max());
    for (size_t i = 0; i < doc_.items.size(); ++i) {
      auto it = tree_raw_.find(doc_.items[i].uuid);
      if (it != tree_raw_.end()) seq[i] = SequenceOf(it->second);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return seq[a] < seq[b]; });
    std::vector<Item> items;
    std::vector<json::object> raws;
    for (size_t i : order) {
      items.push_back(std::move(doc_.items[i]));
      raws.push_back(std::move(raw_items_[i]));
    }
    std::unordered_map<std::string, json::object> raw_by_uuid;
    for (size_t i = 0; i < items.size(); ++i) raw_by_uuid[items[i].uuid] = std::move(raws[i]);
    doc_.items = std::move(items);
    if (Status s = PutInTreeOrder(doc_); !s.ok()) {
      return Status::Invalid(source_ + ": the isChildOf associations form a cycle");
    }
    CaseOptions o;
    o.base_url = base_url_;
    std::unordered_map<std::string, const Item*> by_uuid;
    for (const Item& item : doc_.items) by_uuid[item.uuid] = &item;
    for (Item& item : doc_.items) {
      json::object extra;
      json::object kept = NotDerivable(raw_by_uuid[item.uuid], DerivedItem(doc_.framework, item, o),
                                       {"identifier", "CFItemType", "CFDocumentURI"});
      StripOpenNos(kept);
      if (!kept.empty()) extra["item"] = std::move(kept);
      auto t = tree_raw_.find(item.uuid);
      if (t != tree_raw_.end()) {
        const Item* parent = item.parent_uuid.empty() ? nullptr : by_uuid[item.parent_uuid];
        json::object child_of = NotDerivable(t->second, DerivedChildOf(doc_, item, parent, o),
                                             {"associationType", "CFDocumentURI"});
        if (!child_of.empty()) extra["childOf"] = std::move(child_of);
      }
      if (!extra.empty()) item.extra = CompactJson(json::object{{"case", std::move(extra)}});
    }
    for (size_t i = 0; i < doc_.associations.size(); ++i) {
      Association& a = doc_.associations[i];
      // A node's title and URI that the writer would give anyway need not be kept.
      for (NodeRef* n : {&a.origin, &a.destination}) {
        NodeRef bare = *n;
        bare.title.clear();
        bare.uri.clear();
        const json::object derived = NodeJson(bare, by_uuid, o);
        if (Str(derived, "title") == n->title) n->title.clear();
        if (Str(derived, "uri") == n->uri) n->uri.clear();
      }
      json::object kept = NotDerivable(raw_associations_[i], DerivedAssociation(doc_, a, by_uuid, o),
                                       {"identifier", "associationType", "originNodeURI",
                                        "destinationNodeURI", "CFDocumentURI"});
      StripOpenNos(kept);
      if (!kept.empty()) a.extra = CompactJson(json::object{{"case", json::object{{"association", std::move(kept)}}}});
    }
    return Status::Ok();
  }

  const std::string& source_;
  FrameworkDoc doc_;
  std::string base_url_ = "http://localhost:8080";
  std::unordered_map<std::string, size_t> item_index_;
  std::vector<json::object> raw_items_;
  std::vector<json::object> raw_associations_;
  std::unordered_set<std::string> association_ids_;
  std::unordered_set<std::string> has_parent_;
  std::unordered_map<std::string, json::object> tree_raw_;
};

}  // namespace

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

Result<FrameworkDoc> ReadCasePackage(std::string_view content, const std::string& source) {
  auto root = ParseJson(content, source);
  if (!root.ok()) return root.status();
  return ReadCasePackage(*root, source);
}

Result<FrameworkDoc> ReadCasePackage(const json::value& root, const std::string& source) {
  try {
    return CaseReader(source).Read(root);
  } catch (const std::exception& e) {
    return Status::Invalid(source + ": " + e.what());
  }
}

json::object CaseDocumentJson(const FrameworkDoc& doc, const CaseOptions& options) {
  return DocumentJson(doc, options);
}

json::object CaseItemJson(const FrameworkDoc& doc, const Item& item, const CaseOptions& options) {
  return ItemJson(doc, item, options);
}

json::array CaseAssociationsJson(const FrameworkDoc& doc, const CaseOptions& o) {
  std::unordered_map<std::string, const Item*> by_uuid;
  for (const Item& item : doc.items) by_uuid[item.uuid] = &item;
  json::array out;
  for (const Item& item : doc.items) {
    const Item* parent = item.parent_uuid.empty() ? nullptr : by_uuid[item.parent_uuid];
    json::object a = DerivedChildOf(doc, item, parent, o);
    // The tree association is not in the model: what the package said of it wins.
    for (const auto& kv : SubObject(CaseExtra(item.extra), "childOf")) a[kv.key()] = kv.value();
    out.push_back(Finish(std::move(a), doc, o));
  }
  for (const Association& assoc : doc.associations) {
    json::object a = DerivedAssociation(doc, assoc, by_uuid, o);
    MergeExtensions(a, SubObject(CaseExtra(assoc.extra), "association"));
    out.push_back(Finish(std::move(a), doc, o));
  }
  return out;
}

json::object CasePackageJson(const FrameworkDoc& doc, const CaseOptions& options) {
  json::object package;
  package["CFDocument"] = DocumentJson(doc, options);
  json::array items;
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
  }
  return package;
}

std::string WriteCasePackage(const FrameworkDoc& doc, const CaseOptions& options) {
  return PrettyJson(CasePackageJson(doc, options));
}

}  // namespace opennos
