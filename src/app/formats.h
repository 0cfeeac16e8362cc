#pragma once
// Reading and writing whole framework files in any supported format, recognised from the
// content rather than the file name.

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace opennos {

enum class FileFormat { kAuto, kNative, kCsv, kCase, kCase1p0 };

// "native", "csv", "case" (CASE v1.1), "case-1.0" (and "auto"); Invalid otherwise.
Result<FileFormat> ParseFileFormat(std::string_view name);
std::string_view FileFormatName(FileFormat f);

// Recognises a format from the first bytes of a file; kAuto when none matches.
FileFormat DetectFormat(std::string_view content);

// Reads the frameworks a file holds, in `format` (kAuto: detect). Errors name `source`.
Result<std::vector<FrameworkDoc>> ReadFrameworkFile(std::string_view content,
                                                    const std::string& source,
                                                    FileFormat format);

// Writes one framework. `format` must not be kAuto. CASE packages get URIs under `base_url`.
std::string WriteFrameworkFile(const FrameworkDoc& doc, FileFormat format,
                               const std::string& base_url = "http://localhost:8080");

// True when a file of this format carries only part of a framework (the CSV layout has no
// associations and fewer framework fields), so that an update keeps what it lacks.
bool IsPartialFormat(FileFormat format);

}  // namespace opennos
