#pragma once
// The rules every framework must satisfy before it is stored.

#include "core/model.h"
#include "core/status.h"

namespace opennos {

// The deepest tree accepted (a NOS suite needs five levels).
inline constexpr int kMaxTreeDepth = 64;

// Checks that `doc` is well formed: a framework UUID, code, edition and title; unique item
// UUIDs and codes; every item's parent inside the framework and listed before it, with no
// cycles, at most kMaxTreeDepth deep; unit fields only on units, with valid values; positions 0..n-1 among siblings; association types known and both ends named;
// unique association UUIDs. Error messages name the offending item by code or UUID.
Status ValidateFramework(const FrameworkDoc& doc);

// True for a date written YYYY-MM-DD with a plausible month and day.
bool IsIsoDate(const std::string& s);

// Reorders doc.items into tree pre-order (parents before children, siblings in their current
// relative order) and renumbers positions. Fails if a parent is missing or the parents form a
// cycle.
Status PutInTreeOrder(FrameworkDoc& doc);

}  // namespace opennos
