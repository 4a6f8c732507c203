// The OCI image spec's documents, wherever they come from (a docker save tarball, an
// image-layout directory, a registry): image indexes (nested, per platform), manifests,
// configs, and the digests that name every blob. Internal to the docker module.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "docker/image.hpp"

namespace pkgsizer::docker {

using Json = nlohmann::json;

// How manifests and blobs are found. Each function returns content already verified against
// its digest; `manifest` is for image manifests and indexes (a registry serves them apart from
// blobs), and falls back to `json` when empty.
struct BlobAccess {
  std::function<std::string(const std::string& digest)> json;
  std::function<std::string(const std::string& digest)> manifest;
  // The layer `digest`, the image's layer number `index` (from 0, in the manifest's order).
  std::function<Layer(const std::string& digest, std::size_t index)> layer;
};

struct Platform {
  std::string os, architecture, variant;
};

[[noreturn]] void bad_input(const std::string& message);  // Error(kEnvironment)
Json parse_json(const std::string& text, const std::string& name);
std::string string_field(const Json& object, const char* key);
bool is_index_media_type(const std::string& type);
void check_digest(const std::string& expected, const std::string& actual, const std::string& name);
Platform wanted_platform(const ReadOptions& options);

// The image manifest of `index` for `platform` (and, at the top, the descriptor annotated
// `tag`), descending nested indexes. Throws Error(kNotFound) naming the platforms there are.
Json choose_manifest(const Json& index, const BlobAccess& blobs, const std::string& tag,
                     const Platform& platform);

// The image a manifest describes: its config, then its layers, each read once.
Image resolve_manifest(const Json& manifest, const BlobAccess& blobs);

}  // namespace pkgsizer::docker
