// formats/json_stream.h hands a document's members and streamed elements to a sink on a second
// thread while it parses on: whatever the document's size the sink sees every value once, in
// document order, and the error returned is the one met first in the document, whether the
// sink's or the parser's.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "formats/json_stream.h"

namespace opennos {
namespace {

namespace json = boost::json;

// Writes down what it is given, as text; refuses the element `refuse_at` of "items", if set.
class Recorder final : public JsonMemberSink {
 public:
  explicit Recorder(std::size_t refuse_at = SIZE_MAX) : refuse_at_(refuse_at) {}
  Status Member(std::string_view key, json::value value) override {
    seen.push_back("member " + std::string(key) + " " + json::serialize(value));
    return Status::Ok();
  }
  Status Element(std::string_view key, std::size_t index, json::value value) override {
    if (index == refuse_at_) return Status::Invalid("element " + std::to_string(index) + " refused");
    seen.push_back(std::string(key) + "[" + std::to_string(index) + "] " + json::serialize(value));
    return Status::Ok();
  }
  Status ArrayEnd(std::string_view key) override {
    seen.push_back("end " + std::string(key));
    return Status::Ok();
  }
  std::vector<std::string> seen;

 private:
  std::size_t refuse_at_;
};

bool StreamItems(std::string_view key) { return key == "items"; }

// {"head": {...}, "items": [n objects, each with a text of `text_bytes`], "tail": 1}
std::string Document(std::size_t n, std::size_t text_bytes) {
  std::string doc = R"({"head": {"title": "a document"}, "items": [)";
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) doc += ",";
    doc += R"({"n": )" + std::to_string(i) + R"(, "text": ")" +
           std::string(text_bytes, static_cast<char>('a' + i % 26)) + R"(", "list": [1, 2]})";
  }
  return doc + R"(], "tail": 1})";
}

Status Read(const std::string& text, Recorder& sink) {
  MemorySource in(text);
  return ReadJsonObjectStream(in, "doc.json", StreamItems, sink);
}

TEST(JsonStream, HandsOverEveryValueOnceInDocumentOrderWhateverTheSize) {
  // Enough elements, and large enough, to fill many batches and outgrow their memory.
  constexpr std::size_t kElements = 20000;
  const std::string text = Document(kElements, 1500);
  Recorder sink;
  const Status read = Read(text, sink);
  ASSERT_TRUE(read.ok()) << read.message();
  ASSERT_EQ(sink.seen.size(), kElements + 3);
  EXPECT_EQ(sink.seen.front(), R"(member head {"title":"a document"})");
  for (std::size_t i = 0; i < kElements; ++i) {
    const std::string expected = "items[" + std::to_string(i) + "] {\"n\":" + std::to_string(i) +
                                 ",\"text\":\"" +
                                 std::string(1500, static_cast<char>('a' + i % 26)) +
                                 "\",\"list\":[1,2]}";
    ASSERT_EQ(sink.seen[i + 1], expected) << "element " << i;
  }
  EXPECT_EQ(sink.seen[kElements + 1], "end items");
  EXPECT_EQ(sink.seen.back(), "member tail 1");
}

TEST(JsonStream, StopsAtTheFirstValueTheSinkRefusesAndSaysWhy) {
  Recorder sink(/*refuse_at=*/3000);
  const Status read = Read(Document(10000, 20), sink);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.message(), "element 3000 refused");
  ASSERT_EQ(sink.seen.size(), 3001u) << "the head and elements 0-2999, nothing after the refusal";
  EXPECT_EQ(sink.seen.back().rfind("items[2999] ", 0), 0u);
}

TEST(JsonStream, ARefusalBeforeASyntaxErrorIsTheErrorReturned) {
  std::string text = Document(5000, 20);
  text.insert(text.size() - 12, "!");  // a syntax error after the last element
  Recorder sink(/*refuse_at=*/10);
  const Status read = Read(text, sink);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.message(), "element 10 refused");
}

TEST(JsonStream, ASyntaxErrorComesAfterEveryValueCompletedBeforeIt) {
  std::string text = Document(5000, 20);
  const std::size_t broken = text.find(R"({"n": 4000,)");
  ASSERT_NE(broken, std::string::npos);
  text.insert(broken, "?");
  Recorder sink;
  const Status read = Read(text, sink);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.message().find("doc.json: /items/4000: line 1"), std::string::npos)
      << read.message();
  ASSERT_EQ(sink.seen.size(), 4001u) << "the head and elements 0-3999";
  EXPECT_EQ(sink.seen.back().rfind("items[3999] ", 0), 0u);
}

TEST(JsonStream, ARefusalAfterASyntaxErrorIsNeverReached) {
  std::string text = Document(5000, 20);
  text.insert(text.find(R"({"n": 100,)"), "?");
  Recorder sink(/*refuse_at=*/4000);
  const Status read = Read(text, sink);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.message().find("/items/100"), std::string::npos) << read.message();
  EXPECT_EQ(sink.seen.size(), 101u);
}

}  // namespace
}  // namespace opennos
