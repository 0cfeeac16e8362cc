#pragma once
// The analyses over stored frameworks, as the CLI and the web share them: naming frameworks,
// storing crosswalk suggestions and deciding on them.

#include <string>
#include <vector>

#include "analysis/reports.h"
#include "storage/store.h"

namespace opennos {

// The framework a person names (UUID, CODE or CODE@EDITION), loaded whole.
Result<FrameworkDoc> LoadNamedFramework(Store& store, const std::string& name);
// The same, as an outline (Store::LoadFrameworkOutline): enough for duplicates, coverage and
// crosswalk, not for editions.
Result<FrameworkDoc> LoadNamedFrameworkOutline(Store& store, const std::string& name);

// What storing suggestions did.
struct SuggestionsSaved {
  std::size_t added = 0;      // new suggestions, pending
  std::size_t updated = 0;    // pending ones whose score or type changed
  std::size_t kept = 0;       // already there: unchanged, or decided (a decision is never undone)
};

// Stores a crosswalk's pairs as associations stated by the first framework, provenance
// "suggested", with their score and decision "pending". A suggestion's UUID is derived from its
// two statements, so running the same crosswalk again adds nothing. One transaction.
Result<SuggestionsSaved> StoreSuggestions(Store& store, const analysis::CrosswalkReport& report,
                                          const ChangeContext& who);

// The suggested associations a framework states, pending first, then by score.
Result<std::vector<Association>> Suggestions(Store& store, const std::string& framework_uuid);
std::vector<Association> SuggestionsOf(const FrameworkDoc& doc);

// One decision on a suggestion: its UUID and whether it is accepted (else rejected).
struct SuggestionDecision {
  std::string uuid;
  bool accept = true;
};

// Accepts or rejects suggestions stated by `framework_uuid`, all in one write: NotFound if one
// of them is no suggestion there, Invalid for an association that is not a suggestion or a
// malformed UUID, and then nothing changes. Deciding again the way it was decided changes
// nothing; changing one's mind is a new revision. Returns the suggestions as decided, in the
// order asked.
Result<std::vector<Association>> DecideSuggestions(Store& store, const std::string& framework_uuid,
                                                   const std::vector<SuggestionDecision>& decisions,
                                                   const ChangeContext& who);

}  // namespace opennos
