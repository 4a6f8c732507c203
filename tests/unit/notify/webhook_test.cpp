#include "notify/webhook.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "util/error.hpp"

using namespace pkgsizer;
using namespace pkgsizer::notify;

TEST_CASE("parse_target: a prefix names the service, else the host does") {
  CHECK(parse_target("https://hooks.slack.com/services/T/B/X").service == Service::kSlack);
  CHECK(parse_target("https://discord.com/api/webhooks/1/x").service == Service::kDiscord);
  CHECK(parse_target("https://canary.discordapp.com/api/webhooks/1/x").service ==
        Service::kDiscord);
  CHECK(parse_target("https://discord.com/other").service == Service::kWebhook);
  CHECK(parse_target("https://evilhooks.slack.com.example/x").service == Service::kWebhook);
  const Target slack = parse_target("slack:http://127.0.0.1:8080/x");
  CHECK(slack.service == Service::kSlack);
  CHECK(slack.url == "http://127.0.0.1:8080/x");
  CHECK(parse_target("WEBHOOK:https://hooks.slack.com/x").service == Service::kWebhook);
  CHECK(parse_target("discord:https://ci.example/d").service == Service::kDiscord);
  CHECK_THROWS_AS(parse_target("ftp://host/x"), Error);
  CHECK_THROWS_AS(parse_target("slack:"), Error);
  CHECK_THROWS_AS(parse_target("hooks.slack.com/services/x"), Error);
  CHECK_THROWS_AS(parse_target("https:///nohost"), Error);
}

TEST_CASE("redact_url keeps the scheme, host and port only") {
  CHECK(redact_url("https://hooks.slack.com/services/T/B/SECRET") == "https://hooks.slack.com/…");
  CHECK(redact_url("http://user:pw@127.0.0.1:9/x?token=t") == "http://127.0.0.1:9/…");
  CHECK(redact_url("https://token@host") == "https://host/…");
  CHECK(redact_url("https://host?k=SECRET") == "https://host/…");
  CHECK(redact_url("https://host") == "https://host");
  CHECK(redact_url("https://[::1]:8080/p") == "https://[::1]:8080/…");
  CHECK(redact_url("no url at all SECRET") == "(a webhook URL)");
}

TEST_CASE("truncate_utf8 never cuts a character in two") {
  CHECK(truncate_utf8("short", 10) == "short");
  CHECK(truncate_utf8("abcdefgh", 6) == "abc…");
  CHECK(truncate_utf8("ééééé", 7) == "éé…");  // 2-byte characters; the ellipsis takes 3
  CHECK(truncate_utf8("abc", 2).empty());
}

TEST_CASE("render_payload: each service's documented shape") {
  Notification notification;
  notification.event = "budget_exceeded";
  notification.command = "check-budget";
  notification.title = "pkgsizer: budget exceeded";
  notification.report = "total  812 MB  500 MB\n```sneaky```";
  notification.alert = true;
  notification.details = {{"total_bytes", 812}};

  const auto slack = nlohmann::json::parse(render_payload(notification, Service::kSlack));
  REQUIRE(slack.size() == 1);
  const std::string text = slack["text"];
  CHECK(text.rfind("pkgsizer: budget exceeded\n```\n", 0) == 0);
  CHECK(text.find("```sneaky") == std::string::npos);  // a fence in the report is broken up

  const auto discord = nlohmann::json::parse(render_payload(notification, Service::kDiscord));
  CHECK(discord["content"] == "pkgsizer: budget exceeded");
  CHECK(discord["allowed_mentions"]["parse"].empty());
  CHECK(discord["embeds"][0]["title"] == "check-budget");

  notification.report = std::string(10000, 'x');
  const auto long_discord = nlohmann::json::parse(render_payload(notification, Service::kDiscord));
  CHECK(long_discord["embeds"][0]["description"].get<std::string>().size() <= 4096);
  const auto long_slack = nlohmann::json::parse(render_payload(notification, Service::kSlack));
  CHECK(long_slack["text"].get<std::string>().size() <= 4000);

  const auto generic = nlohmann::json::parse(render_payload(notification, Service::kWebhook));
  CHECK(generic["schema"] == "pkgsizer-notification");
  CHECK(generic["version"] == kPayloadVersion);
  CHECK(generic["event"] == "budget_exceeded");
  CHECK(generic["alert"] == true);
  CHECK(generic["details"]["total_bytes"] == 812);
}

TEST_CASE("parse_notify_config: [notify] of pkgsizer.toml and pyproject.toml") {
  const NotifyConfig config = parse_notify_config(
      "[budget]\ntotal = 1\n[notify]\nurls = [\"slack:https://h/x\"]\nnotify_on_increase = "
      "\"5MB\"\n",
      "pkgsizer.toml");
  CHECK(config.urls == std::vector<std::string>{"slack:https://h/x"});
  CHECK(config.increase_bytes == 5'000'000);
  CHECK_FALSE(config.increase_percent);
  CHECK(parse_notify_config("[notify]\nnotify_on_increase = \"10%\"\n", "pkgsizer.toml")
            .increase_percent == 10.0);
  CHECK(
      parse_notify_config("[notify]\nnotify_on_increase = 100\n", "pkgsizer.toml").increase_bytes ==
      100);
  CHECK(parse_notify_config("[tool.pkgsizer.notify]\nurls = [\"https://h/x\"]\n",
                            "dir/pyproject.toml")
            .urls.size() == 1);
  CHECK(parse_notify_config("[budget]\ntotal = 1\n", "pkgsizer.toml").urls.empty());
  CHECK_THROWS_WITH(parse_notify_config("[notify]\nurl = []\n", "p.toml"),
                    "p.toml:2:1: unknown key 'url' in [notify] (did you mean 'urls'?)");
  CHECK_THROWS_WITH(parse_notify_config("[notify]\nurls = [\"ftp://SECRET@h/x\"]\n", "p.toml"),
                    Catch::Matchers::StartsWith("p.toml:2:9: --notify ftp://h/…"));
  CHECK_THROWS_AS(parse_notify_config("[notify]\nnotify_on_increase = \"lots\"\n", "p.toml"),
                  Error);
  CHECK_THROWS_AS(parse_notify_config("[notify]\nnotify_on_increase = -1\n", "p.toml"), Error);
  CHECK_THROWS_AS(parse_notify_config("notify = 3\n", "p.toml"), Error);
}
