#include "web/authoring_pages.h"

#include <map>
#include <unordered_map>

#include "app/authoring.h"
#include "core/codec.h"
#include "core/uuid.h"
#include "core/word_diff.h"
#include "web/auth.h"
#include "web/authoring_access.h"
#include "web/authoring_api.h"
#include "web/lookup.h"

namespace opennos::web::authoring_pages {
namespace json = boost::json;
namespace {

using authoring_api::TodayUtc;

// TEMPORARY until web/respond.h has Redirect (accounts module).
Response Redirect(const std::string& location) {
  return Response{303, {{"Location", location}}, ""};
}

Store& Full(const Context& ctx) { return ctx.full_store != nullptr ? *ctx.full_store : ctx.store; }

std::string DraftUrl(const std::string& uuid) { return "/drafts/" + uuid; }
std::string ItemUrl(const std::string& draft, const std::string& item) {
  return DraftUrl(draft) + "/items/" + item;
}

std::string Label(const Item& item) {
  const std::string& name = item.title.empty() ? item.text : item.title;
  return item.code.empty() ? name : item.code + " " + name;
}

std::string Joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Splits "a, b c" into ["a", "b", "c"] (occupations) or on commas only (keywords).
std::vector<std::string> Split(const std::string& text, bool on_spaces) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text + ",") {
    if (c == ',' || c == ';' || c == '\n' || (on_spaces && (c == ' ' || c == '\t'))) {
      const size_t a = word.find_first_not_of(" \t\r");
      if (a != std::string::npos) out.push_back(word.substr(a, word.find_last_not_of(" \t\r") - a + 1));
      word.clear();
    } else {
      word += c;
    }
  }
  return out;
}

// Loads the draft named by the route's first parameter into `out`, and checks the right to
// `need` it. Returns the page to send instead (sign in first, a refusal, or there is no such
// draft), or nullopt to go ahead.
std::optional<Response> LoadDraftOr(const Context& ctx, Need need, FrameworkDoc& out) {
  // Drafts are for members only: someone signed out is sent to sign in first, before anything
  // is said about whether this draft exists.
  if (ctx.user == nullptr) return Unauthorised(ctx);
  auto uuid = CanonicalUuid(ctx.params[0]);
  if (!uuid) return ProblemPage(ctx, Status::NotFound("there is no draft at this address"));
  auto f = Full(ctx).GetFramework(*uuid);
  if (!f.ok()) return ProblemPage(ctx, Status::NotFound("there is no draft at this address"));
  if (auto refused = Refuse(ctx, need, &*f)) return refused;
  auto doc = LoadDraft(Full(ctx), *uuid);
  if (!doc.ok()) return ProblemPage(ctx, doc.status());
  out = std::move(*doc);
  return std::nullopt;
}

const Item* Find(const FrameworkDoc& doc, std::string_view uuid) {
  for (const Item& item : doc.items) {
    if (item.uuid == uuid) return &item;
  }
  return nullptr;
}

// Findings grouped by item (empty key: the suite record).
using FindingsByItem = std::unordered_map<std::string, std::vector<Finding>>;

FindingsByItem Group(const std::vector<Finding>& findings) {
  FindingsByItem out;
  for (const Finding& f : findings) out[f.item_uuid].push_back(f);
  return out;
}

json::array FindingsJson(const std::vector<Finding>* list, std::string_view field,
                         const std::string& anchor) {
  json::array out;
  if (list == nullptr) return out;
  for (const Finding& f : *list) {
    if (!field.empty() && f.field != field) continue;
    out.push_back(json::object{{"message", f.message},
                               {"error", f.severity == Severity::kError},
                               {"check", f.check},
                               {"anchor", anchor}});
  }
  return out;
}

json::object Counts(const std::vector<Finding>* list) {
  int errors = 0, warnings = 0;
  if (list != nullptr) {
    for (const Finding& f : *list) (f.severity == Severity::kError ? errors : warnings)++;
  }
  return json::object{{"errors", errors}, {"warnings", warnings}, {"clean", errors + warnings == 0}};
}

// The counts of a page's summary: the unit's own findings and its statements'.
json::object SummaryCounts(const json::array& summary) {
  int errors = 0;
  for (const auto& f : summary) errors += f.as_object().at("error").as_bool() ? 1 : 0;
  const int warnings = static_cast<int>(summary.size()) - errors;
  return json::object{{"errors", errors}, {"warnings", warnings}, {"clean", summary.empty()}};
}

json::object DraftHeader(const FrameworkDoc& doc) {
  const Framework& f = doc.framework;
  return json::object{{"uuid", f.uuid},
                      {"code", f.code},
                      {"edition", f.edition},
                      {"suite_title", f.title},
                      {"url", DraftUrl(f.uuid)},
                      {"previous", f.previous_edition},
                      {"revision", f.revision}};
}

