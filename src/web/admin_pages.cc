#include "web/admin_pages.h"

#include <algorithm>
#include <ctime>
#include <variant>

#include "app/importer.h"
#include "core/uuid.h"
#include "web/admin_ops.h"
#include "web/auth.h"

namespace opennos::web::admin {
namespace {

namespace json = boost::json;

[[noreturn]] void Fault(const Status& s) { throw std::runtime_error(s.message()); }

// The organisation named by the route's first placeholder (its id).
Result<opennos::Organisation> OrgOf(const Context& ctx) {
  const auto id = CanonicalUuid(ctx.params.at(0));
  if (!id) return Status::NotFound("There is no organisation at this address.");
  auto org = ctx.store.Accounts().GetOrganisation(*id);
  if (!org.ok() && org.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("There is no organisation at this address.");
  }
  return org;
}

// The organisation of the route, if the user may do `p` there; otherwise the refusal.
// Someone who is not a member learns nothing about whether it exists (403 either way).
std::variant<opennos::Organisation, Response> OrgFor(const Context& ctx, Permission p) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  auto org = OrgOf(ctx);
  if (!org.ok()) {
    if (org.status().code() != Status::Code::kNotFound) Fault(org.status());
    return Forbidden(ctx, "Only members of the organisation that owns this can do this.");
  }
  if (auto refused = Require(ctx, org->id, p)) return *refused;
  return *org;
}

json::array RoleOptions(Role selected) {
  json::array out;
  for (Role r : AllRoles()) {
    out.push_back(json::object{{"value", std::string(RoleName(r))},
                               {"selected", r == selected}});
  }
  return out;
}

Response OrganisationPage(const Context& ctx, const opennos::Organisation& org, int status,
                          const std::vector<FieldError>& errors, const std::string& email,
                          Role role) {
  auto members = ctx.store.Accounts().Members(org.id);
  if (!members.ok()) Fault(members.status());
  json::object model;
  model["title"] = org.name + ": members";
  model["org_id"] = org.id;
  model["org_name"] = org.name;
  model["org_kind"] = std::string(OrganisationKindName(org.kind));
  json::array list;
  for (const Membership& m : *members) {
    list.push_back(json::object{{"user_id", m.user_id},
                                {"email", m.email},
                                {"role", std::string(RoleName(m.role))},
                                {"roles", RoleOptions(m.role)},
                                {"is_self", m.user_id == ctx.user->user.id}});
  }
  model["members"] = std::move(list);
  model["email"] = email;
  model["new_roles"] = RoleOptions(role);
  AddFieldErrors(model, errors);
  return HtmlPage(status, "admin_organisation", std::move(model), ctx);
}

std::string Field(const Context& ctx, std::string_view name) {
  return ctx.form != nullptr ? ctx.form->Get(name) : "";
}

}  // namespace

// --- The user's own tokens and password

Response CreateToken(const Context& ctx) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  const std::string name = Field(ctx, "name");
  if (name.size() > 100) {
    return Forbidden(ctx, "A token's name is at most 100 characters.");
  }
  auto issued = IssueToken(ctx.store.Accounts(), ctx.user->user.id, name, ActorOf(ctx), ctx.now);
  if (!issued.ok()) Fault(issued.status());
  json::object model;
  model["title"] = "Your new API token";
  model["token"] = issued->secret;
  model["name"] = issued->token.name;
  return HtmlPage(201, "token_created", std::move(model), ctx);
}

Response RevokeToken(const Context& ctx) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  Status s = opennos::RevokeToken(ctx.store.Accounts(), ctx.user->user.id, ctx.params.at(0),
                                  ActorOf(ctx), ctx.now);
  if (s.code() == Status::Code::kNotFound) return NotFoundPage(ctx, "You have no such token.");
  if (!s.ok()) Fault(s);
  return Redirect("/account");
}

namespace {

Response PasswordForm(const Context& ctx, int status, const std::vector<FieldError>& errors) {
  json::object model;
  model["title"] = "Change your password";
  AddFieldErrors(model, errors);
  return HtmlPage(status, "password", std::move(model), ctx);
}

}  // namespace

Response PasswordPage(const Context& ctx) {
  if (ctx.user == nullptr) return Redirect("/sign-in?next=%2Faccount%2Fpassword");
  return PasswordForm(ctx, 200, {});
}

Response ChangePassword(const Context& ctx) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  const std::string current = Field(ctx, "current_password");
  const std::string fresh = Field(ctx, "new_password");
  const std::string again = Field(ctx, "confirm_password");
  AccountStore& accounts = ctx.store.Accounts();
  auto user = accounts.GetUser(ctx.user->user.id);
  if (!user.ok()) Fault(user.status());
  std::vector<FieldError> errors;
  if (!VerifyUserPassword(*user, current)) {
    errors.push_back({"current_password", "Enter your current password"});
  }
  const AuthOptions auth = ctx.options != nullptr ? ctx.options->auth : AuthOptions{};
  if (Status s = CheckPassword(fresh, auth); !s.ok()) {
    errors.push_back({"new_password", s.message()});
  } else if (fresh != again) {
    errors.push_back({"confirm_password", "The passwords do not match"});
  }
  if (!errors.empty()) return PasswordForm(ctx, 400, errors);
  if (Status s = opennos::ChangePassword(accounts, user->id, fresh, ActorOf(ctx), ctx.now, auth);
      !s.ok()) {
    Fault(s);
  }
  // Every session has ended, this one too: sign in again with the new password.
  Response r = Redirect("/sign-in?next=%2Faccount");
  r.Set("Set-Cookie", CookieHeader(kSessionCookie, "", 0, "Lax",
                                   ctx.options != nullptr &&
                                       WantsSecureCookies(ctx.request, *ctx.options)));
  return r;
}

