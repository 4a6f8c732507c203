#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>

#include "docker/analysis.hpp"
#include "docker/dockerfile.hpp"
#include "docker/engine_api.hpp"
#include "docker/file_hasher.hpp"
#include "docker/layer_reader.hpp"
#include "docker/registry.hpp"
#include "util/error.hpp"

using namespace pkgsizer::docker;

TEST_CASE("layer entry paths stay inside the root") {
  CHECK(normalize_entry_path("./usr//lib/") == "usr/lib");
  CHECK(normalize_entry_path("./") == "");
  CHECK_FALSE(normalize_entry_path("/etc/passwd"));
  CHECK_FALSE(normalize_entry_path("../../etc/passwd"));
  CHECK_FALSE(normalize_entry_path("usr/../../x"));
}

TEST_CASE("a layer's change kinds: one name each, both ways; versions ordered by PEP 440") {
  for (LayerChangeKind kind :
       {LayerChangeKind::kAdded, LayerChangeKind::kUpgraded, LayerChangeKind::kDowngraded,
        LayerChangeKind::kReinstalled, LayerChangeKind::kRemoved})
    CHECK(layer_change_kind_from_string(to_string(kind)) == kind);
  CHECK(to_string(LayerChangeKind::kReinstalled) == "reinstalled");
  CHECK_FALSE(layer_change_kind_from_string("changed"));
  CHECK(version_change_kind("1.9", "1.10") == LayerChangeKind::kUpgraded);  // not as text
  CHECK(version_change_kind("2.0", "1.10") == LayerChangeKind::kDowngraded);
  CHECK(version_change_kind("1.0", "1.0.0") == LayerChangeKind::kReinstalled);
  CHECK(version_change_kind("1.0rc1", "1.0") == LayerChangeKind::kUpgraded);
  CHECK(version_change_kind("weird-b", "weird-a") == LayerChangeKind::kDowngraded);
}

TEST_CASE("distribution metadata files are recognized by their place") {
  CHECK(is_distribution_metadata("usr/lib/python3/dist-packages/a-1.dist-info/RECORD"));
  CHECK(is_distribution_metadata("site-packages/a-1.egg-info/PKG-INFO"));
  CHECK(is_distribution_metadata("site-packages/a-1.egg-info"));
  CHECK_FALSE(is_distribution_metadata("site-packages/a-1.dist-info/LICENSE"));
  CHECK_FALSE(is_distribution_metadata("site-packages/a/RECORD"));
}

TEST_CASE("files outside distributions are grouped by top directory, pip caches by name") {
  CHECK(file_group("usr/lib/x86_64-linux-gnu/libz.so.1") == "/usr/lib/x86_64-linux-gnu");
  CHECK(file_group("usr/lib/libz.so") == "/usr/lib");
  CHECK(file_group("root/.cache/pip/http/a/b") == "/root/.cache/pip");
  CHECK(file_group("bin/busybox") == "/bin");
  CHECK(file_group("file") == "/");
}

namespace {

// Appends a ustar header block (POSIX.1-2001 "ustar Interchange Format") for a regular file.
void append_ustar_header(std::string& archive, const std::string& name, std::size_t size) {
  {
    std::string block(512, '\0');
    block.replace(0, name.size(), name);
    block.replace(100, 7, "0000644");
    block.replace(124, 11, fmt::format("{:011o}", size));
    block.replace(136, 11, "00000000000");
    block[156] = '0';
    block.replace(257, 6, std::string("ustar\0", 6));
    block.replace(263, 2, "00");
    block.replace(148, 8, "        ");
    unsigned sum = 0;
    for (unsigned char c : block) sum += c;
    block.replace(148, 7, fmt::format("{:06o}", sum) + std::string(1, '\0'));
    archive += block;
  }
}

}  // namespace

