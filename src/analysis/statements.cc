#include "analysis/statements.h"

#include <unordered_map>

namespace opennos::analysis {

Statements CollectStatements(const FrameworkDoc& doc) {
  Statements s;
  s.doc = &doc;
  std::unordered_map<std::string_view, const Item*> by_uuid;
  by_uuid.reserve(doc.items.size());
  for (const Item& item : doc.items) by_uuid.emplace(item.uuid, &item);
  // Items come in pre-order, so each parent's unit and key area are known before its children.
  std::unordered_map<std::string_view, std::pair<const Item*, const Item*>> context;
  context.reserve(doc.items.size());
  for (const Item& item : doc.items) {
    const Item* unit = nullptr;
    const Item* top = &item;
    if (!item.parent_uuid.empty()) {
      auto it = context.find(item.parent_uuid);
      if (it != context.end()) std::tie(unit, top) = it->second;
    }
    if (item.type == ItemType::kUnit) {
      unit = &item;
      s.all_units.push_back(&item);
    }
    context.emplace(item.uuid, std::make_pair(unit, top));
    if (!IsStatementType(item.type)) continue;
    s.items.push_back(&item);
    s.units.push_back(unit);
    s.key_areas.push_back(top == &item ? nullptr : top);
  }
  return s;
}

const std::string& ComparedText(const Item& item) {
  return item.text.empty() ? item.title : item.text;
}

std::vector<std::string> UnitTexts(const Statements& s) {
  std::unordered_map<const Item*, std::size_t> at;
  std::vector<std::string> texts;
  for (const Item* unit : s.all_units) {
    at.emplace(unit, texts.size());
    texts.push_back(unit->title + "\n" + unit->text + "\n" + unit->unit.overview);
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.units[i] != nullptr) texts[at[s.units[i]]] += "\n" + ComparedText(*s.items[i]);
  }
  return texts;
}

}  // namespace opennos::analysis
