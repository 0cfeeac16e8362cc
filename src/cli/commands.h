#pragma once
// The CLI's commands. Each returns the process exit code: 0 done, 1 failed (a line on stderr
// says what and where), 2 wrong usage.

#include <memory>
#include <string>
#include <vector>

#include "storage/store.h"

namespace opennos::cli {

struct Globals {
  std::string data_dir;  // --data, $OPENNOS_DATA or ./var: the search index, and SQLite's file
  std::string database;  // --database or $OPENNOS_DATABASE_URL; empty: SQLite in data_dir
  std::string DatabasePath() const { return data_dir + "/opennos.db"; }
  // Where the store is: the PostgreSQL URL given, or the data directory's SQLite file.
  std::string Database() const { return database.empty() ? DatabasePath() : database; }
};

// Applies pending schema migrations (PostgreSQL needs this after an upgrade; SQLite does it
// whenever it opens).
int Migrate(const Globals& g);
// Prints "opennos: MESSAGE" on stderr; returns 1.
int Fail(const Status& s);
// Opens the data directory's store; NotFound (saying to run init) when there is none.
Result<std::unique_ptr<Store>> OpenStore(const Globals& g);

int Init(const Globals& g);
int Demo(const Globals& g);
int Import(const Globals& g, const std::vector<std::string>& files, const std::string& format,
           const std::string& author, const std::string& reason, bool progress, bool index,
           const std::string& report_file = "", const std::string& organisation = "");
int Export(const Globals& g, const std::string& name, const std::string& format,
           const std::string& output);
int List(const Globals& g, bool json);
int Show(const Globals& g, const std::string& key);

// Writes a consistent copy of the store to FILE (a SQLite database, whichever the backend).
int Backup(const Globals& g, const std::string& file);
// Puts a backup's contents into the store; a store holding frameworks only with `replace`.
int Restore(const Globals& g, const std::string& file, bool replace);
// Copies one store into another: each named "sqlite:PATH" (a data directory or its database
// file) or by a postgresql:// URL.
int Copy(const Globals& g, const std::string& from, const std::string& to, bool replace);
// Accounts (cli/accounts.cc). `author` names who runs the command, for the audit log.
int OrgAdd(const Globals& g, const std::string& name, const std::string& kind,
           const std::string& author);
int OrgList(const Globals& g);
// `password_stdin`: read the password from the first line of standard input.
int UserAdd(const Globals& g, const std::string& email, const std::string& organisation,
            const std::string& role, bool password_stdin, const std::string& author);
int UserRole(const Globals& g, const std::string& email, const std::string& role,
             const std::string& organisation, const std::string& author);
int UserPassword(const Globals& g, const std::string& email, const std::string& author);
// Prints a new API token for the user, once.
int UserToken(const Globals& g, const std::string& email, const std::string& name,
              const std::string& author);

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

struct AnalyseOptions {
  std::vector<std::string> frameworks;  // as named: UUID, CODE or CODE@EDITION
  double threshold = 0.8;
  double exact_threshold = 0.9;  // crosswalk: exactMatchOf from this score
  std::string by = "auto";       // editions: auto, authored or similarity
  bool json = false;
  size_t limit = 20;             // rows shown in a table
  int threads = 0;               // 0: one per core
  int progress = -1;             // -1: a bar when standard error is a terminal; 0 never; 1 always
  std::string svg;               // coverage: also write the chart here
  bool store = false;            // crosswalk: keep the pairs as suggestions
  std::string author, reason;    // who stores suggestions, and why
};
// The analyses (docs/analysis.md). Ctrl-C cancels a run (exit code 130).
int AnalyseDuplicates(const Globals& g, const AnalyseOptions& options);
int AnalyseCoverage(const Globals& g, const AnalyseOptions& options);
int AnalyseCrosswalk(const Globals& g, const AnalyseOptions& options);
int AnalyseEditions(const Globals& g, const AnalyseOptions& options);
// The crosswalk suggestions a framework states, and deciding on them (admin work: --as).
int AnalyseSuggestions(const Globals& g, const std::string& framework, bool json);
int AnalyseDecide(const Globals& g, const std::string& framework,
                  const std::vector<std::string>& ids, bool accept, const std::string& author,
                  const std::string& reason);

struct ServeOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 0;     // 0: one per core
  bool quiet = false;  // log warnings and errors only, not every request
  bool migrate = false;  // apply pending migrations first instead of refusing to start
  bool behind_proxy = false;    // trust X-Forwarded-For and X-Forwarded-Proto (web/options.h)
  bool secure_cookies = false;  // mark every cookie Secure (the site is reached over HTTPS)
};
// Serves the site and API until SIGINT or SIGTERM.
int Serve(const Globals& g, const ServeOptions& options);

}  // namespace opennos::cli
