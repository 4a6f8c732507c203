#include "metadata/conda_meta.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "util/error.hpp"

using pkgsizer::Error;
using pkgsizer::metadata::is_conda_record_name;
using pkgsizer::metadata::parse_conda_record;

namespace {

std::string error_of(const std::string& json) {
  try {
    parse_conda_record(json, "/env/conda-meta/x-1-0.json");
  } catch (const Error& error) {
    CHECK(error.category() == pkgsizer::ErrorCategory::kEnvironment);
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a conda record's files and paths_data are listed once each, in order") {
  const auto record = parse_conda_record(R"({
    "name": "libfoo", "version": "1.2", "build": "h0_0", "size": 4096,
    "requested_spec": "libfoo>=1", "depends": ["libgcc-ng >=12"],
    "files": ["lib/libfoo.so.1", "lib/libfoo.so"],
    "paths_data": {"paths_version": 1, "paths": [
      {"_path": "lib/libfoo.so", "path_type": "softlink", "size_in_bytes": 11},
      {"_path": "include/foo.h", "path_type": "hardlink", "size_in_bytes": 900}]}})",
                                         "x.json");
  CHECK(record.name == "libfoo");
  CHECK(record.version == "1.2");
  CHECK(record.build == "h0_0");
  CHECK(record.requested_spec == "libfoo>=1");
  CHECK(record.archive_bytes == 4096);
  CHECK(record.declared_bytes == 911);
  CHECK(record.files ==
        std::vector<std::string>{"lib/libfoo.so.1", "lib/libfoo.so", "include/foo.h"});
}

TEST_CASE("a conda record without files lists none") {
  const auto record = parse_conda_record(R"({"name": "_libgcc_mutex", "files": null})", "x");
  CHECK(record.files.empty());
  CHECK(record.requested_spec.empty());
}

TEST_CASE("a bad conda record is one line naming the file") {
  CHECK(error_of("{") ==
        "/env/conda-meta/x-1-0.json: not valid JSON (a conda-meta package record)");
  CHECK(error_of("[]") ==
        "/env/conda-meta/x-1-0.json: not a JSON object (a conda-meta package record)");
  CHECK(error_of(R"({"version": "1"})") == "/env/conda-meta/x-1-0.json: no \"name\"");
  CHECK(error_of(R"({"name": 3})") == "/env/conda-meta/x-1-0.json: \"name\" is not a string");
  CHECK(error_of(R"({"name": "a", "files": "lib/x"})") ==
        "/env/conda-meta/x-1-0.json: \"files\" is not an array");
  CHECK(error_of(R"({"name": "a", "files": [1]})") ==
        "/env/conda-meta/x-1-0.json: an entry of \"files\" is not a string");
  CHECK(error_of(R"({"name": "a", "size": -1})") ==
        "/env/conda-meta/x-1-0.json: \"size\" is not a non-negative integer");
  CHECK(error_of(R"({"name": "a", "paths_data": {"paths": [{"size_in_bytes": 1}]}})") ==
        "/env/conda-meta/x-1-0.json: an entry of \"paths_data.paths\" has no string \"_path\"");
}

TEST_CASE("a conda record claims only files inside its prefix") {
  CHECK(error_of(R"({"name": "a", "files": ["/etc/passwd"]})") ==
        "/env/conda-meta/x-1-0.json: file path '/etc/passwd' is not relative to the prefix");
  CHECK(error_of(R"({"name": "a", "files": ["lib/../../x"]})") ==
        "/env/conda-meta/x-1-0.json: file path 'lib/../../x' leaves the prefix");
  CHECK(error_of(R"({"name": "a", "files": [""]})") ==
        "/env/conda-meta/x-1-0.json: file path '' is not relative to the prefix");
}

TEST_CASE("conda record sizes that overflow 64 bits are an error, not a wrapped sum") {
  CHECK(error_of(R"({"name": "a", "paths_data": {"paths": [
          {"_path": "a", "size_in_bytes": 18446744073709551615},
          {"_path": "b", "size_in_bytes": 1}]}})") ==
        "/env/conda-meta/x-1-0.json: the sizes in \"paths_data\" overflow");
}

TEST_CASE("conda-meta entries that are package records") {
  CHECK(is_conda_record_name("numpy-1.26.4-py311h64a7726_0.json"));
  CHECK_FALSE(is_conda_record_name("history"));
  CHECK_FALSE(is_conda_record_name(".json"));
  CHECK_FALSE(is_conda_record_name(".hidden.json"));
}
