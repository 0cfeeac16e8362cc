#pragma once
// The demo suites shipped with OpenNOS (data/demo/), embedded in the binary.

#include "storage/store.h"

namespace opennos {

// Loads every demo framework as the author "demo", all in one transaction, owned by the demo
// standards body (DemoOrganisationId(), app/accounts.h), which it creates the first time.
// Idempotent: the files carry stable identities, so a second load changes nothing.
Result<SaveReport> LoadDemo(Store& store);

}  // namespace opennos
