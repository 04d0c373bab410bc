#include "report/histogram_codec.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <new>

#include <absl/strings/escaping.h>
#include <fmt/format.h>

namespace tikvbench::report {
namespace {

constexpr uint32_t kV0EncodingCookieBase = 0x1c849308;
constexpr uint32_t kV0CompressedCookieBase = 0x1c849309;
constexpr uint32_t kV1EncodingCookieBase = 0x1c849301;
constexpr uint32_t kV1CompressedCookieBase = 0x1c849302;
constexpr uint32_t kV2EncodingCookieBase = 0x1c849303;
constexpr uint32_t kV2CompressedCookieBase = 0x1c849304;
constexpr size_t kHeaderSize = 40;
constexpr int kVarintMaxBytes = 9;  // LEB128-64b9B
constexpr size_t kChunkSize = 16 * 1024;

uint32_t cookie_base(uint32_t cookie) { return cookie & ~0xf0u; }

Status codec_error(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

std::string hex32(uint32_t value) { return fmt::format("{:#010x}", value); }

void put_be32(std::vector<uint8_t>& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

void put_be64(std::vector<uint8_t>& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

uint32_t get_be32(const uint8_t* in) {
  return uint32_t{in[0]} << 24 | uint32_t{in[1]} << 16 | uint32_t{in[2]} << 8 | uint32_t{in[3]};
}

uint64_t get_be64(const uint8_t* in) { return uint64_t{get_be32(in)} << 32 | get_be32(in + 4); }

// ZigZag, then LEB128 with at most 9 bytes (ZigZagEncoding.putLong).
void put_zigzag(std::vector<uint8_t>& out, int64_t value) {
  uint64_t raw = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  for (int i = 0; i < kVarintMaxBytes - 1; ++i) {
    if ((raw >> 7) == 0) {
      out.push_back(static_cast<uint8_t>(raw));
      return;
    }
    out.push_back(static_cast<uint8_t>((raw & 0x7f) | 0x80));
    raw >>= 7;
  }
  out.push_back(static_cast<uint8_t>(raw));  // the ninth byte takes the top 8 bits
}

// Bytes from an uncompressed buffer.
class SpanSource {
 public:
  explicit SpanSource(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  Status read_exact(uint8_t* out, size_t size) {
    if (bytes_.size() < size) return codec_error("encoding truncated");
    std::memcpy(out, bytes_.data(), size);
    bytes_ = bytes_.subspan(size);
    return {};
  }
  Status finish() { return {}; }

 private:
  std::span<const uint8_t> bytes_;
};

// Bytes inflated from a zlib stream, on demand.
class InflateSource {
 public:
  explicit InflateSource(std::span<const uint8_t> compressed) {
    stream_.next_in = const_cast<Bytef*>(compressed.data());  // zlib does not write through next_in
    stream_.avail_in = static_cast<uInt>(compressed.size());
    initialized_ = inflateInit(&stream_) == Z_OK;
  }
  ~InflateSource() {
    if (initialized_) inflateEnd(&stream_);
  }
  InflateSource(const InflateSource&) = delete;
  InflateSource& operator=(const InflateSource&) = delete;

  Status read_exact(uint8_t* out, size_t size) {
    if (!initialized_) return Status(StatusCode::kInternal, "zlib inflateInit failed");
    stream_.next_out = out;
    stream_.avail_out = static_cast<uInt>(size);
    while (stream_.avail_out > 0) {
      if (ended_) return codec_error("compressed data ends before the encoding does");
      const int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        ended_ = true;
      } else if (rc == Z_BUF_ERROR) {
        return codec_error("compressed data truncated");
      } else if (rc != Z_OK) {
        return codec_error(std::string("zlib: ") + (stream_.msg != nullptr ? stream_.msg : "inflate failed"));
      }
    }
    return {};
  }

  // Succeeds if the zlib stream ends here, with nothing left to inflate.
  Status finish() {
    if (!initialized_) return Status(StatusCode::kInternal, "zlib inflateInit failed");
    if (ended_) return {};
    uint8_t extra = 0;
    stream_.next_out = &extra;
    stream_.avail_out = 1;
    const int rc = inflate(&stream_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END && stream_.avail_out == 1) return {};
    if (stream_.avail_out == 0) return codec_error("compressed data holds more than the stated payload length");
    if (rc == Z_BUF_ERROR || rc == Z_OK) return codec_error("compressed data truncated");
    return codec_error(std::string("zlib: ") + (stream_.msg != nullptr ? stream_.msg : "inflate failed"));
  }

 private:
  z_stream stream_{};
  bool initialized_ = false;
  bool ended_ = false;
};

// Decodes counts from payload bytes fed in any pieces.
class CountsDecoder {
 public:
  CountsDecoder(measure::Histogram& histogram, int word_size) : histogram_(histogram), word_size_(word_size) {}

  Status feed(const uint8_t* data, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      const uint8_t byte = data[i];
      bool complete = false;
      if (word_size_ == kVarintMaxBytes) {
        if (bytes_ < kVarintMaxBytes - 1) {
          raw_ |= uint64_t{byte & 0x7fu} << (7 * bytes_);
          complete = (byte & 0x80) == 0;
        } else {
          raw_ |= uint64_t{byte} << 56;
          complete = true;
        }
        ++bytes_;
        if (!complete) continue;
        const auto value = static_cast<int64_t>((raw_ >> 1) ^ (0 - (raw_ & 1)));
        if (Status status = take_zigzag(value); !status.ok()) return status;
      } else {
        raw_ = raw_ << 8 | byte;
        if (++bytes_ < word_size_) continue;
        // Sign-extend the big-endian word of word_size_ bytes.
        const int unused_bits = 64 - 8 * word_size_;
        const int64_t value = static_cast<int64_t>(raw_ << unused_bits) >> unused_bits;
        if (value < 0) return codec_error("negative count " + std::to_string(value) + " at index " + std::to_string(index_));
        if (Status status = take_count(value); !status.ok()) return status;
      }
      raw_ = 0;
      bytes_ = 0;
    }
    return {};
  }

  Status finish() const {
    if (bytes_ != 0) return codec_error("payload ends inside a count");
    return {};
  }

 private:
  Status take_zigzag(int64_t value) {
    if (value >= 0) return take_count(value);
    const uint64_t zeros = 0 - static_cast<uint64_t>(value);
    if (zeros > static_cast<uint64_t>(histogram_.counts_length() - index_)) {
      return codec_error("run of " + std::to_string(zeros) + " zero counts at index " + std::to_string(index_) +
                     " passes the end of the " + std::to_string(histogram_.counts_length()) + " counts");
    }
    index_ += static_cast<int32_t>(zeros);
    return {};
  }

  Status take_count(int64_t count) {
    if (index_ >= histogram_.counts_length()) {
      return codec_error("more counts than the layout's " + std::to_string(histogram_.counts_length()));
    }
    if (count > std::numeric_limits<int64_t>::max() - histogram_.total_count()) {
      return codec_error("total count overflows at index " + std::to_string(index_));
    }
    histogram_.add_at_index(index_++, count);
    return {};
  }

  measure::Histogram& histogram_;
  const int word_size_;  // 9: V2 ZigZag varints; 2, 4 or 8: V1 fixed-width counts
  int32_t index_ = 0;
  uint64_t raw_ = 0;
  int bytes_ = 0;  // bytes of the current count taken so far
};

template <class Source>
Result<measure::Histogram> decode_from(Source& source) {
  std::array<uint8_t, kHeaderSize> header{};
  if (Status status = source.read_exact(header.data(), header.size()); !status.ok()) return status;
  const uint32_t cookie = get_be32(&header[0]);
  int word_size = 0;
  if (cookie_base(cookie) == kV2EncodingCookieBase) {
    word_size = kVarintMaxBytes;
  } else if (cookie_base(cookie) == kV1EncodingCookieBase) {
    word_size = static_cast<int>(((cookie & 0xf0) >> 4) & 0xe);
    if (word_size != 2 && word_size != 4 && word_size != 8) {
      return codec_error("V1 encoding with unsupported word size " + std::to_string(word_size));
    }
  } else if (cookie_base(cookie) == kV0EncodingCookieBase) {
    return codec_error("V0 histogram encoding (cookie " + hex32(cookie) + ") is not supported");
  } else {
    return codec_error("not an HdrHistogram encoding (cookie " + hex32(cookie) + ")");
  }
  const auto payload_length = static_cast<int32_t>(get_be32(&header[4]));
  // header[8..12): normalizing index offset, ignored (see the header file).
  const auto significant_figures = static_cast<int32_t>(get_be32(&header[12]));
  const auto lowest = static_cast<int64_t>(get_be64(&header[16]));
  const auto highest = static_cast<int64_t>(get_be64(&header[24]));
  // header[32..40): integer-to-double conversion ratio, ignored.
  if (payload_length < 0) return codec_error("negative payload length " + std::to_string(payload_length));

  Result<int32_t> counts_length = measure::Histogram::counts_length_for(lowest, highest, significant_figures);
  if (!counts_length.ok()) return codec_error("header: " + counts_length.status().message());
  if (*counts_length > kMaxDecodedCountsLength) {
    return codec_error("header: layout of " + std::to_string(*counts_length) + " counts exceeds the limit of " +
                   std::to_string(kMaxDecodedCountsLength));
  }
  if (payload_length > int64_t{*counts_length} * word_size) {
    return codec_error("payload length " + std::to_string(payload_length) + " exceeds what " +
                   std::to_string(*counts_length) + " counts can take");
  }
  if (word_size != kVarintMaxBytes && payload_length % word_size != 0) {
    return codec_error("V1 payload length " + std::to_string(payload_length) + " is not a multiple of the word size");
  }

  Result<measure::Histogram> histogram = measure::Histogram::create(lowest, highest, significant_figures);
  if (!histogram.ok()) return histogram.status();
  CountsDecoder counts(*histogram, word_size);
  std::array<uint8_t, kChunkSize> chunk{};
  for (size_t left = static_cast<size_t>(payload_length); left > 0;) {
    const size_t size = std::min(left, chunk.size());
    if (Status status = source.read_exact(chunk.data(), size); !status.ok()) return status;
    if (Status status = counts.feed(chunk.data(), size); !status.ok()) return status;
    left -= size;
  }
  if (Status status = counts.finish(); !status.ok()) return status;
  if (Status status = source.finish(); !status.ok()) return status;
  return histogram;
}

}  // namespace

std::vector<uint8_t> encode(const measure::Histogram& histogram) {
  // Java: counts up to countsArrayIndex(maxValue), inclusive, which is the
  // last non-zero count; one count (a zero) when empty. That count may lie
  // above highest_trackable_value(): HdrHistogram records values up to the
  // end of its last bucket, and decoding keeps them.
  int32_t limit = histogram.counts_length();
  while (limit > 1 && histogram.count_at_index(limit - 1) == 0) --limit;
  std::vector<uint8_t> out;
  out.reserve(kHeaderSize + 64);
  put_be32(out, kV2EncodingCookie);
  put_be32(out, 0);  // payload length, filled in below
  put_be32(out, 0);  // normalizing index offset
  put_be32(out, static_cast<uint32_t>(histogram.significant_figures()));
  put_be64(out, static_cast<uint64_t>(histogram.lowest_discernible_value()));
  put_be64(out, static_cast<uint64_t>(histogram.highest_trackable_value()));
  uint64_t ratio_bits = 0;
  const double ratio = 1.0;
  std::memcpy(&ratio_bits, &ratio, sizeof ratio_bits);
  put_be64(out, ratio_bits);
  for (int32_t i = 0; i < limit;) {
    const int64_t count = histogram.count_at_index(i++);
    if (count != 0) {
      put_zigzag(out, count);
      continue;
    }
    int64_t zeros = 1;
    while (i < limit && histogram.count_at_index(i) == 0) {
      ++zeros;
      ++i;
    }
    put_zigzag(out, zeros > 1 ? -zeros : 0);
  }
  const auto payload_length = static_cast<uint32_t>(out.size() - kHeaderSize);
  for (int b = 0; b < 4; ++b) out[4 + static_cast<size_t>(b)] = static_cast<uint8_t>(payload_length >> (24 - 8 * b));
  return out;
}

std::vector<uint8_t> encode_compressed(const measure::Histogram& histogram, int compression_level) {
  const std::vector<uint8_t> plain = encode(histogram);
  uLongf compressed_size = compressBound(static_cast<uLong>(plain.size()));
  std::vector<uint8_t> out(8 + compressed_size);
  const int rc = compress2(out.data() + 8, &compressed_size, plain.data(), static_cast<uLong>(plain.size()),
                           std::clamp(compression_level, 0, 9));
  if (rc != Z_OK) throw std::bad_alloc();  // the bound makes Z_BUF_ERROR impossible
  out.resize(8 + compressed_size);
  for (int b = 0; b < 4; ++b) {
    out[static_cast<size_t>(b)] = static_cast<uint8_t>(kV2CompressedEncodingCookie >> (24 - 8 * b));
    out[4 + static_cast<size_t>(b)] = static_cast<uint8_t>(compressed_size >> (24 - 8 * b));
  }
  return out;
}

std::string encode_base64(const measure::Histogram& histogram, int compression_level) {
  return detail::base64_encode(encode_compressed(histogram, compression_level));
}

Result<measure::Histogram> decode(std::span<const uint8_t> bytes) {
  SpanSource source(bytes);
  return decode_from(source);
}

Result<measure::Histogram> decode_compressed(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8) return codec_error("compressed histogram shorter than its 8-byte header");
  const uint32_t cookie = get_be32(bytes.data());
  if (cookie_base(cookie) == kV0CompressedCookieBase) {
    return codec_error("V0 compressed histogram (cookie " + hex32(cookie) + ") is not supported");
  }
  if (cookie_base(cookie) != kV2CompressedCookieBase && cookie_base(cookie) != kV1CompressedCookieBase) {
    return codec_error("not a compressed HdrHistogram (cookie " + hex32(cookie) + ")");
  }
  const auto length = static_cast<int32_t>(get_be32(bytes.data() + 4));
  if (length < 0 || static_cast<size_t>(length) > bytes.size() - 8) {
    return codec_error("compressed length " + std::to_string(length) + " does not fit the " +
                   std::to_string(bytes.size() - 8) + " bytes present");
  }
  InflateSource source(bytes.subspan(8, static_cast<size_t>(length)));
  return decode_from(source);
}

Result<measure::Histogram> decode_base64(std::string_view text) {
  Result<std::vector<uint8_t>> bytes = detail::base64_decode(text);
  if (!bytes.ok()) return bytes.status();
  return decode_compressed(*bytes);
}

namespace detail {

// abseil's base64 (under gRPC already): standard alphabet, padding written,
// and read with or without it.
std::string base64_encode(std::span<const uint8_t> bytes) {
  return absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Result<std::vector<uint8_t>> base64_decode(std::string_view text) {
  // abseil skips whitespace; a histogram's text has none, so none is taken.
  if (const size_t at = text.find_first_of(" \t\r\n\f\v"); at != std::string_view::npos) {
    return codec_error("whitespace in base64 text at offset " + std::to_string(at));
  }
  std::string bytes;
  if (!absl::Base64Unescape(absl::string_view(text.data(), text.size()), &bytes)) {
    return codec_error("invalid base64 text (" + std::to_string(text.size()) + " characters)");
  }
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace detail
}  // namespace tikvbench::report
