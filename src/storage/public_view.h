#pragma once
// A read-only view of a Store that shows only what the public may read: frameworks for which
// IsPublic holds, and their items, the associations for which IsPublic holds (not crosswalk
// suggestions an editor has not accepted), and revisions. The site's public pages, its
// read API and the CASE service read through it, so a draft never leaks through any of them.
// A reader's view also shows the frameworks of some organisations, drafts included (the
// analyses give a member with read-drafts their organisation's drafts this way).

#include <string>
#include <vector>

#include "storage/store.h"

namespace opennos {

class PublicView final : public Store {
 public:
  // `base` must outlive the view. Not thread-safe, like any Store. `organisations` (ids): whose
  // own frameworks the view shows too, whatever their status; their associations and items
  // are filtered as a public framework's are. Empty: what the public may read, nothing more.
  explicit PublicView(Store& base, std::vector<std::string> organisations = {})
      : base_(base), organisations_(std::move(organisations)) {}

  Result<std::vector<FrameworkSummary>> ListFrameworks() override;
  // NotFound for a framework the public may not read, as for one that does not exist.
  Result<Framework> GetFramework(std::string_view uuid) override;
  Result<FrameworkDoc> LoadFramework(std::string_view uuid) override;
  Result<FrameworkDoc> LoadFrameworkOutline(std::string_view uuid) override;
  Result<Item> GetItem(std::string_view uuid) override;
  Result<Item> ItemWithChildOf(std::string_view association_uuid) override;
  Result<std::vector<Item>> FindUnitsByUrn(std::string_view urn) override;
  Result<std::vector<UnitRef>> ListUnits() override;
  Result<std::vector<Association>> AssociationsOf(std::string_view item_uuid) override;
  Result<std::vector<Revision>> History(std::string_view entity_uuid) override;
  // Refused (Invalid): the view is read-only.
  Result<SaveReport> SaveFrameworks(const std::vector<FrameworkDoc>& docs,
                                    const ChangeContext& who, ProgressFn progress,
                                    void* progress_context) override;
  // Accounts are not frameworks: the view passes them through (their own checks apply).
  AccountStore& Accounts() override { return base_.Accounts(); }
  Result<std::int64_t> LastChange() override { return base_.LastChange(); }
  Result<std::vector<Change>> ChangesSince(std::int64_t seq, int limit) override {
    return base_.ChangesSince(seq, limit);
  }
  Result<std::int64_t> WaitForChange(std::int64_t seq, int timeout_ms) override {
    return base_.WaitForChange(seq, timeout_ms);
  }

 private:
  // Whether the framework with this UUID is shown (false when it does not exist).
  bool Visible(const std::string& framework_uuid);
  // Whether `f` is shown: public, or owned by one of organisations_.
  Result<bool> Shown(const Framework& f);

  Store& base_;
  const std::vector<std::string> organisations_;
};

}  // namespace opennos
