// Byte ranges over HTTP (RFC 9110 section 14): the tail of a file by the most economical
// request the server honours, and absolute ranges; each falls back to what the server allows.
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "predict/http_client.hpp"
#include "predict/http_fields.hpp"

namespace pkgsizer::predict {

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
