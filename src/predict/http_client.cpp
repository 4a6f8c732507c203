#include "predict/http_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "pkgsizer/version.hpp"
#include "predict/curl_api.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace pkgsizer::predict {
namespace {

using Clock = std::chrono::steady_clock;

// The end of a file that a full download keeps in memory: a wheel's central directory is a
// few megabytes at most even for the largest wheels on PyPI (~100 bytes per member), so this
// is plenty; a larger one costs wheel_size a second request, not a wrong answer.
constexpr std::uint64_t kFullDownloadKeep = 16ull << 20;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  text = trim(text);
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The declared size of the body as sent (not when it is content-coded: then the length is
// of the coded bytes).
std::optional<std::uint64_t> content_length(const HttpHeaders& headers) {
  const std::optional<std::string> encoding = headers.get("Content-Encoding");
  if (encoding && !iequals(trim(*encoding), "identity")) return std::nullopt;
  const std::optional<std::string> length = headers.get("Content-Length");
  return length ? parse_uint(*length) : std::nullopt;
}

bool is_retryable_transport_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl().global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw Error(ErrorCategory::kEnvironment, "cannot initialise libcurl");
  });
}

std::string range_header(std::uint64_t first, std::uint64_t last) {
  return fmt::format("bytes={}-{}", first, last);
}

}  // namespace

// ----- headers and responses --------------------------------------------------------------

void HttpHeaders::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> HttpHeaders::get(std::string_view name) const {
  for (const auto& [field, value] : fields_)
    if (iequals(field, name)) return value;
  return std::nullopt;
}

std::vector<std::string> HttpHeaders::get_all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [field, value] : fields_)
    if (iequals(field, name)) values.push_back(value);
  return values;
}

std::string HttpResponse::describe() const {
  const char* method = head ? "HEAD" : "GET";
  const std::string retried = attempts > 1 ? fmt::format(" (after {} attempts)", attempts) : "";
  if (!error.empty()) return fmt::format("{} {}: {}{}", method, redact_url(url), error, retried);
  std::string where = redact_url(url);
  if (!effective_url.empty() && effective_url != url)
    where += fmt::format(" (redirected to {})", redact_url(effective_url));
  return fmt::format("{} {}: HTTP {}{}", method, where, status, retried);
}

const char* to_string(RangeMethod method) {
  switch (method) {
    case RangeMethod::kSuffix:
      return "suffix range";
    case RangeMethod::kAbsolute:
      return "absolute range";
    case RangeMethod::kFullDownload:
      return "full download";
  }
  return "?";
}

// ----- pure helpers -----------------------------------------------------------------------

std::optional<ContentRange> parse_content_range(std::string_view value) {
  value = trim(value);
  constexpr std::string_view unit = "bytes ";
  if (value.size() < unit.size() || !iequals(value.substr(0, unit.size()), unit))
    return std::nullopt;
  value.remove_prefix(unit.size());
  const std::size_t slash = value.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view range = trim(value.substr(0, slash));
  const std::string_view length = trim(value.substr(slash + 1));
  ContentRange result;
  if (length != "*") {
    result.complete_length = parse_uint(length);
    if (!result.complete_length) return std::nullopt;
  }
  if (range == "*") {
    if (!result.complete_length) return std::nullopt;  // "bytes */*" says nothing
    return result;
  }
  const std::size_t dash = range.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  result.first = parse_uint(range.substr(0, dash));
  result.last = parse_uint(range.substr(dash + 1));
  if (!result.first || !result.last || *result.last < *result.first) return std::nullopt;
  if (result.complete_length && *result.last >= *result.complete_length) return std::nullopt;
  return result;
}

