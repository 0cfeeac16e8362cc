#pragma once
// The authoring half of the JSON API under /api/v1 (docs/authoring.md, static/openapi.json):
// drafts, their items, revisions, diffs, quality checks, mappings and publishing. Every write
// needs a signed-in user or a token with the editor role for the suite's organisation; reading
// a draft needs the reviewer role. Items carry their revision as an ETag; PATCH needs If-Match.

#include <string>

#include "web/respond.h"

namespace opennos::web::authoring_api {

// GET handlers.
Response Drafts(const Context& ctx);           // drafts the caller may read
Response Checks(const Context& ctx);           // quality findings of a draft
Response ItemRevisions(const Context& ctx);    // an item's revisions, oldest first
Response ItemDiff(const Context& ctx);         // ?from=N&to=M word diff, field by field
Response ReviewDates(const Context& ctx);      // ?months=N&publisher=NAME
Response DraftItem(const Context& ctx);        // an item of a draft (the read API's /items/{id})

// Writes.
Response CreateDraft(const Context& ctx);      // POST /frameworks
Response CreateEdition(const Context& ctx);    // POST /frameworks/{id}/editions
Response PatchFramework(const Context& ctx);   // PATCH /frameworks/{id}
Response AddItem(const Context& ctx);          // POST /frameworks/{id}/items
Response PatchItem(const Context& ctx);        // PATCH /items/{id}
Response MoveItem(const Context& ctx);         // POST /items/{id}/move
Response DeleteItem(const Context& ctx);       // DELETE /items/{id}
Response Restore(const Context& ctx);          // POST /items/{id}/restore
Response Mappings(const Context& ctx);         // PUT /frameworks/{id}/mappings
Response Publish(const Context& ctx);          // POST /frameworks/{id}/publish

// The revision named by an If-Match header ("3", "\"3\"" or "W/\"3\""); 0 when absent or not
// a revision.
std::int64_t IfMatchRevision(const std::string& header);
// The ETag of an entity at `revision`: "\"N\"".
std::string RevisionEtag(std::int64_t revision);
// Today's date in UTC, YYYY-MM-DD.
std::string TodayUtc();

// The two revisions a diff compares, from a request's from= and to= (without to=, `current`;
// without from=, the revision before `to`); either is null when `history` has no such number.
struct RevisionPair {
  const Revision* from = nullptr;
  const Revision* to = nullptr;
};
RevisionPair PickRevisions(const std::vector<Revision>& history, const Request& request,
                           std::int64_t current);

}  // namespace opennos::web::authoring_api
