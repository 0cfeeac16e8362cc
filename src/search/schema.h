#pragma once
// The index's written scheme: term prefixes and value slots (docs/search.md says the same).

#include <xapian.h>

namespace opennos::search::schema {

// Boolean (filter) terms, one per value.
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
// A word (its stem) occurring in an item of one type within a group's document: the prefix, one
// letter for the type ('A' + its ItemType number), then the stem. Boolean; for the type filter
// and facet of a search with words.
inline constexpr const char* kTypedWords = "XY";
// Two adjacent words (stems, neither a stop word) of one item: the prefix, the first stem, a
// space, the second. Boolean; narrows a phrase's candidates before positions are checked.
inline constexpr const char* kPairs = "XP";

// The one value slot: the group key (the shard's id and the group's number in it), with which a
// search leaves out masked documents and, through the shard table, orders equal scores by URN
// and UUID. Facet values live in each shard's table (kMetaTable), not in slots.
inline constexpr Xapian::valueno kSlotCollapse = 6;

// Metadata keys.
inline constexpr const char* kMetaSeq = "opennos:change-seq";
inline constexpr const char* kMetaSchema = "opennos:schema";
inline constexpr const char* kMetaTable = "opennos:table";  // the shard's groups (index.cc)
inline constexpr const char* kSchemaVersion = "4";

}  // namespace opennos::search::schema
