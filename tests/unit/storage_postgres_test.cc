// What only the PostgreSQL backend does: schema migrations on demand under a lock, several
// connections writing at once, NOTIFY to followers, connections made again. The Store's own
// behaviour is tested against both backends in storage_backends_test.cc.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "storage/open.h"
#include "storage/sql/migrations.h"
#include "unit/doc_builder.h"
#include "unit/postgres_server.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

using test::SampleFramework;

const ChangeContext kAlice{"alice", "first draft"};

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = test::PostgresUnavailable();
    if (!why.empty()) GTEST_SKIP() << "PostgreSQL tests skipped: " << why;
    db_ = std::make_unique<test::PostgresDatabase>();
  }
  const std::string& url() const { return db_->url(); }
  std::unique_ptr<Store> Migrated() {
    auto store = OpenStore(url(), OpenMode::kMigrate);
    if (!store.ok()) throw std::runtime_error(store.status().message());
    return std::move(*store);
  }

  std::unique_ptr<test::PostgresDatabase> db_;
};

TEST_F(PostgresStoreTest, RefusesAnUnmigratedDatabaseNamingTheMigrateCommand) {
  auto store = OpenStore(url(), OpenMode::kExisting);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kInvalid);
  EXPECT_NE(store.status().message().find("`opennos migrate`"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM information_schema.tables"
                                  " WHERE table_name = 'frameworks'"),
            0)
      << "refusing applies no migration";
}

TEST_F(PostgresStoreTest, MigratesOnceAndThenOpens) {
  auto applied = MigrateStore(url());
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(*applied, sql::LatestSchemaVersion());
  auto again = MigrateStore(url());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_TRUE(OpenStore(url(), OpenMode::kExisting).ok());
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM schema_migrations"),
            sql::LatestSchemaVersion());
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM schema_migrations"
                                  " WHERE applied_at NOT LIKE '____-__-__T__:__:__Z'"),
            0);
}

TEST_F(PostgresStoreTest, KeepsNoReferenceFromAnItemToItsParent) {
  Migrated();
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM pg_constraint"
                                  " WHERE conrelid = 'items'::regclass AND contype = 'f'"),
            1)
      << "only the framework: a parent is checked with the whole framework (migration 5)";
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM pg_indexes WHERE indexname = 'items_by_parent'"),
            0);
}