bool is_retryable_status(long status) {
  if (status == 408 || status == 429) return true;
  return status >= 500 && status <= 599 && status != 501 && status != 505;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (const std::optional<std::uint64_t> seconds = parse_uint(value))
    return std::chrono::seconds(
        static_cast<std::int64_t>(std::min<std::uint64_t>(*seconds, 1u << 30)));
  const std::string date(value);
  const time_t when = curl().getdate(date.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  const auto delta = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(std::chrono::seconds(0), std::chrono::duration_cast<std::chrono::seconds>(delta));
}

std::chrono::milliseconds retry_delay(const HttpOptions& options, int attempt,
                                      std::optional<std::chrono::seconds> retry_after) {
  if (retry_after)
    return std::min(std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after),
                    options.max_backoff);
  std::chrono::milliseconds delay = options.backoff;
  for (int i = 1; i < attempt && delay < options.max_backoff; ++i) delay *= 2;
  return std::min(delay, options.max_backoff);
}

namespace {

// Where the user info of a URL is: [start, at) with '@' at `at`; nullopt when there is none.
std::optional<std::pair<std::size_t, std::size_t>> userinfo_span(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  const std::size_t start = scheme + 3;
  const std::size_t end = std::min(url.find_first_of("/?#", start), url.size());
  const std::size_t at = url.substr(start, end - start).rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  return std::make_pair(start, start + at);
}

}  // namespace

std::string redact_url(std::string_view url) {
  const auto span = userinfo_span(url);
  if (!span) return std::string(url);
  const std::string_view userinfo = url.substr(span->first, span->second - span->first);
  const std::size_t colon = userinfo.find(':');
  // pip's rule: hide the password, or the user name when it stands alone (a token).
  const std::string shown =
      colon == std::string_view::npos ? "****" : std::string(userinfo.substr(0, colon)) + ":****";
  return std::string(url.substr(0, span->first)) + shown + std::string(url.substr(span->second));
}

std::string url_without_credentials(std::string_view url) {
  const auto span = userinfo_span(url);
  if (!span) return std::string(url);
  return std::string(url.substr(0, span->first)) + std::string(url.substr(span->second + 1));
}

// ----- the client -------------------------------------------------------------------------

namespace {

// What the libcurl callbacks of one attempt write into.
struct Sink {
  HttpResponse* response = nullptr;
  const HttpRequest* request = nullptr;
  CURL* easy = nullptr;
  // With keep_last_bytes, the body is held as the chunks libcurl delivered (16 KiB each),
  // dropped from the front as newer ones arrive: memory stays near keep_last_bytes however
  // large the download, and nothing is moved. Joined into response.body at the end.
  std::deque<std::string> chunks;
  std::uint64_t chunk_bytes = 0;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  HttpResponse& response = *static_cast<Sink*>(user)->response;
  const std::size_t length = size * count;
  const std::string_view line(data, length);
  // Each response (a redirect, 100 Continue, the final one) starts with its status line.
  if (line.rfind("HTTP/", 0) == 0) {
    response.headers.clear();
    return length;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return length;  // the blank line, or obsolete folding
  response.headers.add(std::string(trim(line.substr(0, colon))),
                       std::string(trim(line.substr(colon + 1))));
  return length;
}

void drop_front(HttpResponse& response, std::uint64_t keep) {
  if (keep == 0 || response.body.size() <= keep) return;
  const std::size_t drop = response.body.size() - static_cast<std::size_t>(keep);
  response.body.erase(0, drop);
  response.body_offset += drop;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  Sink& sink = *static_cast<Sink*>(user);
  HttpResponse& response = *sink.response;
  const std::size_t length = size * count;
  const std::uint64_t limit = sink.request->stop_full_body_over;
  if (limit > 0) {
    long status = 0;
    curl().easy_getinfo(sink.easy, CURLINFO_RESPONSE_CODE, &status);
    if (status == 200) {
      // The server ignored Range: reading on would download the whole file.
      const std::optional<std::uint64_t> declared = content_length(response.headers);
      if ((declared && *declared > limit) || response.received_bytes + length > limit) {
        response.stopped_full_body = true;
        return 0;  // anything but `length` stops the transfer (CURLE_WRITE_ERROR)
      }
    }
  }
  const std::uint64_t keep = sink.request->keep_last_bytes;
  if (keep == 0 && response.received_bytes + length > sink.request->max_body_bytes) {
    response.body_too_large = true;
    return 0;
  }
  response.received_bytes += length;
  if (keep == 0) {
    response.body.append(data, length);
    return length;
  }
  sink.chunks.emplace_back(data, length);
  sink.chunk_bytes += length;
  while (sink.chunk_bytes - sink.chunks.front().size() >= keep) {
    response.body_offset += sink.chunks.front().size();
    sink.chunk_bytes -= sink.chunks.front().size();
    sink.chunks.pop_front();
  }
  return length;
}

// The kept chunks as the body, exactly the last keep_last_bytes of it.
void join_chunks(Sink& sink) {
  HttpResponse& response = *sink.response;
  if (sink.chunks.empty()) return;
  response.body.reserve(response.body.size() + static_cast<std::size_t>(sink.chunk_bytes));
  while (!sink.chunks.empty()) {
    response.body += sink.chunks.front();
    sink.chunks.pop_front();
  }
  sink.chunk_bytes = 0;
  drop_front(response, sink.request->keep_last_bytes);
}

}  // namespace

struct HttpClient::Transfer {
  std::size_t index = 0;
  const HttpRequest* request = nullptr;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  HttpResponse response;
  Sink sink;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Clock::time_point due{};

  Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  ~Transfer() { release(); }

