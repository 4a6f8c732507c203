#include "packaging/name.hpp"

#include <catch2/catch.hpp>

using pkgsizer::packaging::escape_name;
using pkgsizer::packaging::normalize_name;

TEST_CASE("PEP 503 normalizes case and separator runs") {
  CHECK(normalize_name("PyYAML") == "pyyaml");
  CHECK(normalize_name("typing_extensions") == "typing-extensions");
  CHECK(normalize_name("zope.interface") == "zope-interface");
  CHECK(normalize_name("Foo.-_Bar") == "foo-bar");
  CHECK(normalize_name("a__b") == "a-b");
}

TEST_CASE("escaped names use underscores") {
  CHECK(escape_name("zope.interface") == "zope_interface");
  CHECK(escape_name("Typing-Extensions") == "typing_extensions");
}
