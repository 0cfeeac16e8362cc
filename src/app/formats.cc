#include "app/formats.h"

#include <unordered_set>

#include "formats/case.h"
#include "formats/csv.h"
#include "formats/esco.h"
#include "formats/native.h"
#include "formats/nos_catalogue.h"
#include "formats/onet.h"
#include "formats/soc.h"
#include "formats/table.h"

namespace opennos {

namespace {

constexpr const char* kUnknownFormat =
    ": line 1: not a format OpenNOS reads (an OpenNOS native JSON file, the OpenNOS CSV "
    "layout, a CASE package, the NOS catalogue export, or a SOC 2020, ESCO or O*NET CSV "
    "file); --format forces one";

// The other organisations' formats, recognised from a CSV header row.
FileFormat DetectFromHeader(const std::vector<std::string>& header) {
  if (header.size() < 2) return FileFormat::kAuto;
  if (IsNosCatalogueHeader(header)) return FileFormat::kNosCatalogue;
  if (RecogniseSocFile(header) != SocFile::kNone) return FileFormat::kSoc2020;
  if (RecogniseEscoFile(header) != EscoFile::kNone) return FileFormat::kEsco;
  if (RecogniseOnetFile(header) != OnetFile::kNone) return FileFormat::kOnet;
  return FileFormat::kAuto;
}

}  // namespace

Result<FileFormat> ParseFileFormat(std::string_view name) {
  if (name == "auto") return FileFormat::kAuto;
  if (name == "native" || name == "json") return FileFormat::kNative;
  if (name == "csv") return FileFormat::kCsv;
  if (name == "case" || name == "case-1.1") return FileFormat::kCase;
  if (name == "case-1.0") return FileFormat::kCase1p0;
  if (name == "nos-catalogue") return FileFormat::kNosCatalogue;
  if (name == "soc2020" || name == "soc") return FileFormat::kSoc2020;
  if (name == "esco") return FileFormat::kEsco;
  if (name == "onet") return FileFormat::kOnet;
  return Status::Invalid("unknown format \"" + std::string(name) +
                         "\" (use native, csv, case, case-1.0, nos-catalogue, soc2020, esco or "
                         "onet)");
}

std::string_view FileFormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kNative:
      return "native";
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kCase:
      return "case";
    case FileFormat::kCase1p0:
      return "case-1.0";
    case FileFormat::kNosCatalogue:
      return "nos-catalogue";
    case FileFormat::kSoc2020:
      return "soc2020";
    case FileFormat::kEsco:
      return "esco";
    case FileFormat::kOnet:
      return "onet";
    case FileFormat::kAuto:
      break;
  }
  return "auto";
}

bool IsWritableFormat(FileFormat format) {
  switch (format) {
    case FileFormat::kAuto:
    case FileFormat::kNative:
    case FileFormat::kCsv:
    case FileFormat::kCase:
    case FileFormat::kCase1p0:
      return true;
    case FileFormat::kNosCatalogue:
    case FileFormat::kSoc2020:
    case FileFormat::kEsco:
    case FileFormat::kOnet:
      break;
  }
  return false;
}

FileFormat DetectFormat(std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  const size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return FileFormat::kAuto;
  if (content[first] == '{') {
    // A native file starts with its "opennos" tag; a CASE package has a CFDocument.
    const size_t key = content.find_first_not_of(" \t\r\n", first + 1);
    if (key != std::string_view::npos && content.substr(key, 9) == "\"opennos\"") {
      return FileFormat::kNative;
    }
    if (LooksLikeCasePackage(content)) return FileFormat::kCase;
    return FileFormat::kAuto;
  }
  const std::string_view header = content.substr(first, content.find('\n', first) - first);
  if (header.substr(0, 32) == "framework_code,framework_edition") return FileFormat::kCsv;
  return DetectFromHeader(CsvHeaderOf(content));
}

struct FrameworkFileSet::State {
  FileFormat forced = FileFormat::kAuto;
  ImportProblems* problems = nullptr;
  // In file order: a framework read, or the place of a format spread over several files.
  struct Slot {
    std::vector<ReadFramework> ready;
    FileFormat pending = FileFormat::kAuto;  // kSoc2020, kEsco or kOnet: built in Finish
  };
  std::vector<Slot> slots;
  Soc2020Reader soc;
  EscoReader esco;
  OnetReader onet;
  // The NOS catalogue exports read, for the SOC code check: (source, the SOC codes named).
  std::vector<std::pair<std::string, NosCatalogue>> catalogues;

  explicit State(FileFormat f, ImportProblems* p)
      : forced(f), problems(p), soc(p), esco(p), onet(p) {}

  void Pend(FileFormat format) {
    for (const Slot& s : slots) {
      if (s.pending == format) return;
    }
    slots.push_back({{}, format});
  }
};

FrameworkFileSet::FrameworkFileSet(FileFormat format, ImportProblems* problems)
    : state_(std::make_unique<State>(format, problems)) {}
FrameworkFileSet::~FrameworkFileSet() = default;

