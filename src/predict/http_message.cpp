// HTTP messages without the network: header fields, responses, Content-Range, retry rules and
// URL credentials (the declarations are in http_client.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "predict/curl_api.hpp"
#include "predict/http_client.hpp"
#include "predict/http_fields.hpp"
#include "util/text.hpp"

namespace pkgsizer::predict {

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
  value = trim_field_value(value);
  constexpr std::string_view unit = "bytes ";
  if (value.size() < unit.size() || !iequals(value.substr(0, unit.size()), unit))
    return std::nullopt;
  value.remove_prefix(unit.size());
  const std::size_t slash = value.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view range = trim_field_value(value.substr(0, slash));
  const std::string_view length = trim_field_value(value.substr(slash + 1));
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
  value = trim_field_value(value);
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

}  // namespace pkgsizer::predict
