// Notifications of a size check: where they go (Slack, Discord or any JSON webhook), what they
// say (each service's documented payload), the [notify] table of pkgsizer.toml, and webhook
// URLs as messages may show them (their secrets hidden). Pure: no network here (delivery.hpp).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::notify {

// The version of the generic webhook's payload (docs/notifications.md): raised when a field
// changes meaning or goes away, not when one is added.
inline constexpr int kPayloadVersion = 1;

enum class Service { kSlack, kDiscord, kWebhook };
const char* to_string(Service service);

struct Target {
  Service service = Service::kWebhook;
  std::string url;  // without a slack:/discord:/webhook: prefix
};

// "slack:URL", "discord:URL", "webhook:URL", or a bare URL whose host tells: hooks.slack.com is
// Slack, discord.com (or discordapp.com) /api/webhooks/ is Discord, anything else the generic
// webhook. Throws pkgsizer::Error (usage) for what is not an http(s) URL, naming it redacted.
Target parse_target(std::string_view text);

// The URL as a message may show it: scheme, host and port only, "…" for the rest, since a
// webhook's path (Slack's /services/T/B/SECRET, Discord's /api/webhooks/ID/TOKEN), query
// (?token=) and user information are its credentials. "https://hooks.slack.com/…".
std::string redact_url(std::string_view url);

// What happened, for every service to render in its own way.
struct Notification {
  std::string event;    // "budget_exceeded", "size_increase", "compare"
  std::string command;  // "check-budget", "track snapshot", "compare"
  std::string title;    // one line: "pkgsizer: budget exceeded (total 812 MB > 500 MB)"
  std::string report;   // the command's text report, shown in monospace
  bool alert = false;   // a failure, not just news
  nlohmann::json details = nlohmann::json::object();  // the event's facts (docs/notifications.md)
};

// The JSON body to POST: Slack's incoming-webhook message ({"text": ...}), Discord's Execute
// Webhook parameters ({"content", "embeds", ...}, within its length limits), or the generic
// versioned document.
std::string render_payload(const Notification& notification, Service service);

// `text` cut to at most `max_bytes` bytes on a UTF-8 character boundary, ending in "…" when cut.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

// The [notify] table of pkgsizer.toml ([tool.pkgsizer.notify] of pyproject.toml).
struct NotifyConfig {
  std::vector<std::string> urls;
  // `track snapshot` notifies when the total grew by more than this (bytes or a share of the
  // previous total); never when unset.
  std::optional<std::uint64_t> increase_bytes;
  std::optional<double> increase_percent;
};

// Throws pkgsizer::Error (usage) "FILE:LINE:COLUMN: what is wrong". A file without the table
// gives an empty configuration.
NotifyConfig parse_notify_config(std::string_view text, const std::string& file_name);

}  // namespace pkgsizer::notify
