// The TOML budget configuration: a pkgsizer.toml, or a pyproject.toml's [tool.pkgsizer] (the
// first byte chooses which, so that one corpus covers both).
#include "budget/budget_config.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char* file_name = data[0] % 2 == 0 ? "pkgsizer.toml" : "pyproject.toml";
  try {
    pkgsizer::budget::parse_budget_config(pkgsizer::fuzz::as_text(data + 1, size - 1), file_name);
  } catch (const pkgsizer::budget::ConfigError&) {
  }
  return 0;
}
