#include "formats/csv.h"

#include <unordered_map>

#include "core/codec.h"
#include "core/uuid.h"
#include "core/validate.h"

namespace opennos {
namespace {

enum Column {
  kFrameworkCode,
  kFrameworkEdition,
  kType,
  kCode,
  kParent,
  kUuid,
  kTitle,
  kText,
  kOverview,
  kUrn,
  kVersion,
  kStatus,
  kDevelopedBy,
  kOriginatingOrganisation,
  kApproved,
  kReview,
  kValidity,
  kCategory,
  kOriginalUrn,
  kKeywords,
  kOccupations,
  kTypeName,
  kCyTitle,
  kCyText,
  kCyOverview,
  kColumnCount
};

// Valid UTF-8: no stray continuation bytes, overlong forms or surrogates.
bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t extra;
    unsigned cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c >> 5) == 0x6) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c >> 4) == 0xE) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c >> 3) == 0x1E) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr unsigned kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(';', start);
    if (end == std::string::npos) end = s.size();
    std::string piece = s.substr(start, end - start);
    const auto b = piece.find_first_not_of(' ');
    const auto e = piece.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(piece.substr(b, e - b + 1));
    start = end + 1;
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : "; ") + s;
  return out;
}

}  // namespace

const std::vector<std::string>& CsvColumns() {
  static const std::vector<std::string> kColumns{
      "framework_code", "framework_edition", "type",        "code",          "parent",
      "uuid",           "title",             "text",        "overview",      "urn",
      "version",        "status",            "developed_by", "originating_organisation",
      "approved",       "review",            "validity",    "category",      "original_urn",
      "keywords",       "occupations",       "type_name",   "cy_title",      "cy_text",
      "cy_overview"};
  return kColumns;
}

Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view content,
                                                       const std::string& source) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> row_lines;  // the line each row starts on
  std::vector<std::string> row;
  std::string field;
  size_t line = 1, row_line = 1, row_start = 0;
  size_t i = 0;
  const auto fail = [&](size_t at_line, const std::string& what) {
    return Status::Invalid(source + ": line " + std::to_string(at_line) + ": " + what);
  };
  while (i <= content.size()) {
    if (i - row_start > kMaxCsvRowBytes) {
      return fail(row_line, "a row longer than " + std::to_string(kMaxCsvRowBytes) +
                                " bytes (the largest this layout accepts)");
    }
    if (i == content.size()) {
      if (!field.empty() || !row.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
        row_lines.push_back(row_line);
      }
      break;
    }
    const char c = content[i];
    if (c == '"' && field.empty()) {
      // A quoted field: read to the closing quote.
      size_t j = i + 1;
      std::string value;
      for (;;) {
        if (j >= content.size()) return fail(line, "a quoted field is never closed");
        if (j - row_start > kMaxCsvRowBytes) {
          return fail(row_line, "a row longer than " + std::to_string(kMaxCsvRowBytes) +
                                    " bytes (the largest this layout accepts)");
        }
        if (content[j] == '"') {
          if (j + 1 < content.size() && content[j + 1] == '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        if (content[j] == '\n') ++line;
        value += content[j++];
      }
      i = j + 1;
      if (i < content.size() && content[i] != ',' && content[i] != '\n' && content[i] != '\r') {
        return fail(line, "text after a closing quote");
      }
      field = std::move(value);
      continue;
    }
    if (c == '"') return fail(line, "a quote inside an unquoted field");
    if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row_lines.push_back(row_line);
      row.clear();
      ++i;
      ++line;
      row_line = line;
      row_start = i;
      continue;
    }
    field += c;
    ++i;
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    for (const auto& f : rows[r]) {
      if (!IsUtf8(f)) return fail(row_lines[r], "text that is not UTF-8");
    }
  }
  return rows;
}

