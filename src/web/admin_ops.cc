#include "web/admin_ops.h"

#include "app/importer.h"
#include "web/auth.h"

namespace opennos::web {

ImportOutcome ImportUpload(const Context& ctx, const std::string& organisation_id,
                           const std::string& source, const std::string& content,
                           FileFormat format) {
  ImportOutcome outcome;
  ImportOptions options;
  options.format = format;
  options.who = {ctx.user->user.email, "import through the site", organisation_id, true};
  options.problems = &outcome.problems;
  outcome.report = ImportContents(*ctx.full_store, {{source, content}}, options);
  if (outcome.report.ok()) {
    AuditWrite(ctx, organisation_id, "framework.import", source,
               SaveReportSummary(*outcome.report));
  }
  return outcome;
}

std::vector<FrameworkSummary> OwnedFrameworks(Store& store, const std::string& organisation_id) {
  auto all = store.ListFrameworks();
  if (!all.ok()) throw std::runtime_error(all.status().message());
  std::vector<FrameworkSummary> out;
  for (FrameworkSummary& s : *all) {
    auto owner = store.Accounts().FrameworkOwner(s.framework.uuid);
    if (!owner.ok()) throw std::runtime_error(owner.status().message());
    if (*owner == organisation_id) out.push_back(std::move(s));
  }
  return out;
}

Response ExportOwned(const Context& ctx, const std::string& organisation_id,
                     const std::string& framework, const std::string& format) {
  const bool api = ctx.request.path.rfind("/api/", 0) == 0;
  auto fail = [&](int status, const std::string& message) {
    return api ? JsonError(status, message) : NotFoundPage(ctx, message);
  };
  auto parsed = ParseFileFormat(format.empty() ? "native" : format);
  if (!parsed.ok() || !IsWritableFormat(*parsed) || *parsed == FileFormat::kAuto) {
    return api ? JsonError(400, "format must be native, csv, case or case-1.0")
               : fail(404, "There is no export in the format \"" + format + "\".");
  }
  auto uuid = ResolveFramework(*ctx.full_store, framework);
  if (!uuid.ok()) {
    if (uuid.status().code() != Status::Code::kNotFound) {
      throw std::runtime_error(uuid.status().message());
    }
    return fail(404, uuid.status().message());
  }
  auto owner = ctx.store.Accounts().FrameworkOwner(*uuid);
  if (!owner.ok()) throw std::runtime_error(owner.status().message());
  if (*owner != organisation_id) return fail(404, "This organisation has no such framework.");
  auto text = ExportFramework(*ctx.full_store, *uuid, *parsed);
  if (!text.ok()) throw std::runtime_error(text.status().message());
  auto f = ctx.full_store->GetFramework(*uuid);
  if (!f.ok()) throw std::runtime_error(f.status().message());
  AuditWrite(ctx, organisation_id, "framework.export", f->code + "@" + f->edition,
             std::string(FileFormatName(*parsed)));
  const bool csv = *parsed == FileFormat::kCsv;
  return Download(std::move(*text), csv ? "text/csv; charset=utf-8" : "application/json",
                  f->code + "@" + f->edition + (csv ? ".csv" : *parsed == FileFormat::kNative
                                                                  ? ".json"
                                                                  : "." + format + ".json"));
}

}  // namespace opennos::web
