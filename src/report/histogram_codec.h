// Histogram to and from HdrHistogram's V2 encoding: the bytes (and their
// base64 text) that HdrHistogram Java's encodeIntoCompressedByteBuffer and
// C's hdr_encode_compressed produce and that interval logs carry (hdr_log.h).
//
// The compressed form, all integers big-endian:
//   int32  cookie 0x1c849314      V2 compressed base 0x1c849304 | 0x10
//   int32  length of the zlib stream that follows
//   zlib stream (RFC 1950; Java's Deflater, C's compress()) of the encoding:
//     int32   cookie 0x1c849313   V2 base 0x1c849303 | 0x10 (the 0x10 nibble
//                                 is the word-size field; every HdrHistogram
//                                 sets it, and readers mask it off)
//     int32   payload length in bytes
//     int32   normalizing index offset (0: we never shift)
//     int32   significant figures
//     int64   lowest discernible value
//     int64   highest trackable value
//     float64 integer-to-double conversion ratio (1.0)
//     payload: counts[0 .. index of max()], each a ZigZag LEB128-64b9B
//       varint (7 bits a byte, little end first; a ninth byte, if any, holds
//       the top 8 bits); a run of n > 1 zero counts is written as -n, a lone
//       zero as 0 (as Java does; C writes -1, which decodes the same).
//
// Decoding accepts that (compressed or not), and V1 (cookies 0x1c849301/2
// with fixed 2-, 4- or 8-byte counts); V0 and anything else is an error.
// Counts are taken in logical index order (Java writes them so, whatever the
// normalizing offset), so the offset is read and ignored, as is the
// conversion ratio (1.0 for integer histograms).
//
// Hostile input: decoding never reads out of bounds, and allocates at most
// the histogram the header describes (refused above kMaxDecodedCountsLength
// counters, 32 MiB), its base64 input's decoded bytes, and a 16 KiB window:
// the payload is inflated and decoded in chunks, so a zlib bomb is cut off at
// the header's payload length. Every error is a kInvalidArgument Status
// saying what was wrong.
//
// Thread safety: free functions over values.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "measure/histogram.h"
#include "util/status.h"

namespace tikvbench::report {

inline constexpr uint32_t kV2EncodingCookie = 0x1c849303 | 0x10;
inline constexpr uint32_t kV2CompressedEncodingCookie = 0x1c849304 | 0x10;
// Every 3- and 4-digit layout fits, and 5-digit ones up to about 2^37.
inline constexpr int32_t kMaxDecodedCountsLength = 1 << 22;

// The uncompressed V2 encoding (header and payload).
std::vector<uint8_t> encode(const measure::Histogram& histogram);
// The compressed V2 form. `compression_level` is zlib's, 0..9; 9 is what
// HistogramLogWriter uses. Throws std::bad_alloc only if zlib cannot get
// memory.
std::vector<uint8_t> encode_compressed(const measure::Histogram& histogram, int compression_level = 9);
// Base64 (RFC 4648, padded) of encode_compressed(): the text of a log line.
std::string encode_base64(const measure::Histogram& histogram, int compression_level = 9);

// The histogram in `bytes`, an uncompressed V2 or V1 encoding. Bytes after
// the payload are ignored.
Result<measure::Histogram> decode(std::span<const uint8_t> bytes);
// The histogram in `bytes`, a compressed V2 or V1 encoding. Bytes after the
// zlib stream's stated length are ignored.
Result<measure::Histogram> decode_compressed(std::span<const uint8_t> bytes);
// The histogram in `text`, base64 of a compressed encoding (padding
// optional, no whitespace).
Result<measure::Histogram> decode_base64(std::string_view text);

namespace detail {
std::string base64_encode(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> base64_decode(std::string_view text);
}  // namespace detail

}  // namespace tikvbench::report
