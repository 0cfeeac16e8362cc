#include "core/quality.h"

#include <cmath>
#include <unordered_map>

#include "core/similarity.h"
#include "text/text.h"

namespace opennos {

const std::vector<std::string_view>& CriterionVerbs();  // verbs.cc

namespace {

bool Blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::string Named(const Item& item) {
  return item.code.empty() ? "an unnamed statement" : item.code;
}

bool HasStatementOf(const CheckSubject& s, ItemType type) {
  for (const Item* item : s.statements) {
    if (item->type == type) return true;
  }
  return false;
}

void FrameworkTitle(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  if (Blank(s.doc.framework.title)) hits.push_back({});
}

void KeyPurpose(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  if (Blank(s.doc.framework.key_purpose)) hits.push_back({});
}

void UnitTitle(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  if (Blank(s.unit->title)) hits.push_back({s.unit->uuid, {}});
}

void UnitOverview(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  if (Blank(s.unit->unit.overview)) hits.push_back({s.unit->uuid, {}});
}

void UnitCriteria(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  if (!HasStatementOf(s, ItemType::kPerformanceCriterion)) hits.push_back({s.unit->uuid, {}});
}

void UnitKnowledge(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  if (!HasStatementOf(s, ItemType::kKnowledge)) hits.push_back({s.unit->uuid, {}});
}

void UnitReview(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  if (Blank(s.unit->unit.review)) hits.push_back({s.unit->uuid, {}});
}

void EmptyStatement(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  for (const Item* item : s.statements) {
    if (IsStatementType(item->type) && Blank(item->text)) hits.push_back({item->uuid, {}});
  }
}

void CriterionVerb(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  for (const Item* item : s.statements) {
    if (item->type != ItemType::kPerformanceCriterion || Blank(item->text)) continue;
    if (StartsWithVerb(item->text)) continue;
    const auto words = text::Tokens(text::Normalise(item->text));
    hits.push_back({item->uuid, {words.empty() ? item->text.substr(0, 20) : words.front()}});
  }
}

// Pairs of statements of one type within a unit; `exact` picks identical (after the text
// pipeline) or merely near-identical ones. Each later statement is reported once, against the
// first earlier one it matches.
void Duplicates(const CheckSubject& s, bool exact, std::vector<CheckHit>& hits) {
  for (size_t j = 0; j < s.statements.size(); ++j) {
    const Item& b = *s.statements[j];
    if (!IsStatementType(b.type) || Blank(b.text)) continue;
    for (size_t i = 0; i < j; ++i) {
      const Item& a = *s.statements[i];
      if (a.type != b.type || Blank(a.text)) continue;
      const double score = StatementSimilarity(a.text, b.text);
      const bool same = score >= 1.0;
      if (exact ? !same : (same || score < kNearDuplicateSimilarity)) continue;
      hits.push_back({b.uuid,
                      {Named(a), std::to_string(static_cast<int>(std::floor(score * 100)))}});
      break;
    }
  }
}

void DuplicateStatement(const CheckSubject& s, const QualityContext&,
                        std::vector<CheckHit>& hits) {
  Duplicates(s, true, hits);
}

void NearDuplicateStatement(const CheckSubject& s, const QualityContext&,
                            std::vector<CheckHit>& hits) {
  Duplicates(s, false, hits);
}

bool SocShape(const std::string& code) {
  if (code.size() != 4 || code[0] == '0') return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void OccupationShape(const CheckSubject& s, const QualityContext&, std::vector<CheckHit>& hits) {
  for (const auto& code : s.unit->unit.occupations) {
    if (!SocShape(code)) hits.push_back({s.unit->uuid, {code}});
  }
}

void OccupationKnown(const CheckSubject& s, const QualityContext& c,
                     std::vector<CheckHit>& hits) {
  if (c.soc2020_codes == nullptr) return;
  for (const auto& code : s.unit->unit.occupations) {
    if (SocShape(code) && !c.soc2020_codes->count(code)) hits.push_back({s.unit->uuid, {code}});
  }
}

// Links from the framework's units to other units: every association whose end names an
// OpenNOS item (a UUID, no outside URI) must lead to an item in this framework or the store.
void BrokenLinks(const CheckSubject& s, const QualityContext& c, std::vector<CheckHit>& hits) {
  std::unordered_map<std::string, const Item*> own;
  for (const Item& item : s.doc.items) own[item.uuid] = &item;
  auto dangling = [&](const NodeRef& end) {
    if (end.uuid.empty() || !end.uri.empty() || own.count(end.uuid)) return false;
    if (!end.framework_uuid.empty() && end.framework_uuid == s.doc.framework.uuid) return true;
    return c.item_exists && !c.item_exists(end.uuid);
  };
  for (const Association& a : s.doc.associations) {
    const NodeRef* lost = dangling(a.destination) ? &a.destination
                          : dangling(a.origin)    ? &a.origin
                                                  : nullptr;
    if (lost == nullptr) continue;
    const NodeRef& here = lost == &a.destination ? a.origin : a.destination;
    auto it = own.find(here.uuid);
    const std::string name = !lost->code.empty() ? lost->code : lost->uuid;
    hits.push_back({it == own.end() ? std::string() : it->second->uuid, {name, a.type}});
  }
}

void OriginalUrn(const CheckSubject& s, const QualityContext& c, std::vector<CheckHit>& hits) {
  const std::string& urn = s.unit->unit.original_urn;
  if (urn.empty() || !c.urn_exists || c.urn_exists(urn)) return;
  hits.push_back({s.unit->uuid, {urn}});
}

std::string Fill(std::string_view message, const std::vector<std::string>& details) {
  std::string out(message);
  for (size_t i = 0; i < details.size(); ++i) {
    const std::string slot = "{" + std::to_string(i + 1) + "}";
    for (size_t at = out.find(slot); at != std::string::npos;
         at = out.find(slot, at + details[i].size())) {
      out.replace(at, slot.size(), details[i]);
    }
  }
  return out;
}

}  // namespace

std::string_view SeverityName(Severity s) { return s == Severity::kError ? "error" : "warning"; }

const std::vector<QualityCheck>& QualityChecks() {
  using S = Severity;
  static const std::vector<QualityCheck> kChecks{
      {"suite-title", S::kError, false, "title", "Enter a title for the suite", FrameworkTitle},
      {"suite-key-purpose", S::kWarning, false, "keyPurpose",
       "Add the key purpose of the suite", KeyPurpose},
      {"unit-title", S::kError, true, "title", "Enter a title for the standard", UnitTitle},
      {"unit-overview", S::kError, true, "overview", "Add an overview of the standard",
       UnitOverview},
      {"unit-performance-criteria", S::kError, true, "performanceCriteria",
       "Add at least one performance criterion", UnitCriteria},
      {"unit-knowledge", S::kError, true, "knowledge",
       "Add at least one knowledge and understanding statement", UnitKnowledge},
      {"statement-empty", S::kError, true, "text", "Enter the text of the statement",
       EmptyStatement},
      {"criterion-verb", S::kWarning, true, "text",
       "Start the performance criterion with a verb, like \u201cIdentify\u201d (it starts with "
       "\u201c{1}\u201d)",
       CriterionVerb},
      {"statement-duplicate", S::kWarning, true, "text",
       "This statement repeats {1}: remove one of them", DuplicateStatement},
      {"statement-near-duplicate", S::kWarning, true, "text",
       "This statement is nearly the same as {1} ({2}% alike): merge them or make the "
       "difference clear",
       NearDuplicateStatement},
      {"unit-review-date", S::kWarning, true, "review", "Add an indicative review date",
       UnitReview},
      {"occupation-code-shape", S::kError, true, "occupations",
       "\u201c{1}\u201d is not a SOC 2020 unit group code: enter four digits, like 1131",
       OccupationShape},
      {"occupation-code-unknown", S::kWarning, true, "occupations",
       "\u201c{1}\u201d is not a unit group of SOC 2020", OccupationKnown},
      {"original-urn-unknown", S::kWarning, true, "originalUrn",
       "No standard in OpenNOS has the original URN \u201c{1}\u201d", OriginalUrn},
      {"link-broken", S::kError, false, "links",
       "The {2} link to {1} leads nowhere: that unit is not in OpenNOS", BrokenLinks},
  };
  return kChecks;
}

std::vector<Finding> RunQualityChecks(const FrameworkDoc& doc, const QualityContext& context) {
  std::vector<CheckSubject> units;
  std::unordered_map<std::string, size_t> unit_index;
  for (const Item& item : doc.items) {
    if (item.type == ItemType::kUnit) {
      unit_index[item.uuid] = units.size();
      units.push_back({doc, &item, {}});
    }
  }
  for (const Item& item : doc.items) {
    auto it = unit_index.find(item.parent_uuid);
    if (it != unit_index.end()) units[it->second].statements.push_back(&item);
  }
  std::vector<Finding> out;
  for (const QualityCheck& check : QualityChecks()) {
    std::vector<CheckHit> hits;
    if (check.per_unit) {
      for (const CheckSubject& unit : units) check.run(unit, context, hits);
    } else {
      check.run(CheckSubject{doc, nullptr, {}}, context, hits);
    }
    for (const CheckHit& hit : hits) {
      out.push_back({std::string(check.id), check.severity, hit.item_uuid,
                     std::string(check.field), Fill(check.message, hit.details)});
    }
  }
  return out;
}

bool StartsWithVerb(std::string_view text) {
  static const std::unordered_set<std::string> kStems = [] {
    std::unordered_set<std::string> stems;
    for (auto verb : CriterionVerbs()) {
      const auto words = text::Tokens(text::Normalise(verb));
      if (!words.empty()) stems.insert(text::Stem(words.front()));
    }
    return stems;
  }();
  const auto words = text::Tokens(text::Normalise(text.substr(0, 200)));
  return !words.empty() && kStems.count(text::Stem(words.front())) > 0;
}

}  // namespace opennos
