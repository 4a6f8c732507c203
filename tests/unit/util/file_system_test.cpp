#include "util/file_system.hpp"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

using pkgsizer::MemoryFileSystem;

namespace {

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("MemoryFileSystem: a file's parents are directories, listed by name") {
  MemoryFileSystem files;
  files.add_file("/a/b/c.txt");
  files.add_directory("/a/d");
  CHECK(files.is_directory("/a"));
  CHECK(files.is_directory("/a/b/"));
  CHECK_FALSE(files.is_directory("/a/b/c.txt"));
  CHECK_FALSE(files.is_directory("/x"));
  CHECK(sorted(files.list_directory("/a")) == std::vector<std::string>{"b", "d"});
  CHECK(files.list_directory("/a/b/c.txt").empty());
  CHECK(files.real_path("/a/./b/../d") == "/a/d");
  CHECK(files.real_path("/a/missing").empty());
}

TEST_CASE("MemoryFileSystem: links resolve as realpath(3) does, and a loop resolves to nothing") {
  MemoryFileSystem files;
  files.add_directory("/data/real");
  files.add_link("/home/u/link", "../../data/real");
  files.add_link("/abs", "/data");
  files.add_link("/loop", "/loop");
  CHECK(files.real_path("/home/u/link") == "/data/real");
  CHECK(files.real_path("/abs/real") == "/data/real");
  CHECK(files.is_directory("/home/u/link"));
  CHECK(files.list_directory("/abs") == std::vector<std::string>{"real"});
  CHECK(files.real_path("/loop").empty());
}

TEST_CASE("disk_file_system: the machine's tree") {
  const pkgsizer::FileSystem& disk = pkgsizer::disk_file_system();
  CHECK(disk.is_directory("/"));
  CHECK(disk.real_path("/") == "/");
  CHECK(disk.real_path("/no/such/path/at/all").empty());
  CHECK(disk.list_directory("/no/such/path/at/all").empty());
}

TEST_CASE("MemoryFileSystem: read_directory says why it cannot list") {
  MemoryFileSystem files;
  files.add_file("/a/f");
  files.add_directory("/a/locked");
  files.deny_reading("/a/locked");
  std::string error;
  CHECK_FALSE(files.read_directory("/a/f", error));
  CHECK(error == "Not a directory");
  CHECK_FALSE(files.read_directory("/a/missing", error));
  CHECK(error == "No such file or directory");
  CHECK_FALSE(files.read_directory("/a/locked", error));
  CHECK(error == "Permission denied");
  CHECK(files.list_directory("/a/locked").empty());
  CHECK(sorted(*files.read_directory("/a", error)) == std::vector<std::string>{"f", "locked"});
}

TEST_CASE("MemoryFileSystem: status, contents, and replace_file as rename(2) does it") {
  MemoryFileSystem files;
  files.add_file("/d/f", "abc");
  const auto before = files.status("/d/f");
  REQUIRE(before);
  CHECK(before->size == 3);
  CHECK(files.read_small_file("/d/f") == "abc");
  CHECK_FALSE(files.read_small_file("/d"));
  CHECK_FALSE(files.status("/d/g"));
  CHECK(files.replace_file("/d/f", "abcd"));
  const auto after = files.status("/d/f");
  CHECK(after->size == 4);
  CHECK(after->inode != before->inode);
  CHECK(after->modified_ns > before->modified_ns);
  CHECK_FALSE(files.replace_file("/missing/f", "x"));
  CHECK_FALSE(files.replace_file("/d", "x"));
  files.deny_writing("/d");
  CHECK_FALSE(files.replace_file("/d/new", "x"));
  CHECK_FALSE(files.status("/d/new"));
}

TEST_CASE("disk file system: the same answers on a real file") {
  auto& disk = pkgsizer::disk_file_system();
  const std::string dir = "/tmp/pkgsizer-file-system-test-" + std::to_string(::getpid());
  std::string error;
  CHECK_FALSE(disk.read_directory(dir, error));
  CHECK(error == "No such file or directory");
  REQUIRE(std::system(("mkdir -p " + dir).c_str()) == 0);
  CHECK(disk.replace_file(dir + "/f", "abc"));
  CHECK(disk.read_small_file(dir + "/f") == "abc");
  CHECK(disk.status(dir + "/f")->size == 3);
  CHECK(disk.list_directory(dir) == std::vector<std::string>{"f"});  // no temporary left
  CHECK_FALSE(disk.replace_file(dir + "/missing/f", "x"));
  CHECK(std::system(("rm -rf " + dir).c_str()) == 0);
}
