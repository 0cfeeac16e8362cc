#pragma once
// The body of a form a browser posts: application/x-www-form-urlencoded, or multipart/form-data
// with files. Neutral like Request: no HTTP library here.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "web/http/message.h"

namespace opennos::web {

struct Form {
  struct File {
    std::string field;     // the form field's name
    std::string filename;  // as the browser gave it (never used as a path)
    std::string content_type;
    std::string content;
  };
  std::vector<std::pair<std::string, std::string>> fields;  // in order
  std::vector<File> files;

  // The first value of a field; empty when absent.
  std::string Get(std::string_view name) const;
  // The first file of a field; nullptr when none was sent.
  const File* GetFile(std::string_view name) const;
};

// True when the request's body is a form (either encoding).
bool HasFormBody(const Request& request);
// Parses the request's form body. Invalid, with a reason, for a malformed body; an empty Form
// for a request without a form body.
Result<Form> ParseForm(const Request& request);

}  // namespace opennos::web
