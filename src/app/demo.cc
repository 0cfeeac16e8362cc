#include "app/demo.h"

#include "app/importer.h"
#include "app/resources.h"

namespace opennos {

Result<SaveReport> LoadDemo(Store& store) {
  std::vector<FrameworkDoc> docs;
  std::vector<FileFormat> formats;
  std::vector<std::string> sources;
  for (const Resource& r : DemoResources()) {
    const std::string source = "demo/" + std::string(r.name);
    auto read = ReadFrameworkFile(r.data, source, FileFormat::kNative);
    if (!read.ok()) return read.status();
    for (auto& doc : *read) {
      docs.push_back(std::move(doc));
      formats.push_back(FileFormat::kNative);
      sources.push_back(source);
    }
  }
  ImportOptions options;
  options.who = {"demo", "demo data"};
  return ImportDocs(store, std::move(docs), formats, sources, options);
}

}  // namespace opennos
