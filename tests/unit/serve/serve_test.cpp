#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "serve/idempotency.hpp"
#include "serve/routes.hpp"
#include "serve/server.hpp"
#include "serve/tokens.hpp"
#include "serve/upload.hpp"
#include "util/error.hpp"

using namespace pkgsizer::serve;

TEST_CASE("parse_snapshot_id: positive decimal numbers only") {
  CHECK(parse_snapshot_id("42") == 42);
  CHECK(parse_snapshot_id("1") == 1);
  CHECK(parse_snapshot_id("999999999999999999") == 999999999999999999);
  for (const char* bad :
       {"", "0", "-1", "+1", "1e3", "0x10", "../1", "1/", " 1", "1 ", "9999999999999999999", "12a"})
    CHECK_FALSE(parse_snapshot_id(bad));
}

TEST_CASE("valid_name: printable UTF-8, no control characters, bounded") {
  CHECK(valid_name("team/app"));
  CHECK(valid_name("/home/ci/.venv"));
  CHECK(valid_name("Zürich ✓"));
  CHECK_FALSE(valid_name(""));
  CHECK_FALSE(valid_name("a\nb"));
  CHECK_FALSE(valid_name(std::string("a\0b", 3)));
  CHECK_FALSE(valid_name("a\x7f"));
  CHECK_FALSE(valid_name("a\xc2\x85"));  // U+0085 NEXT LINE, a C1 control
  CHECK_FALSE(valid_name("\xff\xfe"));   // not UTF-8
  CHECK(valid_name(std::string(kMaxNameBytes, 'x')));
  CHECK_FALSE(valid_name(std::string(kMaxNameBytes + 1, 'x')));
  CHECK(valid_optional_text(""));
}

TEST_CASE("valid_git_commit: empty or 4 to 64 hex digits") {
  CHECK(valid_git_commit(""));
  CHECK(valid_git_commit("0123abcd"));
  CHECK(valid_git_commit(std::string(40, 'f')));
  CHECK_FALSE(valid_git_commit("abc"));
  CHECK_FALSE(valid_git_commit("xyz1"));
  CHECK_FALSE(valid_git_commit(std::string(65, 'a')));
}

TEST_CASE("parse_page_number: 1 to 1000000, empty is 1") {
  CHECK(parse_page_number("") == 1u);
  CHECK(parse_page_number("3") == 3u);
  CHECK_FALSE(parse_page_number("0"));
  CHECK_FALSE(parse_page_number("-2"));
  CHECK_FALSE(parse_page_number("1000001"));
  CHECK_FALSE(parse_page_number("two"));
}

TEST_CASE("percent_encode: one path segment whatever the name holds") {
  CHECK(percent_encode("team/app") == "team%2Fapp");
  CHECK(percent_encode("a b?#%") == "a%20b%3F%23%25");
  CHECK(percent_encode("Az09-._~") == "Az09-._~");
  CHECK(percent_encode("ü") == "%C3%BC");
}

TEST_CASE("route_get: the fixed routes, nothing else") {
  CHECK(route_get("/").kind == RouteKind::kEnvironments);
  CHECK(route_get("/api/environments").api);
  const Route env = route_get("/env/team/app");
  CHECK(env.kind == RouteKind::kEnvironment);
  CHECK(env.environment == "team/app");
  CHECK_FALSE(env.api);
  CHECK(route_get("/api/env/x").api);
  const Route chart = route_get("/chart/team/app.svg");
  CHECK(chart.kind == RouteKind::kEnvironmentChart);
  CHECK(chart.environment == "team/app");
  const Route snapshot = route_get("/snapshot/12");
  CHECK(snapshot.kind == RouteKind::kSnapshot);
  CHECK(snapshot.first == 12);
  CHECK(route_get("/api/snapshots/12").api);
  CHECK(route_get("/snapshot/12/recommend").kind == RouteKind::kRecommend);
  CHECK(route_get("/api/snapshots/12/recommend").api);
  const Route diff = route_get("/diff/3/4");
  CHECK(diff.kind == RouteKind::kDiff);
  CHECK((diff.first == 3 && diff.second == 4));
  for (const char* bad : {"/etc/passwd", "/../etc/passwd", "/snapshot/../1", "/snapshot/1/x",
                          "/snapshot/", "/diff/1", "/diff/1/2/3", "/diff/a/b", "/env/", "/env/a\nb",
                          "/chart/.svg", "/static/app.js", "/index.html", ""})
    CHECK(route_get(bad).kind == RouteKind::kNotFound);
}

TEST_CASE("tokens: SHA-256 at rest, scopes, constant-time lookup") {
  // FIPS 180-4 test vector.
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string token = new_token_text();
  CHECK(token.size() == 4 + 64);
  CHECK(token.rfind("pks_", 0) == 0);
  CHECK(new_token_text() != token);
  CHECK(scope_allows(TokenScope::kUpload, TokenScope::kRead));
  CHECK(scope_allows(TokenScope::kUpload, TokenScope::kUpload));
  CHECK(scope_allows(TokenScope::kRead, TokenScope::kRead));
  CHECK_FALSE(scope_allows(TokenScope::kRead, TokenScope::kUpload));
  CHECK(token_scope_from_string("upload") == TokenScope::kUpload);
  CHECK_FALSE(token_scope_from_string("admin"));

  TokenRecord record{"abcd1234", "ci", TokenScope::kUpload, sha256_hex(token),
                     "2026-01-01T00:00:00Z"};
  const std::vector<TokenRecord> tokens = parse_tokens(tokens_to_text({record}), "t.json");
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].scope == TokenScope::kUpload);
  CHECK(find_token(tokens, token));
  CHECK_FALSE(find_token(tokens, token + "x"));
  CHECK_FALSE(find_token(tokens, ""));
  CHECK(tokens_to_text(tokens).find(token) == std::string::npos);
  CHECK_THROWS_AS(parse_tokens("{\"tokens\": 3}", "t.json"), pkgsizer::Error);
  CHECK_THROWS_AS(parse_tokens("nope", "t.json"), pkgsizer::Error);
}

