#include "predict/wheel_size.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "predict/index_cache.hpp"
#include "predict/simple_index.hpp"
#include "util/checked.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::predict {
namespace {

// Each round either completes a wheel or asks for what read_zip_tail says is missing; a zip
// needs at most three (end record, ZIP64 records, directory) even from a tiny first tail.
constexpr int kMaxRounds = 4;

// One wheel being measured: the bytes of its end gathered so far.
struct Measurement {
  WheelSizeRequest request;
  WheelSizeResult result;
  std::string tail;  // the last tail.size() bytes of the file
  std::uint64_t file_size = 0;
  bool done = false;

  void fail(std::string message) {
    result.ok = false;
    result.error = std::move(message);
    done = true;
  }

  void account(const RangeFetch& fetch) {
    result.wheel.transferred_bytes += fetch.transferred_bytes;
    result.wheel.requests += fetch.requests;
    result.wheel.notes.insert(result.wheel.notes.end(), fetch.notes.begin(), fetch.notes.end());
  }

  // Reads what there is; true when more bytes are needed (range set in missing_*).
  bool read(std::uint64_t& missing_offset, std::uint64_t& missing_bytes) {
    try {
      ZipTailRead read = read_zip_tail(tail, file_size);
      if (!read.complete) {
        missing_offset = read.missing_offset;
        missing_bytes = read.missing_bytes;
        return true;
      }
      result.ok = true;
      result.wheel.members = std::move(read.members);
      result.wheel.totals = total_members(result.wheel.members);
      result.wheel.download_bytes = file_size;
      done = true;
    } catch (const ZipFormatError& error) {
      fail(
          fmt::format("{}: not a readable wheel (zip): {}", redact_url(request.url), error.what()));
    }
    return false;
  }
};

}  // namespace

MemberTotals total_members(const std::vector<ZipMember>& members) {
  MemberTotals totals;
  // The sizes are the zip's own word: two ZIP64 members of 2^63 bytes must not add up to 0.
  for (const ZipMember& member : members) {
    const std::optional<std::uint64_t> installed =
        checked_add(totals.installed_bytes, member.uncompressed_size);
    const std::optional<std::uint64_t> compressed =
        checked_add(totals.compressed_bytes, member.compressed_size);
    if (!installed || !compressed)
      throw ZipFormatError(fmt::format(
          "member sizes add up to more than 2^64 bytes (at {}): not a real wheel", member.name));
    totals.installed_bytes = *installed;
    totals.compressed_bytes = *compressed;
    if (!member.name.empty() && member.name.back() == '/')
      ++totals.directory_count;
    else
      ++totals.file_count;
  }
  return totals;
}

