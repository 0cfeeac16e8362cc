#include "formats/json_stream.h"

#include <boost/json/basic_parser_impl.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "core/json_util.h"
#include "formats/json_parse.h"

namespace opennos {
namespace json = boost::json;

Result<std::string_view> MemorySource::Next() {
  if (given_) return std::string_view();
  given_ = true;
  return bytes_;
}

FileSource::FileSource(const std::string& path, std::uintmax_t max_bytes)
    : path_(path), max_bytes_(max_bytes) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec) size_ = size;
}

FileSource::~FileSource() {
  if (file_ != nullptr) std::fclose(file_);
}

Result<std::string_view> FileSource::Next() {
  if (file_ == nullptr) {
    file_ = std::fopen(path_.c_str(), "rb");
    if (file_ == nullptr) return Status::Io(path_ + ": cannot open the file: " + std::strerror(errno));
    buffer_.resize(kChunkBytes);
  }
  const size_t n = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  if (n == 0 && std::ferror(file_)) return Status::Io(path_ + ": cannot read the file");
  read_ += n;
  if (read_ > max_bytes_) {
    return Status::Invalid(path_ + ": the file is over " + std::to_string(max_bytes_) +
                           " bytes, the largest accepted");
  }
  return std::string_view(buffer_.data(), n);
}

namespace {

// One open container inside the value being built, for the pointer of an error.
struct Level {
  bool array = false;
  size_t index = 0;
  std::string key;
};

// Hands what the parser completes to the sink on a second thread, in document order, so that
// parsing the next elements overlaps with what the sink makes of the last ones (a CASE
// package's items are converted while the rest is parsed). Values are built in the memory of
// a batch of up to kBatchEntries; at most kBatches are in flight, so the memory held stays
// that of a few batches whatever the document's size. The first failure of the sink stops
// the parser; every value completed before the parser stopped, for whatever reason, reaches
// the sink first (as it would have without the second thread), so the error returned is the
// one met first in the document.
class Pipeline {
 public:
  explicit Pipeline(JsonMemberSink& sink) : sink_(sink) {
    for (auto& b : batches_) free_.push_back(&b);
    current_ = TakeFree();
    worker_ = std::thread([this] { Work(); });
  }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  ~Pipeline() { (void)Finish(); }

  // Where the next value is built.
  json::storage_ptr Storage() {
    if (current_->entries.size() >= kBatchEntries) Send();
    return json::storage_ptr(&*current_->memory);
  }
  void Member(std::string_view key, json::value value) {
    current_->entries.push_back({Kind::kMember, std::string(key), 0, std::move(value)});
  }
  void Element(std::string_view key, std::size_t index, json::value value) {
    current_->entries.push_back({Kind::kElement, std::string(key), index, std::move(value)});
  }
  void ArrayEnd(std::string_view key) {
    current_->entries.push_back({Kind::kArrayEnd, std::string(key), 0, json::value()});
  }
  // True once the sink has refused something: the parser should stop.
  bool failed() const { return failed_.load(std::memory_order_relaxed); }

  // Hands over what is left, waits for the sink to take it and returns its first failure.
  Status Finish() {
    if (worker_.joinable()) {
      Send();
      {
        std::lock_guard lock(mutex_);
        closed_ = true;
      }
      ready_.notify_one();
      worker_.join();
    }
    return error_;
  }

 private:
  static constexpr std::size_t kBatchEntries = 256;
  static constexpr std::size_t kBatches = 4;
  static constexpr std::size_t kBatchBytes = 256 * 1024;  // before the arena asks for more
  enum class Kind { kMember, kElement, kArrayEnd };
  struct Entry {
    Kind kind;
    std::string key;
    std::size_t index;
    json::value value;
  };
  struct Batch {
    std::unique_ptr<unsigned char[]> buffer{new unsigned char[kBatchBytes]};
    // Made anew for each use: release() would keep the arena's growing size for the next.
    std::optional<json::monotonic_resource> memory{std::in_place, buffer.get(), kBatchBytes};
    std::vector<Entry> entries;
  };

  // One value to the sink. What it throws (out of memory, say) comes back as its failure:
  // nothing may leave the thread.
  Status Hand(Entry& e) {
    try {
      switch (e.kind) {
        case Kind::kMember:
          return sink_.Member(e.key, std::move(e.value));
        case Kind::kElement:
          return sink_.Element(e.key, e.index, std::move(e.value));
        case Kind::kArrayEnd:
          return sink_.ArrayEnd(e.key);
      }
      return Status::Ok();
    } catch (const std::exception& x) {
      return Status::Internal(std::string("reading the document failed: ") + x.what());
    }
  }

