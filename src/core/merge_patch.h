#pragma once
// JSON Merge Patch (RFC 7386): the body of PATCH /api/v1/items/{id}.

#include <boost/json.hpp>

namespace opennos {

// The result of applying `patch` to `target` as RFC 7386 section 2 defines it: an object
// patch sets each member, removes those whose value is null and merges nested objects; any
// other patch replaces the target whole. Never fails.
boost::json::value ApplyMergePatch(const boost::json::value& target,
                                   const boost::json::value& patch);

}  // namespace opennos
