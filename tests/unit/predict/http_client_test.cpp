// The pure parts of the HTTP client: header lookup, Content-Range, retry decisions, URL
// redaction. The network parts are exercised against tests/e2e/index_server.py.
#include "predict/http_client.hpp"

#include <catch2/catch.hpp>
#include <chrono>

using namespace pkgsizer::predict;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("HTTP headers: names compare without case; the first of a name wins") {
  HttpHeaders headers;
  headers.add("Content-Type", "application/vnd.pypi.simple.v1+json");
  headers.add("cache-control", "max-age=600");
  headers.add("Cache-Control", "public");
  CHECK(headers.get("content-type") == "application/vnd.pypi.simple.v1+json");
  CHECK(headers.get("CACHE-CONTROL") == "max-age=600");
  CHECK(headers.get_all("Cache-Control") == std::vector<std::string>{"max-age=600", "public"});
  CHECK_FALSE(headers.get("ETag").has_value());
  headers.clear();
  CHECK(headers.fields().empty());
}

TEST_CASE("Content-Range: ranges, unknown lengths, and the unsatisfied form") {
  const auto full = parse_content_range("bytes 1610-1709/1710");
  REQUIRE(full);
  CHECK(full->first == 1610u);
  CHECK(full->last == 1709u);
  CHECK(full->complete_length == 1710u);

  const auto unknown = parse_content_range("Bytes 0-99/*");
  REQUIRE(unknown);
  CHECK(unknown->last == 99u);
  CHECK_FALSE(unknown->complete_length);

  // RFC 9110 15.5.17: a 416 says how large the file is.
  const auto unsatisfied = parse_content_range("bytes */123456");
  REQUIRE(unsatisfied);
  CHECK_FALSE(unsatisfied->first);
  CHECK(unsatisfied->complete_length == 123456u);

  CHECK_FALSE(parse_content_range("bytes */*"));
  CHECK_FALSE(parse_content_range("bytes 10-5/100"));   // last before first
  CHECK_FALSE(parse_content_range("bytes 0-100/100"));  // last past the end
  CHECK_FALSE(parse_content_range("items 0-1/2"));
  CHECK_FALSE(parse_content_range("bytes 0-x/2"));
  CHECK_FALSE(parse_content_range(""));
}

TEST_CASE("retries: which statuses are worth another attempt") {
  for (const long status : {408L, 429L, 500L, 502L, 503L, 504L, 520L})
    CHECK(is_retryable_status(status));
  // 501 and 505 will not change on a retry; 4xx are answers.
  for (const long status : {200L, 206L, 304L, 400L, 401L, 403L, 404L, 416L, 501L, 505L})
    CHECK_FALSE(is_retryable_status(status));
}

TEST_CASE("retries: exponential backoff, capped, and Retry-After") {
  HttpOptions options;
  options.backoff = milliseconds(500);
  options.max_backoff = milliseconds(3000);
  CHECK(retry_delay(options, 1, std::nullopt) == milliseconds(500));
  CHECK(retry_delay(options, 2, std::nullopt) == milliseconds(1000));
  CHECK(retry_delay(options, 3, std::nullopt) == milliseconds(2000));
  CHECK(retry_delay(options, 4, std::nullopt) == milliseconds(3000));
  CHECK(retry_delay(options, 40, std::nullopt) == milliseconds(3000));
  CHECK(retry_delay(options, 1, seconds(2)) == milliseconds(2000));
  CHECK(retry_delay(options, 1, seconds(120)) == milliseconds(3000));

  const auto now = std::chrono::system_clock::from_time_t(1700000000);  // 2023-11-14 22:13:20 UTC
  CHECK(parse_retry_after("7", now) == seconds(7));
  CHECK(parse_retry_after(" 0 ", now) == seconds(0));
  CHECK(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now) == seconds(30));
  CHECK(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now) == seconds(0));  // already past
  CHECK_FALSE(parse_retry_after("soon", now));
}

TEST_CASE("URLs in messages hide passwords and lone tokens; cache keys drop them") {
  CHECK(redact_url("https://alice:s3cret@pypi.example.com/simple/") ==
        "https://alice:****@pypi.example.com/simple/");
  CHECK(redact_url("https://ghp_token@pypi.example.com/simple/") ==
        "https://****@pypi.example.com/simple/");
  CHECK(redact_url("https://pypi.example.com/simple/") == "https://pypi.example.com/simple/");
  // An '@' in the path is not user info.
  CHECK(redact_url("https://host/files/a@b.whl") == "https://host/files/a@b.whl");
  CHECK(redact_url("not a url") == "not a url");
  CHECK(url_without_credentials("https://alice:s3cret@host:8443/simple/x/") ==
        "https://host:8443/simple/x/");
  CHECK(url_without_credentials("https://host/simple/x/") == "https://host/simple/x/");
}

TEST_CASE("responses describe themselves with the method, the URL and the status") {
  HttpResponse response;
  response.url = "https://alice:pw@host/simple/numpy/";
  response.status = 404;
  response.attempts = 1;
  CHECK(response.describe() == "GET https://alice:****@host/simple/numpy/: HTTP 404");
  CHECK_FALSE(response.ok());

  response.status = 0;
  response.error = "Couldn't connect to server";
  response.attempts = 4;
  response.head = true;
  CHECK(
      response.describe() ==
      "HEAD https://alice:****@host/simple/numpy/: Couldn't connect to server (after 4 attempts)");

  HttpResponse redirected;
  redirected.url = "https://host/simple/NumPy";
  redirected.effective_url = "https://host/simple/numpy/";
  redirected.status = 500;
  CHECK(redirected.describe() ==
        "GET https://host/simple/NumPy (redirected to https://host/simple/numpy/): HTTP 500");
  redirected.status = 200;
  CHECK(redirected.ok());
}
