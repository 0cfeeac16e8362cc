#pragma once
// Crosswalk suggestions kept for review, and an editor's decisions on them (docs/analysis.md).
// An editor of the organisation that owns a suite keeps a crosswalk's pairs as suggestions
// (associations the suite states, provenance "suggested", decision "pending") and accepts or
// rejects them; an accepted one is an association like any other, and the public sees only
// those (storage/public_view.h). Members of the owning organisation may read the list.

#include "web/respond.h"

namespace opennos::web::suggestions {

// Pages.
Response List(const Context& ctx);    // GET /suites/{name}/suggestions[?show=&page=]
Response Keep(const Context& ctx);    // POST /suites/{name}/suggestions?against=&threshold=&exact=
Response Decide(const Context& ctx);  // POST /suites/{name}/suggestions/decisions (id=…, decision=)

// The API, in JSON.
Response ApiList(const Context& ctx);    // GET /api/v1/frameworks/{name}/suggestions[?show=]
Response ApiKeep(const Context& ctx);    // POST /api/v1/frameworks/{name}/suggestions?against=…
Response ApiDecide(const Context& ctx);  // POST …/suggestions/decisions {"accept": [], "reject": []}

}  // namespace opennos::web::suggestions