// --- Members and roles

Response Organisation(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kManageMembers);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  return OrganisationPage(ctx, std::get<opennos::Organisation>(org), 200, {}, "", Role::kViewer);
}

Response AddMember(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kManageMembers);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const auto& o = std::get<opennos::Organisation>(org);
  const std::string email = NormaliseEmail(Field(ctx, "email"));
  const std::string password = Field(ctx, "password");
  const auto role = ParseRole(Field(ctx, "role"));
  std::vector<FieldError> errors;
  if (Status s = CheckEmail(email); !s.ok()) errors.push_back({"email", s.message()});
  if (!role) errors.push_back({"role", "Choose a role"});
  const AuthOptions auth = ctx.options != nullptr ? ctx.options->auth : AuthOptions{};
  if (!password.empty()) {
    if (Status s = CheckPassword(password, auth); !s.ok()) {
      errors.push_back({"password", s.message()});
    }
  }
  if (errors.empty()) {
    auto user = AddUser(ctx.store.Accounts(), email, o.id, *role, password, ActorOf(ctx),
                        ctx.now, auth);
    if (user.ok()) return Redirect("/admin/organisations/" + o.id);
    if (user.status().code() != Status::Code::kConflict &&
        user.status().code() != Status::Code::kInvalid) {
      Fault(user.status());
    }
    errors.push_back({"email", user.status().message()});
  }
  return OrganisationPage(ctx, o, 400, errors, email, role.value_or(Role::kViewer));
}

Response SetMemberRole(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kManageMembers);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const auto& o = std::get<opennos::Organisation>(org);
  AccountStore& accounts = ctx.store.Accounts();
  auto user = accounts.GetUser(ctx.params.at(1));
  const auto role = ParseRole(Field(ctx, "role"));
  if (!user.ok() || !user->id.size()) return NotFoundPage(ctx, "There is no such member.");
  if (!role) return OrganisationPage(ctx, o, 400, {{"role", "Choose a role"}}, "", Role::kViewer);
  if (Status s = KeepsAnAdmin(accounts, o.id, user->id, role); !s.ok()) {
    return OrganisationPage(ctx, o, 409, {{"email", s.message()}}, "", Role::kViewer);
  }
  Status s = SetRole(accounts, user->email, *role, o.id, ActorOf(ctx), ctx.now);
  if (s.code() == Status::Code::kNotFound) return NotFoundPage(ctx, "There is no such member.");
  if (!s.ok()) Fault(s);
  return Redirect("/admin/organisations/" + o.id);
}

Response RemoveMember(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kManageMembers);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const auto& o = std::get<opennos::Organisation>(org);
  AccountStore& accounts = ctx.store.Accounts();
  auto user = accounts.GetUser(ctx.params.at(1));
  if (!user.ok()) return NotFoundPage(ctx, "There is no such member.");
  if (Status s = KeepsAnAdmin(accounts, o.id, user->id, std::nullopt); !s.ok()) {
    return OrganisationPage(ctx, o, 409, {{"email", s.message()}}, "", Role::kViewer);
  }
  Status s = opennos::RemoveMember(accounts, user->email, o.id, ActorOf(ctx), ctx.now);
  if (s.code() == Status::Code::kNotFound) return NotFoundPage(ctx, "There is no such member.");
  if (!s.ok()) Fault(s);
  return Redirect("/admin/organisations/" + o.id);
}

// --- The audit log

Response AuditLog(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kReadAudit);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const auto& o = std::get<opennos::Organisation>(org);
  constexpr int kPage = 50;
  std::int64_t before = 0;
  const std::string asked = ctx.request.Query("before");
  if (!asked.empty()) {
    if (asked.size() > 18 || asked.find_first_not_of("0123456789") != std::string::npos) {
      return NotFoundPage(ctx, "There is no such page of the audit log.");
    }
    before = std::stoll(asked);
  }
  auto entries = ctx.store.Accounts().AuditOf(o.id, before, kPage);
  if (!entries.ok()) Fault(entries.status());
  json::object model;
  model["title"] = o.name + ": audit log";
  model["org_id"] = o.id;
  model["org_name"] = o.name;
  json::array rows;
  for (const AuditEntry& e : *entries) {
    rows.push_back(json::object{{"at", UtcTime(e.at)},
                                {"actor", e.actor},
                                {"address", e.address},
                                {"action", e.action},
                                {"target", e.target},
                                {"detail", e.detail}});
  }
  model["has_entries"] = !rows.empty();
  model["entries"] = std::move(rows);
  if (static_cast<int>(entries->size()) == kPage) {
    model["older"] = "/admin/organisations/" + o.id + "/audit?before=" +
                     std::to_string(entries->back().id);
  }
  return HtmlPage(200, "admin_audit", std::move(model), ctx);
}