  void release() {
    if (easy) curl().easy_cleanup(easy);
    easy = nullptr;
    curl().slist_free_all(header_list);
    header_list = nullptr;
  }
};

std::chrono::seconds default_http_timeout() {
  constexpr std::chrono::seconds kDefault{30};
  const char* value = std::getenv("PIP_TIMEOUT");
  if (!value || !*value) return kDefault;
  char* end = nullptr;
  const double seconds = std::strtod(value, &end);
  if (*end != '\0' || !(seconds > 0) || seconds > 86400) return kDefault;
  // Whole seconds (CURLOPT_LOW_SPEED_TIME): a fraction rounds up, so 0.5 is not "no limit".
  return std::chrono::seconds(static_cast<long>(std::ceil(seconds)));
}

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)) {
  global_init();
  user_agent_ =
      options_.user_agent.empty() ? fmt::format("pkgsizer/{}", kVersion) : options_.user_agent;
  if (options_.max_concurrent < 1) options_.max_concurrent = 1;
  if (options_.retries < 0) options_.retries = 0;
  CURLM* multi = curl().multi_init();
  if (!multi)
    throw Error(ErrorCategory::kEnvironment, "cannot initialise libcurl (curl_multi_init)");
  // Room in the connection cache for every transfer that may run at once.
  curl().multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_concurrent) * 2);
  multi_ = multi;
}

HttpClient::~HttpClient() { curl().multi_cleanup(static_cast<CURLM*>(multi_)); }

void HttpClient::start(Transfer& transfer) {
  const HttpRequest& request = *transfer.request;
  const int attempts = transfer.response.attempts;
  transfer.response = HttpResponse{};
  transfer.response.url = request.url;
  transfer.response.head = request.head;
  transfer.response.attempts = attempts + 1;
  transfer.error_buffer[0] = '\0';

  CURL* easy = curl().easy_init();
  if (!easy) throw Error(ErrorCategory::kEnvironment, "cannot initialise libcurl (curl_easy_init)");
  transfer.easy = easy;
  transfer.sink = Sink{&transfer.response, &request, easy, {}, 0};
  curl().easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl().easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
  curl().easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer);
  curl().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl().easy_setopt(easy, CURLOPT_WRITEDATA, &transfer.sink);
  curl().easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl().easy_setopt(easy, CURLOPT_HEADERDATA, &transfer.sink);
  curl().easy_setopt(easy, CURLOPT_USERAGENT, user_agent_.c_str());
  curl().easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl().easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(options_.max_redirects));
  // Only the web, whatever a URL or a redirect asks for (dict:, gopher:, smb: ...). A file: URL
  // reaches here only from the user (a file: --index-url): resolve_url lets no remote page
  // lead to one, and a redirect never may.
  const bool local = lowercase(request.url.substr(0, 5)) == "file:";
  curl().easy_setopt(easy, CURLOPT_PROTOCOLS_STR, local ? "file" : "http,https");
  curl().easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl().easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
  if (options_.timeout.count() > 0) {
    // A stall, not a deadline: slower than kMinimumBytesPerSecond for `timeout` seconds.
    curl().easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, kMinimumBytesPerSecond);
    curl().easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.timeout.count()));
  }
  if (options_.total_timeout.count() > 0)
    curl().easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  // Credentials: the URL's own first; else ~/.netrc when it has the host (pip does the same).
  curl().easy_setopt(easy, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_OPTIONAL));
  if (!options_.netrc_file.empty())
    curl().easy_setopt(easy, CURLOPT_NETRC_FILE, options_.netrc_file.c_str());
  // Proxies: nothing to set; libcurl reads http_proxy/https_proxy/no_proxy itself.
  if (request.accept_compressed) curl().easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  if (request.head) curl().easy_setopt(easy, CURLOPT_NOBODY, 1L);
  // Over TLS, wait for ALPN to tell whether the open connection multiplexes (HTTP/2) rather than
  // open another. Not over plain HTTP: there libcurl would wait for the first whole response.
  if (request.url.rfind("https:", 0) == 0) curl().easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
  for (const auto& [name, value] : request.headers) {
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    transfer.header_list = curl().slist_append(transfer.header_list, line.c_str());
  }
  if (transfer.header_list) curl().easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.header_list);
  const CURLMcode added = curl().multi_add_handle(static_cast<CURLM*>(multi_), easy);
  if (added != CURLM_OK)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("libcurl: cannot start a transfer: {}", curl().multi_strerror(added)));
}

