#include "web/map_svg.h"

#include <unordered_map>

#include "web/render.h"

namespace opennos::web {
namespace {

constexpr int kColumnWidth = 240;
constexpr int kGap = 14;
constexpr int kPad = 8;
constexpr int kLine = 20;
constexpr size_t kCharsPerLine = 25;

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

struct Box {
  int x, y, w;
  std::vector<std::string> lines;
  const char* fill;
  const char* stroke;
  const char* text;
  bool bold;
  int Height() const { return static_cast<int>(lines.size()) * kLine + 2 * kPad; }
};

void Draw(const Box& b, std::string& out) {
  out += "<rect x=\"" + std::to_string(b.x) + "\" y=\"" + std::to_string(b.y) + "\" width=\"" +
         std::to_string(b.w) + "\" height=\"" + std::to_string(b.Height()) + "\" fill=\"" +
         b.fill + "\" stroke=\"" + b.stroke + "\" rx=\"2\"/>\n";
  for (size_t i = 0; i < b.lines.size(); ++i) {
    out += "<text x=\"" + std::to_string(b.x + kPad) + "\" y=\"" +
           std::to_string(b.y + kPad + 15 + static_cast<int>(i) * kLine) + "\" fill=\"" +
           b.text + "\" font-size=\"16\"" + (b.bold ? " font-weight=\"bold\"" : "") + ">" +
           HtmlEscape(b.lines[i]) + "</text>\n";
  }
}

std::string Label(const Item& item) {
  const std::string& name = item.title.empty() ? item.text : item.title;
  return item.code.empty() ? name : item.code + " " + name;
}

}  // namespace

std::vector<std::string> WrapText(const std::string& text, size_t width, size_t max_lines) {
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && Utf8Length(line) + 1 + Utf8Length(word) > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  if (lines.size() > max_lines) {
    lines.resize(max_lines);
    lines.back() += "…";
  }
  return lines;
}

std::string FunctionalMapSvg(const FrameworkDoc& doc) {
  std::unordered_map<std::string, std::vector<const Item*>> children;
  for (const Item& item : doc.items) children[item.parent_uuid].push_back(&item);
  const auto& roots = children[""];
  std::vector<const Item*> areas;
  for (const Item* r : roots) {
    if (r->type == ItemType::kKeyArea || r->type == ItemType::kFunction ||
        r->type == ItemType::kUnit) {
      areas.push_back(r);
    }
  }
  const int columns = std::max<int>(1, static_cast<int>(areas.size()));
  const int width = columns * kColumnWidth + (columns + 1) * kGap;
  std::vector<Box> boxes;
  Box purpose{kGap, kGap, width - 2 * kGap,
              WrapText("Key purpose: " + (doc.framework.key_purpose.empty()
                                              ? doc.framework.title
                                              : doc.framework.key_purpose),
                       static_cast<size_t>((width - 2 * kGap) / 10), 4),
              "#0b0c0c", "#0b0c0c", "#ffffff", true};
  boxes.push_back(purpose);
  int height = purpose.y + purpose.Height();
  const int top = height + kGap * 2;
  for (int c = 0; c < static_cast<int>(areas.size()); ++c) {
    const int x = kGap + c * (kColumnWidth + kGap);
    int y = top;
    const auto place = [&](const Item& item, int indent, const char* fill, const char* stroke,
                           const char* text, bool bold) {
      Box b{x + indent, y, kColumnWidth - indent,
            WrapText(Label(item), kCharsPerLine - static_cast<size_t>(indent / 7), 4), fill,
            stroke, text, bold};
      y += b.Height() + 6;
      boxes.push_back(std::move(b));
    };
    const Item& area = *areas[c];
    place(area, 0, "#1d70b8", "#1d70b8", "#ffffff", true);
    std::vector<std::pair<const Item*, int>> stack;
    for (auto it = children[area.uuid].rbegin(); it != children[area.uuid].rend(); ++it) {
      stack.emplace_back(*it, 1);
    }
    while (!stack.empty()) {
      auto [item, depth] = stack.back();
      stack.pop_back();
      if (item->type == ItemType::kUnit) {
        place(*item, std::min(depth, 3) * 10, "#ffffff", "#505a5f", "#0b0c0c", false);
        continue;
      }
      if (item->type != ItemType::kFunction && item->type != ItemType::kKeyArea) continue;
      place(*item, std::min(depth, 3) * 10 - 10, "#f3f2f1", "#b1b4b6", "#0b0c0c", true);
      const auto& kids = children[item->uuid];
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.emplace_back(*it, depth + 1);
    }
    height = std::max(height, y);
  }
  height += kGap;
  // Drawn at its natural size (16px text) inside a scrolling region, never shrunk to fit.
  const std::string w = std::to_string(width), h = std::to_string(height);
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"opennos-map\" width=\"" + w +
                    "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h +
                    "\" role=\"img\" aria-labelledby=\"map-title map-desc\">\n";
  out += "<title id=\"map-title\">Functional map of " + HtmlEscape(doc.framework.title) +
         "</title>\n";
  out += "<desc id=\"map-desc\">" + std::to_string(areas.size()) +
         " key areas, each with its functions and units. The same map is given as a list on "
         "this page.</desc>\n";
  for (const Box& b : boxes) Draw(b, out);
  out += "</svg>\n";
  return out;
}

}  // namespace opennos::web
