// From what the user typed to an Image: a docker save tarball, oci:DIR[:TAG], or a name the
// local daemon knows (Engine API on DOCKER_HOST's unix socket).
#pragma once

#include <string>

#include "docker/image.hpp"
#include "docker/registry.hpp"

namespace pkgsizer::docker {

struct SourceOptions {
  ReadOptions read;
  std::string docker_host;  // DOCKER_HOST; "" means unix:///var/run/docker.sock
  RegistryOptions registry;
};

// True when `reference` names an image rather than a scan or environment: "oci:...",
// "docker://...", "registry://...", "docker-daemon:...", or an existing file whose first bytes
// are a tar (for compare and check-budget).
bool looks_like_image(const std::string& reference);

Image open_image(const std::string& reference, const SourceOptions& options);

}  // namespace pkgsizer::docker
