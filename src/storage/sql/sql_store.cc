#include "storage/sql/sql_store.h"

#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/codec.h"
#include "core/json_util.h"
#include "storage/sql/sql_accounts.h"

namespace opennos {
namespace {

using sql::Collect;
using sql::Database;
using sql::Statement;
using sql::Transaction;

std::string NowIso() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ListToJson(const std::vector<std::string>& list) {
  if (list.empty()) return {};
  std::string out = "[";
  for (const auto& s : list) {
    if (out.size() > 1) out += ',';
    out += boost::json::serialize(boost::json::string_view(s));
  }
  return out + "]";
}

std::vector<std::string> ListFromJson(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  const boost::json::value parsed = boost::json::parse(text);
  for (const auto& v : parsed.as_array()) out.emplace_back(v.as_string());
  return out;
}

constexpr const char* kFrameworkColumns =
    "uuid, code, edition, title, status, publisher, key_purpose, description, language, "
    "licence, published, review, previous_edition, translation_note, extra, revision";

Framework ReadFramework(const Statement& s, int c = 0) {
  Framework f;
  f.uuid = s.Text(c + 0);
  f.code = s.Text(c + 1);
  f.edition = s.Text(c + 2);
  f.title = s.Text(c + 3);
  f.status = ParseFrameworkStatus(s.Text(c + 4)).value_or(FrameworkStatus::kDraft);
  f.publisher = s.Text(c + 5);
  f.key_purpose = s.Text(c + 6);
  f.description = s.Text(c + 7);
  f.language = s.Text(c + 8);
  f.licence = s.Text(c + 9);
  f.published = s.Text(c + 10);
  f.review = s.Text(c + 11);
  f.previous_edition = s.Text(c + 12);
  f.translation_note = s.Text(c + 13);
  f.extra = s.Text(c + 14);
  f.revision = s.Int(c + 15);
  return f;
}

constexpr const char* kItemColumns =
    "uuid, framework_uuid, parent_uuid, position, type, type_name, code, title, text, urn, "
    "overview, version, unit_status, developed_by, originating_organisation, approved, review, "
    "validity, category, original_urn, keywords, occupations, cy_title, cy_text, cy_overview, "
    "extra, revision, child_of_uuid";

Item ReadItem(const Statement& s) {
  Item item;
  item.uuid = s.Text(0);
  item.framework_uuid = s.Text(1);
  item.parent_uuid = s.Text(2);
  item.position = static_cast<int>(s.Int(3));
  item.type = ParseItemType(s.Text(4)).value_or(ItemType::kStatement);
  item.type_name = s.Text(5);
  item.code = s.Text(6);
  item.title = s.Text(7);
  item.text = s.Text(8);
  UnitFields& u = item.unit;
  u.urn = s.Text(9);
  u.overview = s.Text(10);
  u.version = static_cast<int>(s.Int(11));
  u.status = s.Text(12);
  u.developed_by = s.Text(13);
  u.originating_organisation = s.Text(14);
  u.approved = s.Text(15);
  u.review = s.Text(16);
  u.validity = s.Text(17);
  u.category = s.Text(18);
  u.original_urn = s.Text(19);
  u.keywords = ListFromJson(s.Text(20));
  u.occupations = ListFromJson(s.Text(21));
  item.cy.title = s.Text(22);
  item.cy.text = s.Text(23);
  item.cy.overview = s.Text(24);
  item.extra = s.Text(25);
  item.revision = s.Int(26);
  item.child_of_uuid = s.Text(27);
  return item;
}

constexpr const char* kAssociationColumns =
    "uuid, framework_uuid, type, origin_uuid, origin_framework, origin_code, origin_uri, "
    "origin_title, dest_uuid, dest_framework, dest_code, dest_uri, dest_title, provenance, "
    "score, decision, extra, revision, position";

Association ReadAssociation(const Statement& s) {
  Association a;
  a.uuid = s.Text(0);
  a.framework_uuid = s.Text(1);
  a.type = s.Text(2);
  a.origin = {s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Text(7)};
  a.destination = {s.Text(8), s.Text(9), s.Text(10), s.Text(11), s.Text(12)};
  a.provenance = s.Text(13);
  if (!s.IsNull(14)) a.score = s.Double(14);
  a.decision = s.Text(15);
  a.extra = s.Text(16);
  a.revision = s.Int(17);
  return a;
}

// Puts items into pre-order from their parent and position, in place (no second copy of the
// items, which at a million items would double the memory a load needs). Items that do not
// hang from the root are dropped.
std::vector<Item> TreeOrder(std::vector<Item> items) {
  std::unordered_map<std::string_view, std::vector<size_t>> children;
  for (size_t i = 0; i < items.size(); ++i) children[items[i].parent_uuid].push_back(i);
  for (auto& [parent, kids] : children) {
    std::sort(kids.begin(), kids.end(),
              [&](size_t a, size_t b) { return items[a].position < items[b].position; });
  }
  std::vector<size_t> order;  // the items' indices in pre-order
  order.reserve(items.size());
  std::vector<std::pair<std::string_view, size_t>> stack{{"", 0}};
  while (!stack.empty()) {
    auto found = children.find(stack.back().first);
    size_t& next = stack.back().second;
    if (found == children.end() || next == found->second.size()) {
      stack.pop_back();
      continue;
    }
    const size_t i = found->second[next++];
    order.push_back(i);
    stack.emplace_back(items[i].uuid, 0);
  }
  children.clear();
  stack.clear();
  // Item order[k] goes to position k: swap each into place, following where items went.
  std::vector<size_t> at(items.size()), held(items.size());  // item -> position, and back
  for (size_t i = 0; i < items.size(); ++i) at[i] = held[i] = i;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t from = at[order[k]];
    if (from == k) continue;
    std::swap(items[k], items[from]);
    const size_t displaced = held[k];
    held[from] = displaced;
    at[displaced] = from;
    held[k] = order[k];
    at[order[k]] = k;
  }
  items.resize(order.size());
  return items;
}

// The audit entry of a write: `e` with its time and what the write changed.
AuditEntry AuditOf(AuditEntry e, const SaveReport& r) {
  if (e.at == 0) {
    e.at = std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  }
  const std::string counts =
      "items " + std::to_string(r.items_added) + " added, " + std::to_string(r.items_changed) +
      " changed, " + std::to_string(r.items_removed) + " removed; associations " +
      std::to_string(r.associations_added) + " added, " + std::to_string(r.associations_changed) +
      " changed, " + std::to_string(r.associations_removed) + " removed";
  e.detail = e.detail.empty() ? counts : e.detail + " (" + counts + ")";
  return e;
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Database> db) : db_(std::move(db)), accounts_(*db_) {}

