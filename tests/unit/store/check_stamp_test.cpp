// The integrity check's stamps (store/check_stamp.hpp) on a tree in memory: what changes a
// stamp, and when a sidecar matches.
#include "store/check_stamp.hpp"

#include <catch2/catch.hpp>

#include "util/file_system.hpp"

using pkgsizer::MemoryFileSystem;
using pkgsizer::store::check_sidecar_path;
using pkgsizer::store::checked_with_stamp;
using pkgsizer::store::remember_checked;
using pkgsizer::store::store_file_stamp;

namespace {

constexpr const char* kStore = "/data/history.sqlite3";

}  // namespace

TEST_CASE("check stamp: none for a missing file; a rewrite or a -wal with frames changes it") {
  MemoryFileSystem files;
  CHECK_FALSE(store_file_stamp(kStore, files));
  files.add_file(kStore, "pages");
  const auto stamp = store_file_stamp(kStore, files);
  REQUIRE(stamp);
  CHECK(stamp->starts_with("file 5 "));
  CHECK(store_file_stamp(kStore, files) == stamp);  // nothing changed
  // A reader's empty -wal is not part of the store.
  files.add_file(std::string(kStore) + "-wal");
  CHECK(store_file_stamp(kStore, files) == stamp);
  files.add_file(std::string(kStore) + "-wal", "frame");
  const auto with_wal = store_file_stamp(kStore, files);
  CHECK(with_wal != stamp);
  CHECK(with_wal->find(" wal 5 ") != std::string::npos);
  files.add_file(kStore, "pages");  // same size, written again
  CHECK(store_file_stamp(kStore, files) != with_wal);
}

TEST_CASE("check stamp: the sidecar matches exactly the stamp it was written with") {
  MemoryFileSystem files;
  files.add_file(kStore, "pages");
  const std::string stamp = *store_file_stamp(kStore, files);
  CHECK_FALSE(checked_with_stamp(kStore, stamp, files));
  remember_checked(kStore, stamp, files);
  CHECK(files.read_small_file(check_sidecar_path(kStore)) == stamp + "\nend\n");
  CHECK(checked_with_stamp(kStore, stamp, files));
  CHECK_FALSE(checked_with_stamp(kStore, stamp + " ", files));
  files.add_file(kStore, "pages and more");
  CHECK_FALSE(checked_with_stamp(kStore, *store_file_stamp(kStore, files), files));
  // A sidecar cut short by a crash (no "end" line) is no match.
  files.add_file(check_sidecar_path(kStore), stamp + "\n");
  CHECK_FALSE(checked_with_stamp(kStore, stamp, files));
}

TEST_CASE("check stamp: a sidecar that cannot be written only means checking again") {
  MemoryFileSystem files;
  files.add_file(kStore, "pages");
  files.deny_writing("/data");
  const std::string stamp = *store_file_stamp(kStore, files);
  remember_checked(kStore, stamp, files);  // no throw
  CHECK_FALSE(files.read_small_file(check_sidecar_path(kStore)));
  CHECK_FALSE(checked_with_stamp(kStore, stamp, files));
}
