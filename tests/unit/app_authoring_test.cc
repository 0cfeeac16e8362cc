// Drafts, editing, revisions and publishing through the store (app/authoring.h).

#include <gtest/gtest.h>

#include "app/authoring.h"
#include "core/codec.h"
#include "unit/doc_builder.h"
#include "unit/store_backends.h"
#include "unit/test_support.h"

namespace opennos {
namespace {

namespace json = boost::json;

const ChangeContext kAlice{"alice@example.org", "drafting", {}};
const ChangeContext kBob{"bob@example.org", "review comments", {}};

// A published suite: unit A1 (URN PUB01) and A2 (URN PUB02), each complete enough to publish.
FrameworkDoc PublishedSuite() {
  FrameworkDoc doc = test::EmptyFramework("PS", "2020");
  doc.framework.key_purpose = "Keep things working.";
  doc.framework.publisher = "Demo Council";
  test::AddItem(doc, ItemType::kKeyArea, "A").title = "Key area A";
  for (const char* code : {"A1", "A2"}) {
    Item& unit = test::AddItem(doc, ItemType::kUnit, code, "A");
    unit.title = std::string("Unit ") + code;
    unit.unit.urn = std::string("PUB0") + code[1];
    unit.unit.version = 1;
    unit.unit.overview = "What this unit is about.";
    unit.unit.review = code[1] == '1' ? "2025-03-01" : "2030-01-01";
    unit.unit.validity = "current";
    test::AddItem(doc, ItemType::kPerformanceCriterion, std::string(code) + ".P1", code).text =
        "Identify the goals of the team.";
    test::AddItem(doc, ItemType::kKnowledge, std::string(code) + ".K1", code).text =
        "How to set goals.";
  }
  return doc;
}

// Every test runs against each backend: SQLite, and PostgreSQL on a throwaway server.
class Authoring : public testing::TestWithParam<test::Backend> {
 protected:
  void SetUp() override {
    if (!backend_.Start(GetParam())) GTEST_SKIP() << backend_.skip_reason();
    store_ = backend_.Open();
    published_ = PublishedSuite();
    auto saved = store_->SaveFrameworks({published_}, {"demo", "", {}});
    ASSERT_TRUE(saved.ok()) << saved.status().message();
  }

  FrameworkDoc Load(const std::string& uuid) {
    auto doc = store_->LoadFramework(uuid);
    if (!doc.ok()) throw std::runtime_error(doc.status().message());
    return *doc;
  }

  const Item& Coded(const FrameworkDoc& doc, const std::string& code) {
    for (const Item& item : doc.items) {
      if (item.code == code) return item;
    }
    throw std::runtime_error("no item " + code);
  }

  std::string NewEdition() {
    auto draft = CreateDraftEdition(*store_, published_.framework.uuid, "2026", kAlice);
    if (!draft.ok()) throw std::runtime_error(draft.status().message());
    return *draft;
  }

  test::BackendStore backend_;
  std::unique_ptr<Store> store_;
  FrameworkDoc published_;
};

INSTANTIATE_TEST_SUITE_P(Backends, Authoring, test::AllBackends(), test::BackendParamName);

TEST_P(Authoring, BuildsADraftSuiteFromNothing) {
  auto uuid = CreateDraft(*store_, {"NEW", "2026", "A new suite", "Do good work.", "Us"}, kAlice);
  ASSERT_TRUE(uuid.ok()) << uuid.status().message();
  auto area = AddItem(*store_, *uuid, {ItemType::kKeyArea, "", -1, "", "Plan", "", ""}, kAlice);
  ASSERT_TRUE(area.ok()) << area.status().message();
  EXPECT_EQ(area->code, "A");
  auto function =
      AddItem(*store_, *uuid, {ItemType::kFunction, area->uuid, -1, "", "Set goals", "", ""},
              kAlice);
  ASSERT_TRUE(function.ok()) << function.status().message();
  EXPECT_EQ(function->code, "A.1");
  auto unit = AddItem(*store_, *uuid,
                      {ItemType::kUnit, function->uuid, -1, "NEW1", "Set team goals", "", "NEWU1"},
                      kAlice);
  ASSERT_TRUE(unit.ok()) << unit.status().message();
  auto pc = AddItem(*store_, *uuid,
                    {ItemType::kPerformanceCriterion, unit->uuid, -1, "", "", "Agree goals.", ""},
                    kAlice);
  ASSERT_TRUE(pc.ok()) << pc.status().message();
  EXPECT_EQ(pc->code, "NEW1.P1");
  const FrameworkDoc doc = Load(*uuid);
  EXPECT_EQ(doc.framework.status, FrameworkStatus::kDraft);
  ASSERT_EQ(doc.items.size(), 4u);
  EXPECT_EQ(doc.items[3].parent_uuid, unit->uuid);
  auto history = store_->History(pc->uuid);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].author, "alice@example.org");
  EXPECT_EQ((*history)[0].reason, "drafting");
}

