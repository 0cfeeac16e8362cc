#include "web/authoring_api.h"

#include <chrono>
#include <ctime>

#include "app/authoring.h"
#include "core/codec.h"
#include "core/uuid.h"
#include "core/word_diff.h"
#include "web/authoring_access.h"

namespace opennos::web::authoring_api {
namespace json = boost::json;
namespace {

Response Fail(const Status& s) { return JsonError(HttpStatusOf(s), s.message()); }

Store& Full(const Context& ctx) { return ctx.full_store != nullptr ? *ctx.full_store : ctx.store; }

ChangeContext Who(const Context& ctx, std::string reason, const Framework* f = nullptr) {
  return WhoFor(ctx, f, std::move(reason));
}

// The request body as a JSON object, or the 400 to send.
Result<json::object> Body(const Context& ctx) {
  if (ctx.request.body.empty()) return Status::Invalid("send a JSON object as the body");
  boost::system::error_code ec;
  json::value v = json::parse(ctx.request.body, ec);
  if (ec) return Status::Invalid("the body is not JSON: " + ec.message());
  if (!v.is_object()) return Status::Invalid("the body must be a JSON object");
  return v.as_object();
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A string member that, when present, must be a string.
Status CheckStrings(const json::object& o, std::initializer_list<std::string_view> keys) {
  for (auto key : keys) {
    const json::value* v = o.if_contains(key);
    if (v != nullptr && !v->is_string() && !v->is_null()) {
      return Status::Invalid("\"" + std::string(key) + "\" must be a string");
    }
  }
  return Status::Ok();
}

// The item named by the route, from the whole store, with its framework.
struct Target {
  Item item;
  Framework framework;
};

Result<Target> FindTarget(const Context& ctx) {
  auto uuid = CanonicalUuid(ctx.params[0]);
  if (!uuid) return Status::Invalid("\"" + ctx.params[0] + "\" is not a UUID");
  auto item = Full(ctx).GetItem(*uuid);
  if (!item.ok()) return item.status();
  auto f = Full(ctx).GetFramework(item->framework_uuid);
  if (!f.ok()) return f.status();
  return Target{*item, *f};
}

Result<Framework> FindFramework(const Context& ctx) {
  auto uuid = ResolveFramework(Full(ctx), ctx.params[0]);
  if (!uuid.ok()) return uuid.status();
  return Full(ctx).GetFramework(*uuid);
}

// Reading: public frameworks are open to all; drafts need the reviewer role.
std::optional<Response> RefuseRead(const Context& ctx, const Framework& f) {
  if (IsPublic(f)) return std::nullopt;
  auto refused = Refuse(ctx, Need::kRead, &f);
  // Someone who may not read drafts is told there is nothing there, as for the public view.
  if (refused && refused->status == 403) return JsonError(404, "no item " + ctx.params[0]);
  return refused;
}

json::object ItemJson(const Item& item) {
  json::object o = ItemToJson(item);
  o["uuid"] = item.uuid;
  o["framework"] = item.framework_uuid;
  o["parent"] = item.parent_uuid.empty() ? json::value(nullptr) : json::value(item.parent_uuid);
  o["position"] = item.position;
  o["revision"] = item.revision;
  return o;
}

Response ItemResponse(int status, const Item& item) {
  Response r = JsonResponse(status, ItemJson(item));
  r.Set("ETag", RevisionEtag(item.revision));
  return r;
}

json::object FindingJson(const Finding& f) {
  json::object o{{"check", f.check},
                 {"severity", SeverityName(f.severity)},
                 {"field", f.field},
                 {"message", f.message}};
  o["item"] = f.item_uuid.empty() ? json::value(nullptr) : json::value(f.item_uuid);
  return o;
}

json::object RevisionJson(const Revision& r) {
  return json::object{{"number", r.number},   {"author", r.author}, {"at", r.at},
                      {"reason", r.reason},   {"removed", r.after.empty()},
                      {"created", r.before.empty()}};
}

json::object FrameworkBrief(const Framework& f) {
  json::object o = FrameworkToJson(f);
  o["uuid"] = f.uuid;
  o["revision"] = f.revision;
  return o;
}

}  // namespace

std::int64_t IfMatchRevision(const std::string& header) {
  std::string_view v = header;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.rfind("W/", 0) == 0) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.size() > 3 && v.substr(v.size() - 3) == "-gz") v.remove_suffix(3);  // the gzip variant
  if (v.empty() || v.size() > 18) return 0;
  std::int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string RevisionEtag(std::int64_t revision) { return "\"" + std::to_string(revision) + "\""; }

std::string TodayUtc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

Response Drafts(const Context& ctx) {
  if (auto refused = Refuse(ctx, Need::kRead, nullptr)) return *refused;
  auto list = Full(ctx).ListFrameworks();
  if (!list.ok()) return Fail(list.status());
  json::array out;
  for (const auto& s : *list) {
    if (s.framework.status != FrameworkStatus::kDraft) continue;
    if (Refuse(ctx, Need::kRead, &s.framework)) continue;
    json::object o = FrameworkBrief(s.framework);
    o["units"] = s.units;
    o["statements"] = s.statements;
    out.push_back(std::move(o));
  }
  return JsonResponse(200, json::object{{"drafts", std::move(out)}});
}

Response Checks(const Context& ctx) {
  auto f = FindFramework(ctx);
  if (!f.ok()) return Fail(f.status());
  if (auto refused = RefuseRead(ctx, *f)) return *refused;
  auto doc = Full(ctx).LoadFramework(f->uuid);
  if (!doc.ok()) return Fail(doc.status());
  auto findings = CheckDraft(Full(ctx), *doc);
  if (!findings.ok()) return Fail(findings.status());
  json::array list;
  int errors = 0;
  for (const Finding& finding : *findings) {
    errors += finding.severity == Severity::kError;
    list.push_back(FindingJson(finding));
  }
  return JsonResponse(200, json::object{{"framework", f->uuid},
                                        {"errors", errors},
                                        {"warnings", static_cast<int>(list.size()) - errors},
                                        {"findings", std::move(list)}});
}

Response DraftItem(const Context& ctx) {
  auto target = FindTarget(ctx);
  if (!target.ok()) return Fail(target.status());
  if (auto refused = RefuseRead(ctx, target->framework)) return *refused;
  return ItemResponse(200, target->item);
}

Response ItemRevisions(const Context& ctx) {
  auto target = FindTarget(ctx);
  if (!target.ok()) return Fail(target.status());
  if (auto refused = RefuseRead(ctx, target->framework)) return *refused;
  auto history = Full(ctx).History(target->item.uuid);
  if (!history.ok()) return Fail(history.status());
  json::array list;
  for (const Revision& r : *history) list.push_back(RevisionJson(r));
  Response resp = JsonResponse(200, json::object{{"item", target->item.uuid},
                                                 {"revision", target->item.revision},
                                                 {"revisions", std::move(list)}});
  return resp;
}

Response ItemDiff(const Context& ctx) {
  auto target = FindTarget(ctx);
  if (!target.ok()) return Fail(target.status());
  if (auto refused = RefuseRead(ctx, target->framework)) return *refused;
  auto history = Full(ctx).History(target->item.uuid);
  if (!history.ok()) return Fail(history.status());
  const auto [a, b] = PickRevisions(*history, ctx.request, target->item.revision);
  if (a == nullptr || b == nullptr) {
    return JsonError(400, "give from= and to= as revision numbers of this item (1 to " +
                              std::to_string(history->empty() ? 0 : history->back().number) + ")");
  }
  json::array fields;
  for (const FieldDiff& d : DiffSnapshots(a->after, b->after)) {
    if (d.field == "position") continue;
    fields.push_back(json::object{{"field", d.field},
                                  {"changed", d.changed},
                                  {"pieces", DiffPiecesToJson(d.pieces)}});
  }
  return JsonResponse(200, json::object{{"item", target->item.uuid},
                                        {"from", RevisionJson(*a)},
                                        {"to", RevisionJson(*b)},
                                        {"fields", std::move(fields)}});
}

Response ReviewDates(const Context& ctx) {
  const std::string months_text = ctx.request.Query("months");
  int months = 6;
  if (!months_text.empty()) {
    const std::int64_t n = IfMatchRevision(months_text);
    if (n < 1 || n > 120) return JsonError(400, "months must be a whole number from 1 to 120");
    months = static_cast<int>(n);
  }
  const std::string today = TodayUtc();
  const std::string until = AddMonths(today, months);
  auto due = DueForReview(ctx.store, until, ctx.request.Query("publisher"));
  if (!due.ok()) return Fail(due.status());
  json::array units;
  for (const DueUnit& d : *due) {
    units.push_back(json::object{{"uuid", d.unit.uuid},
                                 {"urn", d.unit.unit.urn},
                                 {"code", d.unit.code},
                                 {"title", d.unit.title},
                                 {"review", d.unit.unit.review},
                                 {"overdue", d.unit.unit.review < today},
                                 {"framework", json::object{{"uuid", d.framework.uuid},
                                                            {"code", d.framework.code},
                                                            {"edition", d.framework.edition},
                                                            {"publisher", d.framework.publisher}}}});
  }
  return JsonResponse(200, json::object{{"months", months},
                                        {"until", until},
                                        {"publisher", ctx.request.Query("publisher")},
                                        {"units", std::move(units)}});
}

Response CreateDraft(const Context& ctx) {
  if (auto refused = Refuse(ctx, Need::kEdit, nullptr)) return *refused;
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status s = CheckStrings(*body, {"code", "edition", "title", "keyPurpose", "publisher"});
      !s.ok()) {
    return Fail(s);
  }
  DraftSpec spec{Str(*body, "code"), Str(*body, "edition"), Str(*body, "title"),
                 Str(*body, "keyPurpose"), Str(*body, "publisher")};
  auto uuid = opennos::CreateDraft(Full(ctx), spec, Who(ctx, Str(*body, "reason")));
  if (!uuid.ok()) return Fail(uuid.status());
  auto f = Full(ctx).GetFramework(*uuid);
  if (!f.ok()) return Fail(f.status());
  Response r = JsonResponse(201, FrameworkBrief(*f));
  r.Set("Location", "/api/v1/frameworks/" + *uuid);
  r.Set("ETag", RevisionEtag(f->revision));
  return r;
}

