#include "web/http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace opennos::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

const char* kPlainError = "text/plain; charset=utf-8";

// Requests being answered right now, so that a stop can wait for them and no longer.
std::atomic<int> in_flight{0};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const ServerOptions& options, const Handler& handler,
          const AccessLog& log)
      : stream_(std::move(socket)), options_(options), handler_(handler), log_(log) {}

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(true); });
  }

 private:
  void Read(bool first) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser_->body_limit(options_.max_body_bytes);
    stream_.expires_after(first ? options_.read_timeout : options_.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->OnHeader(ec);
                            });
  }

  // The header is in: set this request's body limit, then read the body.
  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    if (options_.body_limit) {
      const auto& req = parser_->get();
      parser_->body_limit(options_.body_limit(req.method_string(), req.target()));
    }
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->OnRead(ec);
                     });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return Close();
    }
    started_ = Clock::now();
    ++in_flight;
    if (ec == http::error::header_limit) {
      return SendError(431, "The request line or headers are too large.\n");
    }
    if (ec == http::error::body_limit) return SendError(413, "The request body is too large.\n");
    if (ec) return SendError(400, "Malformed request: " + ec.message() + ".\n");

    const auto& req = parser_->get();
    if (req.version() == 11 && req.find(http::field::host) == req.end()) {
      return SendError(400, "An HTTP/1.1 request needs a Host header.\n");
    }
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    if (request.target.size() > options_.max_target_bytes) {
      return SendError(414, "The request target is too long.\n");
    }
    std::string error;
    if (!ParseTarget(request.target, request, error)) return SendError(400, error + ".\n");
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = req.body();
    beast::error_code ignored;
    const auto peer = stream_.socket().remote_endpoint(ignored);
    if (!ignored) request.remote_address = peer.address().to_string();
    Response response;
    try {
      response = handler_(request);
    } catch (const std::exception& e) {
      response = Response{500, {{"Content-Type", kPlainError}}, "Internal server error.\n"};
    }
    Send(std::move(response), req.keep_alive(), req.method() == http::verb::head,
         std::move(request.method), std::move(request.target));
  }

  void SendError(int status, std::string message) {
    Response r{status,
               {{"Content-Type", kPlainError},
                {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
                {"X-Content-Type-Options", "nosniff"}},
               std::move(message)};
    Send(std::move(r), false, false,
         parser_ ? std::string(parser_->get().method_string()) : "",
         parser_ ? std::string(parser_->get().target()) : "");
  }

  void Send(Response response, bool keep_alive, bool head, std::string method,
            std::string target) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    // insert, not set: a response may carry a header more than once (Set-Cookie).
    for (auto& [name, value] : response.headers) res->insert(name, value);
    const std::size_t length = response.body.size();
    if (!head) res->body() = std::move(response.body);
    // A 304 or 204 has no body and, here, no Content-Length (RFC 9110 8.6).
    if (response.status != 304 && response.status != 204) res->content_length(length);
    res->keep_alive(keep_alive);
    record_ = {std::move(method), std::move(target), response.status, length, 0};
    stream_.expires_after(options_.read_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                        self->OnWrite(ec, res->keep_alive());
                      });
  }

  void OnWrite(beast::error_code ec, bool keep_alive) {
    --in_flight;
    record_.milliseconds =
        std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    if (log_) log_(record_);
    if (ec || !keep_alive) return Close();
    Read(false);
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const ServerOptions& options_;
  const Handler& handler_;
  const AccessLog& log_;
  Clock::time_point started_;
  AccessRecord record_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, const ServerOptions& options, const Handler& handler,
           const AccessLog& log)
      : ioc_(ioc), acceptor_(asio::make_strand(ioc)), options_(options), handler_(handler),
        log_(log) {}

  Status Open() {
    beast::error_code ec;
    const auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return Status::Invalid("\"" + options_.host + "\" is not an IP address");
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::Io("cannot listen on " + options_.host + ":" +
                        std::to_string(options_.port) + ": " + ec.message());
    }
    return Status::Ok();
  }

  unsigned short Port() const { return acceptor_.local_endpoint().port(); }

  void Accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](
                                                        beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(s), self->options_, self->handler_, self->log_)
            ->Start();
      }
      self->Accept();
    });
  }

  void Close() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  const ServerOptions& options_;
  const Handler& handler_;
  const AccessLog& log_;
};

}  // namespace

Status RunServer(const ServerOptions& options, const Handler& handler, const AccessLog& log,
                 const std::function<void(unsigned short)>& on_listening) {
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  asio::io_context ioc(threads);
  auto listener = std::make_shared<Listener>(ioc, options, handler, log);
  if (Status s = listener->Open(); !s.ok()) return s;
  listener->Accept();
  if (on_listening) on_listening(listener->Port());

  // On SIGINT or SIGTERM: stop accepting, let requests in flight finish (for at most
  // drain_time), then stop.
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  asio::steady_timer drain(ioc);
  Clock::time_point deadline;
  std::function<void()> wait_for_requests = [&] {
    if (in_flight.load() <= 0 || Clock::now() >= deadline) {
      ioc.stop();
      return;
    }
    drain.expires_after(std::chrono::milliseconds(20));
    drain.async_wait([&](beast::error_code) { wait_for_requests(); });
  };
  signals.async_wait([&](beast::error_code ec, int) {
    if (ec) return;
    listener->Close();
    deadline = Clock::now() + options.drain_time;
    wait_for_requests();
  });

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  return Status::Ok();
}

}  // namespace opennos::web
