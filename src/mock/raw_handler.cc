#include "mock/raw_handler.h"

#include <vector>

#include <fmt/format.h>

#include "util/key_escaping.h"
#include "util/memcomparable.h"

namespace tikvbench::mock {
namespace {

constexpr std::string_view kOnlyDefaultCf =
    "the mock cluster serves only the default column family";

bool is_default_cf(const std::string& cf) { return cf.empty() || cf == "default"; }


// A non-region failure as TiKV reports it in responses with no string error:
// one pair whose KeyError aborts.
template <class Pairs>
void set_abort(Pairs* pairs, std::string message) {
  pairs->Clear();
  pairs->Add()->mutable_error()->set_abort(std::move(message));
}

}  // namespace

// Admission runs a request's region checks. When ok(), it holds the region's
// lock until destroyed; on destruction it asks for a split when a write left
// the region over the split threshold.
class RawHandler::Admission {
 public:
  Admission(RawHandler& handler, uint64_t store_id, const kvrpcpb::Context& context)
      : handler_(handler) {
    const uint64_t region_id = context.region_id();
    if (context.has_peer() && context.peer().store_id() != 0 && context.peer().store_id() != store_id) {
      auto* mismatch = error_.mutable_store_not_match();
      mismatch->set_request_store_id(context.peer().store_id());
      mismatch->set_actual_store_id(store_id);
      error_.set_message(fmt::format("to store id {}, mine {}", context.peer().store_id(), store_id));
      return;
    }
    region_ = handler.table_.by_id(region_id);
    if (region_) lock_ = std::unique_lock(region_->mu);
    if (!region_ || !region_->peer_on(store_id)) {
      if (lock_) lock_.unlock();
      region_.reset();
      error_.mutable_region_not_found()->set_region_id(region_id);
      error_.set_message(fmt::format("region {} not found", region_id));
      return;
    }
    if (region_->leader_store_id != store_id) {
      auto* not_leader = error_.mutable_not_leader();
      not_leader->set_region_id(region_id);
      if (const auto* leader = region_->peer_on(region_->leader_store_id)) {
        *not_leader->mutable_leader() = *leader;
      }
      error_.set_message(fmt::format("peer is not leader for region {}", region_id));
      release();
      return;
    }
    const auto& current = region_->meta.region_epoch();
    if (context.region_epoch().version() != current.version()) {
      error_.set_message(fmt::format(
          "current epoch of region {} is conf_ver: {} version: {}, but you sent conf_ver: {} version: {}",
          region_id, current.conf_ver(), current.version(), context.region_epoch().conf_ver(),
          context.region_epoch().version()));
      release();
      // The table's lock comes before a region's: gather siblings unlocked.
      auto* epoch = error_.mutable_epoch_not_match();
      for (auto& region : handler.table_.current_regions_near(region_id)) {
        *epoch->add_current_regions() = std::move(region);
      }
      return;
    }
    admitted_ = true;
  }

  ~Admission() {
    if (!admitted_) return;
    const bool oversized = handler_.options_.split_keys != 0 && !region_->split_scheduled &&
                           region_->data.size() > handler_.options_.split_keys &&
                           handler_.options_.request_split;
    if (oversized) region_->split_scheduled = true;
    const uint64_t id = region_->meta.id();
    lock_.unlock();
    if (oversized) handler_.options_.request_split(id);
  }

  Admission(const Admission&) = delete;
  Admission& operator=(const Admission&) = delete;

  bool ok() const { return admitted_; }
  Region& region() { return *region_; }
  errorpb::Error& error() { return error_; }

  // Fails the admission with KeyNotInRegion unless `key` lies in the region;
  // with `inclusive_end`, the region's end key itself is accepted (scan seeks).
  bool check_key(std::string_view key, bool inclusive_end = false) {
    const auto& meta = region_->meta;
    const bool inside = key >= meta.start_key() &&
                        (meta.end_key().empty() || key < meta.end_key() ||
                         (inclusive_end && key == meta.end_key()));
    if (inside) return true;
    fail_key_not_in_region(key);
    return false;
  }

  void fail_key_not_in_region(std::string_view key) {
    const auto& meta = region_->meta;
    auto* not_in = error_.mutable_key_not_in_region();
    not_in->set_key(std::string(key));
    not_in->set_region_id(meta.id());
    not_in->set_start_key(meta.start_key());
    not_in->set_end_key(meta.end_key());
    error_.set_message(fmt::format("key is not in region {}", meta.id()));
    admitted_ = false;
    release();
  }

 private:
  void release() {
    lock_.unlock();
  }

