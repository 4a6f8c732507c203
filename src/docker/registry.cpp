#include "docker/registry.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "docker/curl_stream.hpp"
#include "docker/oci.hpp"
#include "predict/curl_api.hpp"
#include "util/error.hpp"
#include "util/home.hpp"
#include "util/read_file.hpp"
#include "util/text.hpp"

namespace pkgsizer::docker {
namespace {

using predict::curl;
constexpr std::size_t kMaxManifestBytes = 16 << 20;
constexpr const char* kManifestTypes =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl().slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

std::string base64_decode(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const std::size_t value = kAlphabet.find(c);
    if (value == std::string_view::npos) continue;  // '=' padding, whitespace
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

bool is_loopback(const std::string& host) {
  const std::string name =
      host.substr(0, host.rfind(':') == std::string::npos || host.front() == '[' ? host.size()
                                                                                 : host.rfind(':'));
  return name == "localhost" || name == "127.0.0.1" || name == "[::1]" || name.starts_with("127.");
}

std::string default_docker_config() {
  if (const char* directory = std::getenv("DOCKER_CONFIG"); directory && *directory)
    return std::string(directory) + "/config.json";
  const std::string home = home_directory();
  return home.empty() ? std::string() : home + "/.docker/config.json";
}

class Registry {
 public:
  Registry(const RegistryReference& reference, const RegistryOptions& options)
      : reference_(reference), options_(options) {
    base_ = fmt::format("{}://{}/v2/{}/",
                        options.plain_http || is_loopback(reference.host) ? "http" : "https",
                        reference.host, reference.repository);
    const std::string config_path =
        options.docker_config.empty() ? default_docker_config() : options.docker_config;
    if (!config_path.empty())
      if (std::optional<std::string> text = read_text_file(config_path, kMaxInputFileBytes))
        credentials_ = credentials_for(*text, reference.host);
  }

  // A manifest or index by tag or digest; verified when asked for by digest.
  std::string manifest(const std::string& reference) {
    const HttpAnswer answer = get("manifests/" + reference, kManifestTypes);
    if (reference.starts_with("sha256:")) {
      Sha256 hash;
      hash.update(answer.body);
      check_digest(reference, hash.hex_digest(), describe("manifests/" + reference));
    }
    return answer.body;
  }

  std::string json_blob(const std::string& digest) {
    const HttpAnswer answer = get("blobs/" + digest, nullptr);
    Sha256 hash;
    hash.update(answer.body);
    check_digest(digest, hash.hex_digest(), describe("blobs/" + digest));
    return answer.body;
  }

  Layer layer_blob(const std::string& digest, const LayerLimits& limits) {
    EasyPointer easy = request("blobs/" + digest, nullptr);
    Slist headers = header_list(nullptr);
    curl().easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers.get());
    Layer layer;
    perform_streamed(easy.get(), describe("blobs/" + digest), [&](const ChunkSource& source) {
      layer = read_layer(source, describe("blobs/" + digest), limits);
    });
    check_digest(digest, layer.digest, describe("blobs/" + digest));
    return layer;
  }

 private:
  std::string describe(const std::string& path) const {
    return fmt::format("{}/{}: {}", reference_.host, reference_.repository, path);
  }

  EasyPointer request(const std::string& path, const char* /*accept*/) const {
    return new_easy(base_ + path, options_.timeout_seconds);
  }

  Slist header_list(const char* accept) const {
    Slist list;
    const auto add = [&](const std::string& line) {
      curl_slist* grown = curl().slist_append(list.get(), line.c_str());
      if (!grown) throw Error(ErrorCategory::kInternal, "libcurl: out of memory");
      static_cast<void>(list.release());
      list.reset(grown);
    };
    if (accept) add(accept);
    if (!authorization_.empty()) add("Authorization: " + authorization_);
    return list;
  }

  HttpAnswer get(const std::string& path, const char* accept) {
    HttpAnswer answer = get_once(path, accept);
    if (answer.status == 401 && authorize(answer)) answer = get_once(path, accept);
    if (answer.status == 200) return answer;
    const std::string what = describe(path);
    if (answer.status == 401 || answer.status == 403)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("{}: HTTP {}: not authorized ({})", what, answer.status,
                              credentials_ ? "the credentials of config.json were refused"
                                           : "no credentials for this registry in config.json"));
    if (answer.status == 404)
      throw Error(ErrorCategory::kNotFound,
                  fmt::format("{}: HTTP 404: no such image or blob", what));
    throw Error(ErrorCategory::kEnvironment, fmt::format("{}: HTTP {}", what, answer.status));
  }