TEST_P(Authoring, RefusesItemsInTheWrongPlace) {
  const std::string draft = NewEdition();
  const FrameworkDoc doc = Load(draft);
  const std::string area = Coded(doc, "A").uuid;
  const std::string unit = Coded(doc, "A1").uuid;
  const auto state = store_->LastChange();
  EXPECT_FALSE(AddItem(*store_, draft, {ItemType::kKeyArea, unit, -1, "", "X", "", ""}, kAlice).ok());
  EXPECT_FALSE(AddItem(*store_, draft, {ItemType::kPerformanceCriterion, area, -1, "", "", "Do.", ""},
                       kAlice).ok());
  EXPECT_FALSE(AddItem(*store_, draft, {ItemType::kFunction, "", -1, "", "F", "", ""}, kAlice).ok());
  EXPECT_FALSE(AddItem(*store_, draft, {ItemType::kUnit, area, -1, "A2", "Taken", "", ""}, kAlice).ok());
  EXPECT_FALSE(MoveItem(*store_, area, unit, 0, kAlice).ok()) << "not under its own unit";
  EXPECT_EQ(*store_->LastChange(), *state);
}

TEST_P(Authoring, OnlyDraftsCanBeEdited) {
  const Item& pc = Coded(published_, "A1.P1");
  auto patched = PatchItem(*store_, pc.uuid, json::parse(R"({"text":"Changed."})"), 0, kAlice);
  ASSERT_FALSE(patched.ok());
  EXPECT_EQ(patched.status().code(), Status::Code::kConflict);
  EXPECT_NE(patched.status().message().find("not a draft"), std::string::npos);
  EXPECT_EQ(store_->GetItem(pc.uuid)->text, "Identify the goals of the team.");
}

TEST_P(Authoring, PatchesAnItemAsAMergePatchAndCountsRevisions) {
  const std::string draft = NewEdition();
  const Item unit = Coded(Load(draft), "A1");
  auto patched = PatchItem(*store_, unit.uuid,
                           json::parse(R"({"overview":"New overview.","keywords":["goals"],)"
                                       R"("review":null})"),
                           unit.revision, kAlice);
  ASSERT_TRUE(patched.ok()) << patched.status().message();
  EXPECT_EQ(patched->unit.overview, "New overview.");
  EXPECT_EQ(patched->unit.keywords, std::vector<std::string>{"goals"});
  EXPECT_EQ(patched->unit.review, "");
  EXPECT_EQ(patched->title, "Unit A1");
  EXPECT_EQ(patched->revision, unit.revision + 1);
}

TEST_P(Authoring, RefusesBadPatchesAndChangesNothing) {
  const std::string draft = NewEdition();
  const Item unit = Coded(Load(draft), "A1");
  for (const char* bad : {R"({"type":"function"})", R"({"uuid":"x"})", R"({"review":"soon"})",
                          R"({"validity":"maybe"})", R"({"colour":"red"})", R"([1])",
                          R"({"title":null,"text":null})"}) {
    auto r = PatchItem(*store_, unit.uuid, json::parse(bad), 0, kAlice);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalid) << bad;
  }
  EXPECT_EQ(store_->GetItem(unit.uuid)->revision, unit.revision);
}

