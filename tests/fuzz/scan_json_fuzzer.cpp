// A saved scan (`scan-env --json`, docs/json-format.md), as `compare`, `check-budget` and the
// history read one: JSON text, then the scan reader, which reports what is not a scan with
// std::runtime_error (compare/scan_source.cpp turns it into "<side>: <reason>", exit code 3).
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fuzz_target.hpp"
#include "model/scan_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(pkgsizer::fuzz::as_text(data, size));
  } catch (const nlohmann::json::parse_error&) {
    return 0;  // not JSON, which compare::scan_from_text reports (as it does the next one)
  } catch (const nlohmann::json::out_of_range&) {
    return 0;  // a number beyond a double's range, such as 1e400 (found by this target)
  }
  try {
    pkgsizer::model::scan_from_json(json);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
