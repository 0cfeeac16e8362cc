#pragma once
// Small JSON helpers over Boost.JSON shared by the codecs: a deterministic pretty printer and a
// reader of typed fields that reports errors with a JSON pointer.

#include <boost/json.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opennos {

// Two-space indented JSON with keys in their stored order and a final newline. The same value
// always gives the same bytes.
std::string PrettyJson(const boost::json::value& v);
// Compact JSON; the same value always gives the same bytes.
std::string CompactJson(const boost::json::value& v);

// Appends "/key" to a JSON pointer, escaping '~' and '/'.
std::string PointerJoin(const std::string& pointer, std::string_view key);
std::string PointerJoin(const std::string& pointer, size_t index);

// Reads the fields of one JSON object, recording the first error with its pointer.
class FieldReader {
 public:
  FieldReader(const boost::json::object& object, std::string pointer)
      : object_(object), pointer_(std::move(pointer)) {}

  // Each reader leaves `out` untouched when the key is absent (or null).
  void String(std::string_view key, std::string& out, bool required = false);
  void Int(std::string_view key, int& out);
  void Number(std::string_view key, std::optional<double>& out);
  void StringList(std::string_view key, std::vector<std::string>& out);
  // Keeps an object-valued field as compact JSON text.
  void ObjectText(std::string_view key, std::string& out);
  // Returns the object at `key`, or nullptr (an error if present but not an object).
  const boost::json::object* Object(std::string_view key);
  const boost::json::array* Array(std::string_view key);
  // Flags any key not in `known`.
  void OnlyKeys(std::initializer_list<std::string_view> known);

  void Fail(std::string_view key, std::string message);
  const std::string& pointer() const { return pointer_; }
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

 private:
  const boost::json::value* Find(std::string_view key) const;
  const boost::json::object& object_;
  std::string pointer_;
  Status status_;
};

}  // namespace opennos
