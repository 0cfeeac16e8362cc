#include "formats/soc.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "core/codec.h"
#include "core/json_util.h"
#include "core/validate.h"
#include "formats/table.h"

namespace opennos {
namespace {

namespace json = boost::json;

constexpr const char* kStructureWhat = "the SOC 2020 structure file (level,code,title,parent_code)";
constexpr const char* kDescriptionsWhat =
    "the SOC 2020 descriptions file (SOC 2020 Major Group, ... Tasks, Related Job Titles)";

constexpr std::string_view kLevelNames[] = {"major", "sub-major", "minor", "unit"};
constexpr std::string_view kTypeNames[] = {"SOC major group", "SOC sub-major group",
                                           "SOC minor group", kSocUnitGroupType};
constexpr std::string_view kDescriptionCodeColumns[] = {
    "SOC 2020 Major Group", "SOC 2020 Sub-Major Group", "SOC 2020 Minor Group",
    "SOC 2020 Unit Group"};

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The descriptions file writes an empty cell as "<blank>".
std::string Cell(const std::string& value) {
  std::string v = CollapseSpace(value);
  return v == "<blank>" ? std::string() : v;
}

// "~first\n\n~second" -> {"first", "second"}. A line without the tilde continues the entry
// before it.
std::vector<std::string> TildeList(const std::string& value) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find('\n', start);
    if (end == std::string::npos) end = value.size();
    std::string line = CollapseSpace(std::string_view(value).substr(start, end - start));
    start = end + 1;
    if (line.empty() || line == "<blank>") continue;
    if (line[0] == '~') {
      line = CollapseSpace(line.substr(1));
      if (!line.empty()) out.push_back(std::move(line));
    } else if (!out.empty()) {
      out.back() += " " + line;
    } else {
      out.push_back(std::move(line));
    }
  }
  return out;
}

// Compares titles as people would: case, spacing and a final full stop aside.
std::string TitleKey(const std::string& title) {
  std::string key = AsciiLower(CollapseSpace(title));
  while (!key.empty() && key.back() == '.') key.pop_back();
  return key;
}

}  // namespace

struct Soc2020Reader::State {
  struct Group {
    int level = 0;  // 0 major .. 3 unit
    std::string code;
    std::string title;
    std::string parent;
    std::string unique_id;
    std::string description;
    std::string entry_routes;
    std::vector<std::string> tasks;
    std::vector<std::string> job_titles;
    std::string structure_source, descriptions_source;
    size_t structure_line = 0, descriptions_line = 0;
    std::string described_title;
  };
  std::map<std::string, Group> groups;  // by code
  std::string structure_source, descriptions_source;
};

SocFile RecogniseSocFile(const std::vector<std::string>& header) {
  if (HasColumns(header, {"level", "code", "title", "parent_code"})) return SocFile::kStructure;
  if (HasColumns(header, {"SOC 2020 Unit Group", "SOC 2020 Group Title"})) {
    return SocFile::kDescriptions;
  }
  return SocFile::kNone;
}

Soc2020Reader::Soc2020Reader(ImportProblems* problems)
    : problems_(problems), state_(std::make_unique<State>()) {}
Soc2020Reader::~Soc2020Reader() = default;

bool Soc2020Reader::empty() const {
  return state_->structure_source.empty() && state_->descriptions_source.empty();
}

std::string Soc2020Reader::sources() const {
  const State& s = *state_;
  if (s.structure_source.empty()) return s.descriptions_source;
  if (s.descriptions_source.empty()) return s.structure_source;
  return s.structure_source + " + " + s.descriptions_source;
}