  RawHandler& handler_;
  std::shared_ptr<Region> region_;
  std::unique_lock<std::mutex> lock_;
  errorpb::Error error_;
  bool admitted_ = false;
};

RawHandler::RawHandler(RegionTable& table, RawHandlerOptions options)
    : table_(table), options_(std::move(options)) {}

std::string RawHandler::version_error(const kvrpcpb::Context& context) const {
  const bool v2_storage = options_.api_version == kvrpcpb::V2;
  const bool v2_request = context.api_version() == kvrpcpb::V2;
  if (v2_storage == v2_request) return {};
  // The error TiKV gives a request whose API version its storage does not use.
  return fmt::format("ApiVersionNotMatched: storage_api_version {}, req_api_version {}",
                     kvrpcpb::APIVersion_Name(options_.api_version), kvrpcpb::APIVersion_Name(context.api_version()));
}

std::string RawHandler::key_mode_error(std::string_view key) const {
  if (options_.api_version != kvrpcpb::V2 || key.starts_with('r')) return {};
  return fmt::format("InvalidKeyMode: key {} is not in the raw keyspace", escape_key(key));
}

std::string RawHandler::storage_key(std::string_view key) const {
  if (options_.api_version != kvrpcpb::V2 || key.empty()) return std::string(key);
  return encode_memcomparable(key);
}

std::string RawHandler::user_key(std::string_view stored) const {
  if (options_.api_version != kvrpcpb::V2 || stored.empty()) return std::string(stored);
  auto decoded = decode_memcomparable(stored);
  return decoded ? *decoded : std::string(stored);
}

// Each operation: refuse what this API version cannot serve, admit the
// request to its region, check its keys (as stored), then act.

void RawHandler::get(uint64_t store_id, const kvrpcpb::RawGetRequest& request,
                     kvrpcpb::RawGetResponse* response) {
  if (auto error = version_error(request.context()); !error.empty()) return response->set_error(error);
  if (!is_default_cf(request.cf())) return response->set_error(std::string(kOnlyDefaultCf));
  if (auto error = key_mode_error(request.key()); !error.empty()) return response->set_error(error);
  const std::string key = storage_key(request.key());
  Admission admission(*this, store_id, request.context());
  if (!admission.ok() || !admission.check_key(key)) {
    return response->mutable_region_error()->Swap(&admission.error());
  }
  const auto& data = admission.region().data;
  if (auto it = data.find(key); it != data.end()) {
    response->set_value(it->second);
  } else {
    response->set_not_found(true);
  }
}

void RawHandler::batch_get(uint64_t store_id, const kvrpcpb::RawBatchGetRequest& request,
                           kvrpcpb::RawBatchGetResponse* response) {
  if (auto error = version_error(request.context()); !error.empty()) {
    return set_abort(response->mutable_pairs(), std::move(error));
  }
  if (!is_default_cf(request.cf())) return set_abort(response->mutable_pairs(), std::string(kOnlyDefaultCf));
  std::vector<std::string> keys;
  for (const auto& key : request.keys()) {
    if (auto error = key_mode_error(key); !error.empty()) return set_abort(response->mutable_pairs(), error);
    keys.push_back(storage_key(key));
  }
  Admission admission(*this, store_id, request.context());
  for (const auto& key : keys) {
    if (!admission.ok() || !admission.check_key(key)) break;
  }
  if (!admission.ok()) return response->mutable_region_error()->Swap(&admission.error());
  // Missing keys are left out; found ones keep the request's order.
  const auto& data = admission.region().data;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (auto it = data.find(keys[i]); it != data.end()) {
      auto* pair = response->add_pairs();
      pair->set_key(request.keys(static_cast<int>(i)));
      pair->set_value(it->second);
    }
  }
}

void RawHandler::put(uint64_t store_id, const kvrpcpb::RawPutRequest& request,
                     kvrpcpb::RawPutResponse* response) {
  if (auto error = version_error(request.context()); !error.empty()) return response->set_error(error);
  if (!is_default_cf(request.cf())) return response->set_error(std::string(kOnlyDefaultCf));
  if (auto error = key_mode_error(request.key()); !error.empty()) return response->set_error(error);
  std::string key = storage_key(request.key());
  Admission admission(*this, store_id, request.context());
  if (!admission.ok() || !admission.check_key(key)) {
    return response->mutable_region_error()->Swap(&admission.error());
  }
  admission.region().data.insert_or_assign(std::move(key), request.value());
}

void RawHandler::batch_put(uint64_t store_id, const kvrpcpb::RawBatchPutRequest& request,
                           kvrpcpb::RawBatchPutResponse* response) {
  if (auto error = version_error(request.context()); !error.empty()) return response->set_error(error);
  if (!is_default_cf(request.cf())) return response->set_error(std::string(kOnlyDefaultCf));
  if (request.ttls_size() > 1 && request.ttls_size() != request.pairs_size()) {
    return response->set_error("the number of ttls must be one or equal to the number of pairs");
  }
  std::vector<std::string> keys;
  for (const auto& pair : request.pairs()) {
    if (auto error = key_mode_error(pair.key()); !error.empty()) return response->set_error(error);
    keys.push_back(storage_key(pair.key()));
  }
  Admission admission(*this, store_id, request.context());
  for (const auto& key : keys) {
    if (!admission.ok() || !admission.check_key(key)) break;
  }
  if (!admission.ok()) return response->mutable_region_error()->Swap(&admission.error());
  auto& data = admission.region().data;
  for (size_t i = 0; i < keys.size(); ++i) {
    data.insert_or_assign(std::move(keys[i]), request.pairs(static_cast<int>(i)).value());
  }
}

