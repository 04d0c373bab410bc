// go-ycsb compatibility: a WorkloadSpec from the properties of a go-ycsb (or
// Java YCSB) workload file and `-p name=value` overrides, with the meaning and
// defaults go-ycsb gives them. Sources read: pkg/prop/prop.go (names and
// defaults), pkg/workload/core.go (the core workload), pkg/client/client.go
// (threadcount, target, operationcount, warmuptime), cmd/go-ycsb (-P, -p)
// and db/tikv/{db,raw}.go (tikv.*); for what go-ycsb lacks, YCSB's
// CoreWorkload.java and Client.java.
//
// Applied properties:
//   workload              "core" or "site.ycsb.workloads.CoreWorkload" (both
//                         registered by go-ycsb), or Java's old
//                         "com.yahoo.ycsb.workloads.CoreWorkload"; any other
//                         class is an error
//   recordcount           keyspace.record_count (go-ycsb default 0; its run
//                         then uses a key range of 2^31-1, its load refuses)
//   insertstart           keyspace.insert_start
//   insertcount           keyspace.insert_count (default recordcount -
//                         insertstart)
//   keyprefix, table      keyspace.key_prefix ("user"), keyspace.table
//                         ("usertable")
//   insertorder           hashed | ordered -> keyspace.hashed (go-ycsb treats
//                         every value other than "hashed" as ordered; here
//                         another value is an error)
//   zeropadding           keyspace.zero_padding (1)
//   fieldcount            values.field_count (10)
//   fieldlength           values.field_length.max (100): the length for
//                         constant, the largest for uniform and zipfian
//   minfieldlength        values.field_length.min (1; Java YCSB only)
//   fieldlengthdistribution  constant | uniform | zipfian; histogram is an
//                         error (not supported)
//   readallfields, writeallfields  values.read_all_fields (true),
//                         values.write_all_fields (false)
//   readproportion, updateproportion, insertproportion, scanproportion,
//   readmodifywriteproportion  mix weights (0.95, 0.05, 0, 0, 0)
//   requestdistribution   uniform | zipfian | latest | hotspot | sequential |
//                         exponential (uniform)
//   hotspotdatafraction, hotspotopnfraction (0.2, 0.8),
//   exponential.percentile, exponential.frac (95, 0.8571428571)
//   minscanlength, maxscanlength, scanlengthdistribution  scan_length (1,
//                         1000, uniform | zipfian)
//   operationcount        bounds.operations; 0: unbounded (Java's meaning;
//                         go-ycsb's run refuses fewer operations than
//                         threads)
//   maxexecutiontime      bounds.duration, in seconds; 0: unbounded. go-ycsb
//                         declares the property but its client never reads
//                         it; this is Java YCSB's meaning.
//   warmuptime            warmup, in seconds (go-ycsb: operations in it are
//                         neither measured nor counted in operationcount)
//   threadcount           load_threads (the load runs with as many threads in
//                         go-ycsb) and, without a target, the closed-loop
//                         concurrency (load_kind kConcurrency, load_level).
//                         go-ycsb's client defaults to 1 thread; prop.go's
//                         ThreadCountDefault (200) only sizes SQL pools.
//   target                operations per second for the whole run, over all
//                         threads together: go-ycsb's worker paces itself
//                         at target / threadcount per second (client.go
//                         newWorker), as Java YCSB does. target > 0 makes an
//                         open loop: load_kind kRate, load_level = target.
//                         go-ycsb's pacing is closed-loop (a slow reply
//                         delays that thread's next start, so it never has
//                         more than threadcount operations in flight); here
//                         starts keep the schedule. target <= 0 (go-ycsb
//                         scripts pass -1): no target.
//   tikv.pd               cluster.pd, split at ','. go-ycsb's default is
//                         127.0.0.1:2379; left unset here, it means the
//                         in-process mock cluster.
//   tikv.type             "raw" only; "txn" (and anything else) is an error
//   tikv.conncount        cluster.conns (go-ycsb's client-go default of 128
//                         connections is not carried over)
//   tikv.batchsize        cluster.max_batch (likewise its default of 128)
//   tikv.apiversion       V1 | V2, any case -> "v1" | "v2"; V1TTL is an error
//
// Everything else (unknown names, and go-ycsb properties with no meaning
// here such as measurementtype, dataintegrity, batch.size) is accepted and
// not applied, as go-ycsb ignores names it does not know; the callers
// collect those to warn. Values other than table and keyprefix (taken as
// written) are trimmed of surrounding white space; numbers are decimal
// (integers where go-ycsb reads integers); booleans are
// true/false/yes/no/on/off/1/0 in any case; names of distributions and
// orders are matched in any case. (go-ycsb itself silently falls back to the
// default for a value it cannot parse; here that is an error.)
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "workload/properties_file.h"
#include "workload/spec.h"

namespace tikvbench::workload {

// Applies one property to `spec`; `where` names it in messages ("FILE:LINE"
// or "-p"). Returns true when applied, false (with `spec` unchanged) when
// the property is not one applied here. Throws std::invalid_argument
// "WHERE: KEY: problem" for a value that does not parse or is out of range
// for the property (a negative count, an unknown distribution, ...). The
// result does not depend on the order properties are applied in, except
// that a later value for the same key wins.
bool apply_property(WorkloadSpec& spec, std::string_view key, std::string_view value, std::string_view where);

// Applies `properties` in order, naming each "SOURCE:LINE" in messages (or
// "SOURCE" for a property without a line). Appends the ones not applied to
// `*ignored` when `ignored` is not null.
void apply_properties(WorkloadSpec& spec, const std::vector<Property>& properties, std::string_view source,
                      std::vector<Property>* ignored);

// Returns the workload the properties of `source` describe: go-ycsb's
// defaults (WorkloadSpec's, plus go-ycsb's TiKV value encoding kRowCodec and
// key style kGoYcsb), name = the file name of `source`, source = `source`,
// then apply_properties. Not validated: apply the `-p` overrides, then call
// validate(). Throws as apply_property.
WorkloadSpec spec_from_properties(const std::vector<Property>& properties, std::string source,
                                  std::vector<Property>* ignored = nullptr);

// Splits a `-p` argument at its first '=' into (name, value), as go-ycsb
// does. Throws std::invalid_argument "-p: bad property 'TEXT': expected
// name=value" when there is no '=' or the name is empty.
std::pair<std::string, std::string> split_override(std::string_view text);

}  // namespace tikvbench::workload
