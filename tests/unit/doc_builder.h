#pragma once
// Small frameworks built in memory, for tests of validation and storage. Identities are derived
// as a hand-written native file would derive them, so the same calls give the same UUIDs.

#include <string>

#include "core/model.h"

namespace opennos::test {

// A framework with no items: its UUID derived from code and edition.
FrameworkDoc EmptyFramework(const std::string& code, const std::string& edition);

// Appends an item of `type` with `code` as the last child of the item coded `parent_code`
// ("" for the top level), with a derived UUID and a text. Returns it for further changes.
Item& AddItem(FrameworkDoc& doc, ItemType type, const std::string& code,
              const std::string& parent_code = "");

// Appends an association between two items of the framework, named by code.
Association& AddAssociation(FrameworkDoc& doc, const std::string& type,
                            const std::string& origin_code, const std::string& destination_code);

// A valid framework: key area A; unit A1 (URN `urn`) with criteria A1.P1, A1.P2 and knowledge
// A1.K1; unit A2 with criterion A2.P1; and one association A1.P1 isRelatedTo A1.K1.
FrameworkDoc SampleFramework(const std::string& code, const std::string& edition,
                             const std::string& urn = "");

// The item with `code`; throws if there is none.
Item& ItemCoded(FrameworkDoc& doc, const std::string& code);

}  // namespace opennos::test
