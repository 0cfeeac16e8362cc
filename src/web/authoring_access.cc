#include "web/authoring_access.h"

#include "web/auth.h"

namespace opennos::web {
namespace {

Permission PermissionOf(Need need) {
  switch (need) {
    case Need::kRead: return Permission::kReadDrafts;
    case Need::kEdit: return Permission::kEditDrafts;
    case Need::kPublish: return Permission::kPublish;
  }
  return Permission::kPublish;
}

// The organisation that owns a framework; empty when nobody does.
std::string OwnerOf(const Context& ctx, const Framework& f) {
  auto owner = ctx.store.Accounts().FrameworkOwner(f.uuid);
  if (!owner.ok()) throw std::runtime_error(owner.status().message());
  return *owner;
}

}  // namespace

std::optional<Response> Refuse(const Context& ctx, Need need, const Framework* framework) {
  if (framework != nullptr) return RequireOnFramework(ctx, framework->uuid, PermissionOf(need));
  if (ctx.user == nullptr) return Unauthorised(ctx);
  if (ctx.user->Where(PermissionOf(need)).empty()) {
    return Forbidden(ctx, "Your role does not allow this in any of your organisations.");
  }
  return std::nullopt;
}

ChangeContext WhoFor(const Context& ctx, const Framework* framework, std::string reason) {
  ChangeContext who;
  who.author = AuthorOf(ctx);
  who.reason = std::move(reason);
  who.only_own_frameworks = true;
  if (framework != nullptr) {
    who.organisation = OwnerOf(ctx, *framework);
  } else if (ctx.user != nullptr) {
    const auto where = ctx.user->Where(Permission::kEditDrafts);
    if (!where.empty()) who.organisation = where.front().organisation_id;
  }
  // The write records itself in the audit log, in its own transaction.
  const Actor actor = ActorOf(ctx);
  AuditEntry audit;
  audit.at = ctx.now;
  audit.actor_id = actor.user_id;
  audit.actor = actor.name;
  audit.address = actor.address;
  audit.organisation_id = who.organisation;
  audit.action = "authoring " + ctx.request.method + " " + ctx.request.path;
  audit.target = framework != nullptr ? framework->uuid : std::string();
  audit.detail = who.reason;
  who.audit = std::move(audit);
  return who;
}

std::string AuthorOf(const Context& ctx) {
  return ctx.user != nullptr ? ctx.user->user.email : std::string();
}

std::string FormField(const Context& ctx, std::string_view name) {
  return ctx.form != nullptr ? ctx.form->Get(name) : std::string();
}

std::vector<std::pair<std::string, std::string>> FormFields(const Context& ctx) {
  return ctx.form != nullptr ? ctx.form->fields : std::vector<std::pair<std::string, std::string>>{};
}

}  // namespace opennos::web
