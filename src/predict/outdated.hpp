// `outdated`: which installed distributions have a newer version on the index, and how many
// bytes upgrading each would add or free. Asks predict() for "NAME>INSTALLED" of each with no
// dependencies: a distribution with nothing newer costs one index page and no wheel, one with
// a newer release is measured from that wheel's central directory (Range requests).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "predict/predictor.hpp"

namespace pkgsizer::predict {

struct InstalledRelease {
  std::string name;
  std::string version;
  std::uint64_t installed_bytes = 0;  // apparent bytes, as the scan measured them
};

struct Upgrade {
  std::string name;
  std::string installed_version;
  std::string latest_version;
  std::uint64_t installed_bytes = 0;
  std::optional<std::uint64_t> upgraded_bytes;  // the latest's installed size with bytecode
  std::optional<std::uint64_t> download_bytes;
  std::string chosen_file;
  std::string note;  // why the size is unknown (an sdist only)

  // upgraded - installed; unknown when the latest's size is.
  std::optional<std::int64_t> size_change() const;
};

struct OutdatedReport {
  std::vector<Upgrade> upgrades;     // largest growth first; unknown sizes last; then by name
  std::size_t checked = 0;           // distributions asked about
  std::vector<std::string> skipped;  // "name: why" (an invalid version, ...)
  std::vector<std::string> index_urls;
};

// Throws PredictError (the index unreachable, a bad option) as predict() does.
OutdatedReport find_upgrades(const std::vector<InstalledRelease>& installed,
                             const PredictOptions& options, const EnvironmentLookup& environment);

}  // namespace pkgsizer::predict