bool HttpClient::finish(Transfer& transfer, int result) {
  const auto code = static_cast<CURLcode>(result);
  HttpResponse& response = transfer.response;
  curl().easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &response.status);
  char* effective = nullptr;
  curl().easy_getinfo(transfer.easy, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective) response.effective_url = effective;
  join_chunks(transfer.sink);

  const bool transport_failed =
      code != CURLE_OK && !(code == CURLE_WRITE_ERROR && response.stopped_full_body);
  if (transport_failed) {
    response.error = transfer.error_buffer[0] ? transfer.error_buffer : curl().easy_strerror(code);
    // libcurl's words for the stall limit ("Operation too slow. Less than 1 bytes/sec
    // transferred the last 30 seconds") hide that it is our timeout.
    if (code == CURLE_OPERATION_TIMEDOUT && response.error.find("too slow") != std::string::npos)
      response.error = fmt::format("timed out: less than {} bytes/s for {} s",
                                   kMinimumBytesPerSecond, options_.timeout.count());
    if (code == CURLE_WRITE_ERROR && response.body_too_large)
      response.error = fmt::format("the response is larger than {} MiB (decoded): refused",
                                   transfer.sink.request->max_body_bytes / (1024 * 1024));
  }
  transfer.release();

  const bool retryable =
      transport_failed ? is_retryable_transport_error(code) : is_retryable_status(response.status);
  if (!retryable || response.attempts > options_.retries) return true;
  std::optional<std::chrono::seconds> retry_after;
  if (!transport_failed)
    if (const std::optional<std::string> value = response.headers.get("Retry-After"))
      retry_after = parse_retry_after(*value, std::chrono::system_clock::now());
  transfer.due = Clock::now() + retry_delay(options_, response.attempts, retry_after);
  return false;
}

