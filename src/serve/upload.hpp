// `pkgsizer track snapshot --upload URL --token-file FILE`: a scan sent to a `pkgsizer serve`
// (POST URL/api/scans, docs/serve.md "API") instead of written to a history here.
#pragma once

#include <cstdint>
#include <string>

#include "model/model.hpp"
#include "serve/dashboard.hpp"

namespace pkgsizer::serve {

struct UploadResult {
  std::int64_t id = 0;
  std::string url;  // the snapshot's page
};

// The token in `token_file`: its first line, trimmed. Throws pkgsizer::Error (kUsage) when it
// cannot be read or is empty.
std::string read_token_file(const std::string& token_file);

// "https://host/base" → "https://host/base/api/scans" (a URL already ending in /api/scans is
// kept). Throws pkgsizer::Error (kUsage) for a URL that is not http:// or https://.
std::string upload_endpoint(const std::string& server_url);

// POSTs the scan with its fields. Throws pkgsizer::Error: kEnvironment when the server cannot be
// reached or refuses (the status and its one-line reason, never the token).
UploadResult upload_scan(const std::string& server_url, const std::string& token,
                         const UploadFields& fields, const Scan& scan);

}  // namespace pkgsizer::serve
