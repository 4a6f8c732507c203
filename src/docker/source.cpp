#include "docker/source.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <fstream>

#include "docker/engine_api.hpp"
#include "util/error.hpp"

namespace pkgsizer::docker {
namespace {

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

// A tar has "ustar" at offset 257; a compressed docker save starts with gzip or zstd magic.
bool starts_like_archive(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::string head(262, '\0');
  file.read(head.data(), static_cast<std::streamsize>(head.size()));
  const std::size_t got = static_cast<std::size_t>(file.gcount());
  if (got >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
      static_cast<unsigned char>(head[1]) == 0x8b)
    return true;
  if (got >= 4 && head.compare(0, 4, "\x28\xb5\x2f\xfd") == 0) return true;
  return got == 262 && head.compare(257, 5, "ustar") == 0;
}

// "oci:DIR:TAG" -> {DIR, TAG}; a ':' is a tag separator only after the last '/'.
std::pair<std::string, std::string> split_tag(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  const std::size_t slash = text.rfind('/');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash))
    return {text, ""};
  return {text.substr(0, colon), text.substr(colon + 1)};
}

}  // namespace

bool looks_like_image(const std::string& reference) {
  for (const char* scheme :
       {"oci:", "docker://", "registry://", "docker-daemon:", "docker-archive:"})
    if (reference.starts_with(scheme)) return true;
  return is_regular_file(reference) && starts_like_archive(reference);
}

Image open_image(const std::string& reference, const SourceOptions& options) {
  if (reference.starts_with("oci:")) {
    const auto [directory, tag] = split_tag(reference.substr(4));
    return read_oci_layout(directory, tag, options.read);
  }
  if (reference.starts_with("docker-archive:")) {
    const auto [path, tag] = split_tag(reference.substr(15));
    return read_docker_archive(path, tag, options.read);
  }
  if (reference.starts_with("docker://") || reference.starts_with("registry://")) {
    const std::optional<RegistryReference> parsed = parse_registry_reference(reference);
    if (!parsed)
      throw Error(ErrorCategory::kUsage,
                  fmt::format("{}: not registry://HOST/NAME[:TAG|@DIGEST]", reference));
    return read_from_registry(*parsed, reference, options.registry, options.read);
  }
  if (is_regular_file(reference)) return read_docker_archive(reference, "", options.read);
  const std::string name =
      reference.starts_with("docker-daemon:") ? reference.substr(14) : reference;
  return read_from_daemon(name, options.docker_host, options.read);
}

}  // namespace pkgsizer::docker
