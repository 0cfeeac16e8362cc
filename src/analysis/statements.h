#pragma once
// The statements of a framework as the analyses see them: the items of the statement types
// (performance criteria, knowledge, behaviours, skills, generic statements ...) in tree order,
// each with the unit and the key area (top-level item) it sits under.

#include <string>
#include <vector>

#include "core/model.h"

namespace opennos::analysis {

struct Statements {
  const FrameworkDoc* doc = nullptr;         // not owned; must outlive this
  std::vector<const Item*> items;            // the statements, in tree order
  std::vector<const Item*> units;            // beside items: its unit, or nullptr
  std::vector<const Item*> key_areas;        // beside items: its top-level ancestor, or nullptr
  std::vector<const Item*> all_units;        // every unit of the framework, in tree order
  std::size_t size() const { return items.size(); }
};

// Collects the statements of `doc`, which must outlive the result.
Statements CollectStatements(const FrameworkDoc& doc);

// The text of an item that analysis compares: its text, or its title when it has no text.
const std::string& ComparedText(const Item& item);

// The text of each unit (beside all_units): its title, text, overview and every statement
// under it, for comparing units with each other (edition comparison).
std::vector<std::string> UnitTexts(const Statements& s);

}  // namespace opennos::analysis
