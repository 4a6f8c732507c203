// What a request may name, checked before anything is looked up (docs/serve.md "Security"):
// snapshot ids are decimal numbers, environment names and labels are short printable text, and
// a path is matched against a fixed list of routes — nothing of it ever names a file. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::serve {

// The longest environment name, label and git branch accepted (bytes).
inline constexpr std::size_t kMaxNameBytes = 512;

// "42" → 42; nothing for "", "0", "+1", "1e3", "../1", or more than 18 digits.
std::optional<std::int64_t> parse_snapshot_id(std::string_view text);

// Non-empty, at most kMaxNameBytes, valid UTF-8, no control characters (C0, DEL, C1).
bool valid_name(std::string_view text);
// As valid_name, but may be empty (a label or a branch left out).
bool valid_optional_text(std::string_view text);
// Empty, or 4 to 64 hexadecimal digits (a short or whole SHA-1/SHA-256 object name).
bool valid_git_commit(std::string_view text);

// A page number of a listing: "1" to "1000000"; absent or empty is page 1.
std::optional<std::size_t> parse_page_number(std::string_view text);

// RFC 3986 percent-encoding of everything but the unreserved characters, so that a name with
// '/', '?', '#' or spaces is one path segment of a link.
std::string percent_encode(std::string_view text);

enum class RouteKind {
  kNotFound,
  kEnvironments,      // /                        /api/environments
  kEnvironment,       // /env/NAME                /api/env/NAME
  kEnvironmentChart,  // /chart/NAME.svg
  kSnapshot,          // /snapshot/ID             /api/snapshots/ID (the scan JSON)
  kRecommend,         // /snapshot/ID/recommend   /api/snapshots/ID/recommend
  kDiff,              // /diff/A/B                /api/diff/A/B
  kUpload,            // POST /api/scans
  kHealth,            // /healthz
  kFavicon,           // /favicon.ico, which browsers ask for: 204, no icon
};

struct Route {
  RouteKind kind = RouteKind::kNotFound;
  bool api = false;         // under /api/: JSON
  std::string environment;  // kEnvironment, kEnvironmentChart
  std::int64_t first = 0;   // kSnapshot, kRecommend, kDiff
  std::int64_t second = 0;  // kDiff
  std::string reason;       // kNotFound: what was wrong, for the 404 body
};

// The route of a GET (or HEAD) of `path`, already percent-decoded (a name may hold '/').
Route route_get(std::string_view path);

}  // namespace pkgsizer::serve