Response CreateEdition(const Context& ctx) {
  auto f = FindFramework(ctx);
  if (!f.ok()) return Fail(f.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &*f)) return *refused;
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status s = CheckStrings(*body, {"edition", "reason"}); !s.ok()) return Fail(s);
  auto uuid = CreateDraftEdition(Full(ctx), f->uuid, Str(*body, "edition"),
                                 Who(ctx, Str(*body, "reason"), &*f));
  if (!uuid.ok()) return Fail(uuid.status());
  auto draft = Full(ctx).GetFramework(*uuid);
  if (!draft.ok()) return Fail(draft.status());
  Response r = JsonResponse(201, FrameworkBrief(*draft));
  r.Set("Location", "/api/v1/frameworks/" + *uuid);
  return r;
}

Response PatchFramework(const Context& ctx) {
  auto f = FindFramework(ctx);
  if (!f.ok()) return Fail(f.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &*f)) return *refused;
  const std::int64_t expected = IfMatchRevision(ctx.request.Header("if-match"));
  if (expected == 0) {
    return JsonError(428, "send If-Match with the revision you started from (the ETag)");
  }
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto patched = PatchDraft(Full(ctx), f->uuid, *body, expected, Who(ctx, "", &*f));
  if (!patched.ok()) {
    if (patched.status().code() == Status::Code::kConflict && IsPublic(*f) == false) {
      auto now = Full(ctx).GetFramework(f->uuid);
      if (now.ok() && now->revision != expected) {
        Response r = JsonResponse(412, json::object{
            {"error", json::object{{"status", 412},
                                   {"message", "the suite was changed since revision " +
                                                   std::to_string(expected) + ": it is now at " +
                                                   std::to_string(now->revision)}}},
            {"revision", now->revision},
            {"current", FrameworkBrief(*now)}});
        r.Set("ETag", RevisionEtag(now->revision));
        return r;
      }
    }
    return Fail(patched.status());
  }
  Response r = JsonResponse(200, FrameworkBrief(*patched));
  r.Set("ETag", RevisionEtag(patched->revision));
  return r;
}

