#pragma once

#include <string>

#include "core/model.h"

namespace opennos::web {

// The suite's functional map (key purpose, key areas, functions, units) as an SVG diagram: a
// column per key area. The SVG has role="img" with a title and description; the same map is
// on the page as a nested list, which is what assistive technology should use.
std::string FunctionalMapSvg(const FrameworkDoc& doc);

// Breaks text into lines of at most `width` characters (UTF-8 aware, at spaces where it can).
std::vector<std::string> WrapText(const std::string& text, size_t width, size_t max_lines);

}  // namespace opennos::web
