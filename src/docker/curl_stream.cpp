#include "docker/curl_stream.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "predict/curl_api.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace pkgsizer::docker {
namespace {

using predict::curl;
constexpr std::size_t kChunkBytes = 1 << 20;
constexpr std::size_t kStreamBufferBytes = 512 << 10;

struct SmallBody {
  HttpAnswer* answer;
  std::size_t max_bytes;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* target) {
  auto& body = *static_cast<SmallBody*>(target);
  if (body.answer->body.size() + size * count > body.max_bytes) return 0;
  body.answer->body.append(data, size * count);
  return size * count;
}

std::size_t keep_header(char* data, std::size_t size, std::size_t count, void* target) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(target);
  const std::string_view line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos)
    headers[lowercase(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 1)));
  return size * count;
}

// Writes the body into the socket the reader drains; MSG_NOSIGNAL so that a reader that
// stopped early (an error) ends the transfer instead of the process.
std::size_t send_body(char* data, std::size_t size, std::size_t count, void* target) {
  const int fd = *static_cast<int*>(target);
  std::size_t done = 0;
  while (done < size * count) {
    const ssize_t sent = ::send(fd, data + done, size * count - done, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return 0;
    }
    done += static_cast<std::size_t>(sent);
  }
  return done;
}

class SocketPair {
 public:
  SocketPair() {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_) != 0)
      throw Error(ErrorCategory::kInternal, fmt::format("socketpair: {}", std::strerror(errno)));
    // Room for a chunk or more in flight (the kernel caps it at net.core.wmem_max): fewer
    // hand-overs between the transfer thread and the reader, each a wait on a busy machine.
    const int bytes = static_cast<int>(kChunkBytes);
    ::setsockopt(fds_[1], SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
  }
  ~SocketPair() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;
  int reader() const { return fds_[0]; }
  int& writer() { return fds_[1]; }

 private:
  int fds_[2] = {-1, -1};
};

}  // namespace

void EasyDeleter::operator()(CURL* easy) const { curl().easy_cleanup(easy); }

EasyPointer new_easy(const std::string& url, long timeout_seconds) {
  EasyPointer easy(curl().easy_init());
  if (!easy) throw Error(ErrorCategory::kInternal, "libcurl: out of memory");
  curl().easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
  curl().easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
  curl().easy_setopt(easy.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl().easy_setopt(easy.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl().easy_setopt(easy.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl().easy_setopt(easy.get(), CURLOPT_MAXREDIRS, 5L);
  curl().easy_setopt(easy.get(), CURLOPT_CONNECTTIMEOUT, timeout_seconds);
  // A peer that stops sending: less than 1 byte/s for the whole timeout ends the transfer.
  curl().easy_setopt(easy.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl().easy_setopt(easy.get(), CURLOPT_LOW_SPEED_TIME, timeout_seconds);
  curl().easy_setopt(easy.get(), CURLOPT_USERAGENT, "pkgsizer");
  return easy;
}

HttpAnswer perform_small(CURL* easy, const std::string& what, std::size_t max_bytes) {
  HttpAnswer answer;
  SmallBody body{&answer, max_bytes};
  curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_body);
  curl().easy_setopt(easy, CURLOPT_WRITEDATA, &body);
  curl().easy_setopt(easy, CURLOPT_HEADERFUNCTION, keep_header);
  curl().easy_setopt(easy, CURLOPT_HEADERDATA, &answer.headers);
  const CURLcode code = curl().easy_perform(easy);
  if (code != CURLE_OK)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{}: {}", what, curl().easy_strerror(code)));
  curl().easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

void perform_streamed(CURL* easy, const std::string& what,
                      const std::function<void(const ChunkSource&)>& consume) {
  SocketPair sockets;
  curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, send_body);
  curl().easy_setopt(easy, CURLOPT_WRITEDATA, &sockets.writer());
  curl().easy_setopt(easy, CURLOPT_FAILONERROR, 1L);
  // curl's receive buffer (16 KiB by default; it caps what it accepts): larger reads from the
  // daemon's socket, larger writes to the reader.
  curl().easy_setopt(easy, CURLOPT_BUFFERSIZE, static_cast<long>(kStreamBufferBytes));
  CURLcode result = CURLE_OK;
  std::thread transfer([&] {
    result = curl().easy_perform(easy);
    ::shutdown(sockets.writer(), SHUT_WR);
  });
  std::string buffer(kChunkBytes, '\0');
  const ChunkSource source = [&]() -> std::string_view {
    for (;;) {
      const ssize_t got = ::read(sockets.reader(), buffer.data(), buffer.size());
      if (got >= 0) return {buffer.data(), static_cast<std::size_t>(got)};
      if (errno != EINTR)
        throw Error(ErrorCategory::kEnvironment, fmt::format("{}: {}", what, std::strerror(errno)));
    }
  };
  std::exception_ptr failure;
  try {
    consume(source);
  } catch (...) {
    failure = std::current_exception();
    ::shutdown(sockets.reader(), SHUT_RDWR);  // the writer's next send fails: curl stops
  }
  transfer.join();
  if (result != CURLE_OK) {
    long status = 0;
    curl().easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (!failure || result != CURLE_WRITE_ERROR)
      throw Error(status == 404 ? ErrorCategory::kNotFound : ErrorCategory::kEnvironment,
                  status >= 400 ? fmt::format("{}: HTTP {}", what, status)
                                : fmt::format("{}: {}", what, curl().easy_strerror(result)));
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace pkgsizer::docker
