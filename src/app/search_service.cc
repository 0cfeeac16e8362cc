#include "app/search_service.h"

namespace opennos {

std::string IndexDir(const std::string& data_dir) { return data_dir + "/index"; }

std::string UpdateIndexAfterWrite(Store& store, const std::string& data_dir) {
  auto index = search::OpenCurrentIndex(store, IndexDir(data_dir));
  if (!index.ok()) {
    if (index.status().code() == Status::Code::kConflict) {
      return "search index: a running server is keeping it current";
    }
    return "search index not updated: " + index.status().message() +
           " (run `opennos reindex`)";
  }
  return "search index: up to date";
}

}  // namespace opennos
