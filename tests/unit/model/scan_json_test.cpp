#include "model/scan_json.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

#include "util/error.hpp"

using namespace pkgsizer;

namespace {

Scan scan_with_problems() {
  Scan scan;
  scan.problems.push_back({Severity::kError, "/site/x", "cannot read directory: denied"});
  scan.problems.push_back(
      {Severity::kWarning, "/site/a.dist-info", "a requires gone", ProblemKind::kMissing});
  return scan;
}

}  // namespace

TEST_CASE("problems are written with their severity and kind names") {
  const auto json = model::scan_to_json(scan_with_problems());
  CHECK(json["warnings"][0]["severity"] == "error");
  CHECK(json["warnings"][0]["kind"] == "scan");
  CHECK(json["warnings"][1]["severity"] == "warning");
  CHECK(json["warnings"][1]["kind"] == "missing");
}

TEST_CASE("problems read back as written") {
  const Scan read = model::scan_from_json(
      nlohmann::json::parse(model::scan_to_json(scan_with_problems()).dump()));
  REQUIRE(read.problems.size() == 2);
  CHECK(read.problems[0].severity == Severity::kError);
  CHECK(read.problems[0].kind == ProblemKind::kScan);
  CHECK(read.problems[1].kind == ProblemKind::kMissing);
  CHECK(read.problems[1].message == "a requires gone");
}

TEST_CASE("a problem of unknown severity or kind is a malformed scan") {
  auto json = nlohmann::json::parse(model::scan_to_json(scan_with_problems()).dump());
  json["warnings"][0]["severity"] = "fatal";
  CHECK_THROWS_AS(model::scan_from_json(json), std::runtime_error);
  json["warnings"][0]["severity"] = "error";
  json["warnings"][0]["kind"] = "other";
  CHECK_THROWS_AS(model::scan_from_json(json), std::runtime_error);
}

TEST_CASE("a problem without kind or severity is a scan warning") {
  auto json = nlohmann::json::parse(model::scan_to_json(scan_with_problems()).dump());
  json["warnings"][1].erase("kind");
  json["warnings"][1].erase("severity");
  const Scan read = model::scan_from_json(json);
  CHECK(read.problems[1].kind == ProblemKind::kScan);
  CHECK(read.problems[1].severity == Severity::kWarning);
}

TEST_CASE("a distribution's metadata kind and files source are written as names, read back") {
  Scan scan;
  Distribution dist;
  dist.name = "demo";
  dist.metadata_kind = MetadataKind::kEggInfo;
  dist.files_source = FilesSource::kInstalledFiles;
  scan.distributions.push_back(dist);
  auto json = nlohmann::json::parse(model::scan_to_json(scan).dump());
  CHECK(json["distributions"][0]["metadata_kind"] == "egg-info");
  CHECK(json["distributions"][0]["files_source"] == "installed-files.txt");
  const Scan read = model::scan_from_json(json);
  CHECK(read.distributions[0].metadata_kind == MetadataKind::kEggInfo);
  CHECK(read.distributions[0].files_source == FilesSource::kInstalledFiles);
  json["distributions"][0]["files_source"] = "floppy";
  CHECK_THROWS_AS(model::scan_from_json(json), std::runtime_error);
}

TEST_CASE("environment and module kinds are written by name and read back") {
  Scan scan;
  scan.environment.kind = EnvironmentKind::kSitePackages;
  Distribution dist;
  dist.name = "a";
  dist.modules.push_back(
      {"a", ModuleKind::kPackage, {}, {{"_speed", ModuleKind::kExtension, {}, {}, {}}}, {}});
  scan.distributions.push_back(dist);
  const auto json = nlohmann::json::parse(model::scan_to_json(scan).dump());
  CHECK(json["environment"]["kind"] == "site-packages");
  CHECK(json["distributions"][0]["modules"][0]["kind"] == "package");
  CHECK(json["distributions"][0]["modules"][0]["children"][0]["kind"] == "extension");
  const Scan read = model::scan_from_json(json);
  CHECK(read.environment.kind == EnvironmentKind::kSitePackages);
  REQUIRE(read.distributions.at(0).modules.size() == 1);
  CHECK(read.distributions[0].modules[0].kind == ModuleKind::kPackage);
  CHECK(read.distributions[0].modules[0].children.at(0).kind == ModuleKind::kExtension);
}

TEST_CASE("an environment or module of unknown kind is a malformed scan, an environment error") {
  Scan scan;
  Distribution dist;
  dist.modules.push_back({"a", ModuleKind::kModule, {}, {}, {}});
  scan.distributions.push_back(dist);
  auto json = nlohmann::json::parse(model::scan_to_json(scan).dump());
  json["environment"]["kind"] = "virtualenv";
  CHECK_THROWS_WITH(model::scan_from_json(json), "malformed pkgsizer scan: kind 'virtualenv'");
  json["environment"].erase("kind");  // absent: not recorded
  CHECK(model::scan_from_json(json).environment.kind == EnvironmentKind::kUnknown);
  json["distributions"][0]["modules"][0]["kind"] = "egg";
  try {
    (void)model::scan_from_json(json);
    FAIL("a module of kind 'egg' was read");
  } catch (const Error& error) {
    CHECK(error.category() == ErrorCategory::kEnvironment);
  }
}

TEST_CASE("a module's bytecode is written when there is some, and absent reads as none") {
  Scan scan;
  Distribution dist;
  dist.name = "a";
  dist.modules.push_back({"a", ModuleKind::kPackage, {900, 8192, 3}, {}, {400, 4096, 1}});
  dist.modules.push_back({"b", ModuleKind::kModule, {10, 4096, 1}, {}, {}});
  scan.distributions.push_back(dist);
  auto json = nlohmann::json::parse(model::scan_to_json(scan).dump());
  CHECK(json["distributions"][0]["modules"][0]["bytecode"]["apparent_bytes"] == 400);
  CHECK_FALSE(json["distributions"][0]["modules"][1].contains("bytecode"));
  Scan read = model::scan_from_json(json);
  CHECK(read.distributions[0].modules[0].bytecode.apparent_bytes == 400);
  CHECK(read.distributions[0].modules[0].bytecode.file_count == 1);
  // A scan written before the field existed.
  json["distributions"][0]["modules"][0].erase("bytecode");
  read = model::scan_from_json(json);
  CHECK(read.distributions[0].modules[0].bytecode.apparent_bytes == 0);
  json["distributions"][0]["modules"][0]["bytecode"] = {{"apparent_bytes", -1}};
  CHECK_THROWS_AS(model::scan_from_json(json), std::runtime_error);
}
