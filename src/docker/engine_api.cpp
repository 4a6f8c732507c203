#include "docker/engine_api.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "predict/curl_api.hpp"
#include "util/error.hpp"

namespace pkgsizer::docker {
namespace {

using predict::curl;
constexpr std::string_view kDefaultSocket = "/var/run/docker.sock";
constexpr std::size_t kMaxAnswerBytes = 16 << 20;

struct EasyDeleter {
  void operator()(CURL* easy) const { curl().easy_cleanup(easy); }
};
using EasyPointer = std::unique_ptr<CURL, EasyDeleter>;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* target) {
  auto& body = *static_cast<std::string*>(target);
  if (body.size() + size * count > kMaxAnswerBytes) return 0;
  body.append(data, size * count);
  return size * count;
}

// Writes the body into a socket the reader drains; send() with MSG_NOSIGNAL so that a reader
// that stopped early (an error) ends the transfer instead of the process.
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

class Daemon {
 public:
  explicit Daemon(std::string socket) : socket_(std::move(socket)) {}

  EasyPointer handle(const std::string& path) const {
    EasyPointer easy(curl().easy_init());
    if (!easy) throw Error(ErrorCategory::kInternal, "libcurl: out of memory");
    curl().easy_setopt(easy.get(), CURLOPT_UNIX_SOCKET_PATH, socket_.c_str());
    const std::string url = "http://localhost" + path;
    curl().easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
    curl().easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
    curl().easy_setopt(easy.get(), CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    return easy;
  }

  // A small JSON answer; its HTTP status in `status`.
  nlohmann::json get_json(const std::string& path, long& status) const {
    EasyPointer easy = handle(path);
    std::string body;
    curl().easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, append_body);
    curl().easy_setopt(easy.get(), CURLOPT_WRITEDATA, &body);
    curl().easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, 60000L);
    const CURLcode code = curl().easy_perform(easy.get());
    if (code != CURLE_OK)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("docker daemon at {}: {} ({})", socket_, curl().easy_strerror(code),
                              "is it running, and may you use its socket?"));
    curl().easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
    nlohmann::json value = nlohmann::json::parse(body, nullptr, false);
    if (value.is_discarded()) value = nlohmann::json::object();
    return value;
  }

  const std::string& socket() const { return socket_; }

 private:
  std::string socket_;
};

std::string escape_path_segment(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || std::strchr("-._~:@", c) != nullptr)
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

std::string socket_path_from_docker_host(const std::string& docker_host) {
  if (docker_host.empty()) return std::string(kDefaultSocket);
  if (docker_host.starts_with("unix://")) return docker_host.substr(7);
  throw Error(ErrorCategory::kUsage,
              fmt::format("DOCKER_HOST={}: only unix:// sockets are supported", docker_host));
}

Image read_from_daemon(const std::string& name, const std::string& docker_host,
                       const ReadOptions& options) {
  const Daemon daemon(socket_path_from_docker_host(docker_host));
  long status = 0;
  // New daemons refuse clients older than their minimum; old ones do not know newer versions:
  // speak the daemon's own version (GET /version needs none).
  const nlohmann::json version = daemon.get_json("/version", status);
  const std::string api = version.value("ApiVersion", "");
  if (status != 200 || api.empty())
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{}: not a Docker Engine API (GET /version answered {})",
                            daemon.socket(), status));
  const std::string prefix = "/v" + api + "/images/" + escape_path_segment(name);
  const nlohmann::json inspect = daemon.get_json(prefix + "/json", status);
  if (status == 404)
    throw Error(ErrorCategory::kNotFound,
                fmt::format("{}: no such image in the daemon at {} (nor a file of that name)", name,
                            daemon.socket()));
  if (status != 200)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{}: the daemon answered {} to GET {}/json: {}", name, status, prefix,
                            inspect.value("message", "")));

  // /get streams a docker save tarball: curl pushes it into one end of a socket pair on its own
  // thread, the tar reader pulls from the other.
  int pair[2] = {-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    throw Error(ErrorCategory::kInternal, fmt::format("socketpair: {}", std::strerror(errno)));
  EasyPointer easy = daemon.handle(prefix + "/get");
  int writer = pair[1];
  curl().easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, send_body);
  curl().easy_setopt(easy.get(), CURLOPT_WRITEDATA, &writer);
  curl().easy_setopt(easy.get(), CURLOPT_FAILONERROR, 1L);
  CURLcode result = CURLE_OK;
  std::thread transfer([&] {
    result = curl().easy_perform(easy.get());
    ::shutdown(writer, SHUT_WR);
  });
  std::string buffer(1 << 20, '\0');
  const ChunkSource source = [&]() -> std::string_view {
    for (;;) {
      const ssize_t got = ::read(pair[0], buffer.data(), buffer.size());
      if (got >= 0) return {buffer.data(), static_cast<std::size_t>(got)};
      if (errno != EINTR)
        throw Error(ErrorCategory::kEnvironment, fmt::format("reading from the daemon: {}", std::strerror(errno)));
    }
  };
  Image image;
  try {
    image = read_docker_archive_stream(source, name, "", options);
  } catch (...) {
    ::shutdown(pair[0], SHUT_RDWR);
    transfer.join();
    ::close(pair[0]);
    ::close(pair[1]);
    throw;
  }
  transfer.join();
  ::close(pair[0]);
  ::close(pair[1]);
  if (result != CURLE_OK)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{}: GET {}/get failed: {}", name, prefix, curl().easy_strerror(result)));
  image.reference = name;
  image.source = "daemon";
  return image;
}

}  // namespace pkgsizer::docker
