#include "util/dirs.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer;

TEST_CASE("user_cache_dir: $PKGSIZER_CACHE_DIR, then $XDG_CACHE_HOME, then ~/.cache") {
  CHECK(user_cache_dir("/own", "/xdg", "/home/u") == "/own");
  CHECK(user_cache_dir(nullptr, "/xdg", "/home/u") == "/xdg/pkgsizer");
  CHECK(user_cache_dir("", "", "/home/u") == "/home/u/.cache/pkgsizer");  // empty is unset
  CHECK(user_cache_dir(nullptr, nullptr, nullptr).empty());               // never ./.cache
}

TEST_CASE("user_data_dir: $XDG_DATA_HOME, then ~/.local/share") {
  CHECK(user_data_dir("/xdg", "/home/u") == "/xdg/pkgsizer");
  CHECK(user_data_dir("", "/home/u") == "/home/u/.local/share/pkgsizer");
  CHECK(user_data_dir(nullptr, "").empty());
}