TEST_CASE("a layer read from chunks: entries, whiteouts, opaque markers, digest") {
  // A ustar archive of "d/.wh..wh..opq", "e/.wh.gone" and "f" (3 bytes), built in place.
  std::string archive;
  const auto header = [&](const std::string& name, std::size_t size) {
    append_ustar_header(archive, name, size);
  };
  header("d/.wh..wh..opq", 0);
  header("e/.wh.gone", 0);
  header("f", 3);
  archive += "abc" + std::string(509, '\0');
  archive += std::string(1024, '\0');
  std::size_t at = 0;
  const ChunkSource source = [&]() -> std::string_view {
    const std::string_view chunk = std::string_view(archive).substr(at, 100);
    at += chunk.size();
    return chunk;
  };
  const Layer layer = read_layer(source, "test", LayerLimits{});
  REQUIRE(layer.entries.size() == 1);
  CHECK(layer.entries[0].path == "f");
  CHECK(layer.entries[0].size == 3);
  CHECK(layer.opaque_directories == std::vector<std::string>{"d"});
  CHECK(layer.whiteouts == std::vector<std::string>{"e/gone"});
  CHECK(layer.compression == "none");
  CHECK(layer.stored_bytes == archive.size());
  Sha256 hash;
  hash.update(archive);
  CHECK(layer.digest == hash.hex_digest());
}

TEST_CASE("a layer's digest from chunks of every size, each in a buffer the source reuses") {
  // Large chunks are hashed where they lie while libarchive parses them, small ones gathered:
  // the digest must still be of every byte in order, though the buffer is overwritten.
  std::string archive;
  std::string content(3 << 20, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7 + i / 4099);
  append_ustar_header(archive, "big", content.size());
  archive += content;
  append_ustar_header(archive, "small", 5);
  archive += "hello" + std::string(507, '\0');
  archive += std::string(1024, '\0');
  const std::array<std::size_t, 6> sizes{100, 300 << 10, 5000, (1 << 20) + 7, 70, 600 << 10};
  std::string buffer;
  std::size_t at = 0, call = 0;
  const ChunkSource source = [&]() -> std::string_view {
    std::fill(buffer.begin(), buffer.end(), 'X');  // what a reused buffer does to old views
    buffer.assign(archive, at, sizes[call++ % sizes.size()]);
    at += buffer.size();
    return buffer;
  };
  const Layer layer = read_layer(source, "test", LayerLimits{});
  REQUIRE(layer.entries.size() == 2);
  CHECK(layer.entries[0].size == content.size());
  CHECK(layer.stored_bytes == archive.size());
  Sha256 hash;
  hash.update(archive);
  CHECK(layer.digest == hash.hex_digest());
}

TEST_CASE("Dockerfile: the last stage's RUN/COPY/ADD, continuations and comments") {
  const auto steps = layer_instructions(
      "FROM python AS build\nRUN a\nFROM scratch\n# note\nCOPY --from=build /a /a\n"
      "RUN pip install \\\n  # inside\n  x\nENV A=1\nadd y /z\n");
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].line == 5);
  CHECK(steps[0].text == "COPY --from=build /a /a");
  CHECK(steps[1].line == 6);
  CHECK(steps[1].text == "RUN pip install x");
  CHECK(steps[2].text == "add y /z");
  const auto backtick = layer_instructions("# escape=`\nFROM scratch\nRUN a `\n b\n");
  REQUIRE(backtick.size() == 1);
  CHECK(backtick[0].text == "RUN a b");
}

TEST_CASE("registry references, as skopeo spells them too") {
  const auto local = parse_registry_reference("registry://127.0.0.1:5000/team/app:v1");
  REQUIRE(local);
  CHECK(local->host == "127.0.0.1:5000");
  CHECK(local->repository == "team/app");
  CHECK(local->reference == "v1");
  const auto hub = parse_registry_reference("docker://python");
  REQUIRE(hub);
  CHECK(hub->host == "registry-1.docker.io");
  CHECK(hub->repository == "library/python");
  CHECK(hub->reference == "latest");
  const auto pinned = parse_registry_reference("docker://ghcr.io/o/r@sha256:abc");
  REQUIRE(pinned);
  CHECK(pinned->reference == "sha256:abc");
  CHECK_FALSE(parse_registry_reference("app:v1"));
}