TEST_P(Authoring, TheSecondOfTwoEditorsFromTheSameRevisionGetsAConflict) {
  const std::string draft = NewEdition();
  const Item pc = Coded(Load(draft), "A1.P1");
  auto first = PatchItem(*store_, pc.uuid, json::parse(R"({"text":"Alice's words."})"),
                         pc.revision, kAlice);
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = PatchItem(*store_, pc.uuid, json::parse(R"({"text":"Bob's words."})"),
                          pc.revision, kBob);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kConflict);
  EXPECT_EQ(store_->GetItem(pc.uuid)->text, "Alice's words.");
  // Bob, told the current revision, saves on top of Alice's.
  auto again = PatchItem(*store_, pc.uuid, json::parse(R"({"text":"Bob's words."})"),
                         first->revision, kBob);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->revision, pc.revision + 2);
}

TEST_P(Authoring, MovesAndReordersItemsAndTheirChildren) {
  const std::string draft = NewEdition();
  FrameworkDoc doc = Load(draft);
  auto area_b = AddItem(*store_, draft, {ItemType::kKeyArea, "", 0, "", "Key area B", "", ""}, kAlice);
  ASSERT_TRUE(area_b.ok());
  doc = Load(draft);
  EXPECT_EQ(doc.items.front().code, "B") << "added first";
  const std::string a2 = Coded(doc, "A2").uuid;
  auto moved = MoveItem(*store_, a2, area_b->uuid, -1, kAlice);
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  doc = Load(draft);
  EXPECT_EQ(Coded(doc, "A2").parent_uuid, area_b->uuid);
  EXPECT_EQ(Coded(doc, "A2.P1").parent_uuid, a2) << "children come along";
  const Item& p1 = Coded(doc, "A1.P1");
  ASSERT_TRUE(MoveItem(*store_, p1.uuid, p1.parent_uuid, 1, kAlice).ok());
  doc = Load(draft);
  EXPECT_EQ(Coded(doc, "A1.K1").position, 0);
  EXPECT_EQ(Coded(doc, "A1.P1").position, 1);
}

TEST_P(Authoring, RemovesAnItemWithEverythingUnderIt) {
  const std::string draft = NewEdition();
  const FrameworkDoc before = Load(draft);
  const Item unit = Coded(before, "A2");
  ASSERT_TRUE(RemoveItem(*store_, unit.uuid, kAlice).ok());
  const FrameworkDoc after = Load(draft);
  EXPECT_EQ(after.items.size(), before.items.size() - 3);
  for (const Association& a : after.associations) EXPECT_NE(a.destination.uuid, unit.uuid);
  auto history = store_->History(unit.uuid);
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->back().after.empty()) << "the removal is a revision";
}

TEST_P(Authoring, ImportsAUnitAsATailoredCopy) {
  auto uuid = CreateDraft(*store_, {"TL", "2026", "Tailored", "", ""}, kAlice);
  ASSERT_TRUE(uuid.ok());
  auto copy = ImportUnit(*store_, *uuid, "", Coded(published_, "A1").uuid, kAlice);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  EXPECT_EQ(copy->unit.status, "tailored");
  EXPECT_EQ(copy->unit.original_urn, "PUB01");
  EXPECT_NE(copy->uuid, Coded(published_, "A1").uuid);
  const FrameworkDoc doc = Load(*uuid);
  EXPECT_EQ(doc.items.size(), 3u);
  EXPECT_EQ(Coded(doc, "A1.P1").parent_uuid, copy->uuid);
}

TEST_P(Authoring, RestoresAnOldRevisionAsANewOne) {
  const std::string draft = NewEdition();
  const Item pc = Coded(Load(draft), "A1.P1");
  ASSERT_TRUE(PatchItem(*store_, pc.uuid, json::parse(R"({"text":"Second words."})"), 0, kAlice).ok());
  auto restored = RestoreRevision(*store_, pc.uuid, 1, 0, kBob);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ(restored->text, "Identify the goals of the team.");
  EXPECT_EQ(restored->revision, 3);
  auto history = store_->History(pc.uuid);
  EXPECT_EQ(history->back().reason, "review comments");
  EXPECT_FALSE(RestoreRevision(*store_, pc.uuid, 9, 0, kBob).ok());
}

