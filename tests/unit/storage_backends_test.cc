#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "core/codec.h"
#include "core/uuid.h"
#include "formats/native.h"
#include "unit/doc_builder.h"
#include "unit/store_backends.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

using test::AddItem;
using test::ItemCoded;
using test::SampleFramework;

const ChangeContext kAlice{"alice", "first draft"};
const ChangeContext kBob{"bob", "fix a typo"};

// Every test here runs against each backend: SQLite, and PostgreSQL on a throwaway server.
class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!backend_.Start(Backend())) GTEST_SKIP() << backend_.skip_reason();
    store_ = backend_.Open();
  }
  virtual test::Backend Backend() const = 0;

  SaveReport Save(const FrameworkDoc& doc, const ChangeContext& who = kAlice) {
    return SaveAll({doc}, who);
  }
  SaveReport SaveAll(const std::vector<FrameworkDoc>& docs, const ChangeContext& who = kAlice) {
    auto report = store_->SaveFrameworks(docs, who);
    if (!report.ok()) ADD_FAILURE() << report.status().message();
    return report.ok() ? *report : SaveReport{};
  }
  std::vector<Revision> HistoryOf(const std::string& uuid) {
    auto history = store_->History(uuid);
    EXPECT_TRUE(history.ok()) << history.status().message();
    return history.ok() ? *history : std::vector<Revision>{};
  }
  test::StoreState State() { return test::CaptureState(*store_, backend_.database()); }

  test::BackendStore backend_;
  std::unique_ptr<Store> store_;
};

class StoreTest : public StoreFixture, public ::testing::WithParamInterface<test::Backend> {
 protected:
  test::Backend Backend() const override { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, test::AllBackends(), test::BackendParamName);

// --- Saving and loading ---------------------------------------------------------------------

TEST_P(StoreTest, LoadsAFrameworkBackAsItWasSaved) {
  const FrameworkDoc doc = SampleFramework("ML", "2024", "ODSML01");
  Save(doc);
  auto loaded = store_->LoadFramework(doc.framework.uuid);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(WriteNative(*loaded), WriteNative(doc));
  for (const Item& item : loaded->items) EXPECT_EQ(item.revision, 1) << item.code;
  EXPECT_EQ(loaded->framework.revision, 1);
}

TEST_P(StoreTest, KeepsEveryFieldOfAnItemAndAnAssociation) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Item& unit = ItemCoded(doc, "A1");
  unit.unit = {"ODSML01",       "An overview.", 3,
               "tailored",      "Someone",      "Another org",
               "2024-01-02",    "2026-03-04",   "legacy",
               "job-specific",  "OLD01",        {"one", "two, with a comma"},
               {"1131", "2134"}};
  unit.cy = {"Teitl", "Testun", "Trosolwg"};
  unit.extra = R"({"case":{"CFItemType":"Standard"}})";
  unit.child_of_uuid = "5e0c6a10-a000-4000-8000-0000000000c1";
  Item& statement = ItemCoded(doc, "A1.K1");
  statement.type = ItemType::kStatement;
  statement.type_name = "Underpinning knowledge";
  Association& a = doc.associations.front();
  a.provenance = "suggested";
  a.score = 0.25;
  a.decision = "accepted";
  a.extra = R"({"note":"kept"})";
  doc.framework.extra = R"({"CFDocument":{"subject":["management"]}})";
  Save(doc);
  auto loaded = store_->LoadFramework(doc.framework.uuid);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(WriteNative(*loaded), WriteNative(doc));
  EXPECT_EQ(ItemCoded(*loaded, "A1").child_of_uuid, unit.child_of_uuid);
}

