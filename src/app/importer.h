#pragma once
// Imports and exports whole frameworks between files and a Store.

#include <cstdint>
#include <string>
#include <vector>

#include "app/formats.h"
#include "storage/store.h"

namespace opennos {

// The largest file an import reads, in bytes.
inline constexpr std::uintmax_t kMaxImportFileBytes = std::uintmax_t{2} << 30;

struct ImportOptions {
  FileFormat format = FileFormat::kAuto;  // kAuto: recognise each file from its content
  ChangeContext who;
  ProgressFn progress = nullptr;  // called as items are written
  // Called as each file comes in (a CASE package is read as it streams in; any other file is
  // read whole, then read as its format says): after each tenth of it, and at its end, with
  // the bytes read so far and the file's size.
  void (*read_progress)(const std::string& path, std::uintmax_t read, std::uintmax_t size,
                        void* context) = nullptr;
  void* progress_context = nullptr;  // given to both
  // Receives what the readers could not normalise (the problems report), if given.
  ImportProblems* problems = nullptr;
};

// Reads every file, checks every framework, then writes them all in one transaction: either
// every file is imported or nothing changes. Errors name the file and the place in it.
Result<SaveReport> ImportFiles(Store& store, const std::vector<std::string>& paths,
                               const ImportOptions& options);

// A file's content with a name for messages (an upload's file name, say).
struct NamedContent {
  std::string source;
  std::string content;
};
// As ImportFiles, for contents already in memory (uploads through the site and API).
Result<SaveReport> ImportContents(Store& store, const std::vector<NamedContent>& files,
                                  const ImportOptions& options);

// Imports frameworks already read, all or nothing. formats[i] and sources[i] (a file name for
// messages) belong to docs[i].
Result<SaveReport> ImportDocs(Store& store, std::vector<FrameworkDoc> docs,
                              const std::vector<FileFormat>& formats,
                              const std::vector<std::string>& sources,
                              const ImportOptions& options);

// Writes the framework `name` (UUID, CODE or CODE@EDITION) in `format`.
Result<std::string> ExportFramework(Store& store, std::string_view name, FileFormat format);

// "frameworks: 1 created, 0 updated, 0 unchanged; items: ...", one line.
std::string SaveReportSummary(const SaveReport& r);

// Reads a whole file into memory; refuses files over kMaxImportFileBytes.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace opennos