// The structure (key areas, functions, units) as a flat list with depth, for the map page and
// the parent choices of forms.
json::array Structure(const FrameworkDoc& doc, const FindingsByItem* findings) {
  std::unordered_map<std::string, int> depth;
  std::unordered_map<std::string, int> siblings;
  for (const Item& item : doc.items) ++siblings[item.parent_uuid];
  json::array out;
  for (const Item& item : doc.items) {
    if (item.type != ItemType::kKeyArea && item.type != ItemType::kFunction &&
        item.type != ItemType::kUnit) {
      continue;
    }
    const int d = item.parent_uuid.empty() ? 0 : depth[item.parent_uuid] + 1;
    depth[item.uuid] = d;
    json::object o{{"uuid", item.uuid},
                   {"code", item.code},
                   {"title", item.title.empty() ? item.text : item.title},
                   {"label", Label(item)},
                   {"type", ItemTypeLabel(item.type)},
                   {"is_unit", item.type == ItemType::kUnit},
                   {"can_hold_units", item.type != ItemType::kUnit},
                   {"can_hold_functions", item.type != ItemType::kUnit},
                   {"indent", std::string(static_cast<size_t>(d) * 2, ' ')},
                   {"depth", d},
                   {"first", item.position == 0},
                   {"last", item.position + 1 == siblings[item.parent_uuid]},
                   {"position", item.position},
                   {"url", ItemUrl(doc.framework.uuid, item.uuid)}};
    if (item.type == ItemType::kUnit) {
      o["urn"] = item.unit.urn;
      const std::vector<Finding>* list = nullptr;
      if (findings != nullptr) {
        auto it = findings->find(item.uuid);
        if (it != findings->end()) list = &it->second;
      }
      // A unit's count includes its statements' findings.
      int errors = 0, warnings = 0;
      if (findings != nullptr) {
        for (const Item& s : doc.items) {
          if (s.uuid != item.uuid && s.parent_uuid != item.uuid) continue;
          auto it = findings->find(s.uuid);
          if (it == findings->end()) continue;
          for (const Finding& f : it->second) (f.severity == Severity::kError ? errors : warnings)++;
        }
      }
      (void)list;
      o["errors"] = errors;
      o["warnings"] = warnings;
      o["clean"] = errors + warnings == 0;
    }
    out.push_back(std::move(o));
  }
  return out;
}

// Where an item may be moved to: the key areas and functions (not itself), and whether the
// top of the map is allowed.
void PutMoveChoices(const FrameworkDoc& doc, const Item& item, json::object& model) {
  json::array holders;
  if (item.type == ItemType::kFunction || item.type == ItemType::kUnit) {
    for (const auto& s : Structure(doc, nullptr)) {
      const auto& o = s.as_object();
      if (!o.at("is_unit").as_bool() && o.at("uuid").as_string() != item.uuid) holders.push_back(s);
    }
  }
  model["top_allowed"] = item.type == ItemType::kUnit;
  model["has_holders"] = !holders.empty();
  model["holders"] = std::move(holders);
}

Result<std::vector<Finding>> Findings(const Context& ctx, const FrameworkDoc& doc) {
  return CheckDraft(Full(ctx), doc);
}

std::string Form(const Context& ctx, std::string_view name) { return FormField(ctx, name); }

// The unit page's view of the unit's own fields, from the stored unit or from what the editor
// sent back.
json::object UnitFieldsJson(const Item& unit) {
  return json::object{{"title", unit.title},
                      {"urn", unit.unit.urn},
                      {"overview", unit.unit.overview},
                      {"review", unit.unit.review},
                      {"occupations", Joined(unit.unit.occupations)},
                      {"keywords", Joined(unit.unit.keywords)},
                      {"developed_by", unit.unit.developed_by},
                      {"category_core", unit.unit.category == "core"},
                      {"category_generic", unit.unit.category == "generic"},
                      {"category_job_specific", unit.unit.category == "job-specific"},
                      {"category_none", unit.unit.category.empty()}};
}

json::object UnitFieldsFromForm(const Context& ctx) {
  const std::string category = Form(ctx, "category");
  return json::object{{"title", Form(ctx, "title")},
                      {"urn", Form(ctx, "urn")},
                      {"overview", Form(ctx, "overview")},
                      {"review", Form(ctx, "review")},
                      {"occupations", Form(ctx, "occupations")},
                      {"keywords", Form(ctx, "keywords")},
                      {"developed_by", Form(ctx, "developed_by")},
                      {"category_core", category == "core"},
                      {"category_generic", category == "generic"},
                      {"category_job_specific", category == "job-specific"},
                      {"category_none", category.empty()}};
}

