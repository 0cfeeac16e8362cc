#pragma once
// The authoring pages (GOV.UK patterns, no JavaScript needed): the drafts list, a draft's task
// list, its details, functional map, units and statements with their quality findings, the
// mapping screen, check-answers-and-publish; an item's history and word diff; units due for
// review. Forms carry the revision they started from; a save over someone else's is refused
// with a conflict message and the editor's text shown back. docs/authoring.md.

#include "web/respond.h"

namespace opennos::web::authoring_pages {

Response Drafts(const Context& ctx);          // GET /drafts
Response CreateDraft(const Context& ctx);     // POST /drafts
Response CreateEdition(const Context& ctx);   // POST /drafts/editions
Response TaskList(const Context& ctx);        // GET /drafts/{id}
Response Details(const Context& ctx);         // GET /drafts/{id}/details
Response SaveDetails(const Context& ctx);     // POST /drafts/{id}/details
Response Map(const Context& ctx);             // GET /drafts/{id}/map
Response AddItem(const Context& ctx);         // POST /drafts/{id}/items
Response ItemPage(const Context& ctx);        // GET /drafts/{id}/items/{item}
Response SaveItem(const Context& ctx);        // POST /drafts/{id}/items/{item}
Response MoveItem(const Context& ctx);        // POST /drafts/{id}/items/{item}/move
Response ConfirmRemove(const Context& ctx);   // GET /drafts/{id}/items/{item}/remove
Response RemoveItem(const Context& ctx);      // POST /drafts/{id}/items/{item}/remove
Response Restore(const Context& ctx);         // POST /drafts/{id}/items/{item}/restore
Response Mappings(const Context& ctx);        // GET /drafts/{id}/mappings
Response SaveMapping(const Context& ctx);     // POST /drafts/{id}/mappings
Response CheckAnswers(const Context& ctx);    // GET /drafts/{id}/publish
Response Publish(const Context& ctx);         // POST /drafts/{id}/publish
Response History(const Context& ctx);         // GET /items/{uuid}/history
Response Diff(const Context& ctx);            // GET /items/{uuid}/diff?from=&to=
Response ReviewDates(const Context& ctx);     // GET /review-dates?months=&publisher=

}  // namespace opennos::web::authoring_pages
