#pragma once
// ESCO (the European Commission's classification of skills, competences and occupations), for
// benchmarking, as two frameworks (docs/formats/esco.md):
//   ESCO-OCCUPATIONS@1.0 "ESCO occupations": ISCO groups -> occupations, from
//     ISCOGroups_en.csv and occupations_en.csv;
//   ESCO-SKILLS@1.0 "ESCO skills hierarchy": the skills pillar's groups, from
//     skillsHierarchy_en.csv and skillGroups_en.csv, with the skills of the skill collections
//     (*SkillsCollection_en.csv) under their broader concepts.
// Any subset of the files may be imported together. Every item's UUID is the name-based
// (version 5, URL namespace) UUID of its ESCO concept URI.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "formats/problems.h"

namespace opennos {

inline constexpr std::string_view kEscoOccupationsCode = "ESCO-OCCUPATIONS";
inline constexpr std::string_view kEscoSkillsCode = "ESCO-SKILLS";
inline constexpr std::string_view kEscoEdition = "1.0";

enum class EscoFile {
  kNone,
  kOccupations,      // occupations_en.csv
  kIscoGroups,       // ISCOGroups_en.csv
  kSkillsHierarchy,  // skillsHierarchy_en.csv
  kSkillGroups,      // skillGroups_en.csv
  kSkillCollection,  // transversalSkillsCollection_en.csv and the other collections
};
// Which ESCO file a header row (CsvHeaderOf) belongs to.
EscoFile RecogniseEscoFile(const std::vector<std::string>& header);

// The UUID OpenNOS gives an ESCO concept: version 5 of its URI in the URL namespace.
std::string EscoConceptUuid(std::string_view uri);

// Collects the ESCO files of one import and builds the frameworks from them.
class EscoReader {
 public:
  // Problems (values that could not be normalised) go to `problems`, if given.
  explicit EscoReader(ImportProblems* problems = nullptr);
  ~EscoReader();
  EscoReader(const EscoReader&) = delete;
  EscoReader& operator=(const EscoReader&) = delete;

  // Reads one ESCO file (recognised from its header). Errors name the file and the line.
  Status Add(std::string_view content, const std::string& source);
  bool empty() const;
  // The files each framework was read from, joined with " + "; parallel to Finish's result.
  std::vector<std::string> sources() const;
  // The occupations framework (if any of its files was read), then the skills framework.
  Result<std::vector<FrameworkDoc>> Finish();

 private:
  struct State;
  ImportProblems* problems_;
  std::unique_ptr<State> state_;
};

}  // namespace opennos
