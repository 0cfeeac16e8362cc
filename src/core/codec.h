#pragma once
// The JSON form of each entity, shared by the native file format and the revision snapshots,
// so that a field is spelt the same way everywhere. Writers leave empty fields out and emit
// keys in a fixed order; readers accept exactly what writers emit.

#include <boost/json.hpp>
#include <string>

#include "core/model.h"
#include "core/status.h"

namespace opennos {

boost::json::object FrameworkToJson(const Framework& f);
boost::json::object ItemToJson(const Item& item);  // without children, parent or position
boost::json::object NodeRefToJson(const NodeRef& node, const std::string& own_framework);
boost::json::object AssociationToJson(const Association& a, const std::string& own_framework);

// Reads a framework object. `pointer` names it in error messages. Derives the UUID from code
// and edition when absent.
Result<Framework> FrameworkFromJson(const boost::json::object& o, const std::string& pointer);
// Reads one item's own fields (not its children). The UUID is left empty when absent.
Result<Item> ItemFromJson(const boost::json::object& o, const std::string& pointer);

// Snapshots kept in revisions: the entity's JSON plus its place in the tree.
std::string FrameworkSnapshot(const Framework& f);
std::string ItemSnapshot(const Item& item);
std::string AssociationSnapshot(const Association& a);

// UUIDs derived for what a hand-written file leaves out.
std::string DerivedFrameworkUuid(const std::string& code, const std::string& edition);
std::string DerivedItemUuid(const std::string& framework_uuid, const std::string& code);

}  // namespace opennos
