// --notify URL, --notify-strict, --notify-timeout, --notify-retries and --no-notify, shared by
// check-budget, track snapshot and compare, and the [notify] table of the nearest
// pkgsizer.toml. A failed notification is a warning on stderr; the check's own exit code
// stands (exit 5 with --notify-strict, when the check itself passed).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "notify/webhook.hpp"

namespace pkgsizer::cli {

struct NotifyRequest {
  std::vector<std::string> urls;  // --notify (repeatable)
  bool strict = false;
  bool disabled = false;  // --no-notify: not even the configuration's URLs
  double timeout_seconds = 10;
  int retries = 3;
};

void add_notify_options(CLI::App& command, NotifyRequest& request);

// The targets (the command line's, then the configuration's) and the configuration, checked
// before any work: a bad URL or [notify] table costs no scan. `config_path` empty: the nearest
// pkgsizer.toml or pyproject.toml from the current directory up (none: no configuration).
// Throws pkgsizer::Error (usage).
struct NotifyPlan {
  std::vector<notify::Target> targets;
  notify::NotifyConfig config;
  bool empty() const { return targets.empty(); }
};
NotifyPlan prepare_notify(const NotifyRequest& request, const std::string& config_path);

// Sends, reports failures on stderr (unless quiet), and returns the exit code to use:
// `exit_code`, or 5 when a delivery failed, --notify-strict was given and exit_code was 0.
int send_notification(const NotifyPlan& plan, const NotifyRequest& request,
                      const notify::Notification& notification, int exit_code, bool quiet);

}  // namespace pkgsizer::cli