json::value OrNull(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

json::value ListOrNull(const std::vector<std::string>& list) {
  if (list.empty()) return nullptr;
  json::array a;
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

// The merge patch a unit form asks for.
json::object UnitPatchFromForm(const Context& ctx) {
  return json::object{{"title", OrNull(Form(ctx, "title"))},
                      {"urn", OrNull(Form(ctx, "urn"))},
                      {"overview", OrNull(Form(ctx, "overview"))},
                      {"review", OrNull(Form(ctx, "review"))},
                      {"occupations", ListOrNull(Split(Form(ctx, "occupations"), true))},
                      {"keywords", ListOrNull(Split(Form(ctx, "keywords"), false))},
                      {"developedBy", OrNull(Form(ctx, "developed_by"))},
                      {"category", OrNull(Form(ctx, "category"))}};
}

json::object StatementJson(const FrameworkDoc& doc, const Item& s, const FindingsByItem& found) {
  auto it = found.find(s.uuid);
  const std::vector<Finding>* list = it == found.end() ? nullptr : &it->second;
  std::string code = s.code;
  const size_t dot = code.rfind('.');
  if (dot != std::string::npos) code = code.substr(dot + 1);
  return json::object{{"uuid", s.uuid},
                      {"code", code},
                      {"text", s.text.empty() ? s.title : s.text},
                      {"edit_url", ItemUrl(doc.framework.uuid, s.uuid)},
                      {"anchor", "statement-" + s.uuid},
                      {"findings", FindingsJson(list, "", "statement-" + s.uuid)},
                      {"has_findings", list != nullptr}};
}

// The statement groups of a unit page, in the order NOS shows them.
json::array StatementGroups(const FrameworkDoc& doc, const Item& unit, const FindingsByItem& found) {
  const std::pair<ItemType, const char*> kGroups[] = {
      {ItemType::kPerformanceCriterion, "Performance criteria"},
      {ItemType::kKnowledge, "Knowledge and understanding"},
      {ItemType::kBehaviour, "Behaviours"},
      {ItemType::kSkill, "Skills"},
      {ItemType::kScope, "Scope and range"},
      {ItemType::kGlossaryTerm, "Glossary"},
      {ItemType::kStatement, "Other statements"}};
  json::array out;
  for (const auto& [type, heading] : kGroups) {
    json::array list;
    int count = 0;
    for (const Item& s : doc.items) {
      if (s.parent_uuid != unit.uuid || s.type != type) continue;
      json::object o = StatementJson(doc, s, found);
      o["first"] = count == 0;
      list.push_back(std::move(o));
      ++count;
    }
    if (!list.empty()) list.back().as_object()["last"] = true;
    const bool required = type == ItemType::kPerformanceCriterion || type == ItemType::kKnowledge;
    if (list.empty() && !required) continue;
    out.push_back(json::object{{"heading", heading},
                               {"id", std::string(ItemTypeName(type))},
                               {"statements", std::move(list)},
                               {"empty", count == 0}});
  }
  return out;
}

Response RenderUnit(const Context& ctx, const FrameworkDoc& doc, const Item& unit,
                    json::object fields, json::object extra, int status) {
  auto findings = Findings(ctx, doc);
  if (!findings.ok()) return ProblemPage(ctx, findings.status());
  const FindingsByItem found = Group(*findings);
  auto it = found.find(unit.uuid);
  const std::vector<Finding>* own = it == found.end() ? nullptr : &it->second;
  // Each field's findings beside it; the statement counts beside their headings.
  json::array summary;
  for (const char* field : {"title", "urn", "overview", "review", "occupations", "originalUrn",
                            "performanceCriteria", "knowledge", "links"}) {
    json::array list = FindingsJson(own, field, std::string("field-") + field);
    fields[std::string("findings_") + field] = list;
    fields[std::string("has_findings_") + field] = !list.empty();
    fields[std::string("error_") + field] = false;
    for (const auto& f : list) {
      if (f.as_object().at("error").as_bool()) fields[std::string("error_") + field] = true;
      summary.push_back(f);
    }
  }
  json::array groups = StatementGroups(doc, unit, found);
  for (const auto& g : groups) {
    for (const auto& s : g.as_object().at("statements").as_array()) {
      for (const auto& f : s.as_object().at("findings").as_array()) summary.push_back(f);
    }
  }
  json::object model{{"title", "Edit " + Label(unit)},
                     {"draft", DraftHeader(doc)},
                     {"unit", json::object{{"uuid", unit.uuid},
                                           {"code", unit.code},
                                           {"label", Label(unit)},
                                           {"revision", unit.revision},
                                           {"version", unit.unit.version},
                                           {"original_urn", unit.unit.original_urn},
                                           {"status", unit.unit.status},
                                           {"history_url", "/items/" + unit.uuid + "/history"},
                                           {"action", ItemUrl(doc.framework.uuid, unit.uuid)}}},
                     {"fields", std::move(fields)},
                     {"groups", std::move(groups)},
                     {"summary", summary},
                     {"has_summary", !summary.empty()},
                     {"counts", SummaryCounts(summary)}};
  PutMoveChoices(doc, unit, model);
  for (auto& [k, v] : extra) model[k] = v;
  return HtmlPage(status, "draft_unit", std::move(model), ctx);
}

Response RenderItem(const Context& ctx, const FrameworkDoc& doc, const Item& item,
                    json::object fields, json::object extra, int status) {
  auto findings = Findings(ctx, doc);
  if (!findings.ok()) return ProblemPage(ctx, findings.status());
  const FindingsByItem found = Group(*findings);
  auto it = found.find(item.uuid);
  const std::vector<Finding>* own = it == found.end() ? nullptr : &it->second;
  json::array list = FindingsJson(own, "", "field-text");
  const Item* parent = Find(doc, item.parent_uuid);
  const bool statement = IsStatementType(item.type);
  json::object model{{"title", "Edit " + Label(item)},
                     {"draft", DraftHeader(doc)},
                     {"item", json::object{{"uuid", item.uuid},
                                           {"code", item.code},
                                           {"label", Label(item)},
                                           {"type", ItemTypeLabel(item.type)},
                                           {"revision", item.revision},
                                           {"statement", statement},
                                           {"history_url", "/items/" + item.uuid + "/history"},
                                           {"action", ItemUrl(doc.framework.uuid, item.uuid)}}},
                     {"fields", std::move(fields)},
                     {"findings", list},
                     {"has_findings", !list.empty()},
                     {"has_error", std::any_of(list.begin(), list.end(), [](const json::value& v) {
                        return v.as_object().at("error").as_bool();
                      })},
                     {"back_url", parent != nullptr && parent->type == ItemType::kUnit
                                      ? ItemUrl(doc.framework.uuid, parent->uuid)
                                      : DraftUrl(doc.framework.uuid) + "/map"}};
  PutMoveChoices(doc, item, model);
  for (auto& [k, v] : extra) model[k] = v;
  return HtmlPage(status, "draft_item", std::move(model), ctx);
}

// The revision a form says its editor started from.
std::int64_t FormRevision(const Context& ctx) {
  return authoring_api::IfMatchRevision(Form(ctx, "revision"));
}

// The conflict message: who saved in between, and when.
json::object ConflictJson(Store& store, const Item& now, std::int64_t started) {
  auto history = store.History(now.uuid);
  std::string who, when;
  if (history.ok() && !history->empty()) {
    who = history->back().author;
    when = history->back().at;
  }
  return json::object{{"started", started}, {"current", now.revision}, {"who", who},
                      {"when", when}};
}

}  // namespace

Response Drafts(const Context& ctx) {
  if (auto refused = Refuse(ctx, Need::kRead, nullptr)) return *refused;
  auto list = Full(ctx).ListFrameworks();
  if (!list.ok()) return ProblemPage(ctx, list.status());
  json::array drafts, suites;
  std::map<std::string, const FrameworkSummary*> newest;
  for (const auto& s : *list) {
    const Framework& f = s.framework;
    if (f.status == FrameworkStatus::kDraft) {
      if (Refuse(ctx, Need::kRead, &f)) continue;
      drafts.push_back(json::object{{"url", DraftUrl(f.uuid)}, {"code", f.code},
                                    {"edition", f.edition}, {"title", f.title},
                                    {"units", s.units}, {"previous", f.previous_edition}});
    } else if (IsPublic(f) && !Refuse(ctx, Need::kEdit, &f)) {
      auto it = newest.find(f.code);
      if (it == newest.end() || EditionLess(it->second->framework.edition, f.edition)) {
        newest[f.code] = &s;
      }
    }
  }
  for (const auto& [code, s] : newest) {
    suites.push_back(json::object{{"uuid", s->framework.uuid},
                                  {"label", s->framework.title + " (" + code + "@" +
                                                s->framework.edition + ")"}});
  }
  json::object model{{"title", "Drafts"},
                     {"drafts", std::move(drafts)},
                     {"suites", std::move(suites)},
                     {"nav_drafts", true}};
  model["has_drafts"] = !model["drafts"].as_array().empty();
  model["has_suites"] = !model["suites"].as_array().empty();
  return HtmlPage(200, "drafts", std::move(model), ctx);
}

Response CreateDraft(const Context& ctx) {
  if (auto refused = Refuse(ctx, Need::kEdit, nullptr)) return *refused;
  DraftSpec spec{Form(ctx, "code"), Form(ctx, "edition"), Form(ctx, "title"),
                 Form(ctx, "key_purpose"), Form(ctx, "publisher")};
  auto uuid = opennos::CreateDraft(Full(ctx), spec, WhoFor(ctx, nullptr, "Created the draft"));
  if (!uuid.ok()) return ProblemPage(ctx, uuid.status());
  return Redirect(DraftUrl(*uuid));
}

Response CreateEdition(const Context& ctx) {
  auto source = CanonicalUuid(Form(ctx, "suite"));
  if (!source) return ProblemPage(ctx, Status::Invalid("choose the suite to start a new edition of"));
  auto f = Full(ctx).GetFramework(*source);
  if (!f.ok()) return ProblemPage(ctx, f.status());
  if (auto refused = Refuse(ctx, Need::kEdit, &*f)) return *refused;
  auto uuid = CreateDraftEdition(Full(ctx), f->uuid, Form(ctx, "edition"),
                                 WhoFor(ctx, &*f, "Started edition " + Form(ctx, "edition")));
  if (!uuid.ok()) return ProblemPage(ctx, uuid.status());
  return Redirect(DraftUrl(*uuid));
}

Response TaskList(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kRead, doc)) return *answer;
  auto findings = Findings(ctx, doc);
  if (!findings.ok()) return ProblemPage(ctx, findings.status());
  const FindingsByItem found = Group(*findings);
  auto own = found.find("");
  json::array units;
  for (const auto& s : Structure(doc, &found)) {
    if (s.as_object().at("is_unit").as_bool()) units.push_back(s);
  }
  int errors = 0;
  for (const Finding& f : *findings) errors += f.severity == Severity::kError;
  json::object model{{"title", doc.framework.title + " (draft " + doc.framework.edition + ")"},
                     {"draft", DraftHeader(doc)},
                     {"suite_counts", Counts(own == found.end() ? nullptr : &own->second)},
                     {"unit_count", units.size()},
                     {"units", std::move(units)},
                     {"has_previous", !doc.framework.previous_edition.empty()},
                     {"errors", errors},
                     {"ready", errors == 0},
                     {"nav_drafts", true}};
  return HtmlPage(200, "draft", std::move(model), ctx);
}

