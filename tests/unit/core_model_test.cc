#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/model.h"

namespace opennos {
namespace {

constexpr ItemType kAllTypes[] = {
    ItemType::kKeyArea,      ItemType::kFunction,
    ItemType::kUnit,         ItemType::kPerformanceCriterion,
    ItemType::kKnowledge,    ItemType::kBehaviour,
    ItemType::kSkill,        ItemType::kScope,
    ItemType::kGlossaryTerm, ItemType::kStatement,
};

TEST(ItemType, EveryTypeNameParsesBackToItsType) {
  std::set<std::string_view> names;
  for (ItemType t : kAllTypes) {
    const std::string_view name = ItemTypeName(t);
    EXPECT_TRUE(names.insert(name).second) << "two types share the name " << name;
    ASSERT_TRUE(ParseItemType(name).has_value()) << name;
    EXPECT_EQ(*ParseItemType(name), t) << name;
    EXPECT_FALSE(ItemTypeLabel(t).empty()) << name;
  }
}

TEST(ItemType, NativeNamesAreTheOnesTheFileFormatDocuments) {
  const std::pair<ItemType, std::string_view> cases[] = {
      {ItemType::kKeyArea, "key-area"},
      {ItemType::kFunction, "function"},
      {ItemType::kUnit, "unit"},
      {ItemType::kPerformanceCriterion, "performance-criterion"},
      {ItemType::kKnowledge, "knowledge"},
      {ItemType::kBehaviour, "behaviour"},
      {ItemType::kSkill, "skill"},
      {ItemType::kScope, "scope"},
      {ItemType::kGlossaryTerm, "glossary-term"},
      {ItemType::kStatement, "statement"},
  };
  for (const auto& [type, name] : cases) EXPECT_EQ(ItemTypeName(type), name);
}

TEST(ItemType, ParsingRefusesAnythingButANativeName) {
  for (std::string_view name :
       {"", "Unit", "UNIT", "performance criterion", "criterion", "key_area", " unit", "unit "}) {
    EXPECT_FALSE(ParseItemType(name).has_value()) << '"' << name << '"';
  }
}

TEST(ItemType, ForeignNamesMapToNosTypesWhateverTheirCaseOrPunctuation) {
  const std::pair<std::string_view, ItemType> cases[] = {
      {"Performance Criterion", ItemType::kPerformanceCriterion},
      {"performance-criteria", ItemType::kPerformanceCriterion},
      {"PERFORMANCE_CRITERIA", ItemType::kPerformanceCriterion},
      {"KNOWLEDGE AND UNDERSTANDING", ItemType::kKnowledge},
      {"Knowledge", ItemType::kKnowledge},
      {"Key Area", ItemType::kKeyArea},
      {"Key function", ItemType::kFunction},
      {"Standard", ItemType::kUnit},
      {"NOS", ItemType::kUnit},
      {"Behaviours", ItemType::kBehaviour},
      {"Behavior", ItemType::kBehaviour},
      {"Behaviour indicator", ItemType::kBehaviour},
      {"Skills", ItemType::kSkill},
      {"Scope/Range", ItemType::kScope},
      {"Glossary", ItemType::kGlossaryTerm},
      {"Glossary Term", ItemType::kGlossaryTerm},
      {"Statement", ItemType::kStatement},
      {"Something else", ItemType::kStatement},
      {"", ItemType::kStatement},
      {"Competency", ItemType::kStatement},
  };
  for (const auto& [name, type] : cases) {
    EXPECT_EQ(ItemTypeName(ItemTypeFromForeignName(name)), ItemTypeName(type)) << name;
  }
}

TEST(ItemType, OnlyStructureTypesAreNotStatements) {
  for (ItemType t : kAllTypes) {
    const bool structure =
        t == ItemType::kKeyArea || t == ItemType::kFunction || t == ItemType::kUnit;
    EXPECT_EQ(IsStatementType(t), !structure) << ItemTypeName(t);
  }
}

TEST(FrameworkStatus, EveryStatusNameParsesBackToItsStatus) {
  const std::pair<FrameworkStatus, std::string_view> cases[] = {
      {FrameworkStatus::kDraft, "draft"},         {FrameworkStatus::kConsultation, "consultation"},
      {FrameworkStatus::kApproved, "approved"},   {FrameworkStatus::kSuperseded, "superseded"},
      {FrameworkStatus::kWithdrawn, "withdrawn"},
  };
  for (const auto& [status, name] : cases) {
    EXPECT_EQ(FrameworkStatusName(status), name);
    ASSERT_TRUE(ParseFrameworkStatus(name).has_value()) << name;
    EXPECT_EQ(*ParseFrameworkStatus(name), status) << name;
  }
  for (std::string_view name : {"", "Approved", "published", "retired"}) {
    EXPECT_FALSE(ParseFrameworkStatus(name).has_value()) << name;
  }
}

TEST(Framework, DefaultsToApprovedAndEnglish) {
  const Framework f;
  EXPECT_EQ(f.status, FrameworkStatus::kApproved);
  EXPECT_EQ(f.language, "en");
}

TEST(AssociationType, TheCaseTypesAndWellFormedExtensionsAreValid) {
  EXPECT_EQ(AssociationTypeNames().size(), 10u);
  for (std::string_view name : AssociationTypeNames()) {
    EXPECT_TRUE(IsValidAssociationType(name)) << name;
  }
  const std::pair<std::string_view, bool> cases[] = {
      {"isChildOf", true},
      {"replacedBy", true},
      {"isTranslationOf", true},
      {"ext:foo", true},
      {"ext:a.b-c_d9", true},
      {"ext:", false},
      {"ext", false},
      {"ext:foo bar", false},
      {"ext:foo/bar", false},
      {"made-up", false},
      {"", false},
      {"IsChildOf", false},
      {"isrelatedto", false},
      {"EXT:foo", false},
      {" isPartOf", false},
  };
  for (const auto& [name, valid] : cases) {
    EXPECT_EQ(IsValidAssociationType(name), valid) << '"' << name << '"';
  }
}

TEST(UnitFields, AreEmptyUntilAnyFieldIsSet) {
  EXPECT_TRUE(UnitFields{}.empty());
  UnitFields with_version;
  with_version.version = 1;
  EXPECT_FALSE(with_version.empty());
  UnitFields with_keyword;
  with_keyword.keywords = {"x"};
  EXPECT_FALSE(with_keyword.empty());
  UnitFields with_occupation;
  with_occupation.occupations = {"1131"};
  EXPECT_FALSE(with_occupation.empty());
  EXPECT_TRUE(WelshText{}.empty());
  EXPECT_FALSE((WelshText{"", "", "trosolwg"}).empty());
}

}  // namespace
}  // namespace opennos
