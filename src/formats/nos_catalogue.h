#pragma once
// The NOS catalogue export: the national NOS database's list of published standards, one row
// per standard (Developed By, NOS Title, Suite, ..., URN, SOC Code, NOSCategory, Keywords,
// Original URN, Created, Modified, ...). It holds catalogue records, not the standards' text.
// Read as one framework per suite, each unit in the first suite it lists and linked to the
// others by isPartOf associations (docs/formats/nos-catalogue.md).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "formats/problems.h"

namespace opennos {

// True for the export's header row (CsvHeaderOf).
bool IsNosCatalogueHeader(const std::vector<std::string>& header);

// What the export holds: one framework per suite, and the SOC codes its rows name.
struct NosCatalogue {
  std::vector<FrameworkDoc> suites;  // in suite-code order
  struct SocUse {
    size_t rows = 0;        // rows naming the code
    size_t first_line = 0;  // the first of them
    std::string urn;        // its URN
  };
  std::map<std::string, SocUse> soc_codes;  // every SOC code of every row, as read
};

// Reads the export. What could not be normalised (a placeholder review date, an unknown
// category, a URN listed twice) goes to `problems`, row by row. Errors (a missing column, a
// row with too few fields, bytes that are not UTF-8) name the file and the line.
Result<NosCatalogue> ReadNosCatalogue(std::string_view content, const std::string& source,
                                      ImportProblems* problems);

// Adds to `problems` a line saying the catalogue's SOC codes are SOC 2010 codes kept as given
// and, when the SOC 2020 unit groups are known (`soc2020` not null), a line for each code that
// is not one of them ("SOC 2010 code with no SOC 2020 match"), at the first row naming it.
void ReportCatalogueSocCodes(const NosCatalogue& catalogue,
                             const std::unordered_set<std::string>* soc2020,
                             const std::string& source, ImportProblems* problems);

// An Excel serial day number ("45046", "43300.68") as YYYY-MM-DD; nullopt if it is not one
// (or falls before 1 March 1900, where Excel's calendar is wrong).
std::optional<std::string> ExcelSerialDate(std::string_view serial);

// The framework code of a suite: its name in lower case, with every run of other characters
// made one hyphen ("Logistics Operations" -> "logistics-operations"); long names are cut and
// given a hash so the code stays under 65 characters and unique.
std::string SuiteCode(std::string_view suite_name);

}  // namespace opennos
