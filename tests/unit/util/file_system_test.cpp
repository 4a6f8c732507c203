#include "util/file_system.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

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
