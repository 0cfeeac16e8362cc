#include "app/authoring.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/codec.h"
#include "core/json_util.h"
#include "core/merge_patch.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "formats/soc.h"

namespace opennos {
namespace json = boost::json;
namespace {

bool IsStructure(ItemType t) {
  return t == ItemType::kKeyArea || t == ItemType::kFunction || t == ItemType::kUnit;
}

// Whether an item of type `child` may sit under `parent` (null: the top of the tree).
bool FitsUnder(ItemType child, const Item* parent) {
  if (child == ItemType::kKeyArea) return parent == nullptr;
  if (child == ItemType::kFunction || child == ItemType::kUnit) {
    return parent == nullptr ? child == ItemType::kUnit
                             : parent->type == ItemType::kKeyArea ||
                                   parent->type == ItemType::kFunction;
  }
  return parent != nullptr && parent->type == ItemType::kUnit;
}

std::string PlaceError(ItemType child) {
  switch (child) {
    case ItemType::kKeyArea: return "a key area belongs at the top of the functional map";
    case ItemType::kFunction: return "a function belongs under a key area or another function";
    case ItemType::kUnit: return "a unit belongs under a key area or a function, or at the top";
    default: return "a statement belongs under a unit";
  }
}

Item* FindItem(FrameworkDoc& doc, std::string_view uuid) {
  for (Item& item : doc.items) {
    if (item.uuid == uuid) return &item;
  }
  return nullptr;
}

const Item* FindItem(const FrameworkDoc& doc, std::string_view uuid) {
  for (const Item& item : doc.items) {
    if (item.uuid == uuid) return &item;
  }
  return nullptr;
}

// Puts items in pre-order by parent and position, and renumbers siblings from 0.
void Reorder(FrameworkDoc& doc) {
  std::map<std::string, std::vector<size_t>> children;
  for (size_t i = 0; i < doc.items.size(); ++i) children[doc.items[i].parent_uuid].push_back(i);
  for (auto& [parent, kids] : children) {
    std::stable_sort(kids.begin(), kids.end(), [&](size_t a, size_t b) {
      return doc.items[a].position < doc.items[b].position;
    });
  }
  std::vector<Item> out;
  out.reserve(doc.items.size());
  std::function<void(const std::string&)> visit = [&](const std::string& parent) {
    auto it = children.find(parent);
    if (it == children.end()) return;
    int position = 0;
    for (size_t i : it->second) {
      Item item = doc.items[i];
      item.position = position++;
      const std::string uuid = item.uuid;
      out.push_back(std::move(item));
      visit(uuid);
    }
  };
  visit("");
  doc.items = std::move(out);
}

// Places `uuid` among the children of `parent` at `index` (-1: last), by positions.
void Place(FrameworkDoc& doc, const std::string& uuid, const std::string& parent, int index) {
  std::vector<Item*> siblings;
  Item* moved = nullptr;
  for (Item& item : doc.items) {
    if (item.uuid == uuid) {
      moved = &item;
    } else if (item.parent_uuid == parent) {
      siblings.push_back(&item);
    }
  }
  std::stable_sort(siblings.begin(), siblings.end(),
                   [](const Item* a, const Item* b) { return a->position < b->position; });
  if (index < 0 || index > static_cast<int>(siblings.size())) {
    index = static_cast<int>(siblings.size());
  }
  siblings.insert(siblings.begin() + index, moved);
  moved->parent_uuid = parent;
  for (size_t i = 0; i < siblings.size(); ++i) siblings[i]->position = static_cast<int>(i);
  Reorder(doc);
}

// The item and everything under it.
std::unordered_set<std::string> Subtree(const FrameworkDoc& doc, const std::string& root) {
  std::unordered_set<std::string> out{root};
  for (const Item& item : doc.items) {  // pre-order: a parent comes before its children
    if (out.count(item.parent_uuid)) out.insert(item.uuid);
  }
  return out;
}

bool CodeTaken(const FrameworkDoc& doc, const std::string& code) {
  for (const Item& item : doc.items) {
    if (item.code == code) return true;
  }
  return false;
}

// The first free code of the form prefix + n (n from 1).
std::string NextCode(const FrameworkDoc& doc, const std::string& prefix) {
  for (int n = 1;; ++n) {
    const std::string code = prefix + std::to_string(n);
    if (!CodeTaken(doc, code)) return code;
  }
}

std::string StatementLetter(ItemType t) {
  switch (t) {
    case ItemType::kPerformanceCriterion: return "P";
    case ItemType::kKnowledge: return "K";
    case ItemType::kBehaviour: return "B";
    case ItemType::kSkill: return "S";
    case ItemType::kScope: return "R";
    case ItemType::kGlossaryTerm: return "G";
    default: return "X";
  }
}

std::string DefaultCode(const FrameworkDoc& doc, ItemType type, const Item* parent) {
  if (type == ItemType::kKeyArea) {
    for (char c = 'A'; c <= 'Z'; ++c) {
      if (!CodeTaken(doc, std::string(1, c))) return std::string(1, c);
    }
    return NextCode(doc, "KA");
  }
  if (type == ItemType::kFunction) return NextCode(doc, parent->code + ".");
  if (type == ItemType::kUnit) return NextCode(doc, doc.framework.code + "U");
  return NextCode(doc, parent->code + "." + StatementLetter(type));
}

Status Save(Store& store, FrameworkDoc& doc, const ChangeContext& who) {
  Reorder(doc);
  if (Status s = ValidateFramework(doc); !s.ok()) return s;
  auto saved = store.SaveFrameworks({doc}, who);
  return saved.ok() ? Status::Ok() : saved.status();
}

// The draft holding an item, loaded whole.
Result<FrameworkDoc> DraftOfItem(Store& store, std::string_view item_uuid) {
  auto item = store.GetItem(item_uuid);
  if (!item.ok()) return item.status();
  return LoadDraft(store, item->framework_uuid);
}

Result<Item> Reload(Store& store, std::string_view item_uuid) { return store.GetItem(item_uuid); }

// The JSON of a unit's content, for comparing two versions of it.
std::string UnitContent(const FrameworkDoc& doc, const Item& unit) {
  json::object o = ItemToJson(unit);
  o.erase("uuid");
  o.erase("version");
  o.erase("validity");
  json::array statements;
  for (const Item& item : doc.items) {
    if (item.parent_uuid != unit.uuid) continue;
    json::object s = ItemToJson(item);
    s.erase("uuid");
    statements.push_back(std::move(s));
  }
  o["statements"] = std::move(statements);
  return CompactJson(o);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Status RequireDraft(const Framework& f) {
  if (f.status == FrameworkStatus::kDraft) return Status::Ok();
  return Status::Conflict(f.code + "@" + f.edition + " is " +
                          std::string(FrameworkStatusName(f.status)) +
                          ", not a draft: only drafts can be edited (create a draft edition)");
}

}  // namespace

bool SameUnitContent(const FrameworkDoc& a_doc, const Item& a, const FrameworkDoc& b_doc,
                     const Item& b) {
  return UnitContent(a_doc, a) == UnitContent(b_doc, b);
}

Result<std::string> CreateDraft(Store& store, const DraftSpec& spec, const ChangeContext& who) {
  if (spec.code.empty()) return Status::Invalid("enter a code for the suite");
  if (spec.edition.empty()) return Status::Invalid("enter an edition for the suite");
  if (spec.title.empty()) return Status::Invalid("enter a title for the suite");
  FrameworkDoc doc;
  Framework& f = doc.framework;
  f.uuid = NewUuid();
  f.code = spec.code;
  f.edition = spec.edition;
  f.title = spec.title;
  f.key_purpose = spec.key_purpose;
  f.publisher = spec.publisher;
  f.status = FrameworkStatus::kDraft;
  if (Status s = Save(store, doc, who); !s.ok()) return s;
  return f.uuid;
}

Result<std::string> CreateDraftEdition(Store& store, std::string_view source_uuid,
                                       const std::string& edition, const ChangeContext& who) {
  if (edition.empty()) return Status::Invalid("enter the new edition, like 2026");
  auto source = store.LoadFramework(source_uuid);
  if (!source.ok()) return source.status();
  if (source->framework.status == FrameworkStatus::kDraft) {
    return Status::Conflict("this is already a draft: edit it instead");
  }
  FrameworkDoc doc;
  doc.framework = source->framework;
  Framework& f = doc.framework;
  f.uuid = NewUuid();
  f.edition = edition;
  f.status = FrameworkStatus::kDraft;
  f.published.clear();
  f.previous_edition = source->framework.code + "@" + source->framework.edition;
  f.revision = 0;
  std::unordered_map<std::string, std::string> renamed;
  for (const Item& old : source->items) renamed[old.uuid] = NameUuid(f.uuid, "copy:" + old.uuid);
  for (const Item& old : source->items) {
    Item item = old;
    item.uuid = renamed[old.uuid];
    item.framework_uuid = f.uuid;
    item.parent_uuid = old.parent_uuid.empty() ? "" : renamed[old.parent_uuid];
    item.revision = 0;
    doc.items.push_back(std::move(item));
  }
  // Associations between the source's own items come along; mappings into the source from
  // older editions stay with it.
  for (const Association& old : source->associations) {
    if (old.type == "replacedBy") continue;
    Association a = old;
    a.uuid = NameUuid(f.uuid, "copy:" + old.uuid);
    a.framework_uuid = f.uuid;
    for (NodeRef* end : {&a.origin, &a.destination}) {
      auto it = renamed.find(end->uuid);
      if (it == renamed.end()) continue;
      end->uuid = it->second;
      end->framework_uuid = f.uuid;
    }
    a.revision = 0;
    doc.associations.push_back(std::move(a));
  }
  for (const Item& old : source->items) {
    if (old.type != ItemType::kUnit) continue;
    Association a;
    a.uuid = NameUuid(f.uuid, "maps:" + old.uuid);
    a.framework_uuid = f.uuid;
    a.type = "replacedBy";
    a.origin = {old.uuid, old.framework_uuid, old.code, "", old.title};
    a.destination = {renamed[old.uuid], f.uuid, old.code, "", old.title};
    doc.associations.push_back(std::move(a));
  }
  if (Status s = Save(store, doc, who); !s.ok()) return s;
  return f.uuid;
}

Result<FrameworkDoc> LoadDraft(Store& store, std::string_view uuid) {
  auto doc = store.LoadFramework(uuid);
  if (!doc.ok()) return doc.status();
  if (Status s = RequireDraft(doc->framework); !s.ok()) return s;
  return doc;
}

Result<Framework> PatchDraft(Store& store, std::string_view uuid, const json::value& patch,
                             std::int64_t expected_revision, const ChangeContext& who) {
  if (!patch.is_object()) return Status::Invalid("the patch must be a JSON object");
  auto doc = LoadDraft(store, uuid);
  if (!doc.ok()) return doc.status();
  for (const char* fixed : {"uuid", "code", "status"}) {
    if (patch.as_object().contains(fixed)) {
      return Status::Invalid(std::string("\"") + fixed + "\" cannot be changed by a patch");
    }
  }
  const json::value merged = ApplyMergePatch(FrameworkToJson(doc->framework), patch);
  if (!merged.is_object()) return Status::Invalid("the patch must leave an object");
  auto f = FrameworkFromJson(merged.as_object(), "");
  if (!f.ok()) return f.status();
  f->uuid = doc->framework.uuid;
  f->status = FrameworkStatus::kDraft;
  doc->framework = *f;
  ChangeContext ctx = who;
  if (expected_revision > 0) ctx.expect.push_back({std::string(uuid), expected_revision});
  if (Status s = Save(store, *doc, ctx); !s.ok()) return s;
  return store.GetFramework(uuid);
}

Result<Item> AddItem(Store& store, std::string_view framework_uuid, const NewItem& spec,
                     const ChangeContext& who) {
  auto doc = LoadDraft(store, framework_uuid);
  if (!doc.ok()) return doc.status();
  const Item* parent = nullptr;
  if (!spec.parent_uuid.empty()) {
    parent = FindItem(*doc, spec.parent_uuid);
    if (parent == nullptr) return Status::Invalid("the parent is not an item of this draft");
  }
  if (!FitsUnder(spec.type, parent)) return Status::Invalid(PlaceError(spec.type));
  if (spec.title.empty() && spec.text.empty()) {
    return Status::Invalid(IsStructure(spec.type) ? "enter a title" : "enter the statement");
  }
  Item item;
  item.uuid = NewUuid();
  item.framework_uuid = doc->framework.uuid;
  item.parent_uuid = spec.parent_uuid;
  item.position = 1 << 30;
  item.type = spec.type;
  item.code = spec.code.empty() ? DefaultCode(*doc, spec.type, parent) : spec.code;
  if (CodeTaken(*doc, item.code)) {
    return Status::Invalid("the code " + item.code + " is already used in this draft");
  }
  item.title = spec.title;
  item.text = spec.text;
  if (spec.type == ItemType::kUnit) {
    item.unit.urn = spec.urn;
    item.unit.status = "original";
    item.unit.validity = "current";
  }
  const std::string uuid = item.uuid;
  doc->items.push_back(std::move(item));
  Place(*doc, uuid, spec.parent_uuid, spec.position);
  if (Status s = Save(store, *doc, who); !s.ok()) return s;
  return Reload(store, uuid);
}

Result<Item> PatchItem(Store& store, std::string_view item_uuid, const json::value& patch,
                       std::int64_t expected_revision, const ChangeContext& who) {
  if (!patch.is_object()) return Status::Invalid("the patch must be a JSON object");
  for (const char* fixed : {"uuid", "type", "children", "parent", "position"}) {
    if (patch.as_object().contains(fixed)) {
      return Status::Invalid(std::string("\"") + fixed +
                             "\" cannot be changed by a patch (move the item instead)");
    }
  }
  auto doc = DraftOfItem(store, item_uuid);
  if (!doc.ok()) return doc.status();
  Item* current = FindItem(*doc, item_uuid);
  const json::value merged = ApplyMergePatch(ItemToJson(*current), patch);
  if (!merged.is_object()) return Status::Invalid("the patch must leave an object");
  auto fresh = ItemFromJson(merged.as_object(), "");
  if (!fresh.ok()) return fresh.status();
  fresh->uuid = current->uuid;
  fresh->framework_uuid = current->framework_uuid;
  fresh->parent_uuid = current->parent_uuid;
  fresh->position = current->position;
  *current = std::move(*fresh);
  ChangeContext ctx = who;
  if (expected_revision > 0) ctx.expect.push_back({std::string(item_uuid), expected_revision});
  if (Status s = Save(store, *doc, ctx); !s.ok()) return s;
  return Reload(store, item_uuid);
}

Result<Item> MoveItem(Store& store, std::string_view item_uuid, const std::string& parent_uuid,
                      int position, const ChangeContext& who) {
  auto doc = DraftOfItem(store, item_uuid);
  if (!doc.ok()) return doc.status();
  const Item* item = FindItem(*doc, item_uuid);
  const Item* parent = nullptr;
  if (!parent_uuid.empty()) {
    parent = FindItem(*doc, parent_uuid);
    if (parent == nullptr) return Status::Invalid("the new parent is not an item of this draft");
    if (Subtree(*doc, item->uuid).count(parent_uuid)) {
      return Status::Invalid("an item cannot move under itself");
    }
  }
  if (!FitsUnder(item->type, parent)) return Status::Invalid(PlaceError(item->type));
  Place(*doc, std::string(item_uuid), parent_uuid, position);
  if (Status s = Save(store, *doc, who); !s.ok()) return s;
  return Reload(store, item_uuid);
}

Status RemoveItem(Store& store, std::string_view item_uuid, const ChangeContext& who) {
  auto doc = DraftOfItem(store, item_uuid);
  if (!doc.ok()) return doc.status();
  const Item* item = FindItem(*doc, item_uuid);
  const std::string parent = item->parent_uuid;
  const auto gone = Subtree(*doc, item->uuid);
  std::erase_if(doc->items, [&](const Item& i) { return gone.count(i.uuid) > 0; });
  std::erase_if(doc->associations, [&](const Association& a) {
    return gone.count(a.origin.uuid) > 0 || gone.count(a.destination.uuid) > 0;
  });
  return Save(store, *doc, who);
}

Result<Item> ImportUnit(Store& store, std::string_view framework_uuid,
                        const std::string& parent_uuid, std::string_view source_unit_uuid,
                        const ChangeContext& who) {
  auto source_unit = store.GetItem(source_unit_uuid);
  if (!source_unit.ok()) return source_unit.status();
  if (source_unit->type != ItemType::kUnit) return Status::Invalid("only a unit can be imported");
  auto source = store.LoadFramework(source_unit->framework_uuid);
  if (!source.ok()) return source.status();
  auto doc = LoadDraft(store, framework_uuid);
  if (!doc.ok()) return doc.status();
  if (doc->framework.uuid == source->framework.uuid) {
    return Status::Invalid("the unit is already in this draft");
  }
  const Item* parent = parent_uuid.empty() ? nullptr : FindItem(*doc, parent_uuid);
  if (!parent_uuid.empty() && parent == nullptr) {
    return Status::Invalid("the parent is not an item of this draft");
  }
  if (!FitsUnder(ItemType::kUnit, parent)) return Status::Invalid(PlaceError(ItemType::kUnit));
  Item unit = *source_unit;
  unit.uuid = NewUuid();
  unit.framework_uuid = doc->framework.uuid;
  unit.parent_uuid = parent_uuid;
  unit.position = 1 << 30;
  unit.revision = 0;
  if (unit.unit.original_urn.empty()) unit.unit.original_urn = source_unit->unit.urn;
  unit.unit.status = "tailored";
  unit.unit.validity = "current";
  unit.unit.version = 0;
  if (CodeTaken(*doc, unit.code)) unit.code = DefaultCode(*doc, ItemType::kUnit, parent);
  const std::string old_prefix = source_unit->code;
  const std::string uuid = unit.uuid;
  doc->items.push_back(unit);
  for (const Item& s : source->items) {
    if (s.parent_uuid != source_unit->uuid) continue;
    Item copy = s;
    copy.uuid = NameUuid(uuid, "copy:" + s.uuid);
    copy.framework_uuid = doc->framework.uuid;
    copy.parent_uuid = uuid;
    copy.revision = 0;
    if (copy.code.rfind(old_prefix, 0) == 0) {
      copy.code = unit.code + copy.code.substr(old_prefix.size());
    }
    if (CodeTaken(*doc, copy.code)) copy.code = DefaultCode(*doc, copy.type, &unit);
    doc->items.push_back(std::move(copy));
  }
  Place(*doc, uuid, parent_uuid, -1);
  if (Status s = Save(store, *doc, who); !s.ok()) return s;
  return Reload(store, uuid);
}

Result<Item> RestoreRevision(Store& store, std::string_view item_uuid, std::int64_t number,
                             std::int64_t expected_revision, const ChangeContext& who) {
  auto history = store.History(item_uuid);
  if (!history.ok()) return history.status();
  const Revision* chosen = nullptr;
  for (const Revision& r : *history) {
    if (r.number == number) chosen = &r;
  }
  if (chosen == nullptr) {
    return Status::NotFound("item " + std::string(item_uuid) + " has no revision " +
                            std::to_string(number));
  }
  if (chosen->after.empty()) return Status::Invalid("that revision removed the item");
  json::value snapshot = json::parse(chosen->after);
  json::object& o = snapshot.as_object();
  o.erase("parent");
  o.erase("position");
  o.erase("uuid");
  o.erase("type");
  // A merge patch that sets every field of the old revision and clears the rest.
  auto current = store.GetItem(item_uuid);
  if (!current.ok()) return current.status();
  json::object patch = o;
  for (const auto& [key, value] : ItemToJson(*current)) {
    if (key != "uuid" && key != "type" && !o.contains(key)) patch[key] = nullptr;
  }
  ChangeContext ctx = who;
  if (ctx.reason.empty()) ctx.reason = "Restored revision " + std::to_string(number);
  return PatchItem(store, item_uuid, patch, expected_revision, ctx);
}

Status SetMappings(Store& store, std::string_view draft_uuid, std::string_view old_unit_uuid,
                   const std::string& type, const std::vector<std::string>& to,
                   const ChangeContext& who) {
  if (type != "replacedBy" && type != "isRelatedTo") {
    return Status::Invalid("a mapping is replacedBy or isRelatedTo");
  }
  auto doc = LoadDraft(store, draft_uuid);
  if (!doc.ok()) return doc.status();
  auto old = store.GetItem(old_unit_uuid);
  if (!old.ok()) return old.status();
  if (old->type != ItemType::kUnit) return Status::Invalid("mappings start from a unit");
  for (const auto& uuid : to) {
    const Item* unit = FindItem(*doc, uuid);
    if (unit == nullptr || unit->type != ItemType::kUnit) {
      return Status::Invalid("a mapping leads to a unit of this draft");
    }
  }
  std::erase_if(doc->associations, [&](const Association& a) {
    return a.type == type && a.origin.uuid == old_unit_uuid;
  });
  for (const auto& uuid : to) {
    const Item* unit = FindItem(*doc, uuid);
    Association a;
    a.uuid = NameUuid(doc->framework.uuid, type + ":" + old->uuid + ">" + uuid);
    a.framework_uuid = doc->framework.uuid;
    a.type = type;
    a.origin = {old->uuid, old->framework_uuid, old->code, "", old->title};
    a.destination = {unit->uuid, doc->framework.uuid, unit->code, "", unit->title};
    doc->associations.push_back(std::move(a));
  }
  return Save(store, *doc, who);
}

Result<std::vector<Finding>> CheckDraft(Store& store, const FrameworkDoc& draft) {
  std::unordered_set<std::string> soc_codes;
  QualityContext context;
  auto soc = ResolveFramework(store, std::string(kSoc2020Code) + "@" +
                                         std::string(kSoc2020Edition));
  if (soc.ok()) {
    auto doc = store.LoadFramework(*soc);
    if (!doc.ok()) return doc.status();
    soc_codes = Soc2020UnitGroupCodes(*doc);
    context.soc2020_codes = &soc_codes;
  }
  context.item_exists = [&store](const std::string& uuid) { return store.GetItem(uuid).ok(); };
  context.urn_exists = [&store](const std::string& urn) {
    auto units = store.FindUnitsByUrn(urn);
    return units.ok() && !units->empty();
  };
  return RunQualityChecks(draft, context);
}

namespace {

// The published framework a draft edition follows, by its previousEdition.
Result<FrameworkDoc> PreviousEdition(Store& store, const Framework& draft) {
  if (draft.previous_edition.empty()) {
    return Status::NotFound("the draft names no previous edition");
  }
  auto uuid = ResolveFramework(store, draft.previous_edition);
  if (!uuid.ok()) return uuid.status();
  return store.LoadFramework(*uuid);
}

// For each unit of the draft, its replacedBy predecessors in `previous`; and for each
// predecessor, its successors.
struct Mapping {
  std::map<std::string, std::vector<const Item*>> predecessors;  // new unit -> old units
  std::map<std::string, int> successors;                          // old unit -> count
};

Mapping MappingOf(const FrameworkDoc& draft, const FrameworkDoc* previous) {
  Mapping m;
  if (previous == nullptr) return m;
  for (const Association& a : draft.associations) {
    if (a.type != "replacedBy") continue;
    const Item* old = FindItem(*previous, a.origin.uuid);
    const Item* fresh = FindItem(draft, a.destination.uuid);
    if (old == nullptr || fresh == nullptr) continue;
    m.predecessors[fresh->uuid].push_back(old);
    ++m.successors[old->uuid];
  }
  return m;
}

// The single predecessor a unit carries on from (same URN, mapped one to one), or null.
const Item* CarriedFrom(const Mapping& m, const Item& unit) {
  auto it = m.predecessors.find(unit.uuid);
  if (it == m.predecessors.end() || it->second.size() != 1) return nullptr;
  const Item* old = it->second.front();
  if (old->unit.urn.empty() || Lower(old->unit.urn) != Lower(unit.unit.urn)) return nullptr;
  auto count = m.successors.find(old->uuid);
  return count != m.successors.end() && count->second == 1 ? old : nullptr;
}

Status BlockingFindings(Store& store, const FrameworkDoc& draft) {
  auto findings = CheckDraft(store, draft);
  if (!findings.ok()) return findings.status();
  int errors = 0;
  std::string first;
  for (const Finding& f : *findings) {
    if (f.severity != Severity::kError) continue;
    if (errors++ == 0) first = f.message;
  }
  if (errors == 0) return Status::Ok();
  return Status::Invalid("the draft has " + std::to_string(errors) + " problem" +
                         (errors == 1 ? "" : "s") + " to fix before publishing, first: " + first);
}

Result<PublishReport> PublishEdition(Store& store, FrameworkDoc draft, const std::string& today,
                                     const ChangeContext& who) {
  auto previous = PreviousEdition(store, draft.framework);
  const bool has_previous = previous.ok();
  if (!has_previous && previous.status().code() != Status::Code::kNotFound) {
    return previous.status();
  }
  const Mapping m = MappingOf(draft, has_previous ? &*previous : nullptr);
  PublishReport report;
  report.framework_uuid = draft.framework.uuid;
  for (Item& unit : draft.items) {
    if (unit.type != ItemType::kUnit) continue;
    unit.unit.validity = "current";
    const Item* old = CarriedFrom(m, unit);
    if (old == nullptr) {
      if (unit.unit.version == 0) unit.unit.version = 1;
      ++report.added;
      continue;
    }
    const int old_version = std::max(old->unit.version, 1);
    if (SameUnitContent(*previous, *old, draft, unit)) {
      unit.unit.version = old_version;
      ++report.carried;
    } else {
      unit.unit.version = old_version + 1;
      ++report.revised;
    }
  }
  draft.framework.status = FrameworkStatus::kApproved;
  if (draft.framework.published.empty()) draft.framework.published = today;
  std::vector<FrameworkDoc> docs;
  if (has_previous) {
    FrameworkDoc& old = *previous;
    old.framework.status = FrameworkStatus::kSuperseded;
    for (Item& unit : old.items) {
      if (unit.type == ItemType::kUnit && !m.successors.count(unit.uuid)) {
        unit.unit.validity = "legacy";
        ++report.legacy;
      }
    }
    docs.push_back(std::move(old));
  }
  docs.push_back(std::move(draft));
  for (const FrameworkDoc& doc : docs) {
    if (Status s = ValidateFramework(doc); !s.ok()) return s;
  }
  auto saved = store.SaveFrameworks(docs, who);
  if (!saved.ok()) return saved.status();
  report.saved = *saved;
  return report;
}

Result<PublishReport> PublishUnitVersions(Store& store, FrameworkDoc draft,
                                          const ChangeContext& who) {
  auto previous = PreviousEdition(store, draft.framework);
  if (!previous.ok()) return previous.status();
  if (previous->framework.status != FrameworkStatus::kApproved) {
    return Status::Conflict(previous->framework.code + "@" + previous->framework.edition +
                            " is not the published edition: publish as a new edition instead");
  }
  const Mapping m = MappingOf(draft, &*previous);
  PublishReport report;
  report.framework_uuid = previous->framework.uuid;
  FrameworkDoc& published = *previous;
  for (const Item& unit : draft.items) {
    if (unit.type != ItemType::kUnit) continue;
    const Item* carried = CarriedFrom(m, unit);
    if (carried == nullptr) {
      return Status::Invalid("unit " + unit.code +
                             " is new or remapped: publish the draft as a new edition instead");
    }
    if (SameUnitContent(published, *carried, draft, unit)) {
      ++report.carried;
      continue;
    }
    Item* target = FindItem(published, carried->uuid);
    // The unit's own fields from the draft, its identity and place from the published one.
    Item next = unit;
    next.uuid = target->uuid;
    next.framework_uuid = target->framework_uuid;
    next.parent_uuid = target->parent_uuid;
    next.position = target->position;
    next.code = target->code;
    next.revision = target->revision;
    next.unit.version = std::max(target->unit.version, 1) + 1;
    next.unit.validity = "current";
    std::unordered_map<std::string, std::string> by_code;
    for (const Item& s : published.items) {
      if (s.parent_uuid == target->uuid) by_code[s.code] = s.uuid;
    }
    std::erase_if(published.items, [&](const Item& s) { return s.parent_uuid == target->uuid; });
    *FindItem(published, next.uuid) = next;
    for (const Item& s : draft.items) {
      if (s.parent_uuid != unit.uuid) continue;
      Item copy = s;
      auto same = by_code.find(s.code);
      copy.uuid = same != by_code.end() ? same->second : NameUuid(next.uuid, "v" +
                      std::to_string(next.unit.version) + ":" + s.code);
      copy.framework_uuid = published.framework.uuid;
      copy.parent_uuid = next.uuid;
      published.items.push_back(std::move(copy));
    }
    ++report.revised;
  }
  for (const Item& old : published.items) {
    if (old.type == ItemType::kUnit && !m.successors.count(old.uuid)) {
      return Status::Invalid("unit " + old.code +
                             " was removed in the draft: publish it as a new edition instead");
    }
  }
  if (report.revised == 0) return Status::Invalid("no unit of the draft differs from the published one");
  Reorder(published);
  if (Status s = ValidateFramework(published); !s.ok()) return s;
  draft.framework.status = FrameworkStatus::kWithdrawn;
  auto saved = store.SaveFrameworks({published, draft}, who);
  if (!saved.ok()) return saved.status();
  report.saved = *saved;
  return report;
}

}  // namespace

Result<PublishReport> Publish(Store& store, std::string_view draft_uuid, PublishAs as,
                              const std::string& today, const ChangeContext& who) {
  auto draft = LoadDraft(store, draft_uuid);
  if (!draft.ok()) return draft.status();
  if (Status s = BlockingFindings(store, *draft); !s.ok()) return s;
  ChangeContext ctx = who;
  if (ctx.reason.empty()) {
    ctx.reason = as == PublishAs::kEdition ? "Published as edition " + draft->framework.edition
                                           : "Published unit versions";
  }
  return as == PublishAs::kEdition ? PublishEdition(store, std::move(*draft), today, ctx)
                                   : PublishUnitVersions(store, std::move(*draft), ctx);
}

Result<std::vector<DueUnit>> DueForReview(Store& store, const std::string& until,
                                          const std::string& publisher) {
  auto list = store.ListFrameworks();
  if (!list.ok()) return list.status();
  std::vector<DueUnit> out;
  for (const FrameworkSummary& s : *list) {
    const Framework& f = s.framework;
    if (f.status != FrameworkStatus::kApproved && f.status != FrameworkStatus::kConsultation) {
      continue;
    }
    if (!publisher.empty() && f.publisher != publisher) continue;
    if (s.units == 0) continue;
    auto doc = store.LoadFramework(f.uuid);
    if (!doc.ok()) return doc.status();
    for (const Item& item : doc->items) {
      if (item.type != ItemType::kUnit || item.unit.validity == "legacy") continue;
      if (item.unit.review.empty() || item.unit.review > until) continue;
      out.push_back({item, f});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const DueUnit& a, const DueUnit& b) {
    return a.unit.unit.review < b.unit.unit.review;
  });
  return out;
}

std::string AddMonths(const std::string& date, int months) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return date;
  const int total = y * 12 + (m - 1) + months;
  y = total / 12;
  m = total % 12 + 1;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = kDays[m - 1];
  if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) last = 29;
  d = std::min(d, last);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace opennos
