#include "app/analysis_service.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/uuid.h"

namespace opennos {

Result<FrameworkDoc> LoadNamedFramework(Store& store, const std::string& name) {
  auto uuid = ResolveFramework(store, name);
  if (!uuid.ok()) return uuid.status();
  return store.LoadFramework(*uuid);
}

Result<FrameworkDoc> LoadNamedFrameworkOutline(Store& store, const std::string& name) {
  auto uuid = ResolveFramework(store, name);
  if (!uuid.ok()) return uuid.status();
  return store.LoadFrameworkOutline(*uuid);
}

Result<SuggestionsSaved> StoreSuggestions(Store& store, const analysis::CrosswalkReport& report,
                                          const ChangeContext& who) {
  auto doc = store.LoadFramework(report.a.doc->framework.uuid);
  if (!doc.ok()) return doc.status();
  std::unordered_map<std::string, std::size_t> existing;
  for (std::size_t i = 0; i < doc->associations.size(); ++i) {
    existing.emplace(doc->associations[i].uuid, i);
  }
  const Framework& fa = report.a.doc->framework;
  const Framework& fb = report.b.doc->framework;
  SuggestionsSaved saved;
  for (const analysis::Pair& p : report.pairs) {
    const Item& a = *report.a.items[p.a];
    const Item& b = *report.b.items[p.b];
    Association s;
    s.uuid = NameUuid(fa.uuid, "suggestion:" + a.uuid + ">" + b.uuid);
    s.framework_uuid = fa.uuid;
    s.type = analysis::SuggestedType(report, p.score);
    s.origin = NodeRef{a.uuid, fa.uuid, a.code, "", ""};
    s.destination = NodeRef{b.uuid, fb.uuid, b.code, "", ""};
    s.provenance = "suggested";
    s.score = std::round(static_cast<double>(p.score) * 1e4) / 1e4;
    s.decision = "pending";
    auto it = existing.find(s.uuid);
    if (it == existing.end()) {
      doc->associations.push_back(std::move(s));
      ++saved.added;
      continue;
    }
    Association& old = doc->associations[it->second];
    if (old.decision != "pending" || (old.type == s.type && old.score == s.score)) {
      ++saved.kept;
      continue;
    }
    old.type = s.type;
    old.score = s.score;
    ++saved.updated;
  }
  if (saved.added + saved.updated == 0) return saved;
  auto written = store.SaveFrameworks({*doc}, who);
  if (!written.ok()) return written.status();
  return saved;
}

Result<std::vector<Association>> Suggestions(Store& store, const std::string& framework_uuid) {
  auto doc = store.LoadFramework(framework_uuid);
  if (!doc.ok()) return doc.status();
  return SuggestionsOf(*doc);
}

std::vector<Association> SuggestionsOf(const FrameworkDoc& doc) {
  std::vector<Association> out;
  for (const Association& a : doc.associations) {
    if (a.provenance == "suggested") out.push_back(a);
  }
  std::stable_sort(out.begin(), out.end(), [](const Association& x, const Association& y) {
    const bool px = x.decision == "pending", py = y.decision == "pending";
    if (px != py) return px;
    return x.score.value_or(0) > y.score.value_or(0);
  });
  return out;
}

Result<std::vector<Association>> DecideSuggestions(Store& store, const std::string& framework_uuid,
                                                   const std::vector<SuggestionDecision>& decisions,
                                                   const ChangeContext& who) {
  auto doc = store.LoadFramework(framework_uuid);
  if (!doc.ok()) return doc.status();
  std::unordered_map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < doc->associations.size(); ++i) at.emplace(doc->associations[i].uuid, i);
  std::vector<Association> decided;
  bool changed = false;
  for (const SuggestionDecision& d : decisions) {
    auto canonical = CanonicalUuid(d.uuid);
    if (!canonical) return Status::Invalid("\"" + d.uuid + "\" is not a UUID");
    auto it = at.find(*canonical);
    if (it == at.end()) {
      return Status::NotFound("no suggestion " + *canonical + " in " + doc->framework.code + "@" +
                              doc->framework.edition);
    }
    Association& a = doc->associations[it->second];
    if (a.provenance != "suggested") {
      return Status::Invalid("association " + *canonical + " is " + a.provenance +
                             ", not a suggestion: only suggestions are accepted or rejected");
    }
    const std::string decision = d.accept ? "accepted" : "rejected";
    changed = changed || a.decision != decision;
    a.decision = decision;
    decided.push_back(a);
  }
  if (!changed) return decided;
  auto written = store.SaveFrameworks({*doc}, who);
  if (!written.ok()) return written.status();
  return decided;
}

}  // namespace opennos
