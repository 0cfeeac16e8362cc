#pragma once
// The one storage interface. Backends (sqlite/, postgres/) implement it; callers never
// see SQL. Every write is one transaction: it happens whole or not at all. Every change to a
// framework, item or association is kept as a Revision.
//
// Thread-safety: a Store object is used by one thread at a time; open one per thread. Several
// processes may open the same store.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "storage/accounts.h"
#include "core/status.h"

namespace opennos {

struct FrameworkSummary {
  Framework framework;
  std::int64_t units = 0;
  std::int64_t statements = 0;  // items of the statement types (criteria, knowledge, ...)
};

// What a SaveFrameworks call did.
struct SaveReport {
  int frameworks_created = 0;
  int frameworks_updated = 0;
  int frameworks_unchanged = 0;
  std::int64_t items_added = 0;
  std::int64_t items_changed = 0;
  std::int64_t items_removed = 0;
  std::int64_t associations_added = 0;
  std::int64_t associations_changed = 0;
  std::int64_t associations_removed = 0;
  std::int64_t revisions = 0;
};

// A unit in brief, for lists and lookups across frameworks.
struct UnitRef {
  std::string uuid;
  std::string framework_uuid;
  std::string code;
  std::string urn;
  std::string title;
};

// One entry of the change log.
struct Change {
  std::int64_t seq = 0;
  std::string framework_uuid;
};

// Called now and then during a long write with the number of items written so far.
using ProgressFn = void (*)(std::int64_t items_written, void* context);

class Store {
 public:
  virtual ~Store() = default;

  // All frameworks, ordered by code then edition (natural order, so 2004 before 2012).
  virtual Result<std::vector<FrameworkSummary>> ListFrameworks() = 0;
  // The framework record with this UUID; NotFound if there is none.
  virtual Result<Framework> GetFramework(std::string_view uuid) = 0;
  // A whole framework: record, items in tree pre-order, the associations it states.
  virtual Result<FrameworkDoc> LoadFramework(std::string_view uuid) = 0;
  // A framework's outline, for the analyses of many statements: the record and the items in
  // tree pre-order, each item with only its uuid, parent_uuid, position, type, type_name, code,
  // title, text and (for a unit) URN; no associations. Cheaper in time and memory than
  // LoadFramework; this default loads the whole framework.
  virtual Result<FrameworkDoc> LoadFrameworkOutline(std::string_view uuid) {
    return LoadFramework(uuid);
  }
  // One item by UUID; NotFound if there is none.
  virtual Result<Item> GetItem(std::string_view uuid) = 0;
  // The item whose tree (isChildOf) association has this CASE identifier (ChildOfUuid);
  // NotFound if there is none. An index lookup, whatever the size of the store.
  virtual Result<Item> ItemWithChildOf(std::string_view association_uuid) = 0;
  // The units with this URN (compared without regard to case), newest edition first.
  virtual Result<std::vector<Item>> FindUnitsByUrn(std::string_view urn) = 0;
  // Every unit of every framework, in no particular order.
  virtual Result<std::vector<UnitRef>> ListUnits() = 0;
  // Every association with this item at either end, from any framework.
  virtual Result<std::vector<Association>> AssociationsOf(std::string_view item_uuid) = 0;
  // The revisions of one entity (framework, item or association), oldest first.
  virtual Result<std::vector<Revision>> History(std::string_view entity_uuid) = 0;

  // Creates or updates each framework, all in one transaction. A framework whose UUID is in
  // the store is updated: items and associations missing from the new version are removed,
  // changed ones replaced, each change recorded as a revision by `who`. A different framework
  // with the same code and edition is refused (Conflict), as is an item UUID that belongs to
  // another framework. A framework it creates is owned by `who.organisation` (if given); with
  // `who.only_own_frameworks`, updating a framework not owned by `who.organisation` is
  // Forbidden. Each of who.expect must hold inside the transaction, else Conflict naming the
  // entity and its current revision. On any error nothing is written. Each doc must pass
  // ValidateFramework.
  virtual Result<SaveReport> SaveFrameworks(const std::vector<FrameworkDoc>& docs,
                                            const ChangeContext& who,
                                            ProgressFn progress = nullptr,
                                            void* progress_context = nullptr) = 0;

  // The accounts kept in the same database (organisations, users, sessions, tokens, audit).
  // Lives as long as this Store.
  virtual AccountStore& Accounts() = 0;

  // A number that grows with every committed change, for followers of the change log.
  virtual Result<std::int64_t> LastChange() = 0;
  // The change log after `seq`: each committed change's number and the framework it touched,
  // oldest first, at most `limit` entries.
  virtual Result<std::vector<Change>> ChangesSince(std::int64_t seq, int limit) = 0;
  // Returns LastChange() once it is past `seq`, or after `timeout_ms` if it is not by then,
  // so that a follower sleeps until another process writes instead of polling hard
  // (PostgreSQL wakes it with NOTIFY; SQLite polls PRAGMA data_version a few times a second).
  virtual Result<std::int64_t> WaitForChange(std::int64_t seq, int timeout_ms) = 0;
};

// Resolves a framework name as people and URLs give it: a UUID, "CODE" (the newest public
// edition with that code; the newest draft when none is public) or "CODE@EDITION". NotFound
// names what was asked for.
Result<std::string> ResolveFramework(Store& store, std::string_view name);

// Compares editions so that numbers sort as numbers ("2004" < "2012" < "2024", "9" < "10").
bool EditionLess(std::string_view a, std::string_view b);

}  // namespace opennos
