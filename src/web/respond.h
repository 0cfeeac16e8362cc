#pragma once
// What every handler needs: the request context and the ways to answer.

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "search/index.h"
#include "storage/store.h"
#include "web/http/message.h"

namespace opennos::web {

struct Context {
  const Request& request;
  Store& store;
  std::vector<std::string> params;  // the route's {placeholders}, decoded, in order
  search::Index* index = nullptr;   // this thread's search index reader; null if unavailable
};

// An HTML page: the `page` template's output inside the site layout. `layout` holds the
// page's title and anything else the layout shows (see templates/layout.mustache).
Response HtmlPage(int status, std::string_view page, boost::json::object model,
                  const Context& ctx);
// The helpful 404 page: a search box and, where it can guess, what was meant.
Response NotFoundPage(const Context& ctx, const std::string& message,
                      const std::vector<std::pair<std::string, std::string>>& suggestions = {});
// JSON with the given status.
Response JsonResponse(int status, const boost::json::value& body);
// {"error": {"status": N, "message": "..."}}
Response JsonError(int status, const std::string& message);
// A file to download.
Response Download(std::string body, std::string_view content_type, const std::string& filename);
// The HTTP status that fits a failed Status.
int HttpStatusOf(const Status& s);

}  // namespace opennos::web
