#pragma once
// The CLI's commands. Each returns the process exit code: 0 done, 1 failed (a line on stderr
// says what and where), 2 wrong usage.

#include <string>
#include <vector>

namespace opennos::cli {

struct Globals {
  std::string data_dir;  // --data, $OPENNOS_DATA or ./var
  std::string DatabasePath() const { return data_dir + "/opennos.db"; }
};

int Init(const Globals& g);
int Demo(const Globals& g);
int Import(const Globals& g, const std::vector<std::string>& files, const std::string& format,
           const std::string& author, const std::string& reason, bool progress, bool index,
           const std::string& report_file = "");
int Export(const Globals& g, const std::string& name, const std::string& format,
           const std::string& output);
int List(const Globals& g, bool json);
int Show(const Globals& g, const std::string& key);

struct SearchOptions {
  std::string query;
  std::vector<std::string> filters;  // key=value
  int page = 1;
  int size = 10;
  bool json = false;
};
// Searches the index (bringing it up to date first when no server holds it).
int Search(const Globals& g, const SearchOptions& options);
// Rebuilds the search index from the store, with a progress bar.
int Reindex(const Globals& g);

struct ServeOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 0;     // 0: one per core
  bool quiet = false;  // log warnings and errors only, not every request
};
// Serves the site and API until SIGINT or SIGTERM.
int Serve(const Globals& g, const ServeOptions& options);

}  // namespace opennos::cli
