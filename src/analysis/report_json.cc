#include "analysis/report_json.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <thread>

namespace opennos::analysis {
namespace {

// Appends JSON text. Keys and strings are escaped; the caller writes structure in order.
class Writer {
 public:
  std::string& out() { return out_; }
  Writer& Raw(std::string_view s) {
    out_ += s;
    return *this;
  }
  Writer& String(std::string_view s) {
    out_ += '"';
    if (std::none_of(s.begin(), s.end(), [](char c) {
          return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
        })) {  // the common case: nothing to escape
      out_.append(s);
      out_ += '"';
      return *this;
    }
    for (char c : s) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out_ += buf;
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
    return *this;
  }
  Writer& Key(std::string_view k) {
    String(k);
    out_ += ':';
    return *this;
  }
  Writer& Number(double d) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    out_.append(buf, end);
    if (std::string_view(buf, static_cast<size_t>(end - buf)).find_first_of(".e") ==
        std::string_view::npos) {
      out_ += ".0";  // reads back as a real number, not an integer
    }
    return *this;
  }
  Writer& Score(float f) {
    out_ += ScoreText(f);
    return *this;
  }
  Writer& Count(std::uint64_t n) {
    out_ += std::to_string(n);
    return *this;
  }

 private:
  std::string out_;
};

void FrameworkRef(Writer& w, const Framework& f) {
  w.Raw("{").Key("uuid").String(f.uuid).Raw(",").Key("code").String(f.code);
  w.Raw(",").Key("edition").String(f.edition).Raw(",").Key("title").String(f.title).Raw("}");
}

// {"id", "code", "unit"}: the item and the unit it belongs to.
void ItemRef(Writer& w, const Item& item, const Item* unit) {
  w.Raw("{").Key("id").String(item.uuid).Raw(",").Key("code").String(item.code);
  w.Raw(",").Key("unit").String(UnitLabel(unit)).Raw("}");
}

// A unit: {"id", "code", "unit", "title"}, or null.
void UnitRef(Writer& w, const Item* unit) {
  if (unit == nullptr) {
    w.Raw("null");
    return;
  }
  w.Raw("{").Key("id").String(unit->uuid).Raw(",").Key("code").String(unit->code);
  w.Raw(",").Key("unit").String(UnitLabel(unit)).Raw(",").Key("title").String(unit->title);
  w.Raw("}");
}

void StatementRef(Writer& w, const Statements& s, std::uint32_t i) {
  ItemRef(w, *s.items[i], s.units[i]);
}

template <typename List, typename Fn>
void Array(Writer& w, const List& list, Fn&& each) {
  w.Raw("[");
  bool first = true;
  for (const auto& x : list) {
    if (!first) w.Raw(",");
    first = false;
    each(x);
  }
  w.Raw("]");
}

// Array() for long lists: the elements are written in parts on every core, each part into a
// writer of its own, and joined in order, so the text is the same as Array() gives.
// `each(writer, element)` must only read shared state.
template <typename List, typename Fn>
void LongArray(Writer& w, const List& list, Fn&& each) {
  constexpr std::size_t kPerPart = 16384;
  const std::size_t n = list.size();
  const std::size_t parts = std::min<std::size_t>(static_cast<std::size_t>(ThreadCount(0)),
                                                  (n + kPerPart - 1) / kPerPart);
  if (parts <= 1) {
    Array(w, list, [&](const auto& x) { each(w, x); });
    return;
  }
  std::vector<Writer> written(parts);
  auto write = [&](std::size_t part) {
    Writer& out = written[part];
    for (std::size_t i = n * part / parts; i < n * (part + 1) / parts; ++i) {
      if (i > 0) out.Raw(",");
      each(out, list[i]);
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t part = 1; part < parts; ++part) pool.emplace_back(write, part);
  write(0);
  for (auto& th : pool) th.join();
  std::size_t size = w.out().size() + 2;
  for (auto& part : written) size += part.out().size();
  w.out().reserve(size);
  w.Raw("[");
  for (auto& part : written) {
    w.Raw(part.out());
    std::string().swap(part.out());
  }
  w.Raw("]");
}

void Ratio(Writer& w, std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) {
    w.Raw("null");
  } else {
    w.Number(static_cast<double>(part) / static_cast<double>(whole));
  }
}

void Group(Writer& w, const CoverageReport::Group& g, const char* key, bool unit) {
  w.Raw("{").Key(key);
  if (g.item == nullptr) {
    w.Raw("null");
  } else if (unit) {
    UnitRef(w, g.item);
  } else {
    w.Raw("{").Key("id").String(g.item->uuid).Raw(",").Key("code").String(g.item->code);
    w.Raw(",").Key("title").String(g.item->title).Raw("}");
  }
  w.Raw(",").Key("statements").Count(g.statements).Raw(",").Key("covered").Count(g.covered);
  w.Raw(",").Key("ratio");
  Ratio(w, g.covered, g.statements);
  w.Raw(",").Key("best_unit");
  UnitRef(w, g.best_unit);
  w.Raw(",").Key("best_unit_covers").Count(g.best_unit_covers).Raw("}");
}

const char* ByName(EditionsReport::By by) {
  switch (by) {
    case EditionsReport::By::kAuthored: return "authored";
    case EditionsReport::By::kSimilarity: return "similarity";
    case EditionsReport::By::kAuto: break;
  }
  return "auto";
}

}  // namespace

