// The HTTP client proper: libcurl transfers run concurrently on one multi handle, with retries,
// timeouts and bounded bodies. Messages without the network are in http_message.cpp, byte
// ranges in http_ranges.cpp.
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
#include "predict/http_fields.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace pkgsizer::predict {
namespace {

using Clock = std::chrono::steady_clock;

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
  response.headers.add(std::string(trim_field_value(line.substr(0, colon))),
                       std::string(trim_field_value(line.substr(colon + 1))));
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
  if (request.post_body) {
    curl().easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.post_body->size()));
    curl().easy_setopt(easy, CURLOPT_POSTFIELDS, request.post_body->data());
    // No "Expect: 100-continue" (libcurl's default above 1 KiB): a server that does not answer
    // it would cost a second of waiting on every message.
    transfer.header_list = curl().slist_append(transfer.header_list, "Expect:");
  }
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

}  // namespace pkgsizer::predict
