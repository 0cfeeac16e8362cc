#include "web/case_query.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <set>

namespace opennos::web::case_query {
namespace json = boost::json;
namespace {

constexpr const char kSelection[] = "invalid_selection_field";
constexpr const char kSort[] = "invalid_sort_field";
constexpr const char kFilter[] = "invalid_filter_field";

// The first value of a query parameter, or null when the request does not give it (an
// empty value is a value: "sort=" is given, and blank).
const std::string* Param(const Request& request, std::string_view key) {
  for (const auto& [k, v] : request.query) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const size_t at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

bool Contains(const std::vector<std::string_view>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// A top-level property, or a dotted path into one that holds objects.
bool IsKnown(std::string_view name, const RecordFields& known) {
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) return Contains(known.names, name);
  return dot + 1 < name.size() && Contains(known.objects, name.substr(0, dot));
}

// A whole number from `low`, nine digits at most (so no overflow and no sign).
std::optional<std::size_t> Count(const std::string& s, std::size_t low) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const std::size_t n = std::stoul(s);
  if (n < low) return std::nullopt;
  return n;
}

QueryError Refuse(const char* code_minor, std::string description) {
  return QueryError{code_minor, std::move(description)};
}

// ---- filter syntax: FIELD PREDICATE 'VALUE' [ (" AND " | " OR ") FIELD PREDICATE 'VALUE' ]...

class FilterParser {
 public:
  FilterParser(std::string_view text, const RecordFields& known) : text_(text), known_(known) {}

  std::optional<QueryError> Parse(ListQuery& q) {
    if (Trim(text_).empty()) return Refuse(kFilter, "filter is empty");
    SkipSpaces();
    std::optional<bool> any;
    for (;;) {
      Condition c;
      if (auto e = ReadCondition(c)) return e;
      q.filter.push_back(std::move(c));
      const size_t spaces = SkipSpaces();
      if (pos_ == text_.size()) break;
      const bool is_or = Word("or"), is_and = !is_or && Word("and");
      if (spaces == 0 || !(is_or || is_and) || SkipSpaces() == 0) {
        return Refuse(kFilter, At("expected \" AND \" or \" OR \" between conditions"));
      }
      if (any && *any != is_or) {
        return Refuse(kFilter, "filter mixes AND and OR; use one of them throughout");
      }
      any = is_or;
    }
    q.any = any.value_or(false);
    return std::nullopt;
  }

 private:
  std::optional<QueryError> ReadCondition(Condition& c) {
    const size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                   text_[pos_] == '_' || text_[pos_] == '.')) {
      ++pos_;
    }
    c.field = std::string(text_.substr(start, pos_ - start));
    if (c.field.empty()) return Refuse(kFilter, At("expected a field name"));
    if (!IsKnown(c.field, known_)) {
      return Refuse(kFilter,
                    "filter names \"" + c.field + "\", which is not a field of a CFDocument");
    }
    SkipSpaces();
    for (const char* p : {"!=", ">=", "<=", "=", ">", "<", "~"}) {
      if (text_.substr(pos_, std::string_view(p).size()) == p) {
        c.predicate = p;
        pos_ += c.predicate.size();
        break;
      }
    }
    if (c.predicate.empty()) return Refuse(kFilter, At("expected one of = != > >= < <= ~"));
    SkipSpaces();
    return ReadQuoted(c.value);
  }

  // A value in single quotes (double quotes are accepted too); a doubled quote inside stands
  // for one.
  std::optional<QueryError> ReadQuoted(std::string& out) {
    if (pos_ == text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) {
      return Refuse(kFilter, At("expected a value in single quotes"));
    }
    const char quote = text_[pos_++];
    for (; pos_ < text_.size(); ++pos_) {
      if (text_[pos_] != quote) {
        out += text_[pos_];
      } else if (pos_ + 1 < text_.size() && text_[pos_ + 1] == quote) {
        out += quote;
        ++pos_;
      } else {
        ++pos_;
        return std::nullopt;
      }
    }
    return Refuse(kFilter, "filter has a value with no closing quote");
  }

  bool Word(std::string_view lower_word) {
    if (Lower(text_.substr(pos_, lower_word.size())) != lower_word) return false;
    pos_ += lower_word.size();
    return true;
  }

