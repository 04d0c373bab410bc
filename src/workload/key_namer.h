// KeyNamer turns a key number (the record number the generators draw) into
// the key that go-ycsb or Java YCSB would use for it, byte for byte, and into
// the raw TiKV key go-ycsb's TiKV driver stores it under.
//
// KeyStyle::kGoYcsb, go-ycsb's core.go buildKeyName:
//   n = insertorder=hashed ? util.Hash64(n) : n
//   key = fmt.Sprintf("%s%0[3]*[2]d", keyprefix, n, zeropadding)
// util.Hash64 is 64-bit FNV-1a over the eight bytes of n in big-endian order,
// made non-negative (`if result < 0 { return -result }`; early go-ycsb
// versions returned the signed value and so named half the keys
// "user-..."), so key number 0 is "user6284781860667377211". Go's %0*d
// counts a sign in the width and pads with zeros after it: an ordered key
// number -42 with zeropadding 5 gives "user-0042".
//
// KeyStyle::kJavaYcsb, YCSB's CoreWorkload.buildKeyName:
//   n = insertorder=hashed ? Utils.hash(n) : n
//   key = "user" + (zeropadding - len(Long.toString(n))) zeros + Long.toString(n)
// Utils.hash is 64-bit FNV-1a over the eight bytes of n in little-endian
// order, then Math.abs. Both hashes are in util/fnv_hash.h; the byte
// orders differ, so the same key number names different keys in the two
// styles (key 0 aside). Java puts any zeros before a sign. Java YCSB has
// no keyprefix property: its prefix is always "user", the default here; a
// key_prefix set in the spec is used as given.
//
// row_key: go-ycsb's TiKV raw driver (db/tikv/raw.go getRowKey) stores a
// record under fmt.Sprintf("%s:%s", table, key), for both styles.
//
// Thread safety: immutable after construction; every method may be called
// from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "workload/spec.h"

namespace tikvbench::workload {

class KeyNamer {
 public:
  explicit KeyNamer(const KeyspaceSpec& keyspace);

  // Returns the key for `key_number` in the keyspace's style.
  std::string name(int64_t key_number) const;

  // Returns "<table>:<name(key_number)>", the raw key the record is stored
  // under.
  std::string row_key(int64_t key_number) const;

  // Appends name(key_number) to `*out`, for callers that reuse a buffer.
  void append_name(int64_t key_number, std::string* out) const;

 private:
  // Constant after construction.
  std::string prefix_;      // key_prefix
  std::string row_prefix_;  // "<table>:"
  int zero_padding_;        // below 0 counts as 0
  bool hashed_;
  KeyStyle style_;
};

}  // namespace tikvbench::workload