  Result<std::vector<FrameworkSummary>> ListFrameworks() override;
  Result<Framework> GetFramework(std::string_view uuid) override;
  Result<FrameworkDoc> LoadFramework(std::string_view uuid) override;
  Result<FrameworkDoc> LoadFrameworkOutline(std::string_view uuid) override;
  Result<Item> GetItem(std::string_view uuid) override;
  Result<Item> ItemWithChildOf(std::string_view association_uuid) override;
  Result<std::vector<Item>> FindUnitsByUrn(std::string_view urn) override;
  Result<std::vector<UnitRef>> ListUnits() override;
  Result<std::vector<Association>> AssociationsOf(std::string_view item_uuid) override;
  Result<std::vector<Revision>> History(std::string_view entity_uuid) override;
  Result<SaveReport> SaveFrameworks(const std::vector<FrameworkDoc>& docs,
                                    const ChangeContext& who, ProgressFn progress,
                                    void* progress_context) override;
  AccountStore& Accounts() override { return accounts_; }
  Result<std::int64_t> LastChange() override;
  Result<std::int64_t> WaitForChange(std::int64_t seq, int timeout_ms) override;
  Result<std::vector<Change>> ChangesSince(std::int64_t seq, int limit) override;

 private:
  // One write: the context of a SaveFrameworks call.
  struct Write {
    const ChangeContext& who;
    std::string at;
    SaveReport report;
    ProgressFn progress;
    void* progress_context;
    std::int64_t items_written = 0;
    bool logged = false;  // appended to the change log
  };

  Result<SaveReport> SaveOnce(const std::vector<FrameworkDoc>& docs, const ChangeContext& who,
                              ProgressFn progress, void* progress_context);
  Status SaveOne(const FrameworkDoc& doc, Write& w);
  Result<FrameworkDoc> LoadFrameworkIn(std::string_view uuid);
  Result<std::vector<Revision>> HistoryIn(std::string_view entity_uuid);
  // The snapshot of an entity ("framework", "item", "association") as the store holds it now.
  Result<std::string> CurrentSnapshot(const std::string& entity, std::string_view uuid);
  // `with_framework`: the framework is created by this write, and what it holds with it. Their
  // creations are then recorded once, by the framework's own first revision (HistoryIn gives
  // each of them back): a 100,000-item import writes no 100,000 rows that say nothing more.
  Status SaveItems(const FrameworkDoc& doc, bool with_framework, Write& w);
  Status SaveAssociations(const FrameworkDoc& doc, bool with_framework, Write& w);
  // The creation of an item or association made with its framework (`rows`: its own
  // revisions, in order), or nothing if it was not.
  Result<std::optional<Revision>> CreationWithFramework(std::string_view entity_uuid,
                                                        const std::vector<Revision>& rows);
  Status PutFramework(const Framework& f, std::int64_t revision, bool insert, const Write& w);
  Status PutItem(const Item& item, std::int64_t revision, bool insert);
  Status PutAssociation(const Association& a, int position, std::int64_t revision, bool insert);
  Status Delete(const char* table, const std::string& uuid);
  // A CASE identifier names one object in the whole store: Conflict if the identifier an item
  // keeps for its tree association (child_of_uuid) is another framework's item, association
  // or tree association, or if a new association's is another framework's tree association.
  Status CheckChildOfUuid(const Item& item);
  Status CheckAssociationUuid(const Association& a);
  // Conflict unless the framework or item is at the expected revision.
  Status Check(const Precondition& p);
  // The highest revision number recorded for an entity (0 if none).
  Result<std::int64_t> LastRevisionNumber(const std::string& uuid);
  // A creation is written with `before` and `after` empty: the entity is kept once, in its row
  // (or in the next revision's `before`), and History gives it back as `after`.
  Status AddRevision(const char* entity, const std::string& uuid, const std::string& framework,
                     std::int64_t number, const std::string& before, const std::string& after,
                     Write& w);