TEST_CASE("config.json auths and bearer challenges") {
  CHECK(credentials_for(R"({"auths":{"r.io":{"auth":"dTpwdw=="}}})", "r.io") == "u:pw");
  CHECK(credentials_for(R"({"auths":{"https://r.io":{"username":"a","password":"b"}}})", "r.io") ==
        "a:b");
  CHECK_FALSE(credentials_for(R"({"auths":{}})", "r.io"));
  CHECK_FALSE(credentials_for("not json", "r.io"));
  const auto challenge = parse_bearer_challenge(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull")");
  REQUIRE(challenge);
  CHECK(challenge->at("realm") == "https://auth.docker.io/token");
  CHECK(challenge->at("scope") == "repository:library/python:pull");
  CHECK_FALSE(parse_bearer_challenge("Basic realm=x"));
}

TEST_CASE("the daemon's /history: the steps that made layers, oldest first") {
  const auto history = nlohmann::json::parse(R"([
    {"CreatedBy": "CMD [\"sh\"]", "Size": 0},
    {"CreatedBy": "RUN pip install app", "Size": 812},
    {"CreatedBy": "ENV A=1", "Size": 0},
    {"CreatedBy": "COPY rootfs /", "Size": 5000}
  ])");
  CHECK(layer_commands_from_history(history, 2) ==
        std::vector<std::string>{"COPY rootfs /", "RUN pip install app"});
  // A layer of 0 bytes: every step is a layer when their numbers agree.
  CHECK(layer_commands_from_history(history, 4).front() == "COPY rootfs /");
  CHECK(layer_commands_from_history(history, 3).empty());  // neither fits: no guessing
  CHECK(layer_commands_from_history(nlohmann::json::object(), 1).empty());
  CHECK(layer_commands_from_history(nlohmann::json::parse("[1]"), 1).empty());
}

TEST_CASE("DOCKER_HOST: unix sockets only") {
  CHECK(socket_path_from_docker_host("") == "/var/run/docker.sock");
  CHECK(socket_path_from_docker_host("unix:///tmp/d.sock") == "/tmp/d.sock");
  CHECK_THROWS_AS(socket_path_from_docker_host("tcp://1.2.3.4:2375"), pkgsizer::Error);
}

TEST_CASE("file ranges are hashed on other threads: the digests a stream hash gives") {
  // An anonymous in-memory file (memfd): the hasher only needs a descriptor it can pread().
  const int fd = ::memfd_create("layers", MFD_CLOEXEC);
  REQUIRE(fd >= 0);
  std::string bytes;
  for (int i = 0; i < (3 << 20); ++i) bytes += static_cast<char>('a' + i % 23);
  REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  const auto expected = [&](std::size_t offset, std::size_t size) {
    Sha256 hash;
    hash.update(std::string_view(bytes).substr(offset, size));
    return hash.hex_digest();
  };
  FileRangeHasher hasher(2);
  const std::size_t whole = hasher.add(fd, "memfd", 0, bytes.size());
  const std::size_t middle = hasher.add(fd, "memfd", 512, (1 << 20) + 7);
  const std::size_t empty = hasher.add(fd, "memfd", 100, 0);
  const std::size_t past_end = hasher.add(fd, "memfd", bytes.size() - 10, 20);
  ::close(fd);  // the hasher holds descriptors of its own
  CHECK(hasher.digest(middle) == expected(512, (1 << 20) + 7));
  CHECK(hasher.digest(whole) == expected(0, bytes.size()));
  CHECK(hasher.digest(empty) == expected(0, 0));
  CHECK_THROWS_WITH(hasher.digest(past_end),
                    Catch::Contains("memfd: ends at byte") && Catch::Contains("truncated"));
}

TEST_CASE("pending digests are checked against what each layer must be") {
  const int fd = ::memfd_create("layer", MFD_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "layer bytes", 11) == 11);
  Sha256 hash;
  hash.update("layer bytes");
  const std::string digest = hash.hex_digest();
  PendingDigests good;
  good.expect(1, good.hasher().add(fd, "memfd", 0, 11), digest, "layer 1");
  CHECK(good.wait_and_check(2) == std::vector<std::string>{"", digest});
  PendingDigests bad;
  bad.expect(0, bad.hasher().add(fd, "memfd", 0, 5), digest, "layer 0");
  CHECK_THROWS_WITH(bad.wait_and_check(1), Catch::Contains("layer 0: content does not match"));
  ::close(fd);
}