TEST_F(PostgresStoreTest, AppliesEachMigrationOnceWhenManyProcessesMigrateAtOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> applied{0}, failed{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      auto n = MigrateStore(url());
      if (n.ok()) {
        applied += *n;
      } else {
        ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(applied, sql::LatestSchemaVersion());
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM schema_migrations"),
            sql::LatestSchemaVersion());
}

TEST_F(PostgresStoreTest, RefusesADatabaseWithANewerSchemaVersion) {
  Migrated()->SaveFrameworks({SampleFramework("ML", "2024")}, kAlice).value();
  test::ExecSql(url(), "INSERT INTO schema_migrations (version, description, applied_at)"
                       " VALUES (999, 'from a future build', '2030-01-01T00:00:00Z')");
  for (OpenMode mode : {OpenMode::kExisting, OpenMode::kMigrate}) {
    auto store = OpenStore(url(), mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Status::Code::kInvalid);
    EXPECT_NE(store.status().message().find("999"), std::string::npos);
  }
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM frameworks"), 1);
}

TEST_F(PostgresStoreTest, OpensForARoleThatMayOnlyReadAndWriteRows) {
  Migrated();
  const std::string role = db_->name() + "_app";
  test::ExecSql(url(), "CREATE ROLE " + role + " LOGIN");
  test::ExecSql(url(), "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " +
                           role + "; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + role);
  const std::string as_role = url().substr(0, url().find("&user=")) + "&user=" + role;
  {
    auto store = OpenStore(as_role, OpenMode::kExisting);
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto saved = (*store)->SaveFrameworks({SampleFramework("ML", "2024")}, kAlice);
    EXPECT_TRUE(saved.ok()) << saved.status().message();
  }
  auto migrate = MigrateStore(as_role);
  EXPECT_TRUE(migrate.ok()) << "nothing pending: " << migrate.status().message();
  db_.reset();  // drops the database (and with it the role's grants)
  test::ExecSql(test::PostgresAdminUrl(), "DROP ROLE " + role);
}

TEST(PostgresStoreOpen, ReportsAnUnreachableServerWithoutItsPassword) {
  auto store = OpenStore("postgresql://someone:s3cret@127.0.0.1:1/nothing?connect_timeout=2",
                         OpenMode::kExisting);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kIo);
  EXPECT_NE(store.status().message().find("someone:***@127.0.0.1:1/nothing"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(store.status().message().find("s3cret"), std::string::npos);
}

// Writers on several connections at once, and a follower reading the change log as they go:
// every write lands whole, and the follower, reading past the highest number it has seen,
// misses none (numbers are handed out in commit order).
TEST_F(PostgresStoreTest, ManyWritersAtOnceLoseNothingAndTheChangeLogMissesNothing) {
  Migrated();
  constexpr int kWriters = 4, kWrites = 8;
  std::atomic<bool> done{false};
  std::set<std::int64_t> followed;
  std::thread follower([&] {
    auto store = OpenStore(url(), OpenMode::kExisting);
    ASSERT_TRUE(store.ok());
    std::int64_t seen = 0;
    for (;;) {
      const bool last_round = done.load();
      auto changes = (*store)->ChangesSince(seen, 1000);
      ASSERT_TRUE(changes.ok()) << changes.status().message();
      for (const Change& c : *changes) {
        followed.insert(c.seq);
        seen = c.seq;
      }
      if (last_round) break;
    }
  });
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto store = OpenStore(url(), OpenMode::kExisting);
      if (!store.ok()) {
        ++failures;
        return;
      }
      FrameworkDoc doc = SampleFramework("W" + std::to_string(w), "1");
      for (int i = 0; i < kWrites; ++i) {
        test::ItemCoded(doc, "A1.P1").text = "Revision " + std::to_string(i);
        if (!(*store)->SaveFrameworks({doc}, kAlice).ok()) ++failures;
      }
    });
  }
  for (auto& t : writers) t.join();
  done = true;
  follower.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM change_log"), kWriters * kWrites);
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM frameworks"), kWriters);
  EXPECT_EQ(followed.size(), static_cast<size_t>(kWriters * kWrites))
      << "the follower saw every change";
  // Each framework's first write creates its 7 items with it (recorded by the framework's own
  // revision); each later write changes one item.
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM revisions WHERE entity = 'item'"),
            kWriters * (kWrites - 1));
  EXPECT_EQ(test::QueryInt(url(), "SELECT count(*) FROM revisions WHERE entity = 'framework'"),
            kWriters);
}

TEST_F(PostgresStoreTest, WakesAFollowerSoonAfterAnotherConnectionWrites) {
  auto follower = Migrated();
  auto writer = Migrated();
  auto first = follower->WaitForChange(0, 10);  // starts listening
  ASSERT_TRUE(first.ok());
  std::thread write([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ASSERT_TRUE(writer->SaveFrameworks({SampleFramework("ML", "2024")}, kAlice).ok());
  });
  const auto start = std::chrono::steady_clock::now();
  std::int64_t seq = 0;
  while (seq == 0 && std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    auto next = follower->WaitForChange(0, 10'000);
    ASSERT_TRUE(next.ok()) << next.status().message();
    seq = *next;
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  write.join();
  EXPECT_EQ(seq, 1);
  EXPECT_LT(waited, std::chrono::seconds(2)) << "woken by NOTIFY, not by the 10 s timeout";
}

TEST_F(PostgresStoreTest, MakesALostConnectionAgain) {
  auto store = Migrated();
  ASSERT_TRUE(store->SaveFrameworks({SampleFramework("ML", "2024")}, kAlice).ok());
  test::ExecSql(url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND pid <> pg_backend_pid()");
  auto list = store->ListFrameworks();
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(list->size(), 1u);
  test::ExecSql(url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND pid <> pg_backend_pid()");
  auto saved = store->SaveFrameworks({SampleFramework("CM", "2023")}, kAlice);
  EXPECT_TRUE(saved.ok()) << saved.status().message();
}

}  // namespace
}  // namespace opennos