  // Refuses (Forbidden) an update of a framework that `w.who.organisation` does not own, when
  // the write is limited to its own frameworks.
  Status CheckOwner(const Framework& f, Write& w);

  std::unique_ptr<Database> db_;
  sql::SqlAccountStore accounts_;
};

Result<std::vector<FrameworkSummary>> SqlStore::ListFrameworks() {
  auto s = db_->Prepare(
      std::string("SELECT ") + kFrameworkColumns +
      ", (SELECT count(*) FROM items i WHERE i.framework_uuid = f.uuid AND i.type = 'unit'),"
      " (SELECT count(*) FROM items i WHERE i.framework_uuid = f.uuid"
      "   AND i.type NOT IN ('key-area', 'function', 'unit'))"
      " FROM frameworks f");
  if (!s.ok()) return s.status();
  std::vector<FrameworkSummary> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({ReadFramework(**s), (*s)->Int(16), (*s)->Int(17)});
  }
  std::sort(out.begin(), out.end(), [](const FrameworkSummary& a, const FrameworkSummary& b) {
    if (a.framework.code != b.framework.code) return a.framework.code < b.framework.code;
    return EditionLess(a.framework.edition, b.framework.edition);
  });
  return out;
}

Result<Framework> SqlStore::GetFramework(std::string_view uuid) {
  auto s = db_->Prepare(std::string("SELECT ") + kFrameworkColumns +
                        " FROM frameworks WHERE uuid = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, uuid);
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no framework " + std::string(uuid));
  Framework f = ReadFramework(**s);
  (*s)->Reset();
  return f;
}

Result<FrameworkDoc> SqlStore::LoadFramework(std::string_view uuid) {
  // The record, items and associations from one state of the database.
  Transaction tx(*db_, Transaction::Kind::kRead);
  RETURN_IF_ERROR(tx.Begin());
  auto doc = LoadFrameworkIn(uuid);
  if (doc.ok()) RETURN_IF_ERROR(tx.Commit());
  return doc;
}

Result<FrameworkDoc> SqlStore::LoadFrameworkIn(std::string_view uuid) {
  auto f = GetFramework(uuid);
  if (!f.ok()) return f.status();
  FrameworkDoc doc;
  doc.framework = std::move(*f);
  auto items = db_->Prepare(std::string("SELECT ") + kItemColumns +
                            " FROM items WHERE framework_uuid = ?");
  if (!items.ok()) return items.status();
  (*items)->Bind(1, uuid);
  std::vector<Item> loaded;
  if (Status st = Collect(**items, loaded, ReadItem); !st.ok()) return st;
  doc.items = TreeOrder(std::move(loaded));
  auto assoc = db_->Prepare(std::string("SELECT ") + kAssociationColumns +
                            " FROM associations WHERE framework_uuid = ? ORDER BY position");
  if (!assoc.ok()) return assoc.status();
  (*assoc)->Bind(1, uuid);
  if (Status st = Collect(**assoc, doc.associations, ReadAssociation); !st.ok()) return st;
  return doc;
}

Result<FrameworkDoc> SqlStore::LoadFrameworkOutline(std::string_view uuid) {
  Transaction tx(*db_, Transaction::Kind::kRead);
  RETURN_IF_ERROR(tx.Begin());
  auto f = GetFramework(uuid);
  if (!f.ok()) return f.status();
  FrameworkDoc doc;
  doc.framework = std::move(*f);
  auto count = db_->Prepare("SELECT count(*) FROM items WHERE framework_uuid = ?");
  if (!count.ok()) return count.status();
  (*count)->Bind(1, uuid);
  auto counted = (*count)->Step();
  if (!counted.ok()) return counted.status();
  std::vector<Item> loaded;
  loaded.reserve(static_cast<std::size_t>(*counted ? (*count)->Int(0) : 0));
  (*count)->Reset();
  auto items = db_->Prepare(
      "SELECT uuid, parent_uuid, position, type, type_name, code, title, text, urn"
      " FROM items WHERE framework_uuid = ?");
  if (!items.ok()) return items.status();
  (*items)->Bind(1, uuid);
  RETURN_IF_ERROR(Collect(**items, loaded, [&](const Statement& st) {
    Item item;
    item.uuid = st.Text(0);
    item.parent_uuid = st.Text(1);
    item.position = static_cast<int>(st.Int(2));
    item.type = ParseItemType(st.Text(3)).value_or(ItemType::kStatement);
    item.type_name = st.Text(4);
    item.code = st.Text(5);
    item.title = st.Text(6);
    item.text = st.Text(7);
    item.unit.urn = st.Text(8);
    return item;
  }));
  doc.items = TreeOrder(std::move(loaded));
  RETURN_IF_ERROR(tx.Commit());
  return doc;
}

Result<Item> SqlStore::GetItem(std::string_view uuid) {
  auto s = db_->Prepare(std::string("SELECT ") + kItemColumns + " FROM items WHERE uuid = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, uuid);
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no item " + std::string(uuid));
  Item item = ReadItem(**s);
  (*s)->Reset();
  return item;
}

Result<Item> SqlStore::ItemWithChildOf(std::string_view association_uuid) {
  auto s = db_->Prepare(std::string("SELECT ") + kItemColumns +
                        " FROM items WHERE tree_link_uuid = ? ORDER BY uuid LIMIT 1");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, association_uuid);
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no isChildOf association " + std::string(association_uuid));
  Item item = ReadItem(**s);
  (*s)->Reset();
  return item;
}

Result<std::vector<Item>> SqlStore::FindUnitsByUrn(std::string_view urn) {
  auto s = db_->Prepare(std::string("SELECT ") + kItemColumns +
                        " FROM items WHERE urn = ? COLLATE NOCASE AND type = 'unit'");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, urn);
  std::vector<Item> out;
  if (Status st = Collect(**s, out, ReadItem); !st.ok()) return st;
  // Newest edition first: order by the framework's edition.
  std::unordered_map<std::string, std::string> edition;
  for (const Item& item : out) {
    if (edition.count(item.framework_uuid)) continue;
    auto f = GetFramework(item.framework_uuid);
    if (!f.ok()) return f.status();
    edition[item.framework_uuid] = f->edition;
  }
  std::stable_sort(out.begin(), out.end(), [&](const Item& a, const Item& b) {
    return EditionLess(edition[b.framework_uuid], edition[a.framework_uuid]);
  });
  return out;
}

