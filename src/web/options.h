#pragma once
// The web site's settings, each with its default (`opennos serve` sets them from its options).

#include <cstdint>
#include <functional>

#include "app/accounts.h"
#include "app/analysis_jobs.h"

namespace opennos::web {

struct SiteOptions {
  // Sessions, lock-out and passwords (app/accounts.h).
  AuthOptions auth;
  // Mark cookies Secure always: set when users reach the site over HTTPS, through a proxy that
  // does not say so (`serve --secure-cookies`).
  bool secure_cookies = false;
  // Trust a proxy in front: the client's address is the last X-Forwarded-For entry, and a
  // request with "X-Forwarded-Proto: https" gets Secure cookies (`serve --behind-proxy`). Only
  // set it when every request passes through that proxy, or clients could claim any address.
  bool behind_proxy = false;
  // The current time in Unix seconds; empty: the system clock. Tests set it.
  std::function<std::int64_t()> clock;
  // The runner of long analyses: how many at once, how long results are kept (app/analysis_jobs.h).
  AnalysisJobsOptions analysis;
};

}  // namespace opennos::web
