#include "core/merge_patch.h"

namespace opennos {
namespace json = boost::json;

json::value ApplyMergePatch(const json::value& target, const json::value& patch) {
  if (!patch.is_object()) return patch;
  json::object result = target.is_object() ? target.as_object() : json::object();
  for (const auto& [key, value] : patch.as_object()) {
    if (value.is_null()) {
      result.erase(key);
      continue;
    }
    const json::value* current = result.if_contains(key);
    result[key] = ApplyMergePatch(current != nullptr ? *current : json::value(), value);
  }
  return result;
}

}  // namespace opennos