Result<std::vector<UnitRef>> SqlStore::ListUnits() {
  auto s = db_->Prepare(
      "SELECT uuid, framework_uuid, code, urn, title FROM items WHERE type = 'unit'");
  if (!s.ok()) return s.status();
  std::vector<UnitRef> out;
  if (Status st = Collect(**s, out, [](const Statement& r) {
        return UnitRef{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)};
      });
      !st.ok()) {
    return st;
  }
  return out;
}

Result<std::vector<Association>> SqlStore::AssociationsOf(std::string_view item_uuid) {
  auto s = db_->Prepare(std::string("SELECT ") + kAssociationColumns +
                        " FROM associations WHERE origin_uuid = ?1 OR dest_uuid = ?1"
                        " ORDER BY framework_uuid, position");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, item_uuid);
  std::vector<Association> out;
  if (Status st = Collect(**s, out, ReadAssociation); !st.ok()) return st;
  return out;
}

Result<std::vector<Revision>> SqlStore::History(std::string_view entity_uuid) {
  // The rows and the entity's current state from one state of the database.
  Transaction tx(*db_, Transaction::Kind::kRead);
  RETURN_IF_ERROR(tx.Begin());
  auto history = HistoryIn(entity_uuid);
  if (history.ok()) RETURN_IF_ERROR(tx.Commit());
  return history;
}

Result<std::string> SqlStore::CurrentSnapshot(const std::string& entity, std::string_view uuid) {
  if (entity == "framework") {
    auto f = GetFramework(uuid);
    if (!f.ok()) return f.status();
    return FrameworkSnapshot(*f);
  }
  if (entity == "item") {
    auto item = GetItem(uuid);
    if (!item.ok()) return item.status();
    return ItemSnapshot(*item);
  }
  auto s = db_->Prepare(std::string("SELECT ") + kAssociationColumns +
                        " FROM associations WHERE uuid = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, uuid);
  std::vector<Association> found;
  RETURN_IF_ERROR(Collect(**s, found, ReadAssociation));
  if (found.empty()) return Status::NotFound("no association " + std::string(uuid));
  return AssociationSnapshot(found.front());
}

Result<std::vector<Revision>> SqlStore::HistoryIn(std::string_view entity_uuid) {
  auto s = db_->Prepare(
      "SELECT id, entity, entity_uuid, framework_uuid, number, author, at, reason, before, after"
      " FROM revisions WHERE entity_uuid = ? ORDER BY number, id");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, entity_uuid);
  std::vector<Revision> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const Statement& r = **s;
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5), r.Text(6),
                   r.Text(7), r.Text(8), r.Text(9)});
  }
  if (out.empty() || out.front().number > 1) {
    auto created = CreationWithFramework(entity_uuid, out);
    if (!created.ok()) return created.status();
    if (*created) out.insert(out.begin(), std::move(**created));
  }
  // A creation is written with neither snapshot (AddRevision): what it created is the next
  // revision's `before`, or, if none followed, the entity as it is now.
  for (size_t i = 0; i < out.size(); ++i) {
    Revision& r = out[i];
    if (!r.before.empty() || !r.after.empty()) continue;
    if (i + 1 < out.size()) {
      r.after = out[i + 1].before;
      continue;
    }
    auto now = CurrentSnapshot(r.entity, entity_uuid);
    if (!now.ok()) return now.status();
    r.after = std::move(*now);
  }
  return out;
}

Result<std::optional<Revision>> SqlStore::CreationWithFramework(
    std::string_view entity_uuid, const std::vector<Revision>& rows) {
  std::string entity, framework;
  if (!rows.empty()) {
    entity = rows.front().entity;
    framework = rows.front().framework_uuid;
  } else {
    for (const char* table : {"items", "associations"}) {
      auto s = db_->Prepare(std::string("SELECT framework_uuid FROM ") + table + " WHERE uuid = ?");
      if (!s.ok()) return s.status();
      (*s)->Bind(1, entity_uuid);
      auto row = (*s)->Step();
      if (!row.ok()) return row.status();
      if (!*row) continue;
      entity = table == std::string_view("items") ? "item" : "association";
      framework = (*s)->Text(0);
      (*s)->Reset();
      break;
    }
  }
  if (entity != "item" && entity != "association") return std::optional<Revision>();
  auto s = db_->Prepare(
      "SELECT id, author, at, reason FROM revisions"
      " WHERE entity_uuid = ? AND entity = 'framework' AND number = 1");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, framework);
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Revision>();
  Revision r{(*s)->Int(0), entity, std::string(entity_uuid), framework, 1,
             (*s)->Text(1), (*s)->Text(2), (*s)->Text(3), "", ""};
  (*s)->Reset();
  return std::optional<Revision>(std::move(r));
}