  size_t SkipSpaces() {
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    return pos_ - start;
  }

  std::string At(const std::string& what) const {
    return "filter: " + what + " at character " + std::to_string(pos_ + 1);
  }

  std::string_view text_;
  const RecordFields& known_;
  size_t pos_ = 0;
};

// ---- evaluating

// The scalar values at a (dotted) path of a record; lists are flattened, and `many` says
// whether one was met.
struct Values {
  std::vector<const json::value*> list;
  bool many = false;
};

void Collect(const json::value& v, const std::vector<std::string_view>& path, size_t i,
             Values& out) {
  if (v.is_array()) {
    out.many = true;
    for (const auto& e : v.get_array()) Collect(e, path, i, out);
  } else if (i == path.size()) {
    if (!v.is_null() && !v.is_object()) out.list.push_back(&v);
  } else if (v.is_object()) {
    if (const auto* c = v.get_object().if_contains(path[i])) Collect(*c, path, i + 1, out);
  }
}

Values ValuesAt(const json::object& record, std::string_view field) {
  const auto path = Split(field, '.');
  Values out;
  if (const auto* v = record.if_contains(path[0])) Collect(*v, path, 1, out);
  return out;
}

std::string Text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  return json::serialize(v);
}

std::optional<double> Number(std::string_view s) {
  double d = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return d;
}

// -1, 0 or 1: `v` against the filter value, as numbers when `v` is one and the value reads as
// one, else as text without regard to case.
int Order(const json::value& v, const std::string& value) {
  if (v.is_number()) {
    if (auto n = Number(value)) {
      const double d = v.to_number<double>();
      return d < *n ? -1 : d > *n ? 1 : 0;
    }
  }
  const int c = Lower(Text(v)).compare(Lower(value));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

bool Holds(const json::value& v, const Condition& c) {
  if (c.predicate == "~") return Lower(Text(v)).find(Lower(c.value)) != std::string::npos;
  const int o = Order(v, c.value);
  if (c.predicate == "=") return o == 0;
  if (c.predicate == "!=") return o != 0;
  if (c.predicate == ">") return o > 0;
  if (c.predicate == ">=") return o >= 0;
  if (c.predicate == "<") return o < 0;
  return o <= 0;  // "<="
}

// A list field compares as a set against the comma-separated filter value: '=' wants the
// same members (AND), '~' any one of them (OR), as the binding's `subject` example says.
bool ListHolds(const Values& values, const Condition& c) {
  std::set<std::string> have, want;
  for (const auto* v : values.list) have.insert(Lower(Text(*v)));
  for (auto part : Split(c.value, ',')) {
    if (!Trim(part).empty()) want.insert(Lower(Trim(part)));
  }
  if (c.predicate == "=") return have == want;
  if (c.predicate == "!=") return have != want;
  if (c.predicate == "~") {
    return std::any_of(want.begin(), want.end(), [&](const auto& w) { return have.count(w); });
  }
  return std::any_of(values.list.begin(), values.list.end(),
                     [&](const auto* v) { return Holds(*v, c); });
}

bool Matches(const json::object& record, const Condition& c) {
  const Values values = ValuesAt(record, c.field);
  if (values.list.empty()) return c.predicate == "!=";  // an absent field equals nothing
  if (values.many) return ListHolds(values, c);
  return Holds(*values.list.front(), c);
}

bool Accepts(const json::object& record, const ListQuery& q) {
  if (q.filter.empty()) return true;
  auto one = [&](const Condition& c) { return Matches(record, c); };
  return q.any ? std::any_of(q.filter.begin(), q.filter.end(), one)
               : std::all_of(q.filter.begin(), q.filter.end(), one);
}

struct SortKey {
  bool present = false;
  std::optional<double> number;
  std::string text;
};

SortKey KeyOf(const json::object& record, const std::string& field) {
  const Values values = ValuesAt(record, field);
  SortKey key;
  key.present = !values.list.empty();
  if (values.list.size() == 1 && values.list.front()->is_number()) {
    key.number = values.list.front()->to_number<double>();
  }
  for (const auto* v : values.list) key.text += (key.text.empty() ? "" : ",") + Lower(Text(*v));
  return key;
}

// Whether `a` goes before `b`; records without the field go last in either order.
bool Before(const SortKey& a, const SortKey& b, bool descending) {
  if (a.present != b.present) return a.present;
  if (!a.present) return false;
  if (a.number && b.number) return descending ? *a.number > *b.number : *a.number < *b.number;
  return descending ? a.text > b.text : a.text < b.text;
}

std::string PageUrl(const std::string& base_url, const Request& request, std::size_t limit,
                    std::size_t offset) {
  std::string url = base_url + request.path + "?";
  for (const auto& [k, v] : request.query) {
    if (k == "limit" || k == "offset") continue;
    url += PercentEncode(k) + "=" + PercentEncode(v) + "&";
  }
  return url + "limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset);
}

}  // namespace

