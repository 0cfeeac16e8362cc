#include "text/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <unordered_set>
#include <xapian.h>

namespace opennos::text {
namespace {

const icu::Normalizer2& Nfkc() {
  static const icu::Normalizer2* n = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? casefold : nullptr;
  }();
  return *n;
}

const icu::Normalizer2& Nfd() {
  static const icu::Normalizer2* n = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    return U_SUCCESS(status) ? nfd : nullptr;
  }();
  return *n;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
}

// ASCII letters and digits: the ASCII characters that u_isalnum accepts (no ASCII character
// is a modifier letter).
bool IsAsciiWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The ICU path of ForEachToken, for any UTF-8.
void ForEachTokenByIcu(std::string_view s, const std::function<void(std::string_view)>& word) {
  size_t i = 0, start = 0, end = 0;  // the current word is s[start, end)
  while (i < s.size()) {
    UChar32 c;
    int32_t next = static_cast<int32_t>(i);
    U8_NEXT(s.data(), next, static_cast<int32_t>(s.size()), c);
    const size_t at = i;
    i = static_cast<size_t>(next);
    if (c >= 0 && (u_isalnum(c) || u_charType(c) == U_MODIFIER_LETTER)) {
      if (end != at) start = at;  // a new word (a skipped character lies between)
      end = i;
    } else if (end > start) {
      word(s.substr(start, end - start));
      start = end = i;
    }
  }
  if (end > start) word(s.substr(start, end - start));
}

}  // namespace

std::string Normalise(std::string_view utf8) {
  if (IsAscii(utf8)) {  // the common case, without ICU
    std::string out(utf8);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  return NormaliseByIcu(utf8);
}

std::string NormaliseByIcu(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString folded = Nfkc().normalize(source, status);
  icu::UnicodeString decomposed = Nfd().normalize(folded, status);
  if (U_FAILURE(status)) return std::string(utf8);
  icu::UnicodeString stripped;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) stripped.append(c);
    i += U16_LENGTH(c);
  }
  std::string out;
  stripped.toUTF8String(out);
  return out;
}

void ForEachToken(std::string_view s, const std::function<void(std::string_view)>& word) {
  if (!IsAscii(s)) {
    ForEachTokenByIcu(s, word);
    return;
  }
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !IsAsciiWordChar(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && IsAsciiWordChar(s[i])) ++i;
    if (i > start) word(s.substr(start, i - start));
  }
}

std::vector<std::string> Tokens(std::string_view s) {
  std::vector<std::string> out;
  ForEachToken(s, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}

std::vector<std::string> TokensByIcu(std::string_view s) {
  std::vector<std::string> out;
  ForEachTokenByIcu(s, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}

const std::vector<std::string>& StopWords() {
  // A short list: words that carry no meaning in a competence statement. Kept short on
  // purpose, since "work", "team" or "own" matter here.
  static const std::vector<std::string> kWords{
      "a",    "an",   "and",  "are",   "as",    "at",   "be",    "by",   "for",  "from",
      "has",  "have", "how",  "i",     "in",    "into", "is",    "it",   "its",  "of",
      "on",   "or",   "that", "the",   "their", "them", "there", "this", "to",   "was",
      "what", "when", "with", "which", "who",   "will", "you",   "your", "they", "these",
      "those", "were", "been", "being", "do",   "does", "so",    "such", "than", "then",
      "my",   "me",   "our",  "we",    "us",    "he",   "she",   "his",  "her",  "him"};
  return kWords;
}

bool IsStopWord(std::string_view word) {
  static const std::unordered_set<std::string_view> kSet = [] {
    std::unordered_set<std::string_view> set;
    for (const auto& w : StopWords()) set.insert(w);
    return set;
  }();
  return kSet.count(word) > 0;
}

std::string Stem(std::string_view word) {
  thread_local Xapian::Stem stemmer("english");
  return stemmer(std::string(word));
}

std::vector<std::string> Terms(std::string_view utf8) {
  std::vector<std::string> out;
  ForEachToken(Normalise(utf8), [&](std::string_view token) {
    if (!IsStopWord(token)) out.push_back(Stem(token));
  });
  return out;
}

}  // namespace opennos::text
