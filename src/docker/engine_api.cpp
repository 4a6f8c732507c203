#include "docker/engine_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>

#include "docker/curl_stream.hpp"
#include "predict/curl_api.hpp"
#include "util/error.hpp"

namespace pkgsizer::docker {
namespace {

using predict::curl;
constexpr std::string_view kDefaultSocket = "/var/run/docker.sock";
constexpr std::size_t kMaxAnswerBytes = 16 << 20;
constexpr long kTimeoutSeconds = 60;

class Daemon {
 public:
  explicit Daemon(std::string socket) : socket_(std::move(socket)) {}

  EasyPointer handle(const std::string& path) const {
    EasyPointer easy = new_easy("http://localhost" + path, kTimeoutSeconds);
    curl().easy_setopt(easy.get(), CURLOPT_UNIX_SOCKET_PATH, socket_.c_str());
    return easy;
  }

  // A small JSON answer; its HTTP status in `status`.
  nlohmann::json get_json(const std::string& path, long& status) const {
    EasyPointer easy = handle(path);
    const HttpAnswer answer = perform_small(
        easy.get(),
        fmt::format("docker daemon at {} (is it running, and may you use its socket?)", socket_),
        kMaxAnswerBytes);
    status = answer.status;
    nlohmann::json value = nlohmann::json::parse(answer.body, nullptr, false);
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

std::vector<std::string> layer_commands_from_history(const nlohmann::json& history,
                                                     std::size_t layer_count) {
  if (!history.is_array()) return {};
  std::vector<std::string> all, sized;
  for (auto step = history.rbegin(); step != history.rend(); ++step) {
    if (!step->is_object()) return {};
    const auto created_by = step->find("CreatedBy");
    std::string command =
        created_by != step->end() && created_by->is_string() ? created_by->get<std::string>() : "";
    const auto size = step->find("Size");
    if (size != step->end() && size->is_number() && size->get<double>() > 0)
      sized.push_back(command);
    all.push_back(std::move(command));
  }
  if (sized.size() == layer_count) return sized;
  if (all.size() == layer_count) return all;
  return {};
}

std::string socket_path_from_docker_host(const std::string& docker_host) {
  if (docker_host.empty()) return std::string(kDefaultSocket);
  if (docker_host.starts_with("unix://")) return docker_host.substr(7);
  throw Error(ErrorCategory::kUsage,
              fmt::format("DOCKER_HOST={}: only unix:// sockets are supported", docker_host));
}

namespace {

// A config whose history is missing or shorter than its layers (imported, squashed or
// hand-made images) leaves layers without a command: the daemon's own history may know them.
void fill_history_from_daemon(const Daemon& daemon, const std::string& prefix, Image& image) {
  const bool some_missing =
      std::any_of(image.layers.begin(), image.layers.end(),
                  [](const ImageLayer& layer) { return layer.created_by.empty(); });
  if (!some_missing) return;
  long status = 0;
  const nlohmann::json history = daemon.get_json(prefix + "/history", status);
  if (status != 200) return;  // the commands are a courtesy: the image was read already
  const std::vector<std::string> commands =
      layer_commands_from_history(history, image.layers.size());
  for (std::size_t i = 0; i < commands.size(); ++i)
    if (image.layers[i].created_by.empty()) image.layers[i].created_by = commands[i];
}

}  // namespace

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

  // /get streams a docker save tarball, read as it comes, as a file would be.
  EasyPointer easy = daemon.handle(prefix + "/get");
  Image image;
  perform_streamed(easy.get(), fmt::format("{}: GET {}/get", name, prefix),
                   [&](const ChunkSource& source) {
                     image = read_docker_archive_stream(source, name, "", options);
                   });
  image.reference = name;
  image.source = "daemon";
  fill_history_from_daemon(daemon, prefix, image);
  return image;
}

}  // namespace pkgsizer::docker
