// Uploads named by an Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header): a
// client that retries a POST whose answer it never got — a proxy's 502 after this server
// recorded the snapshot, a connection lost on the way back — sends the same key again and gets
// the first answer, not a second snapshot. `track snapshot --upload` sends one (docs/serve.md).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "serve/dashboard.hpp"

namespace pkgsizer::serve {

// 1 to 128 printable ASCII characters (no spaces): what a key may be.
bool valid_idempotency_key(std::string_view key);

class UploadKeys {
 public:
  explicit UploadKeys(std::size_t capacity = 10000) : capacity_(capacity) {}

  // For a key not seen: runs `upload` and remembers its answer when it succeeded (2xx). For a
  // key whose answer is remembered: that answer, without running anything. For a key whose
  // upload is running: waits for it, then as above. A failed upload is forgotten, so that a
  // retry runs again. The newest `capacity` answers are kept, for this server's lifetime.
  Response once(const std::string& key, const std::function<Response()>& upload);

 private:
  struct Entry {
    bool running = true;
    std::optional<Response> answer;
  };

  void forget_oldest();

  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable finished_;
  std::map<std::string, Entry> entries_;
  std::deque<std::string> answered_;  // keys with an answer, oldest first
};

}  // namespace pkgsizer::serve
