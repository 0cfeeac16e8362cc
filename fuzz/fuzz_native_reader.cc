// Fuzzes the native format reader (ReadNative) and, for a file it accepts, the writers.
//
// Always checked, beyond the sanitizers: no exception escapes; ReadNative(WriteNative(d)) reads
// and writes the same bytes again (native.h promises ReadNative(WriteNative(d)) == d); the
// framework writes as a CASE package that reads back with as many items and associations, and
// as CSV that reads back.
// With OPENNOS_FUZZ_STRICT=1, also: OpenNOS -> CASE -> OpenNOS gives the same native file (the
// lossless CASE round trip of issue 6).

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formats/case.h"
#include "formats/csv.h"
#include "formats/native.h"
#include "fuzz_common.h"

namespace {

bool Strict() {
  static const bool strict = [] {
    const char* v = std::getenv("OPENNOS_FUZZ_STRICT");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return strict;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace opennos;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  auto doc = ReadNative(content, "fuzz.json");
  if (!doc.ok()) {
    if (doc.status().message().rfind("fuzz.json", 0) != 0) {
      fuzz::Broken("a refusal names the file first", doc.status().message());
    }
    return 0;
  }

  const std::string first = WriteNative(*doc);
  auto again = ReadNative(first, "first.json");
  if (!again.ok()) fuzz::Broken("a written native file reads back", again.status().message());
  const std::string second = WriteNative(*again);
  if (second != first)
    fuzz::Broken("native: read, write, read, write gives the same bytes",
                 fuzz::Around(first, second));

  const std::string package = WriteCasePackage(*doc, CaseOptions{});
  auto from_case = ReadCasePackage(package, "package.json");
  if (!from_case.ok())
    fuzz::Broken("a framework's CASE package reads back", from_case.status().message());
  if (from_case->items.size() != doc->items.size() ||
      from_case->associations.size() != doc->associations.size()) {
    fuzz::Broken("the CASE package keeps every item and association", package);
  }
  if (Strict()) {
    const std::string via_case = WriteNative(*from_case);
    if (via_case != first)
      fuzz::Broken("OpenNOS -> CASE -> OpenNOS gives the same native file",
                   fuzz::Around(first, via_case));
  }

  const std::string csv = WriteCsv(*doc);
  auto from_csv = ReadCsv(csv, "csv.csv");
  if (!from_csv.ok()) fuzz::Broken("a framework's CSV reads back", from_csv.status().message());
  return 0;
}
