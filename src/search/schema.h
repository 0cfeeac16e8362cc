#pragma once
// The index's written scheme: term prefixes and value slots (docs/search.md says the same).

#include <xapian.h>

namespace opennos::search::schema {

// Boolean (filter) terms, one per value.
inline constexpr const char* kId = "Q";             // item UUID
inline constexpr const char* kFramework = "XF";     // framework UUID
inline constexpr const char* kSuite = "XS";         // CODE@EDITION
inline constexpr const char* kType = "XT";          // native item type
inline constexpr const char* kOccupation = "XO";    // SOC code
inline constexpr const char* kDeveloper = "XD";     // developed by
inline constexpr const char* kValidity = "XV";      // current | legacy
inline constexpr const char* kCategory = "XG";      // core | generic | job-specific
// Weighted terms for exact matches, so that an exact URN or title comes first.
inline constexpr const char* kExactUrn = "XU";      // normalised URN
inline constexpr const char* kExactTitle = "XX";    // normalised whole title
// A boost term on what is in force: units of a framework that is not superseded or withdrawn,
// and not legacy. Searches prefer these, so the current edition outranks older ones.
inline constexpr const char* kInForce = "XN";
// Free-text field prefixes (the query parser's "title:" and "code:").
inline constexpr const char* kTitleWords = "S";
inline constexpr const char* kCodeWords = "XC";

// Value slots.
inline constexpr Xapian::valueno kSlotSuite = 0;
inline constexpr Xapian::valueno kSlotType = 1;
inline constexpr Xapian::valueno kSlotDeveloper = 2;
inline constexpr Xapian::valueno kSlotValidity = 3;
inline constexpr Xapian::valueno kSlotCategory = 4;
inline constexpr Xapian::valueno kSlotOccupations = 5;  // '\n'-joined SOC codes
inline constexpr Xapian::valueno kSlotCollapse = 6;     // the unit's UUID (or the item's own)

// Metadata keys.
inline constexpr const char* kMetaSeq = "opennos:change-seq";
inline constexpr const char* kMetaSchema = "opennos:schema";
inline constexpr const char* kSchemaVersion = "1";

}  // namespace opennos::search::schema
