#include "core/codec.h"

#include "core/json_util.h"
#include "core/uuid.h"
#include "core/validate.h"

namespace opennos {
namespace json = boost::json;
namespace {

void Put(json::object& o, std::string_view key, const std::string& value) {
  if (!value.empty()) o[key] = value;
}

void PutList(json::object& o, std::string_view key, const std::vector<std::string>& list) {
  if (list.empty()) return;
  json::array a;
  for (const auto& s : list) a.emplace_back(s);
  o[key] = std::move(a);
}

void PutExtra(json::object& o, const std::string& extra) {
  if (extra.empty()) return;
  o["extra"] = json::parse(extra);
}

json::object WelshToJson(const WelshText& cy) {
  json::object o;
  Put(o, "title", cy.title);
  Put(o, "text", cy.text);
  Put(o, "overview", cy.overview);
  return o;
}

void PutUnitFields(json::object& o, const UnitFields& u) {
  Put(o, "urn", u.urn);
  Put(o, "overview", u.overview);
  if (u.version != 0) o["version"] = u.version;
  Put(o, "status", u.status);
  Put(o, "developedBy", u.developed_by);
  Put(o, "originatingOrganisation", u.originating_organisation);
  Put(o, "approved", u.approved);
  Put(o, "review", u.review);
  Put(o, "validity", u.validity);
  Put(o, "category", u.category);
  Put(o, "originalUrn", u.original_urn);
  PutList(o, "keywords", u.keywords);
  PutList(o, "occupations", u.occupations);
}

void CheckDate(FieldReader& r, std::string_view key, const std::string& value) {
  if (!value.empty() && !IsIsoDate(value)) r.Fail(key, "expected a date as YYYY-MM-DD");
}

void CheckOneOf(FieldReader& r, std::string_view key, const std::string& value,
                std::initializer_list<std::string_view> allowed) {
  if (value.empty()) return;
  for (auto a : allowed) {
    if (a == value) return;
  }
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  r.Fail(key, "\"" + value + "\" is not one of: " + list);
}

void ReadUuid(FieldReader& r, std::string& out) {
  std::string raw;
  r.String("uuid", raw);
  if (raw.empty()) return;
  auto canonical = CanonicalUuid(raw);
  if (!canonical) return r.Fail("uuid", "\"" + raw + "\" is not a UUID");
  out = *canonical;
}

}  // namespace

std::string DerivedFrameworkUuid(const std::string& code, const std::string& edition) {
  return NameUuid(OpenNosNamespace(), "framework:" + code + "@" + edition);
}

std::string DerivedItemUuid(const std::string& framework_uuid, const std::string& code) {
  return NameUuid(framework_uuid, "item:" + code);
}

json::object FrameworkToJson(const Framework& f) {
  json::object o;
  Put(o, "uuid", f.uuid);
  Put(o, "code", f.code);
  Put(o, "edition", f.edition);
  Put(o, "title", f.title);
  o["status"] = FrameworkStatusName(f.status);
  Put(o, "publisher", f.publisher);
  Put(o, "keyPurpose", f.key_purpose);
  Put(o, "description", f.description);
  Put(o, "language", f.language);
  Put(o, "licence", f.licence);
  Put(o, "published", f.published);
  Put(o, "review", f.review);
  Put(o, "previousEdition", f.previous_edition);
  Put(o, "translationNote", f.translation_note);
  PutExtra(o, f.extra);
  return o;
}

json::object ItemToJson(const Item& item) {
  json::object o;
  Put(o, "uuid", item.uuid);
  o["type"] = ItemTypeName(item.type);
  Put(o, "typeName", item.type_name);
  Put(o, "code", item.code);
  Put(o, "title", item.title);
  Put(o, "text", item.text);
  PutUnitFields(o, item.unit);
  if (!item.cy.empty()) o["cy"] = WelshToJson(item.cy);
  Put(o, "childOfUuid", item.child_of_uuid);
  PutExtra(o, item.extra);
  return o;
}

json::object NodeRefToJson(const NodeRef& node, const std::string& own_framework) {
  json::object o;
  Put(o, "uuid", node.uuid);
  if (node.framework_uuid != own_framework) Put(o, "framework", node.framework_uuid);
  Put(o, "code", node.code);
  Put(o, "uri", node.uri);
  Put(o, "title", node.title);
  return o;
}

json::object AssociationToJson(const Association& a, const std::string& own_framework) {
  json::object o;
  Put(o, "uuid", a.uuid);
  o["type"] = a.type;
  o["origin"] = NodeRefToJson(a.origin, own_framework);
  o["destination"] = NodeRefToJson(a.destination, own_framework);
  if (a.provenance != "authored") Put(o, "provenance", a.provenance);
  if (a.score) o["score"] = *a.score;
  Put(o, "decision", a.decision);
  PutExtra(o, a.extra);
  return o;
}

Result<Framework> FrameworkFromJson(const json::object& o, const std::string& pointer) {
  Framework f;
  FieldReader r(o, pointer);
  r.OnlyKeys({"uuid", "code", "edition", "title", "status", "publisher", "keyPurpose",
              "description", "language", "licence", "published", "review", "previousEdition",
              "translationNote", "extra"});
  ReadUuid(r, f.uuid);
  r.String("code", f.code, true);
  r.String("edition", f.edition, true);
  r.String("title", f.title, true);
  std::string status;
  r.String("status", status);
  if (!status.empty()) {
    if (auto s = ParseFrameworkStatus(status)) {
      f.status = *s;
    } else {
      r.Fail("status", "\"" + status +
                           "\" is not one of: draft, consultation, approved, superseded, withdrawn");
    }
  }
  r.String("publisher", f.publisher);
  r.String("keyPurpose", f.key_purpose);
  r.String("description", f.description);
  r.String("language", f.language);
  r.String("licence", f.licence);
  r.String("published", f.published);
  CheckDate(r, "published", f.published);
  r.String("review", f.review);
  CheckDate(r, "review", f.review);
  r.String("previousEdition", f.previous_edition);
  r.String("translationNote", f.translation_note);
  r.ObjectText("extra", f.extra);
  if (!r.ok()) return r.status();
  if (f.uuid.empty()) f.uuid = DerivedFrameworkUuid(f.code, f.edition);
  return f;
}

Result<Item> ItemFromJson(const json::object& o, const std::string& pointer) {
  Item item;
  FieldReader r(o, pointer);
  std::string type;
  r.String("type", type, true);
  if (!r.ok()) return r.status();
  auto parsed = ParseItemType(type);
  if (!parsed) {
    r.Fail("type", "unknown item type \"" + type + "\"");
    return r.status();
  }
  item.type = *parsed;
  if (item.type == ItemType::kUnit) {
    r.OnlyKeys({"uuid", "type", "typeName", "code", "title", "text", "children", "extra", "cy",
                "childOfUuid", "urn", "overview", "version", "status", "developedBy",
                "originatingOrganisation", "approved", "review", "validity", "category",
                "originalUrn", "keywords", "occupations"});
  } else {
    r.OnlyKeys({"uuid", "type", "typeName", "code", "title", "text", "children", "extra", "cy",
                "childOfUuid"});
  }
  ReadUuid(r, item.uuid);
  r.String("typeName", item.type_name);
  r.String("code", item.code);
  r.String("title", item.title);
  r.String("text", item.text);
  if (item.title.empty() && item.text.empty() && r.ok()) {
    r.Fail("text", "an item needs a title or a text");
  }
  auto& u = item.unit;
  r.String("urn", u.urn);
  r.String("overview", u.overview);
  r.Int("version", u.version);
  r.String("status", u.status);
  CheckOneOf(r, "status", u.status, {"original", "tailored"});
  r.String("developedBy", u.developed_by);
  r.String("originatingOrganisation", u.originating_organisation);
  r.String("approved", u.approved);
  CheckDate(r, "approved", u.approved);
  r.String("review", u.review);
  CheckDate(r, "review", u.review);
  r.String("validity", u.validity);
  CheckOneOf(r, "validity", u.validity, {"current", "legacy"});
  r.String("category", u.category);
  CheckOneOf(r, "category", u.category, {"core", "generic", "job-specific"});
  r.String("originalUrn", u.original_urn);
  r.StringList("keywords", u.keywords);
  r.StringList("occupations", u.occupations);
  if (const auto* cy = r.Object("cy")) {
    FieldReader w(*cy, PointerJoin(pointer, "cy"));
    w.OnlyKeys({"title", "text", "overview"});
    w.String("title", item.cy.title);
    w.String("text", item.cy.text);
    w.String("overview", item.cy.overview);
    if (!w.ok()) return w.status();
  }
  std::string child_of;
  r.String("childOfUuid", child_of);
  if (!child_of.empty()) {
    if (auto canonical = CanonicalUuid(child_of)) {
      item.child_of_uuid = *canonical;
    } else {
      r.Fail("childOfUuid", "\"" + child_of + "\" is not a UUID");
    }
  }
  r.ObjectText("extra", item.extra);
  if (!r.ok()) return r.status();
  return item;
}

std::string FrameworkSnapshot(const Framework& f) { return CompactJson(FrameworkToJson(f)); }

std::string ItemSnapshot(const Item& item) {
  json::object o = ItemToJson(item);
  o["parent"] = item.parent_uuid;
  o["position"] = item.position;
  return CompactJson(o);
}

std::string AssociationSnapshot(const Association& a) {
  return CompactJson(AssociationToJson(a, a.framework_uuid));
}

}  // namespace opennos
