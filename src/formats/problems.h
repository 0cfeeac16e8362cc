#pragma once
// The problems report of an import: what a reader could not normalise and what it did
// instead ("line 1234: review date '1901' is a placeholder: left empty"). A problem never
// stops an import; errors do (they are Status values).

#include <cstddef>
#include <string>
#include <vector>

namespace opennos {

struct ImportProblem {
  std::string source;    // the file
  std::size_t line = 0;  // the line its record starts on; 0 when it concerns the whole file
  std::string kind;      // a short name the summary counts by ("placeholder review date")
  std::string message;   // what was found and what was done

  // "source: line N: message", or "source: message" without a line.
  std::string Format() const {
    return source + (line == 0 ? "" : ": line " + std::to_string(line)) + ": " + message;
  }
};

using ImportProblems = std::vector<ImportProblem>;

}  // namespace opennos
