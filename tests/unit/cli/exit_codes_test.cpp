#include "cli/exit_codes.hpp"

#include <catch2/catch.hpp>

#include "budget/budget_config.hpp"
#include "compare/scan_source.hpp"
#include "env/locate.hpp"
#include "predict/lock_files.hpp"
#include "predict/predictor.hpp"
#include "predict/simple_index.hpp"
#include "predict/zip_central_directory.hpp"
#include "store/database.hpp"
#include "util/error.hpp"

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

namespace {

// The exit code `main` gives an error thrown as `error`.
template <typename Thrown>
int exit_code_of(const Thrown& error) {
  try {
    throw error;
  } catch (const pkgsizer::Error& caught) {
    return pkgsizer::exit_code_for(caught.category());
  }
}

}  // namespace

TEST_CASE("each module's errors are pkgsizer::Errors that say the README's exit code") {
  using namespace pkgsizer;
  CHECK(exit_code_of(budget::ConfigError("pkgsizer.toml:1:1: x")) == 2);
  CHECK(exit_code_of(predict::LockFileError("uv.lock:1:1: x")) == 2);
  CHECK(exit_code_of(predict::PredictError(predict::PredictError::Kind::bad_input, "x")) == 2);
  CHECK(exit_code_of(predict::PredictError(predict::PredictError::Kind::unreachable, "x")) == 3);
  CHECK(exit_code_of(env::EnvironmentError("x: not an environment")) == 3);
  CHECK(exit_code_of(compare::SourceError("a.json: not JSON")) == 3);
  CHECK(exit_code_of(predict::IndexError("https://x/simple/: HTTP 500")) == 3);
  CHECK(exit_code_of(predict::ZipFormatError("end record: bad signature")) == 3);
  CHECK(exit_code_of(store::StoreCorrupt("h.sqlite3: damaged")) == 8);
  CHECK(exit_code_of(store::StoreError("h.sqlite3: disk full")) == 8);
}