Result<std::int64_t> SqlStore::LastChange() {
  auto s = db_->Prepare("SELECT coalesce(max(seq), 0) FROM change_log");
  if (!s.ok()) return s.status();
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  const std::int64_t seq = (*s)->Int(0);
  (*s)->Reset();
  return seq;
}

Result<std::int64_t> SqlStore::WaitForChange(std::int64_t seq, int timeout_ms) {
  auto last = LastChange();
  if (!last.ok() || *last > seq) return last;
  RETURN_IF_ERROR(db_->WaitForAnnouncement(timeout_ms));
  return LastChange();
}

Result<std::vector<Change>> SqlStore::ChangesSince(std::int64_t seq, int limit) {
  auto s = db_->Prepare(
      "SELECT seq, framework_uuid FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, seq).Bind(2, limit);
  std::vector<Change> out;
  if (Status st = Collect(**s, out, [](const Statement& r) { return Change{r.Int(0), r.Text(1)}; });
      !st.ok()) {
    return st;
  }
  return out;
}

Result<SaveReport> SqlStore::SaveFrameworks(const std::vector<FrameworkDoc>& docs,
                                            const ChangeContext& who, ProgressFn progress,
                                            void* progress_context) {
  // A transient failure (a deadlock, a serialisation failure, a connection lost and made
  // again) rolled everything back: running the whole write again is safe.
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    auto report = SaveOnce(docs, who, progress, progress_context);
    if (report.ok() || attempt == kAttempts || !db_->LastFailureIsTransient()) return report;
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
  }
}

Result<SaveReport> SqlStore::SaveOnce(const std::vector<FrameworkDoc>& docs,
                                      const ChangeContext& who, ProgressFn progress,
                                      void* progress_context) {
  Transaction tx(*db_, Transaction::Kind::kWrite);
  RETURN_IF_ERROR(tx.Begin());
  Write w{who, NowIso(), {}, progress, progress_context};
  for (const Precondition& p : who.expect) RETURN_IF_ERROR(Check(p));
  for (const FrameworkDoc& doc : docs) {
    if (Status s = SaveOne(doc, w); !s.ok()) {
      return s.WithContext("framework " + doc.framework.code + "@" + doc.framework.edition);
    }
  }
  if (who.audit) RETURN_IF_ERROR(accounts_.AppendAudit(AuditOf(*who.audit, w.report)));
  if (w.logged) RETURN_IF_ERROR(db_->AnnounceChange());
  RETURN_IF_ERROR(tx.Commit());
  return w.report;
}

Status SqlStore::SaveOne(const FrameworkDoc& doc, Write& w) {
  const Framework& f = doc.framework;
  auto same_name = db_->Prepare("SELECT uuid FROM frameworks WHERE code = ? AND edition = ?");
  if (!same_name.ok()) return same_name.status();
  (*same_name)->Bind(1, f.code).Bind(2, f.edition);
  auto row = (*same_name)->Step();
  if (!row.ok()) return row.status();
  if (*row && (*same_name)->Text(0) != f.uuid) {
    const std::string other = (*same_name)->Text(0);
    (*same_name)->Reset();
    return Status::Conflict("a different framework (" + other + ") already has code \"" +
                            f.code + "\" and edition \"" + f.edition + "\"");
  }
  (*same_name)->Reset();

  auto existing = GetFramework(f.uuid);
  const bool exists = existing.ok();
  if (!exists && existing.status().code() != Status::Code::kNotFound) return existing.status();
  const std::int64_t before_items = w.report.revisions;
  if (exists && w.who.only_own_frameworks) RETURN_IF_ERROR(CheckOwner(f, w));
  if (!exists) {
    RETURN_IF_ERROR(PutFramework(f, 1, true, w));
    if (!w.who.organisation.empty()) {
      auto own = db_->Prepare(
          "INSERT INTO framework_owners (framework_uuid, organisation_id) VALUES (?, ?)");
      if (!own.ok()) return own.status();
      RETURN_IF_ERROR((*own)->Bind(1, f.uuid).Bind(2, w.who.organisation).Run());
    }
    RETURN_IF_ERROR(AddRevision("framework", f.uuid, f.uuid, 1, "", "", w));
  } else {
    const std::string before = FrameworkSnapshot(*existing);
    const std::string after = FrameworkSnapshot(f);
    if (before != after) {
      const std::int64_t number = existing->revision + 1;
      RETURN_IF_ERROR(PutFramework(f, number, false, w));
      RETURN_IF_ERROR(AddRevision("framework", f.uuid, f.uuid, number, before, after, w));
    }
  }
  RETURN_IF_ERROR(SaveItems(doc, !exists, w));
  RETURN_IF_ERROR(SaveAssociations(doc, !exists, w));
  const bool changed = w.report.revisions != before_items;
  if (!exists) {
    ++w.report.frameworks_created;
  } else if (changed) {
    ++w.report.frameworks_updated;
  } else {
    ++w.report.frameworks_unchanged;
  }
  if (changed) {
    auto log = db_->Prepare("INSERT INTO change_log (framework_uuid, at) VALUES (?, ?)");
    if (!log.ok()) return log.status();
    RETURN_IF_ERROR((*log)->Bind(1, f.uuid).Bind(2, w.at).Run());
    w.logged = true;
  }
  return Status::Ok();
}

