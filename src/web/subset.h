#pragma once

#include <string>

#include "core/model.h"

namespace opennos::web {

// One unit as a framework file of its own: the framework record, the unit's ancestors (named,
// each at position 0), the unit and everything under it, and the associations whose origin is
// inside it. The result passes ValidateFramework.
FrameworkDoc UnitSubset(const FrameworkDoc& doc, const std::string& unit_uuid);

}  // namespace opennos::web
