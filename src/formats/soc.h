#pragma once
// The UK Standard Occupational Classification 2020 (ONS) as one framework, SOC2020@2020:
// major -> sub-major -> minor -> unit groups, each a statement whose code is its SOC code,
// with a unit group's tasks as its children. Read from soc2020_structure.csv, from
// soc2020_descriptions_raw.csv, or from both in one import (docs/formats/soc.md).

#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "formats/problems.h"

namespace opennos {

inline constexpr std::string_view kSoc2020Code = "SOC2020";
inline constexpr std::string_view kSoc2020Edition = "2020";
inline constexpr std::string_view kSocUnitGroupType = "SOC unit group";

enum class SocFile { kNone, kStructure, kDescriptions };
// Which SOC 2020 file a header row (CsvHeaderOf) belongs to.
SocFile RecogniseSocFile(const std::vector<std::string>& header);

// Collects the SOC 2020 files of one import and builds the framework from them.
class Soc2020Reader {
 public:
  // Problems (values that could not be normalised) go to `problems`, if given.
  explicit Soc2020Reader(ImportProblems* problems = nullptr);
  ~Soc2020Reader();
  Soc2020Reader(const Soc2020Reader&) = delete;
  Soc2020Reader& operator=(const Soc2020Reader&) = delete;

  // Reads one file, the structure or the descriptions (recognised from its header). Errors
  // name the file and the line.
  Status Add(std::string_view content, const std::string& source);
  bool empty() const;
  // The files read, joined with " + ".
  std::string sources() const;
  // The framework. Problems (a group only in the descriptions, say) go to `problems`.
  Result<FrameworkDoc> Finish();

 private:
  struct State;
  ImportProblems* problems_;
  std::unique_ptr<State> state_;
};

// The codes of a SOC 2020 framework's unit groups.
std::unordered_set<std::string> Soc2020UnitGroupCodes(const FrameworkDoc& soc);

}  // namespace opennos
