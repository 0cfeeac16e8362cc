#include "unit/doc_builder.h"

#include <algorithm>
#include <stdexcept>

#include "core/codec.h"
#include "core/uuid.h"

namespace opennos::test {

FrameworkDoc EmptyFramework(const std::string& code, const std::string& edition) {
  FrameworkDoc doc;
  doc.framework.uuid = DerivedFrameworkUuid(code, edition);
  doc.framework.code = code;
  doc.framework.edition = edition;
  doc.framework.title = "Suite " + code + "@" + edition;
  return doc;
}

Item& ItemCoded(FrameworkDoc& doc, const std::string& code) {
  auto it = std::find_if(doc.items.begin(), doc.items.end(),
                         [&](const Item& item) { return item.code == code; });
  if (it == doc.items.end()) throw std::runtime_error("no item coded " + code);
  return *it;
}

Item& AddItem(FrameworkDoc& doc, ItemType type, const std::string& code,
              const std::string& parent_code) {
  Item item;
  item.uuid = DerivedItemUuid(doc.framework.uuid, code);
  item.framework_uuid = doc.framework.uuid;
  item.parent_uuid = parent_code.empty() ? "" : ItemCoded(doc, parent_code).uuid;
  item.position =
      static_cast<int>(std::count_if(doc.items.begin(), doc.items.end(), [&](const Item& other) {
        return other.parent_uuid == item.parent_uuid;
      }));
  item.type = type;
  item.code = code;
  item.text = "The text of " + code + ".";
  // Pre-order: after the parent's last descendant, which is the end while building top down.
  doc.items.push_back(std::move(item));
  return doc.items.back();
}

Association& AddAssociation(FrameworkDoc& doc, const std::string& type,
                            const std::string& origin_code, const std::string& destination_code) {
  Association a;
  a.framework_uuid = doc.framework.uuid;
  a.type = type;
  const Item& origin = ItemCoded(doc, origin_code);
  const Item& destination = ItemCoded(doc, destination_code);
  a.origin = {origin.uuid, doc.framework.uuid, origin.code, "", ""};
  a.destination = {destination.uuid, doc.framework.uuid, destination.code, "", ""};
  a.uuid = NameUuid(doc.framework.uuid,
                    "association:" + type + ":" + origin.uuid + ">" + destination.uuid);
  doc.associations.push_back(std::move(a));
  return doc.associations.back();
}

FrameworkDoc SampleFramework(const std::string& code, const std::string& edition,
                             const std::string& urn) {
  FrameworkDoc doc = EmptyFramework(code, edition);
  AddItem(doc, ItemType::kKeyArea, "A").title = "Key area A";
  Item& unit = AddItem(doc, ItemType::kUnit, "A1", "A");
  unit.title = "Unit A1";
  unit.unit.urn = urn;
  AddItem(doc, ItemType::kPerformanceCriterion, "A1.P1", "A1");
  AddItem(doc, ItemType::kPerformanceCriterion, "A1.P2", "A1");
  AddItem(doc, ItemType::kKnowledge, "A1.K1", "A1");
  AddItem(doc, ItemType::kUnit, "A2", "A").title = "Unit A2";
  AddItem(doc, ItemType::kPerformanceCriterion, "A2.P1", "A2");
  AddAssociation(doc, "isRelatedTo", "A1.P1", "A1.K1");
  return doc;
}

}  // namespace opennos::test
