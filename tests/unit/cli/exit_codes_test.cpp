#include "cli/exit_codes.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer::cli;

TEST_CASE("scan_exit_code: an exceeded limit wins over a partial scan") {
  CHECK(scan_exit_code({.threshold_exceeded = true, .partial = true}) == kExitThresholdExceeded);
  CHECK(scan_exit_code({.threshold_exceeded = true, .dependency_problems = true, .strict = true}) ==
        kExitThresholdExceeded);
}

TEST_CASE("scan_exit_code: a partial scan wins over dependency problems") {
  CHECK(scan_exit_code({.partial = true, .dependency_problems = true, .strict = true}) ==
        kExitPartial);
  CHECK(scan_exit_code({.partial = true}) == kExitPartial);
}

TEST_CASE("scan_exit_code: dependency problems fail the run only with --strict") {
  CHECK(scan_exit_code({.dependency_problems = true, .strict = true}) == kExitDependencies);
  CHECK(scan_exit_code({.dependency_problems = true}) == kExitOk);
  CHECK(scan_exit_code({.strict = true}) == kExitOk);
  CHECK(scan_exit_code({}) == kExitOk);
}
