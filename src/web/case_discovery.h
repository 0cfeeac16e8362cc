#pragma once
// The CASE service discovery document (REST binding, section 2.5): an OpenAPI 3 description of
// the CASE endpoints as OpenNOS implements them, localised to the server that answers.

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "formats/case.h"

namespace opennos::web {

// The document's file name under /ims/case/v1pX/discovery/: imscasev1p1_openapi3_v1p0.json,
// and for v1.0, by the same pattern, imscasev1p0_openapi3_v1p0.json.
std::string_view CaseDiscoveryFileName(CaseVersion version);

// The OpenAPI 3.0 document for one CASE version, its server `base_url` + /ims/case/v1pX.
// Deterministic: the same arguments give the same document.
boost::json::object CaseDiscoveryDocument(CaseVersion version, const std::string& base_url);

}  // namespace opennos::web
