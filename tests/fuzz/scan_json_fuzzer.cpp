// A saved scan (`scan-env --format json`, docs/json-format.md), as `compare` and `check-budget`
// read one that a user hands them.
#include <string>

#include "compare/scan_source.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    pkgsizer::compare::scan_from_text(std::string(pkgsizer::fuzz::as_text(data, size)), "scan.json");
  } catch (const pkgsizer::compare::SourceError&) {
  }
  return 0;
}
