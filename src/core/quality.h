#pragma once
// Quality checks on a draft: a table of checks (id, severity, the field each concerns, the
// message shown beside that field) and one function that runs them all over a framework. No
// I/O: what the checks need from the store (SOC codes, whether a linked unit exists) comes in
// a QualityContext. The checks are listed for people in docs/quality-checks.md.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/model.h"

namespace opennos {

enum class Severity { kError, kWarning };
std::string_view SeverityName(Severity s);  // error | warning

// What the checks may ask of the world outside the framework.
struct QualityContext {
  // The unit-group codes of the SOC 2020 framework in the store; null when it has not been
  // imported, and then only the shape of a code (four digits, not starting with 0) is checked.
  const std::unordered_set<std::string>* soc2020_codes = nullptr;
  // Whether an item with this UUID exists in the store; null: links outside the framework are
  // not checked.
  std::function<bool(const std::string& uuid)> item_exists;
  // Whether a unit with this URN exists in the store; null: original URNs are not checked.
  std::function<bool(const std::string& urn)> urn_exists;
};

// What a check looks at: the framework, and for unit checks one unit with its own statements
// (the items directly under it, in order).
struct CheckSubject {
  const FrameworkDoc& doc;
  const Item* unit = nullptr;
  std::vector<const Item*> statements;
};

// A place a check found a problem: the item (empty for the framework record) and the detail
// that fills the check's message.
struct CheckHit {
  std::string item_uuid;
  std::vector<std::string> details;
};

struct QualityCheck {
  std::string_view id;
  Severity severity;
  bool per_unit;           // run once per unit (else once per framework)
  std::string_view field;  // the field it concerns, as the API and forms name it
  // Shown beside the field; "{1}", "{2}" are replaced by the hit's details in order.
  std::string_view message;
  void (*run)(const CheckSubject& subject, const QualityContext& context,
              std::vector<CheckHit>& hits);
};

// Every check, in the order findings are reported.
const std::vector<QualityCheck>& QualityChecks();

struct Finding {
  std::string check;  // QualityCheck::id
  Severity severity = Severity::kWarning;
  std::string item_uuid;  // empty: the framework record
  std::string field;
  std::string message;
};

// Runs every check over `doc` (a draft, in tree pre-order). Findings come in the order of the
// check table, then of the items. Never fails.
std::vector<Finding> RunQualityChecks(const FrameworkDoc& doc, const QualityContext& context);

// Two statements at least this alike (StatementSimilarity) are "near-identical".
inline constexpr double kNearDuplicateSimilarity = 0.8;

// True when `text` starts with a verb of the built-in list (compared by stem), the way a
// performance criterion should ("Identify ...", "agree ...").
bool StartsWithVerb(std::string_view text);

}  // namespace opennos
