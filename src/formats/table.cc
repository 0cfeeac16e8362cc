#include "formats/table.h"

#include "formats/csv.h"

namespace opennos {
namespace {

bool IsBlankRow(const std::vector<std::string>& row) { return row.size() == 1 && row[0].empty(); }

}  // namespace

std::string CollapseSpace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    bool white = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    size_t width = 1;
    if (!white && c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {  // U+00A0
      white = true;
      width = 2;
    }
    if (white) {
      space = !out.empty();
      i += width - 1;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> SplitPieces(std::string_view s, std::string_view separators) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find_first_of(separators, start);
    if (end == std::string_view::npos) end = s.size();
    std::string piece = CollapseSpace(s.substr(start, end - start));
    if (!piece.empty()) out.push_back(std::move(piece));
    start = end + 1;
  }
  return out;
}

std::vector<std::string> CsvHeaderOf(std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  size_t i = content.find_first_not_of("\r\n");
  if (i == std::string_view::npos) return {};
  std::vector<std::string> names;
  std::string field;
  const size_t limit = std::min(content.size(), i + kMaxCsvRowBytes);
  while (i < limit) {
    const char c = content[i];
    if (c == '"' && field.empty()) {
      size_t j = i + 1;
      for (;;) {
        if (j >= limit) return {};
        if (content[j] == '"') {
          if (j + 1 < limit && content[j + 1] == '"') {
            field += '"';
            j += 2;
            continue;
          }
          break;
        }
        field += content[j++];
      }
      i = j + 1;
      continue;
    }
    if (c == ',') {
      names.push_back(CollapseSpace(field));
      field.clear();
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') break;
    field += c;
    ++i;
  }
  if (i == limit && limit != content.size()) return {};  // no end of the first record
  names.push_back(CollapseSpace(field));
  return names;
}

bool HasColumns(const std::vector<std::string>& header,
                std::initializer_list<std::string_view> columns) {
  for (std::string_view column : columns) {
    bool found = false;
    for (const std::string& name : header) found = found || name == column;
    if (!found) return false;
  }
  return true;
}

Result<CsvTable> CsvTable::Read(std::string_view content, const std::string& source,
                                std::string_view what) {
  auto parsed = ParseCsv(content, source);
  if (!parsed.ok()) return parsed.status();
  CsvTable t;
  t.source_ = source;
  t.what_ = what;
  auto& rows = *parsed;
  // ParseCsv counts a line at each record end and at each line break inside a quoted field,
  // so the line a record starts on follows from the records before it.
  size_t line = 1;
  bool have_header = false;
  for (auto& row : rows) {
    const size_t at = line;
    line += 1;
    for (const std::string& f : row) {
      for (char c : f) line += c == '\n';
    }
    if (IsBlankRow(row)) continue;
    if (!have_header) {
      for (const std::string& name : row) t.header_.push_back(CollapseSpace(name));
      have_header = true;
      continue;
    }
    if (row.size() != t.header_.size()) {
      return Status::Invalid(source + ": line " + std::to_string(at) + ": " +
                             std::to_string(row.size()) + (row.size() == 1 ? " field" : " fields") +
                             " where the header has " + std::to_string(t.header_.size()));
    }
    t.rows_.push_back(std::move(row));
    t.lines_.push_back(at);
  }
  if (!have_header) {
    return Status::Invalid(source + ": line 1: the file is empty (expected " + std::string(what) +
                           ")");
  }
  return t;
}

Status CsvTable::Require(std::initializer_list<std::string_view> columns) const {
  for (std::string_view column : columns) {
    if (Column(column) < 0) {
      return Status::Invalid(source_ + ": line 1: the header has no \"" + std::string(column) +
                             "\" column (expected " + what_ + ")");
    }
  }
  return Status::Ok();
}

int CsvTable::Column(std::string_view name) const {
  const std::string wanted = CollapseSpace(name);
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == wanted) return static_cast<int>(i);
  }
  return -1;
}

const std::string& CsvTable::Field(std::size_t i, int column) const {
  static const std::string kEmpty;
  return column < 0 ? kEmpty : rows_[i][static_cast<size_t>(column)];
}

}  // namespace opennos
