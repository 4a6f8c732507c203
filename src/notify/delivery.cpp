#include "notify/delivery.hpp"

#include <fmt/format.h>

#include "predict/http_client.hpp"
#include "util/text.hpp"

namespace pkgsizer::notify {
namespace {

predict::HttpOptions http_options(const DeliveryOptions& options) {
  predict::HttpOptions http;
  http.connect_timeout = options.timeout;
  http.total_timeout = options.timeout;  // a deadline: a webhook answers at once or not at all
  http.timeout = std::chrono::seconds(0);
  http.retries = options.retries;
  http.backoff = options.backoff;
  http.max_backoff = options.max_backoff;
  http.max_redirects = 0;  // a moved webhook is a configuration to fix, not to follow
  return http;
}

// Why a delivery failed, in words that hold no part of the URL: libcurl's error buffer names
// hosts and ports at most, and the status line is the server's.
std::string failure(const predict::HttpResponse& response) {
  if (!response.error.empty()) return printable(response.error);
  std::string text = fmt::format("HTTP {}", response.status);
  if (!response.body.empty()) text += ": " + printable(excerpt(trim(response.body), 200));
  return text;
}

}  // namespace

std::vector<Delivery> deliver(const std::vector<Target>& targets, const Notification& notification,
                              const DeliveryOptions& options) {
  std::vector<predict::HttpRequest> requests;
  requests.reserve(targets.size());
  for (const Target& target : targets) {
    predict::HttpRequest request;
    request.url = target.url;
    request.headers = {{"Content-Type", "application/json"}};
    request.post_body = render_payload(notification, target.service);
    request.accept_compressed = false;
    request.max_body_bytes = 1024 * 1024;
    requests.push_back(std::move(request));
  }
  std::vector<Delivery> deliveries;
  deliveries.reserve(targets.size());
  if (requests.empty()) return deliveries;
  predict::HttpClient client(http_options(options));
  const std::vector<predict::HttpResponse> responses = client.fetch_all(requests);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    Delivery delivery;
    delivery.target = redact_url(targets[i].url);
    delivery.service = targets[i].service;
    delivery.status = responses[i].status;
    delivery.attempts = responses[i].attempts;
    delivery.ok = responses[i].ok();
    if (!delivery.ok) delivery.error = failure(responses[i]);
    deliveries.push_back(std::move(delivery));
  }
  return deliveries;
}

}  // namespace pkgsizer::notify
