#pragma once
// Helpers shared by the test files: scratch directories, files and fixtures, a store's visible
// state, and the real opennos binary run as a child process. A helper that cannot do its job
// throws std::runtime_error, which fails the calling test with the reason.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.h"

namespace opennos::test {

// A fresh, uniquely named directory under testing::TempDir(), removed with everything in it
// when the object goes.
class ScratchDir {
 public:
  ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir();

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside the directory, as a string.
  std::string File(std::string_view name) const;

 private:
  std::filesystem::path path_;
};

// A parameterised test's name made from words: "unit status" -> "UnitStatus".
std::string TestName(std::string_view words);

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, std::string_view content);
// The path of a file under tests/fixtures/.
std::string Fixture(std::string_view relative);

// Opens (creating) the SQLite store of a data directory, as the CLI does: DIR/opennos.db.
std::unique_ptr<Store> OpenStoreIn(const std::filesystem::path& data_dir);
std::string DatabaseIn(const std::filesystem::path& data_dir);
// Runs one SQL query returning a single integer on the database (a SQLite file, with the SQLite
// C API, or a PostgreSQL URL, with libpq).
std::int64_t QueryInt(const std::string& db_path, const std::string& sql);
// Runs SQL with no result on the database.
void ExecSql(const std::string& db_path, const std::string& sql);

// What can be seen of a store: its framework list, every framework exported in both formats,
// the number of revisions kept and the last change. Equal states mean nothing changed.
struct StoreState {
  std::string listing;  // `list --json` from the CLI, or a rendering of ListFrameworks
  std::map<std::string, std::string> exports;  // "CODE@EDITION.native" -> bytes
  std::int64_t history = 0;    // revisions of every framework, item and association (History)
  std::int64_t revisions = 0;  // rows of the revisions table, removed entities' included
  std::int64_t last_change = 0;
};
// Through the C++ API; `db_path` is the store's SQLite file or PostgreSQL URL.
StoreState CaptureState(Store& store, const std::string& db_path);
// Through the opennos binary (listing and exports), then the API for the revision counts.
StoreState CaptureStateWithCli(const std::filesystem::path& data_dir);
// Adds a test failure for each way `after` differs from `before`.
void ExpectSameState(const StoreState& before, const StoreState& after);

// A child process with its standard output and error read through pipes.
class ChildProcess {
 public:
  // Starts `argv` (argv[0] is the program's path) with `input` (at most 64 KB) on its standard
  // input. Throws if it cannot.
  explicit ChildProcess(const std::vector<std::string>& argv, const std::string& input = "");
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills and reaps the child if it is still running.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Reads output until a line of standard error contains `text`; false if the child closed
  // its output or `timeout` passed first.
  bool WaitForErrorLine(std::string_view text, std::chrono::milliseconds timeout);
  // Reads all output until the child closes it, then reaps it. Returns the exit status, or
  // 128 + the signal that ended it.
  int Finish();
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  // Waits up to `timeout` for output and appends it; false once both pipes are closed.
  bool ReadSome(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
  bool reaped_ = false;
  int status_ = 0;
};

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the opennos binary with `args` and waits for it.
CliRun RunCli(const std::vector<std::string>& args);
// Runs `opennos --data DATA_DIR args...`, with `input` on its standard input.
CliRun RunCli(const std::filesystem::path& data_dir, const std::vector<std::string>& args,
              const std::string& input = "");

}  // namespace opennos::test
