// The Docker Engine API (also Podman's) over the daemon's unix socket, through libcurl
// (CURLOPT_UNIX_SOCKET_PATH), loaded lazily as predict does (predict/curl_api.hpp).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "docker/image.hpp"

namespace pkgsizer::docker {

// "unix:///run/docker.sock" (DOCKER_HOST) -> "/run/docker.sock"; "" -> the default socket.
// Throws pkgsizer::Error (kUsage) for a tcp:// or ssh:// host, which is not supported.
std::string socket_path_from_docker_host(const std::string& docker_host);

// Asks the daemon (GET /version to choose the API version, GET /images/{name}/json for the
// answer "no such image", then GET /images/{name}/get, a docker save tarball, streamed through
// the same reader as a file: no copy on disk).
Image read_from_daemon(const std::string& name, const std::string& docker_host,
                       const ReadOptions& options);

// The commands of GET /images/{name}/history's steps (newest first, one per build step, empty
// steps such as ENV included) that made layers, oldest first: the steps with a size when there
// are as many as layers, else every step when there are as many; nothing when neither fits
// (no guessing). read_from_daemon uses them where the config's own history is missing or short.
std::vector<std::string> layer_commands_from_history(const nlohmann::json& history,
                                                     std::size_t layer_count);

}  // namespace pkgsizer::docker