TEST_P(StoreTest, LoadsAnOutlineWithTheItemsInTreeOrderAndOnlyTheFieldsAnalysisReads) {
  FrameworkDoc doc = SampleFramework("ML", "2024", "ODSML01");
  Item& unit = ItemCoded(doc, "A1");
  unit.unit.overview = "An overview.";
  unit.unit.keywords = {"one", "two"};
  unit.cy = {"Teitl", "Testun", "Trosolwg"};
  unit.extra = R"({"case":{"CFItemType":"Standard"}})";
  Save(doc);
  auto whole = store_->LoadFramework(doc.framework.uuid);
  auto outline = store_->LoadFrameworkOutline(doc.framework.uuid);
  ASSERT_TRUE(whole.ok() && outline.ok()) << outline.status().message();
  EXPECT_EQ(outline->framework.uuid, doc.framework.uuid);
  EXPECT_EQ(outline->framework.title, whole->framework.title);
  EXPECT_TRUE(outline->associations.empty());
  ASSERT_EQ(outline->items.size(), whole->items.size());
  for (std::size_t i = 0; i < whole->items.size(); ++i) {
    const Item& o = outline->items[i];
    const Item& w = whole->items[i];
    EXPECT_EQ(o.uuid, w.uuid);
    EXPECT_EQ(o.parent_uuid, w.parent_uuid);
    EXPECT_EQ(o.position, w.position);
    EXPECT_EQ(o.type, w.type);
    EXPECT_EQ(o.type_name, w.type_name);
    EXPECT_EQ(o.code, w.code);
    EXPECT_EQ(o.title, w.title);
    EXPECT_EQ(o.text, w.text);
    EXPECT_EQ(o.unit.urn, w.unit.urn);
  }
  const Item& a1 = ItemCoded(*outline, "A1");
  EXPECT_EQ(a1.unit.urn, "ODSML01");
  EXPECT_TRUE(a1.unit.overview.empty());
  EXPECT_TRUE(a1.unit.keywords.empty());
  EXPECT_TRUE(a1.cy.title.empty());
  EXPECT_TRUE(a1.extra.empty());
  EXPECT_EQ(store_->LoadFrameworkOutline(NewUuid()).status().code(), Status::Code::kNotFound);
}

TEST_P(StoreTest, FindsAnItemByItsTreeAssociationIdentifierKeptOrDerived) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Item& kept = ItemCoded(doc, "A1");
  kept.child_of_uuid = "5e0c6a10-a000-4000-8000-0000000000c1";
  Save(doc);
  auto found = store_->ItemWithChildOf(kept.child_of_uuid);
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->uuid, kept.uuid);
  for (const Item& item : doc.items) {
    auto by_id = store_->ItemWithChildOf(ChildOfUuid(item));
    ASSERT_TRUE(by_id.ok()) << item.code;
    EXPECT_EQ(by_id->uuid, item.uuid);
  }
  EXPECT_EQ(store_->ItemWithChildOf(DerivedChildOfUuid(kept.uuid)).status().code(),
            Status::Code::kNotFound)
      << "an item with an identifier of its own is not found by the derived one";
  EXPECT_EQ(store_->ItemWithChildOf(NewUuid()).status().code(), Status::Code::kNotFound);
}

TEST_P(StoreTest, RefusesATreeAssociationIdentifierAnotherFrameworkUses) {
  FrameworkDoc first = SampleFramework("ML", "2024");
  ItemCoded(first, "A1").child_of_uuid = "5e0c6a10-a000-4000-8000-0000000000c1";
  Save(first);
  const auto frameworks = [&] { return store_->ListFrameworks()->size(); };
  const auto refused = [&](const FrameworkDoc& doc, const std::string& what) {
    auto r = store_->SaveFrameworks({doc}, kAlice);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), Status::Code::kConflict) << what;
    EXPECT_NE(r.status().message().find("another framework"), std::string::npos)
        << what << ": " << r.status().message();
    EXPECT_EQ(frameworks(), 1u) << what << ": nothing written";
  };
  {  // the same kept identifier in another framework
    FrameworkDoc other = SampleFramework("CM", "2024");
    ItemCoded(other, "A1").child_of_uuid = ItemCoded(first, "A1").child_of_uuid;
    refused(other, "a kept identifier twice");
  }
  {  // another framework's derived tree identifier kept as this one's
    FrameworkDoc other = SampleFramework("CM", "2024");
    ItemCoded(other, "A1").child_of_uuid = DerivedChildOfUuid(ItemCoded(first, "A1.K1").uuid);
    refused(other, "a derived identifier kept");
  }
  {  // another framework's association
    FrameworkDoc other = SampleFramework("CM", "2024");
    ItemCoded(other, "A1").child_of_uuid = first.associations.front().uuid;
    refused(other, "an association's identifier");
  }
  {  // an association with another framework's tree identifier
    FrameworkDoc other = SampleFramework("CM", "2024");
    other.associations.front().uuid = ItemCoded(first, "A1").child_of_uuid;
    refused(other, "a tree identifier as an association's");
  }
  // The framework itself may save it again, changed or not.
  ItemCoded(first, "A1").title = "Renamed";
  Save(first);
  EXPECT_EQ(store_->ItemWithChildOf(ItemCoded(first, "A1").child_of_uuid)->title, "Renamed");
}

