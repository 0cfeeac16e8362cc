// Fault tests of the opennos binary: an enormous CSV row, and a kill -9 in the middle of a
// large import. Each takes a few seconds.

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "formats/csv.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

using test::CliRun;
using test::Fixture;
using test::RunCli;

TEST(CliFault, RefusesACsvRowOf200MegabytesNamingItsLineAndChangesNothing) {
  test::ScratchDir dir;
  const std::filesystem::path data = dir.path() / "data";
  ASSERT_EQ(RunCli(data, {"init"}).exit_code, 0);
  ASSERT_EQ(RunCli(data, {"demo"}).exit_code, 0);
  const test::StoreState before = test::CaptureStateWithCli(data);

  const std::string path = dir.File("huge-row.csv");
  {
    std::ofstream out(path, std::ios::binary);
    std::string csv = test::ReadFile(Fixture("good/tiny.csv"));
    csv.resize(csv.find("SMALL,2,key-area"));  // the header and the framework row
    out << csv << "SMALL,2,knowledge,S9,,,,";
    const std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 200; ++i) {
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    }
    out << ",,,,,,,,,,,,,,,,,\n";
    ASSERT_TRUE(out.good());
  }
  ASSERT_GE(std::filesystem::file_size(path), 200u << 20);

  const CliRun run = RunCli(data, {"import", path});
  std::filesystem::remove(path);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "opennos: " + path + ": line 3: a row longer than " +
                         std::to_string(kMaxCsvRowBytes) +
                         " bytes (the largest this layout accepts)\n");
  test::ExpectSameState(before, test::CaptureStateWithCli(data));
}

// Writes a native framework BIG@1 with `units` units of `criteria` performance criteria each.
void WriteLargeFramework(const std::string& path, int units, int criteria) {
  std::ofstream out(path, std::ios::binary);
  out << R"({"opennos": "framework/1", "framework": {"code": "BIG", "edition": "1", )"
      << R"("title": "A large suite"}, "items": [)";
  for (int u = 1; u <= units; ++u) {
    const std::string unit = "U" + std::to_string(u);
    out << (u > 1 ? ",\n" : "\n") << R"({"type": "unit", "code": ")" << unit
        << R"(", "title": "Unit )" << u << R"(", "children": [)";
    for (int c = 1; c <= criteria; ++c) {
      out << (c > 1 ? ",\n" : "\n") << R"( {"type": "performance-criterion", "code": ")" << unit
          << ".P" << c << R"(", "text": "Criterion )" << c << " of unit " << u << R"(."})";
    }
    out << "]}";
  }
  out << "]}\n";
  if (!out.good()) throw std::runtime_error("cannot write " + path);
}

TEST(CliFault, AnImportKilledMidwayLeavesTheStoreAsItWas) {
  test::ScratchDir dir;
  const std::filesystem::path data = dir.path() / "data";
  ASSERT_EQ(RunCli(data, {"init"}).exit_code, 0);
  ASSERT_EQ(RunCli(data, {"demo"}).exit_code, 0);
  const test::StoreState before = test::CaptureStateWithCli(data);
  const std::string path = dir.File("big.json");
  WriteLargeFramework(path, 20, 10'000);  // 200,000 statements

  test::ChildProcess child({OPENNOS_BINARY, "--data", data.string(), "import", "--progress", path});
  // Generous: on a machine shared by several builds, reading the file alone has taken a minute.
  ASSERT_TRUE(child.WaitForErrorLine("items written", std::chrono::seconds(240)))
      << "no progress reported:\n"
      << child.err();
  ASSERT_EQ(kill(child.pid(), SIGKILL), 0);
  EXPECT_EQ(child.Finish(), 128 + SIGKILL) << "the import ended before it was killed";
  // The file is read whole first (its progress in bytes), then written: killed after the
  // first ten thousand items and before the next ten thousand.
  const std::string err = child.err();
  const size_t read_all = err.find("bytes read (100 %)\n");
  ASSERT_NE(read_all, std::string::npos) << err;
  EXPECT_EQ(err.substr(err.find('\n', read_all) + 1).rfind("opennos: 10000 items written\n", 0), 0u)
      << err;
  EXPECT_FALSE(child.out().find("frameworks:") != std::string::npos) << child.out();

  test::ExpectSameState(before, test::CaptureStateWithCli(data));
  const CliRun after = RunCli(data, {"import", Fixture("good/tiny.json")});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out.rfind("frameworks: 1 created,", 0), 0u) << after.out;
  const CliRun list = RunCli(data, {"list", "--json"});
  EXPECT_NE(list.out.find("\"code\":\"TINY\""), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("\"code\":\"BIG\""), std::string::npos) << list.out;
}

}  // namespace
}  // namespace opennos
