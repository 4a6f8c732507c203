#include "predict/wheel_metadata.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "predict/index_cache.hpp"
#include "predict/zip_member.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::predict {
namespace {

// Room for the local header's file name and extra field, which may differ from the central
// directory's: usually a few bytes of timestamps. A longer one costs a second request.
constexpr std::uint64_t kLocalExtraAllowance = 256;

struct Job {
  std::size_t file = 0;  // index into the files asked about
  const ZipMember* member = nullptr;
  std::uint64_t file_size = 0;
};

RangeRequest range_for(const std::string& url, const Job& job, std::uint64_t length) {
  const std::uint64_t first = job.member->local_header_offset;
  const std::uint64_t last = std::min(job.file_size, first + length) - 1;
  return {url, first, last, job.file_size};
}

// A METADATA is text of a few KiB (a long README makes it a few hundred): one that says it is
// larger than kMaxMetadataFileBytes, packed or unpacked, is a zip bomb or a lie, and is not read
// (a 4 MB wheel inflating to 4 GB ran out of memory).
void check_metadata_member_size(const ZipMember& member) {
  if (member.compressed_size > kMaxMetadataFileBytes ||
      member.uncompressed_size > kMaxMetadataFileBytes)
    throw ZipFormatError(
        fmt::format("{}: {} bytes ({} packed), more than the {} MiB a METADATA "
                    "may hold (docs/security.md)",
                    member.name, member.uncompressed_size, member.compressed_size,
                    kMaxMetadataFileBytes / kMebibyte));
}

// A wheel on disk (--find-links): the member read straight from the file.
std::string read_local_member(const std::string& path, const ZipMember& member) {
  std::uint64_t file_size = 0;
  std::string open_error;
  const FileDescriptor file(open_regular_file(path, file_size, &open_error));
  if (file.get() < 0)
    throw Error(ErrorCategory::kEnvironment, fmt::format("{}: {}", path, open_error));
  const std::string header =
      read_file_range(file.get(), member.local_header_offset, kLocalHeaderFixedSize);
  const std::uint64_t data = local_data_offset(header, member);
  const std::string bytes =
      read_file_range(file.get(), member.local_header_offset + data, member.compressed_size);
  return extract_member(bytes, member, kMaxMetadataFileBytes);
}

}  // namespace

const ZipMember* metadata_member(const std::vector<ZipMember>& members) {
  for (const ZipMember& member : members) {
    const std::string_view name = member.name;
    const std::size_t slash = name.find('/');
    if (slash != std::string_view::npos && name.substr(0, slash).ends_with(".dist-info") &&
        name.substr(slash + 1) == "METADATA")
      return &member;
  }
  return nullptr;
}

std::vector<MetadataLookup> wheel_core_metadata(HttpClient& http,
                                                const std::vector<DistributionFile>& files,
                                                IndexCache* cache,
                                                std::map<std::string, WheelSize>* measured_out) {
  std::vector<MetadataLookup> results(files.size());
  if (files.empty()) return results;
  std::vector<WheelSizeRequest> requests;
  requests.reserve(files.size());
  for (const DistributionFile& file : files) requests.push_back({file.url, file.size});
  // The directories are read (and cached) as for the wheels' sizes, and handed back for them.
  const std::vector<WheelSizeResult> measured = measure_wheels(http, requests, cache);
  if (measured_out)
    for (const WheelSizeResult& result : measured)
      if (result.ok) measured_out->emplace(result.wheel.url, result.wheel);
  std::vector<Job> jobs;
  std::vector<RangeRequest> ranges;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!measured[i].ok) {
      results[i].error = measured[i].error;
      continue;
    }
    const ZipMember* member = metadata_member(measured[i].wheel.members);
    if (!member) {
      results[i].error =
          fmt::format("{}: the wheel has no .dist-info/METADATA", redact_url(files[i].url));
      continue;
    }
    try {
      check_metadata_member_size(*member);
    } catch (const ZipFormatError& error) {
      results[i].error = fmt::format("{}: {}", redact_url(files[i].url), error.what());
      continue;
    }
    if (const std::optional<std::string> path = local_file_path(files[i].url)) {
      try {
        results[i].text = read_local_member(*path, *member);
        results[i].ok = true;
      } catch (const Error& error) {  // ZipFormatError, or the read failed
        results[i].error = fmt::format("{}: {}", *path, error.what());
      }
      continue;
    }
    const std::uint64_t file_size = measured[i].wheel.download_bytes;
    if (cache)
      if (std::optional<std::string> text = cache->lookup_metadata(files[i].url, file_size)) {
        results[i].text = std::move(*text);
        results[i].ok = true;
        continue;
      }
    jobs.push_back({i, member, file_size});
    ranges.push_back(range_for(files[i].url, jobs.back(),
                               kLocalHeaderFixedSize + member->name.size() + kLocalExtraAllowance +
                                   member->compressed_size));
  }
  std::vector<RangeFetch> fetched = http.fetch_ranges(ranges);
  // A local extra field longer than allowed for: once more, now that its length is known.
  std::vector<std::size_t> again;
  std::vector<RangeRequest> again_ranges;
  auto finish = [&](std::size_t k, const RangeFetch& fetch) {
    const Job& job = jobs[k];
    MetadataLookup& result = results[job.file];
    const std::string where = redact_url(files[job.file].url);
    if (!fetch.ok) {
      result.error = fetch.error;
      return true;
    }
    try {
      const std::uint64_t first = job.member->local_header_offset;
      if (fetch.offset > first || fetch.offset + fetch.bytes.size() <= first)
        throw ZipFormatError(fmt::format("{}: not the bytes asked for", job.member->name));
      const std::string_view bytes = std::string_view(fetch.bytes).substr(first - fetch.offset);
      const std::uint64_t data = local_data_offset(bytes, *job.member);
      if (bytes.size() < data + job.member->compressed_size) {
        again.push_back(k);
        again_ranges.push_back(
            range_for(files[job.file].url, job, data + job.member->compressed_size));
        return false;
      }
      result.text = extract_member(bytes.substr(data, job.member->compressed_size), *job.member,
                                   kMaxMetadataFileBytes);
      result.ok = true;
      if (cache) cache->store_metadata(files[job.file].url, job.file_size, result.text);
    } catch (const ZipFormatError& error) {
      result.error = fmt::format("{}: {}", where, error.what());
    }
    return true;
  };
  for (std::size_t k = 0; k < fetched.size(); ++k) finish(k, fetched[k]);
  if (!again.empty()) {
    const std::vector<std::size_t> retried = std::move(again);
    const std::vector<RangeFetch> second = http.fetch_ranges(again_ranges);
    again.clear();
    for (std::size_t n = 0; n < retried.size(); ++n)
      if (!finish(retried[n], second[n]))
        results[jobs[retried[n]].file].error =
            fmt::format("{}: the METADATA member runs past what was read",
                        redact_url(files[jobs[retried[n]].file].url));
  }
  return results;
}

}  // namespace pkgsizer::predict
