#include "core/json_util.h"

#include <algorithm>

namespace opennos {
namespace {

void Indent(std::string& out, int depth) { out.append(static_cast<size_t>(depth) * 2, ' '); }

void Pretty(const boost::json::value& v, std::string& out, int depth) {
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    size_t i = 0;
    for (const auto& kv : o) {
      Indent(out, depth + 1);
      out += boost::json::serialize(boost::json::string_view(kv.key()));
      out += ": ";
      Pretty(kv.value(), out, depth + 1);
      out += ++i < o.size() ? ",\n" : "\n";
    }
    Indent(out, depth);
    out += '}';
    return;
  }
  if (v.is_array()) {
    const auto& a = v.get_array();
    if (a.empty()) {
      out += "[]";
      return;
    }
    const bool scalars = std::none_of(a.begin(), a.end(), [](const boost::json::value& e) {
      return e.is_object() || e.is_array();
    });
    if (scalars) {  // short lists of scalars stay on one line, easier to edit by hand
      std::string line = "[";
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) line += ", ";
        line += boost::json::serialize(a[i]);
      }
      line += ']';
      if (line.size() + static_cast<size_t>(depth) * 2 <= 100) {
        out += line;
        return;
      }
    }
    out += "[\n";
    for (size_t i = 0; i < a.size(); ++i) {
      Indent(out, depth + 1);
      Pretty(a[i], out, depth + 1);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    Indent(out, depth);
    out += ']';
    return;
  }
  out += boost::json::serialize(v);
}

}  // namespace

std::string PrettyJson(const boost::json::value& v) {
  std::string out;
  Pretty(v, out, 0);
  out += '\n';
  return out;
}

std::string CompactJson(const boost::json::value& v) { return boost::json::serialize(v); }

std::string PointerJoin(const std::string& pointer, std::string_view key) {
  std::string out = pointer + "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string PointerJoin(const std::string& pointer, size_t index) {
  return pointer + "/" + std::to_string(index);
}

const boost::json::value* FieldReader::Find(std::string_view key) const {
  const auto* v = object_.if_contains(key);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

void FieldReader::Fail(std::string_view key, std::string message) {
  if (!status_.ok()) return;
  status_ = Status::Invalid(PointerJoin(pointer_, key) + ": " + std::move(message));
}

void FieldReader::String(std::string_view key, std::string& out, bool required) {
  const auto* v = Find(key);
  if (v == nullptr) {
    if (required) {
      if (status_.ok()) {
        status_ = Status::Invalid((pointer_.empty() ? "/" : pointer_) + ": missing \"" +
                                  std::string(key) + "\"");
      }
    }
    return;
  }
  if (!v->is_string()) return Fail(key, "expected a string");
  out = std::string(v->get_string());
  if (required && out.empty()) Fail(key, "must not be empty");
}

void FieldReader::Int(std::string_view key, int& out) {
  const auto* v = Find(key);
  if (v == nullptr) return;
  if (v->is_int64() && v->get_int64() >= 0 && v->get_int64() <= 1'000'000'000) {
    out = static_cast<int>(v->get_int64());
  } else if (v->is_uint64() && v->get_uint64() <= 1'000'000'000) {
    out = static_cast<int>(v->get_uint64());
  } else {
    Fail(key, "expected a whole number from 0 to 1000000000");
  }
}

void FieldReader::Number(std::string_view key, std::optional<double>& out) {
  const auto* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_number()) return Fail(key, "expected a number");
  out = v->to_number<double>();
}

void FieldReader::StringList(std::string_view key, std::vector<std::string>& out) {
  const auto* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_array()) return Fail(key, "expected an array of strings");
  std::vector<std::string> list;
  for (const auto& e : v->get_array()) {
    if (!e.is_string()) return Fail(key, "expected an array of strings");
    list.emplace_back(e.get_string());
  }
  out = std::move(list);
}

void FieldReader::ObjectText(std::string_view key, std::string& out) {
  const auto* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_object()) return Fail(key, "expected an object");
  out = CompactJson(*v);
}

const boost::json::object* FieldReader::Object(std::string_view key) {
  const auto* v = Find(key);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    Fail(key, "expected an object");
    return nullptr;
  }
  return &v->get_object();
}

const boost::json::array* FieldReader::Array(std::string_view key) {
  const auto* v = Find(key);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    Fail(key, "expected an array");
    return nullptr;
  }
  return &v->get_array();
}

void FieldReader::OnlyKeys(std::initializer_list<std::string_view> known) {
  for (const auto& kv : object_) {
    const std::string_view k = kv.key();
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      Fail(k, "unknown key");
      return;
    }
  }
}

}  // namespace opennos