std::string ScoreText(float score) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, score);
  std::string text(buf, end);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";  // a JSON number with a fraction
  return text;
}

const std::string& UnitLabel(const Item* unit) {
  static const std::string kNone;
  if (unit == nullptr) return kNone;
  return unit->unit.urn.empty() ? unit->code : unit->unit.urn;
}

std::string DuplicatesJson(const DuplicatesReport& r) {
  Writer w;
  const Statements& s = r.statements;
  w.Raw("{").Key("framework");
  FrameworkRef(w, s.doc->framework);
  w.Raw(",").Key("threshold").Number(r.threshold);
  w.Raw(",").Key("statements").Count(s.size());
  w.Raw(",").Key("without_terms").Count(r.without_terms);
  w.Raw(",").Key("pairs");
  LongArray(w, r.pairs, [&](Writer& out, const Pair& p) {
    out.Raw("{").Key("a");
    StatementRef(out, s, p.a);
    out.Raw(",").Key("b");
    StatementRef(out, s, p.b);
    out.Raw(",").Key("score").Score(p.score).Raw("}");
  });
  w.Raw(",").Key("clusters");
  Array(w, r.clusters, [&](const std::vector<std::uint32_t>& c) {
    w.Raw("{").Key("size").Count(c.size()).Raw(",").Key("items");
    Array(w, c, [&](std::uint32_t i) { StatementRef(w, s, i); });
    w.Raw("}");
  });
  w.Raw(",").Key("units");
  LongArray(w, r.units, [&](Writer& out, const DuplicatesReport::UnitPair& u) {
    out.Raw("{").Key("a");
    UnitRef(out, u.a);
    out.Raw(",").Key("b");
    UnitRef(out, u.b);
    out.Raw(",").Key("pairs").Count(u.pairs).Raw(",").Key("best").Score(u.best).Raw("}");
  });
  w.Raw("}\n");
  return std::move(w.out());
}

std::string CoverageJson(const CoverageReport& r) {
  Writer w;
  const Statements& s = r.statements;
  w.Raw("{").Key("framework");
  FrameworkRef(w, s.doc->framework);
  w.Raw(",").Key("against");
  FrameworkRef(w, r.against.doc->framework);
  w.Raw(",").Key("threshold").Number(r.threshold);
  w.Raw(",").Key("statements").Count(s.size());
  w.Raw(",").Key("covered").Raw("[");
  bool first = true;
  for (std::uint32_t i = 0; i < s.size(); ++i) {
    if (!r.best[i]) continue;
    if (!first) w.Raw(",");
    first = false;
    w.Raw("{").Key("item");
    StatementRef(w, s, i);
    w.Raw(",").Key("best").Raw("{").Key("item");
    StatementRef(w, r.against, r.best[i]->item);
    w.Raw(",").Key("score").Score(r.best[i]->score).Raw("}}");
  }
  w.Raw("],").Key("uncovered").Raw("[");
  first = true;
  for (std::uint32_t i = 0; i < s.size(); ++i) {
    if (r.best[i]) continue;
    if (!first) w.Raw(",");
    first = false;
    StatementRef(w, s, i);
  }
  w.Raw("],").Key("ratio");
  Ratio(w, r.covered, s.size());
  w.Raw(",").Key("units");
  Array(w, r.units, [&](const CoverageReport::Group& g) { Group(w, g, "unit", true); });
  w.Raw(",").Key("key_areas");
  Array(w, r.key_areas, [&](const CoverageReport::Group& g) { Group(w, g, "key_area", false); });
  w.Raw("}\n");
  return std::move(w.out());
}