Response Details(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kRead, doc)) return *answer;
  const Framework& f = doc.framework;
  auto findings = Findings(ctx, doc);
  if (!findings.ok()) return ProblemPage(ctx, findings.status());
  const FindingsByItem found = Group(*findings);
  auto own = found.find("");
  const std::vector<Finding>* list = own == found.end() ? nullptr : &own->second;
  json::object model{{"title", "Suite details"},
                     {"draft", DraftHeader(doc)},
                     {"fields", json::object{{"title", f.title},
                                             {"key_purpose", f.key_purpose},
                                             {"description", f.description},
                                             {"review", f.review}}},
                     {"findings_title", FindingsJson(list, "title", "field-title")},
                     {"findings_key_purpose", FindingsJson(list, "keyPurpose", "field-key_purpose")}};
  return HtmlPage(200, "draft_details", std::move(model), ctx);
}

Response SaveDetails(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kEdit, doc)) return *answer;
  const Framework& f = doc.framework;
  json::object patch{{"title", OrNull(Form(ctx, "title"))},
                     {"keyPurpose", OrNull(Form(ctx, "key_purpose"))},
                     {"description", OrNull(Form(ctx, "description"))},
                     {"review", OrNull(Form(ctx, "review"))}};
  auto saved = PatchDraft(Full(ctx), f.uuid, patch, FormRevision(ctx),
                          WhoFor(ctx, &f, Form(ctx, "reason")));
  if (saved.ok()) return Redirect(DraftUrl(f.uuid));
  json::object model{{"title", "Suite details"},
                     {"draft", DraftHeader(doc)},
                     {"fields", json::object{{"title", Form(ctx, "title")},
                                             {"key_purpose", Form(ctx, "key_purpose")},
                                             {"description", Form(ctx, "description")},
                                             {"review", Form(ctx, "review")}}},
                     {"problem", saved.status().message()},
                     {"conflict", saved.status().code() == Status::Code::kConflict}};
  return HtmlPage(saved.status().code() == Status::Code::kConflict ? 409 : 400, "draft_details",
                  std::move(model), ctx);
}

