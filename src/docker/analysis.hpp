// What an image's layers did: per layer its files and bytes, the Python distributions it added,
// upgraded or removed, and the bytes later layers hid (still shipped: waste). The final image's
// distributions come out as a Scan (model/model.hpp), read with scan-env's metadata code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docker/image.hpp"
#include "model/model.hpp"

namespace pkgsizer::docker {

// What a layer did to a distribution: a closed set, written in JSON as to_string gives it.
enum class LayerChangeKind { kAdded, kUpgraded, kDowngraded, kReinstalled, kRemoved };

std::string_view to_string(LayerChangeKind kind);  // "added", "upgraded", ...
std::optional<LayerChangeKind> layer_change_kind_from_string(std::string_view text);

// Between the version a lower layer had and the one this layer installs: kUpgraded, kDowngraded
// or kReinstalled (equal under PEP 440; a version that does not parse compares as text).
LayerChangeKind version_change_kind(std::string_view previous, std::string_view current);

struct DistributionChange {
  LayerChangeKind kind = LayerChangeKind::kAdded;
  std::string name;  // normalized (PEP 503)
  std::string version;
  std::string previous_version;
  std::string site_packages;       // "/usr/local/lib/python3.11/site-packages"
  std::uint64_t bytes = 0;         // the layer's files of the new version
  std::uint64_t hidden_bytes = 0;  // the previous version's files it deleted or overwrote
};

struct FileGroup {
  std::string directory;  // "/usr/lib/x86_64-linux-gnu", "/root/.cache/pip"
  std::uint64_t bytes = 0;
  std::uint64_t files = 0;
};

struct LayerAnalysis {
  std::size_t index = 0;
  std::string created_by;
  std::string dockerfile;  // "Dockerfile:12: RUN pip install ..." with --dockerfile
  std::string digest, diff_id, media_type, compression;
  std::uint64_t stored_bytes = 0, uncompressed_bytes = 0;
  std::uint64_t files_added = 0, files_changed = 0, files_deleted = 0;
  std::uint64_t bytes = 0;         // its regular files' sizes
  std::uint64_t final_bytes = 0;   // of those, what the final image still shows
  std::uint64_t wasted_bytes = 0;  // of those, what later layers deleted or overwrote
  std::uint64_t hidden_bytes = 0;  // lower layers' bytes this layer deleted or overwrote
  std::vector<DistributionChange> changes;
  std::vector<FileGroup> other_files;  // its final files outside any distribution, by directory
};

struct DistributionWaste {
  std::string name, version;
  std::size_t layer = 0;  // the layer that hid them
  std::uint64_t bytes = 0;
};

struct ImageAnalysis {
  std::string reference, source, platform;
  std::vector<std::string> tags;
  std::vector<LayerAnalysis> layers;
  Scan scan;                                    // the final image's distributions
  std::vector<std::size_t> distribution_layer;  // per scan.distributions[i]: where its metadata is
  std::uint64_t total_bytes = 0;                // every layer's files, as shipped
  std::uint64_t final_bytes = 0;                // the final filesystem's files
  std::uint64_t wasted_bytes = 0;               // total_bytes - final_bytes
  double efficiency = 1.0;                      // 1 - wasted/total (dive's score)
  std::vector<FileGroup> other_files;  // final files outside any distribution, by directory
  std::vector<DistributionWaste> waste_by_distribution;
};

ImageAnalysis analyse_image(const Image& image);

// Where a path outside any distribution is grouped: its first two directories, except that a
// pip cache (".../.cache/pip/...") is named as such. "/usr/lib/x86_64-linux-gnu/libz.so" ->
// "/usr/lib"... Pure; unit-tested.
std::string file_group(std::string_view path);

}  // namespace pkgsizer::docker
