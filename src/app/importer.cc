#include "app/importer.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <unordered_map>
#include <algorithm>
#include <unordered_set>

#include "formats/case.h"
#include "formats/json_stream.h"

namespace opennos {
namespace {

// A partial format lacks associations and some framework fields: keep the stored ones.
Status KeepWhatPartialFormatLacks(Store& store, FrameworkDoc& doc) {
  auto stored = store.LoadFramework(doc.framework.uuid);
  if (!stored.ok()) {
    return stored.status().code() == Status::Code::kNotFound ? Status::Ok() : stored.status();
  }
  Framework& f = doc.framework;
  const Framework& old = stored->framework;
  f.language = old.language;
  f.licence = old.licence;
  f.previous_edition = old.previous_edition;
  f.translation_note = old.translation_note;
  f.extra = old.extra;
  // Keep the stored associations, but not those whose origin the new version removed.
  std::unordered_set<std::string> present;
  for (const Item& item : doc.items) present.insert(item.uuid);
  doc.associations.clear();
  for (Association& a : stored->associations) {
    const bool own_origin = a.origin.framework_uuid == f.uuid || a.origin.framework_uuid.empty();
    const bool origin_was_item = std::any_of(stored->items.begin(), stored->items.end(),
                                             [&](const Item& i) { return i.uuid == a.origin.uuid; });
    if (own_origin && origin_was_item && !present.count(a.origin.uuid)) continue;
    doc.associations.push_back(std::move(a));
  }
  std::unordered_map<std::string, const Item*> old_items;
  for (const Item& item : stored->items) old_items[item.uuid] = &item;
  for (Item& item : doc.items) {
    auto it = old_items.find(item.uuid);
    if (it == old_items.end()) continue;
    item.extra = it->second->extra;
    item.child_of_uuid = it->second->child_of_uuid;
  }
  return Status::Ok();
}

}  // namespace

std::string SaveReportSummary(const SaveReport& r) {
  return "frameworks: " + std::to_string(r.frameworks_created) + " created, " +
         std::to_string(r.frameworks_updated) + " updated, " +
         std::to_string(r.frameworks_unchanged) + " unchanged; items: " +
         std::to_string(r.items_added) + " added, " + std::to_string(r.items_changed) +
         " changed, " + std::to_string(r.items_removed) + " removed; associations: " +
         std::to_string(r.associations_added) + " added, " +
         std::to_string(r.associations_changed) + " changed, " +
         std::to_string(r.associations_removed) + " removed";
}

namespace {

// The size of a file that an import may read; refuses one over kMaxImportFileBytes.
Result<std::uintmax_t> ImportableSize(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::Io(path + ": " + ec.message());
  if (size > kMaxImportFileBytes) {
    return Status::Invalid(path + ": the file is " + std::to_string(size) +
                           " bytes; the largest accepted is " +
                           std::to_string(kMaxImportFileBytes));
  }
  return size;
}

// The first bytes of a file, enough to recognise its format.
Result<std::string> ReadHead(const std::string& path) {
  auto size = ImportableSize(path);
  if (!size.ok()) return size.status();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot open the file");
  std::string head(static_cast<size_t>(std::min<std::uintmax_t>(*size, 65536)), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

// A file read in pieces that tells `options.read_progress` how far it has come.
class ProgressSource final : public ByteSource {
 public:
  ProgressSource(const std::string& path, const ImportOptions& options)
      : in_(path, kMaxImportFileBytes), path_(path), options_(options) {}

  Result<std::string_view> Next() override {
    auto piece = in_.Next();
    if (!piece.ok() || options_.read_progress == nullptr) return piece;
    read_ += piece->size();
    const std::uintmax_t size = in_.SizeHint();
    bool report = piece->empty() && (size == 0 || read_ < size);  // the end, if not said yet
    while (size > 0 && read_ * 10 >= size * (tenths_ + 1)) {
      ++tenths_;
      report = true;
    }
    if (report) options_.read_progress(path_, read_, size, options_.progress_context);
    return piece;
  }
  std::uintmax_t SizeHint() const override { return in_.SizeHint(); }

 private:
  FileSource in_;
  const std::string& path_;
  const ImportOptions& options_;
  std::uintmax_t read_ = 0;
  std::uintmax_t tenths_ = 0;  // tenths of the file reported
};

}  // namespace

namespace {

// ReadWholeFile, in pieces, telling `options.read_progress` (if any) how far it has come.
Result<std::string> ReadWholeFileShowingProgress(const std::string& path,
                                                 const ImportOptions& options) {
  if (options.read_progress == nullptr) return ReadWholeFile(path);
  auto size = ImportableSize(path);
  if (!size.ok()) return size.status();
  ProgressSource in(path, options);
  std::string content;
  content.reserve(static_cast<size_t>(*size));
  for (;;) {
    auto piece = in.Next();
    if (!piece.ok()) return piece.status();
    if (piece->empty()) return content;
    content.append(*piece);
  }
}

}  // namespace

Result<std::string> ReadWholeFile(const std::string& path) {
  auto size_or = ImportableSize(path);
  if (!size_or.ok()) return size_or.status();
  const std::uintmax_t size = *size_or;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot open the file");
  std::string content(size, '\0');
  in.read(content.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) {
    return Status::Io(path + ": the file changed while it was read");
  }
  return content;
}

Result<SaveReport> ImportDocs(Store& store, std::vector<FrameworkDoc> docs,
                              const std::vector<FileFormat>& formats,
                              const std::vector<std::string>& sources,
                              const ImportOptions& options) {
  std::unordered_set<std::string> seen;
  // Every stored framework by CODE@EDITION, read once (an import may hold hundreds).
  auto stored = store.ListFrameworks();
  if (!stored.ok()) return stored.status();
  std::unordered_map<std::string, std::string> uuid_by_name;
  for (const auto& s : *stored) {
    uuid_by_name[s.framework.code + "@" + s.framework.edition] = s.framework.uuid;
  }
  for (size_t i = 0; i < docs.size(); ++i) {
    const Framework& f = docs[i].framework;
    const std::string name = f.code + "@" + f.edition;
    if (!seen.insert(f.uuid).second || !seen.insert(name).second) {
      return Status::Invalid(sources[i] + ": framework " + name + " is given twice in one import");
    }
    // The store refuses this too; checking first lets the message name the file.
    auto same_name = uuid_by_name.find(name);
    if (same_name != uuid_by_name.end() && same_name->second != f.uuid) {
      return Status::Conflict(sources[i] + ": framework " + name + " (" + f.uuid +
                              ") clashes with a different framework with the same code and "
                              "edition already in the store (" + same_name->second + ")");
    }
    if (IsPartialFormat(formats[i])) {
      if (Status s = KeepWhatPartialFormatLacks(store, docs[i]); !s.ok()) return s;
    }
  }
  return store.SaveFrameworks(docs, options.who, options.progress, options.progress_context);
}

namespace {
Result<SaveReport> ImportFileSet(Store& store, FrameworkFileSet& files,
                                 const ImportOptions& options);
}  // namespace

Result<SaveReport> ImportFiles(Store& store, const std::vector<std::string>& paths,
                               const ImportOptions& options) {
  // Each file's content goes once it is read; frameworks spread over several files (SOC 2020,
  // ESCO, O*NET) are built when all are in.
  FrameworkFileSet files(options.format, options.problems);
  for (const std::string& path : paths) {
    // A CASE package is read as it streams in, never whole (CLARIFICATIONS §8).
    auto head = ReadHead(path);
    if (!head.ok()) return head.status();
    const FileFormat format =
        options.format == FileFormat::kAuto ? DetectFormat(*head) : options.format;
    if (format == FileFormat::kCase || format == FileFormat::kCase1p0) {
      ProgressSource in(path, options);
      auto doc = ReadCasePackage(in, path);
      if (!doc.ok()) return doc.status();
      files.AddRead(std::move(*doc), format, path);
      continue;
    }
    auto content = ReadWholeFileShowingProgress(path, options);
    if (!content.ok()) return content.status();
    if (Status s = files.Add(*content, path); !s.ok()) return s;
  }
  return ImportFileSet(store, files, options);
}

Result<SaveReport> ImportContents(Store& store, const std::vector<NamedContent>& contents,
                                  const ImportOptions& options) {
  FrameworkFileSet files(options.format, options.problems);
  for (const NamedContent& c : contents) {
    if (Status s = files.Add(c.content, c.source); !s.ok()) return s;
  }
  return ImportFileSet(store, files, options);
}

namespace {

Result<SaveReport> ImportFileSet(Store& store, FrameworkFileSet& files,
                                 const ImportOptions& options) {
  // A NOS catalogue's SOC codes are checked against the stored SOC 2020, if there is one.
  std::optional<FrameworkDoc> stored_soc2020;
  if (files.WantsSoc2020()) {
    auto uuid = ResolveFramework(store, "SOC2020");
    if (uuid.ok()) {
      auto doc = store.LoadFramework(*uuid);
      if (doc.ok()) stored_soc2020 = std::move(*doc);
    }
  }
  auto read = files.Finish(stored_soc2020 ? &*stored_soc2020 : nullptr);
  if (!read.ok()) return read.status();
  std::vector<FrameworkDoc> docs;
  std::vector<FileFormat> formats;
  std::vector<std::string> sources;
  for (ReadFramework& r : *read) {
    docs.push_back(std::move(r.doc));
    formats.push_back(r.format);
    sources.push_back(std::move(r.source));
  }
  return ImportDocs(store, std::move(docs), formats, sources, options);
}

}  // namespace

Result<std::string> ExportFramework(Store& store, std::string_view name, FileFormat format) {
  if (!IsWritableFormat(format)) {
    return Status::Invalid("OpenNOS reads the " + std::string(FileFormatName(format)) +
                           " format but does not write it (export as native, csv or case)");
  }
  auto uuid = ResolveFramework(store, name);
  if (!uuid.ok()) return uuid.status();
  auto doc = store.LoadFramework(*uuid);
  if (!doc.ok()) return doc.status();
  return WriteFrameworkFile(*doc, format == FileFormat::kAuto ? FileFormat::kNative : format);
}

}  // namespace opennos