Status Soc2020Reader::Add(std::string_view content, const std::string& source) {
  State& s = *state_;
  const SocFile kind = RecogniseSocFile(CsvHeaderOf(content));
  if (kind == SocFile::kNone) {
    return Status::Invalid(source + ": line 1: the header is neither " +
                           std::string(kStructureWhat) + " nor " + kDescriptionsWhat);
  }
  const bool structure = kind == SocFile::kStructure;
  std::string& seen = structure ? s.structure_source : s.descriptions_source;
  if (!seen.empty()) {
    return Status::Invalid(source + ": a second SOC 2020 " +
                           (structure ? "structure" : "descriptions") +
                           " file in one import (the first is " + seen + ")");
  }
  auto table = CsvTable::Read(content, source, structure ? kStructureWhat : kDescriptionsWhat);
  if (!table.ok()) return table.status();
  const auto fail = [&](size_t row, const std::string& what) {
    return Status::Invalid(source + ": line " + std::to_string(table->line(row)) + ": " + what);
  };
  if (structure) {
    if (Status st = table->Require({"level", "code", "title", "parent_code"}); !st.ok()) return st;
    const int c_level = table->Column("level"), c_code = table->Column("code"),
              c_title = table->Column("title"), c_parent = table->Column("parent_code"),
              c_id = table->Column("unique_id");
    for (size_t r = 0; r < table->size(); ++r) {
      const std::string level_name = AsciiLower(CollapseSpace(table->Field(r, c_level)));
      const auto* found = std::find(std::begin(kLevelNames), std::end(kLevelNames), level_name);
      if (found == std::end(kLevelNames)) {
        return fail(
            r, "level \"" + table->Field(r, c_level) + "\" is not major, sub-major, minor or unit");
      }
      State::Group g;
      g.level = static_cast<int>(found - std::begin(kLevelNames));
      g.code = CollapseSpace(table->Field(r, c_code));
      g.title = CollapseSpace(table->Field(r, c_title));
      g.parent = CollapseSpace(table->Field(r, c_parent));
      g.unique_id = CollapseSpace(table->Field(r, c_id));
      if (!AllDigits(g.code) || g.code.size() != static_cast<size_t>(g.level + 1)) {
        return fail(r, "code \"" + g.code + "\" is not a " + level_name + " group code (" +
                           std::to_string(g.level + 1) + " digits)");
      }
      if (g.title.empty()) return fail(r, "group " + g.code + " has no title");
      if (g.level == 0 ? !g.parent.empty() : g.parent.size() != g.code.size() - 1) {
        return fail(r, "group " + g.code + " names the parent \"" + g.parent +
                           "\", which is not a group one level up");
      }
      auto [it, inserted] = s.groups.try_emplace(g.code);
      if (!inserted && !it->second.structure_source.empty()) {
        return fail(r, "group " + g.code + " is listed twice (first on line " +
                           std::to_string(it->second.structure_line) + ")");
      }
      g.structure_source = source;
      g.structure_line = table->line(r);
      // Keep what the descriptions file gave, if it came first.
      State::Group& dst = it->second;
      g.description = std::move(dst.description);
      g.entry_routes = std::move(dst.entry_routes);
      g.tasks = std::move(dst.tasks);
      g.job_titles = std::move(dst.job_titles);
      g.descriptions_source = std::move(dst.descriptions_source);
      g.descriptions_line = dst.descriptions_line;
      g.described_title = std::move(dst.described_title);
      dst = std::move(g);
    }
  } else {
    if (Status st = table->Require({kDescriptionCodeColumns[0], kDescriptionCodeColumns[1],
                                    kDescriptionCodeColumns[2], kDescriptionCodeColumns[3],
                                    "SOC 2020 Group Title", "Group Description"});
        !st.ok()) {
      return st;
    }
    int c_codes[4];
    for (int l = 0; l < 4; ++l) c_codes[l] = table->Column(kDescriptionCodeColumns[l]);
    const int c_title = table->Column("SOC 2020 Group Title"),
              c_desc = table->Column("Group Description"),
              c_entry = table->Column("Typical Entry Routes And Associated Qualifications"),
              c_tasks = table->Column("Tasks"), c_jobs = table->Column("Related Job Titles");
    for (size_t r = 0; r < table->size(); ++r) {
      int level = -1;
      std::string code;
      for (int l = 0; l < 4; ++l) {
        std::string v = Cell(table->Field(r, c_codes[l]));
        if (v.empty()) continue;
        if (level >= 0) return fail(r, "codes in more than one of the four group columns");
        level = l;
        code = std::move(v);
      }
      if (level < 0) return fail(r, "no code in any of the four group columns");
      if (!AllDigits(code) || code.size() != static_cast<size_t>(level + 1)) {
        return fail(r, "code \"" + code + "\" is not a " + std::string(kLevelNames[level]) +
                           " group code (" + std::to_string(level + 1) + " digits)");
      }
      auto [it, inserted] = s.groups.try_emplace(code);
      State::Group& g = it->second;
      if (!g.descriptions_source.empty()) {
        return fail(r, "group " + code + " is described twice (first on line " +
                           std::to_string(g.descriptions_line) + ")");
      }
      // A code's length fixes its level, so a group the structure gave has this level too.
      g.level = level;
      g.code = code;
      g.descriptions_source = source;
      g.descriptions_line = table->line(r);
      g.described_title = Cell(table->Field(r, c_title));
      g.description = Cell(table->Field(r, c_desc));
      g.entry_routes = Cell(table->Field(r, c_entry));
      g.tasks = TildeList(table->Field(r, c_tasks));
      g.job_titles = TildeList(table->Field(r, c_jobs));
      if (g.described_title.empty() && g.structure_source.empty()) {
        return fail(r, "group " + code + " has no title");
      }
    }
  }
  seen = source;
  return Status::Ok();
}

