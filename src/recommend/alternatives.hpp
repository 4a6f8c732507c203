// The curated list of lighter alternatives (data/alternatives.toml, compiled into the binary).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::recommend {

struct Alternative {
  std::string package;  // PEP 503
  std::string alternative;
  std::string why;
  std::string source;
  std::string date;
  std::vector<std::string> when_installed;
  bool predict = true;
};

// The version of the data file ("version = N").
std::int64_t alternatives_version();
// Parsed once. The data is part of the build: a bad entry is a bug (ErrorCategory::kInternal).
const std::vector<Alternative>& curated_alternatives();
// For tests and the fuzzer: the entries of a TOML text in that format.
std::vector<Alternative> parse_alternatives(std::string_view text);

}  // namespace pkgsizer::recommend
