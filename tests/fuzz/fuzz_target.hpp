// What every fuzz target shares. Each target feeds one parser of untrusted input (files of an
// environment, of a project, or what an index serves) and lets through only the parser's own
// documented error type: anything else escaping (std::out_of_range, a JSON library exception,
// …) is a bug that the CLI would report as exit code 10, so the target lets it escape and
// libFuzzer reports it. The same targets run as plain tests over their corpus (fuzz_driver.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace pkgsizer::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace pkgsizer::fuzz
