#pragma once
// The 1EdTech CASE REST service, read side, under /ims/case/v1p1/ (CASE 1.1 shapes) and
// /ims/case/v1p0/ (1.0 shapes), as docs/case-service.md describes. Every route captures the
// version segment first ("v1p1" or "v1p0"; anything else is an unknown object), then the
// object's identifier where there is one.
//
// Public: an Authorization header is ignored. URIs in the answers point back at this server:
// "http://" + the request's Host header. Failures answer with the binding's imsx_StatusInfo
// payload (404 unknownobject or invalid_uuid; 400 invalid_selection_field, invalid_sort_field
// or invalid_filter_field for a bad CFDocuments query). The objects come from formats/case.h,
// so the service and `opennos export --format case` agree byte for byte on shared shapes.

#include "web/respond.h"

namespace opennos::web::case_api {

Response Documents(const Context& ctx);  // CFDocuments?limit&offset&sort&orderBy&filter&fields
Response Document(const Context& ctx);   // CFDocuments/{id}, with CFPackageURI
Response Package(const Context& ctx);    // CFPackages/{id}, package form
Response Item(const Context& ctx);       // CFItems/{id}, with CFDocumentURI
Response ItemAssociations(const Context& ctx);     // CFItemAssociations/{id}
Response Association(const Context& ctx);          // CFAssociations/{id}, tree ones included
Response AssociationGrouping(const Context& ctx);  // CFAssociationGroupings/{id}
Response Concept(const Context& ctx);              // CFConcepts/{id}: it, then its children
Response ItemType(const Context& ctx);             // CFItemTypes/{id}: it, then its children
Response License(const Context& ctx);              // CFLicenses/{id}
Response Subject(const Context& ctx);              // CFSubjects/{id}: it, then its children
Response Rubric(const Context& ctx);               // CFRubrics/{id}
Response Discovery(const Context& ctx);            // discovery/{file}: the OpenAPI 3 document
Response Unknown(const Context& ctx);              // anything else under /ims/case/{version}/

}  // namespace opennos::web::case_api
