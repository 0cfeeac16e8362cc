#pragma once
// The neutral HTTP request and response that handlers see. Nothing here knows Boost.Beast, so
// handlers are tested without sockets (tests/unit/web_*_test.cc).

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opennos::web {

struct Request {
  std::string method;  // upper case, as sent ("GET")
  std::string target;  // as sent: path and query, still percent-encoded
  std::string path;    // decoded path, checked: starts with '/', no "." or ".." segments
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string remote_address;  // the peer's IP address, as the socket sees it; may be empty

  // The first value of a query parameter or header; empty when absent.
  std::string Query(std::string_view key) const;
  std::string Header(std::string_view lower_case_name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Replaces any header of this name.
  void Set(std::string_view name, std::string value);
  // The value of a header; empty when absent.
  std::string Get(std::string_view name) const;
};

using Handler = std::function<Response(const Request&)>;

// Splits and decodes a request target into path and query. Fails (returns false, with a reason)
// on bad percent-encoding, a NUL byte, a path that does not start with '/', or a "." or ".."
// segment (so "/assets/../../etc/passwd" never reaches a handler).
bool ParseTarget(std::string_view target, Request& request, std::string& error);

// Decodes "a=1&b=x+y" (a query string, or a form body of application/x-www-form-urlencoded;
// '+' is a space) into pairs, in order, appending to `out`. False on a malformed escape.
bool ParseUrlEncoded(std::string_view text, std::vector<std::pair<std::string, std::string>>& out);

// Decodes %XX escapes (and '+' as space when `plus_is_space`); false on a malformed escape.
bool PercentDecode(std::string_view in, std::string& out, bool plus_is_space);
// Encodes a path segment or query value.
std::string PercentEncode(std::string_view in);

}  // namespace opennos::web