  Batch* TakeFree() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [this] { return !free_.empty(); });
    Batch* b = free_.back();
    free_.pop_back();
    return b;
  }
  void Send() {
    if (current_->entries.empty()) return;
    {
      std::lock_guard lock(mutex_);
      full_.push_back(current_);
    }
    ready_.notify_one();
    current_ = TakeFree();
  }
  void Work() {
    for (;;) {
      Batch* b = nullptr;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return !full_.empty() || closed_; });
        if (full_.empty()) return;
        b = full_.front();
        full_.pop_front();
      }
      for (Entry& e : b->entries) {
        if (!error_.ok()) break;
        error_ = Hand(e);
        if (!error_.ok()) failed_.store(true, std::memory_order_relaxed);
      }
      b->entries.clear();  // the values first: they live in the batch's memory
      b->memory.emplace(b->buffer.get(), kBatchBytes);
      {
        std::lock_guard lock(mutex_);
        free_.push_back(b);
      }
      freed_.notify_one();
    }
  }

  JsonMemberSink& sink_;
  std::array<Batch, kBatches> batches_;
  Batch* current_ = nullptr;  // the parser's
  std::mutex mutex_;
  std::condition_variable ready_;  // a batch is full, or no more will come
  std::condition_variable freed_;  // a batch is free again
  std::vector<Batch*> free_;
  std::deque<Batch*> full_;
  bool closed_ = false;
  std::atomic<bool> failed_{false};
  Status error_;  // the worker's, read once it has ended
  std::thread worker_;
};

// basic_parser's event handler: builds each member (or streamed element) in a value_stack and
// hands it over as soon as it is complete.
class Handler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  Handler(const std::function<bool(std::string_view)>& streamed, Pipeline& sink)
      : streamed_(streamed), sink_(sink) {}

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code& ec) {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    if (!Begin(ec)) return false;
    levels_.push_back({false, 0, {}});
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code& ec) {
    if (--depth_ == 0) return true;
    st_.push_object(n);
    levels_.pop_back();
    return End(ec);
  }
  bool on_array_begin(json::error_code& ec) {
    if (depth_ == 1 && streamed_(top_key_)) {
      streaming_ = true;
      index_ = 0;
      depth_ = 2;
      return true;
    }
    if (!Begin(ec)) return false;
    levels_.push_back({true, 0, {}});
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t n, json::error_code& ec) {
    --depth_;
    if (depth_ == 1 && streaming_) {
      streaming_ = false;
      sink_.ArrayEnd(top_key_);
      top_key_.clear();
      return Check(ec);
    }
    st_.push_array(n);
    levels_.pop_back();
    return End(ec);
  }

  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    Key(s);
    if (depth_ > 1) st_.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    Key(s);
    key_open_ = false;
    if (depth_ > 1) st_.push_key(s);
    return true;
  }

  bool on_string_part(json::string_view s, std::size_t, json::error_code& ec) {
    if (!string_open_ && !Begin(ec)) return false;
    string_open_ = true;
    st_.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    if (!string_open_ && !Begin(ec)) return false;
    string_open_ = false;
    st_.push_string(s);
    return End(ec);
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code& ec) {
    if (!Begin(ec)) return false;
    st_.push_int64(i);
    return End(ec);
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code& ec) {
    if (!Begin(ec)) return false;
    st_.push_uint64(u);
    return End(ec);
  }
  bool on_double(double d, json::string_view, json::error_code& ec) {
    if (!Begin(ec)) return false;
    st_.push_double(d);
    return End(ec);
  }
  bool on_bool(bool b, json::error_code& ec) {
    if (!Begin(ec)) return false;
    st_.push_bool(b);
    return End(ec);
  }
  bool on_null(json::error_code& ec) {
    if (!Begin(ec)) return false;
    st_.push_null();
    return End(ec);
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  // The JSON pointer of the value being read.
  std::string Pointer() const {
    if (depth_ == 0 || (depth_ == 1 && top_key_.empty())) return "/";
    std::string p = PointerJoin("", top_key_);
    if (streaming_ && depth_ >= 2) p = PointerJoin(p, index_);
    for (const Level& l : levels_) {
      if (l.array) {
        p = PointerJoin(p, l.index);
      } else if (!l.key.empty()) {
        p = PointerJoin(p, l.key);
      }
    }
    return p;
  }
  bool top_level_is_object() const { return !not_object_; }

 private:
  // A value starts at the current depth.
  bool Begin(json::error_code& ec) {
    if (depth_ == 0) {
      not_object_ = true;
      ec = json::error::syntax;
      return false;
    }
    if (depth_ == 1 || (depth_ == 2 && streaming_)) {
      // Each value handed over lives in its batch's arena: freed at once, not piece by piece.
      if (!Check(ec)) return false;
      st_.reset(sink_.Storage());
    }
    return true;
  }
  // A value ended at the current depth.
  bool End(json::error_code& ec) {
    if (depth_ == 1) {
      sink_.Member(top_key_, st_.release());
      top_key_.clear();
      return Check(ec);
    }
    if (depth_ == 2 && streaming_) {
      sink_.Element(top_key_, index_++, st_.release());
      return Check(ec);
    }
    if (!levels_.empty() && levels_.back().array) ++levels_.back().index;
    return true;
  }
  void Key(json::string_view s) {
    std::string& target = depth_ == 1 ? top_key_ : levels_.back().key;
    if (!key_open_) target.clear();
    key_open_ = true;
    target.append(s.data(), s.size());
  }
  // Stops the parser once the sink has refused something.
  bool Check(json::error_code& ec) {
    if (!sink_.failed()) return true;
    ec = json::error::exception;
    return false;
  }

  const std::function<bool(std::string_view)>& streamed_;
  Pipeline& sink_;
  json::value_stack st_;
  int depth_ = 0;  // 1 inside the top-level object, 2 inside a member's value, ...
  std::string top_key_;
  bool streaming_ = false;  // inside a streamed array
  size_t index_ = 0;        // the streamed element being read
  std::vector<Level> levels_;
  bool key_open_ = false;
  bool string_open_ = false;
  bool not_object_ = false;
};

