#pragma once

#include <string>
#include <string_view>

namespace opennos::web {

// Compresses `data` as a gzip stream (RFC 1952) at a balanced level.
std::string Gzip(std::string_view data);

// True if an Accept-Encoding header value accepts gzip (and does not give it q=0).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace opennos::web
