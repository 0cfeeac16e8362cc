#include "storage/sql/migrations.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"

namespace opennos::sql {
namespace {

struct Migration {
  int version;
  const char* description;
  const char* sql;  // nullptr: `then` does it all
  // What SQL cannot do, run after `sql` in the same transaction (nullptr: nothing).
  Status (*then)(Database& db) = nullptr;
};

// Migration 4: every item's tree association identifier, as the store now writes it.
Status FillChildOfUuids(Database& db) {
  auto select = db.Prepare("SELECT uuid, child_of_uuid FROM items WHERE tree_link_uuid IS NULL");
  if (!select.ok()) return select.status();
  std::vector<std::pair<std::string, std::string>> rows;
  if (Status s = Collect(**select, rows, [](const Statement& r) {
        Item item;
        item.uuid = r.Text(0);
        item.child_of_uuid = r.Text(1);
        return std::make_pair(item.uuid, ChildOfUuid(item));
      });
      !s.ok()) {
    return s;
  }
  auto update = db.Prepare("UPDATE items SET tree_link_uuid = ? WHERE uuid = ?");
  if (!update.ok()) return update.status();
  for (const auto& [uuid, link] : rows) {
    if (Status s = (*update)->Reset().Bind(1, link).Bind(2, uuid).Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

// Migration 5: items.parent_uuid no longer references items(uuid). Every write of items is a
// whole framework checked first (core/validate.h: each parent is an item of the same
// framework), so the constraint only cost every insert a look-up and an index, items_by_parent,
// that nothing else reads. SQLite cannot drop a constraint: the table is made again.
Status DropParentReference(Database& db) {
  if (db.dialect() == Dialect::kPostgres) {
    return db.Exec(
        "ALTER TABLE items DROP CONSTRAINT IF EXISTS items_parent_uuid_fkey;"
        "DROP INDEX IF EXISTS items_by_parent;");
  }
  // The table as it stands (migrations 1, 3 and 4 made it), without the reference.
  auto schema = db.Prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'items'");
  if (!schema.ok()) return schema.status();
  auto row = (*schema)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("no items table to remake");
  std::string sql = (*schema)->Text(0);
  (*schema)->Reset();
  const std::string reference = "parent_uuid TEXT REFERENCES items(uuid)";
  const size_t at = sql.find(reference);
  const size_t columns = sql.find('(');
  if (at == std::string::npos || columns == std::string::npos || columns > at) {
    return db.Exec("DROP INDEX IF EXISTS items_by_parent");  // made without it already
  }
  sql.replace(at, reference.size(), "parent_uuid TEXT");
  sql.replace(0, columns, "CREATE TABLE items_remade ");
  return db.Exec(sql + R"sql(;
INSERT INTO items_remade SELECT * FROM items;
DROP TABLE items;
ALTER TABLE items_remade RENAME TO items;
CREATE INDEX items_by_framework ON items (framework_uuid, type);
CREATE INDEX items_by_urn ON items (urn COLLATE NOCASE) WHERE urn IS NOT NULL;
CREATE INDEX items_by_tree_link ON items (tree_link_uuid);
)sql");
}

// Append only: a migration, once released, is never edited.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations{
      {1, "frameworks, items, associations, revisions, change log", R"sql(
CREATE TABLE frameworks (
  uuid TEXT PRIMARY KEY,
  code TEXT NOT NULL,
  edition TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  publisher TEXT, key_purpose TEXT, description TEXT, language TEXT, licence TEXT,
  published TEXT, review TEXT, previous_edition TEXT, translation_note TEXT, extra TEXT,
  revision INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (code, edition)
);
CREATE TABLE items (
  uuid TEXT PRIMARY KEY,
  framework_uuid TEXT NOT NULL REFERENCES frameworks(uuid),
  parent_uuid TEXT REFERENCES items(uuid),
  position INTEGER NOT NULL,
  type TEXT NOT NULL,
  type_name TEXT, code TEXT, title TEXT, text TEXT,
  urn TEXT, overview TEXT, version INTEGER, unit_status TEXT, developed_by TEXT,
  originating_organisation TEXT, approved TEXT, review TEXT, validity TEXT, category TEXT,
  original_urn TEXT, keywords TEXT, occupations TEXT,
  cy_title TEXT, cy_text TEXT, cy_overview TEXT,
  extra TEXT,
  revision INTEGER NOT NULL
);
CREATE INDEX items_by_framework ON items (framework_uuid, type);
CREATE INDEX items_by_parent ON items (parent_uuid);
CREATE INDEX items_by_urn ON items (urn COLLATE NOCASE) WHERE urn IS NOT NULL;
CREATE TABLE associations (
  uuid TEXT PRIMARY KEY,
  framework_uuid TEXT NOT NULL REFERENCES frameworks(uuid),
  position INTEGER NOT NULL,
  type TEXT NOT NULL,
  origin_uuid TEXT, origin_framework TEXT, origin_code TEXT, origin_uri TEXT, origin_title TEXT,
  dest_uuid TEXT, dest_framework TEXT, dest_code TEXT, dest_uri TEXT, dest_title TEXT,
  provenance TEXT NOT NULL, score REAL, decision TEXT, extra TEXT,
  revision INTEGER NOT NULL
);
CREATE INDEX associations_by_framework ON associations (framework_uuid);
CREATE INDEX associations_by_origin ON associations (origin_uuid);
CREATE INDEX associations_by_destination ON associations (dest_uuid);
CREATE TABLE revisions (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_uuid TEXT NOT NULL,
  framework_uuid TEXT NOT NULL,
  number INTEGER NOT NULL,
  author TEXT NOT NULL,
  at TEXT NOT NULL,
  reason TEXT,
  before TEXT,
  after TEXT
);
CREATE INDEX revisions_by_entity ON revisions (entity_uuid, number);
CREATE INDEX revisions_by_framework ON revisions (framework_uuid, id);
CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  framework_uuid TEXT NOT NULL,
  at TEXT NOT NULL
);
)sql"},
      {2, "accounts: organisations, users, memberships, framework owners, sessions, tokens, audit",
       R"sql(
CREATE TABLE organisations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order they were added in
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  password_hash TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE memberships (
  user_id TEXT NOT NULL REFERENCES users(id),
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_by_organisation ON memberships (organisation_id);
CREATE TABLE framework_owners (
  framework_uuid TEXT PRIMARY KEY REFERENCES frameworks(uuid),
  organisation_id TEXT NOT NULL REFERENCES organisations(id)
);
CREATE INDEX framework_owners_by_organisation ON framework_owners (organisation_id);
CREATE TABLE sessions (
  id_digest TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  address TEXT,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  digest TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor_id TEXT,
  actor TEXT NOT NULL,
  address TEXT,
  organisation_id TEXT,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT
);
CREATE INDEX audit_log_by_organisation ON audit_log (organisation_id, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, id);
CREATE TABLE sign_in_failures (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql"},
      {3, "items: the identifier of an item's isChildOf association, kept from a CASE package",
       "ALTER TABLE items ADD COLUMN child_of_uuid TEXT"},
      // The service finds a tree association by its identifier through an index, and the
      // store keeps CASE identifiers unique across frameworks; revisions are never read by
      // framework, so that index only slowed every write.
      {4, "items: every tree association's identifier, indexed; revisions no longer indexed by framework",
       R"sql(
ALTER TABLE items ADD COLUMN tree_link_uuid TEXT;
CREATE INDEX items_by_tree_link ON items (tree_link_uuid);
DROP INDEX revisions_by_framework;
)sql",
       FillChildOfUuids},
      {5, "items: a parent is no longer a foreign key (a framework is checked whole before a write)",
       nullptr, DropParentReference},
  };
  return kMigrations;
}

std::string NowIso() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<int> ReadVersion(Database& db) {
  auto stmt = db.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!stmt.ok()) return stmt.status();
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  const int version = static_cast<int>((*stmt)->Int(0));
  (*stmt)->Reset();
  return version;
}

Status CheckNotNewer(int version) {
  if (version <= LatestSchemaVersion()) return Status::Ok();
  return Status::Invalid("the database has schema version " + std::to_string(version) +
                         ", newer than this build's " + std::to_string(LatestSchemaVersion()) +
                         ": use a newer opennos");
}

// Applies the migrations after the current version; the schema lock is held.
Result<int> ApplyPending(Database& db) {
  auto current = SchemaVersion(db);
  if (!current.ok()) return current.status();
  if (Status s = CheckNotNewer(*current); !s.ok()) return s;
  int applied = 0;
  for (const Migration& m : Migrations()) {
    if (m.version <= *current) continue;
    Transaction tx(db, Transaction::Kind::kWrite);
    if (Status s = tx.Begin(); !s.ok()) return s;
    // Another process may have migrated while we waited for the write lock.
    auto again = ReadVersion(db);
    if (!again.ok()) return again.status();
    if (*again >= m.version) continue;
    if (Status s = m.sql != nullptr ? db.Exec(m.sql) : Status::Ok(); !s.ok()) {
      return s.WithContext("migration " + std::to_string(m.version));
    }
    if (m.then != nullptr) {
      if (Status s = m.then(db); !s.ok()) {
        return s.WithContext("migration " + std::to_string(m.version));
      }
    }
    auto insert = db.Prepare(
        "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)");
    if (!insert.ok()) return insert.status();
    if (Status s = (*insert)->Bind(1, m.version).Bind(2, m.description).Bind(3, NowIso()).Run();
        !s.ok()) {
      return s;
    }
    if (Status s = tx.Commit(); !s.ok()) return s;
    ++applied;
  }
  return applied;
}

}  // namespace

int LatestSchemaVersion() { return Migrations().back().version; }

Result<int> SchemaVersion(Database& db) {
  // Created only when missing: a role that may not create tables still reads the version.
  auto tables = db.Tables();
  if (!tables.ok()) return tables.status();
  if (std::find(tables->begin(), tables->end(), "schema_migrations") == tables->end()) {
    if (Status s = db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                           "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                           "applied_at TEXT NOT NULL)");
        !s.ok()) {
      return s;
    }
  }
  return ReadVersion(db);
}

Result<int> Migrate(Database& db) {
  if (Status s = db.LockSchema(); !s.ok()) return s;
  auto applied = ApplyPending(db);
  Status unlocked = db.UnlockSchema();
  if (applied.ok() && !unlocked.ok()) return unlocked;
  return applied;
}

}  // namespace opennos::sql
