#include <fcntl.h>
#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "docker/archive_api.hpp"
#include "docker/file_hasher.hpp"
#include "docker/image.hpp"
#include "docker/oci.hpp"
#include "util/checked.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::docker {
namespace {

constexpr std::size_t kChunkBytes = 1 << 20;
constexpr std::uint64_t kMaxJsonBytes = 64 * kMebibyte;

// Reads a file descriptor in large chunks, and knows where in the file the last one lies.
class FileChunks {
 public:
  FileChunks(int fd, std::string name)
      : fd_(fd), name_(std::move(name)), buffer_(kChunkBytes, '\0') {}
  std::string_view operator()() {
    for (;;) {
      const ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
      if (got >= 0) {
        offset_ += filled_;
        filled_ = static_cast<std::size_t>(got);
        return {buffer_.data(), filled_};
      }
      if (errno != EINTR) bad_input(fmt::format("{}: read error: {}", name_, std::strerror(errno)));
    }
  }
  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  // The file offset of `byte` when it lies in the last chunk given (libarchive may instead hand
  // out a copy of its own, for a block that straddled two chunks).
  std::optional<std::uint64_t> file_offset(const void* byte) const {
    const auto address = reinterpret_cast<std::uintptr_t>(byte);
    const auto begin = reinterpret_cast<std::uintptr_t>(buffer_.data());
    if (address < begin || address >= begin + filled_) return std::nullopt;
    return offset_ + (address - begin);
  }

 private:
  int fd_;
  std::string name_;
  std::string buffer_;
  std::uint64_t offset_ = 0;  // of the last chunk given
  std::size_t filled_ = 0;    // its length
};

int open_input(const std::string& path, std::uint64_t& size) {
  std::string error;
  const int fd = open_regular_file(path, size, &error);
  if (fd < 0) bad_input(fmt::format("{}: {}", path, error));
  return fd;
}

}  // namespace

void bad_input(const std::string& message) { throw Error(ErrorCategory::kEnvironment, message); }

Json parse_json(const std::string& text, const std::string& name) {
  Json value = Json::parse(text, nullptr, false);
  if (value.is_discarded() || (!value.is_object() && !value.is_array()))
    bad_input(fmt::format("{}: not valid JSON", name));
  return value;
}

