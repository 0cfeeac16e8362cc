#include "formats/onet.h"

#include <boost/json.hpp>
#include <map>
#include <unordered_map>

#include "core/codec.h"
#include "core/json_util.h"
#include "core/validate.h"
#include "formats/table.h"

namespace opennos {
namespace {

namespace json = boost::json;

constexpr const char* kOccupationsWhat =
    "O*NET's Occupation_Data.csv (O*NET-SOC Code,Title,Description)";
constexpr const char* kTasksWhat =
    "O*NET's Task_Statements.csv (O*NET-SOC Code,Title,Task ID,Task,Task Type,...)";

// "11-1011.00": two digits, a hyphen, four digits, a full stop, two digits.
bool IsOnetSocCode(std::string_view s) {
  if (s.size() != 10 || s[2] != '-' || s[7] != '.') return false;
  for (size_t i : {0, 1, 3, 4, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

struct OnetReader::State {
  struct Task {
    std::string id, text, type, incumbents, date, domain;
  };
  struct Occupation {
    std::string title, description;
    std::string source;
    size_t line = 0;
    bool described = false;  // from Occupation_Data.csv
    std::vector<Task> tasks;
  };
  std::map<std::string, Occupation> occupations;  // by O*NET-SOC code
  std::string occupations_source, tasks_source;
};

OnetFile RecogniseOnetFile(const std::vector<std::string>& header) {
  if (HasColumns(header, {"O*NET-SOC Code", "Task ID", "Task"})) return OnetFile::kTasks;
  if (HasColumns(header, {"O*NET-SOC Code", "Title", "Description"})) {
    return OnetFile::kOccupations;
  }
  return OnetFile::kNone;
}

OnetReader::OnetReader(ImportProblems* problems)
    : problems_(problems), state_(std::make_unique<State>()) {}
OnetReader::~OnetReader() = default;

bool OnetReader::empty() const {
  return state_->occupations_source.empty() && state_->tasks_source.empty();
}

std::string OnetReader::sources() const {
  const State& s = *state_;
  if (s.occupations_source.empty()) return s.tasks_source;
  if (s.tasks_source.empty()) return s.occupations_source;
  return s.occupations_source + " + " + s.tasks_source;
}

Status OnetReader::Add(std::string_view content, const std::string& source) {
  State& s = *state_;
  const OnetFile kind = RecogniseOnetFile(CsvHeaderOf(content));
  if (kind == OnetFile::kNone) {
    return Status::Invalid(source + ": line 1: the header is neither " +
                           std::string(kOccupationsWhat) + " nor " + kTasksWhat);
  }
  const bool tasks = kind == OnetFile::kTasks;
  std::string& seen = tasks ? s.tasks_source : s.occupations_source;
  if (!seen.empty()) {
    return Status::Invalid(source + ": a second O*NET " +
                           (tasks ? "task statements" : "occupation data") +
                           " file in one import (the first is " + seen + ")");
  }
  auto table = CsvTable::Read(content, source, tasks ? kTasksWhat : kOccupationsWhat);
  if (!table.ok()) return table.status();
  const auto fail = [&](size_t row, const std::string& what) {
    return Status::Invalid(source + ": line " + std::to_string(table->line(row)) + ": " + what);
  };
  const int c_code = table->Column("O*NET-SOC Code"), c_title = table->Column("Title");
  if (!tasks) {
    if (Status st = table->Require({"O*NET-SOC Code", "Title", "Description"}); !st.ok()) {
      return st;
    }
    const int c_desc = table->Column("Description");
    for (size_t r = 0; r < table->size(); ++r) {
      const std::string code = CollapseSpace(table->Field(r, c_code));
      if (!IsOnetSocCode(code)) {
        return fail(r, "\"" + code + "\" is not an O*NET-SOC code (like 11-1011.00)");
      }
      State::Occupation& o = s.occupations[code];
      if (o.described) {
        return fail(r, "occupation " + code + " is listed twice (first on line " +
                           std::to_string(o.line) + ")");
      }
      o.title = CollapseSpace(table->Field(r, c_title));
      if (o.title.empty()) return fail(r, "occupation " + code + " has no title");
      o.description = CollapseSpace(table->Field(r, c_desc));
      o.described = true;
      o.source = source;
      o.line = table->line(r);
    }
  } else {
    if (Status st = table->Require({"O*NET-SOC Code", "Title", "Task ID", "Task"}); !st.ok()) {
      return st;
    }
    const int c_id = table->Column("Task ID"), c_task = table->Column("Task"),
              c_type = table->Column("Task Type"),
              c_incumbents = table->Column("Incumbents Responding"), c_date = table->Column("Date"),
              c_domain = table->Column("Domain Source");
    std::unordered_map<std::string, size_t> line_of_task;
    for (size_t r = 0; r < table->size(); ++r) {
      const std::string code = CollapseSpace(table->Field(r, c_code));
      if (!IsOnetSocCode(code)) {
        return fail(r, "\"" + code + "\" is not an O*NET-SOC code (like 11-1011.00)");
      }
      State::Task t;
      t.id = CollapseSpace(table->Field(r, c_id));
      if (!AllDigits(t.id)) return fail(r, "task ID \"" + t.id + "\" is not a number");
      auto [at, fresh] = line_of_task.emplace(t.id, table->line(r));
      if (!fresh) {
        return fail(r, "task " + t.id + " is listed twice (first on line " +
                           std::to_string(at->second) + ")");
      }
      t.text = CollapseSpace(table->Field(r, c_task));
      if (t.text.empty()) return fail(r, "task " + t.id + " has no text");
      t.type = CollapseSpace(table->Field(r, c_type));
      if (!t.type.empty() && t.type != "Core" && t.type != "Supplemental" && problems_ != nullptr) {
        problems_->push_back({source, table->line(r), "O*NET task type",
                              "task " + t.id + " has the type \"" + t.type +
                                  "\", neither Core nor Supplemental: typed \"O*NET task\""});
      }
      t.incumbents = CollapseSpace(table->Field(r, c_incumbents));
      t.date = CollapseSpace(table->Field(r, c_date));
      t.domain = CollapseSpace(table->Field(r, c_domain));
      State::Occupation& o = s.occupations[code];
      if (o.title.empty()) {
        o.title = CollapseSpace(table->Field(r, c_title));
        o.source = source;
        o.line = table->line(r);
      }
      o.tasks.push_back(std::move(t));
    }
  }
  seen = source;
  return Status::Ok();
}

Result<FrameworkDoc> OnetReader::Finish() {
  State& s = *state_;
  const auto note = [&](const std::string& source, size_t line, const char* kind,
                        std::string message) {
    if (problems_ != nullptr) problems_->push_back({source, line, kind, std::move(message)});
  };
  FrameworkDoc doc;
  Framework& f = doc.framework;
  f.code = kOnetCode;
  f.edition = kOnetEdition;
  f.uuid = DerivedFrameworkUuid(f.code, f.edition);
  f.title = "O*NET 29.3 occupations and tasks";
  f.publisher = "U.S. Department of Labor, Employment and Training Administration (USDOL/ETA)";
  f.licence = "CC-BY-4.0";
  f.language = "en-US";
  f.description =
      "Occupations of the O*NET-SOC taxonomy with their descriptions and task statements (core "
      "and supplemental), from the O*NET 29.3 Database (May 2025 release). This framework "
      "includes information from the O*NET 29.3 Database by the U.S. Department of Labor, "
      "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license "
      "(https://creativecommons.org/licenses/by/4.0/). O*NET\u00ae is a trademark of USDOL/ETA. "
      "OpenNOS has modified all or some of this information: it is arranged as a framework of "
      "statements. USDOL/ETA has not approved, endorsed, or tested these modifications. See "
      "https://www.onetcenter.org/license_db.html.";
  if (s.occupations_source.empty()) {
    note(s.tasks_source, 0, "O*NET occupations from the task file",
         "no Occupation_Data.csv in this import: each occupation has the title its tasks give "
         "and no description");
  }
  for (auto& [code, o] : s.occupations) {
    if (!s.occupations_source.empty() && !o.described) {
      note(o.source, o.line, "O*NET occupation missing",
           "occupation " + code + " has tasks but is not in " + s.occupations_source +
               ": added with the title \"" + o.title + "\" and no description");
    }
    Item item;
    item.framework_uuid = f.uuid;
    item.code = code;
    item.uuid = DerivedItemUuid(f.uuid, code);
    item.type = ItemType::kStatement;
    item.type_name = "O*NET occupation";
    item.title = o.title;
    item.text = o.description;
    const std::string parent = item.uuid;
    doc.items.push_back(std::move(item));
    for (State::Task& t : o.tasks) {
      Item task;
      task.framework_uuid = f.uuid;
      task.code = "T" + t.id;
      task.uuid = DerivedItemUuid(f.uuid, task.code);
      task.parent_uuid = parent;
      task.type = ItemType::kStatement;
      task.type_name = t.type == "Core"           ? "O*NET core task"
                       : t.type == "Supplemental" ? "O*NET supplemental task"
                                                  : "O*NET task";
      task.text = std::move(t.text);
      json::object onet{{"taskId", t.id}};
      if (!t.type.empty()) onet["taskType"] = t.type;
      if (!t.incumbents.empty()) onet["incumbentsResponding"] = t.incumbents;
      if (!t.date.empty()) onet["date"] = t.date;
      if (!t.domain.empty()) onet["domainSource"] = t.domain;
      task.extra = CompactJson(json::object{{"onet", std::move(onet)}});
      doc.items.push_back(std::move(task));
    }
  }
  if (Status st = PutInTreeOrder(doc); !st.ok()) return st.WithContext(sources());
  if (Status st = ValidateFramework(doc); !st.ok()) return st.WithContext(sources());
  return doc;
}

}  // namespace opennos