Response Map(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kRead, doc)) return *answer;
  json::array structure = Structure(doc, nullptr);
  json::array areas, holders;
  for (const auto& s : structure) {
    const auto& o = s.as_object();
    if (o.at("type").as_string() == ItemTypeLabel(ItemType::kKeyArea) ||
        o.at("type").as_string() == ItemTypeLabel(ItemType::kFunction)) {
      holders.push_back(s);
    }
    if (o.at("type").as_string() == ItemTypeLabel(ItemType::kKeyArea)) areas.push_back(s);
  }
  json::object model{{"title", "Functional map: " + doc.framework.title},
                     {"draft", DraftHeader(doc)},
                     {"key_purpose", doc.framework.key_purpose},
                     {"structure", std::move(structure)},
                     {"holders", holders},
                     {"has_holders", !holders.empty()},
                     {"areas", std::move(areas)},
                     {"map_url", DraftUrl(doc.framework.uuid) + "/map"}};
  model["empty"] = model["structure"].as_array().empty();
  return HtmlPage(200, "draft_map", std::move(model), ctx);
}

Response AddItem(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kEdit, doc)) return *answer;
  const Framework& f = doc.framework;
  const std::string parent = Form(ctx, "parent");
  const ChangeContext who = WhoFor(ctx, &f, Form(ctx, "reason"));
  std::string back = Form(ctx, "back");
  if (back.rfind(DraftUrl(f.uuid), 0) != 0) back = DraftUrl(f.uuid) + "/map";
  if (!Form(ctx, "import_urn").empty()) {
    std::vector<Item> others;
    auto source = FindUnit(ctx.store, Form(ctx, "import_urn"), "", &others);
    if (!source.ok()) return ProblemPage(ctx, source.status());
    auto copy = ImportUnit(Full(ctx), f.uuid, parent, source->uuid, who);
    if (!copy.ok()) return ProblemPage(ctx, copy.status());
    return Redirect(ItemUrl(f.uuid, copy->uuid));
  }
  auto type = ParseItemType(Form(ctx, "type"));
  if (!type) return ProblemPage(ctx, Status::Invalid("choose what to add"));
  NewItem spec{*type, parent, -1, Form(ctx, "code"), Form(ctx, "title"), Form(ctx, "text"),
               Form(ctx, "urn")};
  auto added = opennos::AddItem(Full(ctx), f.uuid, spec, who);
  if (!added.ok()) return ProblemPage(ctx, added.status());
  if (added->type == ItemType::kUnit) return Redirect(ItemUrl(f.uuid, added->uuid));
  return Redirect(back + "#" + (IsStatementType(added->type) ? "statement-" + added->uuid
                                                               : "map-" + added->uuid));
}

Response ItemPage(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kRead, doc)) return *answer;
  const Item* item = Find(doc, ctx.params[1]);
  if (item == nullptr) return NotFoundPage(ctx, "this draft has no such item");
  if (item->type == ItemType::kUnit) {
    return RenderUnit(ctx, doc, *item, UnitFieldsJson(*item), {}, 200);
  }
  return RenderItem(ctx, doc, *item,
                    json::object{{"title", item->title}, {"text", item->text}}, {}, 200);
}

Response SaveItem(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kEdit, doc)) return *answer;
  const Item* item = Find(doc, ctx.params[1]);
  if (item == nullptr) return NotFoundPage(ctx, "this draft has no such item");
  const bool unit = item->type == ItemType::kUnit;
  json::object patch;
  if (unit) {
    patch = UnitPatchFromForm(ctx);
  } else {
    patch["title"] = OrNull(Form(ctx, "title"));
    patch["text"] = OrNull(Form(ctx, "text"));
  }
  const std::int64_t started = FormRevision(ctx);
  auto saved = opennos::PatchItem(Full(ctx), item->uuid, patch, started,
                                  WhoFor(ctx, &doc.framework, Form(ctx, "reason")));
  if (saved.ok()) {
    const Item* parent = Find(doc, item->parent_uuid);
    if (!unit && parent != nullptr && parent->type == ItemType::kUnit) {
      return Redirect(ItemUrl(doc.framework.uuid, parent->uuid) + "#statement-" + item->uuid);
    }
    return Redirect(unit ? ItemUrl(doc.framework.uuid, item->uuid) + "?saved=1"
                         : DraftUrl(doc.framework.uuid) + "/map");
  }
  // Nothing was saved: show the editor's text back, with why.
  auto fresh = LoadDraft(Full(ctx), doc.framework.uuid);
  if (!fresh.ok()) return ProblemPage(ctx, fresh.status());
  const Item* now = Find(*fresh, item->uuid);
  if (now == nullptr) return ProblemPage(ctx, Status::Conflict("someone removed this item meanwhile"));
  json::object extra{{"reason", Form(ctx, "reason")}};
  int status = 400;
  if (saved.status().code() == Status::Code::kConflict) {
    status = 409;
    extra["conflict"] = ConflictJson(Full(ctx), *now, started);
    extra["saved_fields"] = unit ? UnitFieldsJson(*now)
                                 : json::object{{"title", now->title}, {"text", now->text}};
  } else {
    extra["problem"] = saved.status().message();
  }
  // The form now carries the current revision: saving again replaces what is saved.
  Item shown = *now;
  json::object fields = unit ? UnitFieldsFromForm(ctx)
                             : json::object{{"title", Form(ctx, "title")}, {"text", Form(ctx, "text")}};
  return unit ? RenderUnit(ctx, *fresh, shown, std::move(fields), std::move(extra), status)
              : RenderItem(ctx, *fresh, shown, std::move(fields), std::move(extra), status);
}

