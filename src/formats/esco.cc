#include "formats/esco.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/codec.h"
#include "core/json_util.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "formats/table.h"

namespace opennos {
namespace {

namespace json = boost::json;

// RFC 4122's namespace for URLs.
constexpr std::string_view kUrlNamespace = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
constexpr std::string_view kIscoUriPrefix = "http://data.europa.eu/esco/isco/C";

constexpr const char* kOccupationsWhat =
    "ESCO's occupations_en.csv (conceptType,conceptUri,iscoGroup,preferredLabel,...)";
constexpr const char* kIscoWhat =
    "ESCO's ISCOGroups_en.csv (conceptType,conceptUri,code,preferredLabel,...)";
constexpr const char* kHierarchyWhat =
    "ESCO's skillsHierarchy_en.csv (Level 0 URI,Level 0 preferred term,...)";
constexpr const char* kGroupsWhat =
    "ESCO's skillGroups_en.csv (conceptType,conceptUri,preferredLabel,...)";
constexpr const char* kCollectionWhat =
    "an ESCO skill collection (conceptType,conceptUri,skillType,...,broaderConceptUri)";

constexpr std::string_view kIscoTypeNames[] = {"ISCO major group", "ISCO sub-major group",
                                               "ISCO minor group", "ISCO unit group"};

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The part of a URI after its last slash: "http://data.europa.eu/esco/skill/S1.2" -> "S1.2".
std::string UriTail(const std::string& uri) {
  const size_t slash = uri.rfind('/');
  return slash == std::string::npos ? uri : uri.substr(slash + 1);
}

// ESCO's concept identifiers that read as codes (S1.2, K, 0011), not the UUID-like ones.
std::string CodeFromUri(const std::string& uri) {
  std::string tail = UriTail(uri);
  return tail.size() <= 16 ? tail : std::string();
}

json::array JsonList(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}

std::string SortKey(const std::string& title, const std::string& uri) {
  return AsciiLower(title) + '\x1f' + uri;
}

}  // namespace

std::string EscoConceptUuid(std::string_view uri) { return NameUuid(kUrlNamespace, uri); }

struct EscoReader::State {
  struct Concept {
    std::string uri, code, title, text, scope_note, type_name;
    std::vector<std::string> alt_labels;
    std::string parent;  // ISCO: the group's code; skills: the chosen broader's URI
    std::vector<std::pair<std::string, std::string>> broader;  // (URI, label), skills only
    std::string source;
    size_t line = 0;
    bool defined = false;  // its own row was read (not only named by another)
  };
  // Occupations framework.
  std::map<std::string, Concept> isco;  // by code
  std::vector<Concept> occupations;
  std::unordered_set<std::string> occupation_uris;
  // Skills framework.
  std::vector<Concept> nodes;  // the hierarchy, in file order
  std::unordered_map<std::string, size_t> node_index;
  std::vector<Concept> groups;  // skillGroups_en.csv rows
  std::vector<Concept> skills;
  std::unordered_map<std::string, size_t> skill_index;
  // Sources.
  std::string occupations_source, isco_source, hierarchy_source, groups_source;
  std::vector<std::string> collection_sources;

