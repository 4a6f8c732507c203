#include "metadata/core_metadata.hpp"

#include <catch2/catch.hpp>

using pkgsizer::metadata::parse_core_metadata;

TEST_CASE("core metadata headers stop at the body") {
  const auto metadata = parse_core_metadata(
      "Metadata-Version: 2.1\r\nName: PyYAML\r\nVersion: 6.0.1\r\n"
      "Requires-Dist: idna (>=2.5)\nRequires-Dist: socks ; extra == 'socks'\n"
      "Requires-Python: >=3.8\n\nName: not-this\nRequires-Dist: nor-this\n");
  CHECK(metadata.name == "PyYAML");
  CHECK(metadata.version == "6.0.1");
  CHECK(metadata.requires_dist ==
        std::vector<std::string>{"idna (>=2.5)", "socks ; extra == 'socks'"});
  CHECK(metadata.requires_python == ">=3.8");
}

TEST_CASE("core metadata without a name leaves it empty") {
  CHECK(parse_core_metadata("Version: 1\n").name.empty());
}

TEST_CASE("whitespace-only continuation lines do not end the headers") {
  const auto metadata = parse_core_metadata(
      "Name: libcst\nLicense: MIT\n        \n        more license\nRequires-Dist: pyyaml "
      "(>=5.2)\n\nbody\n");
  CHECK(metadata.requires_dist == std::vector<std::string>{"pyyaml (>=5.2)"});
}
