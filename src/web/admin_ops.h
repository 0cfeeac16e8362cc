#pragma once
// Admin work shared by the admin pages and the API: imports into an organisation and exports
// of its frameworks.

#include <string>
#include <vector>

#include "app/formats.h"
#include "web/respond.h"

namespace opennos::web {

struct ImportOutcome {
  Result<SaveReport> report = Status::Internal("not imported");
  ImportProblems problems;
};
// Imports one uploaded file into the organisation as the signed-in user, all or nothing: new
// frameworks belong to the organisation, and a framework of another organisation (or of none)
// is refused (Forbidden) with nothing written. A success is in the audit log.
ImportOutcome ImportUpload(const Context& ctx, const std::string& organisation_id,
                           const std::string& source, const std::string& content,
                           FileFormat format);

// The frameworks the organisation owns, in the store's order.
std::vector<FrameworkSummary> OwnedFrameworks(Store& store, const std::string& organisation_id);

// A framework of the organisation (UUID, CODE or CODE@EDITION) as a download in `format`
// (native, csv, case, case-1.0; empty: native); 404 for an unknown or another organisation's
// framework, 400 for an unknown format. Exports are in the audit log.
Response ExportOwned(const Context& ctx, const std::string& organisation_id,
                     const std::string& framework, const std::string& format);

}  // namespace opennos::web
