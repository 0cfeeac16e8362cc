#include "app/formats.h"

#include "formats/csv.h"
#include "formats/native.h"

namespace opennos {

Result<FileFormat> ParseFileFormat(std::string_view name) {
  if (name == "auto") return FileFormat::kAuto;
  if (name == "native" || name == "json") return FileFormat::kNative;
  if (name == "csv") return FileFormat::kCsv;
  return Status::Invalid("unknown format \"" + std::string(name) + "\" (use native or csv)");
}

std::string_view FileFormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kNative:
      return "native";
    case FileFormat::kCsv:
      return "csv";
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
    // The native tag sits near the top of a native file; look at the first few kilobytes.
    const std::string_view head = content.substr(first, 4096);
    if (head.find("\"opennos\"") != std::string_view::npos) return FileFormat::kNative;
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
    case FileFormat::kAuto:
      break;
  }
  return Status::Invalid(source +
                         ": line 1: not a format OpenNOS reads (an OpenNOS native JSON file "
                         "or the OpenNOS CSV layout); --format forces one");
}

std::string WriteFrameworkFile(const FrameworkDoc& doc, FileFormat format) {
  return format == FileFormat::kCsv ? WriteCsv(doc) : WriteNative(doc);
}

bool IsPartialFormat(FileFormat format) { return format == FileFormat::kCsv; }

}  // namespace opennos