std::string CrosswalkJson(const CrosswalkReport& r) {
  Writer w;
  w.Raw("{").Key("framework");
  FrameworkRef(w, r.a.doc->framework);
  w.Raw(",").Key("against");
  FrameworkRef(w, r.b.doc->framework);
  w.Raw(",").Key("threshold").Number(r.threshold);
  w.Raw(",").Key("exact_threshold").Number(r.exact_threshold);
  w.Raw(",").Key("pairs");
  Array(w, r.pairs, [&](const Pair& p) {
    w.Raw("{").Key("a");
    StatementRef(w, r.a, p.a);
    w.Raw(",").Key("b");
    StatementRef(w, r.b, p.b);
    w.Raw(",").Key("score").Score(p.score);
    w.Raw(",").Key("type").String(SuggestedType(r, p.score)).Raw("}");
  });
  w.Raw("}\n");
  return std::move(w.out());
}

std::string EditionsJson(const EditionsReport& r) {
  Writer w;
  auto link_of = [&](const Item* from, const Item* to) -> const EditionsReport::Link* {
    for (const auto& l : r.links) {
      if (l.from == from && l.to == to) return &l;
    }
    return nullptr;
  };
  auto units = [&](const std::vector<const Item*>& list) {
    Array(w, list, [&](const Item* u) { UnitRef(w, u); });
  };
  auto one_to_one = [&](const EditionsReport::Entry& e) {
    const auto* link = link_of(e.from[0], e.to[0]);
    w.Raw("{").Key("old");
    UnitRef(w, e.from[0]);
    w.Raw(",").Key("new");
    UnitRef(w, e.to[0]);
    w.Raw(",").Key("source").String(link != nullptr && link->authored ? "authored" : "similarity");
    w.Raw(",").Key("score").Score(link != nullptr ? link->score : 0.0f).Raw("}");
  };
  w.Raw("{").Key("older");
  FrameworkRef(w, r.older.doc->framework);
  w.Raw(",").Key("newer");
  FrameworkRef(w, r.newer.doc->framework);
  w.Raw(",").Key("threshold").Number(r.threshold);
  w.Raw(",").Key("by").String(ByName(r.by));
  w.Raw(",").Key("added");
  Array(w, r.added, [&](const EditionsReport::Entry& e) { UnitRef(w, e.to[0]); });
  w.Raw(",").Key("removed");
  Array(w, r.removed, [&](const EditionsReport::Entry& e) { UnitRef(w, e.from[0]); });
  w.Raw(",").Key("changed");
  Array(w, r.changed, one_to_one);
  w.Raw(",").Key("merged");
  Array(w, r.merged, [&](const EditionsReport::Entry& e) {
    w.Raw("{").Key("old");
    units(e.from);
    w.Raw(",").Key("new");
    units(e.to);
    w.Raw("}");
  });
  w.Raw(",").Key("split");
  Array(w, r.split, [&](const EditionsReport::Entry& e) {
    w.Raw("{").Key("old");
    UnitRef(w, e.from[0]);
    w.Raw(",").Key("new");
    units(e.to);
    w.Raw("}");
  });
  w.Raw(",").Key("unchanged");
  Array(w, r.unchanged, one_to_one);
  w.Raw(",").Key("links");
  Array(w, r.links, [&](const EditionsReport::Link& l) {
    w.Raw("{").Key("old");
    UnitRef(w, l.from);
    w.Raw(",").Key("new");
    UnitRef(w, l.to);
    w.Raw(",").Key("source").String(l.authored ? "authored" : "similarity");
    w.Raw(",").Key("score").Score(l.score).Raw("}");
  });
  w.Raw(",").Key("counts").Raw("{");
  w.Key("added").Count(r.added.size()).Raw(",").Key("removed").Count(r.removed.size());
  w.Raw(",").Key("changed").Count(r.changed.size()).Raw(",").Key("merged").Count(r.merged.size());
  w.Raw(",").Key("split").Count(r.split.size()).Raw(",").Key("unchanged");
  w.Count(r.unchanged.size()).Raw("}}\n");
  return std::move(w.out());
}

}  // namespace opennos::analysis
