#pragma once
// What every handler needs: the request context and the ways to answer.

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "search/index.h"
#include "storage/store.h"
#include "web/form.h"
#include "web/http/message.h"
#include "web/options.h"

namespace opennos::web {

struct Context {
  const Request& request;
  Store& store;  // the public view: drafts are invisible here (storage/public_view.h)
  std::vector<std::string> params;  // the route's {placeholders}, decoded, in order
  search::Index* index = nullptr;   // this thread's search index reader; null if unavailable
  // Who makes the request (a checked session or bearer token); null for nobody. Only set on
  // requests the shared response cache never sees (web/auth.h).
  const Principal* user = nullptr;
  const Form* form = nullptr;             // a write's form body; null if it has none
  const SiteOptions* options = nullptr;   // null: the defaults
  std::string address{};                  // the client's IP address (web/auth.h: ClientAddress)
  std::int64_t now = 0;                   // Unix seconds, from the site's clock
  Store* full_store = nullptr;  // the whole store, drafts included, for authoring handlers
  AnalysisJobs* jobs = nullptr;           // the site's analysis runner; null if it has none
};

// An HTML page: the `page` template's output inside the site layout. `layout` holds the
// page's title and anything else the layout shows (see templates/layout.mustache).
Response HtmlPage(int status, std::string_view page, boost::json::object model,
                  const Context& ctx);
// The helpful 404 page: a search box and, where it can guess, what was meant.
Response NotFoundPage(const Context& ctx, const std::string& message,
                      const std::vector<std::pair<std::string, std::string>>& suggestions = {});
// A write that could not be done, and why, with "Nothing was changed" and a way back (the
// Referer, else /drafts): NotFoundPage for kNotFound, the status's own code for the rest; a
// failure of the server itself (500) is thrown, for the site's error page.
Response ProblemPage(const Context& ctx, const Status& s);
// A form field's error, for the GOV.UK error summary (templates/_error_summary.mustache).
struct FieldError {
  std::string field;  // the input's id
  std::string message;
};
// Puts `errors` into a page's model: the summary's list, FIELD_error for each field, and
// "Error: " before the title when there is any.
void AddFieldErrors(boost::json::object& model, const std::vector<FieldError>& errors);

// Unix seconds as "2026-12-06 16:20 UTC"; empty for 0.
std::string UtcTime(std::int64_t seconds);
// 303 See Other to a path on this site (after a form's POST, say).
Response Redirect(const std::string& location);
// JSON with the given status.
Response JsonResponse(int status, const boost::json::value& body);
// {"error": {"status": N, "message": "..."}}
Response JsonError(int status, const std::string& message);
// A file to download.
Response Download(std::string body, std::string_view content_type, const std::string& filename);
// The HTTP status that fits a failed Status.
int HttpStatusOf(const Status& s);

}  // namespace opennos::web