Response AddItem(const Context& ctx) {
  auto f = FindFramework(ctx);
  if (!f.ok()) return Fail(f.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &*f)) return *refused;
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status s = CheckStrings(*body, {"type", "parent", "code", "title", "text", "urn",
                                      "importUnit", "reason"});
      !s.ok()) {
    return Fail(s);
  }
  int position = -1;
  if (const json::value* p = body->if_contains("position")) {
    if (!p->is_int64() || p->as_int64() < 0 || p->as_int64() > 100000) {
      return JsonError(400, "\"position\" must be a whole number from 0");
    }
    position = static_cast<int>(p->as_int64());
  }
  const ChangeContext who = Who(ctx, Str(*body, "reason"), &*f);
  const std::string parent = Str(*body, "parent");
  Result<Item> added = Status::Invalid("");
  if (!Str(*body, "importUnit").empty()) {
    auto source = CanonicalUuid(Str(*body, "importUnit"));
    if (!source) return JsonError(400, "\"importUnit\" must be a unit's UUID");
    added = ImportUnit(Full(ctx), f->uuid, parent, *source, who);
  } else {
    auto type = ParseItemType(Str(*body, "type"));
    if (!type) return JsonError(400, "\"type\" must be an item type, like performance-criterion");
    NewItem spec{*type, parent, position, Str(*body, "code"), Str(*body, "title"),
                 Str(*body, "text"), Str(*body, "urn")};
    added = opennos::AddItem(Full(ctx), f->uuid, spec, who);
  }
  if (!added.ok()) return Fail(added.status());
  Response r = ItemResponse(201, *added);
  r.Set("Location", "/api/v1/items/" + added->uuid);
  return r;
}

