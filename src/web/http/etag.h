#pragma once

#include <string>
#include <string_view>

namespace opennos::web {

// A strong entity tag for a body: a quoted 64-bit FNV-1a hash in hex.
std::string StrongEtag(std::string_view body);

// The tag of the gzip-encoded form of a body whose tag is `etag` (a different
// representation needs a different strong tag).
std::string GzipEtag(std::string_view etag);

// True if an If-None-Match header value names `etag` (or is "*"). Weak tags compare weakly.
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace opennos::web
