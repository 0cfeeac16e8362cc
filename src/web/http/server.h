#pragma once
// The HTTP/1.1 server: the only code that knows Boost.Beast. It parses requests into the
// neutral Request, calls the handler, and writes the Response back, with keep-alive, limits on
// request size, timeouts, and a graceful stop on SIGINT or SIGTERM.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "web/http/message.h"

namespace opennos::web {

struct ServerOptions {
  std::string host = "127.0.0.1";  // address to listen on
  unsigned short port = 8080;      // 0: any free port (see Server::Run's on_listening)
  int threads = 0;                 // I/O threads; 0: one per core
  std::size_t max_header_bytes = 16 * 1024;  // request line and headers; more gets 431
  std::size_t max_target_bytes = 8 * 1024;   // request target; more gets 414
  std::size_t max_body_bytes = 1 << 20;      // more gets 413
  // The body limit of one request, decided once its header is in (uploads may be larger);
  // empty: max_body_bytes for every request.
  std::function<std::size_t(std::string_view method, std::string_view target)> body_limit;
  std::chrono::seconds read_timeout{30};     // to receive a whole request
  std::chrono::seconds idle_timeout{60};     // between requests on a kept-alive connection
  std::chrono::seconds drain_time{2};        // after a stop signal, for requests in flight
};

// Called once per request after the response is written, for logging.
struct AccessRecord {
  std::string method;
  std::string target;
  int status = 0;
  std::size_t bytes = 0;
  double milliseconds = 0;
};
using AccessLog = std::function<void(const AccessRecord&)>;

// Serves `handler` until SIGINT or SIGTERM (or Stop()). The handler is called on I/O threads,
// concurrently: it must be thread-safe. A handler that throws gets a 500 for that request only.
// `on_listening(port)` is called once the socket listens, with the actual port.
Status RunServer(const ServerOptions& options, const Handler& handler, const AccessLog& log,
                 const std::function<void(unsigned short)>& on_listening = {});

}  // namespace opennos::web