Response MoveItem(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kEdit, doc)) return *answer;
  const Item* item = Find(doc, ctx.params[1]);
  if (item == nullptr) return NotFoundPage(ctx, "this draft has no such item");
  std::string parent = item->parent_uuid;
  int position = item->position;
  const std::string direction = Form(ctx, "direction");
  if (direction == "up") {
    position = std::max(0, position - 1);
  } else if (direction == "down") {
    position = position + 1;
  } else {
    parent = Form(ctx, "parent") == "top" ? "" : Form(ctx, "parent");
    position = -1;
  }
  auto moved = opennos::MoveItem(Full(ctx), item->uuid, parent, position,
                                 WhoFor(ctx, &doc.framework, Form(ctx, "reason")));
  if (!moved.ok()) return ProblemPage(ctx, moved.status());
  std::string back = Form(ctx, "back");
  if (back.rfind(DraftUrl(doc.framework.uuid), 0) != 0) back = DraftUrl(doc.framework.uuid) + "/map";
  return Redirect(back + (IsStatementType(item->type) ? "#statement-" : "#map-") + item->uuid);
}

Response ConfirmRemove(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kEdit, doc)) return *answer;
  const Item* item = Find(doc, ctx.params[1]);
  if (item == nullptr) return NotFoundPage(ctx, "this draft has no such item");
  int under = -1;
  for (const Item& i : doc.items) {
    for (const Item* p = &i; p != nullptr; p = Find(doc, p->parent_uuid)) {
      if (p->uuid == item->uuid) {
        ++under;
        break;
      }
    }
  }
  const Item* parent = Find(doc, item->parent_uuid);
  json::object model{{"title", "Remove " + Label(*item)},
                     {"draft", DraftHeader(doc)},
                     {"label", Label(*item)},
                     {"type", ItemTypeLabel(item->type)},
                     {"under", under},
                     {"has_under", under > 0},
                     {"action", ItemUrl(doc.framework.uuid, item->uuid) + "/remove"},
                     {"back_url", parent != nullptr && parent->type == ItemType::kUnit
                                      ? ItemUrl(doc.framework.uuid, parent->uuid)
                                      : DraftUrl(doc.framework.uuid) + "/map"}};
  return HtmlPage(200, "draft_remove", std::move(model), ctx);
}

Response RemoveItem(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kEdit, doc)) return *answer;
  const Item* item = Find(doc, ctx.params[1]);
  if (item == nullptr) return NotFoundPage(ctx, "this draft has no such item");
  const Item* parent = Find(doc, item->parent_uuid);
  const std::string back = parent != nullptr && parent->type == ItemType::kUnit
                               ? ItemUrl(doc.framework.uuid, parent->uuid)
                               : DraftUrl(doc.framework.uuid) + "/map";
  if (Status s = opennos::RemoveItem(Full(ctx), item->uuid,
                                     WhoFor(ctx, &doc.framework, Form(ctx, "reason")));
      !s.ok()) {
    return ProblemPage(ctx, s);
  }
  return Redirect(back);
}

Response Restore(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kEdit, doc)) return *answer;
  const Item* item = Find(doc, ctx.params[1]);
  if (item == nullptr) return NotFoundPage(ctx, "this draft has no such item");
  const std::int64_t number = authoring_api::IfMatchRevision(Form(ctx, "number"));
  auto restored = RestoreRevision(Full(ctx), item->uuid, number, FormRevision(ctx),
                                  WhoFor(ctx, &doc.framework, ""));
  if (!restored.ok()) return ProblemPage(ctx, restored.status());
  return Redirect("/items/" + item->uuid + "/history?restored=" + std::to_string(number));
}

Response Mappings(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kRead, doc)) return *answer;
  auto previous_uuid = ResolveFramework(Full(ctx), doc.framework.previous_edition);
  if (!previous_uuid.ok()) return ProblemPage(ctx, Status::NotFound("this draft follows no edition"));
  auto previous = Full(ctx).LoadFramework(*previous_uuid);
  if (!previous.ok()) return ProblemPage(ctx, previous.status());
  std::multimap<std::string, std::pair<std::string, std::string>> mapped;  // old -> (type, new)
  for (const Association& a : doc.associations) {
    if (a.type == "replacedBy" || a.type == "isRelatedTo") {
      mapped.emplace(a.origin.uuid, std::make_pair(a.type, a.destination.uuid));
    }
  }
  std::vector<const Item*> new_units;
  for (const Item& u : doc.items) {
    if (u.type == ItemType::kUnit) new_units.push_back(&u);
  }
  json::array rows;
  for (const Item& old : previous->items) {
    if (old.type != ItemType::kUnit) continue;
    json::array choices, replaced_by, related;
    for (const Item* u : new_units) {
      bool replaced = false, relates = false;
      for (auto [it, end] = mapped.equal_range(old.uuid); it != end; ++it) {
        if (it->second.second != u->uuid) continue;
        (it->second.first == "replacedBy" ? replaced : relates) = true;
      }
      choices.push_back(json::object{{"uuid", u->uuid}, {"label", Label(*u)},
                                     {"replaced", replaced}, {"related", relates}});
      if (replaced) replaced_by.push_back(json::value(Label(*u)));
      if (relates) related.push_back(json::value(Label(*u)));
    }
    rows.push_back(json::object{{"uuid", old.uuid},
                                {"label", Label(old)},
                                {"choices", std::move(choices)},
                                {"replaced_by", replaced_by},
                                {"related", related},
                                {"has_replaced_by", !replaced_by.empty()},
                                {"has_related", !related.empty()},
                                {"editing", ctx.request.Query("unit") == old.uuid}});
  }
  json::object model{{"title", "Mappings from " + previous->framework.edition},
                     {"draft", DraftHeader(doc)},
                     {"previous_edition", previous->framework.edition},
                     {"rows", std::move(rows)},
                     {"action", DraftUrl(doc.framework.uuid) + "/mappings"}};
  return HtmlPage(200, "draft_mappings", std::move(model), ctx);
}