// Line and column of a byte, counted over the pieces already read.
class Position {
 public:
  void Advance(std::string_view piece) {
    const size_t last = piece.rfind('\n');
    if (last == std::string_view::npos) {
      column_ += piece.size();
      return;
    }
    // memchr skips the text between newlines many bytes at a time (std::count looks at each).
    for (const char* p = piece.data(), *end = p + piece.size();
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr;
         ++p) {
      ++lines_;
    }
    column_ = piece.size() - last - 1;
  }
  std::string At(std::string_view piece, size_t offset) const {
    Position p = *this;
    p.Advance(piece.substr(0, offset));
    return "line " + std::to_string(p.lines_ + 1) + ", column " + std::to_string(p.column_ + 1);
  }

 private:
  size_t lines_ = 0;
  size_t column_ = 0;
};

std::string SyntaxProblem(json::error_code ec, std::string_view piece, size_t offset,
                          bool first_piece) {
  if (first_piece && piece.substr(0, 3) == "\xEF\xBB\xBF" && offset < 3) {
    return "the file starts with a byte-order mark, which JSON does not allow (save it as "
           "UTF-8 without one)";
  }
  if (ec == json::error::incomplete) return "the file ends before the JSON value does (truncated?)";
  if (offset < piece.size() && (static_cast<unsigned char>(piece[offset]) & 0x80) != 0) {
    return "a byte that is not UTF-8 text";
  }
  if (ec == json::error::too_deep) {
    return "nested more than " + std::to_string(kMaxJsonDepth) + " levels deep";
  }
  return ec.message();
}

bool OnlySpace(std::string_view s, size_t& at) {
  for (at = 0; at < s.size(); ++at) {
    const char c = s[at];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

}  // namespace

namespace {

// ReadJsonObjectStream's parsing, handing values to `pipeline`.
Status ParseJsonObjectStream(ByteSource& in, const std::string& source,
                             const std::function<bool(std::string_view)>& streamed,
                             Pipeline& pipeline) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  json::basic_parser<Handler> parser(options, streamed, pipeline);
  Position position;
  bool first = true, done = false;
  for (;;) {
    auto next = in.Next();
    if (!next.ok()) return next.status();
    const std::string_view piece = *next;
    const bool last = piece.empty();
    size_t used = 0;
    if (!done) {
      json::error_code ec;
      used = parser.write_some(!last, piece.data(), piece.size(), ec);
      const Handler& h = parser.handler();
      if (ec) {
        if (pipeline.failed()) return Status::Ok();  // Finish says why
        if (!h.top_level_is_object()) return Status::Invalid(source + ": /: the document is not a JSON object");
        return Status::Invalid(source + ": " + h.Pointer() + ": " + position.At(piece, used) + ": " +
                               SyntaxProblem(ec, piece, used, first));
      }
      done = parser.done();
    }
    if (done) {
      size_t at = 0;
      if (!OnlySpace(piece.substr(used), at)) {
        return Status::Invalid(source + ": /: " + position.At(piece, used + at) +
                               ": unexpected text after the JSON value");
      }
    }
    if (last) break;
    position.Advance(piece);
    first = false;
  }
  return Status::Ok();
}

}  // namespace

Status ReadJsonObjectStream(ByteSource& in, const std::string& source,
                            const std::function<bool(std::string_view)>& streamed,
                            JsonMemberSink& sink) {
  Pipeline pipeline(sink);
  Status read = ParseJsonObjectStream(in, source, streamed, pipeline);
  // What the sink makes of the values completed before a failure comes first, as it comes
  // earlier in the document.
  if (Status handed = pipeline.Finish(); !handed.ok()) return handed;
  return read;
}

}  // namespace opennos
