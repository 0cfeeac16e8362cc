#include "formats/json_stream.h"

#include <boost/json/basic_parser_impl.hpp>
#include <algorithm>
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

// basic_parser's event handler: builds each member (or streamed element) in a value_stack and
// hands it over as soon as it is complete.
class Handler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  Handler(const std::function<bool(std::string_view)>& streamed, JsonMemberSink& sink)
      : streamed_(streamed), sink_(sink), buffer_(new unsigned char[kBufferBytes]) {}

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
      const bool ok = Check(sink_.ArrayEnd(top_key_), ec);
      top_key_.clear();
      return ok;
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
  const Status& error() const { return error_; }

 private:
  // A value starts at the current depth.
  bool Begin(json::error_code& ec) {
    if (depth_ == 0) {
      not_object_ = true;
      ec = json::error::syntax;
      return false;
    }
    if (depth_ == 1 || (depth_ == 2 && streaming_)) {
      // Each value handed over lives in a fresh arena: freed at once, not piece by piece.
      memory_.emplace(buffer_.get(), kBufferBytes);
      st_.reset(json::storage_ptr(&*memory_));
    }
    return true;
  }
  // A value ended at the current depth.
  bool End(json::error_code& ec) {
    if (depth_ == 1) {
      const bool ok = Check(sink_.Member(top_key_, st_.release()), ec);
      top_key_.clear();
      return ok;
    }
    if (depth_ == 2 && streaming_) return Check(sink_.Element(top_key_, index_++, st_.release()), ec);
    if (!levels_.empty() && levels_.back().array) ++levels_.back().index;
    return true;
  }
  void Key(json::string_view s) {
    std::string& target = depth_ == 1 ? top_key_ : levels_.back().key;
    if (!key_open_) target.clear();
    key_open_ = true;
    target.append(s.data(), s.size());
  }
  bool Check(Status s, json::error_code& ec) {
    if (s.ok()) return true;
    error_ = std::move(s);
    ec = json::error::exception;
    return false;
  }

  static constexpr size_t kBufferBytes = 64 * 1024;
  const std::function<bool(std::string_view)>& streamed_;
  JsonMemberSink& sink_;
  std::unique_ptr<unsigned char[]> buffer_;
  std::optional<json::monotonic_resource> memory_;
  json::value_stack st_;
  int depth_ = 0;  // 1 inside the top-level object, 2 inside a member's value, ...
  std::string top_key_;
  bool streaming_ = false;  // inside a streamed array
  size_t index_ = 0;        // the streamed element being read
  std::vector<Level> levels_;
  bool key_open_ = false;
  bool string_open_ = false;
  bool not_object_ = false;
  Status error_;
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

Status ReadJsonObjectStream(ByteSource& in, const std::string& source,
                            const std::function<bool(std::string_view)>& streamed,
                            JsonMemberSink& sink) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  json::basic_parser<Handler> parser(options, streamed, sink);
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
        if (!h.error().ok()) return h.error();
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

}  // namespace opennos
