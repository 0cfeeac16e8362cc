#include "app/formats.h"

#include "formats/case.h"
#include "formats/csv.h"
#include "formats/native.h"

namespace opennos {

Result<FileFormat> ParseFileFormat(std::string_view name) {
  if (name == "auto") return FileFormat::kAuto;
  if (name == "native" || name == "json") return FileFormat::kNative;
  if (name == "csv") return FileFormat::kCsv;
  if (name == "case" || name == "case-1.1") return FileFormat::kCase;
  if (name == "case-1.0") return FileFormat::kCase1p0;
  return Status::Invalid("unknown format \"" + std::string(name) +
                         "\" (use native, csv, case or case-1.0)");
}

std::string_view FileFormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kNative:
      return "native";
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kCase:
      return "case";
    case FileFormat::kCase1p0:
      return "case-1.0";
    case FileFormat::kAuto:
      break;
  }
  return "auto";
}

FileFormat DetectFormat(std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  const size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return FileFormat::kAuto;
  if (content[first] == '{') {
    // A native file starts with its "opennos" tag; a CASE package has a CFDocument.
    const size_t key = content.find_first_not_of(" \t\r\n", first + 1);
    if (key != std::string_view::npos && content.substr(key, 9) == "\"opennos\"") {
      return FileFormat::kNative;
    }
    if (LooksLikeCasePackage(content)) return FileFormat::kCase;
    return FileFormat::kAuto;
  }
  const std::string_view header = content.substr(first, content.find('\n', first) - first);
  if (header.substr(0, 32) == "framework_code,framework_edition") return FileFormat::kCsv;
  return FileFormat::kAuto;
}

Result<std::vector<FrameworkDoc>> ReadFrameworkFile(std::string_view content,
                                                    const std::string& source,
                                                    FileFormat format) {
  if (format == FileFormat::kAuto) format = DetectFormat(content);
  std::vector<FrameworkDoc> docs;
  switch (format) {
    case FileFormat::kNative: {
      auto doc = ReadNative(content, source);
      if (!doc.ok()) return doc.status();
      docs.push_back(std::move(*doc));
      return docs;
    }
    case FileFormat::kCsv: {
      auto doc = ReadCsv(content, source);
      if (!doc.ok()) return doc.status();
      docs.push_back(std::move(*doc));
      return docs;
    }
    case FileFormat::kCase:
    case FileFormat::kCase1p0: {
      auto doc = ReadCasePackage(content, source);
      if (!doc.ok()) return doc.status();
      docs.push_back(std::move(*doc));
      return docs;
    }
    case FileFormat::kAuto:
      break;
  }
  return Status::Invalid(source +
                         ": line 1: not a format OpenNOS reads (an OpenNOS native JSON file "
                         "the OpenNOS CSV layout or a CASE package); --format forces one");
}

std::string WriteFrameworkFile(const FrameworkDoc& doc, FileFormat format,
                               const std::string& base_url) {
  switch (format) {
    case FileFormat::kCsv:
      return WriteCsv(doc);
    case FileFormat::kCase:
    case FileFormat::kCase1p0: {
      CaseOptions options;
      options.base_url = base_url;
      options.version = format == FileFormat::kCase ? CaseVersion::k1p1 : CaseVersion::k1p0;
      return WriteCasePackage(doc, options);
    }
    case FileFormat::kNative:
    case FileFormat::kAuto:
      break;
  }
  return WriteNative(doc);
}

bool IsPartialFormat(FileFormat format) { return format == FileFormat::kCsv; }

}  // namespace opennos
