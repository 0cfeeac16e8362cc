#pragma once
// Reads a JSON document whose top level is an object without holding it whole: each top-level
// member is handed over as one value, except the arrays the caller names, which are handed
// over one element at a time. A package of any size then costs the memory of its largest
// element, not of the document (CLARIFICATIONS §8).

#include <boost/json.hpp>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opennos {

// Where the bytes come from: each call gives the next piece, an empty one at the end.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual Result<std::string_view> Next() = 0;
  // How many bytes there are in all, if known (0: unknown), so a reader can size its buffers.
  virtual std::uintmax_t SizeHint() const { return 0; }
};

// All of it at once, from memory the caller keeps alive.
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  Result<std::string_view> Next() override;
  std::uintmax_t SizeHint() const override { return bytes_.size(); }

 private:
  std::string_view bytes_;
  bool given_ = false;
};

// A file read in pieces of `kChunkBytes`; refuses a file over `max_bytes`.
class FileSource final : public ByteSource {
 public:
  static constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
  FileSource(const std::string& path, std::uintmax_t max_bytes);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  Result<std::string_view> Next() override;
  std::uintmax_t SizeHint() const override { return size_; }

 private:
  std::string path_;
  std::uintmax_t max_bytes_;
  std::uintmax_t read_ = 0;
  std::uintmax_t size_ = 0;  // as the file system said when the source was made
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

// What the reader hands over. A non-ok Status stops the reading and is returned as it is.
class JsonMemberSink {
 public:
  virtual ~JsonMemberSink() = default;
  // Each value lives in memory the reader reuses once the call returns: to keep one (or part
  // of one), copy it into storage of your own (json::value(v, json::storage_ptr())); a
  // json::object of your own copies what is assigned into it.
  //
  // A top-level member that is not a streamed array (a streamed key whose value is not an
  // array comes here too).
  virtual Status Member(std::string_view key, boost::json::value value) = 0;
  // One element of a streamed array, `index` counting from 0.
  virtual Status Element(std::string_view key, std::size_t index, boost::json::value value) = 0;
  // The end of a streamed array.
  virtual Status ArrayEnd(std::string_view key) = 0;
};

// Reads one JSON object from `in`, handing its members to `sink`; `streamed(key)` says which
// array-valued members go element by element. A syntax error reads
// "SOURCE: POINTER: line L, column C: what", the pointer naming the value being read (a
// non-object document: "SOURCE: /: ..."). Accepts at most kMaxJsonDepth levels of nesting.
Status ReadJsonObjectStream(ByteSource& in, const std::string& source,
                            const std::function<bool(std::string_view)>& streamed,
                            JsonMemberSink& sink);

}  // namespace opennos