// --- Import and export

namespace {

json::array FormatOptions(bool with_auto, const std::string& selected) {
  json::array out;
  const std::vector<std::pair<std::string, std::string>> formats =
      with_auto ? std::vector<std::pair<std::string, std::string>>{
                      {"auto", "Recognise it from the content"},
                      {"native", "OpenNOS JSON"},
                      {"csv", "OpenNOS CSV layout"},
                      {"case", "1EdTech CASE 1.1 package"},
                      {"case-1.0", "1EdTech CASE 1.0 package"},
                      {"nos-catalogue", "NOS catalogue export"},
                      {"soc2020", "SOC 2020"},
                      {"esco", "ESCO"},
                      {"onet", "O*NET"}}
                : std::vector<std::pair<std::string, std::string>>{
                      {"native", "OpenNOS JSON"},
                      {"csv", "CSV"},
                      {"case", "CASE 1.1"},
                      {"case-1.0", "CASE 1.0"}};
  for (const auto& [value, label] : formats) {
    out.push_back(json::object{{"value", value}, {"label", label}, {"selected", value == selected}});
  }
  return out;
}

Response ImportForm(const Context& ctx, const opennos::Organisation& o, int status,
                    const std::vector<FieldError>& errors, const std::string& format) {
  json::object model;
  model["title"] = o.name + ": import";
  model["org_id"] = o.id;
  model["org_name"] = o.name;
  model["formats"] = FormatOptions(true, format);
  AddFieldErrors(model, errors);
  return HtmlPage(status, "admin_import", std::move(model), ctx);
}

}  // namespace

Response ImportPage(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kImport);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  return ImportForm(ctx, std::get<opennos::Organisation>(org), 200, {}, "auto");
}

Response Import(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kImport);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const auto& o = std::get<opennos::Organisation>(org);
  const std::string format_name = Field(ctx, "format").empty() ? "auto" : Field(ctx, "format");
  const Form::File* file = ctx.form != nullptr ? ctx.form->GetFile("file") : nullptr;
  auto format = ParseFileFormat(format_name);
  if (!format.ok()) return ImportForm(ctx, o, 400, {{"format", "Choose a format"}}, "auto");
  if (file == nullptr || file->content.empty()) {
    return ImportForm(ctx, o, 400, {{"file", "Choose a framework file to import"}}, format_name);
  }
  auto outcome = ImportUpload(ctx, o.id, file->filename.empty() ? "upload" : file->filename,
                              file->content, *format);
  if (!outcome.report.ok()) {
    const Status& s = outcome.report.status();
    if (s.code() == Status::Code::kIo || s.code() == Status::Code::kInternal) Fault(s);
    return ImportForm(ctx, o, HttpStatusOf(s),
                      {{"file", "Nothing was imported: " + s.message()}}, format_name);
  }
  json::object model;
  model["title"] = o.name + ": import done";
  model["org_id"] = o.id;
  model["org_name"] = o.name;
  model["summary"] = SaveReportSummary(*outcome.report);
  json::array problems;
  for (size_t i = 0; i < outcome.problems.size() && i < 200; ++i) {
    problems.push_back(json::value(outcome.problems[i].Format()));
  }
  model["problem_count"] = static_cast<std::int64_t>(outcome.problems.size());
  model["has_problems"] = !problems.empty();
  model["problems"] = std::move(problems);
  model["more_problems"] = outcome.problems.size() > 200;
  return HtmlPage(200, "admin_import_done", std::move(model), ctx);
}

Response ExportPage(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kExport);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const auto& o = std::get<opennos::Organisation>(org);
  auto owned = OwnedFrameworks(*ctx.full_store, o.id);
  json::object model;
  model["title"] = o.name + ": export";
  model["org_id"] = o.id;
  model["org_name"] = o.name;
  json::array rows;
  for (const FrameworkSummary& s : owned) {
    const Framework& f = s.framework;
    json::array links;
    for (const char* format : {"native", "csv", "case", "case-1.0"}) {
      links.push_back(json::object{
          {"format", format},
          {"url", "/admin/organisations/" + o.id + "/export/" + f.uuid + "?format=" + format}});
    }
    rows.push_back(json::object{{"code", f.code},
                                {"edition", f.edition},
                                {"title", f.title},
                                {"status", std::string(FrameworkStatusName(f.status))},
                                {"links", std::move(links)}});
  }
  model["has_frameworks"] = !rows.empty();
  model["frameworks"] = std::move(rows);
  return HtmlPage(200, "admin_export", std::move(model), ctx);
}

Response Export(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kExport);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const auto& o = std::get<opennos::Organisation>(org);
  return ExportOwned(ctx, o.id, ctx.params.at(1), ctx.request.Query("format"));
}

}  // namespace opennos::web::admin
