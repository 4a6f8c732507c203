// requires.txt of an .egg-info ("[extra:marker]" sections of requirements).
#include "fuzz_target.hpp"
#include "packaging/requires_txt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    pkgsizer::packaging::parse_requires_txt(pkgsizer::fuzz::as_text(data, size));
  } catch (const pkgsizer::packaging::RequiresTxtError&) {
  }
  return 0;
}
