#pragma once
// The JSON read API under /api/v1, described by /api/v1/openapi.json (static/openapi.json).

#include "web/respond.h"

namespace opennos::web::api {

Response OpenApi(const Context& ctx);
Response Frameworks(const Context& ctx);             // list, as `opennos list --json`
Response Framework(const Context& ctx);              // one framework record with counts
Response Tree(const Context& ctx);                   // the item tree, nested
Response FrameworkAssociations(const Context& ctx);  // associations the framework states
Response Item(const Context& ctx);                   // one item with its place in the tree
Response ItemAssociations(const Context& ctx);       // associations at either end of an item
Response Unit(const Context& ctx);                   // a unit by URN, with its statements
Response Search(const Context& ctx);                 // ?q=&page=&size=&<facet>=<value>

}  // namespace opennos::web::api
