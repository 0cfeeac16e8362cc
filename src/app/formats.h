#pragma once
// Reading and writing whole framework files in any supported format, recognised from the
// content rather than the file name.

#include <string>
#include <string_view>
#include <vector>

#include <memory>

#include "core/model.h"
#include "core/status.h"
#include "formats/problems.h"

namespace opennos {

// kNosCatalogue, kSoc2020, kEsco and kOnet are other organisations' CSV files
// (docs/formats/nos-catalogue.md, soc.md, esco.md, onet.md), read but never written.
enum class FileFormat {
  kAuto,
  kNative,
  kCsv,
  kCase,
  kCase1p0,
  kNosCatalogue,
  kSoc2020,
  kEsco,
  kOnet
};

// "native", "csv", "case" (CASE v1.1), "case-1.0", "nos-catalogue", "soc2020", "esco", "onet"
// (and "auto"); Invalid otherwise.
Result<FileFormat> ParseFileFormat(std::string_view name);
std::string_view FileFormatName(FileFormat f);
// False for the formats OpenNOS reads but does not write (the NOS catalogue, SOC, ESCO, O*NET).
bool IsWritableFormat(FileFormat format);

// Recognises a format from the first bytes of a file; kAuto when none matches.
FileFormat DetectFormat(std::string_view content);

// Reads the frameworks a file holds, in `format` (kAuto: detect). Errors name `source`. What
// a reader could not normalise goes to `problems`, if given.
Result<std::vector<FrameworkDoc>> ReadFrameworkFile(std::string_view content,
                                                    const std::string& source,
                                                    FileFormat format,
                                                    ImportProblems* problems = nullptr);

// A framework read from one file or, for the formats that spread one over several, from all of
// them.
struct ReadFramework {
  FrameworkDoc doc;
  FileFormat format = FileFormat::kAuto;
  std::string source;  // the file, or the files joined with " + "
};

// Reads the files of one import, each recognised from its content (or read in the forced
// format). A framework spread over several files (SOC 2020's structure and descriptions,
// ESCO's files, O*NET's occupations and tasks) is built once every file is in, so they may
// come in any order.
class FrameworkFileSet {
 public:
  explicit FrameworkFileSet(FileFormat format = FileFormat::kAuto,
                            ImportProblems* problems = nullptr);
  ~FrameworkFileSet();
  FrameworkFileSet(const FrameworkFileSet&) = delete;
  FrameworkFileSet& operator=(const FrameworkFileSet&) = delete;

  // Reads one file; the content is not kept. Errors name `source` and the place in it.
  Status Add(std::string_view content, const std::string& source);
  // Takes a framework its caller read (a CASE package streamed from its file), in file order.
  void AddRead(FrameworkDoc doc, FileFormat format, const std::string& source);
  // True when a NOS catalogue export is among the files but no SOC 2020 file is: its SOC
  // codes can then only be checked against a SOC 2020 framework from elsewhere (the store).
  bool WantsSoc2020() const;
  // Every framework, in the order of the files (one spread over several files at the place of
  // the first). `stored_soc2020`, if given, is the SOC 2020 framework the catalogue's SOC
  // codes are checked against when no SOC 2020 file is among the files.
  Result<std::vector<ReadFramework>> Finish(const FrameworkDoc* stored_soc2020 = nullptr);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Writes one framework. `format` must not be kAuto. CASE packages get URIs under `base_url`.
std::string WriteFrameworkFile(const FrameworkDoc& doc, FileFormat format,
                               const std::string& base_url = "http://localhost:8080");

// True when a file of this format carries only part of a framework (the CSV layout has no
// associations and fewer framework fields), so that an update keeps what it lacks.
bool IsPartialFormat(FileFormat format);

}  // namespace opennos
