#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "compare/scan_source.hpp"
#include "model/scan_json.hpp"

using nlohmann::json;
using pkgsizer::model::scan_from_json;

namespace {

json minimal_scan() {
  return json::parse(R"({"schema_version": 1, "distributions": [
      {"name": "demo", "version": "1.0", "apparent_bytes": 10, "disk_bytes": 4096, "file_count": 1}],
      "totals": {"distributions": 1, "all": {"apparent_bytes": 10}}})");
}

}  // namespace

TEST_CASE("scan_from_json reads sizes and counts that are non-negative integers") {
  const auto scan = scan_from_json(minimal_scan());
  REQUIRE(scan.distributions.size() == 1);
  CHECK(scan.distributions[0].name == "demo");
  CHECK(scan.totals.distributions == 1);
  CHECK(scan.totals.all.apparent_bytes == 10);
  CHECK(scan.totals.all.disk_bytes == 0);  // absent: 0
}

TEST_CASE("scan_from_json rejects a size that is a float, negative or text, naming the field") {
  // 1e300 into an unsigned integer was an undefined conversion (tests/fuzz/scan_json found it).
  for (const json& bad : {json(1e300), json(-1), json(2.5), json("10")}) {
    json scan = minimal_scan();
    scan["totals"]["all"]["disk_bytes"] = bad;
    CHECK_THROWS_WITH(scan_from_json(scan), Catch::Contains("disk_bytes is not a non-negative"));
  }
  json scan = minimal_scan();
  scan["totals"]["distributions"] = 1e300;
  CHECK_THROWS_AS(scan_from_json(scan), std::runtime_error);
  scan = minimal_scan();
  scan["totals"]["all"] = 5;  // not an object
  CHECK_THROWS_AS(scan_from_json(scan), std::runtime_error);
}

TEST_CASE("scan_from_json reports a schema_version that is no integer as a bad scan") {
  // It escaped as json::type_error, which the CLI reports as an internal error (exit code 10).
  for (const json& bad : {json("1"), json(1e300), json(nullptr)}) {
    json scan = minimal_scan();
    scan["schema_version"] = bad;
    CHECK_THROWS_WITH(scan_from_json(scan),
                      Catch::Contains("schema_version must be a whole number"));
  }
}

TEST_CASE("scan_from_text reports a number beyond a double's range as not JSON") {
  // nlohmann reports 1e400 as out_of_range, not parse_error; it escaped as exit code 10
  // (tests/fuzz/scan_json found it).
  CHECK_THROWS_WITH(pkgsizer::compare::scan_from_text(R"({"schema_version": 1e400})", "old.json"),
                    "old.json: not a pkgsizer scan: a number too large for any field");
}
