#include "store/history_exchange.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "model/scan_json.hpp"
#include "util/error.hpp"

using namespace pkgsizer;

namespace {

// An export of `count` snapshots (labels s1, s2, ...); entry `bad` (from 1, 0 for none) holds a
// scan that is not one.
std::string export_text(int count, int bad = 0) {
  Scan scan;
  scan.created_at = "2026-12-03T12:00:00Z";
  scan.totals.distributions = 2;
  nlohmann::ordered_json snapshots = nlohmann::ordered_json::array();
  for (int n = 1; n <= count; ++n) {
    nlohmann::ordered_json entry = {{"environment", "/srv/.venv"},
                                    {"label", "s" + std::to_string(n)},
                                    {"git_commit", "abc"},
                                    {"git_branch", "main"}};
    entry["scan"] = n == bad ? nlohmann::ordered_json{{"distributions", "not a list"}}
                             : nlohmann::ordered_json(model::scan_to_json(scan));
    snapshots.push_back(entry);
  }
  return nlohmann::ordered_json{
      {"schema_version", 1}, {"kind", "pkgsizer-history"}, {"snapshots", snapshots}}
      .dump();
}

std::string error_of(const std::string& text) {
  try {
    store::parse_history_export(text, "e.json", "");
  } catch (const Error& error) {
    CHECK(error.category() == ErrorCategory::kUsage);
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("parse_history_export reads every snapshot of an export") {
  const auto snapshots = store::parse_history_export(export_text(3), "e.json", "");
  REQUIRE(snapshots.size() == 3);
  CHECK(snapshots[2].label == "s3");
  CHECK(snapshots[0].environment == "/srv/.venv");
  CHECK(snapshots[0].git_commit == "abc");
  CHECK(snapshots[1].scan.totals.distributions == 2);
}

TEST_CASE("parse_history_export renames the environment when asked") {
  const auto snapshots = store::parse_history_export(export_text(2), "e.json", "ci");
  CHECK(snapshots[0].environment == "ci");
  CHECK(snapshots[1].environment == "ci");
}

TEST_CASE("parse_history_export refuses the whole export for one bad entry, naming it") {
  const std::string message = error_of(export_text(5, 3));
  CHECK(message.find("e.json: snapshot 3:") == 0);
}

TEST_CASE("parse_history_export refuses what is not an export") {
  CHECK(error_of("not json").find("e.json: not JSON") == 0);
  CHECK(error_of("[1, 2]").find("not a pkgsizer history export") != std::string::npos);
  CHECK(error_of(R"({"kind": 5, "snapshots": []})").find("not a pkgsizer history export") !=
        std::string::npos);
  CHECK(error_of(R"({"kind": "pkgsizer-history", "snapshots": {}})")
            .find("not a pkgsizer history export") != std::string::npos);
  CHECK(error_of(R"({"kind": "pkgsizer-history", "snapshots": [7]})")
            .find("e.json: snapshot 1: not an object") == 0);
}