std::variant<ListQuery, QueryError> ParseListQuery(const Request& request,
                                                   const RecordFields& known) {
  ListQuery q;
  if (const auto* s = Param(request, "limit")) {
    auto n = Count(*s, 1);
    if (!n) return Refuse(kSelection, "limit must be a whole number from 1, not \"" + *s + "\"");
    q.limit = *n;
  }
  if (const auto* s = Param(request, "offset")) {
    auto n = Count(*s, 0);
    if (!n) return Refuse(kSelection, "offset must be a whole number from 0, not \"" + *s + "\"");
    q.offset = *n;
  }
  bool unknown_sort = false;
  if (const auto* s = Param(request, "sort")) {
    const std::string field(Trim(*s));
    if (field.empty()) return Refuse(kSort, "sort names no field");
    unknown_sort = !IsKnown(field, known);
    if (!unknown_sort) q.sort = field;
  }
  if (const auto* s = Param(request, "orderBy")) {
    const std::string order = Lower(Trim(*s));
    if (order != "asc" && order != "desc") {
      return Refuse(kSort, "orderBy must be asc or desc, not \"" + *s + "\"");
    }
    q.descending = order == "desc" && !unknown_sort;
  }
  if (const auto* s = Param(request, "filter")) {
    if (auto error = FilterParser(*s, known).Parse(q)) return *error;
  }
  bool unknown_field = false;
  for (const auto& [k, v] : request.query) {
    if (k != "fields") continue;
    for (auto part : Split(v, ',')) {
      const std::string name(Trim(part));
      if (name.empty()) return Refuse(kSelection, "fields has a blank field name");
      unknown_field = unknown_field || !Contains(known.names, name);
      q.fields.push_back(name);
    }
  }
  if (unknown_field) q.fields.clear();  // the binding: a non-existent field selects all data
  return q;
}

std::vector<json::object> FilterAndSort(std::vector<json::object> records, const ListQuery& q) {
  std::vector<json::object> kept;
  for (auto& r : records) {
    if (Accepts(r, q)) kept.push_back(std::move(r));
  }
  if (q.sort.empty()) {
    if (q.descending) std::reverse(kept.begin(), kept.end());
    return kept;
  }
  std::vector<SortKey> keys;
  for (const auto& r : kept) keys.push_back(KeyOf(r, q.sort));
  std::vector<size_t> order(kept.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return Before(keys[a], keys[b], q.descending); });
  std::vector<json::object> sorted;
  for (size_t i : order) sorted.push_back(std::move(kept[i]));
  return sorted;
}

json::object SelectFields(const json::object& record, const std::vector<std::string>& fields) {
  if (fields.empty()) return record;
  json::object out;
  for (const auto& kv : record) {
    if (std::find(fields.begin(), fields.end(), kv.key()) != fields.end()) {
      out[kv.key()] = kv.value();
    }
  }
  return out;
}

std::string PageLinks(const std::string& base_url, const Request& request, const ListQuery& q,
                      std::size_t total) {
  auto link = [&](std::size_t offset, const char* rel) {
    return "<" + PageUrl(base_url, request, q.limit, offset) + ">; rel=\"" + rel + "\"";
  };
  std::string out = link(0, "first");
  if (q.offset > 0) out += ", " + link(q.offset > q.limit ? q.offset - q.limit : 0, "prev");
  if (q.offset + q.limit < total) out += ", " + link(q.offset + q.limit, "next");
  const std::size_t last = total == 0 ? 0 : (total - 1) / q.limit * q.limit;
  return out + ", " + link(last, "last");
}

}  // namespace opennos::web::case_query
