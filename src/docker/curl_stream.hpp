// libcurl (loaded lazily: predict/curl_api.hpp) for the daemon's socket and registries: small
// answers in memory, large bodies streamed to a pull reader (libarchive wants to pull; libcurl
// pushes), through a socket pair and a thread, never through a file.
#pragma once

#include <curl/curl.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "docker/layer_reader.hpp"

namespace pkgsizer::docker {

struct EasyDeleter {
  void operator()(CURL* easy) const;
};
using EasyPointer = std::unique_ptr<CURL, EasyDeleter>;

EasyPointer new_easy(const std::string& url, long timeout_seconds);

struct HttpAnswer {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lowercased; the last value of each
};

// Performs `easy`, keeping at most `max_bytes` of body. Throws Error(kEnvironment) naming
// `what` when the transfer fails (no connection, timeout).
HttpAnswer perform_small(CURL* easy, const std::string& what, std::size_t max_bytes);

// Performs `easy` on a thread, giving its body to `consume` as a ChunkSource. A transfer
// failure (an HTTP error status included) is reported as such even when `consume` failed first
// for want of bytes.
void perform_streamed(CURL* easy, const std::string& what,
                      const std::function<void(const ChunkSource&)>& consume);

}  // namespace pkgsizer::docker
