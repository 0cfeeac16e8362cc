#include <gtest/gtest.h>

#include "formats/native.h"
#include "storage/sql/migrations.h"
#include "storage/sqlite/sqlite_store.h"
#include "unit/doc_builder.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

using test::SampleFramework;

const ChangeContext kAlice{"alice", "first draft"};

// --- Opening and migrations -----------------------------------------------------------------

TEST(SqliteStoreOpen, RefusesAMissingDatabaseUnlessAskedToCreateIt) {
  test::ScratchDir dir;
  const std::string path = dir.File("opennos.db");
  auto missing = OpenSqliteStore(path, false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find(path), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path)) << "a refused open creates nothing";
  EXPECT_TRUE(OpenSqliteStore(path, true).ok());
  EXPECT_TRUE(OpenSqliteStore(path, false).ok());
}

TEST(SqliteStoreOpen, ReportsADirectoryThatDoesNotExist) {
  test::ScratchDir dir;
  auto store = OpenSqliteStore(dir.File("no/such/dir/opennos.db"), true);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("no/such/dir"), std::string::npos)
      << store.status().message();
}

TEST(SqliteStoreOpen, RefusesAFileThatIsNotADatabase) {
  test::ScratchDir dir;
  const std::string path = dir.File("opennos.db");
  test::WriteFile(path, std::string(4096, 'x'));
  auto store = OpenSqliteStore(path, false);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find(path), std::string::npos) << store.status().message();
  EXPECT_EQ(test::ReadFile(path), std::string(4096, 'x'));
}

TEST(SqliteStoreOpen, OpensTheSameDatabaseTwiceAndSharesIt) {
  test::ScratchDir dir;
  auto first = test::OpenStoreIn(dir.path());
  auto second = test::OpenStoreIn(dir.path());
  const FrameworkDoc doc = SampleFramework("ML", "2024");
  ASSERT_TRUE(first->SaveFrameworks({doc}, kAlice).ok());
  auto seen = second->GetFramework(doc.framework.uuid);
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  first.reset();
  second.reset();
  auto again = test::OpenStoreIn(dir.path());
  EXPECT_TRUE(again->GetFramework(doc.framework.uuid).ok());
}

TEST(SqliteStoreOpen, RecordsEverySchemaVersionItApplies) {
  test::ScratchDir dir;
  test::OpenStoreIn(dir.path());
  test::OpenStoreIn(dir.path());
  const std::string db = test::DatabaseIn(dir.path());
  EXPECT_GE(sql::LatestSchemaVersion(), 1);
  EXPECT_EQ(test::QueryInt(db, "SELECT max(version) FROM schema_migrations"),
            sql::LatestSchemaVersion());
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM schema_migrations"),
            sql::LatestSchemaVersion())
      << "each version once, however often the store is opened";
  EXPECT_EQ(test::QueryInt(db,
                           "SELECT count(*) FROM schema_migrations WHERE description = '' "
                           "OR applied_at NOT LIKE '____-__-__T__:__:__Z'"),
            0);
}

TEST(SqliteStoreOpen, RefusesADatabaseWithANewerSchemaVersion) {
  test::ScratchDir dir;
  const FrameworkDoc doc = SampleFramework("ML", "2024");
  ASSERT_TRUE(test::OpenStoreIn(dir.path())->SaveFrameworks({doc}, kAlice).ok());
  const std::string db = test::DatabaseIn(dir.path());
  test::ExecSql(db,
                "INSERT INTO schema_migrations (version, description, applied_at) "
                "VALUES (999, 'from a future build', '2030-01-01T00:00:00Z')");
  auto store = OpenSqliteStore(db, false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kInvalid);
  EXPECT_NE(store.status().message().find("999"), std::string::npos) << store.status().message();
  EXPECT_NE(store.status().message().find(db), std::string::npos) << store.status().message();
  EXPECT_EQ(test::QueryInt(db, "SELECT max(version) FROM schema_migrations"), 999);
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM frameworks"), 1) << "the data is untouched";
}