TEST_P(Authoring, ADraftEditionCopiesTheSuiteAndMapsEachUnit) {
  const std::string draft = NewEdition();
  const FrameworkDoc doc = Load(draft);
  EXPECT_EQ(doc.framework.code, "PS");
  EXPECT_EQ(doc.framework.edition, "2026");
  EXPECT_EQ(doc.framework.previous_edition, "PS@2020");
  EXPECT_EQ(doc.items.size(), published_.items.size());
  int mappings = 0;
  for (const Association& a : doc.associations) mappings += a.type == "replacedBy";
  EXPECT_EQ(mappings, 2);
  EXPECT_FALSE(CreateDraftEdition(*store_, published_.framework.uuid, "2026", kAlice).ok())
      << "the edition is taken";
}

TEST_P(Authoring, PublishesAnEditionWithVersionsAndLegacyUnits) {
  const std::string draft = NewEdition();
  FrameworkDoc doc = Load(draft);
  ASSERT_TRUE(PatchItem(*store_, Coded(doc, "A1.P1").uuid,
                        json::parse(R"({"text":"Identify the goals of each team member."})"), 0,
                        kAlice).ok());
  ASSERT_TRUE(RemoveItem(*store_, Coded(doc, "A2").uuid, kAlice).ok());
  auto added = AddItem(*store_, draft,
                       {ItemType::kUnit, Coded(doc, "A").uuid, -1, "A3", "Unit A3", "", "PUB03"},
                       kAlice);
  ASSERT_TRUE(added.ok());
  // The new unit is incomplete: publishing is refused until it is fixed.
  auto refused = Publish(*store_, draft, PublishAs::kEdition, "2026-01-05", kAlice);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("to fix before publishing"), std::string::npos);
  ASSERT_TRUE(PatchItem(*store_, added->uuid,
                        json::parse(R"({"overview":"New.","review":"2030-01-01"})"), 0, kAlice).ok());
  ASSERT_TRUE(AddItem(*store_, draft, {ItemType::kPerformanceCriterion, added->uuid, -1, "", "",
                                       "Record the results.", ""}, kAlice).ok());
  ASSERT_TRUE(AddItem(*store_, draft, {ItemType::kKnowledge, added->uuid, -1, "", "",
                                       "Why results matter.", ""}, kAlice).ok());
  auto report = Publish(*store_, draft, PublishAs::kEdition, "2026-01-05", kAlice);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->revised, 1);
  EXPECT_EQ(report->added, 1);
  EXPECT_EQ(report->legacy, 1);
  const FrameworkDoc now = Load(draft);
  EXPECT_EQ(now.framework.status, FrameworkStatus::kApproved);
  EXPECT_EQ(now.framework.published, "2026-01-05");
  EXPECT_EQ(Coded(now, "A1").unit.version, 2);
  EXPECT_EQ(Coded(now, "A1").unit.urn, "PUB01");
  EXPECT_EQ(Coded(now, "A3").unit.version, 1);
  const FrameworkDoc old = Load(published_.framework.uuid);
  EXPECT_EQ(old.framework.status, FrameworkStatus::kSuperseded);
  EXPECT_EQ(Coded(old, "A2").unit.validity, "legacy");
  EXPECT_EQ(Coded(old, "A1").unit.validity, "current");
  EXPECT_FALSE(PatchItem(*store_, Coded(now, "A1").uuid, json::parse(R"({"title":"x"})"), 0,
                         kAlice).ok()) << "published: no longer a draft";
}

TEST_P(Authoring, AnUnchangedUnitKeepsItsVersion) {
  const std::string draft = NewEdition();
  auto report = Publish(*store_, draft, PublishAs::kEdition, "2026-01-05", kAlice);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->carried, 2);
  EXPECT_EQ(Coded(Load(draft), "A2").unit.version, 1);
}

