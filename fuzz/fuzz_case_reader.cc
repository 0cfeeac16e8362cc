// Fuzzes the CASE package reader (ReadCasePackage) and, for a package it accepts, the writer.
//
// Always checked, beyond the sanitizers: no exception escapes; an accepted package writes as
// v1.1 and v1.0, in package form and as REST single objects; the v1.1 package reads back; the
// framework read is valid for the native format too (it writes and reads back).
// With OPENNOS_FUZZ_STRICT=1 in the environment, also: read -> write -> read -> write gives the
// same bytes twice (the lossless round trip of issue 6).

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formats/case.h"
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
  (void)LooksLikeCasePackage(content);
  auto doc = ReadCasePackage(content, "fuzz.json");
  if (!doc.ok()) {
    if (doc.status().message().rfind("fuzz.json", 0) != 0) {
      fuzz::Broken("a refusal names the file first", doc.status().message());
    }
    return 0;
  }

  CaseOptions v1p1;
  CaseOptions v1p0;
  v1p0.version = CaseVersion::k1p0;
  CaseOptions rest;
  rest.package_form = false;
  const std::string first = WriteCasePackage(*doc, v1p1);
  (void)WriteCasePackage(*doc, v1p0);
  (void)CaseDocumentJson(*doc, rest);
  for (const Item& item : doc->items) (void)CaseItemJson(*doc, item, rest);
  (void)CaseAssociationsJson(*doc, rest);

  auto again = ReadCasePackage(first, "export.json");
  if (!again.ok())
    fuzz::Broken("the v1.1 export of an accepted package reads back", again.status().message());
  if (again->items.size() != doc->items.size() ||
      again->associations.size() != doc->associations.size()) {
    fuzz::Broken("the export keeps every item and association", first);
  }

  const std::string native = WriteNative(*doc);
  auto from_native = ReadNative(native, "native.json");
  if (!from_native.ok()) {
    fuzz::Broken("a framework read from CASE writes as a native file that reads back",
                 from_native.status().message());
  }

  if (Strict()) {
    const std::string second = WriteCasePackage(*again, v1p1);
    if (second != first)
      fuzz::Broken("read, write, read, write gives the same bytes", fuzz::Around(first, second));
  }
  return 0;
}
