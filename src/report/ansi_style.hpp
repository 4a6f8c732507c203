// The ANSI colour codes the text renderers use (only when RenderOptions::color says so).
#pragma once

#include <string>
#include <string_view>

namespace pkgsizer::report {

inline constexpr const char* kBold = "\033[1m";
inline constexpr const char* kDim = "\033[2m";
inline constexpr const char* kRed = "\033[31m";
inline constexpr const char* kGreen = "\033[32m";
inline constexpr const char* kYellow = "\033[33m";
inline constexpr const char* kMagenta = "\033[35m";
inline constexpr const char* kCyan = "\033[36m";
inline constexpr const char* kReset = "\033[0m";

// `text` in `code` when colour is on, as it is otherwise.
inline std::string paint(bool color, const char* code, std::string_view text) {
  return color ? std::string(code) + std::string(text) + kReset : std::string(text);
}

}  // namespace pkgsizer::report
