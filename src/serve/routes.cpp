#include "serve/routes.hpp"

#include <charconv>

#include "util/text.hpp"

namespace pkgsizer::serve {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_control(std::string_view text, std::size_t at, std::size_t length) {
  const auto first = static_cast<unsigned char>(text[at]);
  if (length == 1) return first < 0x20 || first == 0x7f;
  // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
  return length == 2 && first == 0xc2 && static_cast<unsigned char>(text[at + 1]) < 0xa0;
}

Route not_found(std::string reason) {
  Route route;
  route.reason = std::move(reason);
  return route;
}

// "ID" or "ID/recommend" after /snapshot/ or /api/snapshots/.
Route snapshot_route(std::string_view rest, bool api) {
  Route route;
  route.api = api;
  std::string_view id_text = rest;
  route.kind = RouteKind::kSnapshot;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (rest.substr(slash) != "/recommend") return not_found("no such page of a snapshot");
    id_text = rest.substr(0, slash);
    route.kind = RouteKind::kRecommend;
  }
  const auto id = parse_snapshot_id(id_text);
  if (!id) return not_found("a snapshot id is a positive decimal number");
  route.first = *id;
  return route;
}

Route diff_route(std::string_view rest, bool api) {
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return not_found("a diff is /diff/ID/ID");
  const auto first = parse_snapshot_id(rest.substr(0, slash));
  const auto second = parse_snapshot_id(rest.substr(slash + 1));
  if (!first || !second) return not_found("a snapshot id is a positive decimal number");
  Route route;
  route.kind = RouteKind::kDiff;
  route.api = api;
  route.first = *first;
  route.second = *second;
  return route;
}

Route environment_route(std::string_view name, RouteKind kind, bool api) {
  if (!valid_name(name)) return not_found("not a valid environment name");
  Route route;
  route.kind = kind;
  route.api = api;
  route.environment = std::string(name);
  return route;
}

}  // namespace

std::optional<std::int64_t> parse_snapshot_id(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  if (text.front() < '0' || text.front() > '9') return std::nullopt;
  return value;
}

bool valid_optional_text(std::string_view text) {
  if (text.size() > kMaxNameBytes) return false;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8_sequence_length(text, at);
    if (length == 0 || is_control(text, at, length)) return false;
    at += length;
  }
  return true;
}

bool valid_name(std::string_view text) { return !text.empty() && valid_optional_text(text); }

bool valid_git_commit(std::string_view text) {
  if (text.empty()) return true;
  if (text.size() < 4 || text.size() > 64) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

std::optional<std::size_t> parse_page_number(std::string_view text) {
  if (text.empty()) return 1;
  if (text.size() > 7) return std::nullopt;
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 1000000)
    return std::nullopt;
  return value;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kDigits[byte >> 4];
      out += kDigits[byte & 0x0f];
    }
  }
  return out;
}

Route route_get(std::string_view path) {
  if (path == "/") return Route{RouteKind::kEnvironments, false, {}, 0, 0, {}};
  if (path == "/api/environments") return Route{RouteKind::kEnvironments, true, {}, 0, 0, {}};
  if (path == "/healthz") return Route{RouteKind::kHealth, false, {}, 0, 0, {}};
  if (path == "/favicon.ico") return Route{RouteKind::kFavicon, false, {}, 0, 0, {}};
  if (starts_with(path, "/env/"))
    return environment_route(path.substr(5), RouteKind::kEnvironment, false);
  if (starts_with(path, "/api/env/"))
    return environment_route(path.substr(9), RouteKind::kEnvironment, true);
  if (starts_with(path, "/chart/") && path.size() > 11 && path.substr(path.size() - 4) == ".svg")
    return environment_route(path.substr(7, path.size() - 11), RouteKind::kEnvironmentChart, false);
  if (starts_with(path, "/snapshot/")) return snapshot_route(path.substr(10), false);
  if (starts_with(path, "/api/snapshots/")) return snapshot_route(path.substr(15), true);
  if (starts_with(path, "/diff/")) return diff_route(path.substr(6), false);
  if (starts_with(path, "/api/diff/")) return diff_route(path.substr(10), true);
  return not_found("no such page");
}

}  // namespace pkgsizer::serve
