#include "formats/native.h"

#include <boost/json.hpp>
#include <unordered_map>

#include "core/codec.h"
#include "core/json_util.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "formats/json_parse.h"

namespace opennos {
namespace json = boost::json;
namespace {

class NativeReader {
 public:
  explicit NativeReader(const std::string& source) : source_(source) {}

  Result<FrameworkDoc> Read(const json::value& root) {
    if (!root.is_object()) return Wrap(Error("/", "expected a JSON object"));
    const auto& top = root.get_object();
    FieldReader r(top, "");
    r.OnlyKeys({"opennos", "framework", "items", "associations"});
    std::string tag;
    r.String("opennos", tag, true);
    if (r.ok() && tag != kNativeTag) {
      r.Fail("opennos", "unsupported version \"" + tag + "\" (this build reads \"" +
                            std::string(kNativeTag) + "\")");
    }
    const auto* framework = r.Object("framework");
    if (r.ok() && framework == nullptr) return Wrap(Error("/", "missing \"framework\""));
    const auto* items = r.Array("items");
    const auto* associations = r.Array("associations");
    if (!r.ok()) return Wrap(r.status());

    auto f = FrameworkFromJson(*framework, "/framework");
    if (!f.ok()) return Wrap(f.status());
    doc_.framework = std::move(*f);
    if (items != nullptr) {
      if (Status s = ReadItems(*items, "/items", "", 1); !s.ok()) return Wrap(s);
    }
    for (const Item& item : doc_.items) {
      if (!item.code.empty()) uuid_by_code_.emplace(item.code, item.uuid);
      own_uuids_.emplace(item.uuid, true);
    }
    if (associations != nullptr) {
      for (size_t i = 0; i < associations->size(); ++i) {
        Status s = ReadAssociation((*associations)[i], PointerJoin("/associations", i));
        if (!s.ok()) return Wrap(s);
      }
    }
    if (Status s = ValidateFramework(doc_); !s.ok()) return Wrap(s);
    return std::move(doc_);
  }

 private:
  Status Error(const std::string& pointer, const std::string& message) const {
    return Status::Invalid(pointer + ": " + message);
  }
  Status Wrap(const Status& s) const { return s.WithContext(source_); }

