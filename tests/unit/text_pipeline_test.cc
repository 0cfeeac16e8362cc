// The one text pipeline: what Normalise, Tokens, Stem and IsStopWord make of real text. The
// stems are what Snowball English gives, checked, not what one might hope.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/text.h"

namespace opennos {
namespace {

using Words = std::vector<std::string>;

// --- Normalise ---------------------------------------------------------------------------------

TEST(TextNormalise, FoldsCaseRemovesAccentsAndAppliesCompatibilityForms) {
  struct Case {
    const char* why;
    std::string in, out;
  };
  const Case cases[] = {
      {"ASCII capitals", "Manage A BUDGET", "manage a budget"},
      {"ASCII kept as it is otherwise", "A1.P2, 50% (of it)!", "a1.p2, 50% (of it)!"},
      {"a precomposed acute accent", "Café", "cafe"},
      {"an accented capital", "CAFÉ", "cafe"},
      {"a combining diaeresis", "nai\xCC\x88ve", "naive"},
      {"a precomposed diaeresis", "naïve", "naive"},
      {"accents on every letter", "résumé", "resume"},
      {"a ring and a diaeresis", "Ångström", "angstrom"},
      {"the ligature fi", "\xEF\xAC\x81nance", "finance"},
      {"the ligature fl", "\xEF\xAC\x82ow", "flow"},
      {"Welsh w circumflex", "ŵ", "w"},
      {"Welsh W circumflex", "Ŵ", "w"},
      {"Welsh y circumflex", "ŷ", "y"},
      {"a Welsh word", "Gŵyl", "gwyl"},
      {"German sharp s folds to ss", "Straße", "strasse"},
      {"full-width letters", "\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C", "full"},
      {"a circled digit", "①", "1"},
      {"a superscript digit", "x²", "x2"},
      {"Turkish dotted capital I", "İstanbul", "istanbul"},
      {"a titlecase digraph", "ǅemal", "dzemal"},
      {"Greek, with final sigma folded", "ΣΊΣΥΦΟΣ", "σισυφοσ"},
      {"Cyrillic", "Привет Мир", "привет мир"},
      {"an empty string", "", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(text::Normalise(c.in), c.out) << c.why;
  }
}

TEST(TextNormalise, ReplacesInvalidUtf8InsteadOfThrowing) {
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  EXPECT_EQ(text::Normalise("\xFF\xFE ok"), replacement + replacement + " ok");
  EXPECT_NO_THROW(text::Normalise("\xC3"));
  EXPECT_NO_THROW(text::Normalise("\xED\xA0\x80"));
  EXPECT_NO_THROW(text::Normalise(std::string("a\0b", 3)));
}

TEST(TextNormalise, LeavesScriptsWithoutCaseAsTheyAre) {
  EXPECT_EQ(text::Normalise("日本語の文章"), "日本語の文章");
  EXPECT_EQ(text::Normalise("مرحبا"), "مرحبا");
}

TEST(TextNormalise, IsIdempotent) {
  for (const char* s : {"Café ﬁnance", "Gŵyl Ŵ", "Straße", "ΣΊΣΥΦΟΣ", "team's self-assessment"}) {
    const std::string once = text::Normalise(s);
    EXPECT_EQ(text::Normalise(once), once) << s;
  }
}

// --- Tokens ------------------------------------------------------------------------------------

TEST(TextTokens, SplitsNormalisedTextIntoRunsOfLettersAndDigits) {
  struct Case {
    const char* why;
    std::string in;
    Words out;
  };
  const Case cases[] = {
      {"spaces and punctuation", "manage, a budget.", {"manage", "a", "budget"}},
      {"an apostrophe splits a word", "team's", {"team", "s"}},
      {"a typographic apostrophe too", "team\xE2\x80\x99s", {"team", "s"}},
      {"a contraction", "don't", {"don", "t"}},
      {"a hyphen splits a word", "self-assessment", {"self", "assessment"}},
      {"so does a hyphenated prefix", "e-mail", {"e", "mail"}},
      {"digits are words", "review in 2024", {"review", "in", "2024"}},
      {"letters and digits stay together", "iso9001 odsmld1", {"iso9001", "odsmld1"}},
      {"a dotted code splits", "a1.p2", {"a1", "p2"}},
      {"a SOC code", "soc 3534", {"soc", "3534"}},
      {"accented letters are letters", "gwyl café", {"gwyl", "café"}},
      {"Cyrillic words", "привет мир", {"привет", "мир"}},
      {"Greek", "σισυφοσ", {"σισυφοσ"}},
      {"Arabic", "مرحبا بك", {"مرحبا", "بك"}},
      {"Chinese and Japanese are not segmented: one run, one token",
       "日本語の文章",
       {"日本語の文章"}},
      {"tabs and newlines", "a\tb\nc", {"a", "b", "c"}},
      {"control characters separate", "a\x01z", {"a", "z"}},
      {"nothing", "", {}},
      {"only punctuation", "!?-- ...", {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(text::Tokens(c.in), c.out) << c.why;
  }
}

TEST(TextTokens, SkipsInvalidUtf8) {
  EXPECT_EQ(text::Tokens(std::string("bad\xFF") + "byte"), (Words{"bad", "byte"}));
  EXPECT_EQ(text::Tokens("\xC3"), Words{});
}

// --- Stem --------------------------------------------------------------------------------------

TEST(TextStem, GivesManageAndItsFormsOneStem) {
  const std::string manage = text::Stem("manage");
  EXPECT_EQ(manage, "manag");
  for (const char* w : {"managing", "management", "managers", "manager", "managed", "manages"}) {
    EXPECT_EQ(text::Stem(w), manage) << w;
  }
}

TEST(TextStem, IsSnowballEnglishWithItsQuirks) {
  struct Case {
    const char* word;
    const char* stem;
  };
  const Case cases[] = {
      {"coaching", "coach"},
      {"coaches", "coach"},
      {"mentoring", "mentor"},
      {"budgeting", "budget"},
      {"recruitment", "recruit"},
      {"recruiting", "recruit"},
      {"appraisals", "apprais"},
      {"appraisal", "apprais"},
      {"organisation", "organis"},
      {"organisational", "organis"},
      {"organise", "organis"},
      {"relationships", "relationship"},
      {"meetings", "meet"},
      {"stakeholders", "stakehold"},
      {"skills", "skill"},
      {"running", "run"},
      {"wellbeing", "wellb"},
      {"leadership", "leadership"},
      {"led", "led"},
      {"arguments", "argument"},
      {"argue", "argu"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(text::Stem(c.word), c.stem) << c.word;
  }
}

TEST(TextStem, KeepsApartWordsSnowballDoesNotJoin) {
  EXPECT_NE(text::Stem("leadership"), text::Stem("lead"));
  EXPECT_NE(text::Stem("led"), text::Stem("lead"));
  EXPECT_NE(text::Stem("arguments"), text::Stem("argue"));
}

TEST(TextStem, LeavesNumbersAndCodesAlone) {
  EXPECT_EQ(text::Stem("3534"), "3534");
  EXPECT_EQ(text::Stem("odsmld1"), "odsmld1");
}

// --- Stop words and terms ---------------------------------------------------------------------

TEST(TextStopWords, AreCommonWordsButNotTheWordsThatMatterHere) {
  for (const char* w : {"the", "and", "of", "a", "to", "your", "you", "with", "in", "or"}) {
    EXPECT_TRUE(text::IsStopWord(w)) << w;
  }
  for (const char* w : {"work", "team", "own", "not", "manage", "people", "staff", "time", ""}) {
    EXPECT_FALSE(text::IsStopWord(w)) << w;
  }
}

TEST(TextStopWords, MustBeNormalisedFirst) {
  EXPECT_FALSE(text::IsStopWord("The"));
  EXPECT_TRUE(text::IsStopWord(text::Normalise("The")));
}

TEST(TextStopWords, AreListedForXapianExactlyAsIsStopWordKnowsThem) {
  ASSERT_FALSE(text::StopWords().empty());
  for (const std::string& w : text::StopWords()) {
    EXPECT_TRUE(text::IsStopWord(w)) << w;
    EXPECT_EQ(text::Normalise(w), w) << "a stop word that is not normalised never matches";
  }
}

TEST(TextTerms, NormaliseTokeniseDropStopWordsAndStem) {
  EXPECT_EQ(text::Terms("Managing the Team's Budgets"), (Words{"manag", "team", "s", "budget"}));
  EXPECT_EQ(text::Terms("Café ﬁnances"), (Words{"cafe", "financ"}));
  EXPECT_EQ(text::Terms("the and of"), Words{});
}


// --- The fast path for ASCII and the ICU path give the same words --------------------------------

// The terms as the ICU path alone gives them: ICU normalisation, ICU character classes.
Words TermsByIcu(const std::string& s) {
  Words out;
  for (const std::string& token : text::TokensByIcu(text::NormaliseByIcu(s))) {
    if (!text::IsStopWord(token)) out.push_back(text::Stem(token));
  }
  return out;
}

TEST(TextFastPath, AgreesWithIcuOnEveryAsciiCharacter) {
  for (int c = 0; c < 128; ++c) {
    const std::string s = std::string("Ab") + static_cast<char>(c) + "CD9" +
                          static_cast<char>(c) + static_cast<char>(c) + "e";
    EXPECT_EQ(text::Normalise(s), text::NormaliseByIcu(s)) << "character " << c;
    const std::string n = text::Normalise(s);
    EXPECT_EQ(text::Tokens(n), text::TokensByIcu(n)) << "character " << c;
  }
}

TEST(TextFastPath, AgreesWithIcuOnAwkwardText) {
  struct Case {
    const char* why;
    std::string in;
    Words tokens;  // what both paths must give
  };
  const Case cases[] = {
      {"plain ASCII", "Manage the Team's BUDGETS", {"manage", "the", "team", "s", "budgets"}},
      {"accents", "Café résumé NAÏVE", {"cafe", "resume", "naive"}},
      {"combining accents", "cafe\xCC\x81 nai\xCC\x88ve", {"cafe", "naive"}},
      {"hyphens, ASCII and typographic", "self-assessment e\xE2\x80\x90mail co\xE2\x80\x93op",
       {"self", "assessment", "e", "mail", "co", "op"}},
      {"a soft hyphen", "multi\xC2\xADskilled", {"multiskilled"}},
      {"apostrophes, ASCII and typographic", "don't team\xE2\x80\x99s o\xCA\xBC",
       {"don", "t", "team", "s", "o\xCA\xBC"}},
      {"numbers", "1,000.50 in 2024: 3rd of 50% ①", {"1", "000", "50", "in", "2024", "3rd", "of",
                                                   "50", "1"}},
      {"Welsh", "Gŵyl Dewi Sant, Ŷ LLŶN, Llanfair\xE2\x80\x99s ysgol",
       {"gwyl", "dewi", "sant", "y", "llyn", "llanfair", "s", "ysgol"}},
      {"Welsh with combining circumflexes", "Gw\xCC\x82yl", {"gwyl"}},
      {"non-BMP: mathematical bold letters", "\xF0\x9D\x90\x8C\xF0\x9D\x90\x9A\xF0\x9D\x90\xA7"
                                             "\xF0\x9D\x90\x9A\xF0\x9D\x90\xA0\xF0\x9D\x90\x9E "
                                             "budgets",
       {"manage", "budgets"}},
      {"non-BMP: an emoji separates", "plan\xF0\x9F\x98\x80review", {"plan", "review"}},
      {"non-BMP: a CJK extension B character is a letter", "a\xF0\xA0\x9C\x8E b",
       {"a\xF0\xA0\x9C\x8E", "b"}},
      {"ligatures and full-width", "\xEF\xAC\x81nance \xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C"
                                   "\xEF\xBD\x8C",
       {"finance", "full"}},
      {"tabs, newlines and controls", "a\tb\nc\x01" "d", {"a", "b", "c", "d"}},
      {"invalid UTF-8", std::string("bad\xFF") + "byte", {"bad", "byte"}},
      {"nothing", "", {}},
  };
  for (const Case& c : cases) {
    const std::string fast = text::Normalise(c.in);
    EXPECT_EQ(fast, text::NormaliseByIcu(c.in)) << c.why;
    EXPECT_EQ(text::Tokens(fast), c.tokens) << c.why;
    EXPECT_EQ(text::TokensByIcu(text::NormaliseByIcu(c.in)), c.tokens) << c.why;
    EXPECT_EQ(text::Terms(c.in), TermsByIcu(c.in)) << c.why;
    Words seen;
    text::ForEachToken(fast, [&](std::string_view w) { seen.emplace_back(w); });
    EXPECT_EQ(seen, c.tokens) << c.why;
  }
}

}  // namespace
}  // namespace opennos
