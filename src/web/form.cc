#include "web/form.h"

#include <cctype>

namespace opennos::web {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The media type of a Content-Type value, in lower case, without parameters.
std::string MediaType(std::string_view content_type) {
  return Lower(Trim(content_type.substr(0, content_type.find(';'))));
}

// A parameter of a header value (`boundary`, `name`, `filename`), unquoted; empty if absent.
std::string Parameter(std::string_view value, std::string_view wanted) {
  size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;  // past ';'
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    const size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) return "";
    const std::string name = Lower(Trim(value.substr(i, eq - i)));
    i = eq + 1;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    std::string v;
    if (i < value.size() && value[i] == '"') {
      for (++i; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        v += value[i];
      }
      i = value.find(';', i);
    } else {
      const size_t end = value.find(';', i);
      v = std::string(Trim(value.substr(i, end == std::string_view::npos ? end : end - i)));
      i = end;
    }
    if (name == wanted) return v;
  }
  return "";
}

Result<Form> ParseMultipart(std::string_view body, const std::string& boundary) {
  if (boundary.empty() || boundary.size() > 200) {
    return Status::Invalid("a multipart form needs a boundary");
  }
  const std::string delimiter = "--" + boundary;
  Form form;
  size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return Status::Invalid("the multipart body has no parts");
  for (;;) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return form;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") return Status::Invalid("a multipart delimiter is malformed");
    at += 2;
    const size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) {
      return Status::Invalid("a multipart part has no end to its headers");
    }
    std::string disposition, content_type;
    std::string_view headers = body.substr(at, headers_end - at);
    while (!headers.empty()) {
      const size_t eol = headers.find("\r\n");
      const std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string name = Lower(Trim(line.substr(0, colon)));
      if (name == "content-disposition") disposition = std::string(Trim(line.substr(colon + 1)));
      if (name == "content-type") content_type = std::string(Trim(line.substr(colon + 1)));
    }
    const size_t content_at = headers_end + 4;
    const size_t next = body.find("\r\n" + delimiter, content_at);
    if (next == std::string_view::npos) return Status::Invalid("a multipart part is not closed");
    const std::string field = Parameter(disposition, "name");
    if (MediaType(disposition) != "form-data" || field.empty()) {
      return Status::Invalid("a multipart part is not a named form field");
    }
    std::string content(body.substr(content_at, next - content_at));
    if (disposition.find("filename") != std::string::npos) {
      form.files.push_back({field, Parameter(disposition, "filename"), content_type,
                            std::move(content)});
    } else {
      form.fields.emplace_back(field, std::move(content));
    }
    at = next + 2;
  }
}

}  // namespace

std::string Form::Get(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return "";
}

const Form::File* Form::GetFile(std::string_view name) const {
  for (const File& f : files) {
    if (f.field == name) return &f;
  }
  return nullptr;
}

bool HasFormBody(const Request& request) {
  const std::string type = MediaType(request.Header("content-type"));
  return type == "application/x-www-form-urlencoded" || type == "multipart/form-data";
}

Result<Form> ParseForm(const Request& request) {
  const std::string header = request.Header("content-type");
  const std::string type = MediaType(header);
  if (type == "application/x-www-form-urlencoded") {
    Form form;
    if (!ParseUrlEncoded(request.body, form.fields)) {
      return Status::Invalid("the form's body has a malformed %-escape");
    }
    return form;
  }
  if (type == "multipart/form-data") return ParseMultipart(request.body, Parameter(header, "boundary"));
  return Form{};
}

}  // namespace opennos::web
