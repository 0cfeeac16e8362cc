#pragma once
// The analyses in the JSON API: the four reports in the shapes `opennos analyse ... --json`
// prints (docs/analysis.md), and the state of a job. A report not ready within ?wait= seconds
// (default 1) is answered 202 with its job; asking again, or following the job, gets it.

#include "web/respond.h"

namespace opennos::web::analysis_api {

Response Duplicates(const Context& ctx);  // /api/v1/frameworks/{name}/duplicates
Response Coverage(const Context& ctx);    // /api/v1/frameworks/{name}/coverage?against=
Response Crosswalk(const Context& ctx);   // /api/v1/frameworks/{name}/crosswalk?against=
Response Editions(const Context& ctx);    // /api/v1/frameworks/{name}/editions
Response Job(const Context& ctx);         // /api/v1/analysis/jobs/{id}
Response Cancel(const Context& ctx);      // POST /api/v1/analysis/jobs/{id}/cancel (its owner)

}  // namespace opennos::web::analysis_api
