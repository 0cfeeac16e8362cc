#include "app/demo.h"

#include "app/accounts.h"
#include "app/importer.h"
#include "app/resources.h"

namespace opennos {

namespace {

// The demo standards body, created the first time the demo is loaded.
Status EnsureDemoOrganisation(AccountStore& accounts) {
  auto existing = accounts.GetOrganisation(DemoOrganisationId());
  if (existing.ok() || existing.status().code() != Status::Code::kNotFound) {
    return existing.status();
  }
  const std::int64_t now = NowSeconds();
  const Organisation demo{std::string(DemoOrganisationId()), std::string(DemoOrganisationName()),
                          OrganisationKind::kStandardsBody, now};
  if (Status s = accounts.CreateOrganisation(demo); !s.ok()) return s;
  return Audit(accounts, {"", "demo", "local"}, demo.id, "organisation.add", demo.name,
               "the demo's standards body", now);
}

}  // namespace

Result<SaveReport> LoadDemo(Store& store) {
  if (Status s = EnsureDemoOrganisation(store.Accounts()); !s.ok()) return s;
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
  options.who = {"demo", "demo data", std::string(DemoOrganisationId())};
  std::vector<std::string> uuids;
  for (const FrameworkDoc& doc : docs) uuids.push_back(doc.framework.uuid);
  auto report = ImportDocs(store, std::move(docs), formats, sources, options);
  if (!report.ok()) return report;
  // Demo suites loaded before organisations existed belong to nobody yet.
  for (const std::string& uuid : uuids) {
    auto owner = store.Accounts().FrameworkOwner(uuid);
    if (!owner.ok()) return owner.status();
    if (!owner->empty()) continue;
    Status s = store.Accounts().SetFrameworkOwner(uuid, DemoOrganisationId());
    if (!s.ok()) return s;
  }
  return report;
}

}  // namespace opennos