std::string string_field(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

bool is_index_media_type(const std::string& type) {
  return type == "application/vnd.oci.image.index.v1+json" ||
         type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

namespace {

bool is_known_layer_media_type(const std::string& type) {
  static const std::vector<std::string> kKnown{
      "application/vnd.oci.image.layer.v1.tar",
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.oci.image.layer.v1.tar+zstd",
      "application/vnd.oci.image.layer.nondistributable.v1.tar",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
      "application/vnd.docker.image.rootfs.diff.tar",
      "application/vnd.docker.image.rootfs.diff.tar.gzip",
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"};
  return type.empty() || std::find(kKnown.begin(), kKnown.end(), type) != kKnown.end();
}

// "sha256:<64 hex>" -> "blobs/sha256/<hex>"; refuses anything else (a digest is a path here).
std::string blob_path(const std::string& digest) {
  const std::size_t colon = digest.find(':');
  const std::string algorithm = digest.substr(0, colon);
  const std::string hex = colon == std::string::npos ? "" : digest.substr(colon + 1);
  const bool hex_ok =
      hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (algorithm != "sha256" || !hex_ok)
    bad_input(fmt::format("unsupported or malformed digest '{}'", digest));
  return "blobs/sha256/" + hex;
}

Platform parse_platform(const std::string& text) {
  Platform platform;
  const std::size_t first = text.find('/');
  platform.os = text.substr(0, first);
  if (first != std::string::npos) {
    const std::size_t second = text.find('/', first + 1);
    platform.architecture = text.substr(first + 1, second - first - 1);
    if (second != std::string::npos) platform.variant = text.substr(second + 1);
  }
  return platform;
}

bool descriptor_matches(const Json& descriptor, const Platform& wanted) {
  const auto found = descriptor.find("platform");
  if (found == descriptor.end() || !found->is_object()) return true;
  if (string_field(*found, "os") != wanted.os) return false;
  if (string_field(*found, "architecture") != wanted.architecture) return false;
  return wanted.variant.empty() || string_field(*found, "variant") == wanted.variant;
}

std::string descriptor_tag(const Json& descriptor) {
  const auto annotations = descriptor.find("annotations");
  if (annotations == descriptor.end()) return {};
  std::string name = string_field(*annotations, "org.opencontainers.image.ref.name");
  if (name.empty()) name = string_field(*annotations, "io.containerd.image.name");
  return name;
}

bool tag_matches(const std::string& annotated, const std::string& tag) {
  if (annotated == tag) return true;
  // Docker 25 annotates "docker.io/library/app:v1"; the user says "app:v1" or "v1".
  return annotated.size() > tag.size() && annotated.ends_with(tag) &&
         (annotated[annotated.size() - tag.size() - 1] == ':' ||
          annotated[annotated.size() - tag.size() - 1] == '/');
}

// Picks the image manifest of `index` for the platform (and tag), descending nested indexes.
Json choose_manifest_at(const Json& index, const BlobAccess& blobs, const std::string& tag,
                        const Platform& platform, int depth) {
  if (depth > 4) bad_input("image indexes nested more than 4 deep");
  const auto manifests = index.find("manifests");
  if (manifests == index.end() || !manifests->is_array() || manifests->empty())
    bad_input("image index lists no manifests");
  std::vector<std::string> platforms_seen;
  for (const Json& descriptor : *manifests) {
    if (!descriptor.is_object()) continue;
    if (depth == 0 && !tag.empty() && !tag_matches(descriptor_tag(descriptor), tag)) continue;
    if (!descriptor_matches(descriptor, platform)) {
      const Json& p = descriptor["platform"];
      platforms_seen.push_back(string_field(p, "os") + "/" + string_field(p, "architecture"));
      continue;
    }
    const std::string digest = string_field(descriptor, "digest");
    const std::string type = string_field(descriptor, "mediaType");
    Json child = parse_json(blobs.manifest ? blobs.manifest(digest) : blobs.json(digest), digest);
    const std::string child_type = type.empty() ? string_field(child, "mediaType") : type;
    if (is_index_media_type(child_type) || child.contains("manifests"))
      return choose_manifest_at(child, blobs, "", platform, depth + 1);
    return child;
  }
  if (!tag.empty() && depth == 0)
    throw Error(ErrorCategory::kNotFound, fmt::format("no image tagged '{}' here", tag));
  throw Error(
      ErrorCategory::kNotFound,
      fmt::format(
          "no image for platform {}/{} (the image has: {}); choose with --platform", platform.os,
          platform.architecture,
          platforms_seen.empty() ? "none" : fmt::format("{}", fmt::join(platforms_seen, ", "))));
}

std::vector<std::string> history_commands(const Json& config) {
  std::vector<std::string> commands;
  const auto history = config.find("history");
  if (history == config.end() || !history->is_array()) return commands;
  for (const Json& step : *history) {
    if (!step.is_object() || step.value("empty_layer", false)) continue;
    std::string command = string_field(step, "created_by");
    if (command.empty()) command = string_field(step, "comment");
    commands.push_back(std::move(command));
  }
  return commands;
}

std::vector<std::string> diff_ids(const Json& config) {
  std::vector<std::string> ids;
  const auto rootfs = config.find("rootfs");
  if (rootfs == config.end() || !rootfs->is_object()) return ids;
  const auto list = rootfs->find("diff_ids");
  if (list == rootfs->end() || !list->is_array()) return ids;
  for (const Json& id : *list)
    if (id.is_string()) ids.push_back(id.get<std::string>());
  return ids;
}

void apply_config(Image& image, const Json& config) {
  image.os = string_field(config, "os");
  image.architecture = string_field(config, "architecture");
  image.variant = string_field(config, "variant");
  const std::vector<std::string> commands = history_commands(config);
  const std::vector<std::string> ids = diff_ids(config);
  for (std::size_t i = 0; i < image.layers.size(); ++i) {
    if (i < commands.size()) image.layers[i].created_by = commands[i];
    if (i < ids.size()) image.layers[i].diff_id = ids[i];
  }
}

}  // namespace

Json choose_manifest(const Json& index, const BlobAccess& blobs, const std::string& tag,
                     const Platform& platform) {
  return choose_manifest_at(index, blobs, tag, platform, 0);
}

Image resolve_oci(const Json& index, const BlobAccess& blobs, const std::string& tag,
                  const ReadOptions& options) {
  return resolve_manifest(choose_manifest(index, blobs, tag, wanted_platform(options)), blobs);
}

Platform wanted_platform(const ReadOptions& options) {
  return parse_platform(options.platform.empty() ? host_platform() : options.platform);
}

Image resolve_manifest(const Json& manifest, const BlobAccess& blobs) {
  Image image;
  const Json config_descriptor = manifest.value("config", Json::object());
  image.config_digest = string_field(config_descriptor, "digest");
  const Json config = parse_json(blobs.json(image.config_digest), image.config_digest);
  const auto layers = manifest.find("layers");
  if (layers == manifest.end() || !layers->is_array()) bad_input("image manifest lists no layers");
  for (const Json& descriptor : *layers) {
    ImageLayer layer;
    layer.media_type = string_field(descriptor, "mediaType");
    if (!is_known_layer_media_type(layer.media_type))
      bad_input(fmt::format("layer {}: unknown media type '{}'", string_field(descriptor, "digest"),
                            layer.media_type));
    const std::string digest = string_field(descriptor, "digest");
    layer.contents = blobs.layer(digest, image.layers.size());
    image.layers.push_back(std::move(layer));
  }
  apply_config(image, config);
  return image;
}

void check_digest(const std::string& expected, const std::string& actual, const std::string& name) {
  if (expected != actual)
    bad_input(
        fmt::format("{}: content does not match its digest (expected {}, got {}); the "
                    "file is damaged or was altered",
                    name, expected, actual));
}

namespace {

// ---- docker save --------------------------------------------------------------------------

struct ArchiveDeleter {
  void operator()(archive* handle) const { libarchive().read_free(handle); }
};

struct SourceState {
  const ChunkSource* source;
  std::string failure;
};

la_ssize_t outer_read(archive* handle, void* data, const void** buffer) {
  auto& state = *static_cast<SourceState*>(data);
  try {
    const std::string_view chunk = (*state.source)();
    *buffer = chunk.data();
    return static_cast<la_ssize_t>(chunk.size());
  } catch (const std::exception& error) {
    state.failure = error.what();
    libarchive().set_error(handle, EIO, "%s", error.what());
    return -1;
  }
}

// The members of a docker save tarball, read in one pass.
struct SavedArchive {
  std::map<std::string, std::pair<std::string, std::string>> texts;  // path -> (text, digest)
  std::map<std::string, Layer> layers;                               // path -> summary
  std::map<std::string, std::string> links;                          // path -> target path
  // Layers hashed from the file beside the parse (their Layer::digest is empty): path -> ticket.
  std::shared_ptr<PendingDigests> pending;
  std::map<std::string, std::size_t> tickets;

  // Follows symlinks and hard links (skopeo and podman write <id>/layer.tar -> ../<diffid>.tar).
  std::string resolve(std::string path) const {
    for (int hops = 0; hops < 16; ++hops) {
      const auto link = links.find(path);
      if (link == links.end()) return path;
      path = link->second;
    }
    bad_input(fmt::format("{}: too many levels of links", path));
  }
};

bool looks_like_layer(std::string_view head) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  if (head.size() >= 2 && byte(0) == 0x1f && byte(1) == 0x8b) return true;  // gzip
  if (head.size() >= 4 && byte(0) == 0x28 && byte(1) == 0xb5 && byte(2) == 0x2f && byte(3) == 0xfd)
    return true;  // zstd
  if (head.size() >= 3 && head.substr(0, 3) == "BZh") return true;
  if (head.size() >= 6 && head.substr(0, 6) ==
                              "\xfd"
                              "7zXZ\0")
    return true;
  if (head.size() >= 262 && head.substr(257, 5) == "ustar") return true;
  return head.size() >= 1024 && head.find_first_not_of('\0') == std::string_view::npos;
}

// Resolves a link target inside the tarball; refuses one that leaves it.
std::string link_target(const std::string& path, const std::string& target, bool symbolic,
                        const std::string& archive_name) {
  std::string joined = target;
  if (symbolic && !target.empty() && target.front() != '/') {
    const std::size_t slash = path.rfind('/');
    joined = (slash == std::string::npos ? "" : path.substr(0, slash + 1)) + target;
  }
  // normalize_entry_path refuses ".."; resolve the ones that stay inside first.
  std::vector<std::string> parts;
  std::size_t start = 0;
  const bool absolute = !joined.empty() && joined.front() == '/';
  while (start <= joined.size()) {
    const std::size_t slash = joined.find('/', start);
    const std::string part = joined.substr(start, slash - start);
    if (part == "..") {
      if (parts.empty())
        bad_input(fmt::format("{}: link '{}' -> '{}' points outside the archive; refused",
                              archive_name, path, target));
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (absolute)
    bad_input(fmt::format("{}: link '{}' -> '{}' is absolute, outside the archive; refused",
                          archive_name, path, target));
  return fmt::format("{}", fmt::join(parts, "/"));
}

// Queues the member's bytes in the file for hashing; nothing when its place in the file is not
// known (a stream, or a first block libarchive copied) or its size is not given.
std::optional<std::size_t> hash_in_file(PendingDigests* pending, const FileChunks& file,
                                        std::optional<std::uint64_t> data_offset,
                                        archive_entry* entry) {
  if (!pending || !data_offset || libarchive().entry_size_is_set(entry) == 0) return std::nullopt;
  const la_int64_t size = libarchive().entry_size(entry);
  if (size < 0 || !checked_add(*data_offset, static_cast<std::uint64_t>(size))) return std::nullopt;
  return pending->hasher().add(file.fd(), file.name(), *data_offset,
                               static_cast<std::uint64_t>(size));
}

// `file`: the tarball when it is a file (else a stream): its layers are then hashed from the file
// by a FileRangeHasher while they are parsed, rather than handed to a hashing thread.
SavedArchive read_saved_members(const ChunkSource& source, const std::string& name,
                                const ReadOptions& options, const FileChunks* file) {
  SavedArchive saved;
  if (file) saved.pending = std::make_shared<PendingDigests>();
  SourceState state{&source, {}};
  std::unique_ptr<archive, ArchiveDeleter> handle(libarchive().read_new());
  libarchive().read_support_filter_all(handle.get());
  libarchive().read_support_format_tar(handle.get());
  const auto fail = [&](std::string_view what) {
    if (!state.failure.empty()) bad_input(fmt::format("{}: {}", name, state.failure));
    const char* detail = libarchive().error_string(handle.get());
    bad_input(fmt::format("{}: {} ({})", name, what, detail ? detail : "no detail"));
  };
  if (libarchive().read_open(handle.get(), &state, nullptr, outer_read, nullptr) != ARCHIVE_OK)
    fail("not a docker save tarball");
  archive_entry* entry = nullptr;
  for (;;) {
    const int status = libarchive().read_next_header(handle.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) fail("truncated or not a tar");
    const char* raw = libarchive().entry_pathname(entry);
    const std::optional<std::string> path = normalize_entry_path(raw ? raw : "");
    if (!path)
      bad_input(
          fmt::format("{}: member '{}' points outside the archive; refused", name, raw ? raw : ""));
    if (const char* hard = libarchive().entry_hardlink(entry)) {
      saved.links[*path] = link_target(*path, hard, false, name);
      continue;
    }
    if (libarchive().entry_filetype(entry) == AE_IFLNK) {
      const char* target = libarchive().entry_symlink(entry);
      saved.links[*path] = link_target(*path, target ? target : "", true, name);
      continue;
    }
    if (libarchive().entry_filetype(entry) != AE_IFREG) continue;
    // The member's data as chunks; the first ones are looked at before deciding what it is.
    std::string head;
    bool member_ended = false;
    std::optional<std::uint64_t> data_offset;  // in the file, of the member's first byte
    bool first_block = true;
    const auto next_block = [&]() -> std::string_view {
      const void* block = nullptr;
      std::size_t length = 0;
      la_int64_t offset = 0;
      const int got = libarchive().read_data_block(handle.get(), &block, &length, &offset);
      if (got == ARCHIVE_EOF) {
        member_ended = true;
        return {};
      }
      if (got < ARCHIVE_WARN) fail(fmt::format("member {} truncated", *path));
      if (first_block && file && offset == 0) data_offset = file->file_offset(block);
      first_block = false;
      return {static_cast<const char*>(block), length};
    };
    while (!member_ended && head.size() < 1024) {
      const std::string_view block = next_block();
      head.append(block);
    }
    std::size_t first = head.find_first_not_of(" \t\r\n");
    const bool json = first != std::string::npos && (head[first] == '{' || head[first] == '[');
    if (!json && looks_like_layer(head)) {
      bool head_given = false;
      const ChunkSource member = [&]() -> std::string_view {
        if (!head_given) {
          head_given = true;
          if (!head.empty()) return head;
        }
        return member_ended ? std::string_view() : next_block();
      };
      const std::optional<std::size_t> ticket =
          file ? hash_in_file(saved.pending.get(), *file, data_offset, entry) : std::nullopt;
      saved.layers.emplace(*path,
                           read_layer(member, fmt::format("{}: {}", name, *path), options.limits,
                                      ticket ? StreamDigest::kElsewhere : StreamDigest::kCompute));
      if (ticket) saved.tickets.emplace(*path, *ticket);
      continue;
    }
    Sha256 hash;
    std::string text = std::move(head);
    while (!member_ended) {
      text.append(next_block());
      if (text.size() > kMaxJsonBytes)
        bad_input(fmt::format("{}: member {} is larger than {} MiB and not a layer", name, *path,
                              kMaxJsonBytes / kMebibyte));
    }
    hash.update(text);
    saved.texts.emplace(*path, std::make_pair(std::move(text), hash.hex_digest()));
  }
  return saved;
}

// Checks the digest of `member`, which image layer `layer` was read from, against `expected`
// ("" for none): now when it was hashed as it was read (`digest`), else once the hash from the
// file is done (analyse_image waits for it).
void expect_digest(SavedArchive& saved, const std::string& member, std::size_t layer,
                   const std::string& digest, const std::string& expected,
                   const std::string& name) {
  if (const auto ticket = saved.tickets.find(member); ticket != saved.tickets.end())
    saved.pending->expect(layer, ticket->second, expected, name);
  else if (!expected.empty())
    check_digest(expected, digest, name);
}

Image resolve_saved(SavedArchive& saved, const std::string& name, const std::string& tag,
                    const ReadOptions& options) {
  const auto text_of =
      [&](const std::string& member) -> const std::pair<std::string, std::string>& {
    const auto found = saved.texts.find(saved.resolve(member));
    if (found == saved.texts.end())
      bad_input(fmt::format("{}: member {} is missing", name, member));
    return found->second;
  };
  if (saved.texts.count("index.json") != 0U) {
    BlobAccess blobs;
    blobs.json = [&](const std::string& digest) {
      const auto& [text, actual] = text_of(blob_path(digest));
      check_digest(digest, actual, fmt::format("{}: {}", name, blob_path(digest)));
      return text;
    };
    blobs.layer = [&](const std::string& digest, std::size_t index) {
      const std::string member = saved.resolve(blob_path(digest));
      const auto found = saved.layers.find(member);
      if (found == saved.layers.end())
        bad_input(fmt::format("{}: layer {} is missing or not a tar", name, blob_path(digest)));
      expect_digest(saved, member, index, found->second.digest, digest,
                    fmt::format("{}: {}", name, member));
      return found->second;
    };
    Image image = resolve_oci(parse_json(text_of("index.json").first, name + ": index.json"), blobs,
                              tag, options);
    image.source = "docker-save-oci";
    image.pending_digests = saved.pending;
    return image;
  }
  if (saved.texts.count("manifest.json") == 0U)
    bad_input(
        fmt::format("{}: neither manifest.json nor index.json: not a docker save tarball", name));
  const Json manifest = parse_json(text_of("manifest.json").first, name + ": manifest.json");
  if (!manifest.is_array() || manifest.empty())
    bad_input(fmt::format("{}: manifest.json lists no image", name));
  const Json* chosen = &manifest.front();
  if (!tag.empty()) {
    chosen = nullptr;
    for (const Json& item : manifest)
      for (const Json& repo_tag : item.value("RepoTags", Json::array()))
        if (repo_tag.is_string() && tag_matches(repo_tag.get<std::string>(), tag)) chosen = &item;
    if (!chosen)
      throw Error(ErrorCategory::kNotFound, fmt::format("{}: no image tagged '{}'", name, tag));
  }
  Image image;
  image.source = "docker-save";
  const std::string config_path = string_field(*chosen, "Config");
  const auto& [config_text, config_digest] = text_of(config_path);
  // The legacy layout names the config <hex>.json after its own digest.
  const std::size_t slash = config_path.rfind('/');
  const std::string config_name = config_path.substr(slash == std::string::npos ? 0 : slash + 1);
  if (config_name.size() == 69 && config_name.ends_with(".json"))
    check_digest("sha256:" + config_name.substr(0, 64), config_digest, name + ": " + config_path);
  image.config_digest = config_digest;
  for (const Json& repo_tag : chosen->value("RepoTags", Json::array()))
    if (repo_tag.is_string()) image.tags.push_back(repo_tag.get<std::string>());
  const Json layer_paths = chosen->value("Layers", Json::array());
  std::map<std::string, std::size_t> uses;  // member -> how many layers name it
  std::vector<std::string> members;         // by image layer
  for (const Json& layer_path : layer_paths)
    if (layer_path.is_string())
      if (const auto path = normalize_entry_path(layer_path.get<std::string>()))
        ++uses[saved.resolve(*path)];
  for (const Json& layer_path : layer_paths) {
    if (!layer_path.is_string())
      bad_input(fmt::format("{}: manifest.json: a layer is not a path", name));
    const std::optional<std::string> path = normalize_entry_path(layer_path.get<std::string>());
    if (!path)
      bad_input(fmt::format("{}: manifest.json: layer '{}' points outside the archive; refused",
                            name, layer_path.get<std::string>()));
    const std::string member = saved.resolve(*path);
    members.push_back(member);
    const auto found = saved.layers.find(member);
    if (found == saved.layers.end())
      bad_input(
          fmt::format("{}: layer {} is missing or not a tar", name, layer_path.get<std::string>()));
    ImageLayer layer;
    // Moved, not copied (140k entries is 15 MB), unless another layer names the same member.
    if (--uses[member] == 0)
      layer.contents = std::move(found->second);
    else
      layer.contents = found->second;
    image.layers.push_back(std::move(layer));
  }
  apply_config(image, parse_json(config_text, name + ": " + config_path));
  for (std::size_t i = 0; i < image.layers.size(); ++i) {
    const ImageLayer& layer = image.layers[i];
    // A diff_id is the digest of the uncompressed tar: a compressed layer.tar is not checked.
    const bool checked = layer.contents.compression == "none" && !layer.diff_id.empty();
    expect_digest(saved, members[i], i, layer.contents.digest,
                  checked ? layer.diff_id : std::string(),
                  fmt::format("{}: layer {}", name, layer.diff_id));
  }
  image.pending_digests = saved.pending;
  return image;
}

}  // namespace

std::string host_platform() {
  struct utsname names {};
  ::uname(&names);
  const std::string machine = names.machine;
  if (machine == "x86_64") return "linux/amd64";
  if (machine == "aarch64") return "linux/arm64";
  if (machine.starts_with("armv7")) return "linux/arm/v7";
  if (machine == "i686" || machine == "i386") return "linux/386";
  return "linux/" + machine;
}

Image read_docker_archive_stream(const ChunkSource& source, const std::string& name,
                                 const std::string& tag, const ReadOptions& options) {
  SavedArchive saved = read_saved_members(source, name, options, nullptr);
  Image image = resolve_saved(saved, name, tag, options);
  image.reference = name;
  return image;
}

Image read_docker_archive(const std::string& path, const std::string& tag,
                          const ReadOptions& options) {
  std::uint64_t size = 0;
  FileDescriptor fd(open_input(path, size));
  FileChunks chunks(fd.get(), path);
  const ChunkSource source = [&] { return chunks(); };
  SavedArchive saved = read_saved_members(source, path, options, &chunks);
  Image image = resolve_saved(saved, path, tag, options);
  image.reference = path;
  return image;
}

Image read_oci_layout(const std::string& directory, const std::string& tag,
                      const ReadOptions& options) {
  const auto read_json = [&](const std::string& relative, const std::string& digest) {
    const std::string path = directory + "/" + relative;
    std::string error;
    std::optional<std::string> text = read_text_file(path, kMaxJsonBytes, &error);
    if (!text) bad_input(fmt::format("{}: {}", path, error));
    if (!digest.empty()) {
      Sha256 hash;
      hash.update(*text);
      check_digest(digest, hash.hex_digest(), path);
    }
    return *text;
  };
  BlobAccess blobs;
  blobs.json = [&](const std::string& digest) { return read_json(blob_path(digest), digest); };
  // Each blob is hashed from its file beside the parse; analyse_image() checks the digests.
  const auto pending = std::make_shared<PendingDigests>();
  blobs.layer = [&](const std::string& digest, std::size_t index) {
    const std::string path = directory + "/" + blob_path(digest);
    std::uint64_t size = 0;
    FileDescriptor fd(open_input(path, size));
    FileChunks chunks(fd.get(), path);
    pending->expect(index, pending->hasher().add(fd.get(), path, 0, size), digest, path);
    return read_layer([&] { return chunks(); }, path, options.limits, StreamDigest::kElsewhere);
  };
  const std::string index_path = "index.json";
  Image image = resolve_oci(parse_json(read_json(index_path, ""), directory + "/index.json"), blobs,
                            tag, options);
  image.source = "oci-layout";
  image.pending_digests = pending;
  image.reference = "oci:" + directory + (tag.empty() ? "" : ":" + tag);
  return image;
}

}  // namespace pkgsizer::docker