TEST_P(StoreTest, ReportsNotFoundForWhatItDoesNotHold) {
  const std::string unknown = NewUuid();
  EXPECT_EQ(store_->GetFramework(unknown).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->LoadFramework(unknown).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->GetItem(unknown).status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(HistoryOf(unknown).empty());
  auto associations = store_->AssociationsOf(unknown);
  ASSERT_TRUE(associations.ok());
  EXPECT_TRUE(associations->empty());
}

TEST_P(StoreTest, StartsEmpty) {
  auto list = store_->ListFrameworks();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  EXPECT_EQ(*store_->LastChange(), 0);
}

TEST_P(StoreTest, ListsFrameworksByCodeThenEditionInNaturalOrderWithTheirCounts) {
  SaveAll({SampleFramework("ML", "2024"), SampleFramework("CM", "10"),
           SampleFramework("ML", "2004"), SampleFramework("CM", "9"),
           SampleFramework("ML", "2012")});
  auto list = store_->ListFrameworks();
  ASSERT_TRUE(list.ok());
  std::vector<std::string> names;
  for (const auto& s : *list) {
    names.push_back(s.framework.code + "@" + s.framework.edition);
    EXPECT_EQ(s.units, 2);
    EXPECT_EQ(s.statements, 4);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"CM@9", "CM@10", "ML@2004", "ML@2012", "ML@2024"}));
}

TEST_P(StoreTest, ListsAssociationsOfAnItemFromAnyFramework) {
  FrameworkDoc first = SampleFramework("ML", "2012");
  FrameworkDoc second = SampleFramework("ML", "2024");
  Association& across = test::AddAssociation(second, "replacedBy", "A1", "A1");
  across.origin = {ItemCoded(first, "A1").uuid, first.framework.uuid, "A1", "", ""};
  SaveAll({first, second});
  auto found = store_->AssociationsOf(ItemCoded(first, "A1").uuid);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().type, "replacedBy");
  EXPECT_EQ(found->front().framework_uuid, second.framework.uuid);
  auto criterion = store_->AssociationsOf(ItemCoded(first, "A1.K1").uuid);
  ASSERT_TRUE(criterion.ok());
  ASSERT_EQ(criterion->size(), 1u) << "as the destination of isRelatedTo";
  EXPECT_EQ(criterion->front().type, "isRelatedTo");
}

// --- Revisions -------------------------------------------------------------------------------

