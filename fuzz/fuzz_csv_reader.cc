// Fuzzes the CSV layout reader (ReadCsv, and through it ParseCsv) and, for a file it accepts,
// the writer.
//
// Always checked, beyond the sanitizers: no exception escapes; a refusal names the file; an
// accepted file writes as CSV that reads back and writes the same bytes again (the layout's
// round trip is byte-identical, CLARIFICATIONS "CSV"); the framework writes as a native file
// that reads back.

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/csv.h"
#include "formats/native.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace opennos;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  auto doc = ReadCsv(content, "fuzz.csv");
  if (!doc.ok()) {
    if (doc.status().message().rfind("fuzz.csv", 0) != 0) {
      fuzz::Broken("a refusal names the file first", doc.status().message());
    }
    return 0;
  }
  const std::string first = WriteCsv(*doc);
  auto again = ReadCsv(first, "first.csv");
  if (!again.ok()) fuzz::Broken("a written CSV file reads back", again.status().message());
  const std::string second = WriteCsv(*again);
  if (second != first)
    fuzz::Broken("CSV: read, write, read, write gives the same bytes", fuzz::Around(first, second));

  auto native = ReadNative(WriteNative(*doc), "native.json");
  if (!native.ok())
    fuzz::Broken("a framework read from CSV writes as a native file that reads back",
                 native.status().message());
  return 0;
}
