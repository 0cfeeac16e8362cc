#include "storage/public_view.h"

#include <algorithm>

namespace opennos {

Result<bool> PublicView::Shown(const Framework& f) {
  if (IsPublic(f)) return true;
  if (organisations_.empty()) return false;
  auto owner = base_.Accounts().FrameworkOwner(f.uuid);
  if (!owner.ok()) return owner.status();
  return !owner->empty() &&
         std::find(organisations_.begin(), organisations_.end(), *owner) != organisations_.end();
}

bool PublicView::Visible(const std::string& framework_uuid) {
  auto f = base_.GetFramework(framework_uuid);
  if (!f.ok()) return false;
  auto shown = Shown(*f);
  return shown.ok() && *shown;
}

Result<std::vector<FrameworkSummary>> PublicView::ListFrameworks() {
  auto list = base_.ListFrameworks();
  if (!list.ok()) return list;
  std::vector<FrameworkSummary> out;
  for (auto& s : *list) {
    auto shown = Shown(s.framework);
    if (!shown.ok()) return shown.status();
    if (*shown) out.push_back(std::move(s));
  }
  return out;
}

Result<Framework> PublicView::GetFramework(std::string_view uuid) {
  auto f = base_.GetFramework(uuid);
  if (!f.ok()) return f;
  auto shown = Shown(*f);
  if (!shown.ok()) return shown.status();
  if (!*shown) return Status::NotFound("no framework " + std::string(uuid));
  return f;
}

Result<FrameworkDoc> PublicView::LoadFramework(std::string_view uuid) {
  if (auto f = GetFramework(uuid); !f.ok()) return f.status();
  auto doc = base_.LoadFramework(uuid);
  if (doc.ok()) std::erase_if(doc->associations, [](const Association& a) { return !IsPublic(a); });
  return doc;
}

Result<FrameworkDoc> PublicView::LoadFrameworkOutline(std::string_view uuid) {
  if (auto f = GetFramework(uuid); !f.ok()) return f.status();
  return base_.LoadFrameworkOutline(uuid);
}

Result<Item> PublicView::GetItem(std::string_view uuid) {
  auto item = base_.GetItem(uuid);
  if (item.ok() && !Visible(item->framework_uuid)) {
    return Status::NotFound("no item " + std::string(uuid));
  }
  return item;
}

Result<Item> PublicView::ItemWithChildOf(std::string_view association_uuid) {
  auto item = base_.ItemWithChildOf(association_uuid);
  if (item.ok() && !Visible(item->framework_uuid)) {
    return Status::NotFound("no isChildOf association " + std::string(association_uuid));
  }
  return item;
}

Result<std::vector<Item>> PublicView::FindUnitsByUrn(std::string_view urn) {
  auto units = base_.FindUnitsByUrn(urn);
  if (!units.ok()) return units;
  std::erase_if(*units, [&](const Item& u) { return !Visible(u.framework_uuid); });
  return units;
}

Result<std::vector<UnitRef>> PublicView::ListUnits() {
  auto units = base_.ListUnits();
  auto list = base_.ListFrameworks();
  if (!units.ok()) return units;
  if (!list.ok()) return list.status();
  std::vector<std::string> hidden;
  for (const auto& s : *list) {
    auto shown = Shown(s.framework);
    if (!shown.ok()) return shown.status();
    if (!*shown) hidden.push_back(s.framework.uuid);
  }
  if (hidden.empty()) return units;
  std::erase_if(*units, [&](const UnitRef& u) {
    return std::find(hidden.begin(), hidden.end(), u.framework_uuid) != hidden.end();
  });
  return units;
}

Result<std::vector<Association>> PublicView::AssociationsOf(std::string_view item_uuid) {
  auto list = base_.AssociationsOf(item_uuid);
  if (!list.ok()) return list;
  std::erase_if(*list, [&](const Association& a) { return !IsPublic(a) || !Visible(a.framework_uuid); });
  return list;
}

Result<std::vector<Revision>> PublicView::History(std::string_view entity_uuid) {
  auto list = base_.History(entity_uuid);
  if (!list.ok()) return list;
  std::erase_if(*list, [&](const Revision& r) { return !Visible(r.framework_uuid); });
  return list;
}

Result<SaveReport> PublicView::SaveFrameworks(const std::vector<FrameworkDoc>&,
                                              const ChangeContext&, ProgressFn, void*) {
  return Status::Invalid("the public view of the store is read-only");
}

}  // namespace opennos
