#include "serve/server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "serve/idempotency.hpp"
#include "serve/tokens.hpp"
#include "store/history_location.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace pkgsizer::serve {
namespace {

constexpr int kListenBacklog = 1024;  // capped by net.core.somaxconn (4096 by default)

std::string sha256_base64(std::string_view text) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, text.size(), reinterpret_cast<const std::uint8_t*>(text.data()));
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
  sha256_digest(&context, digest.size(), digest.data());
  std::array<char, BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE)> encoded{};
  base64_encode_raw(encoded.data(), digest.size(), digest.data());
  return std::string(encoded.data(), encoded.size());
}

// The tokens file, read again whenever it changed (a `token add` or `revoke` while serving).
class TokenCache {
 public:
  explicit TokenCache(std::string path) : file_(std::move(path)) {}

  std::optional<TokenRecord> find(std::string_view token) {
    struct stat status {};
    const bool exists = ::stat(file_.path().c_str(), &status) == 0;
    const std::lock_guard lock(mutex_);
    const auto stamp =
        std::make_pair(exists ? status.st_mtim.tv_sec : 0, exists ? status.st_mtim.tv_nsec : 0);
    if (!loaded_ || stamp != stamp_ || (exists && status.st_size != size_)) {
      try {
        tokens_ = file_.read();
      } catch (const Error& error) {
        std::fprintf(stderr, "pkgsizer serve: %s (no token is accepted)\n", error.what());
        tokens_.clear();
      }
      stamp_ = stamp;
      size_ = exists ? status.st_size : 0;
      loaded_ = true;
    }
    return find_token(tokens_, token);
  }

 private:
  TokenFile file_;
  std::mutex mutex_;
  bool loaded_ = false;
  std::pair<std::int64_t, std::int64_t> stamp_{0, 0};
  std::int64_t size_ = 0;
  std::vector<TokenRecord> tokens_;
};

void set_security_headers(httplib::Response& response) {
  response.set_header("Content-Security-Policy", content_security_policy(response.body));
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Cross-Origin-Resource-Policy", "same-origin");
  response.set_header("Cache-Control", "no-store");
}

void answer(httplib::Response& out, const Response& in) {
  out.status = in.status;
  out.set_content(in.body, in.content_type);
  set_security_headers(out);
}

Response json_error(int status, const std::string& reason) {
  return {status, "application/json",
          fmt::format("{{\"error\":\"{}\",\"status\":{}}}\n", reason, status)};
}

// The bearer token of `request` (RFC 6750 2.1), or "" when there is none.
std::string bearer_token(const httplib::Request& request) {
  const std::string value = request.get_header_value("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size() || !iequals(value.substr(0, kScheme.size()), kScheme))
    return "";
  return std::string(trim(std::string_view(value).substr(kScheme.size())));
}

// Nothing when the request may go on; else the 401 or 403 to answer.
std::optional<Response> refusal(TokenCache& tokens, const httplib::Request& request,
                                TokenScope needed) {
  const std::string token = bearer_token(request);
  if (token.empty())
    return json_error(
        401, fmt::format("a {} token is needed: Authorization: Bearer TOKEN", to_string(needed)));
  const std::optional<TokenRecord> record = tokens.find(token);
  if (!record) return json_error(401, "unknown or revoked token");
  if (!scope_allows(record->scope, needed))
    return json_error(403, fmt::format("a {} token cannot {}", to_string(record->scope),
                                       needed == TokenScope::kUpload ? "upload" : "read"));
  return std::nullopt;
}

thread_local std::chrono::steady_clock::time_point request_started;

void log_request(const httplib::Request& request, const httplib::Response& response) {
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - request_started)
          .count();
  // printable(): a path is the client's text and must not forge log lines.
  const std::string line =
      fmt::format("{} \"{} {}\" {} {} {:.1f}ms\n", request.remote_addr, printable(request.method),
                  printable(request.path), response.status, response.body.size(), ms);
  std::fputs(line.c_str(), stderr);
}

std::string first_value(const httplib::Request& request, const char* key) {
  return request.has_param(key) ? request.get_param_value(key) : "";
}

