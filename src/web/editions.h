#pragma once
// The authored edition mappings of a suite: which units of an older edition were replaced by
// which of the next, from its replacedBy associations. (Issue 8's analysis computes them.)

#include <boost/json.hpp>

#include "storage/store.h"

namespace opennos::web {

// {"older": {...}, "newer": {...}, "rows": [{"kind", "old": {...}, "new": [...]}],
//  "counts": {"unchanged", "revised", "replaced", "merged", "split", "removed", "added"}}
// Each unit is {"uuid", "code", "urn", "title", "version", "url"}.
boost::json::object EditionComparisonJson(Store& store, const Framework& older,
                                          const Framework& newer);

}  // namespace opennos::web
