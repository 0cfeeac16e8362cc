#pragma once
// Requests as web/http/server.cc hands them to the site, for handler tests without sockets.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "web/http/message.h"

namespace opennos::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

// A request with its target parsed and header names in lower case, as the server makes it.
inline web::Request MakeRequest(std::string method, const std::string& target,
                                Headers headers = {}, std::string body = "") {
  web::Request request;
  request.method = std::move(method);
  request.target = target;
  std::string error;
  EXPECT_TRUE(web::ParseTarget(target, request, error)) << target << ": " << error;
  request.headers = std::move(headers);
  request.body = std::move(body);
  return request;
}

}  // namespace opennos::test
