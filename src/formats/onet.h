#pragma once
// O*NET 29.3 (US Department of Labor, CC BY 4.0) as one framework, ONET@29.3: each occupation
// a statement whose code is its O*NET-SOC code, with its task statements as children. Read
// from Occupation_Data.csv, Task_Statements.csv, or both in one import
// (docs/formats/onet.md).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "formats/problems.h"

namespace opennos {

inline constexpr std::string_view kOnetCode = "ONET";
inline constexpr std::string_view kOnetEdition = "29.3";

enum class OnetFile { kNone, kOccupations, kTasks };
// Which O*NET file a header row (CsvHeaderOf) belongs to.
OnetFile RecogniseOnetFile(const std::vector<std::string>& header);

// Collects the O*NET files of one import and builds the framework from them.
class OnetReader {
 public:
  // Problems (values that could not be normalised) go to `problems`, if given.
  explicit OnetReader(ImportProblems* problems = nullptr);
  ~OnetReader();
  OnetReader(const OnetReader&) = delete;
  OnetReader& operator=(const OnetReader&) = delete;

  // Reads Occupation_Data.csv or Task_Statements.csv (recognised from the header). Errors name
  // the file and the line.
  Status Add(std::string_view content, const std::string& source);
  bool empty() const;
  std::string sources() const;
  Result<FrameworkDoc> Finish();

 private:
  struct State;
  ImportProblems* problems_;
  std::unique_ptr<State> state_;
};

}  // namespace opennos