std::string CsvField(std::string_view value) {
  const bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Result<FrameworkDoc> ReadCsv(std::string_view content, const std::string& source) {
  auto parsed = ParseCsv(content, source);
  if (!parsed.ok()) return parsed.status();
  auto& rows = *parsed;
  if (rows.empty()) return Status::Invalid(source + ": line 1: the file is empty");
  if (rows[0] != CsvColumns()) {
    return Status::Invalid(source + ": line 1: the header is not the OpenNOS CSV layout "
                                    "(see docs/formats/csv.md)");
  }
  const auto fail = [&](size_t row, const std::string& what) {
    return Status::Invalid(source + ": row " + std::to_string(row + 1) + ": " + what);
  };
  FrameworkDoc doc;
  bool have_framework = false;
  std::unordered_map<std::string, std::string> uuid_of;  // code or uuid -> uuid
  std::vector<std::pair<size_t, std::string>> parent_ref;  // item index -> parent column
  std::vector<size_t> item_rows;                           // item index -> row
  for (size_t r = 1; r < rows.size(); ++r) {
    auto& row = rows[r];
    if (row.size() == 1 && row[0].empty()) continue;  // a blank line
    if (row.size() != kColumnCount) {
      return fail(r, "has " + std::to_string(row.size()) + " fields; the layout has " +
                         std::to_string(kColumnCount));
    }
    if (row[kType] == "framework") {
      if (have_framework) return fail(r, "a second framework row");
      if (r != 1) return fail(r, "the framework row must come first");
      Framework& f = doc.framework;
      f.code = row[kFrameworkCode];
      f.edition = row[kFrameworkEdition];
      f.title = row[kTitle];
      f.key_purpose = row[kText];
      f.description = row[kOverview];
      f.publisher = row[kDevelopedBy];
      f.published = row[kApproved];
      f.review = row[kReview];
      if (!row[kStatus].empty()) {
        auto s = ParseFrameworkStatus(row[kStatus]);
        if (!s) return fail(r, "unknown framework status \"" + row[kStatus] + "\"");
        f.status = *s;
      }
      if (f.code.empty() || f.edition.empty() || f.title.empty()) {
        return fail(r, "the framework row needs framework_code, framework_edition and title");
      }
      if (row[kUuid].empty()) {
        f.uuid = DerivedFrameworkUuid(f.code, f.edition);
      } else if (auto u = CanonicalUuid(row[kUuid])) {
        f.uuid = *u;
      } else {
        return fail(r, "\"" + row[kUuid] + "\" is not a UUID");
      }
      have_framework = true;
      continue;
    }
    if (!have_framework) return fail(r, "the first row must be the framework row");
    if (row[kFrameworkCode] != doc.framework.code ||
        row[kFrameworkEdition] != doc.framework.edition) {
      return fail(r, "belongs to framework " + row[kFrameworkCode] + "@" +
                         row[kFrameworkEdition] + ", not " + doc.framework.code + "@" +
                         doc.framework.edition + " (one framework per file)");
    }
    Item item;
    auto type = ParseItemType(row[kType]);
    if (!type) return fail(r, "unknown item type \"" + row[kType] + "\"");
    item.type = *type;
    item.framework_uuid = doc.framework.uuid;
    item.code = row[kCode];
    item.title = row[kTitle];
    item.text = row[kText];
    item.type_name = row[kTypeName];
    UnitFields& u = item.unit;
    u.overview = row[kOverview];
    u.urn = row[kUrn];
    if (!row[kVersion].empty()) {
      const std::string& v = row[kVersion];
      if (v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos) {
        return fail(r, "version \"" + v + "\" is not a whole number");
      }
      u.version = std::stoi(v);
    }
    u.status = row[kStatus];
    u.developed_by = row[kDevelopedBy];
    u.originating_organisation = row[kOriginatingOrganisation];
    u.approved = row[kApproved];
    u.review = row[kReview];
    u.validity = row[kValidity];
    u.category = row[kCategory];
    u.original_urn = row[kOriginalUrn];
    u.keywords = SplitList(row[kKeywords]);
    u.occupations = SplitList(row[kOccupations]);
    item.cy = {row[kCyTitle], row[kCyText], row[kCyOverview]};
    if (item.type != ItemType::kUnit && !u.empty()) {
      return fail(r, "unit fields on an item of type " + row[kType]);
    }
    if (row[kUuid].empty()) {
      item.uuid = item.code.empty()
                      ? NameUuid(doc.framework.uuid, "csv-row:" + std::to_string(r))
                      : DerivedItemUuid(doc.framework.uuid, item.code);
    } else if (auto uu = CanonicalUuid(row[kUuid])) {
      item.uuid = *uu;
    } else {
      return fail(r, "\"" + row[kUuid] + "\" is not a UUID");
    }
    if (!item.code.empty() && !uuid_of.emplace(item.code, item.uuid).second) {
      return fail(r, "the code \"" + item.code + "\" is used twice");
    }
    if (!uuid_of.emplace(item.uuid, item.uuid).second && item.code != item.uuid) {
      return fail(r, "the UUID " + item.uuid + " is used twice");
    }
    parent_ref.emplace_back(doc.items.size(), row[kParent]);
    item_rows.push_back(r);
    doc.items.push_back(std::move(item));
  }
  if (!have_framework) return Status::Invalid(source + ": no framework row");
  for (auto& [index, parent] : parent_ref) {
    if (parent.empty()) continue;
    auto it = uuid_of.find(parent);
    if (it == uuid_of.end()) {
      auto canonical = CanonicalUuid(parent);
      if (canonical) it = uuid_of.find(*canonical);
    }
    if (it == uuid_of.end()) {
      const std::string& code = doc.items[index].code;
      return Status::Invalid(source + ": row " + std::to_string(item_rows[index] + 1) + ": item " +
                             (code.empty() ? doc.items[index].uuid : "\"" + code + "\"") +
                             ": its parent \"" + parent + "\" is not in the file");
    }
    doc.items[index].parent_uuid = it->second;
  }
  if (Status s = PutInTreeOrder(doc); !s.ok()) return s.WithContext(source);
  if (Status s = ValidateFramework(doc); !s.ok()) return s.WithContext(source);
  return doc;
}

std::string WriteCsv(const FrameworkDoc& doc) {
  std::string out;
  const auto write_row = [&out](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += CsvField(fields[i]);
    }
    out += '\n';
  };
  write_row(CsvColumns());
  const Framework& f = doc.framework;
  std::vector<std::string> row(kColumnCount);
  row[kFrameworkCode] = f.code;
  row[kFrameworkEdition] = f.edition;
  row[kType] = "framework";
  row[kUuid] = f.uuid;
  row[kTitle] = f.title;
  row[kText] = f.key_purpose;
  row[kOverview] = f.description;
  row[kStatus] = FrameworkStatusName(f.status);
  row[kDevelopedBy] = f.publisher;
  row[kApproved] = f.published;
  row[kReview] = f.review;
  write_row(row);
  std::unordered_map<std::string, const Item*> by_uuid;
  for (const Item& item : doc.items) by_uuid[item.uuid] = &item;
  for (const Item& item : doc.items) {
    std::vector<std::string> r(kColumnCount);
    r[kFrameworkCode] = f.code;
    r[kFrameworkEdition] = f.edition;
    r[kType] = ItemTypeName(item.type);
    r[kCode] = item.code;
    if (!item.parent_uuid.empty()) {
      const Item* parent = by_uuid.count(item.parent_uuid) ? by_uuid[item.parent_uuid] : nullptr;
      r[kParent] = parent != nullptr && !parent->code.empty() ? parent->code : item.parent_uuid;
    }
    r[kUuid] = item.uuid;
    r[kTitle] = item.title;
    r[kText] = item.text;
    const UnitFields& u = item.unit;
    r[kOverview] = u.overview;
    r[kUrn] = u.urn;
    if (u.version != 0) r[kVersion] = std::to_string(u.version);
    r[kStatus] = u.status;
    r[kDevelopedBy] = u.developed_by;
    r[kOriginatingOrganisation] = u.originating_organisation;
    r[kApproved] = u.approved;
    r[kReview] = u.review;
    r[kValidity] = u.validity;
    r[kCategory] = u.category;
    r[kOriginalUrn] = u.original_urn;
    r[kKeywords] = JoinList(u.keywords);
    r[kOccupations] = JoinList(u.occupations);
    r[kTypeName] = item.type_name;
    r[kCyTitle] = item.cy.title;
    r[kCyText] = item.cy.text;
    r[kCyOverview] = item.cy.overview;
    write_row(r);
  }
  return out;
}

}  // namespace opennos
