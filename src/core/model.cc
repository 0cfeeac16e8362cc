#include "core/model.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/uuid.h"

namespace opennos {

bool IsPublic(const Framework& f) {
  if (f.status == FrameworkStatus::kDraft) return false;
  return f.status != FrameworkStatus::kWithdrawn || !f.published.empty();
}

bool IsPublic(const Association& a) { return a.provenance != "suggested" || a.decision == "accepted"; }
namespace {

struct TypeRow {
  ItemType type;
  std::string_view name;
  std::string_view label;
};

constexpr std::array<TypeRow, 10> kTypes{{
    {ItemType::kKeyArea, "key-area", "Key area"},
    {ItemType::kFunction, "function", "Function"},
    {ItemType::kUnit, "unit", "Unit"},
    {ItemType::kPerformanceCriterion, "performance-criterion", "Performance criterion"},
    {ItemType::kKnowledge, "knowledge", "Knowledge and understanding"},
    {ItemType::kBehaviour, "behaviour", "Behaviour"},
    {ItemType::kSkill, "skill", "Skill"},
    {ItemType::kScope, "scope", "Scope/range"},
    {ItemType::kGlossaryTerm, "glossary-term", "Glossary term"},
    {ItemType::kStatement, "statement", "Statement"},
}};

// Lower-cases and drops everything but letters, so "Performance Criterion", "performance-
// criterion" and "PERFORMANCE_CRITERIA" compare alike.
std::string Fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

constexpr std::array<std::pair<std::string_view, ItemType>, 22> kForeignNames{{
    {"keyarea", ItemType::kKeyArea},
    {"function", ItemType::kFunction},
    {"keyfunction", ItemType::kFunction},
    {"unit", ItemType::kUnit},
    {"standard", ItemType::kUnit},
    {"nos", ItemType::kUnit},
    {"performancecriterion", ItemType::kPerformanceCriterion},
    {"performancecriteria", ItemType::kPerformanceCriterion},
    {"knowledge", ItemType::kKnowledge},
    {"knowledgeandunderstanding", ItemType::kKnowledge},
    {"behaviour", ItemType::kBehaviour},
    {"behaviours", ItemType::kBehaviour},
    {"behavior", ItemType::kBehaviour},
    {"skill", ItemType::kSkill},
    {"skills", ItemType::kSkill},
    {"scope", ItemType::kScope},
    {"scoperange", ItemType::kScope},
    {"range", ItemType::kScope},
    {"glossaryterm", ItemType::kGlossaryTerm},
    {"glossary", ItemType::kGlossaryTerm},
    {"statement", ItemType::kStatement},
    {"behaviourindicator", ItemType::kBehaviour},
}};

constexpr std::array<std::string_view, 5> kStatusNames{"draft", "consultation", "approved",
                                                       "superseded", "withdrawn"};

}  // namespace

std::string_view ItemTypeName(ItemType t) { return kTypes[static_cast<size_t>(t)].name; }
std::string_view ItemTypeLabel(ItemType t) { return kTypes[static_cast<size_t>(t)].label; }

std::optional<ItemType> ParseItemType(std::string_view name) {
  for (const auto& row : kTypes) {
    if (row.name == name) return row.type;
  }
  return std::nullopt;
}

ItemType ItemTypeFromForeignName(std::string_view name) {
  const std::string folded = Fold(name);
  for (const auto& [foreign, type] : kForeignNames) {
    if (foreign == folded) return type;
  }
  return ItemType::kStatement;
}

bool IsStatementType(ItemType t) {
  return t != ItemType::kKeyArea && t != ItemType::kFunction && t != ItemType::kUnit;
}

std::string_view FrameworkStatusName(FrameworkStatus s) {
  return kStatusNames[static_cast<size_t>(s)];
}

std::optional<FrameworkStatus> ParseFrameworkStatus(std::string_view name) {
  for (size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return static_cast<FrameworkStatus>(i);
  }
  return std::nullopt;
}

const std::vector<std::string_view>& AssociationTypeNames() {
  static const std::vector<std::string_view> kNames{
      "isChildOf", "isPartOf",      "exactMatchOf", "isRelatedTo",    "isPeerOf",
      "replacedBy", "precedes",     "exemplar",     "hasSkillLevel",  "isTranslationOf"};
  return kNames;
}

bool IsValidAssociationType(std::string_view name) {
  const auto& names = AssociationTypeNames();
  if (std::find(names.begin(), names.end(), name) != names.end()) return true;
  if (name.size() <= 4 || name.substr(0, 4) != "ext:") return false;
  return std::all_of(name.begin() + 4, name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

bool UnitFields::empty() const {
  return urn.empty() && overview.empty() && version == 0 && status.empty() &&
         developed_by.empty() && originating_organisation.empty() && approved.empty() &&
         review.empty() && validity.empty() && category.empty() && original_urn.empty() &&
         keywords.empty() && occupations.empty();
}

std::string DerivedChildOfUuid(std::string_view item_uuid) {
  return NameUuid(item_uuid, "isChildOf");
}

std::string ChildOfUuid(const Item& item) {
  return item.child_of_uuid.empty() ? DerivedChildOfUuid(item.uuid) : item.child_of_uuid;
}

}  // namespace opennos
