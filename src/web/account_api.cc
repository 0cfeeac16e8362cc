#include "web/account_api.h"

#include <algorithm>
#include <variant>

#include "app/importer.h"
#include "core/uuid.h"
#include "web/admin_ops.h"
#include "web/auth.h"

namespace opennos::web::account_api {
namespace {

namespace json = boost::json;

[[noreturn]] void Fault(const Status& s) { throw std::runtime_error(s.message()); }

Response NoContent() { return Response{204, {}, ""}; }

// The organisation of the route, if the user may do `p` there; otherwise the refusal. Someone
// who is not a member gets 403 whether or not it exists.
std::variant<Organisation, Response> OrgFor(const Context& ctx, Permission p) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  const auto id = CanonicalUuid(ctx.params.at(0));
  if (!id) return JsonError(404, "{org} must be an organisation's id (a UUID)");
  auto org = ctx.store.Accounts().GetOrganisation(*id);
  if (!org.ok()) {
    if (org.status().code() != Status::Code::kNotFound) Fault(org.status());
    return Forbidden(ctx, "Only members of the organisation can do this.");
  }
  if (auto refused = Require(ctx, org->id, p)) return *refused;
  return *org;
}

// The request's body as a JSON object; nullopt (with the 400 in `error`) otherwise.
std::optional<json::object> JsonBody(const Context& ctx, Response& error) {
  boost::system::error_code ec;
  json::value v = json::parse(ctx.request.body, ec);
  if (ec || !v.is_object()) {
    error = JsonError(400, "The body must be a JSON object.");
    return std::nullopt;
  }
  return std::move(v.as_object());
}

std::string StringField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

json::object ReportJson(const SaveReport& r) {
  return json::object{{"frameworks_created", r.frameworks_created},
                      {"frameworks_updated", r.frameworks_updated},
                      {"frameworks_unchanged", r.frameworks_unchanged},
                      {"items_added", r.items_added},
                      {"items_changed", r.items_changed},
                      {"items_removed", r.items_removed},
                      {"associations_added", r.associations_added},
                      {"associations_changed", r.associations_changed},
                      {"associations_removed", r.associations_removed},
                      {"revisions", r.revisions}};
}

json::object TokenJson(const ApiToken& t) {
  json::object o{{"id", t.id}, {"name", t.name}, {"created_at", UtcTime(t.created_at)}};
  o["last_used_at"] = t.last_used_at > 0 ? json::value(UtcTime(t.last_used_at)) : json::value();
  return o;
}

Result<User> MemberNamed(AccountStore& accounts, const std::string& email) {
  return accounts.FindUserByEmail(NormaliseEmail(email));
}

}  // namespace

Response Me(const Context& ctx) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  json::array orgs;
  for (const Membership& m : ctx.user->memberships) {
    json::array permissions;
    for (Permission p : AllPermissions()) {
      if (RoleAllows(m.role, p)) permissions.emplace_back(std::string(PermissionName(p)));
    }
    orgs.push_back(json::object{{"id", m.organisation_id},
                                {"name", m.organisation_name},
                                {"role", std::string(RoleName(m.role))},
                                {"permissions", std::move(permissions)}});
  }
  return JsonResponse(200, json::object{
                               {"email", ctx.user->user.email},
                               {"signed_in_with", ctx.user->via == Principal::Via::kToken
                                                      ? "token"
                                                      : "session"},
                               {"organisations", std::move(orgs)}});
}

Response Tokens(const Context& ctx) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  auto tokens = ctx.store.Accounts().TokensOf(ctx.user->user.id);
  if (!tokens.ok()) Fault(tokens.status());
  json::array list;
  for (const ApiToken& t : *tokens) list.push_back(TokenJson(t));
  return JsonResponse(200, json::object{{"tokens", std::move(list)}});
}

Response CreateToken(const Context& ctx) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  Response error;
  auto body = JsonBody(ctx, error);
  if (!body) return error;
  const std::string name = StringField(*body, "name");
  auto issued = IssueToken(ctx.store.Accounts(), ctx.user->user.id, name, ActorOf(ctx), ctx.now);
  if (!issued.ok()) {
    if (issued.status().code() == Status::Code::kInvalid) {
      return JsonError(400, issued.status().message());
    }
    Fault(issued.status());
  }
  json::object out = TokenJson(issued->token);
  out["token"] = issued->secret;
  return JsonResponse(201, out);
}

Response DeleteToken(const Context& ctx) {
  if (auto refused = RequireSignIn(ctx)) return *refused;
  Status s = RevokeToken(ctx.store.Accounts(), ctx.user->user.id, ctx.params.at(0), ActorOf(ctx),
                         ctx.now);
  if (s.code() == Status::Code::kNotFound) return JsonError(404, "You have no such token.");
  if (!s.ok()) Fault(s);
  return NoContent();
}

Response Members(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kManageMembers);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  auto members = ctx.store.Accounts().Members(std::get<Organisation>(org).id);
  if (!members.ok()) Fault(members.status());
  json::array list;
  for (const Membership& m : *members) {
    list.push_back(json::object{{"email", m.email}, {"role", std::string(RoleName(m.role))}});
  }
  return JsonResponse(200, json::object{{"members", std::move(list)}});
}

