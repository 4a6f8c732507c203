// Sending a notification: one POST per target, all at once, each retried with backoff on a
// connection error, a timeout, 429 or 5xx (predict's HttpClient), within a time limit. Never
// throws for a failed delivery: the caller decides whether that matters (--notify-strict).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "notify/webhook.hpp"

namespace pkgsizer::notify {

struct DeliveryOptions {
  std::chrono::milliseconds timeout{10000};  // per attempt, connecting included
  int retries = 3;                           // attempts after the first
  std::chrono::milliseconds backoff{500};    // doubles per attempt
  std::chrono::milliseconds max_backoff{8000};
};

struct Delivery {
  std::string target;  // redacted: safe to print
  Service service = Service::kWebhook;
  bool ok = false;
  long status = 0;  // the last HTTP status, 0 when none arrived
  int attempts = 0;
  std::string error;  // why it failed, without the URL
};

std::vector<Delivery> deliver(const std::vector<Target>& targets, const Notification& notification,
                              const DeliveryOptions& options);

}  // namespace pkgsizer::notify
