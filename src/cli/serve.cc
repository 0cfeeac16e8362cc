#include <spdlog/spdlog.h>

#include <filesystem>

#include "cli/commands.h"
#include "storage/sqlite/sqlite_store.h"
#include "web/http/server.h"
#include "web/site.h"

namespace opennos::cli {

int Serve(const Globals& g, const ServeOptions& options) {
  const std::string path = g.DatabasePath();
  if (!std::filesystem::exists(path)) {
    spdlog::error("no OpenNOS data in {} (run `opennos --data {} init` first)", g.data_dir,
                  g.data_dir);
    return 1;
  }
  {  // Open once up front, so that a bad database fails now rather than on the first request.
    auto store = OpenSqliteStore(path, false);
    if (!store.ok()) {
      spdlog::error("{}", store.status().message());
      return 1;
    }
  }
  web::Site site([path] { return OpenSqliteStore(path, false); });
  web::ServerOptions server;
  server.host = options.host;
  server.port = options.port;
  server.threads = options.threads;
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
        spdlog::info("OpenNOS serving {} at http://{}:{}/", g.data_dir,
                     options.host.find(':') == std::string::npos ? options.host
                                                                 : "[" + options.host + "]",
                     port);
      });
  if (!s.ok()) {
    spdlog::error("{}", s.message());
    return 1;
  }
  spdlog::info("stopped");
  return 0;
}

}  // namespace opennos::cli