bool LooksLikeUtcTime(const std::string& at) {
  return std::regex_match(at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"));
}

TEST_P(StoreTest, RecordsTheCreationOfEveryEntityWithAnEmptyBefore) {
  const FrameworkDoc doc = SampleFramework("ML", "2024");
  const SaveReport report = Save(doc);
  EXPECT_EQ(report.frameworks_created, 1);
  EXPECT_EQ(report.items_added, 7);
  EXPECT_EQ(report.associations_added, 1);
  EXPECT_EQ(report.revisions, 1 + 7 + 1);

  const auto framework = HistoryOf(doc.framework.uuid);
  ASSERT_EQ(framework.size(), 1u);
  EXPECT_EQ(framework[0].entity, "framework");
  EXPECT_EQ(framework[0].number, 1);
  EXPECT_EQ(framework[0].author, "alice");
  EXPECT_EQ(framework[0].reason, "first draft");
  EXPECT_TRUE(LooksLikeUtcTime(framework[0].at)) << framework[0].at;
  EXPECT_EQ(framework[0].before, "");
  EXPECT_EQ(framework[0].after, FrameworkSnapshot(doc.framework));

  for (const Item& item : doc.items) {
    const auto history = HistoryOf(item.uuid);
    ASSERT_EQ(history.size(), 1u) << item.code;
    EXPECT_EQ(history[0].entity, "item");
    EXPECT_EQ(history[0].entity_uuid, item.uuid);
    EXPECT_EQ(history[0].framework_uuid, doc.framework.uuid);
    EXPECT_EQ(history[0].number, 1);
    EXPECT_EQ(history[0].before, "");
    EXPECT_EQ(history[0].after, ItemSnapshot(item));
  }
  const auto association = HistoryOf(doc.associations.front().uuid);
  ASSERT_EQ(association.size(), 1u);
  EXPECT_EQ(association[0].entity, "association");
  EXPECT_EQ(association[0].before, "");
  EXPECT_EQ(association[0].after, AssociationSnapshot(doc.associations.front()));
  EXPECT_EQ(*store_->LastChange(), 1);
}

TEST_P(StoreTest, RecordsAnUpdateOfOneItemAsItsSecondRevision) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Save(doc);
  ItemCoded(doc, "A1.P2").text = "The corrected text of A1.P2.";
  const SaveReport report = Save(doc, kBob);
  EXPECT_EQ(report.frameworks_updated, 1);
  EXPECT_EQ(report.items_changed, 1);
  EXPECT_EQ(report.items_added + report.items_removed, 0);
  EXPECT_EQ(report.revisions, 1);

  const auto history = HistoryOf(ItemCoded(doc, "A1.P2").uuid);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].number, 2);
  EXPECT_EQ(history[1].author, "bob");
  EXPECT_EQ(history[1].reason, "fix a typo");
  EXPECT_TRUE(LooksLikeUtcTime(history[1].at)) << history[1].at;
  EXPECT_EQ(history[1].before, history[0].after);
  EXPECT_NE(history[1].after, history[1].before);
  EXPECT_NE(history[1].after.find("The corrected text"), std::string::npos);

  auto item = store_->GetItem(ItemCoded(doc, "A1.P2").uuid);
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->text, "The corrected text of A1.P2.");
  EXPECT_EQ(item->revision, 2);
  EXPECT_EQ(HistoryOf(ItemCoded(doc, "A1.P1").uuid).size(), 1u) << "other items are untouched";
  EXPECT_EQ(HistoryOf(doc.framework.uuid).size(), 1u) << "the framework record is untouched";
  EXPECT_EQ(*store_->LastChange(), 2);
}

// What a framework is created with is recorded once, by the framework's own first revision:
// each item's and association's history still starts with its creation, by the framework's
// author, for the framework's reason; what is added to it later has a revision of its own.
TEST_P(StoreTest, GivesWhatAFrameworkWasCreatedWithTheFrameworksCreationAsItsFirstRevision) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Save(doc);
  const std::string kept = ItemCoded(doc, "A1.P1").uuid;
  const Item removed = ItemCoded(doc, "A1.P2");
  std::erase_if(doc.items, [&](const Item& i) { return i.uuid == removed.uuid; });
  Item& added = AddItem(doc, ItemType::kPerformanceCriterion, "A1.P9", "A1");
  Save(doc, kBob);

  const auto first = HistoryOf(kept);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].author, "alice");
  EXPECT_EQ(first[0].reason, "first draft");
  EXPECT_EQ(first[0].at, HistoryOf(doc.framework.uuid)[0].at);
  EXPECT_EQ(first[0].framework_uuid, doc.framework.uuid);

  const auto gone = HistoryOf(removed.uuid);
  ASSERT_EQ(gone.size(), 2u);
  EXPECT_EQ(gone[0].number, 1);
  EXPECT_EQ(gone[0].author, "alice");
  EXPECT_EQ(gone[0].entity, "item");
  EXPECT_EQ(gone[0].after, ItemSnapshot(removed)) << "what was created is what was removed";
  EXPECT_EQ(gone[1].number, 2);
  EXPECT_EQ(gone[1].author, "bob");
  EXPECT_EQ(gone[1].after, "");

  const auto later = HistoryOf(added.uuid);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].author, "bob");
  EXPECT_EQ(later[0].reason, "fix a typo");
  EXPECT_EQ(later[0].after, ItemSnapshot(added));
  EXPECT_NE(later[0].id, first[0].id);
}

