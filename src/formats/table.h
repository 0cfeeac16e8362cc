#pragma once
// CSV files read as tables (a header row naming the columns, then a record per row), for the
// importers of other organisations' files: the NOS catalogue export, SOC 2020, ESCO, O*NET.
// Splitting is ParseCsv's (RFC 4180, CRLF, quoted newlines, BOM, row limit, UTF-8 check).

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opennos {

// `s` with every run of white space (line breaks and no-break spaces included) made one space,
// and none at either end.
std::string CollapseSpace(std::string_view s);
// ASCII lower case.
std::string AsciiLower(std::string_view s);
// The pieces of `s` between any of the `separators`, each with CollapseSpace applied; empty
// pieces are dropped.
std::vector<std::string> SplitPieces(std::string_view s, std::string_view separators);

// The column names of a CSV file's first record (CollapseSpace applied), read without parsing
// the rest; empty if the content does not start with a complete record.
std::vector<std::string> CsvHeaderOf(std::string_view content);
// True if every one of `columns` is in `header`.
bool HasColumns(const std::vector<std::string>& header,
                std::initializer_list<std::string_view> columns);

class CsvTable {
 public:
  // Splits `content`. `what` names the kind of file in messages ("an O*NET task file").
  // Every record must have as many fields as the header; blank lines are skipped. Errors
  // name `source` and the line.
  static Result<CsvTable> Read(std::string_view content, const std::string& source,
                               std::string_view what);

  // Fails, naming the file, line 1 and the first missing column, unless the header has every
  // one of `columns`.
  Status Require(std::initializer_list<std::string_view> columns) const;
  // The index of a column (names compared after CollapseSpace), or -1.
  int Column(std::string_view name) const;

  const std::string& source() const { return source_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t size() const { return rows_.size(); }
  const std::vector<std::string>& row(std::size_t i) const { return rows_[i]; }
  // The line of the file record i starts on (the header is line 1).
  std::size_t line(std::size_t i) const { return lines_[i]; }
  // Field `column` of record i, "" when column is -1.
  const std::string& Field(std::size_t i, int column) const;

 private:
  std::string source_;
  std::string what_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::size_t> lines_;
};

}  // namespace opennos
