#include <gtest/gtest.h>

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
                " DELETE FROM schema_migrations WHERE version = 4");
  auto store = test::OpenStoreIn(dir.path());
  EXPECT_EQ(test::QueryInt(db, "SELECT max(version) FROM schema_migrations"), 4);
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM items WHERE tree_link_uuid IS NULL"), 0);
  EXPECT_EQ(test::QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE name = 'revisions_by_framework'"), 0);
  for (const Item& item : doc.items) {
    auto found = store->ItemWithChildOf(ChildOfUuid(item));
    ASSERT_TRUE(found.ok()) << item.code << ": " << found.status().message();
    EXPECT_EQ(found->uuid, item.uuid);
  }
}

}  // namespace
}  // namespace opennos