TEST_P(StoreTest, WritesOnlyWhenEveryPreconditionHolds) {
  FrameworkDoc doc = SampleFramework("ML", "2024", "ODSML01");
  Save(doc);
  const std::string item = ItemCoded(doc, "A1.P1").uuid;
  ItemCoded(doc, "A1.P1").text = "Changed once.";
  ChangeContext who = kBob;
  who.expect = {{item, 1}, {doc.framework.uuid, 1}};
  ASSERT_TRUE(store_->SaveFrameworks({doc}, who).ok());
  EXPECT_EQ(store_->GetItem(item)->revision, 2);
  // The same starting revision again: someone saved in between, so nothing is written.
  const test::StoreState before = State();
  ItemCoded(doc, "A1.P1").text = "Changed twice.";
  auto stale = store_->SaveFrameworks({doc}, who);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), Status::Code::kConflict);
  EXPECT_NE(stale.status().message().find("is at revision 2, not 1"), std::string::npos)
      << stale.status().message();
  test::ExpectSameState(before, State());
  who.expect = {{"00000000-0000-4000-8000-000000000000", 1}};
  EXPECT_EQ(store_->SaveFrameworks({doc}, who).status().code(), Status::Code::kConflict);
}

TEST_P(StoreTest, RecordsAChangeOfTheFrameworkRecord) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Save(doc);
  doc.framework.title = "A better title";
  doc.framework.status = FrameworkStatus::kSuperseded;
  const SaveReport report = Save(doc, kBob);
  EXPECT_EQ(report.frameworks_updated, 1);
  EXPECT_EQ(report.revisions, 1);
  const auto history = HistoryOf(doc.framework.uuid);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].number, 2);
  EXPECT_EQ(history[1].author, "bob");
  EXPECT_EQ(history[1].before, history[0].after);
  EXPECT_EQ(history[1].after, FrameworkSnapshot(doc.framework));
  auto stored = store_->GetFramework(doc.framework.uuid);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->title, "A better title");
  EXPECT_EQ(stored->status, FrameworkStatus::kSuperseded);
  EXPECT_EQ(stored->revision, 2);
}

TEST_P(StoreTest, RecordsTheRemovalOfAnItemWithAnEmptyAfter) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Save(doc);
  const std::string removed = ItemCoded(doc, "A2.P1").uuid;
  doc.items.pop_back();  // A2.P1, the last item
  const SaveReport report = Save(doc, kBob);
  EXPECT_EQ(report.items_removed, 1);
  EXPECT_EQ(report.revisions, 1);
  const auto history = HistoryOf(removed);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].number, 2);
  EXPECT_EQ(history[1].author, "bob");
  EXPECT_EQ(history[1].before, history[0].after);
  EXPECT_EQ(history[1].after, "");
  EXPECT_EQ(store_->GetItem(removed).status().code(), Status::Code::kNotFound);
}

TEST_P(StoreTest, RemovesAWholeSubtree) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Save(doc);
  const std::string unit = ItemCoded(doc, "A1").uuid;
  const std::string criterion = ItemCoded(doc, "A1.P1").uuid;
  FrameworkDoc smaller = test::EmptyFramework("ML", "2024");
  AddItem(smaller, ItemType::kKeyArea, "A").title = "Key area A";
  AddItem(smaller, ItemType::kUnit, "A2", "A").title = "Unit A2";
  AddItem(smaller, ItemType::kPerformanceCriterion, "A2.P1", "A2");
  const SaveReport report = Save(smaller);
  EXPECT_EQ(report.items_removed, 4);
  EXPECT_EQ(report.associations_removed, 1);
  EXPECT_EQ(report.items_changed, 1) << "A2 moved from position 1 to 0";
  for (const std::string& uuid : {unit, criterion}) {
    EXPECT_EQ(store_->GetItem(uuid).status().code(), Status::Code::kNotFound);
  }
  auto loaded = store_->LoadFramework(doc.framework.uuid);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(WriteNative(*loaded), WriteNative(smaller));
}