std::vector<WheelSizeResult> measure_wheels(HttpClient& http,
                                            const std::vector<WheelSizeRequest>& wheels,
                                            IndexCache* cache, const WheelSizeOptions& options) {
  std::vector<Measurement> jobs(wheels.size());
  std::vector<TailRequest> tails;
  std::vector<std::size_t> tailed;
  const bool offline = cache && cache->mode() == CacheMode::kOffline;
  for (std::size_t i = 0; i < wheels.size(); ++i) {
    Measurement& job = jobs[i];
    job.request = wheels[i];
    job.result.wheel.url = wheels[i].url;
    if (const std::optional<std::string> path = local_file_path(wheels[i].url)) {
      job.result = measure_local_wheel(*path, options);  // --find-links directories
      job.result.wheel.url = wheels[i].url;
      job.done = true;
      continue;
    }
    // The cache knows a file by URL and size; an index that gives no size (api-version 1.0, the
    // HTML form) still names one file for good when its URL carries the file's hash.
    std::optional<std::uint64_t> size = wheels[i].size;
    if (cache && !size) size = cache->size_of_hashed_url(wheels[i].url);
    if (cache && size) {
      if (std::optional<std::vector<ZipMember>> members =
              cache->lookup_members(wheels[i].url, *size)) {
        job.done = true;
        try {
          job.result.wheel.totals = total_members(*members);
        } catch (const ZipFormatError& error) {
          job.fail(
              fmt::format("{}: cached file list: {}", redact_url(wheels[i].url), error.what()));
          continue;
        }
        job.result.ok = true;
        job.result.wheel.from_cache = true;
        job.result.wheel.download_bytes = *size;
        job.result.wheel.members = std::move(*members);
        continue;
      }
    }
    if (offline) {
      job.fail(
          fmt::format("{}: its size is not in the HTTP cache, and the network is off (--offline)",
                      redact_url(wheels[i].url)));
      continue;
    }
    std::uint64_t bytes = std::max<std::uint64_t>(options.initial_tail_bytes, 22);
    if (wheels[i].size) bytes = std::min(bytes, *wheels[i].size);
    tails.push_back(TailRequest{wheels[i].url, bytes, wheels[i].size});
    tailed.push_back(i);
  }

  // Round 1: the tails. Then, for those whose directory began before the tail, the rest.
  std::vector<std::pair<std::size_t, RangeRequest>> more;
  std::vector<RangeFetch> fetched =
      tails.empty() ? std::vector<RangeFetch>{} : http.fetch_tails(tails);
  for (std::size_t k = 0; k < tailed.size(); ++k) {
    Measurement& job = jobs[tailed[k]];
    RangeFetch& fetch = fetched[k];
    job.account(fetch);
    job.result.wheel.method = fetch.method;
    if (!fetch.ok) {
      job.fail(fetch.error);
      continue;
    }
    if (!fetch.file_size || fetch.offset + fetch.bytes.size() != *fetch.file_size) {
      job.fail(fmt::format("{}: the server did not say how large the file is",
                           redact_url(job.request.url)));
      continue;
    }
    job.file_size = *fetch.file_size;
    if (job.request.size && *job.request.size != job.file_size)
      job.result.wheel.notes.push_back(
          fmt::format("the index says {} bytes, the server has {}: using the server's",
                      *job.request.size, job.file_size));
    job.tail = std::move(fetch.bytes);
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    if (job.read(offset, length))
      more.emplace_back(tailed[k],
                        RangeRequest{job.request.url, offset, offset + length - 1, job.file_size});
  }
  for (int round = 2; !more.empty(); ++round) {
    std::vector<RangeRequest> ranges;
    ranges.reserve(more.size());
    for (const auto& [index, range] : more) ranges.push_back(range);
    std::vector<RangeFetch> pieces = http.fetch_ranges(ranges);
    std::vector<std::pair<std::size_t, RangeRequest>> next;
    for (std::size_t k = 0; k < more.size(); ++k) {
      Measurement& job = jobs[more[k].first];
      RangeFetch& piece = pieces[k];
      job.account(piece);
      if (piece.method == RangeMethod::kFullDownload)
        job.result.wheel.method = RangeMethod::kFullDownload;
      if (!piece.ok) {
        job.fail(piece.error);
        continue;
      }
      if (piece.bytes.size() != more[k].second.last - more[k].second.first + 1) {
        job.fail(fmt::format("{}: asked for bytes {}-{}, got {} bytes", redact_url(job.request.url),
                             more[k].second.first, more[k].second.last, piece.bytes.size()));
        continue;
      }
      piece.bytes += job.tail;
      job.tail = std::move(piece.bytes);
      std::uint64_t offset = 0;
      std::uint64_t length = 0;
      if (!job.read(offset, length)) continue;
      if (round >= kMaxRounds) {
        job.fail(fmt::format("{}: the zip's end records keep pointing further back",
                             redact_url(job.request.url)));
        continue;
      }
      next.emplace_back(more[k].first,
                        RangeRequest{job.request.url, offset, offset + length - 1, job.file_size});
    }
    more = std::move(next);
  }

  std::vector<WheelSizeResult> results;
  results.reserve(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    Measurement& job = jobs[i];
    if (cache && job.result.ok && !job.result.wheel.from_cache)
      cache->store_members(job.request.url, job.result.wheel.download_bytes,
                           job.result.wheel.members);
    results.push_back(std::move(job.result));
  }
  return results;
}

WheelSizeResult measure_wheel(HttpClient& http, const WheelSizeRequest& wheel, IndexCache* cache,
                              const WheelSizeOptions& options) {
  return std::move(measure_wheels(http, {wheel}, cache, options).front());
}

WheelSizeResult measure_local_wheel(const std::string& path, const WheelSizeOptions& options) {
  WheelSizeResult result;
  result.wheel.url = path;
  std::uint64_t file_size = 0;
  std::string open_error;
  const FileDescriptor file(open_regular_file(path, file_size, &open_error));
  if (file.get() < 0) {
    result.error = fmt::format("{}: cannot open: {}", path, open_error);
    return result;
  }
  auto read_bytes = [&](std::uint64_t offset, std::uint64_t length) {
    std::string bytes = read_file_range(file.get(), offset, length);
    if (bytes.size() != length) throw Error(ErrorCategory::kEnvironment, "short read");
    return bytes;
  };
  try {
    const std::uint64_t first =
        std::min(file_size, std::max<std::uint64_t>(options.initial_tail_bytes, 22));
    std::string tail = read_bytes(file_size - first, first);
    for (int round = 1;; ++round) {
      ZipTailRead read = read_zip_tail(tail, file_size);
      if (read.complete) {
        result.ok = true;
        result.wheel.download_bytes = file_size;
        result.wheel.members = std::move(read.members);
        result.wheel.totals = total_members(result.wheel.members);
        return result;
      }
      if (round >= kMaxRounds) throw ZipFormatError("the end records keep pointing further back");
      tail = read_bytes(read.missing_offset, read.missing_bytes) + tail;
    }
  } catch (const ZipFormatError& error) {
    result.error = fmt::format("{}: not a readable wheel (zip): {}", path, error.what());
  } catch (const Error& error) {
    result.error = fmt::format("{}: cannot read: {}", path, error.what());
  }
  return result;
}

}  // namespace pkgsizer::predict