void RawHandler::del(uint64_t store_id, const kvrpcpb::RawDeleteRequest& request,
                     kvrpcpb::RawDeleteResponse* response) {
  if (auto error = version_error(request.context()); !error.empty()) return response->set_error(error);
  if (!is_default_cf(request.cf())) return response->set_error(std::string(kOnlyDefaultCf));
  if (auto error = key_mode_error(request.key()); !error.empty()) return response->set_error(error);
  const std::string key = storage_key(request.key());
  Admission admission(*this, store_id, request.context());
  if (!admission.ok() || !admission.check_key(key)) {
    return response->mutable_region_error()->Swap(&admission.error());
  }
  admission.region().data.erase(key);
}

void RawHandler::batch_delete(uint64_t store_id, const kvrpcpb::RawBatchDeleteRequest& request,
                              kvrpcpb::RawBatchDeleteResponse* response) {
  if (auto error = version_error(request.context()); !error.empty()) return response->set_error(error);
  if (!is_default_cf(request.cf())) return response->set_error(std::string(kOnlyDefaultCf));
  std::vector<std::string> keys;
  for (const auto& key : request.keys()) {
    if (auto error = key_mode_error(key); !error.empty()) return response->set_error(error);
    keys.push_back(storage_key(key));
  }
  Admission admission(*this, store_id, request.context());
  for (const auto& key : keys) {
    if (!admission.ok() || !admission.check_key(key)) break;
  }
  if (!admission.ok()) return response->mutable_region_error()->Swap(&admission.error());
  auto& data = admission.region().data;
  for (const auto& key : keys) data.erase(key);
}

void RawHandler::scan(uint64_t store_id, const kvrpcpb::RawScanRequest& request,
                      kvrpcpb::RawScanResponse* response) {
  if (auto error = version_error(request.context()); !error.empty()) {
    return set_abort(response->mutable_kvs(), std::move(error));
  }
  if (!is_default_cf(request.cf())) return set_abort(response->mutable_kvs(), std::string(kOnlyDefaultCf));
  const std::string start = storage_key(request.start_key());
  const std::string end = storage_key(request.end_key());
  const bool inverted = request.reverse() ? start <= end : start >= end;
  if (!end.empty() && inverted) {
    return set_abort(response->mutable_kvs(),
                     fmt::format("invalid range: start_key must be {} end_key",
                                 request.reverse() ? "above" : "below"));
  }
  Admission admission(*this, store_id, request.context());
  if (!admission.ok()) return response->mutable_region_error()->Swap(&admission.error());
  // A seek may land on the region's end key (TiKV checks seeks inclusively).
  // An empty start key is the smallest key, in reverse too, as TiKV reads it.
  admission.check_key(start, /*inclusive_end=*/true);
  if (!admission.ok()) return response->mutable_region_error()->Swap(&admission.error());
  if (request.limit() == 0 || (request.reverse() && start.empty())) return;

  const auto& data = admission.region().data;
  auto emit = [&](const auto& entry) {
    auto* pair = response->add_kvs();
    pair->set_key(user_key(entry.first));
    if (!request.key_only()) pair->set_value(entry.second);
    return static_cast<uint32_t>(response->kvs_size()) < request.limit();
  };
  if (!request.reverse()) {
    // [start, end) clamped to the region: data holds only the region's keys.
    for (auto it = data.lower_bound(start); it != data.end(); ++it) {
      if (!end.empty() && it->first >= end) break;
      if (!emit(*it)) break;
    }
  } else {
    // [end, start) in descending order.
    auto it = data.lower_bound(start);
    while (it != data.begin()) {
      --it;
      if (it->first < end) break;
      if (!emit(*it)) break;
    }
  }
}

void RawHandler::delete_range(uint64_t store_id, const kvrpcpb::RawDeleteRangeRequest& request,
                              kvrpcpb::RawDeleteRangeResponse* response) {
  if (auto error = version_error(request.context()); !error.empty()) return response->set_error(error);
  if (!is_default_cf(request.cf())) return response->set_error(std::string(kOnlyDefaultCf));
  const std::string start = storage_key(request.start_key());
  const std::string end = storage_key(request.end_key());
  if (!end.empty() && start >= end) return response->set_error("invalid delete range command");
  Admission admission(*this, store_id, request.context());
  if (!admission.ok() || !admission.check_key(start)) {
    return response->mutable_region_error()->Swap(&admission.error());
  }
  const std::string& region_end = admission.region().meta.end_key();
  if (!region_end.empty() && (end.empty() || end > region_end)) {
    admission.fail_key_not_in_region(end);
    return response->mutable_region_error()->Swap(&admission.error());
  }
  auto& data = admission.region().data;
  data.erase(data.lower_bound(start), end.empty() ? data.end() : data.lower_bound(end));
}

}  // namespace tikvbench::mock
