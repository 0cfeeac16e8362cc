#include "formats/json_parse.h"

namespace opennos {
namespace {

std::string Place(std::string_view content, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < content.size(); ++i) {
    if (content[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

Result<boost::json::value> ParseJson(std::string_view content, const std::string& source) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  const size_t consumed = parser.write_some(content.data(), content.size(), ec);
  if (!ec && consumed < content.size()) {
    // write_some stops after one complete value: anything but whitespace after it is an error.
    for (size_t i = consumed; i < content.size(); ++i) {
      const char c = content[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return Status::Invalid(source + ": " + Place(content, i) +
                               ": unexpected text after the JSON value");
      }
    }
  }
  if (!ec) parser.finish(ec);
  if (ec) {
    const std::string what = ec == boost::json::error::incomplete
                                 ? "the file ends before the JSON value does (truncated?)"
                                 : ec.message();
    return Status::Invalid(source + ": " + Place(content, consumed) + ": " + what);
  }
  return parser.release();
}

}  // namespace opennos
