#include "analysis/report_json.h"

#include <charconv>
#include <cstdio>

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

std::string UnitLabel(const Item* unit) {
  if (unit == nullptr) return "";
  return unit->unit.urn.empty() ? unit->code : unit->unit.urn;
}

std::string DuplicatesJson(const DuplicatesReport& r) {
  Writer w;
  const Statements& s = r.statements;
  w.out().reserve(200 + r.pairs.size() * 220);
  w.Raw("{").Key("framework");
  FrameworkRef(w, s.doc->framework);
  w.Raw(",").Key("threshold").Number(r.threshold);
  w.Raw(",").Key("statements").Count(s.size());
  w.Raw(",").Key("without_terms").Count(r.without_terms);
  w.Raw(",").Key("pairs");
  Array(w, r.pairs, [&](const Pair& p) {
    w.Raw("{").Key("a");
    StatementRef(w, s, p.a);
    w.Raw(",").Key("b");
    StatementRef(w, s, p.b);
    w.Raw(",").Key("score").Score(p.score).Raw("}");
  });
  w.Raw(",").Key("clusters");
  Array(w, r.clusters, [&](const std::vector<std::uint32_t>& c) {
    w.Raw("{").Key("size").Count(c.size()).Raw(",").Key("items");
    Array(w, c, [&](std::uint32_t i) { StatementRef(w, s, i); });
    w.Raw("}");
  });
  w.Raw(",").Key("units");
  Array(w, r.units, [&](const DuplicatesReport::UnitPair& u) {
    w.Raw("{").Key("a");
    UnitRef(w, u.a);
    w.Raw(",").Key("b");
    UnitRef(w, u.b);
    w.Raw(",").Key("pairs").Count(u.pairs).Raw(",").Key("best").Score(u.best).Raw("}");
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
