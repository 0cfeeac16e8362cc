#pragma once
// The query parameters of the CASE getAllCFDocuments call (REST binding, section 3):
// pagination (limit, offset), sorting (sort, orderBy), filtering (filter) and field selection
// (fields). Parsed from a request, then applied to a list of JSON records. No store access.

#include <boost/json.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "web/http/message.h"

namespace opennos::web::case_query {

// A request the service refuses: the imsx codeMinor value and a sentence for the client.
struct QueryError {
  std::string code_minor;  // invalid_selection_field | invalid_sort_field | invalid_filter_field
  std::string description;
};

// One comparison of a filter: `field` (dotted for a property of a nested object), one of
// = != > >= < <= ~, and the value as given between the quotes.
struct Condition {
  std::string field;
  std::string predicate;
  std::string value;
};

struct ListQuery {
  std::size_t limit = 100;  // the binding's default
  std::size_t offset = 0;
  std::string sort;  // a known field; empty: the service's own order
  bool descending = false;
  std::vector<Condition> filter;    // empty: every record
  bool any = false;                 // conditions joined by OR (else AND)
  std::vector<std::string> fields;  // empty: every field
};

// The properties of the record class, against which sort, filter and field names are judged.
// A dotted name is known when its first part is one of `objects` (properties holding an
// object or a list of objects, such as licenseURI or extensions).
struct RecordFields {
  std::vector<std::string_view> names;
  std::vector<std::string_view> objects;
};

// Reads limit, offset, sort, orderBy, filter and fields (all optional; fields may repeat).
// As the binding says: an unknown sort field gives the default order (orderBy ignored); a
// `fields` list naming an unknown field gives every field; a blank field name, a limit that
// is not a whole number from 1, an offset that is not one from 0, an orderBy other than
// asc/desc, an empty sort, and a malformed filter or one on an unknown field are refused.
// Other parameters are ignored.
std::variant<ListQuery, QueryError> ParseListQuery(const Request& request,
                                                   const RecordFields& known);

// The records the filter accepts, sorted as asked (stable: ties keep their order). Values are
// compared without regard to ASCII case; see docs/case-service.md for the exact rules.
std::vector<boost::json::object> FilterAndSort(std::vector<boost::json::object> records,
                                               const ListQuery& query);

// The record with only the selected fields (in the record's order); all of it when `fields`
// is empty.
boost::json::object SelectFields(const boost::json::object& record,
                                 const std::vector<std::string>& fields);

// The Link header value for a page of `total` records: first, last, and prev and next where
// they exist, each `base_url` + the request's path + its query with limit and offset replaced.
std::string PageLinks(const std::string& base_url, const Request& request, const ListQuery& query,
                      std::size_t total);

}  // namespace opennos::web::case_query