std::vector<HttpResponse> HttpClient::fetch_all(const std::vector<HttpRequest>& requests) {
  auto* multi = static_cast<CURLM*>(multi_);
  std::vector<HttpResponse> responses(requests.size());
  std::vector<std::unique_ptr<Transfer>> transfers;
  transfers.reserve(requests.size());
  std::deque<Transfer*> ready;
  std::vector<Transfer*> waiting;  // retries, until their `due` time
  for (std::size_t i = 0; i < requests.size(); ++i) {
    transfers.push_back(std::make_unique<Transfer>());
    transfers.back()->index = i;
    transfers.back()->request = &requests[i];
    ready.push_back(transfers.back().get());
  }
  std::size_t active = 0;
  try {
    while (!ready.empty() || !waiting.empty() || active > 0) {
      const Clock::time_point now = Clock::now();
      for (auto it = waiting.begin(); it != waiting.end();) {
        if ((*it)->due <= now) {
          ready.push_back(*it);
          it = waiting.erase(it);
        } else {
          ++it;
        }
      }
      while (active < static_cast<std::size_t>(options_.max_concurrent) && !ready.empty()) {
        start(*ready.front());
        ready.pop_front();
        ++active;
      }

      int running = 0;
      curl().multi_perform(multi, &running);
      bool finished_any = false;
      int queued = 0;
      while (CURLMsg* message = curl().multi_info_read(multi, &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        Transfer* transfer = nullptr;
        curl().easy_getinfo(message->easy_handle, CURLINFO_PRIVATE,
                            reinterpret_cast<char**>(&transfer));
        const CURLcode result = message->data.result;
        curl().multi_remove_handle(multi, message->easy_handle);
        --active;
        finished_any = true;
        if (finish(*transfer, result))
          responses[transfer->index] = std::move(transfer->response);
        else
          waiting.push_back(transfer);
      }
      if (finished_any) continue;

      // Sleep until a socket is ready or the next retry is due.
      auto wait = std::chrono::milliseconds(1000);
      for (const Transfer* transfer : waiting)
        wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(
                                  std::max(transfer->due - Clock::now(), Clock::duration::zero())));
      if (active == 0) {
        if (ready.empty()) std::this_thread::sleep_for(wait);
        continue;
      }
      curl().multi_poll(multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
    }
  } catch (...) {
    for (auto& transfer : transfers)
      if (transfer->easy) curl().multi_remove_handle(multi, transfer->easy);
    throw;
  }
  return responses;
}

HttpResponse HttpClient::fetch(const HttpRequest& request) {
  return std::move(fetch_all({request}).front());
}

HttpResponse HttpClient::get(const std::string& url,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpRequest request;
  request.url = url;
  request.headers = headers;
  return fetch(request);
}

HttpResponse HttpClient::head(const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.head = true;
  return fetch(request);
}

// ----- ranges -----------------------------------------------------------------------------

namespace {

// One fetch_tail, as a small state machine: each step issues one request, and fetch_tails
// runs the step of every pending tail in one concurrent batch.
struct TailJob {
  enum class Step { kSuffix, kHead, kAbsolute, kFull, kDone };
  TailRequest request;
  RangeFetch result;
  Step step = Step::kSuffix;
  std::optional<std::uint64_t> size;

  std::uint64_t keep() const { return std::max(request.bytes, kFullDownloadKeep); }

  HttpRequest next_request() const {
    HttpRequest http;
    http.url = request.url;
    http.accept_compressed = false;  // ranges are of the file's bytes, not of a gzip of them
    switch (step) {
      case Step::kSuffix:
        http.headers.emplace_back("Range", fmt::format("bytes=-{}", request.bytes));
        http.stop_full_body_over = request.bytes;
        http.keep_last_bytes = keep();
        break;
      case Step::kHead:
        http.head = true;
        break;
      case Step::kAbsolute:
        http.headers.emplace_back(
            "Range", range_header(*size > request.bytes ? *size - request.bytes : 0, *size - 1));
        http.keep_last_bytes = keep();  // a server that ignores this too sends everything
        break;
      case Step::kFull:
      case Step::kDone:
        http.keep_last_bytes = keep();
        break;
    }
    return http;
  }

  void fail(std::string message) {
    result.ok = false;
    result.error = std::move(message);
    step = Step::kDone;
  }

  void succeed(HttpResponse& response, RangeMethod method, std::uint64_t offset,
               std::optional<std::uint64_t> file_size) {
    result.ok = true;
    result.method = method;
    result.offset = offset;
    result.bytes = std::move(response.body);
    result.file_size = file_size;
    result.effective_url = response.effective_url;
    step = Step::kDone;
  }

  // The bytes of a 200 (the whole file, of which the end was kept).
  void succeed_with_whole_file(HttpResponse& response, RangeMethod method) {
    const std::uint64_t file_size = response.body_offset + response.body.size();
    if (request.known_size && *request.known_size != file_size)
      result.notes.push_back(fmt::format("the index says {} bytes, the server sent {}",
                                         *request.known_size, file_size));
    succeed(response, method, response.body_offset, file_size);
  }

  void after_refusal(std::string note) {
    result.notes.push_back(std::move(note));
    step = size ? Step::kAbsolute : Step::kHead;
  }

  // A 206 whose Content-Range is the file's end: what we asked for.
  bool accept_partial(HttpResponse& response, RangeMethod method) {
    const std::optional<std::string> header = response.headers.get("Content-Range");
    const std::optional<ContentRange> range = header ? parse_content_range(*header) : std::nullopt;
    if (!range || !range->first) return false;
    const std::optional<std::uint64_t> total =
        range->complete_length ? range->complete_length : size;
    if (!total || *range->last + 1 != *total) return false;
    if (response.body.size() != *range->last - *range->first + 1) return false;
    succeed(response, method, *range->first, total);
    return true;
  }

  void handle(HttpResponse& response) {
    result.requests += 1;
    result.transferred_bytes += response.received_bytes;
    if (result.effective_url.empty()) result.effective_url = response.effective_url;
    if (!response.error.empty()) return fail(response.describe());
    const long status = response.status;
    switch (step) {
      case Step::kSuffix:
        if (status == 206) {
          if (accept_partial(response, RangeMethod::kSuffix)) return;
          const std::optional<std::string> header = response.headers.get("Content-Range");
          if (const auto range = header ? parse_content_range(*header) : std::nullopt)
            if (range->complete_length) size = range->complete_length;
          return after_refusal(
              fmt::format("the answer to a suffix range had an unusable Content-Range ({})",
                          header.value_or("none")));
        }
        if (status == 200 && !response.stopped_full_body)
          // The whole file, no larger than the tail asked for.
          return succeed_with_whole_file(response, RangeMethod::kSuffix);
        if (status == 200) {
          if (!size) size = content_length(response.headers);
          return after_refusal(
              "the server ignored the suffix range (HTTP 200): asking for an absolute range");
        }
        if (status == 416 || status == 501 || status == 400) {
          const std::optional<std::string> header = response.headers.get("Content-Range");
          if (const auto range = header ? parse_content_range(*header) : std::nullopt)
            if (range->complete_length && !size) size = range->complete_length;
          if (size && *size == 0)
            return fail(fmt::format("{}: the file is empty", redact_url(request.url)));
          return after_refusal(fmt::format(
              "the server refused the suffix range (HTTP {}): asking for an absolute range",
              status));
        }
        return fail(response.describe());
      case Step::kHead:
        if (response.ok()) size = content_length(response.headers);
        if (!size) {
          result.notes.push_back(
              fmt::format("HEAD gave no size (HTTP {}): downloading the whole file", status));
          step = Step::kFull;
          return;
        }
        if (*size == 0) return fail(fmt::format("{}: the file is empty", redact_url(request.url)));
        step = Step::kAbsolute;
        return;
      case Step::kAbsolute:
        if (status == 206 && accept_partial(response, RangeMethod::kAbsolute)) return;
        if (status == 200) {
          result.notes.push_back(
              fmt::format("the server ignores Range requests: downloaded the whole file ({} bytes)",
                          response.received_bytes));
          return succeed_with_whole_file(response, RangeMethod::kFullDownload);
        }
        if (status == 206 || status == 416) {
          result.notes.push_back(fmt::format(
              "the absolute range was refused (HTTP {}): downloading the whole file", status));
          step = Step::kFull;
          return;
        }
        return fail(response.describe());
      case Step::kFull:
        if (status == 200) {
          result.notes.push_back(
              fmt::format("downloaded the whole file ({} bytes)", response.received_bytes));
          return succeed_with_whole_file(response, RangeMethod::kFullDownload);
        }
        return fail(response.describe());
      case Step::kDone:
        return;
    }
  }
};

}  // namespace

std::vector<RangeFetch> HttpClient::fetch_tails(const std::vector<TailRequest>& requests) {
  std::vector<TailJob> jobs(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    jobs[i].request = requests[i];
    jobs[i].request.bytes = std::max<std::uint64_t>(requests[i].bytes, 1);
    jobs[i].size = requests[i].known_size;
    jobs[i].result.url = requests[i].url;
    if (jobs[i].size && *jobs[i].size == 0)
      jobs[i].fail(fmt::format("{}: the file is empty", redact_url(requests[i].url)));
  }
  for (;;) {
    std::vector<std::size_t> pending;
    std::vector<HttpRequest> batch;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (jobs[i].step == TailJob::Step::kDone) continue;
      pending.push_back(i);
      batch.push_back(jobs[i].next_request());
    }
    if (batch.empty()) break;
    std::vector<HttpResponse> responses = fetch_all(batch);
    for (std::size_t k = 0; k < pending.size(); ++k) jobs[pending[k]].handle(responses[k]);
  }
  std::vector<RangeFetch> results;
  results.reserve(jobs.size());
  for (TailJob& job : jobs) results.push_back(std::move(job.result));
  return results;
}

