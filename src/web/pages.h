#pragma once
// The HTML pages of the public site. Each builds a view model and renders its template.

#include "web/http/message.h"
#include "web/respond.h"

namespace opennos::web::pages {

Response Home(const Context& ctx);
Response Suites(const Context& ctx);
Response Suite(const Context& ctx);          // /suites/{name}
Response SuiteDownload(const Context& ctx);  // /suites/{name}/download.{json|csv}
Response Unit(const Context& ctx);           // /nos/{urn}[?edition=E]
Response UnitDownload(const Context& ctx);   // /nos/{urn}/download.{json|csv}
Response ItemPage(const Context& ctx);       // /items/{uuid}
Response Search(const Context& ctx);         // /search?q=
Response About(const Context& ctx);          // /about

}  // namespace opennos::web::pages