// Signals are blocked in every thread (the pool inherits the mask) and taken by one thread
// with sigwait(), which may then stop the server: stop() is not async-signal-safe. SIGUSR1 is
// how the destructor wakes that thread when the server stopped by itself.
class SignalStopper {
 public:
  explicit SignalStopper(httplib::Server& server) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    thread_ = std::thread([this, &server] {
      int signal_number = 0;
      do {
        sigwait(&signals_, &signal_number);
      } while (signal_number == SIGUSR1 && !done_);
      if (signal_number != SIGUSR1)
        std::fprintf(stderr, "pkgsizer serve: stopping (signal %d)\n", signal_number);
      server.stop();
    });
  }
  ~SignalStopper() {
    done_ = true;
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SignalStopper(const SignalStopper&) = delete;
  SignalStopper& operator=(const SignalStopper&) = delete;

 private:
  sigset_t signals_{};
  sigset_t previous_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// Re-reads the store's summaries every `seconds` until stopped.
class Refresher {
 public:
  Refresher(Dashboard& dashboard, int seconds) {
    if (seconds <= 0) return;
    thread_ = std::thread([this, &dashboard, seconds] {
      std::unique_lock lock(mutex_);
      while (!wake_.wait_for(lock, std::chrono::seconds(seconds), [&] { return stop_; })) {
        lock.unlock();
        try {
          dashboard.refresh();
        } catch (const Error& error) {
          std::fprintf(stderr, "pkgsizer serve: cannot read the history: %s\n", error.what());
        }
        lock.lock();
      }
    });
  }
  ~Refresher() {
    {
      const std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  Refresher(const Refresher&) = delete;
  Refresher& operator=(const Refresher&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
  ListenAddress address;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) return std::nullopt;
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return std::nullopt;
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (address.host.empty() || port_text.empty() || port_text.size() > 5) return std::nullopt;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), address.port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || address.port < 0 ||
      address.port > 65535)
    return std::nullopt;
  return address;
}

std::string content_security_policy(std::string_view body) {
  std::string scripts;
  constexpr std::string_view kOpen = "<script>";
  for (std::size_t at = body.find(kOpen); at != std::string_view::npos; at = body.find(kOpen, at)) {
    const std::size_t start = at + kOpen.size();
    const std::size_t end = body.find("</script>", start);
    if (end == std::string_view::npos) break;
    scripts += fmt::format(" 'sha256-{}'", sha256_base64(body.substr(start, end - start)));
    at = end;
  }
  return fmt::format(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src{}; "
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      scripts.empty() ? " 'none'" : scripts);
}

int run_server(const ServerOptions& options) {
  Dashboard dashboard(options.dashboard);
  TokenCache tokens(options.tokens_path);
  httplib::Server server;
  const std::size_t threads = std::max<std::size_t>(2, options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_upload_bytes);
  // cpp-httplib gives each connection a worker thread for as long as it is open: an idle
  // keep-alive connection would hold one of them for its whole timeout, and a burst of clients
  // that keep theirs open would wait for threads held by nobody's requests (seconds, measured
  // with benchmarks/bench_serve.py). One request per connection frees the thread at once; over
  // loopback or from a reverse proxy a new connection costs far less than that wait.
  server.set_keep_alive_max_count(1);
  server.set_read_timeout(30);
  server.set_write_timeout(30);
  if (!options.quiet) server.set_logger(log_request);

  server.set_pre_routing_handler([&](const httplib::Request& request, httplib::Response& response) {
    request_started = std::chrono::steady_clock::now();
    const bool read = request.method == "GET" || request.method == "HEAD";
    if (request.method == "POST" && request.path == "/api/scans") {
      if (const auto refused = refusal(tokens, request, TokenScope::kUpload)) {
        answer(response, *refused);
        response.set_header("WWW-Authenticate", "Bearer");
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;  // the POST handler reads the body
    }
    if (!read) {
      answer(response, json_error(405, "only GET, HEAD and POST /api/scans"));
      response.set_header("Allow", "GET, HEAD, POST");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (options.private_reads)
      if (const auto refused = refusal(tokens, request, TokenScope::kRead)) {
        answer(response, *refused);
        response.set_header("WWW-Authenticate", "Bearer");
        return httplib::Server::HandlerResponse::Handled;
      }
    answer(response, dashboard.get(route_get(request.path), first_value(request, "page")));
    return httplib::Server::HandlerResponse::Handled;
  });
  UploadKeys upload_keys;
  server.Post("/api/scans", [&](const httplib::Request& request, httplib::Response& response) {
    const UploadFields fields{first_value(request, "environment"), first_value(request, "label"),
                              first_value(request, "git_commit"),
                              first_value(request, "git_branch")};
    const auto upload = [&] { return dashboard.upload(request.body, fields); };
    const std::string key = request.get_header_value("Idempotency-Key");
    if (key.empty()) {
      answer(response, upload());
    } else if (!valid_idempotency_key(key)) {
      answer(response, json_error(400, "Idempotency-Key: 1 to 128 printable characters"));
    } else {
      // Keys are the client's: one token's key never answers another token's upload.
      const std::string token = sha256_hex(request.get_header_value("Authorization"));
      answer(response, upload_keys.once(token + " " + key, upload));
    }
  });
  // httplib's own answers (413 for a body over the cap, 400 for a bad request) get the headers.
  server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (response.body.empty())
      answer(response, json_error(response.status, response.status == 413
                                                       ? "the body is larger than --max-upload"
                                                       : "bad request"));
  });

  // cpp-httplib 0.11 listens with a backlog of 5, compiled into Debian's library: a burst of
  // connections overflows it and the kernel drops SYNs, which clients retry only after 1 s, 3 s...
  // (RFC 6298's initial RTO). The listening socket is remembered here and listen(2) called again
  // on it with a deep backlog, which Linux applies to a socket already listening.
  int listening_socket = -1;
  server.set_socket_options([&listening_socket](int socket) {
    const int on = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    listening_socket = socket;
  });
  int port = options.listen.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.listen.host);
    if (port < 0) port = 0;
  } else if (!server.bind_to_port(options.listen.host, port)) {
    port = 0;
  }
  if (port == 0)
    throw Error(ErrorCategory::kUsage,
                fmt::format("--listen {}:{}: cannot listen there (in use, or not an address of "
                            "this machine)",
                            options.listen.host, options.listen.port));
  if (listening_socket >= 0) ::listen(listening_socket, kListenBacklog);
  const bool ipv6 = options.listen.host.find(':') != std::string::npos;
  std::printf("pkgsizer serve: http://%s%s%s:%d/ (%zu snapshots in %s)\n", ipv6 ? "[" : "",
              options.listen.host.c_str(), ipv6 ? "]" : "", port, dashboard.snapshot_count(),
              store::printable_location(options.dashboard.history_path).c_str());
  std::fflush(stdout);
  {
    const SignalStopper stopper(server);
    const Refresher refresher(dashboard, options.refresh_seconds);
    server.listen_after_bind();
  }
  return 0;
}

}  // namespace pkgsizer::serve