  HttpAnswer get_once(const std::string& path, const char* accept) const {
    EasyPointer easy = request(path, accept);
    Slist headers = header_list(accept);
    curl().easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers.get());
    return perform_small(easy.get(), describe(path), kMaxManifestBytes);
  }

  // Answers a 401's challenge once: Basic with the config's credentials, or Bearer with a token
  // from the realm (asked with those credentials when there are some).
  bool authorize(const HttpAnswer& answer) {
    if (!authorization_.empty()) return false;  // already tried
    const auto challenge = answer.headers.find("www-authenticate");
    if (challenge == answer.headers.end()) return false;
    if (iequals(challenge->second.substr(0, 6), "basic ") || iequals(challenge->second, "basic")) {
      if (!credentials_) return false;
      authorization_ = "Basic " + base64_encode(*credentials_);
      return true;
    }
    const auto bearer = parse_bearer_challenge(challenge->second);
    if (!bearer || bearer->count("realm") == 0U) return false;
    std::string url = bearer->at("realm");
    char separator = url.find('?') == std::string::npos ? '?' : '&';
    for (const char* key : {"service", "scope"})
      if (const auto value = bearer->find(key); value != bearer->end()) {
        url += fmt::format("{}{}={}", separator, key, url_encode(value->second));
        separator = '&';
      }
    EasyPointer easy = new_easy(url, options_.timeout_seconds);
    Slist headers;
    if (credentials_) {
      curl().easy_setopt(easy.get(), CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
      curl().easy_setopt(easy.get(), CURLOPT_USERPWD, credentials_->c_str());
    }
    const HttpAnswer token_answer =
        perform_small(easy.get(), fmt::format("token from {}", bearer->at("realm")), 1 << 20);
    if (token_answer.status != 200)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("{}: the token service {} answered HTTP {}", reference_.host,
                              bearer->at("realm"), token_answer.status));
    const nlohmann::json token = nlohmann::json::parse(token_answer.body, nullptr, false);
    std::string value = token.is_object() ? token.value("token", "") : "";
    if (value.empty() && token.is_object()) value = token.value("access_token", "");
    if (value.empty())
      throw Error(ErrorCategory::kEnvironment, fmt::format("{}: the token service {} gave no token",
                                                           reference_.host, bearer->at("realm")));
    authorization_ = "Bearer " + value;
    return true;
  }

  static std::string base64_encode(std::string_view text) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < text.size(); i += 3) {
      const auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(text[i]) << 16 |
                                                static_cast<unsigned char>(text[i + 1]) << 8 |
                                                static_cast<unsigned char>(text[i + 2]));
      for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
    }
    if (i < text.size()) {
      std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(text[i])) << 16;
      if (i + 1 < text.size())
        n |= static_cast<std::uint32_t>(static_cast<unsigned char>(text[i + 1])) << 8;
      out += kAlphabet[(n >> 18) & 63];
      out += kAlphabet[(n >> 12) & 63];
      out += i + 1 < text.size() ? kAlphabet[(n >> 6) & 63] : '=';
      out += '=';
    }
    return out;
  }

  RegistryReference reference_;
  RegistryOptions options_;
  std::string base_;
  std::optional<std::string> credentials_;
  std::string authorization_;
};

}  // namespace

