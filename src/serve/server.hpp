// `pkgsizer serve`: the dashboard (serve/dashboard.hpp) over HTTP/1.1 with Debian's cpp-httplib
// (docs/serve.md). Binds to 127.0.0.1 unless told otherwise; writes need an upload token and,
// with `private_reads`, reads a read token (Authorization: Bearer, RFC 6750 2.1: no cookies, so
// no cross-site request can carry them); no route reads a file; bodies are capped; every
// response carries a Content-Security-Policy and nosniff. SIGINT and SIGTERM stop it after the
// requests under way are answered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serve/dashboard.hpp"

namespace pkgsizer::serve {

struct ListenAddress {
  std::string host;
  int port = 0;
};

// "127.0.0.1:8080", "0.0.0.0:80", "[::1]:8080", "localhost:0"; nothing for anything else.
std::optional<ListenAddress> parse_listen_address(std::string_view text);

// The Content-Security-Policy of a response: nothing may load from anywhere, styles inline,
// images from this server or data: URIs, and scripts only those inline in `body` whose SHA-256
// (CSP Level 3, "hash-source") is listed — the HTML report's own script.
std::string content_security_policy(std::string_view body);

struct ServerOptions {
  DashboardOptions dashboard;
  ListenAddress listen{"127.0.0.1", 8080};
  std::string tokens_path;
  bool private_reads = false;
  std::uint64_t max_upload_bytes = 32ULL * 1024 * 1024;
  std::size_t threads = 64;
  int refresh_seconds = 5;  // re-reads the store's summaries (other writers)
  bool quiet = false;       // no access log
};

// Serves until SIGINT or SIGTERM; 0 then. Throws pkgsizer::Error when it cannot start.
int run_server(const ServerOptions& options);

}  // namespace pkgsizer::serve
