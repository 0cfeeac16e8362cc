#include "web/render.h"

#include <cstdlib>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "app/resources.h"

namespace opennos::web {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;
using kainjow::mustache::partial;

std::string TemplateSource(std::string_view name) {
  const std::string file = std::string(name) + ".mustache";
  if (const char* dir = std::getenv("OPENNOS_WEB_DIR"); dir != nullptr && *dir != '\0') {
    std::ifstream in(std::string(dir) + "/templates/" + file, std::ios::binary);
    if (in) {
      std::ostringstream s;
      s << in.rdbuf();
      return s.str();
    }
  }
  for (const Resource& r : TemplateResources()) {
    if (r.name == file) return std::string(r.data);
  }
  throw std::runtime_error("no template " + file);
}

data ToData(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      data d{data::type::object};
      for (const auto& kv : v.get_object()) d.set(std::string(kv.key()), ToData(kv.value()));
      return d;
    }
    case boost::json::kind::array: {
      data d{data::type::list};
      for (const auto& e : v.get_array()) d.push_back(ToData(e));
      return d;
    }
    case boost::json::kind::string:
      // An empty string is false to a section ({{#x}}), as in most mustache implementations.
      if (v.get_string().empty()) return data(data::type::bool_false);
      return data(std::string(v.get_string()));
    case boost::json::kind::bool_:
      return v.get_bool() ? data(data::type::bool_true) : data(data::type::bool_false);
    case boost::json::kind::null:
      return data(data::type::bool_false);
    case boost::json::kind::int64:
      return data(std::to_string(v.get_int64()));
    case boost::json::kind::uint64:
      return data(std::to_string(v.get_uint64()));
    case boost::json::kind::double_:
      return data(boost::json::serialize(v));
  }
  return data(data::type::bool_false);
}

// Parsed templates, compiled once (unless read from disk for development).
class TemplateCache {
 public:
  std::shared_ptr<const std::string> Source(std::string_view name) {
    if (const char* dir = std::getenv("OPENNOS_WEB_DIR"); dir != nullptr && *dir != '\0') {
      return std::make_shared<const std::string>(TemplateSource(name));
    }
    std::lock_guard lock(mutex_);
    auto it = sources_.find(std::string(name));
    if (it != sources_.end()) return it->second;
    auto source = std::make_shared<const std::string>(TemplateSource(name));
    sources_.emplace(std::string(name), source);
    return source;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const std::string>, std::less<>> sources_;
};

TemplateCache& Cache() {
  static TemplateCache cache;
  return cache;
}

void AddPartials(data& d);

}  // namespace

std::string Render(std::string_view name, const boost::json::object& model) {
  mustache tmpl(*Cache().Source(name));
  if (!tmpl.is_valid()) {
    throw std::runtime_error("template " + std::string(name) + ": " + tmpl.error_message());
  }
  data d = ToData(model);
  AddPartials(d);
  std::string out = tmpl.render(d);
  if (!tmpl.is_valid()) {
    throw std::runtime_error("template " + std::string(name) + ": " + tmpl.error_message());
  }
  return out;
}

namespace {

void AddPartials(data& d) {
  for (const Resource& r : TemplateResources()) {
    std::string_view file = r.name;
    if (file.size() < 10 || file.substr(0, 1) != "_") continue;  // partials start with '_'
    const std::string partial_name(file.substr(0, file.size() - 9));
    d.set(partial_name, partial([partial_name] { return *Cache().Source(partial_name); }));
  }
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace opennos::web