  bool HasOccupationsFramework() const {
    return !occupations_source.empty() || !isco_source.empty();
  }
  bool HasSkillsFramework() const {
    return !hierarchy_source.empty() || !groups_source.empty() || !collection_sources.empty();
  }
};

EscoFile RecogniseEscoFile(const std::vector<std::string>& header) {
  if (HasColumns(header, {"Level 0 URI", "Level 0 preferred term"})) {
    return EscoFile::kSkillsHierarchy;
  }
  if (!HasColumns(header, {"conceptType", "conceptUri", "preferredLabel"})) return EscoFile::kNone;
  if (HasColumns(header, {"iscoGroup"})) return EscoFile::kOccupations;
  if (HasColumns(header, {"skillType", "broaderConceptUri"})) return EscoFile::kSkillCollection;
  if (HasColumns(header, {"skillType"})) return EscoFile::kNone;  // skills_en.csv: not read
  if (HasColumns(header, {"code"})) return EscoFile::kIscoGroups;
  return EscoFile::kSkillGroups;
}

EscoReader::EscoReader(ImportProblems* problems)
    : problems_(problems), state_(std::make_unique<State>()) {}
EscoReader::~EscoReader() = default;

bool EscoReader::empty() const {
  return !state_->HasOccupationsFramework() && !state_->HasSkillsFramework();
}

std::vector<std::string> EscoReader::sources() const {
  const State& s = *state_;
  std::vector<std::string> out;
  const auto join = [](std::initializer_list<const std::string*> parts,
                       const std::vector<std::string>& more) {
    std::string joined;
    for (const std::string* p : parts) {
      if (!p->empty()) joined += (joined.empty() ? "" : " + ") + *p;
    }
    for (const std::string& p : more) joined += (joined.empty() ? "" : " + ") + p;
    return joined;
  };
  if (s.HasOccupationsFramework()) out.push_back(join({&s.isco_source, &s.occupations_source}, {}));
  if (s.HasSkillsFramework()) {
    out.push_back(join({&s.hierarchy_source, &s.groups_source}, s.collection_sources));
  }
  return out;
}

Status EscoReader::Add(std::string_view content, const std::string& source) {
  State& s = *state_;
  const EscoFile kind = RecogniseEscoFile(CsvHeaderOf(content));
  const char* what = nullptr;
  std::string* seen = nullptr;
  switch (kind) {
    case EscoFile::kOccupations:
      what = kOccupationsWhat;
      seen = &s.occupations_source;
      break;
    case EscoFile::kIscoGroups:
      what = kIscoWhat;
      seen = &s.isco_source;
      break;
    case EscoFile::kSkillsHierarchy:
      what = kHierarchyWhat;
      seen = &s.hierarchy_source;
      break;
    case EscoFile::kSkillGroups:
      what = kGroupsWhat;
      seen = &s.groups_source;
      break;
    case EscoFile::kSkillCollection:
      what = kCollectionWhat;
      break;
    case EscoFile::kNone:
      return Status::Invalid(source +
                             ": line 1: the header is not one of the ESCO files OpenNOS reads "
                             "(occupations, ISCO groups, skills hierarchy, skill groups, skill "
                             "collections; see docs/formats/esco.md)");
  }
  if (seen != nullptr && !seen->empty()) {
    return Status::Invalid(source + ": a second copy of " + what + " in one import (the first is " +
                           *seen + ")");
  }
  auto table = CsvTable::Read(content, source, what);
  if (!table.ok()) return table.status();
  const auto fail = [&](size_t row, const std::string& message) {
    return Status::Invalid(source + ": line " + std::to_string(table->line(row)) + ": " + message);
  };
  const auto field = [&](size_t row, const char* column) {
    return CollapseSpace(table->Field(row, table->Column(column)));
  };
  const auto lines_of = [&](size_t row, const char* column) {
    return SplitPieces(table->Field(row, table->Column(column)), "\n");
  };
  const auto start = [&](size_t row, State::Concept& c) -> Status {
    c.uri = field(row, "conceptUri");
    c.title = field(row, "preferredLabel");
    c.text = field(row, "description");
    c.source = source;
    c.line = table->line(row);
    c.defined = true;
    if (c.uri.empty()) return fail(row, "no conceptUri");
    if (c.title.empty()) return fail(row, "concept " + c.uri + " has no preferredLabel");
    return Status::Ok();
  };

  switch (kind) {
    case EscoFile::kOccupations: {
      if (Status st = table->Require({"conceptUri", "iscoGroup", "preferredLabel", "description"});
          !st.ok()) {
        return st;
      }
      const int c_code = table->Column("code");
      for (size_t r = 0; r < table->size(); ++r) {
        State::Concept c;
        if (Status st = start(r, c); !st.ok()) return st;
        c.alt_labels = lines_of(r, "altLabels");
        c.parent = field(r, "iscoGroup");
        c.code = CollapseSpace(table->Field(r, c_code));
        if (!c.parent.empty() && (!AllDigits(c.parent) || c.parent.size() > 4)) {
          return fail(r, "iscoGroup \"" + c.parent + "\" is not an ISCO code (1 to 4 digits)");
        }
        if (!s.occupation_uris.insert(c.uri).second) {
          return fail(r, "occupation " + c.uri + " is listed twice");
        }
        c.type_name = "ESCO occupation";
        s.occupations.push_back(std::move(c));
      }
      break;
    }
    case EscoFile::kIscoGroups: {
      if (Status st = table->Require({"conceptUri", "code", "preferredLabel", "description"});
          !st.ok()) {
        return st;
      }
      for (size_t r = 0; r < table->size(); ++r) {
        State::Concept c;
        if (Status st = start(r, c); !st.ok()) return st;
        c.alt_labels = lines_of(r, "altLabels");
        c.code = field(r, "code");
        if (!AllDigits(c.code) || c.code.size() > 4) {
          return fail(r, "code \"" + c.code + "\" is not an ISCO code (1 to 4 digits)");
        }
        auto [it, fresh] = s.isco.try_emplace(c.code);
        if (!fresh) {
          return fail(r, "ISCO group " + c.code + " is listed twice (first on line " +
                             std::to_string(it->second.line) + ")");
        }
        it->second = std::move(c);
      }
      break;
    }
    case EscoFile::kSkillsHierarchy: {
      if (Status st =
              table->Require({"Level 0 URI", "Level 0 preferred term", "Level 1 URI",
                              "Level 1 preferred term", "Level 2 URI", "Level 2 preferred term",
                              "Level 3 URI", "Level 3 preferred term", "Description"});
          !st.ok()) {
        return st;
      }
      for (size_t r = 0; r < table->size(); ++r) {
        std::string uris[4], terms[4];
        int deepest = -1;
        for (int l = 0; l < 4; ++l) {
          const std::string n = std::to_string(l);
          uris[l] = CollapseSpace(table->Field(r, table->Column("Level " + n + " URI")));
          terms[l] =
              CollapseSpace(table->Field(r, table->Column("Level " + n + " preferred term")));
          if (!uris[l].empty()) deepest = l;
        }
        if (deepest < 0) return fail(r, "no URI at any level");
        for (int l = 0; l <= deepest; ++l) {
          if (uris[l].empty()) {
            return fail(r, "a level " + std::to_string(deepest) + " URI without a level " +
                               std::to_string(l) + " URI");
          }
          if (terms[l].empty()) return fail(r, "concept " + uris[l] + " has no preferred term");
        }
        // The row's ancestors, then the row's own concept.
        for (int l = 0; l <= deepest; ++l) {
          auto [it, fresh] = s.node_index.try_emplace(uris[l], s.nodes.size());
          if (fresh) {
            State::Concept c;
            c.uri = uris[l];
            c.code = CodeFromUri(c.uri);
            c.title = terms[l];
            c.parent = l == 0 ? "" : uris[l - 1];
            c.type_name = "ESCO skill group";
            c.source = source;
            c.line = table->line(r);
            s.nodes.push_back(std::move(c));
          }
          if (l < deepest) continue;
          State::Concept& c = s.nodes[it->second];
          if (c.defined) {
            return fail(r, "concept " + c.uri + " is listed twice (first on line " +
                               std::to_string(c.line) + ")");
          }
          c.defined = true;
          c.line = table->line(r);
          c.text = field(r, "Description");
          c.scope_note = field(r, "Scope note");
        }
      }
      break;
    }
    case EscoFile::kSkillGroups: {
      if (Status st = table->Require({"conceptUri", "preferredLabel", "description"}); !st.ok()) {
        return st;
      }
      for (size_t r = 0; r < table->size(); ++r) {
        State::Concept c;
        if (Status st = start(r, c); !st.ok()) return st;
        c.alt_labels = lines_of(r, "altLabels");
        c.scope_note = field(r, "scopeNote");
        c.type_name = "ESCO skill group";
        s.groups.push_back(std::move(c));
      }
      break;
    }
    case EscoFile::kSkillCollection: {
      for (const std::string& other : s.collection_sources) {
        if (other == source) {
          return Status::Invalid(source + ": the same skill collection twice in one import");
        }
      }
      if (Status st = table->Require(
              {"conceptUri", "skillType", "preferredLabel", "description", "broaderConceptUri"});
          !st.ok()) {
        return st;
      }
      for (size_t r = 0; r < table->size(); ++r) {
        State::Concept c;
        if (Status st = start(r, c); !st.ok()) return st;
        c.alt_labels = SplitPieces(table->Field(r, table->Column("altLabels")), "|");
        c.type_name = field(r, "skillType") == "knowledge" ? "ESCO knowledge" : "ESCO skill";
        const std::vector<std::string> uris = SplitPieces(field(r, "broaderConceptUri"), "|");
        const std::vector<std::string> labels =
            SplitPieces(table->Field(r, table->Column("broaderConceptPT")), "|");
        for (size_t i = 0; i < uris.size(); ++i) {
          if (uris[i] == c.uri) continue;
          c.broader.emplace_back(uris[i], i < labels.size() && uris.size() == labels.size()
                                              ? labels[i]
                                              : std::string());
        }
        auto [it, fresh] = s.skill_index.try_emplace(c.uri, s.skills.size());
        if (fresh) {
          s.skills.push_back(std::move(c));
          continue;
        }
        // The same skill in two collections: one skill, with the broader concepts of both.
        State::Concept& first = s.skills[it->second];
        for (auto& b : c.broader) {
          const bool known = std::any_of(first.broader.begin(), first.broader.end(),
                                         [&](const auto& x) { return x.first == b.first; });
          if (!known) first.broader.push_back(std::move(b));
        }
      }
      s.collection_sources.push_back(source);
      return Status::Ok();
    }
    case EscoFile::kNone:
      break;
  }
  *seen = source;
  return Status::Ok();
}

Result<std::vector<FrameworkDoc>> EscoReader::Finish() {
  State& s = *state_;
  const auto note = [&](const std::string& source, size_t line, const char* kind,
                        std::string message) {
    if (problems_ != nullptr) problems_->push_back({source, line, kind, std::move(message)});
  };
  const std::vector<std::string> framework_sources = sources();
  const std::string attribution =
      " Source: ESCO v1.0, the European Skills, Competences, Qualifications and Occupations "
      "classification (English labels), \u00a9 European Union, https://esco.ec.europa.eu; "
      "reused under the Commission's reuse policy (Decision 2011/833/EU). OpenNOS arranges it "
      "as a framework of statements for benchmarking.";
  const auto make_item = [](const Framework& f, const State::Concept& c,
                            const std::string& parent_uuid) {
    Item item;
    item.framework_uuid = f.uuid;
    item.uuid = EscoConceptUuid(c.uri);
    item.parent_uuid = parent_uuid;
    item.type = ItemType::kStatement;
    item.type_name = c.type_name;
    item.code = c.code;
    item.title = c.title;
    item.text = c.text;
    json::object esco{{"uri", c.uri}};
    if (!c.alt_labels.empty()) esco["altLabels"] = JsonList(c.alt_labels);
    if (!c.scope_note.empty()) esco["scopeNote"] = c.scope_note;
    item.extra = CompactJson(json::object{{"esco", std::move(esco)}});
    return item;
  };
  std::vector<FrameworkDoc> docs;
  size_t next_source = 0;

  if (s.HasOccupationsFramework()) {
    const std::string& where = framework_sources[next_source++];
    FrameworkDoc doc;
    Framework& f = doc.framework;
    f.code = kEscoOccupationsCode;
    f.edition = kEscoEdition;
    f.uuid = DerivedFrameworkUuid(f.code, f.edition);
    f.title = "ESCO occupations";
    f.publisher = "European Commission";
    f.description =
        "The ESCO occupations under the ISCO-08 groups they belong to (major, sub-major, minor "
        "and unit groups), each with its description." +
        attribution;
    // Every occupation's group, and every group's parent, must be there: make up what is not.
    const auto ensure_group = [&](const std::string& code, const std::string& source, size_t line,
                                  const std::string& why) {
      std::string c = code;
      while (!c.empty() && !s.isco.count(c)) {
        State::Concept g;
        g.code = c;
        g.uri = std::string(kIscoUriPrefix) + c;
        g.title = "ISCO group " + c;
        g.source = source;
        g.line = line;
        note(source, line, "ESCO ISCO group missing",
             "ISCO group " + c + (c == code ? " (" + why + ")" : " (the parent of " + code + ")") +
                 " is not in " +
                 (s.isco_source.empty() ? std::string("this import (no ISCOGroups_en.csv)")
                                        : s.isco_source) +
                 ": added with the title \"" + g.title + "\"");
        s.isco.emplace(c, std::move(g));
        c.pop_back();
      }
    };
    for (const State::Concept& o : s.occupations) {
      if (!o.parent.empty()) ensure_group(o.parent, o.source, o.line, "the group of " + o.title);
    }
    for (auto& [code, g] : s.isco) {
      if (code.size() > 1)
        ensure_group(code.substr(0, code.size() - 1), g.source, g.line, "the parent of " + code);
    }
    // A std::map orders ISCO codes as strings, so parents come before their children.
    for (auto& [code, g] : s.isco) {
      g.type_name = kIscoTypeNames[code.size() - 1];
      const std::string parent =
          code.size() == 1 ? "" : EscoConceptUuid(s.isco.at(code.substr(0, code.size() - 1)).uri);
      doc.items.push_back(make_item(f, g, parent));
    }
    std::vector<const State::Concept*> sorted;
    for (const State::Concept& o : s.occupations) sorted.push_back(&o);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
      return SortKey(a->title, a->uri) < SortKey(b->title, b->uri);
    });
    for (const State::Concept* o : sorted) {
      if (o->parent.empty()) {
        note(o->source, o->line, "ESCO occupation without a group",
             "occupation \"" + o->title + "\" has no iscoGroup: placed at the top");
      }
      const std::string parent = o->parent.empty() ? "" : EscoConceptUuid(s.isco.at(o->parent).uri);
      doc.items.push_back(make_item(f, *o, parent));
    }
    if (Status st = PutInTreeOrder(doc); !st.ok()) return st.WithContext(where);
    if (Status st = ValidateFramework(doc); !st.ok()) return st.WithContext(where);
    docs.push_back(std::move(doc));
  }

  if (s.HasSkillsFramework()) {
    const std::string& where = framework_sources[next_source++];
    FrameworkDoc doc;
    Framework& f = doc.framework;
    f.code = kEscoSkillsCode;
    f.edition = kEscoEdition;
    f.uuid = DerivedFrameworkUuid(f.code, f.edition);
    f.title = "ESCO skills hierarchy";
    f.publisher = "European Commission";
    f.description =
        "The groups of ESCO's skills pillar (skills, knowledge, language skills and knowledge, "
        "attitudes and values) and, under their broader concepts, the skills of the skill "
        "collections imported with them." +
        attribution;
    // Skill groups enrich the hierarchy's concepts; those outside it stand at the top.
    std::vector<State::Concept> concepts = std::move(s.nodes);
    std::unordered_map<std::string, size_t> index = std::move(s.node_index);
    const size_t hierarchy_size = concepts.size();
    for (State::Concept& g : s.groups) {
      auto it = index.find(g.uri);
      if (it == index.end()) {
        index.emplace(g.uri, concepts.size());
        concepts.push_back(std::move(g));
        continue;
      }
      State::Concept& c = concepts[it->second];
      if (c.text.empty()) c.text = g.text;
      if (c.scope_note.empty()) c.scope_note = g.scope_note;
      if (c.alt_labels.empty()) c.alt_labels = g.alt_labels;
    }
    std::vector<State::Concept*> skills;
    for (State::Concept& k : s.skills) {
      if (index.count(k.uri)) {
        note(k.source, k.line, "ESCO skill is also a group",
             "skill \"" + k.title + "\" (" + k.uri + ") is also a skill group: kept as the group");
        continue;
      }
      skills.push_back(&k);
    }
    std::unordered_set<std::string> skill_uris;
    for (const State::Concept* k : skills) skill_uris.insert(k->uri);
    const auto in_framework = [&](const std::string& uri) {
      return index.count(uri) > 0 || skill_uris.count(uri) > 0;
    };
    const auto in_hierarchy = [&](const std::string& uri) {
      auto it = index.find(uri);
      return it != index.end() && it->second < hierarchy_size;
    };
    for (State::Concept* k : skills) {
      // The parent: the first broader concept of the hierarchy, else the first one imported.
      for (const auto& b : k->broader) {
        if (in_hierarchy(b.first)) {
          k->parent = b.first;
          break;
        }
      }
      if (k->parent.empty()) {
        for (const auto& b : k->broader) {
          if (in_framework(b.first)) {
            k->parent = b.first;
            break;
          }
        }
      }
      if (k->parent.empty()) {
        note(k->source, k->line, "ESCO skill without a broader concept",
             "skill \"" + k->title +
                 "\": none of its broader concepts is in this import: placed "
                 "at the top");
      }
      for (const auto& [uri, label] : k->broader) {
        if (uri == k->parent) continue;
        Association a;
        a.framework_uuid = f.uuid;
        a.uuid = NameUuid(OpenNosNamespace(), "esco-broader " + k->uri + " " + uri);
        a.type = "isPartOf";
        a.provenance = "imported";
        a.origin = {EscoConceptUuid(k->uri), f.uuid, "", "", ""};
        a.destination.uuid = EscoConceptUuid(uri);
        if (in_framework(uri)) {
          a.destination.framework_uuid = f.uuid;
          auto it = index.find(uri);
          if (it != index.end()) a.destination.code = concepts[it->second].code;
        } else {
          a.destination.uri = uri;
          a.destination.title = label;
        }
        doc.associations.push_back(std::move(a));
      }
    }
    for (size_t i = 0; i < concepts.size(); ++i) {
      const State::Concept& c = concepts[i];
      if (i < hierarchy_size && !c.defined) {
        note(c.source, c.line, "ESCO concept without its own row",
             "concept " + c.uri +
                 " is named as a broader level but has no row of its own: "
                 "added with the title \"" +
                 c.title + "\" and no description");
      }
      doc.items.push_back(make_item(f, c, c.parent.empty() ? "" : EscoConceptUuid(c.parent)));
    }
    std::sort(skills.begin(), skills.end(), [](const auto* a, const auto* b) {
      return SortKey(a->title, a->uri) < SortKey(b->title, b->uri);
    });
    for (const State::Concept* k : skills) {
      doc.items.push_back(make_item(f, *k, k->parent.empty() ? "" : EscoConceptUuid(k->parent)));
    }
    std::sort(doc.associations.begin(), doc.associations.end(),
              [](const Association& a, const Association& b) { return a.uuid < b.uuid; });
    if (Status st = PutInTreeOrder(doc); !st.ok()) return st.WithContext(where);
    if (Status st = ValidateFramework(doc); !st.ok()) return st.WithContext(where);
    docs.push_back(std::move(doc));
  }
  return docs;
}

}  // namespace opennos
