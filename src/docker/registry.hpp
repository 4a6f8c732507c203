// The OCI distribution API (registries: Docker Hub, GHCR, a docker-registry of one's own):
// manifests asked for with the media types pkgsizer reads, image indexes, blobs streamed into
// the layer reader. Anonymous, basic auth, and the bearer-token challenge flow
// (`WWW-Authenticate: Bearer realm=...`), credentials from ~/.docker/config.json `auths`.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "docker/image.hpp"

namespace pkgsizer::docker {

struct RegistryReference {
  std::string host;        // "127.0.0.1:5000", "registry-1.docker.io"
  std::string repository;  // "library/python"
  std::string reference;   // a tag ("3.12") or a digest ("sha256:...")
};

// "registry://HOST/NAME[:TAG|@DIGEST]" or "docker://[HOST/]NAME[:TAG|@DIGEST]" (skopeo's
// spelling: without a host, Docker Hub, and "library/" before a one-part name). Nothing for
// text that is neither.
std::optional<RegistryReference> parse_registry_reference(const std::string& text);

struct RegistryOptions {
  bool plain_http = false;    // http://, not https:// (loopback hosts always use http)
  long timeout_seconds = 30;  // to connect, and the longest a transfer may stall
  std::string docker_config;  // the config.json to read credentials from ("" = the default)
};

Image read_from_registry(const RegistryReference& reference, const std::string& text,
                         const RegistryOptions& registry, const ReadOptions& options);

// "user:pass" for `host` from a config.json text (its "auths"), or nothing. Pure.
std::optional<std::string> credentials_for(const std::string& config_text, const std::string& host);

// {"realm": ..., "service": ..., "scope": ...} of a `Bearer k="v",...` challenge. Pure.
std::optional<std::map<std::string, std::string>> parse_bearer_challenge(const std::string& header);

}  // namespace pkgsizer::docker
