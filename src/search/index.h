#pragma once
// The search index: a Xapian database derived from the store, rebuildable at any time. The
// prefix scheme, value slot and shard table are written down in docs/search.md and in schema.h.
//
// The index is a folder of a few shards (Xapian databases, each holding some frameworks and a
// table of their units), named by a manifest that is replaced atomically. One process writes an index at a time (a lock file): the server when
// one runs, the CLI otherwise. Readers may be many. An Index object is used by one thread at a
// time.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "storage/store.h"

namespace opennos::search {

// The facets, in the order pages show them: suite, type, occupation, developer, validity,
// category. Each is also a filter key.
const std::vector<std::string>& FacetNames();

struct Filter {
  std::string key;    // a facet name
  std::string value;  // as the facet reports it (a suite is "CODE@EDITION")
};

struct Query {
  std::string text;
  std::vector<Filter> filters;  // same key: any value; different keys: all
  int page = 1;                 // from 1
  int size = 10;                // 1..100
  bool facets = true;           // count facet values over the matches
  bool snippets = true;         // highlight the matching words in a snippet
};

struct Hit {
  std::string uuid;  // the matching item (a unit, or a statement of one)
  std::string type;  // its native type name
  std::string code;
  std::string urn;    // the unit's URN (for a statement, its unit's)
  std::string title;  // the unit's title (for a statement, its unit's)
  std::string text;   // the matching item's own text
  std::string unit_uuid;
  std::string framework_uuid, framework_code, framework_edition, framework_title;
  std::string snippet;  // HTML: escaped text with <mark> around matching words
  double score = 0;     // relevance, higher is better; comparable within one result only
};

struct FacetValue {
  std::string value;
  std::int64_t count = 0;
};

struct Results {
  std::string query;
  // Matching units (and unit-less statements): exact when facets are asked for, else Xapian's
  // estimate.
  std::int64_t total = 0;
  int page = 1;
  int size = 10;
  std::vector<Hit> hits;
  std::map<std::string, std::vector<FacetValue>> facets;  // by facet name, largest first
  std::string suggestion;  // a corrected query when a word looks misspelt, else empty
  std::string message;     // a note for the person searching (e.g. nothing to search for)
};

class Index {
 public:
  virtual ~Index() = default;

  // Replaces everything indexed for this framework. Not visible to readers until Commit.
  virtual Status Put(const FrameworkDoc& doc) = 0;
  // Removes everything indexed for this framework.
  virtual Status Remove(const std::string& framework_uuid) = 0;
  // Makes the writes visible, recording the store change they bring the index up to.
  virtual Status Commit(std::int64_t change_seq) = 0;
  // The store change the index was last brought up to (0 for a new index).
  virtual std::int64_t IndexedSeq() = 0;
  // Number of indexed items (units and statements) that a search can find.
  virtual std::int64_t Size() = 0;
  // Number of searchable documents: one per unit (holding its statements) and one per item
  // outside any unit.
  virtual std::int64_t Documents() = 0;
  // Runs a query. Never fails on odd input (operators typed as text, unbalanced quotes, only
  // stop words, very long text): it answers with fewer results or a message. Results and
  // scores depend only on the frameworks the index is current for, not on how it got there
  // (rebuilt, or caught up change by change): ranking statistics leave out masked documents,
  // and equal scores are ordered by unit URN and UUID.
  virtual Result<Results> Search(const Query& query) = 0;
  // Sees the latest committed state (for a reader).
  virtual Status Reopen() = 0;
};

// Opens the index in `dir` for writing, creating it if missing. Conflict when another process
// holds the write lock; Invalid when the files are corrupt (the caller may rebuild).
Result<std::unique_ptr<Index>> OpenWritableIndex(const std::string& dir);
// Opens the index in `dir` for reading. NotFound when there is none.
Result<std::unique_ptr<Index>> OpenReadOnlyIndex(const std::string& dir);

// Called during a rebuild with frameworks done and the total.
using RebuildProgress = void (*)(std::int64_t done, std::int64_t total, void* context);

// Throws away the index in `dir` and builds it again from the store, atomically: readers see
// the old index until the new one is complete.
Status Rebuild(Store& store, const std::string& dir, RebuildProgress progress = nullptr,
               void* context = nullptr);

// Brings a writable index up to date with the store's change log: re-indexes each framework
// changed since IndexedSeq(), removes deleted ones, and commits. Returns how many frameworks
// it re-indexed.
Result<int> CatchUp(Store& store, Index& index);

// Opens the writable index in `dir`, rebuilding it if it is missing or corrupt, and catches
// it up with the store. Conflict if another process writes it.
Result<std::unique_ptr<Index>> OpenCurrentIndex(Store& store, const std::string& dir);

}  // namespace opennos::search