TEST_P(StoreTest, RecordsTheChangeAndRemovalOfAnAssociation) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Save(doc);
  const std::string uuid = doc.associations.front().uuid;
  doc.associations.front().type = "isPeerOf";
  EXPECT_EQ(Save(doc).associations_changed, 1);
  doc.associations.clear();
  EXPECT_EQ(Save(doc).associations_removed, 1);
  const auto history = HistoryOf(uuid);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].number, 2);
  EXPECT_NE(history[1].after.find("isPeerOf"), std::string::npos);
  EXPECT_EQ(history[2].number, 3);
  EXPECT_EQ(history[2].after, "");
}

TEST_P(StoreTest, WritesNoRevisionWhenAnUnchangedFrameworkIsSavedAgain) {
  const FrameworkDoc doc = SampleFramework("ML", "2024");
  Save(doc);
  const test::StoreState before = State();
  const SaveReport report = Save(doc, kBob);
  EXPECT_EQ(report.frameworks_unchanged, 1);
  EXPECT_EQ(report.frameworks_updated + report.frameworks_created, 0);
  EXPECT_EQ(report.revisions, 0);
  test::ExpectSameState(before, State());
}

TEST_P(StoreTest, NumbersTheRevisionsOfAnItemRemovedAndAddedAgainOnward) {
  FrameworkDoc doc = SampleFramework("ML", "2024");
  Save(doc);
  const Item removed = doc.items.back();  // A2.P1
  doc.items.pop_back();
  Save(doc);
  doc.items.push_back(removed);
  Save(doc);
  const auto history = HistoryOf(removed.uuid);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].number, 1);
  EXPECT_EQ(history[1].number, 2);
  EXPECT_EQ(history[1].after, "") << "the removal";
  EXPECT_EQ(history[2].number, 3);
  EXPECT_EQ(history[2].before, "");
  EXPECT_EQ(history[2].after, ItemSnapshot(removed)) << "the newest revision is the re-adding";
  auto item = store_->GetItem(removed.uuid);
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->revision, 3);
}

