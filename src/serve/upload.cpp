#include "serve/upload.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "model/scan_json.hpp"
#include "predict/http_client.hpp"
#include "serve/tokens.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/read_file.hpp"
#include "util/text.hpp"

namespace pkgsizer::serve {

std::string read_token_file(const std::string& token_file) {
  std::string error;
  const std::optional<std::string> text = read_text_file(token_file, 64 * 1024, &error);
  if (!text)
    throw Error(ErrorCategory::kUsage,
                fmt::format("{}: cannot read the token file: {}", token_file, error));
  std::string token(trim(std::string_view(*text).substr(0, text->find('\n'))));
  if (token.empty())
    throw Error(ErrorCategory::kUsage, fmt::format("{}: the token file is empty", token_file));
  return token;
}

std::string upload_endpoint(const std::string& server_url) {
  if (server_url.rfind("http://", 0) != 0 && server_url.rfind("https://", 0) != 0)
    throw Error(ErrorCategory::kUsage,
                fmt::format("--upload {}: not an http:// or https:// URL", printable(server_url)));
  std::string base = server_url;
  const std::string endpoint = "/api/scans";
  if (base.size() >= endpoint.size() &&
      base.compare(base.size() - endpoint.size(), endpoint.size(), endpoint) == 0)
    return base;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + endpoint;
}

UploadResult upload_scan(const std::string& server_url, const std::string& token,
                         const UploadFields& fields, const Scan& scan) {
  predict::HttpRequest request;
  request.url = upload_endpoint(server_url);
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
  request.post_body = dump_json(nlohmann::ordered_json{{"environment", fields.environment},
                                                       {"label", fields.label},
                                                       {"git_commit", fields.git_commit},
                                                       {"git_branch", fields.git_branch},
                                                       {"scan", model::scan_to_json(scan)}});
  // The same key on every attempt: a server that recorded an attempt whose answer was lost (a
  // proxy's 502, a connection cut on the way back) answers the retry with that snapshot instead
  // of recording it twice (serve/idempotency.hpp).
  request.headers.emplace_back("Idempotency-Key", "pkgsizer-" + sha256_hex(*request.post_body));
  request.accept_compressed = false;
  request.max_body_bytes = 1024 * 1024;
  predict::HttpOptions options;
  options.retries = 2;
  predict::HttpClient client(options);
  const predict::HttpResponse response = client.fetch(request);
  if (response.status == 0)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("upload to {}: {}", printable(request.url), response.error));
  const nlohmann::json answer = nlohmann::json::parse(response.body, nullptr, false);
  if (!response.ok()) {
    std::string reason = excerpt(response.body);
    if (answer.is_object() && answer.contains("error") && answer["error"].is_string())
      reason = answer["error"].get<std::string>();
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("upload to {}: HTTP {}: {}", printable(request.url), response.status,
                            printable(reason)));
  }
  if (!answer.is_object() || !answer.contains("id") || !answer["id"].is_number_integer())
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("upload to {}: the answer is not a snapshot", printable(request.url)));
  UploadResult result;
  result.id = answer["id"].get<std::int64_t>();
  std::string base = request.url.substr(0, request.url.size() - std::string("/api/scans").size());
  result.url = fmt::format("{}/snapshot/{}", base, result.id);
  return result;
}

}  // namespace pkgsizer::serve
