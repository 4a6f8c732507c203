#include "predict/installed_wheels.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer::predict;

namespace {

ProjectPage page_of(const std::vector<std::string>& filenames) {
  ProjectPage page;
  page.name = "demo";
  for (const std::string& name : filenames) {
    DistributionFile file;
    file.filename = name;
    file.url = "https://files.example/" + name;
    page.files.push_back(file);
  }
  return page;
}

const TagPriority kLinux311(Target{"3.11", "cp", {}, {"manylinux_2_28_x86_64"}});

}  // namespace

TEST_CASE("wheel_of_version picks the installed version's wheel, not the newest") {
  const ProjectPage page =
      page_of({"demo-2.0-py3-none-any.whl", "demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"});
  const auto wheel = wheel_of_version(page, "1.0", kLinux311);
  REQUIRE(wheel);
  CHECK(wheel->filename == "demo-1.0-py3-none-any.whl");
}

TEST_CASE("wheel_of_version compares versions as PEP 440 does") {
  const ProjectPage page = page_of({"demo-1.0.0-py3-none-any.whl"});
  const auto wheel = wheel_of_version(page, "1.0", kLinux311);
  REQUIRE(wheel);
  CHECK(wheel->filename == "demo-1.0.0-py3-none-any.whl");
}

TEST_CASE("wheel_of_version chooses the target's most specific wheel") {
  const ProjectPage page =
      page_of({"demo-1.0-py3-none-any.whl", "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
               "demo-1.0-cp311-cp311-win_amd64.whl"});
  const auto wheel = wheel_of_version(page, "1.0", kLinux311);
  REQUIRE(wheel);
  CHECK(wheel->filename == "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");
}

TEST_CASE("wheel_of_version finds nothing for an sdist only, another platform, a bad version") {
  CHECK_FALSE(wheel_of_version(page_of({"demo-1.0.tar.gz"}), "1.0", kLinux311));
  CHECK_FALSE(wheel_of_version(page_of({"demo-1.0-cp311-cp311-win_amd64.whl"}), "1.0", kLinux311));
  CHECK_FALSE(wheel_of_version(page_of({"demo-1.0-py3-none-any.whl"}), "not a version", kLinux311));
  CHECK_FALSE(wheel_of_version(page_of({"demo-1.0-py3-none-any.whl"}), "1.1", kLinux311));
}

TEST_CASE("find_installed_wheels offline without a cache knows nothing and asks nothing") {
  PredictOptions options;
  options.offline = true;
  options.index_urls = {"http://127.0.0.1:9/simple"};  // nothing listens there
  const InstalledWheels found = find_installed_wheels(
      {{"demo", "1.0", 10}}, options, [](const std::string&) { return std::nullopt; });
  REQUIRE(found.wheels.size() == 1);
  CHECK_FALSE(found.wheels[0].download_bytes);
  CHECK(found.wheels[0].note.find("--offline") != std::string::npos);
  CHECK(found.unknown == 1);
}

TEST_CASE("find_installed_wheels with --no-index has no index to ask") {
  PredictOptions options;
  options.no_index = true;
  const InstalledWheels found =
      find_installed_wheels({{"demo", "1.0", 10}, {"other", "2.0", 20}}, options,
                            [](const std::string&) { return std::nullopt; });
  REQUIRE(found.wheels.size() == 2);
  CHECK(found.unknown == 2);
  CHECK(found.wheels[1].name == "other");
  CHECK(found.wheels[1].note == "--no-index: no index to ask");
}
