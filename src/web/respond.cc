#include "web/respond.h"

#include <ctime>
#include <stdexcept>

#include "web/render.h"
#include "web/static_files.h"

namespace opennos::web {

Response HtmlPage(int status, std::string_view page, boost::json::object model,
                  const Context& ctx) {
  // Welsh only where the page has Welsh to show; elsewhere ?lang=cy still gives English.
  const bool welsh_text = model.contains("has_welsh") && model["has_welsh"].is_bool() &&
                          model["has_welsh"].get_bool();
  const std::string lang = ctx.request.Query("lang") == "cy" && welsh_text ? "cy" : "en";
  model["lang"] = lang;
  model["welsh"] = lang == "cy";
  if (!model.contains("query")) model["query"] = ctx.request.Query("q");
  model["search_id"] = "site";
  model["css"] = StylesheetPath();
  model["site_css"] = SiteStylesheetPath();
  model["script"] = ScriptPath();
  // Who is signed in, for the header; a page for nobody in particular says "Sign in".
  model["signed_in"] = ctx.user != nullptr;
  if (ctx.user != nullptr) {
    model["user_email"] = ctx.user->user.email;
    model["csrf_token"] = ctx.user->csrf_token;  // empty for a bearer token: no sign-out form
  }
  std::string content = Render(page, model);
  boost::json::object layout = model;
  layout["content"] = std::move(content);
  Response r{status, {{"Content-Type", "text/html; charset=utf-8"}}, Render("layout", layout)};
  return r;
}

Response ProblemPage(const Context& ctx, const Status& s) {
  if (s.code() == Status::Code::kNotFound) return NotFoundPage(ctx, s.message());
  const int status = HttpStatusOf(s);
  if (status == 500) throw std::runtime_error(s.message());
  const std::string back = ctx.request.Header("referer");
  boost::json::object model{{"title", "This could not be done"},
                            {"message", s.message()},
                            {"back", back.empty() ? "/drafts" : back}};
  return HtmlPage(status, "authoring_problem", std::move(model), ctx);
}

Response NotFoundPage(const Context& ctx, const std::string& message,
                      const std::vector<std::pair<std::string, std::string>>& suggestions) {
  boost::json::object model;
  model["title"] = "Page not found";
  model["message"] = message;
  boost::json::array list;
  for (const auto& [label, url] : suggestions) {
    list.push_back(boost::json::object{{"label", label}, {"url", url}});
  }
  model["has_suggestions"] = !list.empty();
  model["suggestions"] = std::move(list);
  return HtmlPage(404, "not_found", std::move(model), ctx);
}

void AddFieldErrors(boost::json::object& model, const std::vector<FieldError>& errors) {
  boost::json::array list;
  for (const FieldError& e : errors) {
    list.push_back(boost::json::object{{"field", e.field}, {"message", e.message}});
    model[e.field + "_error"] = e.message;
  }
  model["has_errors"] = !list.empty();
  model["errors"] = std::move(list);
  if (!errors.empty() && model.contains("title") && model["title"].is_string()) {
    model["title"] = "Error: " + std::string(model["title"].as_string());
  }
}

std::string UtcTime(std::int64_t seconds) {
  if (seconds <= 0) return "";
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

Response Redirect(const std::string& location) {
  Response r{303, {{"Content-Type", "text/plain; charset=utf-8"}}, "See " + location + "\n"};
  r.Set("Location", location);
  return r;
}

Response JsonResponse(int status, const boost::json::value& body) {
  return Response{status,
                  {{"Content-Type", "application/json"}},
                  boost::json::serialize(body) + "\n"};
}

Response JsonError(int status, const std::string& message) {
  return JsonResponse(status, boost::json::object{
                                  {"error", boost::json::object{{"status", status},
                                                                {"message", message}}}});
}

Response Download(std::string body, std::string_view content_type, const std::string& filename) {
  Response r{200, {{"Content-Type", std::string(content_type)}}, std::move(body)};
  std::string safe;
  for (char c : filename) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                    c == '_' || c == '@';
    safe += ok ? c : '_';
  }
  r.Set("Content-Disposition", "attachment; filename=\"" + safe + "\"");
  return r;
}

int HttpStatusOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kInvalid:
      return 400;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kConflict:
      return 409;
    case Status::Code::kForbidden:
      return 403;
    case Status::Code::kIo:
    case Status::Code::kInternal:
      break;
  }
  return 500;
}

}  // namespace opennos::web
