#include "web/subset.h"

#include <unordered_map>
#include <unordered_set>

namespace opennos::web {

FrameworkDoc UnitSubset(const FrameworkDoc& doc, const std::string& unit_uuid) {
  FrameworkDoc out;
  out.framework = doc.framework;
  std::unordered_map<std::string, const Item*> by_uuid;
  for (const Item& item : doc.items) by_uuid[item.uuid] = &item;
  // Ancestors, root first, each the only child of the one before.
  std::vector<const Item*> chain;
  for (auto it = by_uuid.find(unit_uuid); it != by_uuid.end();
       it = by_uuid.find(it->second->parent_uuid)) {
    chain.insert(chain.begin(), it->second);
  }
  std::unordered_set<std::string> inside{unit_uuid};
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    Item copy = *chain[i];
    copy.position = 0;
    out.items.push_back(std::move(copy));
  }
  // doc.items is in pre-order, so a descendant always follows its parent.
  for (const Item& item : doc.items) {
    if (item.uuid == unit_uuid) {
      Item copy = item;
      copy.position = 0;
      out.items.push_back(std::move(copy));
    } else if (inside.count(item.parent_uuid)) {
      inside.insert(item.uuid);
      out.items.push_back(item);
    }
  }
  for (const Association& a : doc.associations) {
    if (inside.count(a.origin.uuid)) out.associations.push_back(a);
  }
  return out;
}

}  // namespace opennos::web
