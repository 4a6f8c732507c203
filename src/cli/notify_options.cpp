#include "cli/notify_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "budget/config_finder.hpp"
#include "cli/exit_codes.hpp"
#include "notify/delivery.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace pkgsizer::cli {

void add_notify_options(CLI::App& command, NotifyRequest& request) {
  command
      .add_option("--notify", request.urls,
                  "Send a notification to this webhook (repeatable): slack:URL, discord:URL, "
                  "webhook:URL, or a URL (hooks.slack.com and discord.com are recognised)")
      ->type_name("URL")
      ->group("Notifications");
  command
      .add_flag("--notify-strict", request.strict,
                "Exit 5 when a notification could not be delivered (else: a warning)")
      ->group("Notifications");
  command
      .add_option("--notify-timeout", request.timeout_seconds,
                  "Give up on one attempt after this many seconds (default 10)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.1, 300.0))
      ->group("Notifications");
  command
      .add_option("--notify-retries", request.retries,
                  "Attempts after the first, with a doubling wait from 0.5 s (default 3)")
      ->type_name("N")
      ->check(CLI::Range(0, 10))
      ->group("Notifications");
  command
      .add_flag("--no-notify", request.disabled,
                "Send nothing, not even to the [notify] URLs of pkgsizer.toml")
      ->group("Notifications");
}

NotifyPlan prepare_notify(const NotifyRequest& request, const std::string& config_path) {
  NotifyPlan plan;
  if (request.disabled) return plan;
  for (const std::string& url : request.urls) plan.targets.push_back(notify::parse_target(url));
  std::string file = config_path;
  if (file.empty()) {
    std::error_code error;
    const fs::path here = fs::current_path(error);
    if (error) return plan;
    const std::optional<fs::path> found = budget::find_config(here);
    if (!found) return plan;
    file = found->string();
  }
  std::string read_error;
  const std::optional<std::string> text = read_text_file(file, kMaxInputFileBytes, &read_error);
  if (!text) {
    // The budget's own reading reports a missing --config; nothing to add here.
    if (!config_path.empty()) return plan;
    throw Error(ErrorCategory::kUsage, fmt::format("{}: cannot read: {}", file, read_error));
  }
  plan.config = notify::parse_notify_config(*text, file);
  for (const std::string& url : plan.config.urls) {
    notify::Target target = notify::parse_target(url);
    // A URL both on the command line and in the file is told once.
    const bool known =
        std::any_of(plan.targets.begin(), plan.targets.end(),
                    [&](const notify::Target& other) { return other.url == target.url; });
    if (!known) plan.targets.push_back(std::move(target));
  }
  return plan;
}

int send_notification(const NotifyPlan& plan, const NotifyRequest& request,
                      const notify::Notification& notification, int exit_code, bool quiet) {
  if (plan.empty()) return exit_code;
  notify::DeliveryOptions options;
  options.timeout = std::chrono::milliseconds(std::llround(request.timeout_seconds * 1000));
  options.retries = request.retries;
  std::vector<notify::Delivery> deliveries;
  try {
    deliveries = notify::deliver(plan.targets, notification, options);
  } catch (const std::exception& error) {  // libcurl missing: every target failed alike
    for (const notify::Target& target : plan.targets)
      deliveries.push_back(
          {notify::redact_url(target.url), target.service, false, 0, 0, printable(error.what())});
  }
  bool failed = false;
  for (const notify::Delivery& delivery : deliveries) {
    if (delivery.ok) continue;
    failed = true;
    if (!quiet || request.strict)
      fmt::print(
          stderr, "pkgsizer: warning: notification to {} ({}) not delivered: {}{}\n",
          delivery.target, notify::to_string(delivery.service), delivery.error,
          delivery.attempts > 1 ? fmt::format(" (after {} attempts)", delivery.attempts) : "");
  }
  if (failed && request.strict && exit_code == kExitOk) return kExitOutput;
  return exit_code;
}

}  // namespace pkgsizer::cli