TEST_P(Authoring, PublishesARevisedUnitAsItsNextVersionInPlace) {
  const std::string draft = NewEdition();
  const FrameworkDoc doc = Load(draft);
  ASSERT_TRUE(PatchItem(*store_, Coded(doc, "A2.K1").uuid,
                        json::parse(R"({"text":"How to set and review goals."})"), 0, kAlice).ok());
  auto report = Publish(*store_, draft, PublishAs::kUnitVersions, "2026-01-05", kAlice);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->framework_uuid, published_.framework.uuid);
  EXPECT_EQ(report->revised, 1);
  EXPECT_EQ(report->carried, 1);
  const FrameworkDoc now = Load(published_.framework.uuid);
  EXPECT_EQ(now.framework.status, FrameworkStatus::kApproved);
  const Item& a2 = Coded(now, "A2");
  EXPECT_EQ(a2.uuid, Coded(published_, "A2").uuid) << "the same unit, its next version";
  EXPECT_EQ(a2.unit.version, 2);
  EXPECT_EQ(Coded(now, "A2.K1").text, "How to set and review goals.");
  EXPECT_EQ(Coded(now, "A2.K1").uuid, Coded(published_, "A2.K1").uuid);
  EXPECT_EQ(Coded(now, "A1").unit.version, 1);
  EXPECT_EQ(store_->GetFramework(draft)->status, FrameworkStatus::kWithdrawn);
  auto history = store_->History(a2.uuid);
  ASSERT_TRUE(history.ok());
  EXPECT_NE(history->back().before.find("\"version\":1"), std::string::npos)
      << "the old version stays in the history";
}

TEST_P(Authoring, EditedMappingsDecideWhatIsCarriedOver) {
  const std::string draft = NewEdition();
  const FrameworkDoc doc = Load(draft);
  // A2 is now said to be replaced by A1 too (a merge): neither is carried one to one.
  ASSERT_TRUE(SetMappings(*store_, draft, Coded(published_, "A2").uuid, "replacedBy",
                          {Coded(doc, "A1").uuid}, kAlice).ok());
  EXPECT_FALSE(SetMappings(*store_, draft, Coded(published_, "A2").uuid, "precedes", {}, kAlice).ok());
  EXPECT_FALSE(SetMappings(*store_, draft, Coded(published_, "A2").uuid, "replacedBy",
                           {Coded(published_, "A1").uuid}, kAlice).ok());
  auto report = Publish(*store_, draft, PublishAs::kEdition, "2026-01-05", kAlice);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->carried, 0);
  EXPECT_EQ(report->added, 2);
  EXPECT_EQ(report->legacy, 0);
}

TEST_P(Authoring, ListsUnitsDueForReview) {
  auto due = DueForReview(*store_, "2025-06-30", "");
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().unit.unit.urn, "PUB01");
  EXPECT_EQ(DueForReview(*store_, "2031-01-01", "")->size(), 2u);
  EXPECT_EQ(DueForReview(*store_, "2031-01-01", "Someone else")->size(), 0u);
  EXPECT_EQ(AddMonths("2026-01-31", 1), "2026-02-28");
  EXPECT_EQ(AddMonths("2026-11-15", 3), "2027-02-15");
  EXPECT_EQ(AddMonths("2024-01-31", 1), "2024-02-29");
}

TEST_P(Authoring, ChecksADraftAgainstTheStore) {
  const std::string draft = NewEdition();
  const FrameworkDoc doc = Load(draft);
  ASSERT_TRUE(PatchItem(*store_, Coded(doc, "A1").uuid,
                        json::parse(R"({"originalUrn":"NOSUCH1","occupations":["12"]})"), 0,
                        kAlice).ok());
  auto findings = CheckDraft(*store_, Load(draft));
  ASSERT_TRUE(findings.ok());
  std::vector<std::string> ids;
  for (const auto& f : *findings) ids.push_back(f.check);
  EXPECT_EQ(ids, (std::vector<std::string>{"occupation-code-shape", "original-urn-unknown"}));
}

}  // namespace
}  // namespace opennos
