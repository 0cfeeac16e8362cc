#pragma once

#include <boost/json.hpp>

#include "search/index.h"

namespace opennos::search {

// The JSON shape shared by `GET /api/v1/search` and `opennos search --json`:
// {"query", "total", "page", "size", "results": [{"uuid", "type", "code", "urn", "title",
//  "framework": {"uuid", "code", "edition"}, "snippet", "score"}], "facets": {name: [{"value",
//  "count"}]}, "suggestion", "message"}.
boost::json::object ResultsToJson(const Results& r);

}  // namespace opennos::search