Status SqlStore::CheckOwner(const Framework& f, Write& w) {
  auto owner = accounts_.FrameworkOwner(f.uuid);
  if (!owner.ok()) return owner.status();
  if (*owner == w.who.organisation && !owner->empty()) return Status::Ok();
  return Status::Forbidden("framework " + f.code + "@" + f.edition +
                           (owner->empty() ? " belongs to no organisation"
                                           : " belongs to another organisation"));
}

Status SqlStore::SaveItems(const FrameworkDoc& doc, bool with_framework, Write& w) {
  const std::string& fw = doc.framework.uuid;
  // The stored version of each item, as a snapshot, with its revision number.
  std::unordered_map<std::string, std::pair<std::string, std::int64_t>> stored;
  auto load = db_->Prepare(std::string("SELECT ") + kItemColumns +
                           " FROM items WHERE framework_uuid = ?");
  if (!load.ok()) return load.status();
  (*load)->Bind(1, fw);
  for (;;) {
    auto row = (*load)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Item old = ReadItem(**load);
    stored.emplace(old.uuid, std::make_pair(ItemSnapshot(old), old.revision));
  }
  auto owner = db_->Prepare("SELECT framework_uuid FROM items WHERE uuid = ?");
  if (!owner.ok()) return owner.status();
  const bool had_items = !stored.empty();  // `stored` empties as items are matched below
  for (const Item& item : doc.items) {
    auto it = stored.find(item.uuid);
    if (it == stored.end()) {
      if (had_items) {  // a fresh framework cannot clash with itself; others might
        (*owner)->Reset().Bind(1, item.uuid);
        auto row = (*owner)->Step();
        if (!row.ok()) return row.status();
        if (*row) {
          (*owner)->Reset();
          return Status::Conflict("item " + item.uuid + " belongs to another framework");
        }
      }
      std::int64_t number = 1;
      if (had_items) {  // an item removed earlier and now back continues its history
        auto last = LastRevisionNumber(item.uuid);
        if (!last.ok()) return last.status();
        number = *last + 1;
      }
      RETURN_IF_ERROR(CheckChildOfUuid(item));
      if (Status s = PutItem(item, number, true); !s.ok()) {
        return s.code() == Status::Code::kConflict
                   ? Status::Conflict("item " + item.uuid + " belongs to another framework")
                   : s;
      }
      if (with_framework) {
        ++w.report.revisions;
      } else {
        RETURN_IF_ERROR(AddRevision("item", item.uuid, fw, number, "", "", w));
      }
      ++w.report.items_added;
    } else {
      const std::string after = ItemSnapshot(item);
      if (it->second.first != after) {
        const std::int64_t number = it->second.second + 1;
        RETURN_IF_ERROR(CheckChildOfUuid(item));
        RETURN_IF_ERROR(PutItem(item, number, false));
        RETURN_IF_ERROR(AddRevision("item", item.uuid, fw, number, it->second.first, after, w));
        ++w.report.items_changed;
      }
      stored.erase(it);
    }
    if (w.progress != nullptr && ++w.items_written % 10000 == 0) {
      w.progress(w.items_written, w.progress_context);
    }
  }
  for (const auto& [uuid, old] : stored) {
    RETURN_IF_ERROR(Delete("items", uuid));
    RETURN_IF_ERROR(AddRevision("item", uuid, fw, old.second + 1, old.first, "", w));
    ++w.report.items_removed;
  }
  return Status::Ok();
}

Status SqlStore::SaveAssociations(const FrameworkDoc& doc, bool with_framework, Write& w) {
  const std::string& fw = doc.framework.uuid;
  std::unordered_map<std::string, std::pair<std::string, std::int64_t>> stored;
  std::unordered_map<std::string, int> stored_position;
  auto load = db_->Prepare(std::string("SELECT ") + kAssociationColumns +
                           " FROM associations WHERE framework_uuid = ?");
  if (!load.ok()) return load.status();
  (*load)->Bind(1, fw);
  for (;;) {
    auto row = (*load)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Association old = ReadAssociation(**load);
    stored_position[old.uuid] = static_cast<int>((*load)->Int(18));
    stored.emplace(old.uuid, std::make_pair(AssociationSnapshot(old), old.revision));
  }
  for (size_t i = 0; i < doc.associations.size(); ++i) {
    const Association& a = doc.associations[i];
    const int position = static_cast<int>(i);
    auto it = stored.find(a.uuid);
    if (it == stored.end()) {
      RETURN_IF_ERROR(CheckAssociationUuid(a));
      auto last = LastRevisionNumber(a.uuid);
      if (!last.ok()) return last.status();
      if (Status s = PutAssociation(a, position, *last + 1, true); !s.ok()) {
        return s.code() == Status::Code::kConflict
                   ? Status::Conflict("association " + a.uuid + " belongs to another framework")
                   : s;
      }
      if (with_framework && *last == 0) {
        ++w.report.revisions;
      } else {
        RETURN_IF_ERROR(AddRevision("association", a.uuid, fw, *last + 1, "", "", w));
      }
      ++w.report.associations_added;
      continue;
    }
    const std::string after = AssociationSnapshot(a);
    if (it->second.first != after) {
      const std::int64_t number = it->second.second + 1;
      RETURN_IF_ERROR(PutAssociation(a, position, number, false));
      RETURN_IF_ERROR(AddRevision("association", a.uuid, fw, number, it->second.first, after, w));
      ++w.report.associations_changed;
    } else if (stored_position[a.uuid] != position) {  // order only: not a change of meaning
      RETURN_IF_ERROR(PutAssociation(a, position, it->second.second, false));
    }
    stored.erase(it);
  }
  for (const auto& [uuid, old] : stored) {
    RETURN_IF_ERROR(Delete("associations", uuid));
    RETURN_IF_ERROR(AddRevision("association", uuid, fw, old.second + 1, old.first, "", w));
    ++w.report.associations_removed;
  }
  return Status::Ok();
}