Response PutMember(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kManageMembers);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const Organisation& o = std::get<Organisation>(org);
  Response error;
  auto body = JsonBody(ctx, error);
  if (!body) return error;
  const auto role = ParseRole(StringField(*body, "role"));
  if (!role) return JsonError(400, "role must be admin, editor, reviewer or viewer");
  const std::string email = NormaliseEmail(ctx.params.at(1));
  const std::string password = StringField(*body, "password");
  AccountStore& accounts = ctx.store.Accounts();
  const AuthOptions auth = ctx.options != nullptr ? ctx.options->auth : AuthOptions{};
  auto user = MemberNamed(accounts, email);
  bool member = false;
  if (user.ok()) {
    auto memberships = accounts.MembershipsOf(user->id);
    if (!memberships.ok()) Fault(memberships.status());
    member = std::any_of(memberships->begin(), memberships->end(),
                         [&](const Membership& m) { return m.organisation_id == o.id; });
  }
  if (member) {
    if (!password.empty()) {
      return JsonError(400, "A member's password is theirs to change; leave \"password\" out.");
    }
    if (Status s = KeepsAnAdmin(accounts, o.id, user->id, role); !s.ok()) {
      return JsonError(409, s.message());
    }
    if (Status s = SetRole(accounts, email, *role, o.id, ActorOf(ctx), ctx.now); !s.ok()) Fault(s);
    return JsonResponse(200, json::object{{"email", email}, {"role", std::string(RoleName(*role))}});
  }
  auto added = AddUser(accounts, email, o.id, *role, password, ActorOf(ctx), ctx.now, auth);
  if (!added.ok()) {
    const Status& s = added.status();
    if (s.code() == Status::Code::kInvalid || s.code() == Status::Code::kConflict) {
      return JsonError(HttpStatusOf(s), s.message());
    }
    Fault(s);
  }
  return JsonResponse(201, json::object{{"email", email}, {"role", std::string(RoleName(*role))}});
}

Response DeleteMember(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kManageMembers);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const Organisation& o = std::get<Organisation>(org);
  AccountStore& accounts = ctx.store.Accounts();
  auto user = MemberNamed(accounts, ctx.params.at(1));
  if (!user.ok()) return JsonError(404, "No member with that email address.");
  if (Status s = KeepsAnAdmin(accounts, o.id, user->id, std::nullopt); !s.ok()) {
    return JsonError(409, s.message());
  }
  Status s = RemoveMember(accounts, user->email, o.id, ActorOf(ctx), ctx.now);
  if (s.code() == Status::Code::kNotFound) return JsonError(404, "No member with that email address.");
  if (!s.ok()) Fault(s);
  return NoContent();
}

Response Audit(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kReadAudit);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  std::int64_t before = 0;
  int limit = 100;
  const std::string b = ctx.request.Query("before"), l = ctx.request.Query("limit");
  auto number = [](const std::string& s, std::int64_t& out) {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    out = std::stoll(s);
    return true;
  };
  if (!b.empty() && !number(b, before)) return JsonError(400, "before must be an entry's id");
  if (!l.empty()) {
    std::int64_t n = 0;
    if (!number(l, n) || n < 1 || n > 1000) return JsonError(400, "limit must be 1 to 1000");
    limit = static_cast<int>(n);
  }
  auto entries = ctx.store.Accounts().AuditOf(std::get<Organisation>(org).id, before, limit);
  if (!entries.ok()) Fault(entries.status());
  json::array list;
  for (const AuditEntry& e : *entries) {
    list.push_back(json::object{{"id", e.id},
                                {"at", UtcTime(e.at)},
                                {"actor", e.actor},
                                {"address", e.address},
                                {"action", e.action},
                                {"target", e.target},
                                {"detail", e.detail}});
  }
  return JsonResponse(200, json::object{{"entries", std::move(list)}});
}

Response Import(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kImport);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  const Organisation& o = std::get<Organisation>(org);
  const std::string format_name = ctx.request.Query("format");
  auto format = ParseFileFormat(format_name.empty() ? "auto" : format_name);
  if (!format.ok()) return JsonError(400, format.status().message());
  if (ctx.request.body.empty()) return JsonError(400, "The body must be the framework file.");
  const std::string source = ctx.request.Query("name").empty() ? "upload" : ctx.request.Query("name");
  ImportOutcome outcome = ImportUpload(ctx, o.id, source, ctx.request.body, *format);
  if (!outcome.report.ok()) {
    const Status& s = outcome.report.status();
    if (s.code() == Status::Code::kIo || s.code() == Status::Code::kInternal) Fault(s);
    return JsonError(HttpStatusOf(s), "Nothing was imported: " + s.message());
  }
  json::array problems;
  for (const ImportProblem& p : outcome.problems) problems.emplace_back(p.Format());
  return JsonResponse(200, json::object{{"report", ReportJson(*outcome.report)},
                                        {"problems", std::move(problems)}});
}

Response Export(const Context& ctx) {
  auto org = OrgFor(ctx, Permission::kExport);
  if (auto* refused = std::get_if<Response>(&org)) return *refused;
  return ExportOwned(ctx, std::get<Organisation>(org).id, ctx.params.at(1),
                     ctx.request.Query("format"));
}

}  // namespace opennos::web::account_api
