#pragma once
// The CSV statement layout: one framework per file, a row per item (docs/formats/csv.md).

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace opennos {

// The longest row a CSV reader accepts, in bytes. Longer rows are refused, not truncated.
inline constexpr size_t kMaxCsvRowBytes = 1 << 20;

// The header row of the layout, which also identifies it.
const std::vector<std::string>& CsvColumns();

// Splits RFC 4180 CSV into rows of fields. Accepts LF or CRLF line ends, quoted fields with
// embedded commas, quotes and newlines, and a leading UTF-8 byte-order mark. Errors name
// `source` and the line: an unterminated quote, a quote inside an unquoted field, a row over
// kMaxCsvRowBytes, bytes that are not UTF-8.
Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view content,
                                                       const std::string& source);

// Quotes a field if it needs it.
std::string CsvField(std::string_view value);

// Reads the layout. The framework fields the layout lacks (language, licence, previous edition,
// translation note) are left at their defaults; it carries no associations.
Result<FrameworkDoc> ReadCsv(std::string_view content, const std::string& source);
// Writes the layout; the same doc always gives the same bytes.
std::string WriteCsv(const FrameworkDoc& doc);

}  // namespace opennos
