#pragma once
// The domain model, aligned with 1EdTech CASE: a Framework (CFDocument) holds a tree of Items
// (CFItem) and a set of Associations (CFAssociation). Identity is a UUID (lower-case text);
// codes are for people. These are plain values: no I/O, no storage concerns.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts.h"

namespace opennos {

enum class ItemType {
  kKeyArea,
  kFunction,
  kUnit,
  kPerformanceCriterion,
  kKnowledge,
  kBehaviour,
  kSkill,
  kScope,
  kGlossaryTerm,
  kStatement,  // a generic statement of an imported framework; Item::type_name says what it was
};

// The native name of a type ("performance-criterion").
std::string_view ItemTypeName(ItemType t);
// A person's label for a type ("Performance criterion").
std::string_view ItemTypeLabel(ItemType t);
// Parses a native name. Returns nullopt for anything else.
std::optional<ItemType> ParseItemType(std::string_view name);
// Maps a type name from another framework (CASE "CFItemType", any case, spaces or hyphens) to
// a NOS type; anything unrecognised is kStatement.
ItemType ItemTypeFromForeignName(std::string_view name);
// True for the types whose items are statements of competence (not structure).
bool IsStatementType(ItemType t);

enum class FrameworkStatus { kDraft, kConsultation, kApproved, kSuperseded, kWithdrawn };
std::string_view FrameworkStatusName(FrameworkStatus s);
std::optional<FrameworkStatus> ParseFrameworkStatus(std::string_view name);

// The association types of CASE v1.1. Extension types are written "ext:NAME".
const std::vector<std::string_view>& AssociationTypeNames();
// True for a CASE type or a well-formed "ext:NAME".
bool IsValidAssociationType(std::string_view name);

struct Framework {
  std::string uuid;
  std::string code;
  std::string edition;
  std::string title;
  FrameworkStatus status = FrameworkStatus::kApproved;
  std::string publisher;
  std::string key_purpose;
  std::string description;
  std::string language = "en";
  std::string licence;
  std::string published;         // YYYY-MM-DD or empty
  std::string review;            // YYYY-MM-DD or empty
  std::string previous_edition;  // "CODE@EDITION" or a UUID, as given
  std::string translation_note;
  std::string extra;             // a JSON object kept for lossless round trips, or empty
  std::int64_t revision = 0;     // store-assigned; counts the framework record's own changes
};

// True for a framework the public may read: not a draft, and not a draft withdrawn unpublished
// (what is left of a draft published as unit versions). Superseded and withdrawn editions that
// were published stay readable.
bool IsPublic(const Framework& f);

// Welsh text beside the English.
struct WelshText {
  std::string title;
  std::string text;
  std::string overview;
  bool empty() const { return title.empty() && text.empty() && overview.empty(); }
};

// The NOS fields of a unit (a standard). Empty on other items.
struct UnitFields {
  std::string urn;
  std::string overview;
  int version = 0;  // 0: not given
  std::string status;  // original | tailored
  std::string developed_by;
  std::string originating_organisation;
  std::string approved;  // YYYY-MM-DD
  std::string review;    // indicative review date, YYYY-MM-DD
  std::string validity;  // current | legacy
  std::string category;  // core | generic | job-specific
  std::string original_urn;
  std::vector<std::string> keywords;
  std::vector<std::string> occupations;  // SOC 2020 unit-group codes
  bool empty() const;
};

struct Item {
  std::string uuid;
  std::string framework_uuid;
  std::string parent_uuid;  // empty for a top-level item
  int position = 0;         // among its siblings, from 0
  ItemType type = ItemType::kStatement;
  std::string type_name;  // for kStatement: the source type name
  std::string code;
  std::string title;
  std::string text;
  UnitFields unit;
  WelshText cy;
  // The identifier of the item's tree (isChildOf) association when a CASE package gave it
  // one of its own; empty: derived from the item's UUID (ChildOfUuid).
  std::string child_of_uuid;
  std::string extra;
  std::int64_t revision = 0;
};

// The identifier of an item's tree (isChildOf) association in CASE: its own child_of_uuid, or
// else a name-based UUID of the item's UUID (DerivedChildOfUuid). Like any CASE identifier it
// names one object in the whole store (the store refuses a second).
std::string ChildOfUuid(const Item& item);
std::string DerivedChildOfUuid(std::string_view item_uuid);

// One end of an association: an item of OpenNOS (uuid, with framework and code where known)
// or a node outside it (uri, title, identifier as given).
struct NodeRef {
  std::string uuid;            // the item's UUID, or an external node's identifier
  std::string framework_uuid;  // the framework holding it, if known
  std::string code;
  std::string uri;
  std::string title;
};

struct Association {
  std::string uuid;
  std::string framework_uuid;  // the framework that states the association
  std::string type;
  NodeRef origin;
  NodeRef destination;
  std::string provenance = "authored";  // authored | imported | suggested
  std::optional<double> score;
  std::string decision;  // pending | accepted | rejected, for suggested ones
  std::string extra;
  std::int64_t revision = 0;
};

// Whether the public sees an association: every one but a crosswalk suggestion no editor has
// accepted (pending and rejected ones are the owning organisation's work in progress).
bool IsPublic(const Association& a);

// A whole framework: its record, its items in tree pre-order (parents before children,
// siblings by position), and the associations it states.
struct FrameworkDoc {
  Framework framework;
  std::vector<Item> items;
  std::vector<Association> associations;
};

// One kept change of a framework, item or association.
struct Revision {
  std::int64_t id = 0;
  std::string entity;  // framework | item | association
  std::string entity_uuid;
  std::string framework_uuid;
  std::int64_t number = 0;  // this entity's revision number, from 1
  std::string author;
  std::string at;  // UTC, ISO 8601
  std::string reason;
  std::string before;  // JSON snapshot, empty when the entity was created
  std::string after;   // JSON snapshot, empty when the entity was removed
};

// A framework or item that must still be at `revision` when a write commits: how an editor
// who started from that revision learns that someone else saved first.
struct Precondition {
  std::string uuid;
  std::int64_t revision = 0;
};

// Who makes a change, and why; and, with accounts, for which organisation.
struct ChangeContext {
  std::string author;
  std::string reason;
  // The organisation (an id) that owns the frameworks this change creates; empty: none.
  std::string organisation{};
  // When set, updating a framework that another organisation owns (or nobody owns) is refused
  // (Forbidden) and nothing is written. Set for writes through the server; the command line,
  // run by whoever runs the data directory, leaves it unset.
  bool only_own_frameworks = false;
  // Checked inside the write's transaction: a framework or item at another revision (or gone)
  // fails the whole write with Conflict and writes nothing.
  std::vector<Precondition> expect = {};
  // When set, the write appends this entry to the audit log inside its own transaction (its
  // detail followed by what the write changed), so the record and the change stand or fall
  // together. Writes through the server set it; `at` 0 means the time of the write.
  std::optional<AuditEntry> audit = std::nullopt;
};

}  // namespace opennos