Response SaveMapping(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kEdit, doc)) return *answer;
  const std::string from = Form(ctx, "from");
  std::vector<std::string> replaced, related;
  for (const auto& [name, value] : FormFields(ctx)) {
    if (name == "replaced_by") replaced.push_back(value);
    if (name == "related_to") related.push_back(value);
  }
  const ChangeContext who = WhoFor(ctx, &doc.framework, Form(ctx, "reason"));
  if (Status s = SetMappings(Full(ctx), doc.framework.uuid, from, "replacedBy", replaced, who);
      !s.ok()) {
    return ProblemPage(ctx, s);
  }
  if (Status s = SetMappings(Full(ctx), doc.framework.uuid, from, "isRelatedTo", related, who);
      !s.ok()) {
    return ProblemPage(ctx, s);
  }
  return Redirect(DraftUrl(doc.framework.uuid) + "/mappings#unit-" + from);
}

Response CheckAnswers(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kRead, doc)) return *answer;
  auto findings = Findings(ctx, doc);
  if (!findings.ok()) return ProblemPage(ctx, findings.status());
  json::array errors;
  int warnings = 0;
  for (const Finding& f : *findings) {
    if (f.severity != Severity::kError) {
      ++warnings;
      continue;
    }
    const Item* item = Find(doc, f.item_uuid);
    const Item* unit = item;
    while (unit != nullptr && unit->type != ItemType::kUnit) unit = Find(doc, unit->parent_uuid);
    errors.push_back(json::object{
        {"message", (item != nullptr ? item->code + ": " : std::string()) + f.message},
        {"url", unit != nullptr ? ItemUrl(doc.framework.uuid, unit->uuid)
                                : DraftUrl(doc.framework.uuid) + "/details"}});
  }
  int units = 0, statements = 0;
  for (const Item& i : doc.items) {
    units += i.type == ItemType::kUnit;
    statements += IsStatementType(i.type);
  }
  json::object model{{"title", "Check your answers before publishing"},
                     {"draft", DraftHeader(doc)},
                     {"key_purpose", doc.framework.key_purpose},
                     {"units", units},
                     {"statements", statements},
                     {"warnings", warnings},
                     {"errors", errors},
                     {"has_errors", !errors.empty()},
                     {"has_previous", !doc.framework.previous_edition.empty()},
                     {"action", DraftUrl(doc.framework.uuid) + "/publish"}};
  return HtmlPage(200, "draft_publish", std::move(model), ctx);
}

Response Publish(const Context& ctx) {
  FrameworkDoc doc;
  if (auto answer = LoadDraftOr(ctx, Need::kPublish, doc)) return *answer;
  const std::string as = Form(ctx, "as");
  if (as != "edition" && as != "unit-versions") {
    return ProblemPage(ctx, Status::Invalid("choose how to publish the draft"));
  }
  auto report = opennos::Publish(Full(ctx), doc.framework.uuid,
                                 as == "edition" ? PublishAs::kEdition : PublishAs::kUnitVersions,
                                 TodayUtc(), WhoFor(ctx, &doc.framework, Form(ctx, "reason")));
  if (!report.ok()) return ProblemPage(ctx, report.status());
  auto published = Full(ctx).GetFramework(report->framework_uuid);
  if (!published.ok()) return ProblemPage(ctx, published.status());
  return Redirect(SuiteUrl(*published) + "?published=" + std::to_string(report->revised) + "-" +
                  std::to_string(report->carried) + "-" + std::to_string(report->added));
}

// The item named by the route, its suite and its history, for its history and diff pages: a
// published item for anyone, a draft's for those who may read it (404 for others).
struct ItemHistory {
  std::string uuid;
  Item item;
  Framework framework;
  std::vector<Revision> revisions;
};

std::optional<Response> LoadItemHistory(const Context& ctx, ItemHistory& out) {
  auto uuid = CanonicalUuid(ctx.params[0]);
  if (!uuid) return NotFoundPage(ctx, "there is no item at this address");
  auto item = Full(ctx).GetItem(*uuid);
  if (!item.ok()) return NotFoundPage(ctx, "there is no item at this address");
  auto f = Full(ctx).GetFramework(item->framework_uuid);
  if (!f.ok()) return ProblemPage(ctx, f.status());
  if (!IsPublic(*f)) {
    if (auto refused = Refuse(ctx, Need::kRead, &*f)) {
      return refused->status == 403 ? NotFoundPage(ctx, "there is no item at this address")
                                    : *refused;
    }
  }
  auto history = Full(ctx).History(*uuid);
  if (!history.ok()) return ProblemPage(ctx, history.status());
  out = {*uuid, std::move(*item), std::move(*f), std::move(*history)};
  return std::nullopt;
}