Status SqlStore::PutFramework(const Framework& f, std::int64_t revision, bool insert,
                                 const Write& w) {
  const std::string sql =
      insert ? std::string("INSERT INTO frameworks (") + kFrameworkColumns +
                   ", updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)"
             : "UPDATE frameworks SET code=?2, edition=?3, title=?4, status=?5, publisher=?6,"
               " key_purpose=?7, description=?8, language=?9, licence=?10, published=?11,"
               " review=?12, previous_edition=?13, translation_note=?14, extra=?15,"
               " revision=?16, updated_at=?17 WHERE uuid=?1";
  auto s = db_->Prepare(sql);
  if (!s.ok()) return s.status();
  Statement& st = **s;
  st.Bind(1, f.uuid).Bind(2, f.code).Bind(3, f.edition).Bind(4, f.title);
  st.Bind(5, FrameworkStatusName(f.status)).BindOrNull(6, f.publisher);
  st.BindOrNull(7, f.key_purpose).BindOrNull(8, f.description).BindOrNull(9, f.language);
  st.BindOrNull(10, f.licence).BindOrNull(11, f.published).BindOrNull(12, f.review);
  st.BindOrNull(13, f.previous_edition).BindOrNull(14, f.translation_note);
  st.BindOrNull(15, f.extra).Bind(16, revision).Bind(17, w.at);
  return st.Run();
}

Status SqlStore::PutItem(const Item& item, std::int64_t revision, bool insert) {
  static const std::string kInsert =
      std::string("INSERT INTO items (") + kItemColumns +
      ", tree_link_uuid) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,"
      "?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29)";
  static const std::string kUpdate =
      "UPDATE items SET framework_uuid=?2, parent_uuid=?3, position=?4, type=?5,"
      " type_name=?6, code=?7, title=?8, text=?9, urn=?10, overview=?11, version=?12,"
      " unit_status=?13, developed_by=?14, originating_organisation=?15, approved=?16,"
      " review=?17, validity=?18, category=?19, original_urn=?20, keywords=?21,"
      " occupations=?22, cy_title=?23, cy_text=?24, cy_overview=?25, extra=?26,"
      " revision=?27, child_of_uuid=?28, tree_link_uuid=?29 WHERE uuid=?1";
  auto s = db_->Prepare(insert ? kInsert : kUpdate);
  if (!s.ok()) return s.status();
  Statement& st = **s;
  const UnitFields& u = item.unit;
  // The item outlives the statement's run: its text is bound in place (BindKept).
  st.BindKept(1, item.uuid).BindKept(2, item.framework_uuid).BindKeptOrNull(3, item.parent_uuid);
  st.Bind(4, item.position).BindKept(5, ItemTypeName(item.type));
  st.BindKeptOrNull(6, item.type_name).BindKeptOrNull(7, item.code);
  st.BindKeptOrNull(8, item.title).BindKeptOrNull(9, item.text);
  st.BindKeptOrNull(10, u.urn).BindKeptOrNull(11, u.overview);
  if (u.version != 0) st.Bind(12, u.version);
  st.BindKeptOrNull(13, u.status).BindKeptOrNull(14, u.developed_by);
  st.BindKeptOrNull(15, u.originating_organisation).BindKeptOrNull(16, u.approved);
  st.BindKeptOrNull(17, u.review).BindKeptOrNull(18, u.validity);
  st.BindKeptOrNull(19, u.category).BindKeptOrNull(20, u.original_urn);
  st.BindOrNull(21, ListToJson(u.keywords)).BindOrNull(22, ListToJson(u.occupations));
  st.BindKeptOrNull(23, item.cy.title).BindKeptOrNull(24, item.cy.text);
  st.BindKeptOrNull(25, item.cy.overview).BindKeptOrNull(26, item.extra);
  st.Bind(27, revision).BindKeptOrNull(28, item.child_of_uuid).Bind(29, ChildOfUuid(item));
  return st.Run();
}