Status FrameworkFileSet::Add(std::string_view content, const std::string& source) {
  State& s = *state_;
  const FileFormat format = s.forced == FileFormat::kAuto ? DetectFormat(content) : s.forced;
  State::Slot slot;
  const auto one = [&](Result<FrameworkDoc> doc) -> Status {
    if (!doc.ok()) return doc.status();
    slot.ready.push_back({std::move(*doc), format, source});
    s.slots.push_back(std::move(slot));
    return Status::Ok();
  };
  switch (format) {
    case FileFormat::kNative:
      return one(ReadNative(content, source));
    case FileFormat::kCsv:
      return one(ReadCsv(content, source));
    case FileFormat::kCase:
    case FileFormat::kCase1p0:
      return one(ReadCasePackage(content, source));
    case FileFormat::kNosCatalogue: {
      auto catalogue = ReadNosCatalogue(content, source, s.problems);
      if (!catalogue.ok()) return catalogue.status();
      for (auto& doc : catalogue->suites) slot.ready.push_back({std::move(doc), format, source});
      catalogue->suites.clear();
      s.catalogues.emplace_back(source, std::move(*catalogue));
      s.slots.push_back(std::move(slot));
      return Status::Ok();
    }
    case FileFormat::kSoc2020:
      if (Status st = s.soc.Add(content, source); !st.ok()) return st;
      s.Pend(format);
      return Status::Ok();
    case FileFormat::kEsco:
      if (Status st = s.esco.Add(content, source); !st.ok()) return st;
      s.Pend(format);
      return Status::Ok();
    case FileFormat::kOnet:
      if (Status st = s.onet.Add(content, source); !st.ok()) return st;
      s.Pend(format);
      return Status::Ok();
    case FileFormat::kAuto:
      break;
  }
  return Status::Invalid(source + kUnknownFormat);
}

void FrameworkFileSet::AddRead(FrameworkDoc doc, FileFormat format, const std::string& source) {
  State::Slot slot;
  slot.ready.push_back({std::move(doc), format, source});
  state_->slots.push_back(std::move(slot));
}

bool FrameworkFileSet::WantsSoc2020() const {
  return !state_->catalogues.empty() && state_->soc.empty() && state_->problems != nullptr;
}

Result<std::vector<ReadFramework>> FrameworkFileSet::Finish(const FrameworkDoc* stored_soc2020) {
  State& s = *state_;
  const FrameworkDoc* soc2020 = stored_soc2020;
  for (State::Slot& slot : s.slots) {
    switch (slot.pending) {
      case FileFormat::kSoc2020: {
        auto doc = s.soc.Finish();
        if (!doc.ok()) return doc.status();
        slot.ready.push_back({std::move(*doc), FileFormat::kSoc2020, s.soc.sources()});
        soc2020 = &slot.ready.back().doc;
        break;
      }
      case FileFormat::kEsco: {
        const std::vector<std::string> sources = s.esco.sources();
        auto docs = s.esco.Finish();
        if (!docs.ok()) return docs.status();
        for (size_t i = 0; i < docs->size(); ++i) {
          slot.ready.push_back({std::move((*docs)[i]), FileFormat::kEsco, sources[i]});
        }
        break;
      }
      case FileFormat::kOnet: {
        auto doc = s.onet.Finish();
        if (!doc.ok()) return doc.status();
        slot.ready.push_back({std::move(*doc), FileFormat::kOnet, s.onet.sources()});
        break;
      }
      default:
        break;
    }
  }
  if (s.problems != nullptr) {
    std::unordered_set<std::string> codes;
    if (soc2020 != nullptr) codes = Soc2020UnitGroupCodes(*soc2020);
    for (const auto& [source, catalogue] : s.catalogues) {
      ReportCatalogueSocCodes(catalogue, soc2020 == nullptr ? nullptr : &codes, source,
                              s.problems);
    }
  }
  std::vector<ReadFramework> out;
  for (State::Slot& slot : s.slots) {
    for (ReadFramework& r : slot.ready) out.push_back(std::move(r));
  }
  s.slots.clear();
  return out;
}

Result<std::vector<FrameworkDoc>> ReadFrameworkFile(std::string_view content,
                                                    const std::string& source,
                                                    FileFormat format,
                                                    ImportProblems* problems) {
  FrameworkFileSet set(format, problems);
  if (Status s = set.Add(content, source); !s.ok()) return s;
  auto read = set.Finish();
  if (!read.ok()) return read.status();
  std::vector<FrameworkDoc> docs;
  for (ReadFramework& r : *read) docs.push_back(std::move(r.doc));
  return docs;
}

std::string WriteFrameworkFile(const FrameworkDoc& doc, FileFormat format,
                               const std::string& base_url) {
  switch (format) {
    case FileFormat::kCsv:
      return WriteCsv(doc);
    case FileFormat::kCase:
    case FileFormat::kCase1p0: {
      CaseOptions options;
      options.base_url = base_url;
      options.version = format == FileFormat::kCase ? CaseVersion::k1p1 : CaseVersion::k1p0;
      return WriteCasePackage(doc, options);
    }
    case FileFormat::kNative:
    case FileFormat::kAuto:
    // Read, never written (IsWritableFormat): callers check first; native is the fallback.
    case FileFormat::kNosCatalogue:
    case FileFormat::kSoc2020:
    case FileFormat::kEsco:
    case FileFormat::kOnet:
      break;
  }
  return WriteNative(doc);
}

bool IsPartialFormat(FileFormat format) { return format == FileFormat::kCsv; }

}  // namespace opennos
