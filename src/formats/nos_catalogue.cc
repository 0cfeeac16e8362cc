#include "formats/nos_catalogue.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "core/codec.h"
#include "core/json_util.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "formats/table.h"

namespace opennos {
namespace {

namespace json = boost::json;

constexpr const char* kWhat =
    "the NOS catalogue export (Developed By,NOS Title,Suite,...,URN,SOC Code,NOSCategory,...)";
constexpr std::string_view kNoSuiteCode = "no-suite";
constexpr std::string_view kNoSuiteTitle = "Standards with no suite";
constexpr size_t kMaxSuiteCode = 64;

// The HTML entities the export leaves in its text.
std::string DecodeEntities(std::string_view s) {
  static const std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&nbsp;", " "},  {"&amp;", "&"}, {"&lt;", "<"},   {"&gt;", ">"},
      {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"}, {"&#160;", " "}};
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, text] : kEntities) {
        if (s.size() - i >= entity.size() && AsciiLower(s.substr(i, entity.size())) == entity) {
          out += text;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

std::string Clean(std::string_view s) { return CollapseSpace(DecodeEntities(s)); }

bool IsDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Days since 1970-01-01 -> "YYYY-MM-DD" (Howard Hinnant's civil_from_days).
std::string CivilDate(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", y, m, d);
  return buffer;
}

std::optional<double> Number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  const size_t dot = s.find('.');
  if (!IsDigits(s.substr(0, dot)) ||
      (dot != std::string_view::npos && !IsDigits(s.substr(dot + 1)))) {
    return std::nullopt;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Natural order ("LANAgM2" before "LANAgM10"), ignoring case.
bool NaturalLess(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = a[i] >= '0' && a[i] <= '9', db = b[j] >= '0' && b[j] <= '9';
    if (da && db) {
      size_t ei = i, ej = j;
      while (ei < a.size() && a[ei] >= '0' && a[ei] <= '9') ++ei;
      while (ej < b.size() && b[ej] >= '0' && b[ej] <= '9') ++ej;
      std::string_view na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ei;
      j = ej;
      continue;
    }
    const char ca = static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
    const char cb = static_cast<char>(std::tolower(static_cast<unsigned char>(b[j])));
    if (ca != cb) return ca < cb;
    ++i;
    ++j;
  }
  if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
  return a < b;
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// One row of the export, normalised.
struct Record {
  size_t line = 0;
  std::string urn, title, developer, validity, category, status, review, original_urn;
  std::vector<std::string> suites;  // names, in the row's order, one per suite code
  std::vector<std::string> keywords, soc;
  std::string created, modified, document;
  double modified_serial = -1;
  std::vector<std::string> occupations;
};

int ValidityRank(const std::string& v) { return v == "current" ? 0 : v.empty() ? 1 : 2; }

// Picks the most frequent spelling of each key; ties go to the first seen.
class Spellings {
 public:
  void Add(const std::string& key, const std::string& spelling) {
    auto& entry = by_key_[key];
    for (auto& [s, count] : entry) {
      if (s == spelling) {
        ++count;
        return;
      }
    }
    entry.emplace_back(spelling, 1);
  }
  const std::string& Best(const std::string& key) const {
    const auto& entry = by_key_.at(key);
    const auto* best = &entry.front();
    for (const auto& e : entry) {
      if (e.second > best->second) best = &e;
    }
    return best->first;
  }

 private:
  std::unordered_map<std::string, std::vector<std::pair<std::string, int>>> by_key_;
};

std::string DeveloperKey(const std::string& name) {
  std::string key;
  for (char c : AsciiLower(name)) {
    if (c != ' ') key += c;
  }
  return key;
}

class Reader {
 public:
  Reader(const std::string& source, ImportProblems* problems)
      : source_(source), problems_(problems) {}

  Result<NosCatalogue> Read(std::string_view content) {
    if (problems_ != nullptr) first_problem_ = problems_->size();
    auto table = CsvTable::Read(content, source_, kWhat);
    if (!table.ok()) return table.status();
    if (Status s = table->Require({"Developed By", "NOS Title", "Suite", "Validity",
                                   "Indicative Review Date", "NOS Document Status", "URN",
                                   "SOC Code", "NOSCategory", "Keywords", "Original URN"});
        !s.ok()) {
      return s;
    }
    ReadRecords(*table);
    const std::string edition = Edition();
    std::vector<Unit> units = MergeRepeatedUrns();
    NosCatalogue catalogue;
    catalogue.suites = BuildFrameworks(units, edition);
    catalogue.soc_codes = std::move(soc_codes_);
    if (problems_ != nullptr) {
      // Row by row: the merging and grouping notes join the notes of their rows.
      std::stable_sort(
          problems_->begin() + static_cast<std::ptrdiff_t>(first_problem_), problems_->end(),
          [](const ImportProblem& a, const ImportProblem& b) { return a.line < b.line; });
    }
    return catalogue;
  }

 private:
  struct Unit {
    Record record;                    // the row kept
    std::vector<std::string> suites;  // suite codes, the home suite first
    std::vector<size_t> suite_lines;  // the line naming each
  };

  void Note(size_t line, const char* kind, std::string message) {
    if (problems_ != nullptr) problems_->push_back({source_, line, kind, std::move(message)});
  }

  void ReadRecords(const CsvTable& t) {
    const int c_developer = t.Column("Developed By"), c_title = t.Column("NOS Title"),
              c_suite = t.Column("Suite"), c_validity = t.Column("Validity"),
              c_review = t.Column("Indicative Review Date"),
              c_status = t.Column("NOS Document Status"), c_urn = t.Column("URN"),
              c_soc = t.Column("SOC Code"), c_category = t.Column("NOSCategory"),
              c_keywords = t.Column("Keywords"), c_original = t.Column("Original URN"),
              c_created = t.Column("Created"), c_modified = t.Column("Modified"),
              c_document = t.Column("Name"), c_occupations = t.Column("Occupations");
    for (size_t r = 0; r < t.size(); ++r) {
      Record rec;
      rec.line = t.line(r);
      rec.urn = Clean(t.Field(r, c_urn));
      if (rec.urn.empty()) {
        Note(rec.line, "no URN", "no URN: the row is skipped");
        continue;
      }
      rec.title = Clean(t.Field(r, c_title));
      if (rec.title.empty()) Note(rec.line, "no title", "URN " + rec.urn + " has no title");
      for (std::string& suite : SplitPieces(DecodeEntities(t.Field(r, c_suite)), ";")) {
        const std::string code = SuiteCode(suite);
        if (std::none_of(rec.suites.begin(), rec.suites.end(),
                         [&](const std::string& s) { return SuiteCode(s) == code; })) {
          rec.suites.push_back(std::move(suite));
        }
      }
      rec.developer = Clean(t.Field(r, c_developer));
      if (rec.developer == "x" || rec.developer == "X") {
        Note(rec.line, "placeholder developer",
             "developer " + Quoted(rec.developer) + " is a placeholder: left empty");
        rec.developer.clear();
      }
      rec.validity = Validity(rec.line, Clean(t.Field(r, c_validity)));
      rec.category = Category(rec.line, Clean(t.Field(r, c_category)));
      rec.status = DocumentStatus(rec.line, Clean(t.Field(r, c_status)));
      rec.review = ReviewDate(rec.line, Clean(t.Field(r, c_review)));
      rec.soc = SocCodes(rec.line, Clean(t.Field(r, c_soc)));
      for (const std::string& code : rec.soc) {
        NosCatalogue::SocUse& use = soc_codes_[code];
        if (use.rows++ == 0) {
          use.first_line = rec.line;
          use.urn = rec.urn;
        }
      }
      for (std::string& k : SplitPieces(DecodeEntities(t.Field(r, c_keywords)), ";,")) {
        const std::string key = AsciiLower(k);
        if (std::none_of(rec.keywords.begin(), rec.keywords.end(),
                         [&](const std::string& x) { return AsciiLower(x) == key; })) {
          rec.keywords.push_back(std::move(k));
        }
      }
      rec.original_urn = Clean(t.Field(r, c_original));
      rec.document = Clean(t.Field(r, c_document));
      rec.occupations = SplitPieces(DecodeEntities(t.Field(r, c_occupations)), ";");
      const std::string created = Clean(t.Field(r, c_created));
      const std::string modified = Clean(t.Field(r, c_modified));
      if (auto d = ExcelSerialDate(created)) rec.created = *d;
      if (auto d = ExcelSerialDate(modified)) {
        rec.modified = *d;
        rec.modified_serial = *Number(modified);
      }
      if (!rec.developer.empty()) developers_.Add(DeveloperKey(rec.developer), rec.developer);
      for (const std::string& s : rec.suites) suite_names_.Add(SuiteCode(s), s);
      records_.push_back(std::move(rec));
    }
  }

  std::string Validity(size_t line, const std::string& v) {
    const std::string lower = AsciiLower(v);
    if (lower == "current" || lower == "legacy" || lower.empty()) return lower;
    Note(line, "unknown validity",
         "validity " + Quoted(v) + " is neither current nor legacy: left empty");
    return "";
  }

  std::string Category(size_t line, const std::string& v) {
    std::string key;
    for (char c : AsciiLower(v)) {
      if (c != ' ' && c != '-' && c != '_') key += c;
    }
    if (key.empty()) return "";
    if (key == "core" || key == "generic") return key;
    if (key == "jobspecific") return "job-specific";
    Note(line, "unknown category",
         "category " + Quoted(v) + " is not Core, Generic or Job Specific: left empty");
    return "";
  }

  std::string DocumentStatus(size_t line, const std::string& v) {
    const std::string lower = AsciiLower(v);
    if (lower == "original" || lower == "tailored" || lower.empty()) return lower;
    Note(line, "unknown document status",
         "document status " + Quoted(v) + " is neither Original nor Tailored: left empty");
    return "";
  }

  std::string ReviewDate(size_t line, const std::string& v) {
    if (v.empty()) return "";
    if (v == "1901") {
      Note(line, "placeholder review date",
           "review date " + Quoted(v) + " is a placeholder: left empty");
      return "";
    }
    if (auto date = ExcelSerialDate(v)) {
      const int year = std::stoi(date->substr(0, 4));
      if (year >= 1990 && year <= 2100) return *date;
      Note(line, "implausible review date",
           "review date " + Quoted(v) + " (" + *date +
               " as an Excel date) is implausible: left empty");
      return "";
    }
    if (IsIsoDate(v)) return v;
    // DD/MM/YYYY, as a person might type it.
    if (v.size() == 10 && v[2] == '/' && v[5] == '/') {
      const std::string iso = v.substr(6, 4) + "-" + v.substr(3, 2) + "-" + v.substr(0, 2);
      if (IsIsoDate(iso)) return iso;
    }
    Note(line, "unreadable review date",
         "review date " + Quoted(v) + " is not an Excel date or a date: left empty");
    return "";
  }

  std::vector<std::string> SocCodes(size_t line, const std::string& v) {
    std::vector<std::string> codes, dropped;
    for (const std::string& token : SplitPieces(v, ";,/ ")) {
      std::string code;
      if (token.size() == 4 && IsDigits(token)) {
        code = token;
      } else if (token.size() == 5 && (token[0] == 'x' || token[0] == 'X') &&
                 IsDigits(token.substr(1))) {
        code = token.substr(1);
        Note(line, "SOC code corrected", "SOC code " + Quoted(token) + " read as " + code);
      } else {
        dropped.push_back(Quoted(token));
        continue;
      }
      if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
    }
    if (!dropped.empty()) {
      std::string list;
      for (const auto& d : dropped) list += (list.empty() ? "" : ", ") + d;
      Note(line, "not a SOC code",
           (dropped.size() == 1 ? "SOC code " + list + " is not a 4-digit SOC code: dropped"
                                : "SOC codes " + list + " are not 4-digit SOC codes: dropped"));
    }
    return codes;
  }

  // The year of the newest record: the export's cut-off, and so its edition.
  std::string Edition() const {
    std::string newest;
    for (const Record& r : records_) newest = std::max(newest, r.created);
    return newest.empty() ? "catalogue" : newest.substr(0, 4);
  }

  // One unit per URN (compared without regard to case): the same unit listed twice is merged;
  // rows that disagree keep the current, then the most recently modified, then the first.
  std::vector<Unit> MergeRepeatedUrns() {
    std::vector<std::vector<size_t>> groups;
    std::unordered_map<std::string, size_t> group_of;
    for (size_t i = 0; i < records_.size(); ++i) {
      auto [it, fresh] = group_of.try_emplace(AsciiLower(records_[i].urn), groups.size());
      if (fresh) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    std::vector<Unit> units;
    units.reserve(groups.size());
    for (const auto& group : groups) {
      size_t keep = group.front();
      for (size_t i : group) {
        const Record &a = records_[i], &b = records_[keep];
        const int ra = ValidityRank(a.validity), rb = ValidityRank(b.validity);
        if (ra < rb || (ra == rb && a.modified_serial > b.modified_serial)) keep = i;
      }
      Unit unit;
      unit.record = records_[keep];
      Record& kept = unit.record;
      for (const std::string& s : kept.suites) {
        unit.suites.push_back(SuiteCode(s));
        unit.suite_lines.push_back(kept.line);
      }
      for (size_t i : group) {
        if (i == keep) continue;
        const Record& other = records_[i];
        for (const std::string& s : other.suites) {
          const std::string code = SuiteCode(s);
          if (std::find(unit.suites.begin(), unit.suites.end(), code) == unit.suites.end()) {
            unit.suites.push_back(code);
            unit.suite_lines.push_back(other.line);
          }
        }
        const std::vector<std::string> differences = Differences(other, kept);
        if (differences.empty()) {
          for (const std::string& k : other.keywords) {
            const std::string key = AsciiLower(k);
            if (std::none_of(kept.keywords.begin(), kept.keywords.end(),
                             [&](const std::string& x) { return AsciiLower(x) == key; })) {
              kept.keywords.push_back(k);
            }
          }
          for (const std::string& c : other.soc) {
            if (std::find(kept.soc.begin(), kept.soc.end(), c) == kept.soc.end()) {
              kept.soc.push_back(c);
            }
          }
          if (kept.review.empty()) kept.review = other.review;
          Note(other.line, "repeated URN merged",
               "URN " + other.urn + " is listed again (also on line " + std::to_string(kept.line) +
                   ", the same standard): merged, suites, keywords "
                   "and SOC codes joined");
          continue;
        }
        std::string list;
        for (const auto& d : differences) list += (list.empty() ? "" : ", ") + d;
        const int rk = ValidityRank(kept.validity), ro = ValidityRank(other.validity);
        const std::string why =
            rk < ro ? (kept.validity.empty() ? "it has a validity" : "it is " + kept.validity)
            : kept.modified_serial > other.modified_serial ? "it was modified later"
                                                           : "it comes first";
        Note(other.line, "repeated URN conflict",
             "URN " + other.urn + " is also on line " + std::to_string(kept.line) +
                 " with a different " + list + ": kept line " + std::to_string(kept.line) + " (" +
                 why + "); this row adds only its suites");
      }
      units.push_back(std::move(unit));
    }
    return units;
  }

  static std::vector<std::string> Differences(const Record& here, const Record& there) {
    std::vector<std::string> out;
    if (AsciiLower(here.title) != AsciiLower(there.title)) {
      out.push_back("title (" + Quoted(here.title) + " here, " + Quoted(there.title) + " there)");
    }
    const auto field = [&](const char* name, const std::string& a, const std::string& b) {
      if (a == b) return;
      out.push_back(std::string(name) + " (" + (a.empty() ? "none" : a) + " here, " +
                    (b.empty() ? "none" : b) + " there)");
    };
    field("validity", here.validity, there.validity);
    field("category", here.category, there.category);
    field("document status", here.status, there.status);
    if (DeveloperKey(here.developer) != DeveloperKey(there.developer)) {
      field("developer", here.developer, there.developer);
    }
    if (AsciiLower(here.original_urn) != AsciiLower(there.original_urn)) {
      field("original URN", here.original_urn, there.original_urn);
    }
    return out;
  }

  std::vector<FrameworkDoc> BuildFrameworks(std::vector<Unit>& units, const std::string& edition) {
    // Each unit's home is the first suite it lists.
    std::map<std::string, std::vector<Unit*>> homes;               // by suite code
    std::map<std::string, std::pair<size_t, size_t>> only_second;  // code -> (first line, units)
    for (Unit& u : units) {
      if (u.suites.empty()) {
        Note(u.record.line, "no suite",
             "URN " + u.record.urn + " lists no suite: placed in \"" + std::string(kNoSuiteTitle) +
                 "\"");
        u.suites.emplace_back(kNoSuiteCode);
        u.suite_lines.push_back(u.record.line);
      }
      homes[u.suites.front()].push_back(&u);
    }
    for (Unit& u : units) {
      for (size_t i = 1; i < u.suites.size(); ++i) {
        if (homes.count(u.suites[i])) continue;
        auto [it, fresh] = only_second.try_emplace(u.suites[i], u.suite_lines[i], 0);
        it->second.first = std::min(it->second.first, u.suite_lines[i]);
        ++it->second.second;
      }
    }
    for (const auto& [code, seen] : only_second) {
      Note(seen.first, "suite only named second",
           "suite \"" + SuiteTitle(code) + "\" is only ever named after another suite (" +
               std::to_string(seen.second) + (seen.second == 1 ? " unit" : " units") +
               "): it gets no framework of its own; its units are linked to it by isPartOf "
               "associations");
    }
    std::vector<FrameworkDoc> docs;
    docs.reserve(homes.size());
    for (auto& [code, members] : homes) {
      FrameworkDoc doc;
      Framework& f = doc.framework;
      f.code = code;
      f.edition = edition;
      f.uuid = DerivedFrameworkUuid(f.code, f.edition);
      f.title = SuiteTitle(code);
      f.status = FrameworkStatus::kApproved;
      Spellings publisher;
      for (const Unit* u : members) {
        if (!u->record.developer.empty()) {
          publisher.Add("", developers_.Best(DeveloperKey(u->record.developer)));
        }
      }
      if (std::any_of(members.begin(), members.end(),
                      [](const Unit* u) { return !u->record.developer.empty(); })) {
        f.publisher = publisher.Best("");
      }
      f.description = "The National Occupational Standards of the suite \u201c" + f.title +
                      "\u201d as the UK NOS catalogue export lists them: each standard's URN, "
                      "title, developer, validity, category, keywords, SOC codes and dates. "
                      "The export holds catalogue records only, not the standards' text.";
      std::sort(members.begin(), members.end(), [](const Unit* a, const Unit* b) {
        return NaturalLess(a->record.urn, b->record.urn);
      });
      for (size_t i = 0; i < members.size(); ++i) {
        const Unit& u = *members[i];
        const Record& r = u.record;
        Item item;
        item.framework_uuid = f.uuid;
        item.uuid = UnitUuid(edition, r.urn);
        item.position = static_cast<int>(i);
        item.type = ItemType::kUnit;
        item.code = r.urn;
        item.title = r.title;
        UnitFields& uf = item.unit;
        uf.urn = r.urn;
        uf.status = r.status;
        uf.developed_by = r.developer.empty() ? "" : developers_.Best(DeveloperKey(r.developer));
        uf.review = r.review;
        uf.validity = r.validity;
        uf.category = r.category;
        uf.original_urn = r.original_urn;
        uf.keywords = r.keywords;
        uf.occupations = r.soc;
        json::object extra;
        if (!r.document.empty()) extra["document"] = r.document;
        if (!r.created.empty()) extra["created"] = r.created;
        if (!r.modified.empty()) extra["modified"] = r.modified;
        if (!r.occupations.empty()) {
          json::array list;
          for (const auto& o : r.occupations) list.emplace_back(o);
          extra["occupations"] = std::move(list);
        }
        if (!extra.empty())
          item.extra = CompactJson(json::object{{"nosCatalogue", std::move(extra)}});
        for (size_t s = 1; s < u.suites.size(); ++s) {
          Association a;
          a.framework_uuid = f.uuid;
          a.type = "isPartOf";
          a.provenance = "imported";
          a.origin = {item.uuid, f.uuid, r.urn, "", ""};
          a.destination.uuid = DerivedFrameworkUuid(u.suites[s], edition);
          a.destination.code = u.suites[s];
          a.destination.title = SuiteTitle(u.suites[s]);
          a.uuid = NameUuid(OpenNosNamespace(),
                            "nos-catalogue-suite:" + item.uuid + ":" + a.destination.uuid);
          doc.associations.push_back(std::move(a));
        }
        doc.items.push_back(std::move(item));
      }
      docs.push_back(std::move(doc));
    }
    return docs;
  }

  std::string SuiteTitle(const std::string& code) const {
    return code == kNoSuiteCode ? std::string(kNoSuiteTitle) : suite_names_.Best(code);
  }

  static std::string UnitUuid(const std::string& edition, const std::string& urn) {
    return NameUuid(OpenNosNamespace(), "nos-catalogue:" + edition + ":" + AsciiLower(urn));
  }

  const std::string& source_;
  ImportProblems* problems_;
  size_t first_problem_ = 0;  // the first problem of this file in *problems_
  std::vector<Record> records_;
  std::map<std::string, NosCatalogue::SocUse> soc_codes_;
  Spellings developers_, suite_names_;
};

}  // namespace

bool IsNosCatalogueHeader(const std::vector<std::string>& header) {
  return HasColumns(header, {"NOS Title", "Suite", "URN"});
}

Result<NosCatalogue> ReadNosCatalogue(std::string_view content, const std::string& source,
                                      ImportProblems* problems) {
  auto catalogue = Reader(source, problems).Read(content);
  if (!catalogue.ok()) return catalogue;
  for (const FrameworkDoc& doc : catalogue->suites) {
    if (Status s = ValidateFramework(doc); !s.ok()) {
      return s.WithContext(source + ": suite " + doc.framework.code);
    }
  }
  return catalogue;
}

void ReportCatalogueSocCodes(const NosCatalogue& catalogue,
                             const std::unordered_set<std::string>* soc2020,
                             const std::string& source, ImportProblems* problems) {
  if (problems == nullptr || catalogue.soc_codes.empty()) return;
  size_t unmatched = 0;
  if (soc2020 != nullptr) {
    for (const auto& [code, use] : catalogue.soc_codes) unmatched += soc2020->count(code) == 0;
  }
  std::string summary = "the export's " + std::to_string(catalogue.soc_codes.size()) +
                        " distinct SOC codes are SOC 2010 codes, kept as given";
  summary += soc2020 == nullptr
                 ? "; import SOC 2020 (soc2020_structure.csv) with it, or before it, to have "
                   "those with no SOC 2020 match listed"
                 : "; " + std::to_string(unmatched) + " of them have no SOC 2020 match";
  problems->push_back({source, 0, "SOC 2010 codes", summary});
  if (soc2020 == nullptr) return;
  for (const auto& [code, use] : catalogue.soc_codes) {
    if (soc2020->count(code)) continue;
    problems->push_back(
        {source, use.first_line, "SOC 2010 code with no SOC 2020 match",
         "SOC 2010 code " + code + " with no SOC 2020 match (URN " + use.urn +
             (use.rows == 1 ? "; only this row"
                            : "; the first of " + std::to_string(use.rows) + " rows") +
             "): kept"});
  }
}

std::optional<std::string> ExcelSerialDate(std::string_view serial) {
  auto value = Number(serial);
  if (!value || *value < 61 || *value > 2958465) return std::nullopt;  // to 9999-12-31
  // Serial 25569 is 1970-01-01 (Excel counts a 29 February 1900 that never was).
  return CivilDate(static_cast<long long>(std::floor(*value)) - 25569);
}

std::string SuiteCode(std::string_view suite_name) {
  std::string slug;
  bool dash = false;
  for (char c : AsciiLower(suite_name)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && !slug.empty()) slug += '-';
      dash = false;
      slug += c;
    } else {
      dash = true;
    }
  }
  if (!slug.empty() && slug.size() <= kMaxSuiteCode) return slug;
  const std::string hash =
      NameUuid(OpenNosNamespace(), "suite:" + (slug.empty() ? std::string(suite_name) : slug))
          .substr(0, 8);
  if (slug.empty()) return "suite-" + hash;
  std::string cut = slug.substr(0, kMaxSuiteCode - 9);
  const size_t last = cut.rfind('-');
  if (last != std::string::npos && last > 20) cut.resize(last);
  return cut + "-" + hash;
}

}  // namespace opennos
