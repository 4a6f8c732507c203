#include "serve/idempotency.hpp"

#include <algorithm>

namespace pkgsizer::serve {

bool valid_idempotency_key(std::string_view key) {
  return !key.empty() && key.size() <= 128 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

Response UploadKeys::once(const std::string& key, const std::function<Response()>& upload) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    const auto found = entries_.find(key);
    if (found == entries_.end()) break;
    if (!found->second.running) return *found->second.answer;
    finished_.wait(lock);  // the first upload with this key is running: its answer is ours
  }
  entries_.emplace(key, Entry{});
  lock.unlock();
  std::optional<Response> answer;
  try {
    answer = upload();
  } catch (...) {
    lock.lock();
    entries_.erase(key);
    finished_.notify_all();
    throw;
  }
  lock.lock();
  if (answer->status >= 200 && answer->status < 300) {
    Entry& entry = entries_[key];
    entry.running = false;
    entry.answer = answer;
    answered_.push_back(key);
    if (answered_.size() > capacity_) forget_oldest();
  } else {
    entries_.erase(key);
  }
  finished_.notify_all();
  return *answer;
}

void UploadKeys::forget_oldest() {
  entries_.erase(answered_.front());
  answered_.pop_front();
}

}  // namespace pkgsizer::serve