Response PatchItem(const Context& ctx) {
  auto target = FindTarget(ctx);
  if (!target.ok()) return Fail(target.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &target->framework)) return *refused;
  if (target->framework.status != FrameworkStatus::kDraft) {
    // Whatever revision the caller started from, a published item is changed through a draft.
    return JsonError(409, "this item is in a published suite: start a draft edition to change it");
  }
  const std::int64_t expected = IfMatchRevision(ctx.request.Header("if-match"));
  if (expected == 0) {
    return JsonError(428, "send If-Match with the revision you started from (the ETag)");
  }
  if (ctx.request.Header("content-type").rfind("application/merge-patch+json", 0) != 0 &&
      ctx.request.Header("content-type").rfind("application/json", 0) != 0) {
    return JsonError(415, "send the patch as application/merge-patch+json");
  }
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto patched = opennos::PatchItem(Full(ctx), target->item.uuid, *body, expected,
                                    Who(ctx, "", &target->framework));
  if (patched.ok()) return ItemResponse(200, *patched);
  if (patched.status().code() == Status::Code::kConflict) {
    auto now = Full(ctx).GetItem(target->item.uuid);
    if (now.ok() && now->revision != expected) {
      Response r = JsonResponse(412, json::object{
          {"error", json::object{{"status", 412},
                                 {"message", "the item was changed since revision " +
                                                 std::to_string(expected) + ": it is now at " +
                                                 std::to_string(now->revision) +
                                                 "; fetch it, merge, and send that revision"}}},
          {"revision", now->revision},
          {"current", ItemJson(*now)}});
      r.Set("ETag", RevisionEtag(now->revision));
      return r;
    }
  }
  return Fail(patched.status());
}

Response MoveItem(const Context& ctx) {
  auto target = FindTarget(ctx);
  if (!target.ok()) return Fail(target.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &target->framework)) return *refused;
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status s = CheckStrings(*body, {"parent", "reason"}); !s.ok()) return Fail(s);
  int position = -1;
  if (const json::value* p = body->if_contains("position")) {
    if (!p->is_int64() || p->as_int64() < 0 || p->as_int64() > 100000) {
      return JsonError(400, "\"position\" must be a whole number from 0");
    }
    position = static_cast<int>(p->as_int64());
  }
  std::string parent = target->item.parent_uuid;
  if (body->contains("parent")) parent = Str(*body, "parent");
  auto moved = opennos::MoveItem(Full(ctx), target->item.uuid, parent, position,
                                 Who(ctx, Str(*body, "reason"), &target->framework));
  if (!moved.ok()) return Fail(moved.status());
  return ItemResponse(200, *moved);
}

