#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <iostream>

#include "app/search_service.h"
#include "cli/commands.h"
#include "search/index.h"
#include "storage/open.h"
#include "web/http/server.h"
#include "web/site.h"

namespace opennos::cli {
namespace {

// Request logging must not cost a system call per request: lines collect in memory and are
// written in blocks of 64 KB, at least once a second, and at once for warnings and errors.
class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ~BufferedStdoutSink() override { flush_(); }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    buffer_.append(line.data(), line.size());
    if (buffer_.size() >= 64 * 1024) flush_();
  }
  void flush_() override {
    std::fwrite(buffer_.data(), 1, buffer_.size(), stdout);
    std::fflush(stdout);
    buffer_.clear();
  }

 private:
  std::string buffer_;
};

void UseBufferedLogging() {
  auto logger = std::make_shared<spdlog::logger>("opennos", std::make_shared<BufferedStdoutSink>());
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace

int Serve(const Globals& g, const ServeOptions& options) {
  const std::string database = g.Database();
  if (g.database.empty() && !std::filesystem::exists(database)) {
    spdlog::error("no OpenNOS data in {} (run `opennos --data {} init` first)", g.data_dir,
                  g.data_dir);
    return 1;
  }
  if (!g.database.empty()) {  // the data directory holds this server's own search index
    std::error_code ec;
    std::filesystem::create_directories(g.data_dir, ec);
    if (ec) {
      spdlog::error("{}: {}", g.data_dir, ec.message());
      return 1;
    }
  }
  {  // Open once up front, so that a bad database fails now rather than on the first request.
    auto store = OpenStore(database, options.migrate ? OpenMode::kMigrate : OpenMode::kExisting);
    if (!store.ok()) {
      std::string message = store.status().message();
      if (message.find("`opennos migrate`") != std::string::npos) {
        message += " (or start `opennos serve --migrate`)";
      }
      spdlog::error("{}", message);
      return 1;
    }
  }
  const auto open_store = [database] { return OpenStore(database, OpenMode::kExisting); };
  UseBufferedLogging();
  // The server writes the search index: it builds it if missing or damaged, then follows the
  // store's change log, so writes from any process appear in search within a second.
  const std::string index_dir = IndexDir(g.data_dir);
  std::unique_ptr<search::Index> writer;
  {
    auto store = open_store();
    if (!store.ok()) {
      spdlog::error("{}", store.status().message());
      return 1;
    }
    auto index = search::OpenCurrentIndex(**store, index_dir);
    // A server that is stopping may still hold the index for a moment: wait for it.
    for (int tries = 0; !index.ok() && index.status().code() == Status::Code::kConflict &&
                        tries < 50;
         ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      index = search::OpenCurrentIndex(**store, index_dir);
    }
    if (!index.ok()) {
      spdlog::error("search index: {}", index.status().message());
      return 1;
    }
    writer = std::move(*index);
    spdlog::info("search index: {} documents holding {} units and statements", writer->Documents(),
                 writer->Size());
  }
  std::atomic<bool> stopping{false};
  std::thread indexer([&] {
    auto store = open_store();
    if (!store.ok()) {
      spdlog::error("search index: cannot follow the store: {}", store.status().message());
      return;
    }
    while (!stopping.load()) {
      // Wakes when another process commits (NOTIFY, or SQLite's data version), at the latest
      // after a moment, so that stopping is noticed.
      auto last = (*store)->WaitForChange(writer->IndexedSeq(), 250);
      if (!last.ok()) {
        spdlog::warn("search index: {}", last.status().message());
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        continue;
      }
      if (*last > writer->IndexedSeq()) {
        auto done = search::CatchUp(**store, *writer);
        if (!done.ok()) spdlog::warn("search index: {}", done.status().message());
      }
    }
  });
  web::SiteOptions site_options;
  site_options.behind_proxy = options.behind_proxy;
  site_options.secure_cookies = options.secure_cookies;
  web::Site site(open_store, [index_dir] { return search::OpenReadOnlyIndex(index_dir); },
                 site_options);
  web::ServerOptions server;
  server.host = options.host;
  server.port = options.port;
  server.threads = options.threads;
  // Framework files uploaded to an organisation's import may be large; other bodies may not.
  server.body_limit = [default_limit = server.max_body_bytes](std::string_view method,
                                                              std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    const bool import = method == "POST" && path.size() > 7 &&
                        path.substr(path.size() - 7) == "/import" &&
                        (path.rfind("/admin/organisations/", 0) == 0 ||
                         path.rfind("/api/v1/organisations/", 0) == 0);
    return import ? web::kMaxUploadBytes : default_limit;
  };
  spdlog::set_level(options.quiet ? spdlog::level::warn : spdlog::level::info);
  auto log = [](const web::AccessRecord& r) {
    if (r.status >= 500) {
      spdlog::error("{} {} {} {}B {:.2f}ms", r.method, r.target, r.status, r.bytes,
                    r.milliseconds);
    } else {
      spdlog::info("{} {} {} {}B {:.2f}ms", r.method, r.target, r.status, r.bytes,
                   r.milliseconds);
    }
  };
  Status s = web::RunServer(
      server, [&site](const web::Request& r) { return site.Handle(r); }, log,
      [&](unsigned short port) {
        spdlog::info("OpenNOS serving {} at http://{}:{}/", DescribeStore(database),
                     options.host.find(':') == std::string::npos ? options.host
                                                                 : "[" + options.host + "]",
                     port);
        spdlog::default_logger()->flush();  // scripts wait for this line
      });
  stopping = true;
  indexer.join();
  if (!s.ok()) {
    spdlog::error("{}", s.message());
    return 1;
  }
  spdlog::info("stopped");
  spdlog::shutdown();
  return 0;
}

}  // namespace opennos::cli
