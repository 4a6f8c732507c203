// An option whose value is one of a few words (--by size|files|name), with an error a person
// reads: "'sise' is not one of size, files, name (did you mean size?)" instead of CLI11's
// "Check sise value in {files->1,…} FAILED".
#pragma once

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <string>
#include <utility>
#include <vector>

#include "util/text.hpp"

namespace pkgsizer::cli {

// The prefix of a choice validator's name; the words follow, comma-separated. Completions and
// the man page read the words from there (cli/command_tree.cpp), so they cannot drift apart.
inline constexpr const char* kChoiceValidatorPrefix = "choice:";

// A transform for an enum option: each word maps to its value; the words are listed in this
// order in the error message.
template <typename Enum>
CLI::Validator choice(std::vector<std::pair<std::string, Enum>> words) {
  std::vector<std::string> names;
  names.reserve(words.size());
  for (const auto& [word, value] : words) names.push_back(word);
  return CLI::Validator(
      [words = std::move(words), names](std::string& input) -> std::string {
        for (const auto& [word, value] : words)
          if (word == input) {
            // CLI11 converts the enum from its underlying integer.
            input = std::to_string(static_cast<long long>(value));
            return "";
          }
        const auto suggestion = closest_match(input, names);
        return fmt::format("'{}' is not one of {}{}", input, fmt::join(names, ", "),
                           suggestion ? fmt::format(" (did you mean {}?)", *suggestion) : "");
      },
      "", fmt::format("{}{}", kChoiceValidatorPrefix, fmt::join(names, ",")));
}

}  // namespace pkgsizer::cli
