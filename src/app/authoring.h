#pragma once
// Authoring: drafts of suites, their editing, quality checks, revisions and publishing, over
// any Store. Each operation loads the draft, changes it in memory, checks it and saves it in
// one transaction, so every save is a revision (who, when, why) and a failed one changes
// nothing. Only a framework whose status is draft can be edited (Conflict otherwise).
//
// Shared by the web pages, the JSON API and the CLI. Who may call what is the caller's
// business (web/ checks roles before calling).

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/quality.h"
#include "storage/store.h"

namespace opennos {

// What a new draft suite starts with.
struct DraftSpec {
  std::string code;
  std::string edition;
  std::string title;
  std::string key_purpose;
  std::string publisher;
};

// Creates an empty draft suite. Invalid for a missing code, edition or title; Conflict when
// the code and edition are taken. Returns its UUID.
Result<std::string> CreateDraft(Store& store, const DraftSpec& spec, const ChangeContext& who);

// Creates a draft new edition of the framework `source_uuid`: a copy with the same code, the
// new edition and status draft, previousEdition naming the source, new UUIDs, and an authored
// replacedBy mapping from each source unit to its copy. Returns the draft's UUID.
Result<std::string> CreateDraftEdition(Store& store, std::string_view source_uuid,
                                       const std::string& edition, const ChangeContext& who);

// The draft, loaded whole; Conflict when the framework is not a draft.
Result<FrameworkDoc> LoadDraft(Store& store, std::string_view uuid);

// Applies a JSON merge patch (RFC 7386) to the draft's own record (title, keyPurpose, ...).
// `expected_revision` (0: not checked) must be the framework's current revision. The code,
// uuid and status cannot be patched.
Result<Framework> PatchDraft(Store& store, std::string_view uuid, const boost::json::value& patch,
                             std::int64_t expected_revision, const ChangeContext& who);

// A new item of a draft.
struct NewItem {
  ItemType type = ItemType::kStatement;
  std::string parent_uuid;  // empty: top level (key areas, and units of a flat suite)
  int position = -1;        // among the parent's children; -1: last
  std::string code;         // empty: the next free code under the parent
  std::string title;
  std::string text;
  std::string urn;  // units only
};

// Adds an item where its type belongs (key area at the top, function under a key area or
// function, unit under either or at the top, statements under a unit). Returns it as stored.
Result<Item> AddItem(Store& store, std::string_view framework_uuid, const NewItem& item,
                     const ChangeContext& who);

// Applies a JSON merge patch to one item of a draft, as ItemToJson spells its fields. The
// uuid and type cannot change. `expected_revision` (0: not checked) must be the item's current
// revision, checked inside the write: Conflict when someone saved since.
Result<Item> PatchItem(Store& store, std::string_view item_uuid, const boost::json::value& patch,
                       std::int64_t expected_revision, const ChangeContext& who);

// Moves an item (with everything under it) under `parent_uuid` (empty: the top) at
// `position` (-1: last), renumbering the siblings left and joined.
Result<Item> MoveItem(Store& store, std::string_view item_uuid, const std::string& parent_uuid,
                      int position, const ChangeContext& who);

// Removes an item and everything under it, and the draft's associations that name them.
Status RemoveItem(Store& store, std::string_view item_uuid, const ChangeContext& who);

// Copies the unit `source_unit_uuid` (from any framework) with its statements into the draft
// under `parent_uuid`, as a tailored unit whose originalUrn records the source's URN.
Result<Item> ImportUnit(Store& store, std::string_view framework_uuid,
                        const std::string& parent_uuid, std::string_view source_unit_uuid,
                        const ChangeContext& who);

// Sets the item's content back to what it was after its revision `number`, as a new revision
// (its place in the tree stays). `expected_revision` as for PatchItem.
Result<Item> RestoreRevision(Store& store, std::string_view item_uuid, std::int64_t number,
                             std::int64_t expected_revision, const ChangeContext& who);

// Sets the authored mappings of one unit of the previous edition: its `type` (replacedBy or
// isRelatedTo) associations to units of the draft become exactly `to` (unit UUIDs of the
// draft; empty: none).
Status SetMappings(Store& store, std::string_view draft_uuid, std::string_view old_unit_uuid,
                   const std::string& type, const std::vector<std::string>& to,
                   const ChangeContext& who);

// The quality findings of a draft, with the store consulted for SOC 2020 codes (when that
// framework is imported), links and original URNs.
Result<std::vector<Finding>> CheckDraft(Store& store, const FrameworkDoc& draft);

enum class PublishAs {
  kEdition,       // the draft becomes the current edition; the previous one is superseded
  kUnitVersions,  // each revised unit replaces its previous version in the published edition
};

struct PublishReport {
  std::string framework_uuid;  // the edition that now holds the published units
  int carried = 0;             // units unchanged: same URN, same version
  int revised = 0;             // same URN, next version
  int added = 0;               // units with no predecessor of the same URN
  int legacy = 0;              // units of the previous edition with no successor
  SaveReport saved;
};

// Publishes a draft. Refused (Invalid) while any quality check of severity error fails. As
// an edition: versions are set from the replacedBy mappings (a unit mapped one-to-one from a
// unit with the same URN keeps its version when unchanged, else gets the next), the previous
// edition is superseded and its units with no successor are marked legacy. As unit versions:
// the draft must be an edition of a published suite with the same units; each revised unit's
// content replaces the published one's, whose version goes up by one, and the draft is then
// withdrawn. `today` is YYYY-MM-DD.
Result<PublishReport> Publish(Store& store, std::string_view draft_uuid, PublishAs as,
                              const std::string& today, const ChangeContext& who);

// A unit whose indicative review date falls within a window.
struct DueUnit {
  Item unit;
  Framework framework;
};

// The units of current (approved or consultation) suites whose review date is on or before
// `until` (YYYY-MM-DD), overdue ones included, soonest first; only suites whose publisher is
// `publisher` when it is not empty.
Result<std::vector<DueUnit>> DueForReview(Store& store, const std::string& until,
                                          const std::string& publisher);

// `date` (YYYY-MM-DD) plus `months`, clamped to the month's last day.
std::string AddMonths(const std::string& date, int months);

// True when the unit and its statements read the same (ignoring UUIDs, versions, validity).
bool SameUnitContent(const FrameworkDoc& a_doc, const Item& a, const FrameworkDoc& b_doc,
                     const Item& b);

}  // namespace opennos
