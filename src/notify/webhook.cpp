#include "notify/webhook.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>

#include "budget/budget_config.hpp"
#include "pkgsizer/version.hpp"
#include "util/error.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"
#include "util/toml_type_name.hpp"

namespace pkgsizer::notify {
namespace {

// Length limits of the services (characters there; bytes here, which is never more).
// Discord, Execute Webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook):
// content up to 2000 characters; an embed's title 256 and description 4096.
constexpr std::size_t kDiscordContent = 2000;
constexpr std::size_t kDiscordEmbedTitle = 256;
constexpr std::size_t kDiscordEmbedDescription = 4096;
// Slack truncates a message's text past 40,000 characters and advises far less
// (https://api.slack.com/messaging/webhooks, chat.postMessage "Truncating content").
constexpr std::size_t kSlackText = 3900;
constexpr std::size_t kWebhookReport = 64 * 1024;

struct UrlParts {
  std::string scheme;     // "https"
  std::string authority;  // "user:pass@host:port"
  std::string host_port;  // "host:port"
  std::string host;       // lowercased, without the port
  std::string rest;       // "/path?query#fragment"
};

// RFC 3986 3: scheme "://" authority path-abempty [ "?" query ] [ "#" fragment ].
std::optional<UrlParts> split_url(std::string_view url) {
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  UrlParts parts;
  parts.scheme = lowercase(url.substr(0, colon));
  const std::string_view after = url.substr(colon + 3);
  const std::size_t end = std::min(after.find_first_of("/?#"), after.size());
  parts.authority = std::string(after.substr(0, end));
  parts.rest = std::string(after.substr(end));
  const std::size_t at = parts.authority.rfind('@');
  parts.host_port = at == std::string::npos ? parts.authority : parts.authority.substr(at + 1);
  std::string_view host = parts.host_port;
  if (!host.empty() && host.front() == '[') {  // an IPv6 literal keeps its colons
    host = host.substr(0, std::min(host.find(']') + 1, host.size()));
  } else {
    host = host.substr(0, host.find(':'));
  }
  parts.host = lowercase(host);
  return parts;
}

bool host_is(const std::string& host, std::string_view domain) {
  return host == domain || (host.size() > domain.size() &&
                            host.compare(host.size() - domain.size(), domain.size(), domain) == 0 &&
                            host[host.size() - domain.size() - 1] == '.');
}

Service service_of(const UrlParts& parts) {
  if (host_is(parts.host, "hooks.slack.com")) return Service::kSlack;
  const bool discord = host_is(parts.host, "discord.com") || host_is(parts.host, "discordapp.com");
  if (discord && parts.rest.rfind("/api/webhooks/", 0) == 0) return Service::kDiscord;
  return Service::kWebhook;
}

std::string code_block(std::string_view text, std::size_t max_bytes) {
  // ``` inside the report would end the block early: none of pkgsizer's reports has one, but
  // a package name could; break it with a zero-width space.
  std::string safe(text);
  for (std::size_t at = safe.find("```"); at != std::string::npos; at = safe.find("```", at + 4))
    safe.insert(at + 1, "\u200b");
  return "```\n" + truncate_utf8(safe, max_bytes > 8 ? max_bytes - 8 : 0) + "\n```";
}

std::string slack_payload(const Notification& notification) {
  // Incoming webhooks take a message's "text" as mrkdwn
  // (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks); the report
  // goes in a preformatted block so that its columns line up.
  std::string text = notification.title;
  if (!notification.report.empty())
    text += "\n" + code_block(notification.report, kSlackText - std::min(kSlackText, text.size()));
  return nlohmann::json{{"text", text}}.dump();
}

std::string discord_payload(const Notification& notification) {
  nlohmann::json payload{
      {"username", "pkgsizer"},
      {"content", truncate_utf8(notification.title, kDiscordContent)},
      // No @everyone or role pings from a package name in the report.
      {"allowed_mentions", {{"parse", nlohmann::json::array()}}},
  };
  if (!notification.report.empty())
    payload["embeds"] = nlohmann::json::array(
        {{{"title", truncate_utf8(notification.command, kDiscordEmbedTitle)},
          {"description", code_block(notification.report, kDiscordEmbedDescription)},
          {"color", notification.alert ? 0xCF222E : 0x1F883D}}});
  return payload.dump();
}

std::string webhook_payload(const Notification& notification) {
  const nlohmann::json payload{
      {"schema", "pkgsizer-notification"},
      {"version", kPayloadVersion},
      {"pkgsizer_version", std::string(kVersion)},
      {"event", notification.event},
      {"command", notification.command},
      {"alert", notification.alert},
      {"title", notification.title},
      {"report", truncate_utf8(notification.report, kWebhookReport)},
      {"details", notification.details},
  };
  return payload.dump();
}

[[noreturn]] void fail(const std::string& file, const toml::source_region& where,
                       const std::string& what) {
  if (where.begin.line == 0) throw Error(ErrorCategory::kUsage, fmt::format("{}: {}", file, what));
  throw Error(ErrorCategory::kUsage,
              fmt::format("{}:{}:{}: {}", file, where.begin.line, where.begin.column, what));
}

void read_increase(const std::string& file, const toml::node& value, NotifyConfig& config) {
  const std::optional<std::string> text = value.value<std::string>();
  if (text) {
    if (const std::optional<double> percent = budget::parse_percent(*text)) {
      config.increase_percent = *percent;
      return;
    }
    if (const std::optional<std::uint64_t> bytes = parse_size(*text)) {
      config.increase_bytes = *bytes;
      return;
    }
  } else if (const std::optional<std::int64_t> number = value.value<std::int64_t>();
             number && *number >= 0) {
    config.increase_bytes = static_cast<std::uint64_t>(*number);
    return;
  }
  fail(file, value.source(),
       "notify_on_increase must be a size (\"5MB\", or bytes) or a share of the previous total "
       "(\"10%\")");
}

void read_urls(const std::string& file, const toml::node& value, NotifyConfig& config) {
  const toml::array* urls = value.as_array();
  if (!urls)
    fail(file, value.source(),
         fmt::format("urls must be an array of strings, found {}", toml_type_name(value)));
  for (const toml::node& url : *urls) {
    const std::optional<std::string> text = url.value<std::string>();
    if (!text)
      fail(file, url.source(),
           fmt::format("urls must hold strings, found {}", toml_type_name(url)));
    try {
      parse_target(*text);
    } catch (const Error& error) {
      fail(file, url.source(), error.what());
    }
    config.urls.push_back(*text);
  }
}

}  // namespace

const char* to_string(Service service) {
  switch (service) {
    case Service::kSlack:
      return "slack";
    case Service::kDiscord:
      return "discord";
    case Service::kWebhook:
      return "webhook";
  }
  return "webhook";
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  constexpr std::string_view kEllipsis = "\u2026";
  if (max_bytes < kEllipsis.size()) return "";
  const std::size_t budget = max_bytes - kEllipsis.size();
  std::size_t end = 0;
  while (end < text.size()) {
    const std::size_t length = utf8_sequence_length(text, end);
    if (end + std::max<std::size_t>(length, 1) > budget) break;
    end += std::max<std::size_t>(length, 1);
  }
  return std::string(text.substr(0, end)) + std::string(kEllipsis);
}

std::string redact_url(std::string_view url) {
  const std::optional<UrlParts> parts = split_url(url);
  if (!parts) return "(a webhook URL)";
  const std::string shown = parts->scheme + "://" + parts->host_port;
  return parts->rest.empty() && parts->authority == parts->host_port ? shown : shown + "/\u2026";
}

Target parse_target(std::string_view text) {
  Target target;
  std::string_view url = trim(text);
  static constexpr std::pair<std::string_view, Service> kPrefixes[] = {
      {"slack:", Service::kSlack},
      {"discord:", Service::kDiscord},
      {"webhook:", Service::kWebhook}};
  std::optional<Service> named;
  for (const auto& [prefix, service] : kPrefixes)
    if (url.size() > prefix.size() && iequals(url.substr(0, prefix.size()), prefix)) {
      named = service;
      url.remove_prefix(prefix.size());
      break;
    }
  const std::optional<UrlParts> parts = split_url(url);
  if (!parts || (parts->scheme != "http" && parts->scheme != "https") || parts->host.empty())
    throw Error(ErrorCategory::kUsage,
                fmt::format("--notify {}: not an http(s) URL (slack:URL, discord:URL, webhook:URL "
                            "or a URL)",
                            parts ? redact_url(url) : "(the value given)"));
  target.service = named.value_or(service_of(*parts));
  target.url = std::string(url);
  return target;
}

std::string render_payload(const Notification& notification, Service service) {
  switch (service) {
    case Service::kSlack:
      return slack_payload(notification);
    case Service::kDiscord:
      return discord_payload(notification);
    case Service::kWebhook:
      return webhook_payload(notification);
  }
  return webhook_payload(notification);
}

NotifyConfig parse_notify_config(std::string_view text, const std::string& file_name) {
  toml::table document;
  try {
    document = toml::parse(text, file_name);
  } catch (const toml::parse_error& error) {
    fail(file_name, error.source(), std::string(error.description()));
  }
  const toml::node* table = document.get("notify");
  std::string where = "[notify]";
  if (budget::is_pyproject(file_name)) {
    const toml::node* pkgsizer = document.at_path("tool.pkgsizer").node();
    table = pkgsizer && pkgsizer->is_table() ? pkgsizer->as_table()->get("notify") : nullptr;
    where = "[tool.pkgsizer.notify]";
  }
  NotifyConfig config;
  if (!table) return config;
  if (!table->is_table())
    fail(file_name, table->source(),
         fmt::format("{} must be a table, found {}", where, toml_type_name(*table)));
  for (const auto& [key, value] : *table->as_table()) {
    if (key.str() == "urls") {
      read_urls(file_name, value, config);
    } else if (key.str() == "notify_on_increase") {
      read_increase(file_name, value, config);
    } else {
      const auto suggestion = closest_match(key.str(), {"urls", "notify_on_increase"});
      fail(file_name, key.source(),
           fmt::format("unknown key '{}' in {}{}", key.str(), where,
                       suggestion ? fmt::format(" (did you mean '{}'?)", *suggestion) : ""));
    }
  }
  return config;
}

}  // namespace pkgsizer::notify
