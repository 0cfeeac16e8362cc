#pragma once
// 1EdTech CASE packages (v1.1, and v1.0 on import): the NOS <-> CASE mapping of
// docs/formats/case.md. A suite is a CFDocument, every item a CFItem, the tree isChildOf
// associations; NOS fields CASE lacks travel in `extensions.opennos`. What a package holds
// that OpenNOS does not model (definitions, rubrics, unknown fields, the tree associations'
// own identifiers) is kept in the `extra` fields under "case", so a package comes back out
// with everything it brought in.

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/status.h"
#include "formats/json_stream.h"

namespace opennos {

enum class CaseVersion { k1p0, k1p1 };

struct CaseOptions {
  std::string base_url = "http://localhost:8080";  // URIs are base + /ims/case/v1pX/...
  CaseVersion version = CaseVersion::k1p1;
  // Package form leaves out what can be derived (CFPackageURI, each item's CFDocumentURI);
  // single objects served by the REST API carry CFDocumentURI.
  bool package_form = true;
};

// True if the JSON looks like a CASE package (a top-level "CFDocument" object).
bool LooksLikeCasePackage(std::string_view content);

// Reads a CASE v1.0 or v1.1 package. Errors name `source` and a JSON pointer. The bytes are
// read element by element: memory holds the model and what the package says beyond it, never
// the package's whole JSON. Top-level fields outside the schema are kept and written back
// under the package's extensions["opennos.unmapped"].
Result<FrameworkDoc> ReadCasePackage(ByteSource& in, const std::string& source);
Result<FrameworkDoc> ReadCasePackage(std::string_view content, const std::string& source);
Result<FrameworkDoc> ReadCasePackage(const boost::json::value& root, const std::string& source);

// The package of a framework, deterministic: the same doc always gives the same bytes.
boost::json::object CasePackageJson(const FrameworkDoc& doc, const CaseOptions& options);
std::string WriteCasePackage(const FrameworkDoc& doc, const CaseOptions& options);

// Single objects, as the REST service returns them.
boost::json::object CaseDocumentJson(const FrameworkDoc& doc, const CaseOptions& options);
boost::json::object CaseItemJson(const FrameworkDoc& doc, const Item& item,
                                 const CaseOptions& options);
// Every association of the framework in CASE form, tree (isChildOf) included.
boost::json::array CaseAssociationsJson(const FrameworkDoc& doc, const CaseOptions& options);

// The CASE CFItemType name of a NOS item type ("Performance Criterion").
std::string_view CaseItemTypeName(ItemType type);

}  // namespace opennos
