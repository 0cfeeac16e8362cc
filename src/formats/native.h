#pragma once
// The native framework file: one JSON document per framework (docs/formats/native.md).

#include <string>
#include <string_view>

#include "core/model.h"
#include "core/status.h"

namespace opennos {

// The value of the top-level "opennos" key that marks a native file.
inline constexpr std::string_view kNativeTag = "framework/1";

// Parses and checks a native file. `source` (the file name) begins every error message, which
// then gives the place: "line L, column C" for malformed JSON, a JSON pointer otherwise.
// Fills in UUIDs the file leaves out (docs/formats/native.md). The result passes
// ValidateFramework.
Result<FrameworkDoc> ReadNative(std::string_view content, const std::string& source);

// Writes `doc` in the canonical layout: the same doc always gives the same bytes, and
// ReadNative(WriteNative(d)) == d for any valid d.
std::string WriteNative(const FrameworkDoc& doc);

}  // namespace opennos
