// A container image as pkgsizer docker reads it: its layers in order, each summarized once
// (docker/layer_reader.hpp), with the history lines that made them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "docker/file_hasher.hpp"
#include "docker/layer_reader.hpp"

namespace pkgsizer::docker {

struct ImageLayer {
  Layer contents;
  std::string created_by;  // the history entry's command ("" when the config has none)
  std::string diff_id;     // "sha256:<hex>" of the uncompressed tar, from the config
  std::string media_type;  // from the manifest ("" in a legacy docker save)
};

struct Image {
  std::string reference;  // as given on the command line
  std::string source;     // "docker-save", "docker-save-oci", "oci-layout", "daemon", "registry"
  std::string config_digest;
  std::string os, architecture, variant;
  std::vector<std::string> tags;
  std::vector<ImageLayer> layers;
  // Digests of layers still being hashed from their files when the image was opened (their
  // Layer::digest is empty): analyse_image() waits for them and checks them after its analysis.
  std::shared_ptr<const PendingDigests> pending_digests;
};

struct ReadOptions {
  std::string platform;  // "linux/arm64" for a multi-platform index; "" means this host's
  LayerLimits limits;
};

// `pkgsizer docker image.tar`: a `docker save` tarball, in the legacy layout (manifest.json,
// <id>/layer.tar, symlinks to <diffid>.tar) or the OCI layout Docker 25 writes (index.json,
// blobs/sha256/...). Read in one pass: layers are summarized as they come, keyed by path, and
// put in order when the manifest (which comes last) is read.
Image read_docker_archive(const std::string& path, const std::string& tag,
                          const ReadOptions& options);

// The same from a stream (the daemon's /images/{name}/get).
Image read_docker_archive_stream(const ChunkSource& source, const std::string& name,
                                 const std::string& tag, const ReadOptions& options);

// `pkgsizer docker oci:DIR[:TAG]`: an OCI image-layout directory.
Image read_oci_layout(const std::string& directory, const std::string& tag,
                      const ReadOptions& options);

// "linux/amd64" for this machine (Go's GOOS/GOARCH names, as OCI platforms use them).
std::string host_platform();

}  // namespace pkgsizer::docker