TEST_CASE("TokenFile: add, revoke, mode 0600") {
  const auto dir = std::filesystem::temp_directory_path() / "pkgsizer-unit-tokens";
  std::filesystem::remove_all(dir);
  TokenFile file((dir / "state" / "tokens.json").string());
  CHECK(file.read().empty());
  const std::string token = file.add(TokenScope::kRead, "viewer");
  const auto records = file.read();
  REQUIRE(records.size() == 1);
  CHECK(records[0].name == "viewer");
  CHECK(records[0].id == records[0].sha256.substr(0, 8));
  CHECK(find_token(records, token));
  const auto permissions = std::filesystem::status(file.path()).permissions();
  CHECK((permissions & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  CHECK(file.revoke("viewer"));
  CHECK_FALSE(file.revoke("viewer"));
  CHECK(file.read().empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("default_tokens_path: XDG state home, else ~/.local/state") {
  CHECK(default_tokens_path("/xdg", "/home/me") == "/xdg/pkgsizer/serve-tokens.json");
  CHECK(default_tokens_path("relative", "/home/me") ==
        "/home/me/.local/state/pkgsizer/serve-tokens.json");
  CHECK(default_tokens_path(nullptr, "/home/me") ==
        "/home/me/.local/state/pkgsizer/serve-tokens.json");
  CHECK(default_tokens_path(nullptr, nullptr).empty());
}

TEST_CASE("parse_listen_address") {
  const auto v4 = parse_listen_address("127.0.0.1:8080");
  REQUIRE(v4);
  CHECK((v4->host == "127.0.0.1" && v4->port == 8080));
  const auto v6 = parse_listen_address("[::1]:0");
  REQUIRE(v6);
  CHECK((v6->host == "::1" && v6->port == 0));
  for (const char* bad :
       {"", "8080", "host:", ":80", "host:65536", "host:-1", "::1:80", "[::1]80", "host:80x"})
    CHECK_FALSE(parse_listen_address(bad));
}

TEST_CASE("content_security_policy: inline scripts by hash, nothing else may load") {
  const std::string none = content_security_policy("<p>no script</p>");
  CHECK(none.find("default-src 'none'") != std::string::npos);
  CHECK(none.find("script-src 'none'") != std::string::npos);
  // SHA-256 of "abc", base64 (CSP Level 3 hash-source).
  const std::string one = content_security_policy("<script>abc</script>");
  CHECK(one.find("script-src 'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='") !=
        std::string::npos);
  CHECK(one.find("'unsafe-inline'; img-src") != std::string::npos);  // styles only
}

TEST_CASE("upload_endpoint") {
  CHECK(upload_endpoint("https://sizes.example") == "https://sizes.example/api/scans");
  CHECK(upload_endpoint("https://sizes.example/base/") == "https://sizes.example/base/api/scans");
  CHECK(upload_endpoint("http://h/api/scans") == "http://h/api/scans");
  CHECK_THROWS_AS(upload_endpoint("file:///etc/passwd"), pkgsizer::Error);
  CHECK_THROWS_AS(upload_endpoint("sizes.example"), pkgsizer::Error);
}

TEST_CASE("an upload's idempotency key: the first answer again, never a second upload") {
  using pkgsizer::serve::Response;
  using pkgsizer::serve::UploadKeys;
  CHECK(pkgsizer::serve::valid_idempotency_key("pkgsizer-0123abcd"));
  CHECK_FALSE(pkgsizer::serve::valid_idempotency_key(""));
  CHECK_FALSE(pkgsizer::serve::valid_idempotency_key("has space"));
  CHECK_FALSE(pkgsizer::serve::valid_idempotency_key(std::string(129, 'k')));
  UploadKeys keys(2);
  int uploads = 0;
  const auto created = [&] {
    ++uploads;
    return Response{201, "application/json", "{\"id\": " + std::to_string(uploads) + "}"};
  };
  CHECK(keys.once("a", created).body == "{\"id\": 1}");
  CHECK(keys.once("a", created).body == "{\"id\": 1}");  // a retry: the first answer
  CHECK(uploads == 1);
  // A failed upload is forgotten: its retry runs.
  const auto failed = [&] {
    ++uploads;
    return Response{500, "application/json", "{}"};
  };
  CHECK(keys.once("b", failed).status == 500);
  CHECK(keys.once("b", created).status == 201);
  CHECK(uploads == 3);
  // Only the newest answers are kept: "a" is forgotten once two newer ones are.
  keys.once("c", created);
  CHECK(keys.once("a", created).body == "{\"id\": 5}");
  // The same key at once from two threads: one upload, both get its answer.
  std::atomic<int> slow_uploads{0};
  const auto slow = [&] {
    ++slow_uploads;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return Response{201, "application/json", "slow"};
  };
  std::string first;
  std::thread other([&] { first = keys.once("d", slow).body; });
  const std::string second = keys.once("d", slow).body;
  other.join();
  CHECK(slow_uploads == 1);
  CHECK(first == "slow");
  CHECK(second == "slow");
}
