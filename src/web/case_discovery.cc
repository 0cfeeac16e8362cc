#include "web/case_discovery.h"

namespace opennos::web {
namespace json = boost::json;
namespace {

// ---- the data model, as tables

constexpr int kRequired = 1;  // the property must be present
constexpr int kNew = 2;       // the property is new in CASE 1.1: left out of the v1.0 document

// A property: its name, a type word (see TypeSchema) and flags.
struct Property {
  std::string_view name;
  std::string_view type;
  int flags = 0;
};

struct Schema {
  std::string_view name;
  std::string_view description;
  std::vector<Property> properties;
};

const std::vector<Property>& DocumentProperties() {
  static const std::vector<Property> p{{"identifier", "uuid", kRequired},
                                       {"uri", "uri", kRequired},
                                       {"frameworkType", "string", kNew},
                                       {"caseVersion", "caseVersion", kNew},
                                       {"creator", "string", kRequired},
                                       {"title", "string", kRequired},
                                       {"lastChangeDateTime", "date-time", kRequired},
                                       {"officialSourceURL", "uri"},
                                       {"publisher", "string"},
                                       {"description", "string"},
                                       {"subject", "strings"},
                                       {"subjectURI", "[]LinkURI"},
                                       {"language", "string"},
                                       {"version", "string"},
                                       {"adoptionStatus", "string"},
                                       {"statusStartDate", "date"},
                                       {"statusEndDate", "date"},
                                       {"licenseURI", "#LinkURI"},
                                       {"notes", "string"},
                                       {"extensions", "object", kNew}};
  return p;
}

const std::vector<Property>& ItemProperties() {
  static const std::vector<Property> p{{"identifier", "uuid", kRequired},
                                       {"fullStatement", "string", kRequired},
                                       {"alternativeLabel", "string"},
                                       {"CFItemType", "string"},
                                       {"uri", "uri", kRequired},
                                       {"humanCodingScheme", "string"},
                                       {"listEnumeration", "string"},
                                       {"abbreviatedStatement", "string"},
                                       {"conceptKeywords", "strings"},
                                       {"conceptKeywordsURI", "#LinkURI"},
                                       {"notes", "string"},
                                       {"subject", "strings", kNew},
                                       {"subjectURI", "[]LinkURI", kNew},
                                       {"language", "string"},
                                       {"educationLevel", "strings"},
                                       {"CFItemTypeURI", "#LinkURI"},
                                       {"licenseURI", "#LinkURI"},
                                       {"statusStartDate", "date"},
                                       {"statusEndDate", "date"},
                                       {"lastChangeDateTime", "date-time", kRequired},
                                       {"extensions", "object", kNew}};
  return p;
}

const std::vector<Property>& AssociationProperties() {
  static const std::vector<Property> p{{"identifier", "uuid", kRequired},
                                       {"associationType", "associationType", kRequired},
                                       {"sequenceNumber", "integer"},
                                       {"uri", "uri", kRequired},
                                       {"originNodeURI", "#LinkGenURI", kRequired},
                                       {"destinationNodeURI", "#LinkGenURI", kRequired},
                                       {"CFAssociationGroupingURI", "#LinkURI"},
                                       {"lastChangeDateTime", "date-time", kRequired},
                                       {"notes", "string", kNew},
                                       {"extensions", "object", kNew}};
  return p;
}

std::vector<Property> With(std::vector<Property> base, Property extra) {
  base.push_back(extra);
  return base;
}

std::vector<Schema> Schemas() {
  const Property document_uri{"CFDocumentURI", "#LinkURI", kRequired};
  return {
      {"LinkURI",
       "A link to a CASE object: its title, identifier and URI.",
       {{"title", "string", kRequired},
        {"identifier", "uuid", kRequired},
        {"uri", "uri", kRequired}}},
      {"LinkGenURI",
       "One end of an association. The identifier need not be a UUID: the node may lie "
       "outside any CASE framework.",
       {{"title", "string", kRequired},
        {"identifier", "string", kRequired},
        {"uri", "uri", kRequired},
        {"targetType", "targetType", kNew}}},
      {"CFDocument", "A framework: an OpenNOS suite edition or an imported framework.",
       With(DocumentProperties(), {"CFPackageURI", "#LinkURI", kRequired})},
      {"CFPckgDocument", "The framework inside its package: no CFPackageURI.",
       DocumentProperties()},
      {"CFDocumentSet", "A page of frameworks.", {{"CFDocuments", "[]CFDocument", kRequired}}},
      {"CFItem", "One statement of a framework, with a link to its framework.",
       With(ItemProperties(), document_uri)},
      {"CFPckgItem", "A statement inside its package: no CFDocumentURI.", ItemProperties()},
      {"CFAssociation",
       "A typed link between two nodes. isChildOf associations are the framework's tree.",
       With(AssociationProperties(), {"CFDocumentURI", "#LinkURI"})},
      {"CFPckgAssociation", "An association inside its package: no CFDocumentURI.",
       AssociationProperties()},
      {"CFAssociationSet",
       "An item and every association with it at either end, its place in the tree included.",
       {{"CFItem", "#CFItem", kRequired}, {"CFAssociations", "[]CFAssociation", kRequired}}},
      {"CFConcept",
       "A concept an item's conceptKeywordsURI may name.",
       {{"identifier", "uuid", kRequired},
        {"uri", "uri", kRequired},
        {"title", "string", kRequired},
        {"keywords", "string"},
        {"hierarchyCode", "string", kRequired},
        {"description", "string"},
        {"lastChangeDateTime", "date-time", kRequired},
        {"extensions", "object", kNew}}},
      {"CFConceptSet",
       "A concept followed by its children (by hierarchyCode).",
       {{"CFConcepts", "[]CFConcept", kRequired}}},
      {"CFSubject",
       "A subject a document or item may name.",
       {{"identifier", "uuid", kRequired},
        {"uri", "uri", kRequired},
        {"title", "string", kRequired},
        {"hierarchyCode", "string", kRequired},
        {"description", "string"},
        {"lastChangeDateTime", "date-time", kRequired},
        {"extensions", "object", kNew}}},
      {"CFSubjectSet",
       "A subject followed by its children (by hierarchyCode).",
       {{"CFSubjects", "[]CFSubject", kRequired}}},
      {"CFLicense",
       "The licence a document or item may name.",
       {{"identifier", "uuid", kRequired},
        {"uri", "uri", kRequired},
        {"title", "string", kRequired},
        {"description", "string"},
        {"licenseText", "string", kRequired},
        {"lastChangeDateTime", "date-time", kRequired},
        {"extensions", "object", kNew}}},
      {"CFItemType",
       "An item type a CFItemTypeURI may name.",
       {{"identifier", "uuid", kRequired},
        {"uri", "uri", kRequired},
        {"title", "string", kRequired},
        {"description", "string", kRequired},
        {"hierarchyCode", "string", kRequired},
        {"typeCode", "string"},
        {"lastChangeDateTime", "date-time", kRequired},
        {"extensions", "object", kNew}}},
      {"CFItemTypeSet",
       "An item type followed by its children (by hierarchyCode).",
       {{"CFItemTypes", "[]CFItemType", kRequired}}},
      {"CFAssociationGrouping",
       "A named group an association may belong to.",
       {{"identifier", "uuid", kRequired},
        {"uri", "uri", kRequired},
        {"title", "string", kRequired},
        {"description", "string"},
        {"lastChangeDateTime", "date-time", kRequired},
        {"extensions", "object", kNew}}},
      {"CFRubricCriterionLevel",
       "One level of a rubric criterion.",
       {{"identifier", "uuid", kRequired},
        {"uri", "uri", kRequired},
        {"description", "string"},
        {"quality", "string"},
        {"score", "number"},
        {"feedback", "string"},
        {"position", "integer"},
        {"rubricCriterionId", "uuid"},
        {"lastChangeDateTime", "date-time", kRequired},
        {"extensions", "object", kNew}}},
      {"CFRubricCriterion",
       "One criterion of a rubric, usually about one item.",
       {{"identifier", "uuid", kRequired},
        {"uri", "uri", kRequired},
        {"category", "string"},
        {"description", "string"},
        {"CFItemURI", "#LinkURI"},
        {"weight", "number"},
        {"position", "integer"},
        {"rubricId", "uuid"},
        {"lastChangeDateTime", "date-time", kRequired},
        {"CFRubricCriterionLevels", "[]CFRubricCriterionLevel"},
        {"extensions", "object", kNew}}},
      {"CFRubric",
       "A rubric for assessing against a framework's items.",
       {{"identifier", "uuid", kRequired},
        {"uri", "uri", kRequired},
        {"title", "string"},
        {"description", "string"},
        {"lastChangeDateTime", "date-time", kRequired},
        {"CFRubricCriteria", "[]CFRubricCriterion"},
        {"extensions", "object", kNew}}},
      {"CFDefinition",
       "The definitions a package carries.",
       {{"CFConcepts", "[]CFConcept"},
        {"CFSubjects", "[]CFSubject"},
        {"CFLicenses", "[]CFLicense"},
        {"CFItemTypes", "[]CFItemType"},
        {"CFAssociationGroupings", "[]CFAssociationGrouping"},
        {"extensions", "object", kNew}}},
      {"CFPackage",
       "A whole framework: document, items, associations, definitions, rubrics.",
       {{"CFDocument", "#CFPckgDocument", kRequired},
        {"CFItems", "[]CFPckgItem"},
        {"CFAssociations", "[]CFPckgAssociation"},
        {"CFDefinitions", "#CFDefinition"},
        {"CFRubrics", "[]CFRubric"},
        {"extensions", "object", kNew}}},
      {"imsx_StatusInfo",
       "Why a request failed.",
       {{"imsx_codeMajor", "codeMajor", kRequired},
        {"imsx_severity", "severity", kRequired},
        {"imsx_description", "string"},
        {"imsx_codeMinor", "#imsx_CodeMinor"}}},
      {"imsx_CodeMinor",
       "The detailed status codes.",
       {{"imsx_codeMinorField", "[]imsx_CodeMinorField", kRequired}}},
      {"imsx_CodeMinorField",
       "One detailed status code and the system that reports it.",
       {{"imsx_codeMinorFieldName", "string", kRequired},
        {"imsx_codeMinorFieldValue", "codeMinor", kRequired}}},
  };
}

json::object Strings(std::initializer_list<std::string_view> values) {
  json::array list;
  for (auto v : values) list.emplace_back(v);
  return json::object{{"type", "string"}, {"enum", std::move(list)}};
}

constexpr const char kExtPattern[] = "^ext:[A-Za-z0-9._-]+$";

json::object TypeSchema(std::string_view type, CaseVersion v) {
  const bool v1p1 = v == CaseVersion::k1p1;
  if (type.substr(0, 1) == "#") {
    return json::object{{"$ref", "#/components/schemas/" + std::string(type.substr(1))}};
  }
  if (type.substr(0, 2) == "[]") {
    return json::object{{"type", "array"},
                        {"items", TypeSchema("#" + std::string(type.substr(2)), v)}};
  }
  if (type == "strings") {
    return json::object{{"type", "array"}, {"items", json::object{{"type", "string"}}}};
  }
  if (type == "object") return json::object{{"type", "object"}, {"additionalProperties", true}};
  if (type == "integer" || type == "number") return json::object{{"type", type}};
  for (std::string_view format : {"uuid", "uri", "date", "date-time"}) {
    if (type == format) return json::object{{"type", "string"}, {"format", format}};
  }
  if (type == "associationType") {
    json::object known =
        v1p1
            ? Strings({"isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes",
                       "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf"})
            : Strings({"isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes",
                       "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel"});
    if (!v1p1) return known;
    return json::object{
        {"oneOf", json::array{known, json::object{{"type", "string"}, {"pattern", kExtPattern}}}}};
  }
  if (type == "targetType") {
    return json::object{
        {"oneOf", json::array{Strings({"CASE"}),
                              json::object{{"type", "string"}, {"pattern", kExtPattern}}}}};
  }
  if (type == "caseVersion") return Strings({"1.1"});
  if (type == "codeMajor") return Strings({"success", "processing", "failure", "unsupported"});
  if (type == "severity") return Strings({"status", "warning", "error"});
  if (type == "codeMinor") {
    // The binding's vocabulary (spelled as each version spells it), and invalid_filter_field,
    // which its section 3.3 names for a filter on an unknown field.
    return v1p1 ? Strings({"fullsuccess", "invalid_sort_field", "invalid_selection_field",
                           "invalid_filter_field", "forbidden", "unauthorised_request",
                           "internal_server_error", "unknownobject", "server_busy", "invalid_uuid"})
                : Strings({"fullsuccess", "invalid_sort_field", "invalid_selection_field",
                           "invalid_filter_field", "forbidden", "unauthorisedrequest",
                           "internal_server_error", "unknownobject", "server_busy", "invaliduuid"});
  }
  return json::object{{"type", "string"}};
}

json::object SchemaJson(const Schema& s, CaseVersion v) {
  json::object properties;
  json::array required;
  for (const Property& p : s.properties) {
    if ((p.flags & kNew) && v == CaseVersion::k1p0) continue;
    properties[p.name] = TypeSchema(p.type, v);
    if (p.flags & kRequired) required.emplace_back(p.name);
  }
  json::object o{
      {"type", "object"}, {"description", s.description}, {"properties", std::move(properties)}};
  if (!required.empty()) o["required"] = std::move(required);
  return o;
}

// ---- the endpoints

struct Endpoint {
  std::string_view path;
  std::string_view operation;
  std::string_view tag;
  std::string_view summary;
  std::string_view response;  // the 200 schema
};

const std::vector<Endpoint>& Endpoints() {
  static const std::vector<Endpoint> e{
      {"/CFDocuments", "getAllCFDocuments", "DocumentsManager",
       "Every framework in the store as a CFDocument, paged, filtered, sorted and trimmed as "
       "the query asks.",
       "CFDocumentSet"},
      {"/CFDocuments/{sourcedId}", "getCFDocument", "DocumentsManager",
       "One framework as a CFDocument.", "CFDocument"},
      {"/CFPackages/{sourcedId}", "getCFPackage", "PackagesManager",
       "One whole framework in package form: no CFPackageURI on the document and no "
       "CFDocumentURI on items and associations; the tree as isChildOf associations.",
       "CFPackage"},
      {"/CFItems/{sourcedId}", "getCFItem", "ItemsManager",
       "One item of any framework, with the link to its framework.", "CFItem"},
      {"/CFItemAssociations/{sourcedId}", "getCFItemAssociations", "AssociationsManager",
       "An item and every association with it at either end, from any framework, isChildOf "
       "included.",
       "CFAssociationSet"},
      {"/CFAssociations/{sourcedId}", "getCFAssociation", "AssociationsManager",
       "One association, a tree (isChildOf) association included.", "CFAssociation"},
      {"/CFAssociationGroupings/{sourcedId}", "getCFAssociationGrouping", "DefinitionsManager",
       "An association grouping defined by an imported package.", "CFAssociationGrouping"},
      {"/CFConcepts/{sourcedId}", "getCFConcept", "DefinitionsManager",
       "A concept defined by an imported package, then its children.", "CFConceptSet"},
      {"/CFItemTypes/{sourcedId}", "getCFItemType", "DefinitionsManager",
       "An item type defined by an imported package, then its children.", "CFItemTypeSet"},
      {"/CFLicenses/{sourcedId}", "getCFLicense", "DefinitionsManager",
       "A licence defined by an imported package.", "CFLicense"},
      {"/CFSubjects/{sourcedId}", "getCFSubject", "DefinitionsManager",
       "A subject defined by an imported package, then its children.", "CFSubjectSet"},
      {"/CFRubrics/{sourcedId}", "getCFRubric", "RubricsManager",
       "A rubric carried by an imported package.", "CFRubric"},
  };
  return e;
}

json::object StatusResponse(std::string_view description) {
  return json::object{
      {"description", description},
      {"content", json::object{{"application/json",
                                json::object{{"schema", TypeSchema("#imsx_StatusInfo",
                                                                   CaseVersion::k1p1)}}}}}};
}

json::object Query(std::string_view name, std::string_view description, json::object schema) {
  return json::object{{"name", name},
                      {"in", "query"},
                      {"required", false},
                      {"description", description},
                      {"schema", std::move(schema)}};
}

json::array ListParameters() {
  return json::array{
      Query("limit", "The most records to return.",
            json::object{{"type", "integer"}, {"minimum", 1}, {"default", 100}}),
      Query("offset", "The index of the first record to return, from 0.",
            json::object{{"type", "integer"}, {"minimum", 0}, {"default", 0}}),
      Query("sort",
            "The field to sort on (dotted for a property of a nested object). An unknown field "
            "gives the default order: by framework code, then edition.",
            json::object{{"type", "string"}}),
      Query("orderBy", "asc (the default) or desc.", Strings({"asc", "desc"})),
      Query("filter",
            "FIELD PREDICATE 'VALUE', predicates = != > >= < <= ~ (contains), joined by ' AND ' "
            "or ' OR ' (one kind per filter). Values compare without regard to case.",
            json::object{{"type", "string"}}),
      json::object{{"name", "fields"},
                   {"in", "query"},
                   {"required", false},
                   {"description",
                    "The fields to return, comma-separated. Naming an unknown field returns "
                    "every field."},
                   {"style", "form"},
                   {"explode", false},
                   {"schema",
                    json::object{{"type", "array"}, {"items", json::object{{"type", "string"}}}}}}};
}

json::object Operation(const Endpoint& e) {
  const bool list = e.path == "/CFDocuments";
  json::object ok{
      {"description", "The " + std::string(e.response) + "."},
      {"content", json::object{{"application/json",
                                json::object{{"schema", TypeSchema("#" + std::string(e.response),
                                                                   CaseVersion::k1p1)}}}}}};
  json::object responses;
  json::array parameters;
  if (list) {
    ok["headers"] = json::object{
        {"X-Total-Count", json::object{{"description", "How many records the filter accepts."},
                                       {"schema", json::object{{"type", "integer"}}}}},
        {"Link", json::object{{"description", "first, prev, next and last pages."},
                              {"schema", json::object{{"type", "string"}}}}}};
    parameters = ListParameters();
    responses["200"] = std::move(ok);
    responses["400"] = StatusResponse(
        "A bad limit, offset or fields (invalid_selection_field), sort or orderBy "
        "(invalid_sort_field), or filter (invalid_filter_field).");
  } else {
    parameters.push_back(json::object{{"name", "sourcedId"},
                                      {"in", "path"},
                                      {"required", true},
                                      {"description", "The object's identifier (a UUID)."},
                                      {"schema", json::object{{"type", "string"}}}});
    responses["200"] = std::move(ok);
    responses["404"] = StatusResponse(
        "No such object (unknownobject), or the identifier is not a UUID (invalid_uuid; "
        "invaliduuid under v1p0).");
  }
  responses["default"] = StatusResponse("Any other failure, such as internal_server_error.");
  return json::object{{"operationId", e.operation},
                      {"summary", e.summary},
                      {"tags", json::array{e.tag}},
                      {"parameters", std::move(parameters)},
                      {"responses", std::move(responses)}};
}

}  // namespace

std::string_view CaseDiscoveryFileName(CaseVersion version) {
  return version == CaseVersion::k1p0 ? "imscasev1p0_openapi3_v1p0.json"
                                      : "imscasev1p1_openapi3_v1p0.json";
}

json::object CaseDiscoveryDocument(CaseVersion version, const std::string& base_url) {
  const bool v1p1 = version == CaseVersion::k1p1;
  const std::string root = base_url + (v1p1 ? "/ims/case/v1p1" : "/ims/case/v1p0");
  json::object paths;
  for (const Endpoint& e : Endpoints()) {
    paths[e.path] = json::object{{"get", Operation(e)}};
  }
  json::object schemas;
  for (const Schema& s : Schemas()) schemas[s.name] = SchemaJson(s, version);
  json::array tags;
  for (auto [name, about] : std::initializer_list<std::pair<const char*, const char*>>{
           {"DocumentsManager", "Frameworks as CFDocuments."},
           {"PackagesManager", "Whole frameworks."},
           {"ItemsManager", "Items of any framework."},
           {"AssociationsManager", "Associations, the tree included."},
           {"DefinitionsManager",
            "Concepts, subjects, licences, item types and association "
            "groupings that imported packages define."},
           {"RubricsManager", "Rubrics that imported packages carry."}}) {
    tags.push_back(json::object{{"name", name}, {"description", about}});
  }
  return json::object{
      {"openapi", "3.0.3"},
      {"info",
       json::object{
           {"title",
            v1p1 ? "OpenNOS: 1EdTech CASE 1.1 service" : "OpenNOS: 1EdTech CASE 1.0 service"},
           {"version", v1p1 ? "1.1" : "1.0"},
           {"description",
            std::string("The read side of the 1EdTech Competencies and Academic Standards "
                        "Exchange (CASE) REST binding, as OpenNOS serves it: every framework in "
                        "the store (National Occupational Standards suites and imported CASE "
                        "frameworks). Public: no authorisation is asked for, and an "
                        "Authorization header is ignored. Errors carry imsx_StatusInfo. ") +
                (v1p1 ? "Shapes are CASE 1.1."
                      : "Shapes are CASE 1.0: association types 1.0 lacks (isTranslationOf, "
                        "ext:...) are given as isRelatedTo, and 1.1-only properties are left "
                        "out.")}}},
      {"servers", json::array{json::object{{"url", root}}}},
      {"security", json::array{}},
      {"tags", std::move(tags)},
      {"paths", std::move(paths)},
      {"components", json::object{{"schemas", std::move(schemas)}}}};
}

}  // namespace opennos::web
