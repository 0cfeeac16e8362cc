// Reads CASE packages element by element (formats/json_stream.h): a CFItem or CFAssociation
// is turned into the model, and what it says beyond what the writer would derive is kept in
// `extra`, as soon as it is read; only the model and those differences stay in memory.

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/codec.h"
#include "core/json_util.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "formats/case.h"
#include "formats/case_internal.h"
#include "formats/json_stream.h"

namespace opennos {
namespace json = boost::json;
using namespace case_detail;

namespace {

// std::hash over string_view, so that a map keyed by std::string is searched without a copy.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

constexpr std::int64_t kNoSequence = std::numeric_limits<std::int64_t>::max();
constexpr size_t kNoParent = std::numeric_limits<size_t>::max();

// The tree (isChildOf) association an item came with.
struct TreeLink {
  bool present = false;
  size_t index = 0;             // its place in CFAssociations, for messages
  size_t parent = kNoParent;    // the parent item's place in CFItems; kNoParent: the document
  std::int64_t sequence = kNoSequence;  // as the package gave it
  json::object kept;  // what it says beyond the derivable (its sequenceNumber is checked last)
};

// Drops extensions.opennos (the model holds it) and an emptied extensions object.
void StripOpenNos(json::object& kept) {
  auto* ext = kept.if_contains("extensions");
  if (ext == nullptr || !ext->is_object()) return;
  ext->as_object().stable_erase("opennos");
  if (ext->as_object().empty()) kept.stable_erase("extensions");
}

// An entity's `extra`: its own fields (`own`, an object's text or empty, never with a "case"
// key) and then what its package said beyond the model under "case".
std::string JoinExtra(const std::string& own, json::object case_part) {
  json::object extra = own.empty() ? json::object() : json::parse(own).as_object();
  if (!case_part.empty()) extra["case"] = std::move(case_part);
  return extra.empty() ? std::string() : CompactJson(extra);
}

std::string DerivedCode(const std::string& title, const std::string& uuid) {
  std::string code;
  bool start = true;
  for (char c : title) {
    const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (alnum && start && code.size() < 6) {
      code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    start = !alnum;
  }
  return (code.empty() ? "CASE" : code) + "-" + uuid.substr(0, 4);
}

class CaseReader final : public JsonMemberSink {
 public:
  // `size_hint`: the package's size in bytes, if known (0: not known).
  CaseReader(const std::string& source, std::uintmax_t size_hint)
      : source_(source), size_hint_(size_hint) {}

  Status Member(std::string_view key, json::value value) override {
    if (!keys_.insert(std::string(key)).second) {
      return Error(PointerJoin("", key), "the package gives this field twice");
    }
    if (key == "CFDocument") {
      if (!value.is_object()) return Error("/CFDocument", "missing or not an object");
      if (Status s = ReadDocument(value.get_object()); !s.ok()) return s;
      have_document_ = true;
      return Drain();
    }
    if (key == "CFItems" || key == "CFAssociations") {
      if (!value.is_null()) return Error(PointerJoin("", key), "expected an array");
      return key == "CFItems" ? ItemsDone() : Status::Ok();
    }
    top_[key] = json::value(value, json::storage_ptr());
    return Status::Ok();
  }

  Status Element(std::string_view key, size_t index, json::value value) override {
    if (index == 0 && keys_.count(std::string(key))) {
      return Error(PointerJoin("", key), "the package gives this field twice");
    }
    if (key == "CFItems") {
      if (!have_document_) {
        pending_items_.emplace_back(value, json::storage_ptr());
        return Status::Ok();
      }
      return ReadItem(value, index);
    }
    if (!have_document_ || !items_done_) {
      pending_associations_.emplace_back(value, json::storage_ptr());
      return Status::Ok();
    }
    return ReadAssociation(value, associations_read_++);
  }

  Status ArrayEnd(std::string_view key) override {
    if (!keys_.insert(std::string(key)).second) {
      return Error(PointerJoin("", key), "the package gives this field twice");
    }
    return key == "CFItems" ? ItemsDone() : Status::Ok();
  }

  Result<FrameworkDoc> Finish() {
    if (!have_document_) return Error("/CFDocument", "missing or not an object");
    if (Status s = ItemsDone(); !s.ok()) return s;
    if (Status s = BuildTree(); !s.ok()) return s;
    KeepPackageExtras();
    if (Status s = ValidateFramework(doc_); !s.ok()) return s.WithContext(source_);
    return std::move(doc_);
  }

 private:
  Status Error(const std::string& pointer, const std::string& what) const {
    return Status::Invalid(source_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + what);
  }

  Status ItemsDone() {
    items_done_ = true;
    return Drain();
  }

  // Reads what waited for the document (items) or for the items (associations).
  Status Drain() {
    if (!have_document_) return Status::Ok();
    for (size_t i = 0; i < pending_items_.size(); ++i) {
      if (Status s = ReadItem(pending_items_[i], i); !s.ok()) return s;
    }
    pending_items_.clear();
    if (!items_done_) return Status::Ok();
    for (json::value& v : pending_associations_) {
      if (Status s = ReadAssociation(v, associations_read_++); !s.ok()) return s;
    }
    pending_associations_.clear();
    return Status::Ok();
  }

  Result<std::string> Identifier(const json::object& o, const std::string& pointer) {
    const auto* v = o.if_contains("identifier");
    if (v == nullptr || !v->is_string()) return Error(pointer + "/identifier", "missing or not a string");
    auto u = CanonicalUuid(v->get_string());
    if (!u) return Error(pointer + "/identifier", "\"" + std::string(v->get_string()) + "\" is not a UUID");
    return *u;
  }

  const Item* FindItem(const std::string& uuid) const {
    auto it = item_index_.find(uuid);
    return it == item_index_.end() ? nullptr : &items_[it->second];
  }

  Status ReadDocument(const json::object& d) {
    Framework& f = doc_.framework;
    auto id = Identifier(d, "/CFDocument");
    if (!id.ok()) return id.status();
    f.uuid = *id;
    const auto* title = d.if_contains("title");
    if (title == nullptr || !title->is_string() || title->get_string().empty()) {
      return Error("/CFDocument/title", "missing, empty or not a string");
    }
    for (const char* k : {"description", "language", "version", "publisher", "creator"}) {
      const auto* v = d.if_contains(k);
      if (v != nullptr && !v->is_string()) return Error(std::string("/CFDocument/") + k, "expected a string");
    }
    f.title = std::string(title->get_string());
    f.description = Str(d, "description");
    f.language = Str(d, "language");
    f.publisher = Str(d, "publisher").empty() ? Str(d, "creator") : Str(d, "publisher");
    f.status = StatusFromAdoption(Str(d, "adoptionStatus"));
    const std::string start = Str(d, "statusStartDate"), end = Str(d, "statusEndDate");
    if (IsIsoDate(start)) f.published = start;
    if (IsIsoDate(end)) f.review = end;
    f.edition = Str(d, "version").empty() ? "1" : Str(d, "version");
    const json::object nos = SubObject(SubObject(d, "extensions"), "opennos");
    if (!nos.empty()) {
      FieldReader r(nos, "/CFDocument/extensions/opennos");
      // OpenNOS wrote this package: its publisher is the model's, not the creator CASE requires.
      f.publisher.clear();
      r.String("code", f.code);
      r.String("edition", f.edition);
      std::string status;
      r.String("status", status);
      if (!status.empty()) {
        auto s = ParseFrameworkStatus(status);
        if (!s) r.Fail("status", "unknown status \"" + status + "\"");
        else f.status = *s;
      }
      r.String("keyPurpose", f.key_purpose);
      r.String("licence", f.licence);
      r.String("published", f.published);
      r.String("review", f.review);
      r.String("previousEdition", f.previous_edition);
      r.String("translationNote", f.translation_note);
      r.String("publisher", f.publisher);
      r.ObjectText("extra", document_own_extra_);
      if (!r.ok()) return r.status().WithContext(source_);
      if (Status s = CheckOwnExtra(document_own_extra_, "/CFDocument/extensions/opennos"); !s.ok()) {
        return s;
      }
    }
    if (f.code.empty()) f.code = DerivedCode(f.title, f.uuid);
    // Compared with what an export under the default base URL writes, so a package's own URIs
    // (another server's) are kept, and OpenNOS's own exports come back without extras.
    document_kept_ = NotDerivable(d, DerivedDocument(f, options_), {"identifier", "CFPackageURI"});
    StripOpenNos(document_kept_);
    return Status::Ok();
  }

  // An entity's own `extra`, read from extensions.opennos.extra at `pointer`: its "case" key
  // is the reader's to fill.
  Status CheckOwnExtra(const std::string& own, const std::string& pointer) const {
    if (own.empty() || !json::parse(own).as_object().contains("case")) return Status::Ok();
    return Error(pointer + "/extra/case",
                 "reserved for what a package says beyond the model; not read from here");
  }

  // Reads one CFItem; `v` is the reader's to change.
  Status ReadItem(json::value& v, size_t index) {
    const std::string pointer = PointerJoin("/CFItems", index);
    if (!v.is_object()) return Error(pointer, "expected a CFItem object");
    json::object& o = v.get_object();
    RestoreUnmapped(o);
    auto id = Identifier(o, pointer);
    if (!id.ok()) return id.status();
    if (!item_index_.emplace(*id, items_.size()).second) {
      return Error(pointer + "/identifier", "the identifier " + *id + " is used by two CFItems");
    }
    for (const char* k : {"fullStatement", "abbreviatedStatement", "humanCodingScheme", "CFItemType"}) {
      const auto* f = o.if_contains(k);
      if (f != nullptr && !f->is_string()) return Error(pointer + "/" + k, "expected a string");
    }
    if (o.if_contains("fullStatement") == nullptr) return Error(pointer + "/fullStatement", "missing");
    Item item;
    item.uuid = *id;
    item.framework_uuid = doc_.framework.uuid;
    item.text = Str(o, "fullStatement");
    item.title = Str(o, "abbreviatedStatement");
    item.code = Str(o, "humanCodingScheme");
    const std::string case_type = Str(o, "CFItemType");
    item.type = ForeignType(case_type);
    const json::object* nos = FindObject(FindObject(&o, "extensions"), "opennos");
    if (const auto only_type = OnlyType(nos)) {
      item.type = *only_type;  // what ItemFromJson gives for {"type": T}, read directly
    } else if (nos != nullptr && !nos->empty()) {
      json::object fields = *nos;
      const bool text_is_title = fields.contains("fullStatementIsTitle");
      fields.stable_erase("fullStatementIsTitle");
      if (fields.contains("childOfUuid")) {
        // The tree association's identifier is the one of the package's isChildOf.
        return Error(pointer + "/extensions/opennos/childOfUuid", "not read from an extension");
      }
      fields["text"] = "x";  // ItemFromJson needs text or title; the real ones are above
      auto parsed = ItemFromJson(fields, pointer + "/extensions/opennos");
      if (!parsed.ok()) return parsed.status().WithContext(source_);
      if (Status s = CheckOwnExtra(parsed->extra, pointer + "/extensions/opennos"); !s.ok()) {
        return s;
      }
      item.type = parsed->type;
      item.unit = std::move(parsed->unit);
      item.cy = std::move(parsed->cy);
      item.extra = std::move(parsed->extra);  // its own; BuildTree adds the "case" part
      if (text_is_title) item.text.clear();
    }
    if (!case_type.empty() && case_type != CaseItemTypeName(item.type)) item.type_name = case_type;
    if (item.type == ItemType::kUnit && item.unit.keywords.empty()) {
      if (const auto* k = o.if_contains("conceptKeywords"); k != nullptr && k->is_array()) {
        for (const auto& w : k->get_array()) {
          if (w.is_string()) item.unit.keywords.emplace_back(w.get_string());
        }
      }
    }
    if (item.text.empty() && item.title.empty() && item.code.empty()) {
      return Error(pointer + "/fullStatement", "empty, with no abbreviatedStatement or humanCodingScheme");
    }
    json::object kept = NotDerivableItem(o, doc_.framework, item, options_);
    StripOpenNos(kept);
    item_kept_.push_back(std::move(kept));
    if (items_.empty()) Reserve();
    tree_.emplace_back();
    items_.push_back(std::move(item));
    return Status::Ok();
  }

  // The model type of a CASE CFItemType, remembering the last answer (a package's items
  // come with a handful of types).
  ItemType ForeignType(const std::string& case_type) {
    if (case_type != last_case_type_ || !last_type_) {
      last_case_type_ = case_type;
      last_type_ = ItemTypeFromForeignName(case_type);
    }
    return *last_type_;
  }

  // The type of an extensions.opennos object that holds a known type and nothing else (most
  // items of a package OpenNOS wrote); nullopt for anything else, which ItemFromJson reads.
  static std::optional<ItemType> OnlyType(const json::object* nos) {
    if (nos == nullptr || nos->size() != 1 || nos->begin()->key() != "type" ||
        !nos->begin()->value().is_string()) {
      return std::nullopt;
    }
    return ParseItemType(nos->begin()->value().get_string());
  }

  // The item of the package that a node link names, or nullptr (no object, no string
  // identifier, not a UUID, not an item).
  const std::pair<const std::string, size_t>* LinkedItem(const json::object& a,
                                                          std::string_view key) const {
    const auto* v = a.if_contains(key);
    if (v == nullptr || !v->is_object()) return nullptr;
    const auto* id = v->get_object().if_contains("identifier");
    if (id == nullptr || !id->is_string()) return nullptr;
    const std::string_view text = id->get_string();
    auto it = item_index_.find(text);  // most packages write identifiers in canonical form
    if (it == item_index_.end()) {
      const auto canonical = CanonicalUuid(text);
      if (!canonical) return nullptr;
      it = item_index_.find(*canonical);
    }
    return it == item_index_.end() ? nullptr : &*it;
  }

  // Whether the destination link of `a` names the document.
  bool LinksDocument(const json::object& a) const {
    const auto* v = a.if_contains("destinationNodeURI");
    if (v == nullptr || !v->is_object()) return false;
    const auto* id = v->get_object().if_contains("identifier");
    if (id == nullptr || !id->is_string()) return false;
    const auto canonical = CanonicalUuid(id->get_string());
    return canonical && *canonical == doc_.framework.uuid;
  }

  // Reads one end of an association; `extras` receives what its link holds beyond
  // identifier, title and uri (a v1.1 targetType, say).
  Status ReadNode(const json::object& a, const char* key, const std::string& pointer, NodeRef& n,
                  json::object& extras) {
    const auto* v = a.if_contains(key);
    if (v == nullptr || !v->is_object()) return Error(pointer + "/" + key, "missing or not an object");
    const auto& o = v->get_object();
    const auto* id = o.if_contains("identifier");
    if (id == nullptr || !id->is_string() || id->get_string().empty()) {
      return Error(pointer + "/" + key + "/identifier", "missing or not a string");
    }
    auto canonical = CanonicalUuid(id->get_string());
    n.uuid = canonical ? *canonical : std::string(id->get_string());
    n.title = Str(o, "title");
    n.uri = Str(o, "uri");
    // A node the writer knew only by its URI: named by a version 5 UUID that is no item of
    // the package (checked first: a SHA-1 per node link is a noticeable part of a large import).
    if (!n.uri.empty() && n.uuid.size() == 36 && n.uuid[14] == '5' &&
        !item_index_.count(n.uuid) && n.uuid != doc_.framework.uuid &&
        n.uuid == UriNodeIdentifier(n.uri)) {
      n.uuid.clear();
    }
    if (item_index_.count(n.uuid) || n.uuid == doc_.framework.uuid) {
      n.framework_uuid = doc_.framework.uuid;
    }
    json::object rest;
    for (const auto& kv : o) {
      const std::string_view k = kv.key();
      if (k == "identifier") continue;
      // A title or uri that is not a string has no place in NodeRef: keep it as it came.
      if ((k == "title" || k == "uri") && kv.value().is_string()) continue;
      rest[k] = kv.value();
    }
    if (!rest.empty()) extras[key] = std::move(rest);
    return Status::Ok();
  }

  // Reads one CFAssociation; `v` is the reader's to change.
  Status ReadAssociation(json::value& v, size_t index) {
    const std::string pointer = PointerJoin("/CFAssociations", index);
    if (!v.is_object()) return Error(pointer, "expected a CFAssociation object");
    json::object& o = v.get_object();
    RestoreUnmapped(o);
    auto id = Identifier(o, pointer);
    if (!id.ok()) return id.status();
    if (!association_ids_.insert(*id).second) {
      return Error(pointer + "/identifier", "the identifier " + *id + " is used by two CFAssociations");
    }
    const std::string type = Str(o, "associationType");
    if (!IsValidAssociationType(type)) {
      return Error(pointer + "/associationType", "unknown association type \"" + type + "\"");
    }
    // An item's first isChildOf to another item or the document is its place in the tree:
    // told from the two identifiers alone, before the links are read in full.
    std::int64_t sequence = kNoSequence;
    if (Status s = ReadSequence(o, pointer, sequence); !s.ok()) return s;
    if (type == "isChildOf") {
      const auto* child = LinkedItem(o, "originNodeURI");
      if (child != nullptr && !tree_[child->second].present) {
        if (LinksDocument(o)) return ReadTreeLink(o, *id, index, child->second, kNoParent, sequence);
        if (const auto* parent = LinkedItem(o, "destinationNodeURI")) {
          return ReadTreeLink(o, *id, index, child->second, parent->second, sequence);
        }
      }
    }
    Association a;
    a.uuid = *id;
    a.framework_uuid = doc_.framework.uuid;
    a.type = type;
    a.provenance = "imported";
    json::object node_extras;
    if (Status s = ReadNode(o, "originNodeURI", pointer, a.origin, node_extras); !s.ok()) return s;
    if (Status s = ReadNode(o, "destinationNodeURI", pointer, a.destination, node_extras); !s.ok()) {
      return s;
    }
    const json::object* nos = FindObject(FindObject(&o, "extensions"), "opennos");
    std::string own_extra;
    if (nos != nullptr && !nos->empty()) {
      FieldReader r(*nos, pointer + "/extensions/opennos");
      std::string provenance;
      r.String("provenance", provenance);
      if (!provenance.empty()) a.provenance = provenance;
      r.Number("score", a.score);
      r.String("decision", a.decision);
      r.String("originFramework", a.origin.framework_uuid);
      r.String("originCode", a.origin.code);
      r.String("destinationFramework", a.destination.framework_uuid);
      r.String("destinationCode", a.destination.code);
      r.ObjectText("extra", own_extra);
      if (!r.ok()) return r.status().WithContext(source_);
      if (Status s = CheckOwnExtra(own_extra, pointer + "/extensions/opennos"); !s.ok()) return s;
    }
    KeepAssociationExtras(a, o, std::move(node_extras), own_extra);
    doc_.associations.push_back(std::move(a));
    return Status::Ok();
  }

  // The sequenceNumber of association `o` (kNoSequence if none); a string of digits, as real
  // packages write it, becomes the number it is.
  Status ReadSequence(json::object& o, const std::string& pointer, std::int64_t& sequence) const {
    const auto* seq = o.if_contains("sequenceNumber");
    if (seq == nullptr || seq->is_null()) return Status::Ok();
    if (seq->is_string()) {
      const std::string s(seq->get_string());
      if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
        return Error(pointer + "/sequenceNumber", "\"" + s + "\" is not a whole number");
      }
      o["sequenceNumber"] = std::stoll(s);
    } else if (!seq->is_int64() && !seq->is_uint64()) {
      return Error(pointer + "/sequenceNumber", "expected a whole number");
    }
    const json::value& n = o.at("sequenceNumber");
    sequence = n.is_int64() ? n.get_int64()
                            : static_cast<std::int64_t>(
                                  std::min<std::uint64_t>(n.get_uint64(), kNoSequence - 1));
    return Status::Ok();
  }

  // `id`: the association's identifier, which becomes the item's child_of_uuid unless it is
  // the one the writer derives.
  Status ReadTreeLink(const json::object& o, const std::string& id, size_t index, size_t child,
                      size_t parent, std::int64_t sequence) {
    Item& item = items_[child];
    item.parent_uuid = parent == kNoParent ? "" : items_[parent].uuid;
    // Only a version 5 UUID can be the derived one: others need no SHA-1 to tell.
    if (id[14] != '5' || id != DerivedChildOfIdentifier(item)) item.child_of_uuid = id;
    TreeLink& t = tree_[child];
    t.present = true;
    t.index = index;
    t.parent = parent;
    t.sequence = sequence;
    // The item's position is known only once the tree is built: compared then.
    t.kept = NotDerivableChildOf(o, id, doc_, item, parent == kNoParent ? nullptr : &items_[parent],
                                 sequence != kNoSequence, options_);
    return Status::Ok();
  }

  void KeepAssociationExtras(Association& a, const json::object& o, json::object node_extras,
                             const std::string& own_extra) {
    // A node's title and URI that the writer would give anyway need not be kept.
    const ItemFinder find = [this](const std::string& uuid) { return FindItem(uuid); };
    for (NodeRef* n : {&a.origin, &a.destination}) {
      NodeRef bare = *n;
      bare.title.clear();
      bare.uri.clear();
      const json::object derived = NodeJson(bare, find, options_);
      if (Str(derived, "title") == n->title) n->title.clear();
      if (Str(derived, "uri") == n->uri) n->uri.clear();
    }
    json::object kept = NotDerivable(o, DerivedAssociation(doc_, a, find, options_),
                                     {"identifier", "associationType", "originNodeURI",
                                      "destinationNodeURI", "CFDocumentURI"});
    StripOpenNos(kept);
    json::object extra = std::move(node_extras);
    if (!kept.empty()) extra["association"] = std::move(kept);
    a.extra = JoinExtra(own_extra, std::move(extra));
  }

  // An isChildOf cycle, named by an association on it; Ok if there is none.
  Status FindCycle() const {
    std::vector<char> state(tree_.size(), 0);  // 0 unseen, 1 on the walk, 2 done
    std::vector<size_t> walk;
    for (size_t start = 0; start < tree_.size(); ++start) {
      walk.clear();
      size_t i = start;
      while (i != kNoParent && state[i] == 0) {
        state[i] = 1;
        walk.push_back(i);
        i = tree_[i].present ? tree_[i].parent : kNoParent;
      }
      if (i != kNoParent && state[i] == 1) {
        std::string path;
        size_t j = i;
        do {
          path += (path.empty() ? "" : " -> ") + Name(items_[j]);
          j = tree_[j].parent;
        } while (j != i);
        path += " -> " + Name(items_[i]);
        return Error(PointerJoin("/CFAssociations", tree_[i].index),
                     "the isChildOf associations form a cycle: " + path);
      }
      for (size_t w : walk) state[w] = 2;
    }
    return Status::Ok();
  }

  static std::string Name(const Item& item) {
    return item.code.empty() ? item.uuid : item.code + " (" + item.uuid + ")";
  }

  // Room for as many items as a package of this size can hold, so that the items (most of a
  // large package's memory) are never moved to a larger buffer while it is read: only the
  // pages used are ever touched.
  void Reserve() {
    // An item and its tree association take at least this much of a package written by a CASE
    // tool (identifiers, URIs, a statement, dates); a package denser than that still reads,
    // the vector then growing as usual.
    constexpr std::uintmax_t kLeastBytesPerItem = 320;
    constexpr std::uintmax_t kMostReserved = std::uintmax_t{1} << 22;
    const auto n = static_cast<size_t>(std::min(size_hint_ / kLeastBytesPerItem, kMostReserved));
    items_.reserve(n);
    item_kept_.reserve(n);
    tree_.reserve(n);
  }

  // Puts the items in tree pre-order, siblings by sequence number and then by their order in
  // the package, each Item moved once (a large package's items are most of the memory).
  Status BuildTree() {
    if (Status s = FindCycle(); !s.ok()) return s;
    const size_t n = items_.size();
    // Children of each item (index n: the document), in CSR form.
    std::vector<size_t> first(n + 2, 0), kids(n);
    for (size_t i = 0; i < n; ++i) ++first[ParentSlot(i) + 1];
    for (size_t p = 0; p <= n; ++p) first[p + 1] += first[p];
    std::vector<size_t> fill(first.begin(), first.end() - 1);
    for (size_t i = 0; i < n; ++i) kids[fill[ParentSlot(i)]++] = i;
    for (size_t p = 0; p <= n; ++p) {
      std::stable_sort(kids.begin() + static_cast<long>(first[p]),
                       kids.begin() + static_cast<long>(first[p + 1]),
                       [&](size_t a, size_t b) { return tree_[a].sequence < tree_[b].sequence; });
    }
    std::vector<size_t> order;  // order[k]: the package place of the k-th item in pre-order
    std::vector<int> position(n, 0);
    order.reserve(n);
    std::vector<std::pair<size_t, size_t>> stack{{n, first[n]}};  // (parent slot, next kid)
    while (!stack.empty()) {
      auto& [parent, next] = stack.back();
      if (next == first[parent + 1]) {
        stack.pop_back();
        continue;
      }
      const size_t i = kids[next];
      position[i] = static_cast<int>(next - first[parent]);
      ++next;
      order.push_back(i);
      stack.emplace_back(i, first[i]);
    }
    // Every item is reached: FindCycle ruled out cycles, and every parent is an item.
    for (size_t i = 0; i < n; ++i) {
      Item& item = items_[i];
      item.position = position[i];
      json::object extra;
      if (!item_kept_[i].empty()) extra["item"] = std::move(item_kept_[i]);
      TreeLink& t = tree_[i];
      if (t.present && t.sequence != kNoSequence && t.sequence != item.position + 1) {
        t.kept["sequenceNumber"] = t.sequence;
      }
      if (!t.kept.empty()) extra["childOf"] = std::move(t.kept);
      if (!extra.empty() || !item.extra.empty()) item.extra = JoinExtra(item.extra, std::move(extra));
    }
    doc_.items = std::move(items_);
    Permute(doc_.items, order);
    return Status::Ok();
  }

  size_t ParentSlot(size_t i) const {
    return tree_[i].present && tree_[i].parent != kNoParent ? tree_[i].parent : items_.size();
  }

  // Reorders `v` so that the k-th element is the one that was at order[k].
  static void Permute(std::vector<Item>& v, const std::vector<size_t>& order) {
    std::vector<bool> done(v.size(), false);
    for (size_t k = 0; k < v.size(); ++k) {
      if (done[k] || order[k] == k) continue;
      Item held = std::move(v[k]);
      size_t j = k;
      while (order[j] != k) {
        v[j] = std::move(v[order[j]]);
        done[j] = true;
        j = order[j];
      }
      v[j] = std::move(held);
      done[j] = true;
    }
  }

  // The document's differences, definitions, rubrics, extensions and any other top-level field.
  void KeepPackageExtras() {
    RestoreUnmapped(top_);
    json::object extra;
    if (!document_kept_.empty()) extra["document"] = std::move(document_kept_);
    json::object package;
    for (auto& kv : top_) {
      const std::string_view k = kv.key();
      if (std::find(std::begin(kPackageKeys), std::end(kPackageKeys), k) != std::end(kPackageKeys)) {
        continue;
      }
      if (k == "CFDefinitions" || k == "CFRubrics" || k == "extensions") {
        if (!kv.value().is_null()) extra[k] = std::move(kv.value());
      } else {
        package[k] = std::move(kv.value());
      }
    }
    if (!package.empty()) extra["package"] = std::move(package);
    doc_.framework.extra = JoinExtra(document_own_extra_, std::move(extra));
  }

  const std::string& source_;
  const CaseOptions options_;  // the default base URL: what an OpenNOS export would say
  FrameworkDoc doc_;
  std::unordered_set<std::string> keys_;  // top-level fields read
  bool have_document_ = false;
  bool items_done_ = false;
  std::vector<json::value> pending_items_;         // read before the CFDocument
  std::vector<json::value> pending_associations_;  // read before the CFDocument or the CFItems
  size_t associations_read_ = 0;
  json::object document_kept_;
  std::string document_own_extra_;  // extensions.opennos.extra of the CFDocument
  json::object top_;  // top-level fields other than the document, items and associations
  std::uintmax_t size_hint_;
  std::vector<Item> items_;                             // in package order, until BuildTree
  // By UUID, the place in CFItems; looked up by a string_view too (no copy of the key).
  std::unordered_map<std::string, size_t, TextHash, std::equal_to<>> item_index_;
  std::vector<json::object> item_kept_;                 // by place in CFItems
  std::vector<TreeLink> tree_;                          // by place in CFItems
  std::unordered_set<std::string> association_ids_;
  std::string last_case_type_;  // ForeignType's last question and answer
  std::optional<ItemType> last_type_;
};

bool Streamed(std::string_view key) { return key == "CFItems" || key == "CFAssociations"; }

}  // namespace

Result<FrameworkDoc> ReadCasePackage(ByteSource& in, const std::string& source) {
  try {
    CaseReader reader(source, in.SizeHint());
    if (Status s = ReadJsonObjectStream(in, source, Streamed, reader); !s.ok()) return s;
    return reader.Finish();
  } catch (const std::exception& e) {
    return Status::Invalid(source + ": " + e.what());
  }
}

Result<FrameworkDoc> ReadCasePackage(std::string_view content, const std::string& source) {
  MemorySource in(content);
  return ReadCasePackage(in, source);
}

Result<FrameworkDoc> ReadCasePackage(const json::value& root, const std::string& source) {
  if (!root.is_object()) return Status::Invalid(source + ": /: the document is not a JSON object");
  try {
    CaseReader reader(source, 0);
    for (const auto& kv : root.get_object()) {
      Status s;
      if (Streamed(kv.key()) && kv.value().is_array()) {
        const json::array& elements = kv.value().get_array();
        for (size_t i = 0; i < elements.size() && s.ok(); ++i) {
          s = reader.Element(kv.key(), i, elements[i]);
        }
        if (s.ok()) s = reader.ArrayEnd(kv.key());
      } else {
        s = reader.Member(kv.key(), kv.value());
      }
      if (!s.ok()) return s;
    }
    return reader.Finish();
  } catch (const std::exception& e) {
    return Status::Invalid(source + ": " + e.what());
  }
}

}  // namespace opennos