TEST_P(StoreTest, ReportsProgressEveryTenThousandItems) {
  FrameworkDoc doc = test::EmptyFramework("BIG", "1");
  AddItem(doc, ItemType::kUnit, "U").title = "A large unit";
  const std::string parent = doc.items.front().uuid;
  for (int i = 0; i < 25'000; ++i) {
    Item item;
    item.code = "U.P" + std::to_string(i);
    item.uuid = DerivedItemUuid(doc.framework.uuid, item.code);
    item.framework_uuid = doc.framework.uuid;
    item.parent_uuid = parent;
    item.position = i;
    item.type = ItemType::kPerformanceCriterion;
    item.text = "Criterion " + std::to_string(i);
    doc.items.push_back(std::move(item));
  }
  std::vector<std::int64_t> calls;
  const auto record = [](std::int64_t written, void* context) {
    static_cast<std::vector<std::int64_t>*>(context)->push_back(written);
  };
  auto report = store_->SaveFrameworks({doc}, kAlice, record, &calls);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(calls, (std::vector<std::int64_t>{10'000, 20'000}));
  EXPECT_EQ(report->items_added, 25'001);
}

// --- Following the change log from another connection ---------------------------------------

TEST_P(StoreTest, WaitForChangeReturnsSoonAfterAnotherConnectionWrites) {
  auto writer = backend_.Open();
  auto idle = store_->WaitForChange(0, 50);
  ASSERT_TRUE(idle.ok()) << idle.status().message();
  EXPECT_EQ(*idle, 0) << "nothing written: it waits out the timeout";
  std::thread write([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    EXPECT_TRUE(writer->SaveFrameworks({SampleFramework("ML", "2024")}, kAlice).ok());
  });
  const auto start = std::chrono::steady_clock::now();
  std::int64_t seen = 0;
  while (seen == 0 && std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    auto next = store_->WaitForChange(0, 5'000);
    ASSERT_TRUE(next.ok()) << next.status().message();
    seen = *next;
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  write.join();
  EXPECT_EQ(seen, 1);
  EXPECT_LT(waited, std::chrono::seconds(2)) << "woken by the write, not by the 5 s timeout";
  auto past = store_->WaitForChange(0, 5'000);
  ASSERT_TRUE(past.ok());
  EXPECT_EQ(*past, 1) << "already past: returns at once";
}

// --- Refusals --------------------------------------------------------------------------------

TEST_P(StoreTest, RefusesADifferentFrameworkWithTheSameCodeAndEdition) {
  Save(SampleFramework("ML", "2024"));
  const test::StoreState before = State();
  FrameworkDoc impostor = test::EmptyFramework("ML", "2024");
  impostor.framework.uuid = NewUuid();
  AddItem(impostor, ItemType::kUnit, "X1").title = "Another unit";
  auto report = store_->SaveFrameworks({impostor}, kBob);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kConflict);
  EXPECT_NE(report.status().message().find("code \"ML\" and edition \"2024\""), std::string::npos)
      << report.status().message();
  test::ExpectSameState(before, State());
  EXPECT_EQ(store_->GetItem(impostor.items.front().uuid).status().code(), Status::Code::kNotFound);
}

struct ForeignItemCase {
  const char* name;
  bool second_framework_stored_first;
};

void PrintTo(const ForeignItemCase& c, std::ostream* os) { *os << c.name; }

class StoreForeignItem
    : public StoreFixture,
      public ::testing::WithParamInterface<std::tuple<test::Backend, ForeignItemCase>> {
 protected:
  test::Backend Backend() const override { return std::get<0>(GetParam()); }
  const ForeignItemCase& Case() const { return std::get<1>(GetParam()); }
};

TEST_P(StoreForeignItem, RefusesAnItemUuidOfAnotherFrameworkAndWritesNothing) {
  FrameworkDoc owner = SampleFramework("ML", "2024");
  FrameworkDoc other = SampleFramework("CM", "2023");
  Save(owner);
  if (Case().second_framework_stored_first) Save(other);
  const test::StoreState before = State();

  Item& thief = AddItem(other, ItemType::kPerformanceCriterion, "A2.P9", "A2");
  thief.uuid = ItemCoded(owner, "A1.P1").uuid;
  ItemCoded(other, "A1.P1").text = "A change that must not be written either.";
  auto report = store_->SaveFrameworks({other}, kBob);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kConflict);
  EXPECT_NE(report.status().message().find("belongs to another framework"), std::string::npos)
      << report.status().message();
  test::ExpectSameState(before, State());
  auto kept = store_->GetItem(thief.uuid);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->framework_uuid, owner.framework.uuid);
}

INSTANTIATE_TEST_SUITE_P(WhetherTheFrameworkIsNewOrStored, StoreForeignItem,
                         ::testing::Combine(test::AllBackends(),
                                            ::testing::Values(ForeignItemCase{"new", false},
                                                              ForeignItemCase{"stored", true})),
                         [](const auto& info) {
                           return test::BackendName(std::get<0>(info.param)) + "_" +
                                  std::get<1>(info.param).name;
                         });

TEST_P(StoreTest, RefusesAnAssociationUuidOfAnotherFramework) {
  const FrameworkDoc owner = SampleFramework("ML", "2024");
  Save(owner);
  const test::StoreState before = State();
  FrameworkDoc other = SampleFramework("CM", "2023");
  other.associations.front().uuid = owner.associations.front().uuid;
  auto report = store_->SaveFrameworks({other}, kBob);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kConflict);
  test::ExpectSameState(before, State());
}