RangeFetch HttpClient::fetch_tail(const std::string& url, std::uint64_t bytes,
                                  std::optional<std::uint64_t> known_size) {
  return std::move(fetch_tails({TailRequest{url, bytes, known_size}}).front());
}

std::vector<RangeFetch> HttpClient::fetch_ranges(const std::vector<RangeRequest>& requests) {
  std::vector<RangeFetch> results(requests.size());
  std::vector<HttpRequest> batch;
  for (const RangeRequest& request : requests) {
    if (request.last < request.first)
      throw std::invalid_argument(fmt::format("bad byte range {}-{}", request.first, request.last));
    HttpRequest http;
    http.url = request.url;
    http.accept_compressed = false;
    http.headers.emplace_back("Range", range_header(request.first, request.last));
    // A server that ignores Range sends everything: keep what lies from `first` on.
    if (request.known_size && *request.known_size > request.first)
      http.keep_last_bytes = *request.known_size - request.first;
    batch.push_back(std::move(http));
  }
  std::vector<HttpResponse> responses = fetch_all(batch);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const RangeRequest& request = requests[i];
    HttpResponse& response = responses[i];
    RangeFetch& result = results[i];
    result.url = request.url;
    result.effective_url = response.effective_url;
    result.requests = 1;
    result.transferred_bytes = response.received_bytes;
    result.file_size = request.known_size;
    if (!response.error.empty()) {
      result.error = response.describe();
      continue;
    }
    const std::uint64_t wanted = request.last - request.first + 1;
    if (response.status == 206) {
      const std::optional<std::string> header = response.headers.get("Content-Range");
      const std::optional<ContentRange> range =
          header ? parse_content_range(*header) : std::nullopt;
      if (range && range->first && *range->first == request.first &&
          response.body.size() == *range->last - *range->first + 1 &&
          response.body.size() <= wanted) {
        result.ok = true;
        result.method = RangeMethod::kAbsolute;
        result.offset = request.first;
        result.bytes = std::move(response.body);
        if (range->complete_length) result.file_size = range->complete_length;
        continue;
      }
      result.error = fmt::format(
          "{}: the server answered a range request for bytes {}-{} with Content-Range '{}'",
          redact_url(request.url), request.first, request.last, header.value_or(""));
      continue;
    }
    if (response.status == 200) {
      const std::uint64_t file_size = response.body_offset + response.body.size();
      if (response.body_offset <= request.first && file_size > request.first) {
        const std::uint64_t take = std::min(wanted, file_size - request.first);
        result.ok = true;
        result.method = RangeMethod::kFullDownload;
        result.offset = request.first;
        result.bytes =
            response.body.substr(static_cast<std::size_t>(request.first - response.body_offset),
                                 static_cast<std::size_t>(take));
        result.file_size = file_size;
        result.notes.push_back(fmt::format(
            "the server ignores Range requests: downloaded the whole file ({} bytes)", file_size));
        continue;
      }
      result.error = fmt::format("{}: the server sent {} bytes, not bytes {}-{}",
                                 redact_url(request.url), file_size, request.first, request.last);
      continue;
    }
    result.error = response.describe();
  }
  return results;
}

}  // namespace pkgsizer::predict
