#pragma once
// Parses JSON text, reporting a syntax error by line and column.

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opennos {

// Deepest nesting accepted; deeper input is refused rather than risk the stack.
inline constexpr int kMaxJsonDepth = 256;

// Parses `content` as one JSON value. Errors read "SOURCE: line L, column C: what".
Result<boost::json::value> ParseJson(std::string_view content, const std::string& source);

}  // namespace opennos