TEST_P(StoreTest, WritesNothingWhenAnyFrameworkOfTheCallIsRefused) {
  Save(SampleFramework("ML", "2024"));
  const test::StoreState before = State();
  FrameworkDoc fine = SampleFramework("CM", "2023");
  FrameworkDoc impostor = SampleFramework("ML", "2024");
  impostor.framework.uuid = NewUuid();
  auto report = store_->SaveFrameworks({fine, impostor}, kBob);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kConflict);
  EXPECT_NE(report.status().message().find("ML@2024"), std::string::npos)
      << "names the framework: " << report.status().message();
  test::ExpectSameState(before, State());
  EXPECT_EQ(store_->GetFramework(fine.framework.uuid).status().code(), Status::Code::kNotFound);
}

// --- Finding frameworks and units -------------------------------------------------------------

class StoreWithEditions : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    SaveAll({SampleFramework("ML", "2012", "ODSML01"), SampleFramework("ML", "2024", "ODSML01"),
             SampleFramework("ML", "2004", "ODSML01"), SampleFramework("V", "9", "V01"),
             SampleFramework("V", "10", "v01"), SampleFramework("OTHER", "1", "OTHER01")});
  }
  static std::string Uuid(const std::string& code, const std::string& edition) {
    return DerivedFrameworkUuid(code, edition);
  }
};

TEST_P(StoreWithEditions, ResolvesAFrameworkByUuidCodeOrCodeAtEdition) {
  const std::string ml2012 = Uuid("ML", "2012");
  std::string upper = ml2012;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::pair<std::string, std::string> cases[] = {
      {"ML", Uuid("ML", "2024")},
      {"V", Uuid("V", "10")},
      {"ML@2012", ml2012},
      {"ML@2004", Uuid("ML", "2004")},
      {"V@9", Uuid("V", "9")},
      {ml2012, ml2012},
      {upper, ml2012},
      {"{" + ml2012 + "}", ml2012},
      {"urn:uuid:" + ml2012, ml2012},
  };
  for (const auto& [name, uuid] : cases) {
    auto resolved = ResolveFramework(*store_, name);
    ASSERT_TRUE(resolved.ok()) << name << ": " << resolved.status().message();
    EXPECT_EQ(*resolved, uuid) << name;
  }
}

TEST_P(StoreWithEditions, ReportsNotFoundForAnyOtherName) {
  const std::vector<std::string> names{"XX", "ML@1999", "ML@",   "@2024",
                                       "",   "ML 2024", "V@09x", NewUuid()};
  for (const std::string& name : names) {
    auto resolved = ResolveFramework(*store_, name);
    ASSERT_FALSE(resolved.ok()) << name;
    EXPECT_EQ(resolved.status().code(), Status::Code::kNotFound) << name;
    EXPECT_NE(resolved.status().message().find(name), std::string::npos)
        << "names what was asked for: " << resolved.status().message();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreWithEditions, test::AllBackends(), test::BackendParamName);

std::vector<std::string> EditionsOf(Store& store, const std::vector<Item>& units) {
  std::vector<std::string> out;
  for (const Item& unit : units) {
    auto f = store.GetFramework(unit.framework_uuid);
    out.push_back(f.ok() ? f->code + "@" + f->edition : "?");
  }
  return out;
}

TEST_P(StoreWithEditions, FindsUnitsByUrnInAnyCaseNewestEditionFirst) {
  const std::pair<std::string, std::vector<std::string>> cases[] = {
      {"ODSML01", {"ML@2024", "ML@2012", "ML@2004"}},
      {"odsml01", {"ML@2024", "ML@2012", "ML@2004"}},
      {"OdSmL01", {"ML@2024", "ML@2012", "ML@2004"}},
      {"V01", {"V@10", "V@9"}},
      {"v01", {"V@10", "V@9"}},
      {"other01", {"OTHER@1"}},
      {"ODSML0", {}},
      {"ODSML01 ", {}},
      {"", {}},
  };
  for (const auto& [urn, editions] : cases) {
    auto units = store_->FindUnitsByUrn(urn);
    ASSERT_TRUE(units.ok()) << urn;
    EXPECT_EQ(EditionsOf(*store_, *units), editions) << '"' << urn << '"';
    for (const Item& unit : *units) EXPECT_EQ(unit.type, ItemType::kUnit);
  }
}

}  // namespace
}  // namespace opennos
