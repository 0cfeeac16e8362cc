#include "web/analysis_views.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "text/text.h"
#include "web/map_svg.h"
#include "web/render.h"

namespace opennos::web {
namespace json = boost::json;
namespace {

constexpr int kLabelWidth = 300;
constexpr int kBarWidth = 300;
constexpr int kRow = 44;

std::string Percent(std::uint32_t part, std::uint32_t whole) {
  return whole == 0 ? "no statements" : std::to_string(100 * part / whole) + "%";
}

// The stems of a text's words, as analysis compares them.
std::unordered_set<std::string> TermSet(const std::string& text) {
  auto terms = text::Terms(text);
  return {terms.begin(), terms.end()};
}

bool IsWordByte(unsigned char c) { return c >= 0x80 || std::isalnum(c) != 0; }

}  // namespace

std::string CoverageChartSvg(const analysis::CoverageReport& r) {
  const auto& groups = r.key_areas;
  const int height = 40 + kRow * static_cast<int>(std::max<std::size_t>(groups.size(), 1));
  const int width = kLabelWidth + kBarWidth + 130;
  const std::string title = "Coverage of " + r.statements.doc->framework.code + "@" +
                            r.statements.doc->framework.edition + " by " +
                            r.against.doc->framework.code + "@" +
                            r.against.doc->framework.edition + ", per key area";
  std::string desc;
  for (const auto& g : groups) {
    desc += (g.item == nullptr ? std::string("Outside any key area") : g.item->code + " " + g.item->title) +
            ": " + std::to_string(g.covered) + " of " + std::to_string(g.statements) + " covered. ";
  }
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"opennos-chart\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) + "\" width=\"100%\" role=\"img\" " +
                    "aria-labelledby=\"coverage-title coverage-desc\">\n<title id=\"coverage-title\">" +
                    HtmlEscape(title) + "</title>\n<desc id=\"coverage-desc\">" + HtmlEscape(desc) +
                    "</desc>\n";
  out += "<text x=\"" + std::to_string(kLabelWidth) + "\" y=\"20\" font-size=\"14\" fill=\"#0b0c0c\">"
         "0%</text><text x=\"" + std::to_string(kLabelWidth + kBarWidth - 40) +
         "\" y=\"20\" font-size=\"14\" fill=\"#0b0c0c\">100%</text>\n";
  int y = 30;
  for (const auto& g : groups) {
    const std::string label = g.item == nullptr ? "Outside any key area" : g.item->code + " " + g.item->title;
    const auto lines = WrapText(label, 34, 2);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += "<text x=\"0\" y=\"" + std::to_string(y + 17 + 18 * static_cast<int>(i)) +
             "\" font-size=\"16\" fill=\"#0b0c0c\">" + HtmlEscape(lines[i]) + "</text>\n";
    }
    const int covered = g.statements == 0 ? 0 : static_cast<int>(kBarWidth * g.covered / g.statements);
    out += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"" + std::to_string(kBarWidth) + "\" height=\"24\" fill=\"#f3f2f1\" stroke=\"#505a5f\"/>\n";
    out += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"" + std::to_string(covered) + "\" height=\"24\" fill=\"#00703c\"/>\n";
    out += "<text x=\"" + std::to_string(kLabelWidth + kBarWidth + 10) + "\" y=\"" +
           std::to_string(y + 22) + "\" font-size=\"16\" fill=\"#0b0c0c\">" +
           std::to_string(g.covered) + "/" + std::to_string(g.statements) + " (" +
           Percent(g.covered, g.statements) + ")</text>\n";
    y += kRow;
  }
  out += "</svg>\n";
  return out;
}

json::array MarkCommonWords(const std::string& text, const std::string& other) {
  const auto theirs = TermSet(other);
  json::array runs;
  std::string plain;
  auto flush = [&] {
    if (!plain.empty()) runs.push_back(json::object{{"text", plain}, {"common", false}});
    plain.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsWordByte(static_cast<unsigned char>(text[i]))) {
      plain += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && IsWordByte(static_cast<unsigned char>(text[end]))) ++end;
    const std::string word = text.substr(i, end - i);
    const auto terms = text::Terms(word);
    const bool common = !terms.empty() && std::all_of(terms.begin(), terms.end(), [&](const auto& t) {
      return theirs.count(t) > 0;
    });
    if (common) {
      flush();
      runs.push_back(json::object{{"text", word}, {"common", true}});
    } else {
      plain += word;
    }
    i = end;
  }
  flush();
  return runs;
}

std::string SuggestionsJson(const std::vector<Association>& list) {
  json::array out;
  for (const Association& a : list) {
    auto end = [](const NodeRef& n) {
      return json::object{{"id", n.uuid}, {"code", n.code}, {"framework", n.framework_uuid}};
    };
    json::object s{{"id", a.uuid},
                   {"type", a.type},
                   {"origin", end(a.origin)},
                   {"destination", end(a.destination)},
                   {"decision", a.decision}};
    if (a.score) {
      s["score"] = *a.score;
    } else {
      s["score"] = nullptr;
    }
    out.push_back(std::move(s));
  }
  return json::serialize(json::object{{"suggestions", std::move(out)}});
}

}  // namespace opennos::web
