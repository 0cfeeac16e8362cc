#include "web/static_files.h"

#include <unordered_map>

#include "app/resources.h"
#include "web/gzip.h"
#include "web/http/etag.h"

namespace opennos::web {
namespace {

struct File {
  std::string_view data;
  std::string content_type;
  std::string etag;
  std::string gzipped;  // empty unless compressible and smaller
};

std::string_view Extension(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

std::string ContentType(std::string_view name) {
  static const std::unordered_map<std::string_view, std::string> kTypes{
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"txt", "text/plain; charset=utf-8"},
  };
  auto it = kTypes.find(Extension(name));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool Compressible(std::string_view type) {
  return type.rfind("text/", 0) == 0 || type == "application/json" || type == "image/svg+xml";
}

// URL path -> file, built once.
const std::unordered_map<std::string, File>& Files() {
  static const auto* files = [] {
    auto* map = new std::unordered_map<std::string, File>();
    const auto add = [map](std::string url, std::string_view name, std::string_view data) {
      File f{data, ContentType(name), StrongEtag(data), {}};
      if (Compressible(f.content_type) && data.size() > 512) {
        std::string z = Gzip(data);
        if (z.size() < data.size()) f.gzipped = std::move(z);
      }
      map->emplace(std::move(url), std::move(f));
    };
    for (const Resource& r : GovukResources()) {
      const std::string name(r.name);
      if (name.rfind("assets/", 0) == 0) {
        add("/" + name, name, r.data);  // /assets/fonts/..., /assets/images/...
      } else if (name == "govuk-frontend.min.css") {
        add(StylesheetPath(), name, r.data);
      } else if (name == "govuk-frontend.min.js") {
        add("/static/govuk-frontend-6.6.0.min.js", name, r.data);
      }
    }
    for (const Resource& r : StaticResources()) {
      const std::string name(r.name);
      if (name == "openapi.json") continue;  // served by the API at /api/v1/openapi.json
      add(name == "site.css" ? SiteStylesheetPath()
                             : name == "app.js" ? ScriptPath() : "/static/" + name,
          name, r.data);
    }
    return map;
  }();
  return *files;
}

bool IsVersioned(const std::string& path) {
  return path.rfind("/assets/fonts/", 0) == 0 || path == StylesheetPath() ||
         path == ScriptPath() || path == SiteStylesheetPath() ||
         path == "/static/govuk-frontend-6.6.0.min.js";
}

}  // namespace

const std::string& StylesheetPath() {
  static const std::string kPath = "/static/govuk-frontend-6.6.0.min.css";
  return kPath;
}

const std::string& ScriptPath() {
  static const std::string kPath = [] {
    for (const Resource& r : StaticResources()) {
      if (r.name == "app.js") return "/static/app-" + StrongEtag(r.data).substr(1, 8) + ".js";
    }
    return std::string("/static/app.js");
  }();
  return kPath;
}

const std::string& SiteStylesheetPath() {
  static const std::string kPath = [] {
    for (const Resource& r : StaticResources()) {
      if (r.name == "site.css") return "/static/site-" + StrongEtag(r.data).substr(1, 8) + ".css";
    }
    return std::string("/static/site.css");
  }();
  return kPath;
}

bool IsStaticPath(std::string_view path) {
  return path.rfind("/assets/", 0) == 0 || path.rfind("/static/", 0) == 0 ||
         path == "/favicon.ico" || path == "/robots.txt";
}

Response StaticFile(const Request& request, std::string_view path) {
  std::string key(path);
  if (key == "/favicon.ico") key = "/assets/images/favicon.ico";
  if (key == "/robots.txt") key = "/static/robots.txt";
  const auto& files = Files();
  auto it = files.find(key);
  if (it == files.end()) {
    return Response{404, {{"Content-Type", "text/plain; charset=utf-8"}}, "Not found.\n"};
  }
  const File& f = it->second;
  Response r;
  r.Set("Content-Type", f.content_type);
  r.Set("ETag", f.etag);
  // Versioned names (the CSS and scripts carry a version or hash, the fonts a hash) never
  // change: cache them for a year. Other files (images, robots.txt) for a day, then revalidate.
  r.Set("Cache-Control", IsVersioned(key) ? "public, max-age=31536000, immutable"
                                          : "public, max-age=86400");
  if (!f.gzipped.empty()) r.Set("Vary", "Accept-Encoding");
  if (EtagMatches(request.Header("if-none-match"), f.etag) ||
      EtagMatches(request.Header("if-none-match"), GzipEtag(f.etag))) {
    r.status = 304;
    return r;
  }
  if (!f.gzipped.empty() && AcceptsGzip(request.Header("accept-encoding"))) {
    r.Set("Content-Encoding", "gzip");
    r.Set("ETag", GzipEtag(f.etag));
    r.body = f.gzipped;
  } else {
    r.body = std::string(f.data);
  }
  return r;
}

}  // namespace opennos::web
