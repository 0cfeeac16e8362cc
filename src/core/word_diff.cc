#include "core/word_diff.h"

#include <algorithm>
#include <map>

namespace opennos {
namespace json = boost::json;
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

void Append(std::vector<DiffPiece>& out, DiffPiece::Kind kind, std::string_view word) {
  if (!out.empty() && out.back().kind == kind) {
    out.back().text += ' ';
    out.back().text += word;
    return;
  }
  out.push_back({kind, std::string(word)});
}

// Flattens a snapshot into field -> readable text.
void Flatten(const json::object& o, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& [key, value] : o) {
    const std::string name = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
    if (value.is_object()) {
      Flatten(value.as_object(), name, out);
    } else if (value.is_string()) {
      out.emplace_back(name, std::string(value.as_string()));
    } else if (value.is_array()) {
      std::string joined;
      for (const auto& v : value.as_array()) {
        if (!joined.empty()) joined += ", ";
        joined += v.is_string() ? std::string(v.as_string()) : json::serialize(v);
      }
      out.emplace_back(name, joined);
    } else {
      out.emplace_back(name, json::serialize(value));
    }
  }
}

std::vector<std::pair<std::string, std::string>> Fields(std::string_view snapshot) {
  std::vector<std::pair<std::string, std::string>> out;
  if (snapshot.empty()) return out;
  const json::value v = json::parse(snapshot);
  if (v.is_object()) Flatten(v.as_object(), "", out);
  return out;
}

}  // namespace

std::string_view DiffKindName(DiffPiece::Kind kind) {
  switch (kind) {
    case DiffPiece::Kind::kSame: return "same";
    case DiffPiece::Kind::kRemoved: return "removed";
    case DiffPiece::Kind::kAdded: return "added";
  }
  return "same";
}

std::vector<DiffPiece> WordDiff(std::string_view before, std::string_view after) {
  const auto a = Words(before), b = Words(after);
  // Common prefix and suffix need no table.
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  std::vector<DiffPiece> out;
  for (size_t i = 0; i < head; ++i) Append(out, DiffPiece::Kind::kSame, a[i]);
  const size_t n = a.size() - head - tail, m = b.size() - head - tail;
  if (n * m > kMaxDiffCells) {
    for (size_t i = 0; i < n; ++i) Append(out, DiffPiece::Kind::kRemoved, a[head + i]);
    for (size_t j = 0; j < m; ++j) Append(out, DiffPiece::Kind::kAdded, b[head + j]);
  } else {
    // lcs[i][j]: the longest common subsequence of a[head+i..] and b[head+j..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1
                                              : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    size_t i = 0, j = 0;
    // Removals and additions between two kept words are gathered so removals come first.
    std::vector<std::string_view> removed, added;
    auto flush = [&] {
      for (auto w : removed) Append(out, DiffPiece::Kind::kRemoved, w);
      for (auto w : added) Append(out, DiffPiece::Kind::kAdded, w);
      removed.clear();
      added.clear();
    };
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        flush();
        Append(out, DiffPiece::Kind::kSame, a[head + i]);
        ++i;
        ++j;
      } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
        added.push_back(b[head + j++]);
      } else {
        removed.push_back(a[head + i++]);
      }
    }
    flush();
  }
  for (size_t k = a.size() - tail; k < a.size(); ++k) Append(out, DiffPiece::Kind::kSame, a[k]);
  return out;
}

std::vector<FieldDiff> DiffSnapshots(std::string_view before, std::string_view after) {
  const auto old_fields = Fields(before), new_fields = Fields(after);
  std::vector<std::string> order;
  std::map<std::string, std::pair<std::string, std::string>> values;
  for (const auto& [k, v] : old_fields) {
    if (values.emplace(k, std::make_pair(v, std::string())).second) order.push_back(k);
  }
  for (const auto& [k, v] : new_fields) {
    auto [it, fresh] = values.emplace(k, std::make_pair(std::string(), v));
    if (fresh) {
      order.push_back(k);
    } else {
      it->second.second = v;
    }
  }
  std::vector<FieldDiff> out;
  for (const auto& field : order) {
    const auto& [old_text, new_text] = values[field];
    out.push_back({field, WordDiff(old_text, new_text), old_text != new_text});
  }
  return out;
}

json::array DiffPiecesToJson(const std::vector<DiffPiece>& pieces) {
  json::array out;
  for (const auto& p : pieces) {
    out.push_back(json::object{{"kind", DiffKindName(p.kind)}, {"text", p.text}});
  }
  return out;
}

}  // namespace opennos
