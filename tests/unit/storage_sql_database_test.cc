// The SQL connection both backends implement (storage/sql/database.h), checked the same way on
// each: what the store and its neighbours rely on beyond plain queries.

#include <gtest/gtest.h>

#include "storage/postgres/connection.h"
#include "storage/sqlite/db.h"
#include "unit/postgres_server.h"
#include "unit/store_backends.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

class SqlDatabaseTest : public ::testing::TestWithParam<test::Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == test::Backend::kSqlite) {
      auto db = sqlite::Database::Open(dir_.File("t.db"), true);
      ASSERT_TRUE(db.ok()) << db.status().message();
      db_ = std::move(*db);
      return;
    }
    const std::string why = test::PostgresUnavailable();
    if (!why.empty()) GTEST_SKIP() << "PostgreSQL tests skipped: " << why;
    postgres_ = std::make_unique<test::PostgresDatabase>();
    auto conn = postgres::Connection::Open(postgres_->url());
    ASSERT_TRUE(conn.ok()) << conn.status().message();
    db_ = std::move(*conn);
  }
  void Run(const std::string& sql) {
    auto s = db_->Prepare(sql);
    ASSERT_TRUE(s.ok()) << s.status().message();
    ASSERT_TRUE((*s)->Run().ok()) << sql;
  }

  test::ScratchDir dir_;
  std::unique_ptr<test::PostgresDatabase> postgres_;
  std::unique_ptr<sql::Database> db_;
};

INSTANTIATE_TEST_SUITE_P(Backends, SqlDatabaseTest, test::AllBackends(), test::BackendParamName);

TEST_P(SqlDatabaseTest, CountsTheRowsTheLastChangingStatementTouched) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL)").ok());
  Run("INSERT INTO t (name, score) VALUES ('a', 0.5), ('b', 1.25), ('c', NULL)");
  EXPECT_EQ(db_->Changes(), 3);
  Run("UPDATE t SET score = 2 WHERE name <> 'c'");
  EXPECT_EQ(db_->Changes(), 2);
  Run("SELECT * FROM t");
  EXPECT_EQ(db_->Changes(), 2) << "a query leaves the count as it was";
  Run("DELETE FROM t WHERE name = 'nobody'");
  EXPECT_EQ(db_->Changes(), 0);
}

TEST_P(SqlDatabaseTest, ReadsColumnsByKindAndNameAndKeepsDoublesExactly) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL)").ok());
  auto insert = db_->Prepare("INSERT INTO t (id, name, score) VALUES (?, ?, ?)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE((*insert)->Bind(1, 7).Bind(2, "it's").Bind(3, 0.1 + 0.2).Run().ok());
  (*insert)->Reset();
  ASSERT_TRUE((*insert)->Bind(1, 8).BindNull(2).BindNull(3).Run().ok());
  auto select = db_->Prepare("SELECT id, name, score FROM t ORDER BY id");
  ASSERT_TRUE(select.ok());
  sql::Statement& s = **select;
  ASSERT_TRUE(*s.Step());
  EXPECT_EQ(s.ColumnCount(), 3);
  EXPECT_EQ(s.ColumnName(1), "name");
  EXPECT_EQ(s.ColumnKind(0), sql::Statement::Kind::kInteger);
  EXPECT_EQ(s.ColumnKind(1), sql::Statement::Kind::kText);
  EXPECT_EQ(s.ColumnKind(2), sql::Statement::Kind::kReal);
  EXPECT_EQ(s.Int(0), 7);
  EXPECT_EQ(s.Text(1), "it's");
  EXPECT_EQ(s.Double(2), 0.1 + 0.2);
  ASSERT_TRUE(*s.Step());
  EXPECT_EQ(s.ColumnKind(1), sql::Statement::Kind::kNull);
  EXPECT_TRUE(s.IsNull(2));
  EXPECT_EQ(s.Text(1), "");
  EXPECT_FALSE(*s.Step());
}

TEST_P(SqlDatabaseTest, RollsBackAWriteTransactionNotCommitted) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY)").ok());
  {
    sql::Transaction tx(*db_, sql::Transaction::Kind::kWrite);
    ASSERT_TRUE(tx.Begin().ok());
    EXPECT_TRUE(db_->InTransaction());
    Run("INSERT INTO t (id) VALUES (1)");
  }
  EXPECT_FALSE(db_->InTransaction());
  std::vector<std::int64_t> ids;
  auto s = db_->Prepare("SELECT id FROM t");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(sql::Collect(**s, ids, [](const sql::Statement& r) { return r.Int(0); }).ok());
  EXPECT_TRUE(ids.empty());
}

TEST_P(SqlDatabaseTest, ReportsAConstraintViolationAsAConflict) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY)").ok());
  Run("INSERT INTO t (id) VALUES (1)");
  auto s = db_->Prepare("INSERT INTO t (id) VALUES (1)");
  ASSERT_TRUE(s.ok());
  const Status again = (*s)->Run();
  EXPECT_EQ(again.code(), Status::Code::kConflict) << again.message();
}

}  // namespace
}  // namespace opennos
