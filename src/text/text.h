#pragma once
// The one text pipeline, shared by search and analysis so that a word means the same thing to
// both: Unicode normalisation (NFKC, case folding, accents removed), word tokens, English stop
// words and Snowball English stems.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace opennos::text {

// Case-folded, NFKC-normalised text with combining accents removed ("Café" -> "cafe"). Invalid
// UTF-8 is replaced, never thrown on. Thread-safe.
std::string Normalise(std::string_view utf8);

// The words of normalised text: runs of letters and digits (an apostrophe or hyphen inside a
// word splits it: "team's" -> "team", "s"). Thread-safe.
std::vector<std::string> Tokens(std::string_view normalised);

// Calls `word` with each of the words Tokens gives, in order, as views into `normalised`,
// allocating nothing. Thread-safe.
void ForEachToken(std::string_view normalised, const std::function<void(std::string_view)>& word);

// Normalise and Tokens take a fast path for ASCII text that gives exactly what ICU gives
// (tested on every ASCII character and on awkward text); these always go through ICU, for
// those tests.
std::string NormaliseByIcu(std::string_view utf8);
std::vector<std::string> TokensByIcu(std::string_view normalised);

// True for an English stop word ("the", "and", "of", ...). `word` must be normalised.
bool IsStopWord(std::string_view word);

// The Snowball English stem of a normalised word ("managing" -> "manag"). Thread-safe.
std::string Stem(std::string_view word);

// Normalise, tokenise, drop stop words, stem: the terms analysis compares.
std::vector<std::string> Terms(std::string_view utf8);

// The stop words, for Xapian's stopper.
const std::vector<std::string>& StopWords();

}  // namespace opennos::text