Response DeleteItem(const Context& ctx) {
  auto target = FindTarget(ctx);
  if (!target.ok()) return Fail(target.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &target->framework)) return *refused;
  if (Status s = RemoveItem(Full(ctx), target->item.uuid, Who(ctx, ctx.request.Query("reason"), &target->framework));
      !s.ok()) {
    return Fail(s);
  }
  return Response{204, {}, ""};
}

Response Restore(const Context& ctx) {
  auto target = FindTarget(ctx);
  if (!target.ok()) return Fail(target.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &target->framework)) return *refused;
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  const json::value* n = body->if_contains("revision");
  if (n == nullptr || !n->is_int64() || n->as_int64() < 1) {
    return JsonError(400, "\"revision\" must be the number of the revision to restore");
  }
  const std::int64_t expected = IfMatchRevision(ctx.request.Header("if-match"));
  auto restored = RestoreRevision(Full(ctx), target->item.uuid, n->as_int64(), expected,
                                  Who(ctx, Str(*body, "reason"), &target->framework));
  if (!restored.ok()) return Fail(restored.status());
  return ItemResponse(200, *restored);
}

Response Mappings(const Context& ctx) {
  auto f = FindFramework(ctx);
  if (!f.ok()) return Fail(f.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &*f)) return *refused;
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status s = CheckStrings(*body, {"from", "type", "reason"}); !s.ok()) return Fail(s);
  std::vector<std::string> to;
  if (const json::value* list = body->if_contains("to")) {
    if (!list->is_array()) return JsonError(400, "\"to\" must be a list of unit UUIDs");
    for (const auto& v : list->as_array()) {
      if (!v.is_string()) return JsonError(400, "\"to\" must be a list of unit UUIDs");
      to.emplace_back(v.as_string());
    }
  }
  const std::string type = Str(*body, "type").empty() ? "replacedBy" : Str(*body, "type");
  auto from = CanonicalUuid(Str(*body, "from"));
  if (!from) return JsonError(400, "\"from\" must be the UUID of a unit of the previous edition");
  if (Status s = SetMappings(Full(ctx), f->uuid, *from, type, to, Who(ctx, Str(*body, "reason"), &*f));
      !s.ok()) {
    return Fail(s);
  }
  return JsonResponse(200, json::object{{"from", *from}, {"type", type}, {"to", json::value_from(to)}});
}

Response Publish(const Context& ctx) {
  auto f = FindFramework(ctx);
  if (!f.ok()) return Fail(f.status());
  if (auto refused = Refuse(ctx, Need::kPublish, &*f)) return *refused;
  json::object body;
  if (!ctx.request.body.empty()) {
    auto parsed = Body(ctx);
    if (!parsed.ok()) return Fail(parsed.status());
    body = *parsed;
  }
  const std::string as = Str(body, "as").empty() ? "edition" : Str(body, "as");
  if (as != "edition" && as != "unit-versions") {
    return JsonError(400, "\"as\" must be \"edition\" or \"unit-versions\"");
  }
  auto report = opennos::Publish(Full(ctx), f->uuid,
                                 as == "edition" ? PublishAs::kEdition : PublishAs::kUnitVersions,
                                 TodayUtc(), Who(ctx, Str(body, "reason"), &*f));
  if (!report.ok()) return Fail(report.status());
  auto published = Full(ctx).GetFramework(report->framework_uuid);
  if (!published.ok()) return Fail(published.status());
  return JsonResponse(200, json::object{{"framework", FrameworkBrief(*published)},
                                        {"as", as},
                                        {"carried", report->carried},
                                        {"revised", report->revised},
                                        {"added", report->added},
                                        {"legacy", report->legacy}});
}

RevisionPair PickRevisions(const std::vector<Revision>& history, const Request& request,
                           std::int64_t current) {
  const std::int64_t to =
      request.Query("to").empty() ? current : IfMatchRevision(request.Query("to"));
  const std::int64_t from = request.Query("from").empty() ? std::max<std::int64_t>(1, to - 1)
                                                           : IfMatchRevision(request.Query("from"));
  RevisionPair pair;
  for (const Revision& r : history) {
    if (r.number == from) pair.from = &r;
    if (r.number == to) pair.to = &r;
  }
  return pair;
}

}  // namespace opennos::web::authoring_api
