#pragma once
// The analysis pages: a suite's duplicated statements, its coverage by another framework,
// crosswalk suggestions and the comparison of its editions, each with the evidence (the two
// statements side by side, the words they share marked, the score). A GET form chooses the
// other framework and the threshold. An analysis that is not done within a moment answers with
// a progress page (web/static/app.js follows it where JavaScript runs).

#include "web/respond.h"

namespace opennos::web::analysis_pages {

Response Duplicates(const Context& ctx);  // /suites/{name}/duplicates[?threshold=]
Response Coverage(const Context& ctx);    // /suites/{name}/coverage[?against=&threshold=]
Response Crosswalk(const Context& ctx);   // /suites/{name}/crosswalk[?against=&threshold=&exact=]
Response Editions(const Context& ctx);    // /suites/{name}/editions[?threshold=&by=]
Response Job(const Context& ctx);         // /analysis/jobs/{id}: a job's state, never changing by itself
Response Cancel(const Context& ctx);      // POST /analysis/jobs/{id}/cancel: by its owner

}  // namespace opennos::web::analysis_pages
