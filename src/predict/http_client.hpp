// HTTP for `predict`: a libcurl wrapper that runs many requests at once (curl multi), retries
// what is worth retrying with exponential backoff, and reads the tail of a remote file with
// Range requests even from servers that refuse suffix ranges. Knows nothing of Python
// packaging: the Simple API client and the wheel reader sit on top of it.
//
// Proxies come from the environment (http_proxy, https_proxy, no_proxy: libcurl's own rules);
// credentials from the URL (https://user:token@host/...) or ~/.netrc (optional, as pip reads
// it); the User-Agent is "pkgsizer/VERSION". One HttpClient is used by one thread at a time;
// it keeps connections open between calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pkgsizer::predict {

// A transfer slower than this for `HttpOptions::timeout` fails: a server that trickles a few
// bytes a second (a slow-loris) would otherwise hold `predict` forever, since a stall limit
// alone never trips. 1 KiB/s is far below any working link.
inline constexpr long kMinimumBytesPerSecond = 1024;

// The most body bytes kept in memory for one response (after decoding gzip): a 3 MB gzip page
// of zeros expands to 4 GB. Far above the largest index page (PyPI's are a few MiB).
inline constexpr std::uint64_t kMaxResponseBytes = 256ULL * 1024 * 1024;

// pip's PIP_TIMEOUT when it holds a positive number of seconds, else 30.
std::chrono::seconds default_http_timeout();

struct HttpOptions {
  // A transfer that receives less than kMinimumBytesPerSecond for this long fails (like pip's
  // --timeout: a stall, not a deadline, so that a large download on a fast enough link still
  // finishes). Whole seconds; PIP_TIMEOUT sets it, as for pip.
  std::chrono::seconds timeout = default_http_timeout();
  std::chrono::milliseconds connect_timeout{10000};
  // 0: no limit. Per attempt.
  std::chrono::milliseconds total_timeout{0};
  // Attempts after the first, for connection errors, timeouts, 429 and 5xx (but 501 and 505,
  // which a retry cannot change). The wait doubles from `backoff` up to `max_backoff`; a
  // Retry-After header (seconds or an HTTP date) is honoured up to `max_backoff`.
  int retries = 3;
  std::chrono::milliseconds backoff{500};
  std::chrono::milliseconds max_backoff{10000};
  int max_concurrent = 8;
  std::string user_agent;  // empty: "pkgsizer/VERSION"
  std::string netrc_file;  // empty: libcurl's default, ~/.netrc
  int max_redirects = 10;
};