Status SqlStore::PutAssociation(const Association& a, int position, std::int64_t revision,
                                   bool insert) {
  static const std::string kInsert =
      std::string("INSERT INTO associations (") + kAssociationColumns +
      ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)";
  static const std::string kUpdate =
      "UPDATE associations SET framework_uuid=?2, type=?3, origin_uuid=?4,"
      " origin_framework=?5, origin_code=?6, origin_uri=?7, origin_title=?8,"
      " dest_uuid=?9, dest_framework=?10, dest_code=?11, dest_uri=?12, dest_title=?13,"
      " provenance=?14, score=?15, decision=?16, extra=?17, revision=?18, position=?19"
      " WHERE uuid=?1";
  auto s = db_->Prepare(insert ? kInsert : kUpdate);
  if (!s.ok()) return s.status();
  Statement& st = **s;
  st.Bind(1, a.uuid).Bind(2, a.framework_uuid).Bind(3, a.type);
  st.BindOrNull(4, a.origin.uuid).BindOrNull(5, a.origin.framework_uuid);
  st.BindOrNull(6, a.origin.code).BindOrNull(7, a.origin.uri).BindOrNull(8, a.origin.title);
  st.BindOrNull(9, a.destination.uuid).BindOrNull(10, a.destination.framework_uuid);
  st.BindOrNull(11, a.destination.code).BindOrNull(12, a.destination.uri);
  st.BindOrNull(13, a.destination.title).Bind(14, a.provenance);
  if (a.score) st.Bind(15, *a.score);
  st.BindOrNull(16, a.decision).BindOrNull(17, a.extra).Bind(18, revision).Bind(19, position);
  return st.Run();
}

Status SqlStore::CheckChildOfUuid(const Item& item) {
  if (item.child_of_uuid.empty()) return Status::Ok();  // derived from the item's own UUID
  auto s = db_->Prepare(
      "SELECT framework_uuid FROM items WHERE tree_link_uuid = ?1 AND framework_uuid <> ?2"
      " UNION ALL SELECT framework_uuid FROM items WHERE uuid = ?1 AND framework_uuid <> ?2"
      " UNION ALL SELECT framework_uuid FROM associations WHERE uuid = ?1 AND framework_uuid <> ?2"
      " LIMIT 1");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, item.child_of_uuid).Bind(2, item.framework_uuid);
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Ok();
  const std::string other = (*s)->Text(0);
  (*s)->Reset();
  return Status::Conflict("item " + item.uuid + ": the identifier " + item.child_of_uuid +
                          " of its isChildOf association is already used in another framework (" +
                          other + ")");
}

Status SqlStore::CheckAssociationUuid(const Association& a) {
  auto s = db_->Prepare(
      "SELECT framework_uuid FROM items WHERE tree_link_uuid = ? AND framework_uuid <> ? LIMIT 1");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, a.uuid).Bind(2, a.framework_uuid);
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Ok();
  const std::string other = (*s)->Text(0);
  (*s)->Reset();
  return Status::Conflict("association " + a.uuid +
                          ": the identifier is an isChildOf association's in another framework (" +
                          other + ")");
}

Result<std::int64_t> SqlStore::LastRevisionNumber(const std::string& uuid) {
  auto s = db_->Prepare("SELECT coalesce(max(number), 0) FROM revisions WHERE entity_uuid = ?");
  if (!s.ok()) return s.status();
  (*s)->Bind(1, uuid);
  auto row = (*s)->Step();
  if (!row.ok()) return row.status();
  const std::int64_t n = (*s)->Int(0);
  (*s)->Reset();
  return n;
}

Status SqlStore::Check(const Precondition& p) {
  for (const char* table : {"items", "frameworks"}) {
    auto s = db_->Prepare(std::string("SELECT revision FROM ") + table + " WHERE uuid = ?");
    if (!s.ok()) return s.status();
    (*s)->Bind(1, p.uuid);
    auto row = (*s)->Step();
    if (!row.ok()) return row.status();
    if (!*row) continue;
    const std::int64_t current = (*s)->Int(0);
    (*s)->Reset();
    if (current == p.revision) return Status::Ok();
    return Status::Conflict(p.uuid + " is at revision " + std::to_string(current) + ", not " +
                            std::to_string(p.revision));
  }
  return Status::Conflict(p.uuid + " no longer exists");
}

Status SqlStore::Delete(const char* table, const std::string& uuid) {
  auto s = db_->Prepare(std::string("DELETE FROM ") + table + " WHERE uuid = ?");
  if (!s.ok()) return s.status();
  return (*s)->Bind(1, uuid).Run();
}

Status SqlStore::AddRevision(const char* entity, const std::string& uuid,
                                const std::string& framework, std::int64_t number,
                                const std::string& before, const std::string& after, Write& w) {
  static const std::string kInsert =
      "INSERT INTO revisions (entity, entity_uuid, framework_uuid, number, author, at, reason,"
      " before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  auto s = db_->Prepare(kInsert);
  if (!s.ok()) return s.status();
  Statement& st = **s;
  // Every text here outlives the statement's run: bound in place.
  st.BindKept(1, entity).BindKept(2, uuid).BindKept(3, framework).Bind(4, number);
  st.BindKept(5, w.who.author).BindKept(6, w.at).BindKeptOrNull(7, w.who.reason);
  st.BindKeptOrNull(8, before).BindKeptOrNull(9, after);
  ++w.report.revisions;
  return st.Run();
}

}  // namespace

std::unique_ptr<Store> NewSqlStore(std::unique_ptr<sql::Database> db) {
  return std::make_unique<SqlStore>(std::move(db));
}

}  // namespace opennos
