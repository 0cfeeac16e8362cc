#pragma once
// A readable word-level comparison of two texts: the longest common subsequence of their words
// (a classic LCS table over the middle that differs), as runs of kept, removed and added words.

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace opennos {

struct DiffPiece {
  enum class Kind { kSame, kRemoved, kAdded };
  Kind kind = Kind::kSame;
  std::string text;  // the run's words joined by single spaces
  bool operator==(const DiffPiece&) const = default;
};

std::string_view DiffKindName(DiffPiece::Kind kind);  // same | removed | added

// The words of `before` and `after` (split on white space, punctuation kept on its word) as
// runs. Removed runs come before added ones where both replace the same place. Texts whose
// differing middle exceeds kMaxDiffCells word pairs are shown as one removal and one addition
// rather than aligned word by word. Never fails.
std::vector<DiffPiece> WordDiff(std::string_view before, std::string_view after);
inline constexpr std::size_t kMaxDiffCells = 4'000'000;

// One field of an entity compared between two snapshots.
struct FieldDiff {
  std::string field;  // a snapshot key, nested ones joined with '.' ("cy.title")
  std::vector<DiffPiece> pieces;
  bool changed = false;
};

// Compares two revision snapshots (JSON objects as the store keeps them; an empty text is an
// absent entity) field by field, lists joined by ", ". Fields in neither are left out; the
// order is the order of first appearance, `before` first. Throws on JSON that does not parse
// (snapshots come from the store, so that is a bug).
std::vector<FieldDiff> DiffSnapshots(std::string_view before, std::string_view after);

// [{"kind": "same|removed|added", "text": "..."}]
boost::json::array DiffPiecesToJson(const std::vector<DiffPiece>& pieces);

}  // namespace opennos
