#include "unit/test_support.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "app/importer.h"
#include "storage/open.h"
#include "storage/sqlite/sqlite_store.h"
#include "unit/postgres_server.h"

namespace opennos::test {
namespace {

void Check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

std::string Listing(Store& store) {
  auto list = store.ListFrameworks();
  Check(list.ok(), "ListFrameworks: " + list.status().message());
  std::string out;
  for (const FrameworkSummary& s : *list) {
    const Framework& f = s.framework;
    out += f.uuid + " " + f.code + "@" + f.edition + " r" + std::to_string(f.revision) + " " +
           std::to_string(s.units) + "/" + std::to_string(s.statements) + " " + f.title + "\n";
  }
  return out;
}

// Revisions of every live framework, item and association, counted through History.
std::int64_t HistoryCount(Store& store) {
  auto list = store.ListFrameworks();
  Check(list.ok(), "ListFrameworks: " + list.status().message());
  std::int64_t total = 0;
  const auto count = [&](const std::string& uuid) {
    auto history = store.History(uuid);
    Check(history.ok(), "History: " + history.status().message());
    total += static_cast<std::int64_t>(history->size());
  };
  for (const FrameworkSummary& s : *list) {
    auto doc = store.LoadFramework(s.framework.uuid);
    Check(doc.ok(), "LoadFramework: " + doc.status().message());
    count(doc->framework.uuid);
    for (const Item& item : doc->items) count(item.uuid);
    for (const Association& a : doc->associations) count(a.uuid);
  }
  return total;
}

void CountRevisions(Store& store, const std::string& db_path, StoreState& state) {
  state.history = HistoryCount(store);
  state.revisions = QueryInt(db_path, "SELECT count(*) FROM revisions");
  auto last = store.LastChange();
  Check(last.ok(), "LastChange: " + last.status().message());
  state.last_change = *last;
}

}  // namespace

ScratchDir::ScratchDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "opennos-";
  if (info != nullptr) name += std::string(info->test_suite_name()) + "." + info->name() + "-";
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  std::string pattern = ::testing::TempDir() + name + "XXXXXX";
  Check(mkdtemp(pattern.data()) != nullptr, "mkdtemp " + pattern);
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ScratchDir::File(std::string_view name) const { return (path_ / name).string(); }

std::string TestName(std::string_view words) {
  std::string out;
  bool upper = true;
  for (char c : words) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  Check(static_cast<bool>(in), "cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  Check(static_cast<bool>(out), "cannot write " + path.string());
}

std::string Fixture(std::string_view relative) {
  return std::string(OPENNOS_SOURCE_DIR) + "/tests/fixtures/" + std::string(relative);
}

std::string DatabaseIn(const std::filesystem::path& data_dir) {
  return (data_dir / "opennos.db").string();
}

std::unique_ptr<Store> OpenStoreIn(const std::filesystem::path& data_dir) {
  auto store = OpenSqliteStore(DatabaseIn(data_dir), true);
  Check(store.ok(), "OpenSqliteStore: " + store.status().message());
  return std::move(*store);
}

std::int64_t QueryInt(const std::string& db_path, const std::string& sql) {
  if (IsPostgresUrl(db_path)) return PostgresQueryInt(db_path, sql);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> owned(db, sqlite3_close);
  Check(rc == SQLITE_OK, "cannot open " + db_path);
  sqlite3_stmt* raw = nullptr;
  Check(sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) == SQLITE_OK,
        sql + ": " + sqlite3_errmsg(db));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  Check(sqlite3_step(raw) == SQLITE_ROW, sql + ": no row");
  return sqlite3_column_int64(raw, 0);
}

void ExecSql(const std::string& db_path, const std::string& sql) {
  if (IsPostgresUrl(db_path)) return PostgresExec(db_path, sql);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> owned(db, sqlite3_close);
  Check(rc == SQLITE_OK, "cannot open " + db_path);
  char* message = nullptr;
  const int exec = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  const std::string text = message != nullptr ? message : "";
  sqlite3_free(message);
  Check(exec == SQLITE_OK, sql + ": " + text);
}

StoreState CaptureState(Store& store, const std::string& db_path) {
  StoreState state;
  state.listing = Listing(store);
  auto list = store.ListFrameworks();
  Check(list.ok(), "ListFrameworks: " + list.status().message());
  for (const FrameworkSummary& s : *list) {
    const std::string name = s.framework.code + "@" + s.framework.edition;
    for (FileFormat format : {FileFormat::kNative, FileFormat::kCsv}) {
      auto text = ExportFramework(store, s.framework.uuid, format);
      Check(text.ok(), "ExportFramework: " + text.status().message());
      state.exports[name + "." + std::string(FileFormatName(format))] = std::move(*text);
    }
  }
  CountRevisions(store, db_path, state);
  return state;
}

StoreState CaptureStateWithCli(const std::filesystem::path& data_dir) {
  StoreState state;
  const CliRun list = RunCli(data_dir, {"list", "--json"});
  Check(list.exit_code == 0, "opennos list --json: " + list.err);
  state.listing = list.out;
  const auto parsed = boost::json::parse(list.out);
  for (const auto& f : parsed.at("frameworks").as_array()) {
    const std::string uuid(f.at("uuid").as_string());
    const std::string name =
        std::string(f.at("code").as_string()) + "@" + std::string(f.at("edition").as_string());
    for (const char* format : {"native", "csv"}) {
      const CliRun exported = RunCli(data_dir, {"export", uuid, "--format", format});
      Check(exported.exit_code == 0, "opennos export: " + exported.err);
      state.exports[name + "." + format] = exported.out;
    }
  }
  auto store = OpenStoreIn(data_dir);
  CountRevisions(*store, DatabaseIn(data_dir), state);
  return state;
}

void ExpectSameState(const StoreState& before, const StoreState& after) {
  EXPECT_EQ(before.listing, after.listing) << "the framework list changed";
  std::vector<std::string> names_before, names_after;
  for (const auto& [name, text] : before.exports) names_before.push_back(name);
  for (const auto& [name, text] : after.exports) names_after.push_back(name);
  EXPECT_EQ(names_before, names_after) << "the set of frameworks changed";
  for (const auto& [name, text] : before.exports) {
    auto it = after.exports.find(name);
    if (it == after.exports.end()) continue;
    EXPECT_TRUE(text == it->second) << "the export " << name << " changed";
  }
  EXPECT_EQ(before.history, after.history) << "revisions were added (History)";
  EXPECT_EQ(before.revisions, after.revisions) << "rows were added to the revisions table";
  EXPECT_EQ(before.last_change, after.last_change) << "the change log moved";
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& input) {
  Check(input.size() <= 64 * 1024, "ChildProcess: at most 64 KB of input");
  int in[2], out[2], err[2];
  Check(pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0,
        "pipe2");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  Check(pid_ >= 0, "fork");
  if (pid_ == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  // A pipe holds 64 KB, so this never waits for the child to read.
  Check(write(in[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()),
        "write to the child's input");
  close(in[1]);
  close(out[1]);
  close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
}

ChildProcess::~ChildProcess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

bool ChildProcess::ReadSome(std::chrono::milliseconds timeout) {
  pollfd fds[2];
  nfds_t n = 0;
  for (int fd : {out_fd_, err_fd_}) {
    if (fd >= 0) fds[n++] = {fd, POLLIN, 0};
  }
  if (n == 0) return false;
  const int ready = poll(fds, n, static_cast<int>(timeout.count()));
  if (ready <= 0) return true;
  char buffer[65536];
  for (nfds_t i = 0; i < n; ++i) {
    if (fds[i].revents == 0) continue;
    const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
    const bool is_out = fds[i].fd == out_fd_;
    if (got > 0) {
      (is_out ? out_ : err_).append(buffer, static_cast<size_t>(got));
      continue;
    }
    close(fds[i].fd);
    (is_out ? out_fd_ : err_fd_) = -1;
  }
  return out_fd_ >= 0 || err_fd_ >= 0;
}

bool ChildProcess::WaitForErrorLine(std::string_view text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const size_t at = err_.find(text);
    if (at != std::string::npos && err_.find('\n', at) != std::string::npos) return true;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    if (!ReadSome(left)) return false;
  }
}

int ChildProcess::Finish() {
  while (ReadSome(std::chrono::milliseconds(1000))) {
  }
  if (!reaped_) {
    Check(waitpid(pid_, &status_, 0) == pid_, "waitpid");
    reaped_ = true;
  }
  if (WIFEXITED(status_)) return WEXITSTATUS(status_);
  return 128 + WTERMSIG(status_);
}

namespace {

CliRun RunCliWithInput(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv{OPENNOS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess child(argv, input);
  CliRun run;
  run.exit_code = child.Finish();
  run.out = child.out();
  run.err = child.err();
  return run;
}

}  // namespace

CliRun RunCli(const std::vector<std::string>& args) { return RunCliWithInput(args, ""); }

CliRun RunCli(const std::filesystem::path& data_dir, const std::vector<std::string>& args,
              const std::string& input) {
  std::vector<std::string> all{"--data", data_dir.string()};
  all.insert(all.end(), args.begin(), args.end());
  return RunCliWithInput(all, input);
}

}  // namespace opennos::test
