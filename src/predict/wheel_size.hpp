// The installed size of a wheel that is not installed: a wheel is a zip (PEP 427), and its
// central directory, at the end of the file, lists every member's uncompressed size. For a
// remote wheel that costs one Range request for the tail (two when the directory is larger
// than the first guess), not the download; results are cached by URL and size.
//
// Installed bytes are the sum over every member, .dist-info (RECORD included) and
// NAME-VER.data/ alike: pip unpacks them all, the .data/ subdirectories only land elsewhere
// (scripts/ in bin/, data/ in the prefix). What pip adds on its own — INSTALLER, REQUESTED,
// direct_url.json, a rewritten RECORD, console-script wrappers, bytecode — is not in the wheel
// and not counted here (the bytecode estimate works from `members`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "predict/http_client.hpp"
#include "predict/zip_central_directory.hpp"

namespace pkgsizer::predict {

class IndexCache;

struct MemberTotals {
  std::uint64_t installed_bytes = 0;   // sum of uncompressed sizes
  std::uint64_t compressed_bytes = 0;  // sum of compressed sizes (no zip headers)
  std::uint64_t file_count = 0;        // members that are files
  std::uint64_t directory_count = 0;   // explicit directory entries (names ending in '/')
};

// Pure: the totals of a member list.
MemberTotals total_members(const std::vector<ZipMember>& members);

struct WheelSize {
  std::string url;
  std::uint64_t download_bytes = 0;  // the wheel file's size
  MemberTotals totals;
  std::vector<ZipMember> members;  // every member, in central directory order
  bool from_cache = false;
  RangeMethod method = RangeMethod::kSuffix;  // how the tail was read (from_cache: unset)
  std::uint64_t transferred_bytes = 0;        // body bytes received to learn this
  int requests = 0;
  std::vector<std::string> notes;  // fallbacks taken, size disagreements, for --verbose
};

struct WheelSizeRequest {
  std::string url;
  std::optional<std::uint64_t> size;  // the index's PEP 700 size, when it gave one
};

struct WheelSizeResult {
  bool ok = false;
  WheelSize wheel;
  std::string error;  // names the URL: HTTP status, "not a zip file", ...
};

struct WheelSizeOptions {
  // The first request asks for this much of the end. 64 KiB holds the central directory of a
  // wheel of ~700 files; larger ones take a second request for exactly what is missing.
  std::uint64_t initial_tail_bytes = 64 * 1024;
};

// Measures the wheels concurrently (one batch of tail requests, then one batch for those whose
// directory did not fit). `cache` may be null; in CacheMode::kOffline a wheel not in it is an
// error and nothing is fetched.
std::vector<WheelSizeResult> measure_wheels(HttpClient& http,
                                            const std::vector<WheelSizeRequest>& wheels,
                                            IndexCache* cache = nullptr,
                                            const WheelSizeOptions& options = {});
WheelSizeResult measure_wheel(HttpClient& http, const WheelSizeRequest& wheel,
                              IndexCache* cache = nullptr, const WheelSizeOptions& options = {});

// A wheel on disk (`name @ file:///...`, --find-links directories): reads only its tail too.
WheelSizeResult measure_local_wheel(const std::string& path, const WheelSizeOptions& options = {});

}  // namespace pkgsizer::predict
