#include "core/validate.h"

#include <unordered_map>
#include <unordered_set>

namespace opennos {
namespace {

std::string Name(const Item& item) {
  return item.code.empty() ? "item " + item.uuid : "item \"" + item.code + "\"";
}

bool OneOf(const std::string& value, std::initializer_list<std::string_view> allowed) {
  if (value.empty()) return true;
  for (auto a : allowed) {
    if (a == value) return true;
  }
  return false;
}

Status CheckUnitFields(const Item& item) {
  const UnitFields& u = item.unit;
  if (item.type != ItemType::kUnit) {
    return u.empty() ? Status::Ok()
                     : Status::Invalid(Name(item) + " has unit fields but is a " +
                                       std::string(ItemTypeName(item.type)));
  }
  if (!OneOf(u.status, {"original", "tailored"})) {
    return Status::Invalid(Name(item) + ": unit status \"" + u.status +
                           "\" is not original or tailored");
  }
  if (!OneOf(u.validity, {"current", "legacy"})) {
    return Status::Invalid(Name(item) + ": validity \"" + u.validity +
                           "\" is not current or legacy");
  }
  if (!OneOf(u.category, {"core", "generic", "job-specific"})) {
    return Status::Invalid(Name(item) + ": category \"" + u.category +
                           "\" is not core, generic or job-specific");
  }
  for (const std::string* date : {&u.approved, &u.review}) {
    if (!date->empty() && !IsIsoDate(*date)) {
      return Status::Invalid(Name(item) + ": \"" + *date + "\" is not a date as YYYY-MM-DD");
    }
  }
  if (u.version < 0) return Status::Invalid(Name(item) + ": a negative version");
  return Status::Ok();
}

Status CheckItems(const FrameworkDoc& doc) {
  std::unordered_map<std::string_view, size_t> index_of;
  std::unordered_set<std::string_view> codes;
  std::unordered_map<std::string_view, int> next_position;
  std::unordered_map<std::string_view, int> depth_of;
  for (size_t i = 0; i < doc.items.size(); ++i) {
    const Item& item = doc.items[i];
    if (item.uuid.empty()) return Status::Invalid(Name(item) + " has no UUID");
    if (item.framework_uuid != doc.framework.uuid) {
      return Status::Invalid(Name(item) + " belongs to another framework");
    }
    if (!index_of.emplace(item.uuid, i).second) {
      return Status::Invalid("two items have the UUID " + item.uuid);
    }
    if (!item.code.empty() && !codes.insert(item.code).second) {
      return Status::Invalid("two items have the code \"" + item.code + "\"");
    }
    if (item.title.empty() && item.text.empty() && item.code.empty()) {
      return Status::Invalid(Name(item) + " has no title, text or code");
    }
    if (Status s = CheckUnitFields(item); !s.ok()) return s;
    if (!item.parent_uuid.empty() && !index_of.count(item.parent_uuid)) {
      return Status::Invalid(Name(item) + " names a parent " + item.parent_uuid +
                             " that is not an earlier item of the framework");
    }
    const int depth = item.parent_uuid.empty() ? 1 : depth_of[item.parent_uuid] + 1;
    if (depth > kMaxTreeDepth) {
      return Status::Invalid(Name(item) + " is nested more than " +
                             std::to_string(kMaxTreeDepth) + " levels deep");
    }
    depth_of[item.uuid] = depth;
    int& expected = next_position[item.parent_uuid];
    if (item.position != expected) {
      return Status::Invalid(Name(item) + " is at position " + std::to_string(item.position) +
                             " among its siblings; expected " + std::to_string(expected));
    }
    ++expected;
  }
  return Status::Ok();
}

Status CheckAssociations(const FrameworkDoc& doc) {
  std::unordered_set<std::string_view> uuids;
  for (const Association& a : doc.associations) {
    const std::string name = "association " + (a.uuid.empty() ? a.type : a.uuid);
    if (a.uuid.empty()) return Status::Invalid(name + " has no UUID");
    if (!uuids.insert(a.uuid).second) {
      return Status::Invalid("two associations have the UUID " + a.uuid);
    }
    if (!IsValidAssociationType(a.type)) {
      return Status::Invalid(name + " has an unknown type \"" + a.type + "\"");
    }
    if (a.origin.uuid.empty() && a.origin.uri.empty()) {
      return Status::Invalid(name + " has no origin");
    }
    if (a.destination.uuid.empty() && a.destination.uri.empty()) {
      return Status::Invalid(name + " has no destination");
    }
    if (a.provenance != "authored" && a.provenance != "imported" && a.provenance != "suggested") {
      return Status::Invalid(name + " has an unknown provenance \"" + a.provenance + "\"");
    }
  }
  return Status::Ok();
}

// A tree association's own identifier names one association in CASE: no other tree
// association, association or item of the framework may have it.
Status CheckTreeIdentifiers(const FrameworkDoc& doc) {
  std::unordered_set<std::string_view> taken{doc.framework.uuid};
  for (const Item& item : doc.items) taken.insert(item.uuid);
  for (const Association& a : doc.associations) taken.insert(a.uuid);
  for (const Item& item : doc.items) {
    if (item.child_of_uuid.empty()) continue;
    if (!taken.insert(item.child_of_uuid).second) {
      return Status::Invalid(Name(item) + ": the identifier " + item.child_of_uuid +
                             " of its isChildOf association is already used in the framework");
    }
  }
  return Status::Ok();
}

}  // namespace

bool IsIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Status ValidateFramework(const FrameworkDoc& doc) {
  const Framework& f = doc.framework;
  if (f.uuid.empty()) return Status::Invalid("the framework has no UUID");
  if (f.code.empty()) return Status::Invalid("the framework has no code");
  if (f.edition.empty()) return Status::Invalid("the framework has no edition");
  if (f.title.empty()) return Status::Invalid("the framework has no title");
  for (const std::string* date : {&f.published, &f.review}) {
    if (!date->empty() && !IsIsoDate(*date)) {
      return Status::Invalid("the framework date \"" + *date + "\" is not YYYY-MM-DD");
    }
  }
  if (f.code.find('@') != std::string::npos) {
    return Status::Invalid("the framework code \"" + f.code + "\" must not contain '@'");
  }
  if (Status s = CheckItems(doc); !s.ok()) return s;
  if (Status s = CheckAssociations(doc); !s.ok()) return s;
  return CheckTreeIdentifiers(doc);
}

Status PutInTreeOrder(FrameworkDoc& doc) {
  std::unordered_map<std::string, std::vector<size_t>> children;
  std::unordered_set<std::string> uuids;
  for (size_t i = 0; i < doc.items.size(); ++i) uuids.insert(doc.items[i].uuid);
  for (size_t i = 0; i < doc.items.size(); ++i) {
    const Item& item = doc.items[i];
    if (!item.parent_uuid.empty() && !uuids.count(item.parent_uuid)) {
      return Status::Invalid(Name(item) + " names a parent that is not in the framework");
    }
    children[item.parent_uuid].push_back(i);
  }
  std::vector<Item> ordered;
  ordered.reserve(doc.items.size());
  // Iterative depth-first walk from the roots; items never reached sit on a cycle.
  std::vector<std::pair<std::string, size_t>> stack{{"", 0}};
  while (!stack.empty()) {
    auto& [parent, next] = stack.back();
    const auto& kids = children[parent];
    if (next == kids.size()) {
      stack.pop_back();
      continue;
    }
    Item item = std::move(doc.items[kids[next]]);
    item.position = static_cast<int>(next);
    ++next;
    std::string uuid = item.uuid;
    ordered.push_back(std::move(item));
    stack.emplace_back(std::move(uuid), 0);
  }
  if (ordered.size() != doc.items.size()) {
    return Status::Invalid("the items' parents form a cycle");
  }
  doc.items = std::move(ordered);
  return Status::Ok();
}

}  // namespace opennos