  Status ReadItems(const json::array& list, const std::string& pointer,
                   const std::string& parent, int depth) {
    if (depth > 64) return Error(pointer, "items nest more than 64 levels deep");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string here = PointerJoin(pointer, i);
      if (!list[i].is_object()) return Error(here, "expected an item object");
      const auto& o = list[i].get_object();
      auto item = ItemFromJson(o, here);
      if (!item.ok()) return item.status();
      item->framework_uuid = doc_.framework.uuid;
      item->parent_uuid = parent;
      item->position = static_cast<int>(i);
      if (item->uuid.empty()) {
        item->uuid = item->code.empty() ? NameUuid(doc_.framework.uuid, "item-at:" + here)
                                        : DerivedItemUuid(doc_.framework.uuid, item->code);
      }
      if (!item->code.empty()) {
        auto [it, fresh] = code_at_.emplace(item->code, here);
        if (!fresh) {
          return Error(PointerJoin(here, "code"),
                       "the code \"" + item->code + "\" is also used at " + it->second);
        }
      }
      const std::string uuid = item->uuid;
      if (!seen_.emplace(uuid, here).second) {
        return Error(here, "the UUID " + uuid + " is also used at " + seen_[uuid]);
      }
      doc_.items.push_back(std::move(*item));
      const auto* children = o.if_contains("children");
      if (children == nullptr || children->is_null()) continue;
      if (!children->is_array()) return Error(PointerJoin(here, "children"), "expected an array");
      Status s = ReadItems(children->get_array(), PointerJoin(here, "children"), uuid, depth + 1);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  Status ReadNode(const json::object& o, const std::string& pointer, NodeRef& node) {
    FieldReader r(o, pointer);
    r.OnlyKeys({"uuid", "identifier", "framework", "code", "uri", "title"});
    std::string uuid, framework;
    r.String("uuid", uuid);
    if (uuid.empty()) r.String("identifier", uuid);  // an outside node's own identifier
    r.String("framework", framework);
    r.String("code", node.code);
    r.String("uri", node.uri);
    r.String("title", node.title);
    if (!r.ok()) return r.status();
    if (!framework.empty()) {
      if (auto canonical = CanonicalUuid(framework)) {
        node.framework_uuid = *canonical;
      } else {
        const auto at = framework.find('@');
        if (at == std::string::npos || at == 0 || at + 1 == framework.size()) {
          return Error(PointerJoin(pointer, "framework"),
                       "\"" + framework + "\" is neither a UUID nor CODE@EDITION");
        }
        node.framework_uuid =
            DerivedFrameworkUuid(framework.substr(0, at), framework.substr(at + 1));
      }
    }
    if (!uuid.empty()) {
      auto canonical = CanonicalUuid(uuid);
      node.uuid = canonical ? *canonical : uuid;  // an external node's identifier may be anything
      if (node.framework_uuid.empty() && own_uuids_.count(node.uuid)) {
        node.framework_uuid = doc_.framework.uuid;
      }
      return Status::Ok();
    }
    if (!node.code.empty()) {
      if (node.framework_uuid.empty() || node.framework_uuid == doc_.framework.uuid) {
        auto it = uuid_by_code_.find(node.code);
        if (it == uuid_by_code_.end()) {
          return Error(PointerJoin(pointer, "code"),
                       "no item of this framework has the code \"" + node.code + "\"");
        }
        node.uuid = it->second;
        node.framework_uuid = doc_.framework.uuid;
      } else {
        node.uuid = DerivedItemUuid(node.framework_uuid, node.code);
      }
      return Status::Ok();
    }
    if (node.uri.empty()) return Error(pointer, "a node needs a uuid, a code or a uri");
    return Status::Ok();
  }

  Status ReadAssociation(const json::value& v, const std::string& pointer) {
    if (!v.is_object()) return Error(pointer, "expected an association object");
    const auto& o = v.get_object();
    FieldReader r(o, pointer);
    r.OnlyKeys({"uuid", "type", "origin", "destination", "provenance", "score", "decision",
                "extra"});
    Association a;
    a.framework_uuid = doc_.framework.uuid;
    std::string uuid;
    r.String("uuid", uuid);
    r.String("type", a.type, true);
    if (r.ok() && !IsValidAssociationType(a.type)) {
      r.Fail("type", "unknown association type \"" + a.type + "\"");
    }
    const auto* origin = r.Object("origin");
    const auto* destination = r.Object("destination");
    r.String("provenance", a.provenance);
    r.Number("score", a.score);
    r.String("decision", a.decision);
    r.ObjectText("extra", a.extra);
    if (!r.ok()) return r.status();
    if (origin == nullptr) return Error(pointer, "missing \"origin\"");
    if (destination == nullptr) return Error(pointer, "missing \"destination\"");
    if (a.provenance.empty()) a.provenance = "authored";
    if (a.provenance != "authored" && a.provenance != "imported" && a.provenance != "suggested") {
      return Error(PointerJoin(pointer, "provenance"),
                   "\"" + a.provenance + "\" is not one of: authored, imported, suggested");
    }
    if (!a.decision.empty() && a.decision != "pending" && a.decision != "accepted" &&
        a.decision != "rejected") {
      return Error(PointerJoin(pointer, "decision"),
                   "\"" + a.decision + "\" is not one of: pending, accepted, rejected");
    }
    if (Status s = ReadNode(*origin, PointerJoin(pointer, "origin"), a.origin); !s.ok()) return s;
    if (Status s = ReadNode(*destination, PointerJoin(pointer, "destination"), a.destination);
        !s.ok()) {
      return s;
    }
    if (!uuid.empty()) {
      auto canonical = CanonicalUuid(uuid);
      if (!canonical) return Error(PointerJoin(pointer, "uuid"), "\"" + uuid + "\" is not a UUID");
      a.uuid = *canonical;
    } else {
      const auto end = [](const NodeRef& n) { return n.uuid.empty() ? n.uri : n.uuid; };
      a.uuid = NameUuid(doc_.framework.uuid,
                        "association:" + a.type + ":" + end(a.origin) + ">" + end(a.destination));
    }
    doc_.associations.push_back(std::move(a));
    return Status::Ok();
  }

  const std::string& source_;
  FrameworkDoc doc_;
  std::unordered_map<std::string, std::string> seen_;     // uuid -> pointer
  std::unordered_map<std::string, std::string> code_at_;  // code -> pointer
  std::unordered_map<std::string, std::string> uuid_by_code_;
  std::unordered_map<std::string, bool> own_uuids_;
};

json::array ChildrenJson(const FrameworkDoc& doc, const std::string& parent,
                         const std::unordered_map<std::string, std::vector<size_t>>& children) {
  json::array out;
  auto it = children.find(parent);
  if (it == children.end()) return out;
  for (size_t i : it->second) {
    const Item& item = doc.items[i];
    json::object o = ItemToJson(item);
    json::array kids = ChildrenJson(doc, item.uuid, children);
    if (!kids.empty()) o["children"] = std::move(kids);
    out.emplace_back(std::move(o));
  }
  return out;
}

}  // namespace

Result<FrameworkDoc> ReadNative(std::string_view content, const std::string& source) {
  auto root = ParseJson(content, source);
  if (!root.ok()) return root.status();
  return NativeReader(source).Read(*root);
}

std::string WriteNative(const FrameworkDoc& doc) {
  std::unordered_map<std::string, std::vector<size_t>> children;
  for (size_t i = 0; i < doc.items.size(); ++i) children[doc.items[i].parent_uuid].push_back(i);
  json::object root;
  root["opennos"] = kNativeTag;
  root["framework"] = FrameworkToJson(doc.framework);
  root["items"] = ChildrenJson(doc, "", children);
  json::array associations;
  for (const Association& a : doc.associations) {
    associations.emplace_back(AssociationToJson(a, doc.framework.uuid));
  }
  root["associations"] = std::move(associations);
  return PrettyJson(root);
}

}  // namespace opennos