// Header fields in the order received; names compare without regard to case (RFC 9110 5.1).
// Only the final response's fields are kept (not those of redirects or 100 Continue).
class HttpHeaders {
 public:
  void add(std::string name, std::string value);
  // The first field of that name.
  std::optional<std::string> get(std::string_view name) const;
  // All fields of that name, in order (Cache-Control may come in several).
  std::vector<std::string> get_all(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  void clear() { fields_.clear(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // added to (or replacing) libcurl's
  bool head = false;                                         // HEAD instead of GET
  bool accept_compressed = true;  // Accept-Encoding: what libcurl can decode; off for ranges
  // Keep only the last N bytes of the body (response.body_offset says how many were dropped):
  // a full download of a large wheel, of which only the end is needed. 0: keep everything.
  std::uint64_t keep_last_bytes = 0;
  // For Range requests: when the server answers 200 (the whole file) and the file is larger
  // than this, stop reading it; the response then has `stopped_full_body` set and the headers
  // (Content-Length: the file's size). 0: never stop.
  std::uint64_t stop_full_body_over = 0;
  // A body (decoded) larger than this fails the request, unless keep_last_bytes bounds it.
  std::uint64_t max_body_bytes = kMaxResponseBytes;
  // POST this body instead of a GET (a webhook's message); its Content-Type goes in `headers`.
  std::optional<std::string> post_body;
};

struct HttpResponse {
  std::string url;            // as requested
  std::string effective_url;  // after redirects: relative links resolve against this
  long status = 0;            // 0 when no HTTP response arrived (then `error` says why)
  HttpHeaders headers;
  std::string body;
  std::uint64_t body_offset = 0;     // body bytes dropped from the front (keep_last_bytes)
  std::uint64_t received_bytes = 0;  // body bytes received in the final attempt (decoded)
  bool stopped_full_body = false;    // see HttpRequest::stop_full_body_over
  bool body_too_large = false;       // see HttpRequest::max_body_bytes
  std::string error;                 // a transport failure: refused, timed out, TLS, ...
  int attempts = 0;
  bool head = false;
  bool from_cache = false;  // the body came from IndexCache (fresh, or confirmed by a 304)

  bool ok() const { return error.empty() && status >= 200 && status < 300; }
  // "GET https://host/simple/numpy/: HTTP 404" or "...: Connection refused (after 4 attempts)",
  // with any password in the URL hidden.
  std::string describe() const;
};

// Reading part of a remote file with Range requests (RFC 9110 14).
enum class RangeMethod {
  kSuffix,        // "Range: bytes=-N" was honoured (or the file was no larger than asked)
  kAbsolute,      // "Range: bytes=START-END", after the server refused the suffix form
  kFullDownload,  // the server ignores Range: the whole file was downloaded
};

const char* to_string(RangeMethod method);

struct RangeFetch {
  bool ok = false;
  std::string error;  // names the URL and the status or transport error
  std::string url;
  std::string effective_url;
  std::string bytes;  // the file's bytes from `offset` on
  std::uint64_t offset = 0;
  std::optional<std::uint64_t> file_size;  // when a response (or known_size) told it
  RangeMethod method = RangeMethod::kSuffix;
  std::uint64_t transferred_bytes = 0;  // body bytes received over all requests, wasted ones too
  int requests = 0;
  std::vector<std::string> notes;  // what fallbacks were taken, for --verbose output
};

struct TailRequest {
  std::string url;
  std::uint64_t bytes = 0;                  // how many bytes from the end
  std::optional<std::uint64_t> known_size;  // e.g. the index's PEP 700 "size"
};

struct RangeRequest {
  std::string url;
  std::uint64_t first = 0;  // inclusive
  std::uint64_t last = 0;   // inclusive
  std::optional<std::uint64_t> known_size;
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const HttpOptions& options() const { return options_; }

  HttpResponse get(const std::string& url,
                   const std::vector<std::pair<std::string, std::string>>& headers = {});
  HttpResponse head(const std::string& url);
  HttpResponse fetch(const HttpRequest& request);
  // Runs the requests concurrently (up to max_concurrent at once), retrying each as the
  // options say; the responses come back in the order of the requests. Never throws for an
  // HTTP or transport failure: each response says what happened.
  std::vector<HttpResponse> fetch_all(const std::vector<HttpRequest>& requests);

  // The last `bytes` bytes of the file at `url`. Asks "Range: bytes=-N"; when the server
  // refuses suffix ranges (416, 501, or a 200 with the whole file, which is not read past
  // `bytes`), asks "bytes=START-END" with the size from known_size, the refusal's headers, or
  // a HEAD; when it ignores ranges altogether, downloads the whole file and keeps its end
  // (result.method says which). Of a full download only the last 16 MiB (or `bytes`, if
  // larger) are kept in memory.
  RangeFetch fetch_tail(const std::string& url, std::uint64_t bytes,
                        std::optional<std::uint64_t> known_size = std::nullopt);
  std::vector<RangeFetch> fetch_tails(const std::vector<TailRequest>& requests);

  // Bytes first..last of the file ("Range: bytes=FIRST-LAST"); from a server that ignores
  // ranges, the whole file is downloaded and the range cut from it.
  std::vector<RangeFetch> fetch_ranges(const std::vector<RangeRequest>& requests);

 private:
  struct Transfer;
  void start(Transfer& transfer);
  bool finish(Transfer& transfer, int result);  // true: done; false: retry later

  HttpOptions options_;
  std::string user_agent_;
  void* multi_ = nullptr;  // CURLM*, kept so that connections are reused between calls
};

// ----- Pure helpers (exposed for tests) ---------------------------------------------------

// "Content-Range: bytes 0-99/1234", "bytes 0-99/*", "bytes */1234" (RFC 9110 14.4).
struct ContentRange {
  std::optional<std::uint64_t> first;
  std::optional<std::uint64_t> last;
  std::optional<std::uint64_t> complete_length;
};
std::optional<ContentRange> parse_content_range(std::string_view value);

// Whether a response status is worth another attempt: 408, 429, and 5xx but 501 and 505.
bool is_retryable_status(long status);

// "120" or an HTTP date (RFC 9110 10.2.3), as a wait from `now` (never negative).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

// The wait before attempt `attempt` + 1 (attempt 1 is the first): backoff * 2^(attempt-1),
// at most max_backoff; a server's Retry-After replaces it (also capped).
std::chrono::milliseconds retry_delay(const HttpOptions& options, int attempt,
                                      std::optional<std::chrono::seconds> retry_after);

// The URL with its password (or a lone user name, usually a token) replaced by "****", for
// messages: "https://user:****@host/simple/".
std::string redact_url(std::string_view url);

// The URL without any user name or password, for cache keys: "https://host/simple/".
std::string url_without_credentials(std::string_view url);

}  // namespace pkgsizer::predict