Result<FrameworkDoc> Soc2020Reader::Finish() {
  State& s = *state_;
  const auto note = [&](const std::string& source, size_t line, const char* kind,
                        std::string message) {
    if (problems_ != nullptr) problems_->push_back({source, line, kind, std::move(message)});
  };
  FrameworkDoc doc;
  Framework& f = doc.framework;
  f.code = kSoc2020Code;
  f.edition = kSoc2020Edition;
  f.uuid = DerivedFrameworkUuid(f.code, f.edition);
  f.title = "UK Standard Occupational Classification 2020 (SOC 2020)";
  f.publisher = "Office for National Statistics";
  f.licence = "OGL-UK-3.0";
  f.description =
      "The ONS Standard Occupational Classification 2020: 9 major, 26 sub-major, 104 minor and "
      "412 unit groups, with each group's description and each unit group's tasks, typical "
      "entry routes and related job titles. Source: Office for National Statistics. Contains "
      "public sector information licensed under the Open Government Licence v3.0.";
  const bool have_structure = !s.structure_source.empty();
  for (auto& [code, g] : s.groups) {
    const std::string& source =
        g.structure_source.empty() ? g.descriptions_source : g.structure_source;
    const size_t line = g.structure_source.empty() ? g.descriptions_line : g.structure_line;
    if (g.structure_source.empty()) {
      // Only the descriptions name this group: its parent is its code less the last digit.
      g.parent = g.level == 0 ? "" : code.substr(0, code.size() - 1);
      g.title = g.described_title;
      if (have_structure) {
        note(source, line, "SOC group missing from the structure",
             "group " + code + " is described but not in the structure file " + s.structure_source +
                 ": added under " + (g.parent.empty() ? "the top" : g.parent));
      }
    } else if (!s.descriptions_source.empty() && g.descriptions_source.empty()) {
      note(source, line, "SOC group without a description",
           "group " + code + " is not in the descriptions file " + s.descriptions_source +
               ": it has no description");
    } else if (!g.described_title.empty() && TitleKey(g.described_title) != TitleKey(g.title)) {
      note(g.descriptions_source, g.descriptions_line, "SOC title differs",
           "group " + code + " is titled \"" + g.described_title + "\" here and \"" + g.title +
               "\" in the structure: kept the structure's title");
    }
    if (!g.parent.empty() && !s.groups.count(g.parent)) {
      return Status::Invalid(source + ": line " + std::to_string(line) + ": group " + code +
                             "'s parent " + g.parent + " is not in the file");
    }
  }
  // std::map orders codes as strings, and a SOC code's prefix is its parent's code, so the
  // groups come parents first, siblings in code order.
  for (const auto& [code, g] : s.groups) {
    Item item;
    item.framework_uuid = f.uuid;
    item.uuid = DerivedItemUuid(f.uuid, code);
    item.parent_uuid = g.parent.empty() ? "" : DerivedItemUuid(f.uuid, g.parent);
    item.type = ItemType::kStatement;
    item.type_name = kTypeNames[g.level];
    item.code = code;
    item.title = g.title;
    item.text = g.description;
    json::object soc;
    if (!g.unique_id.empty()) soc["uniqueId"] = g.unique_id;
    if (!g.entry_routes.empty()) soc["typicalEntryRoutes"] = g.entry_routes;
    if (!g.job_titles.empty()) {
      json::array titles;
      for (const auto& t : g.job_titles) titles.emplace_back(t);
      soc["relatedJobTitles"] = std::move(titles);
    }
    if (!soc.empty()) item.extra = CompactJson(json::object{{"soc", std::move(soc)}});
    const std::string parent_uuid = item.uuid;
    doc.items.push_back(std::move(item));
    for (size_t t = 0; t < g.tasks.size(); ++t) {
      Item task;
      task.framework_uuid = f.uuid;
      task.code = code + "." + std::to_string(t + 1);
      task.uuid = DerivedItemUuid(f.uuid, task.code);
      task.parent_uuid = parent_uuid;
      task.type = ItemType::kStatement;
      task.type_name = "SOC task";
      task.text = g.tasks[t];
      doc.items.push_back(std::move(task));
    }
  }
  if (Status st = PutInTreeOrder(doc); !st.ok()) return st.WithContext(sources());
  if (Status st = ValidateFramework(doc); !st.ok()) return st.WithContext(sources());
  return doc;
}

std::unordered_set<std::string> Soc2020UnitGroupCodes(const FrameworkDoc& soc) {
  std::unordered_set<std::string> codes;
  for (const Item& item : soc.items) {
    if (item.type_name == kSocUnitGroupType) codes.insert(item.code);
  }
  return codes;
}

}  // namespace opennos