Response History(const Context& ctx) {
  ItemHistory h;
  if (auto refused = LoadItemHistory(ctx, h)) return *refused;
  const std::string* uuid = &h.uuid;
  const Item* item = &h.item;
  const Framework* f = &h.framework;
  const std::vector<Revision>* history = &h.revisions;
  const bool draft = f->status == FrameworkStatus::kDraft;
  json::array rows;
  for (auto it = history->rbegin(); it != history->rend(); ++it) {
    const Revision& r = *it;
    std::vector<std::string> changed;
    for (const FieldDiff& fd : DiffSnapshots(r.before, r.after)) {
      if (fd.changed && fd.field != "position") changed.push_back(fd.field);
    }
    rows.push_back(json::object{{"number", r.number},
                                {"author", r.author},
                                {"at", r.at},
                                {"reason", r.reason},
                                {"changed", Joined(changed)},
                                {"removed", r.after.empty()},
                                {"current", r.number == item->revision},
                                {"can_restore", draft && !r.after.empty() && r.number != item->revision},
                                {"previous", r.number > 1 ? r.number - 1 : 0},
                                {"diff_url", "/items/" + *uuid + "/diff?from=" +
                                                 std::to_string(r.number > 1 ? r.number - 1 : 1) +
                                                 "&to=" + std::to_string(r.number)}});
  }
  json::object model{{"title", "History of " + Label(*item)},
                     {"label", Label(*item)},
                     {"uuid", *uuid},
                     {"revision", item->revision},
                     {"suite", f->title + " (" + f->edition + ")"},
                     {"draft", draft},
                     {"back_url", draft ? ItemUrl(f->uuid, item->uuid)
                                        : item->unit.urn.empty() ? "/items/" + *uuid
                                                                 : UnitUrl(*item, *f, true)},
                     {"restore_action", ItemUrl(f->uuid, item->uuid) + "/restore"},
                     {"restored", ctx.request.Query("restored")},
                     {"rows", std::move(rows)},
                     {"several", history->size() > 1},
                     {"latest", item->revision},
                     {"before_latest", item->revision > 1 ? item->revision - 1 : 1}};
  return HtmlPage(200, "history", std::move(model), ctx);
}

Response Diff(const Context& ctx) {
  ItemHistory h;
  if (auto refused = LoadItemHistory(ctx, h)) return *refused;
  const std::string* uuid = &h.uuid;
  const Item* item = &h.item;
  const auto [a, b] = authoring_api::PickRevisions(h.revisions, ctx.request, item->revision);
  if (a == nullptr || b == nullptr) {
    return ProblemPage(ctx, Status::Invalid("choose two revisions of this item to compare"));
  }
  json::array fields;
  for (const FieldDiff& fd : DiffSnapshots(a->after, b->after)) {
    if (fd.field == "position" || fd.field == "parent") continue;
    json::array pieces;
    for (const DiffPiece& p : fd.pieces) {
      pieces.push_back(json::object{{"text", p.text},
                                    {"added", p.kind == DiffPiece::Kind::kAdded},
                                    {"removed", p.kind == DiffPiece::Kind::kRemoved},
                                    {"same", p.kind == DiffPiece::Kind::kSame}});
    }
    fields.push_back(json::object{{"field", fd.field}, {"changed", fd.changed},
                                  {"pieces", std::move(pieces)}});
  }
  json::object model{{"title", "Changes to " + Label(*item)},
                     {"label", Label(*item)},
                     {"from", json::object{{"number", a->number}, {"author", a->author},
                                           {"at", a->at}, {"reason", a->reason}}},
                     {"to", json::object{{"number", b->number}, {"author", b->author},
                                         {"at", b->at}, {"reason", b->reason}}},
                     {"fields", std::move(fields)},
                     {"history_url", "/items/" + *uuid + "/history"}};
  return HtmlPage(200, "diff", std::move(model), ctx);
}

Response ReviewDates(const Context& ctx) {
  const std::string months_text = ctx.request.Query("months");
  int months = 6;
  std::string problem;
  if (!months_text.empty()) {
    const std::int64_t n = authoring_api::IfMatchRevision(months_text);
    if (n < 1 || n > 120) {
      problem = "Enter a number of months from 1 to 120";
    } else {
      months = static_cast<int>(n);
    }
  }
  const std::string publisher = ctx.request.Query("publisher");
  const std::string today = TodayUtc();
  const std::string until = AddMonths(today, months);
  auto due = DueForReview(ctx.store, until, publisher);
  if (!due.ok()) return ProblemPage(ctx, due.status());
  auto list = ctx.store.ListFrameworks();
  if (!list.ok()) return ProblemPage(ctx, list.status());
  std::vector<std::string> publishers;
  for (const auto& s : *list) {
    const std::string& p = s.framework.publisher;
    if (!p.empty() && std::find(publishers.begin(), publishers.end(), p) == publishers.end()) {
      publishers.push_back(p);
    }
  }
  std::sort(publishers.begin(), publishers.end());
  json::array options{json::object{{"value", ""}, {"label", "Every organisation"},
                                   {"selected", publisher.empty()}}};
  for (const auto& p : publishers) {
    options.push_back(json::object{{"value", p}, {"label", p}, {"selected", p == publisher}});
  }
  json::array rows;
  for (const DueUnit& d : *due) {
    rows.push_back(json::object{{"urn", d.unit.unit.urn.empty() ? d.unit.code : d.unit.unit.urn},
                                {"title", d.unit.title},
                                {"url", UnitUrl(d.unit, d.framework, true)},
                                {"suite", d.framework.code + "@" + d.framework.edition},
                                {"publisher", d.framework.publisher},
                                {"review", d.unit.unit.review},
                                {"overdue", d.unit.unit.review < today}});
  }
  json::object model{{"title", "Standards due for review"},
                     {"months", problem.empty() ? std::to_string(months) : months_text},
                     {"problem", problem},
                     {"until", until},
                     {"options", std::move(options)},
                     {"count", rows.size()},
                     {"rows", std::move(rows)}};
  model["has_rows"] = !model["rows"].as_array().empty();
  return HtmlPage(problem.empty() ? 200 : 400, "review_dates", std::move(model), ctx);
}

}  // namespace opennos::web::authoring_pages
