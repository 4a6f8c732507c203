// `scan-env --show-wheel-size`: the wheel the index has for each installed distribution — the
// installed version, for the environment's Python and platform, chosen as pip would choose it
// (wheel_tags) — and that file's download size. The size comes from the project page (PEP 700
// "size"); a page without sizes (PEP 503 HTML, api-version 1.0) costs one Range request per
// wheel for its tail (wheel_size), cached by URL. Every project page is asked for at once.
//
// Nothing here fails the scan: a project the index lacks, an index that errs, or (offline) a
// page not in the HTTP cache leaves that wheel's size unknown, with a note saying why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "predict/outdated.hpp"
#include "predict/predictor.hpp"
#include "predict/simple_index.hpp"

namespace pkgsizer::predict {

struct InstalledWheel {
  std::string name;
  std::string version;
  std::string file_name;  // the wheel chosen; empty when none fits
  std::optional<std::uint64_t> download_bytes;
  std::string note;  // why download_bytes is unknown
};

struct InstalledWheels {
  std::vector<InstalledWheel> wheels;  // in the order asked
  std::vector<std::string> index_urls;
  std::size_t unknown = 0;            // wheels whose size is unknown
  std::vector<std::string> warnings;  // the HTTP cache's trouble (the work went on without it)
};

// `options.offline`: pages and sizes only from the HTTP cache (options.http_cache_path), any age.
InstalledWheels find_installed_wheels(const std::vector<InstalledRelease>& installed,
                                      const PredictOptions& options,
                                      const EnvironmentLookup& environment);

// Pure (exposed for tests): the wheel of `version` among a project page's files that pip would
// install for `priority`, or nothing (an sdist only, no such version, no wheel for the target).
std::optional<DistributionFile> wheel_of_version(const ProjectPage& page,
                                                 const std::string& version,
                                                 const TagPriority& priority);

}  // namespace pkgsizer::predict
