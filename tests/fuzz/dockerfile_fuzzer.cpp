// A Dockerfile given with `pkgsizer docker --dockerfile`: parsed, never thrown from.
#include "docker/dockerfile.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto steps = pkgsizer::docker::layer_instructions(pkgsizer::fuzz::as_text(data, size));
  std::size_t previous = 0;
  for (const auto& step : steps) {
    if (step.line < previous) __builtin_trap();  // in file order
    previous = step.line;
  }
  return 0;
}