std::optional<RegistryReference> parse_registry_reference(const std::string& text) {
  std::string rest;
  bool docker_scheme = false;
  if (text.starts_with("registry://")) {
    rest = text.substr(11);
  } else if (text.starts_with("docker://")) {
    rest = text.substr(9);
    docker_scheme = true;
  } else {
    return std::nullopt;
  }
  RegistryReference reference;
  const std::size_t slash = rest.find('/');
  const std::string first = rest.substr(0, slash);
  const bool names_host = first.find('.') != std::string::npos ||
                          first.find(':') != std::string::npos || first == "localhost";
  if (slash != std::string::npos && (names_host || !docker_scheme)) {
    reference.host = first;
    rest = rest.substr(slash + 1);
  } else if (docker_scheme) {
    reference.host = "registry-1.docker.io";
    if (rest.find('/') == std::string::npos) rest = "library/" + rest;
  } else {
    return std::nullopt;
  }
  if (const std::size_t at = rest.find('@'); at != std::string::npos) {
    reference.repository = rest.substr(0, at);
    reference.reference = rest.substr(at + 1);
  } else if (const std::size_t colon = rest.rfind(':');
             colon != std::string::npos && rest.find('/', colon) == std::string::npos) {
    reference.repository = rest.substr(0, colon);
    reference.reference = rest.substr(colon + 1);
  } else {
    reference.repository = rest;
    reference.reference = "latest";
  }
  if (reference.repository.empty() || reference.reference.empty()) return std::nullopt;
  return reference;
}

std::optional<std::string> credentials_for(const std::string& config_text,
                                           const std::string& host) {
  const nlohmann::json config = nlohmann::json::parse(config_text, nullptr, false);
  if (!config.is_object() || !config.contains("auths") || !config["auths"].is_object())
    return std::nullopt;
  const nlohmann::json& auths = config["auths"];
  std::vector<std::string> keys{host, "https://" + host, "http://" + host};
  if (host == "registry-1.docker.io")
    keys.insert(keys.end(), {"https://index.docker.io/v1/", "docker.io", "index.docker.io"});
  for (const std::string& key : keys) {
    const auto entry = auths.find(key);
    if (entry == auths.end() || !entry->is_object()) continue;
    if (const auto auth = entry->find("auth"); auth != entry->end() && auth->is_string()) {
      std::string decoded = base64_decode(auth->get<std::string>());
      if (decoded.find(':') != std::string::npos) return decoded;
    }
    const std::string user = entry->value("username", "");
    if (!user.empty()) return user + ":" + entry->value("password", "");
  }
  return std::nullopt;
}

std::optional<std::map<std::string, std::string>> parse_bearer_challenge(
    const std::string& header) {
  if (header.size() < 7 || !iequals(header.substr(0, 7), "bearer ")) return std::nullopt;
  std::map<std::string, std::string> params;
  std::size_t at = 7;
  while (at < header.size()) {
    while (at < header.size() && (header[at] == ' ' || header[at] == ',')) ++at;
    const std::size_t equals = header.find('=', at);
    if (equals == std::string::npos) break;
    const std::string key = lowercase(trim(header.substr(at, equals - at)));
    at = equals + 1;
    std::string value;
    if (at < header.size() && header[at] == '"') {
      ++at;
      while (at < header.size() && header[at] != '"') {
        if (header[at] == '\\' && at + 1 < header.size()) ++at;
        value += header[at++];
      }
      ++at;
    } else {
      const std::size_t comma = header.find(',', at);
      value = std::string(trim(header.substr(at, comma - at)));
      at = comma == std::string::npos ? header.size() : comma;
    }
    params[key] = value;
  }
  return params;
}

Image read_from_registry(const RegistryReference& reference, const std::string& text,
                         const RegistryOptions& registry_options, const ReadOptions& options) {
  Registry registry(reference, registry_options);
  BlobAccess blobs;
  blobs.json = [&](const std::string& digest) { return registry.json_blob(digest); };
  blobs.manifest = [&](const std::string& digest) { return registry.manifest(digest); };
  blobs.layer = [&](const std::string& digest, std::size_t /*index*/) {
    return registry.layer_blob(digest, options.limits);
  };
  const Json top = parse_json(
      registry.manifest(reference.reference),
      fmt::format("{}/{}:{}", reference.host, reference.repository, reference.reference));
  const bool index =
      is_index_media_type(string_field(top, "mediaType")) || top.contains("manifests");
  Image image = resolve_manifest(
      index ? choose_manifest(top, blobs, "", wanted_platform(options)) : top, blobs);
  image.reference = text;
  image.source = "registry";
  image.tags.push_back(reference.reference);
  return image;
}

}  // namespace pkgsizer::docker
