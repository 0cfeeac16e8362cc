#pragma once
// What the CASE writer (case.cc) and reader (case_reader.cc) share: the package as the writer
// derives it from the model, so that the reader keeps only what a package says beyond it.
// Not for use outside formats/.

#include <boost/json.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/model.h"
#include "formats/case.h"

namespace opennos::case_detail {

// The item with this UUID in the framework being written or read, or nullptr.
using ItemFinder = std::function<const Item*(const std::string& uuid)>;

inline constexpr const char* kUnmapped = "opennos.unmapped";
// The top-level keys of a package the model reads; any other is kept as it came.
inline constexpr std::string_view kPackageKeys[] = {"CFDocument", "CFItems", "CFAssociations"};

std::string Str(const boost::json::object& o, std::string_view key);
boost::json::object SubObject(const boost::json::object& o, std::string_view key);
// The object at `key` of `o` (which may be nullptr), or nullptr: SubObject without a copy.
const boost::json::object* FindObject(const boost::json::object* o, std::string_view key);
FrameworkStatus StatusFromAdoption(const std::string& s);

// The keys of `raw` whose value differs from `derived`, leaving out `owned`.
boost::json::object NotDerivable(const boost::json::object& raw,
                                 const boost::json::object& derived,
                                 const std::unordered_set<std::string_view>& owned);
// Puts what a writer moved under extensions["opennos.unmapped"] back at the top level.
void RestoreUnmapped(boost::json::object& o);

boost::json::object DerivedDocument(const Framework& f, const CaseOptions& o);
boost::json::object DerivedItem(const Framework& f, const Item& item, const CaseOptions& o);
// NotDerivable(raw, DerivedItem(f, item, o), {"identifier", "CFItemType", "CFDocumentURI"})
// for a reader, without building the derived item, and keeping `extensions` whole (the
// reader drops extensions.opennos, which the model holds).
boost::json::object NotDerivableItem(const boost::json::object& raw, const Framework& f,
                                     const Item& item, const CaseOptions& o);
// The tree association of `item` under `parent` (nullptr: the document).
boost::json::object DerivedChildOf(const FrameworkDoc& doc, const Item& item,
                                   const Item* parent, const CaseOptions& o);
// NotDerivable(raw, DerivedChildOf(doc, item, parent, o), {"identifier", "associationType",
// "CFDocumentURI"}), without building the derived association; `identifier` is
// ChildOfIdentifier(item); a given sequenceNumber (`sequence_given`) is compared later, with
// the position.
boost::json::object NotDerivableChildOf(const boost::json::object& raw,
                                        const std::string& identifier, const FrameworkDoc& doc,
                                        const Item& item, const Item* parent, bool sequence_given,
                                        const CaseOptions& o);
boost::json::object NodeJson(const NodeRef& n, const ItemFinder& items, const CaseOptions& o);
boost::json::object DerivedAssociation(const FrameworkDoc& doc, const Association& a,
                                       const ItemFinder& items, const CaseOptions& o);

// The identifier the writer gives an item's tree association: the item's child_of_uuid, or
// else one derived from its UUID (DerivedChildOfIdentifier).
std::string ChildOfIdentifier(const Item& item);
std::string DerivedChildOfIdentifier(const Item& item);
// An entity's own `extra` (a JSON object's text) without its "case" key, which the package's
// own fields carry: what travels in extensions.opennos.extra.
boost::json::object OwnExtra(const std::string& extra);
// The identifier a node known only by its URI gets in a package (CASE requires a UUID there):
// a name-based UUID of the URI, so that reading it back gives the URI-only node again.
std::string UriNodeIdentifier(const std::string& uri);

}  // namespace opennos::case_detail
