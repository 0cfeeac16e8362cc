#pragma once
// The embedded static files: GOV.UK Frontend's CSS, JS, fonts and images, and the site's own.

#include <string>
#include <string_view>

#include "web/http/message.h"

namespace opennos::web {

// The URL paths of the stylesheet and script, versioned so they can be cached for a year.
const std::string& StylesheetPath();
const std::string& ScriptPath();
const std::string& SiteStylesheetPath();

// Answers a GET for a static file, or nullptr-like 404 (status 404) when there is none.
// Handles If-None-Match and gzip. `path` is the decoded request path.
Response StaticFile(const Request& request, std::string_view path);

// True if `path` is under one of the static prefixes.
bool IsStaticPath(std::string_view path);

}  // namespace opennos::web