TEST(SqliteStoreOpen, MigrationFourGivesEveryStoredItemItsTreeAssociationIdentifier) {
  test::ScratchDir dir;
  FrameworkDoc doc = SampleFramework("ML", "2024");
  doc.items.front().child_of_uuid = "5e0c6a10-a000-4000-8000-0000000000c1";
  ASSERT_TRUE(test::OpenStoreIn(dir.path())->SaveFrameworks({doc}, kAlice).ok());
  // Back to schema 3, as a store written before migration 4 was.
  const std::string db = test::DatabaseIn(dir.path());
  test::ExecSql(db,
                "DROP INDEX items_by_tree_link; ALTER TABLE items DROP COLUMN tree_link_uuid;"
                " CREATE INDEX revisions_by_framework ON revisions (framework_uuid, id);"
                " DELETE FROM schema_migrations WHERE version >= 4");
  auto store = test::OpenStoreIn(dir.path());
  EXPECT_EQ(test::QueryInt(db, "SELECT max(version) FROM schema_migrations"),
            sql::LatestSchemaVersion());
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM items WHERE tree_link_uuid IS NULL"), 0);
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE name = 'revisions_by_framework'"), 0);
  for (const Item& item : doc.items) {
    auto found = store->ItemWithChildOf(ChildOfUuid(item));
    ASSERT_TRUE(found.ok()) << item.code << ": " << found.status().message();
    EXPECT_EQ(found->uuid, item.uuid);
  }
}

TEST(SqliteStoreOpen, MigrationFiveDropsTheParentReferenceAndKeepsEveryItem) {
  test::ScratchDir dir;
  const FrameworkDoc doc = SampleFramework("ML", "2024", "ODSML01");
  ASSERT_TRUE(test::OpenStoreIn(dir.path())->SaveFrameworks({doc}, kAlice).ok());
  const std::string db = test::DatabaseIn(dir.path());
  const auto parent_references = [&] {
    return test::QueryInt(db, "SELECT count(*) FROM pragma_foreign_key_list('items')"
                              " WHERE \"from\" = 'parent_uuid'");
  };
  EXPECT_EQ(parent_references(), 0);
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE name = 'items_by_parent'"), 0);
  // Back to schema 4: the items table as it was, with the reference and its index.
  test::ExecSql(db, R"sql(
CREATE TABLE items_old (
  uuid TEXT PRIMARY KEY, framework_uuid TEXT NOT NULL REFERENCES frameworks(uuid),
  parent_uuid TEXT REFERENCES items(uuid), position INTEGER NOT NULL, type TEXT NOT NULL,
  type_name TEXT, code TEXT, title TEXT, text TEXT, urn TEXT, overview TEXT, version INTEGER,
  unit_status TEXT, developed_by TEXT, originating_organisation TEXT, approved TEXT, review TEXT,
  validity TEXT, category TEXT, original_urn TEXT, keywords TEXT, occupations TEXT,
  cy_title TEXT, cy_text TEXT, cy_overview TEXT, extra TEXT, revision INTEGER NOT NULL,
  child_of_uuid TEXT, tree_link_uuid TEXT);
INSERT INTO items_old SELECT * FROM items;
DROP TABLE items;
ALTER TABLE items_old RENAME TO items;
CREATE INDEX items_by_framework ON items (framework_uuid, type);
CREATE INDEX items_by_parent ON items (parent_uuid);
CREATE INDEX items_by_urn ON items (urn COLLATE NOCASE) WHERE urn IS NOT NULL;
CREATE INDEX items_by_tree_link ON items (tree_link_uuid);
DELETE FROM schema_migrations WHERE version = 5;
)sql");
  ASSERT_EQ(parent_references(), 1);
  auto store = test::OpenStoreIn(dir.path());
  EXPECT_EQ(test::QueryInt(db, "SELECT max(version) FROM schema_migrations"), 5);
  EXPECT_EQ(parent_references(), 0);
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE name = 'items_by_parent'"), 0);
  for (const char* index : {"items_by_framework", "items_by_urn", "items_by_tree_link"}) {
    EXPECT_EQ(test::QueryInt(db, std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                                     index + "'"),
              1)
        << index;
  }
  auto loaded = store->LoadFramework(doc.framework.uuid);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(WriteNative(*loaded), WriteNative(doc));
}

}  // namespace
}  // namespace opennos
