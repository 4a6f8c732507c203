#include "packaging/requires_txt.hpp"

#include <cctype>
#include <optional>

#include "util/text.hpp"

namespace pkgsizer::packaging {

namespace {

// The marker a section header "[extra:marker]" puts on its lines, empty for "[]".
std::string section_condition(std::string_view header) {
  std::size_t colon = header.find(':');
  std::string_view extra = trim(header.substr(0, colon));
  std::string_view marker =
      colon == std::string_view::npos ? std::string_view() : trim(header.substr(colon + 1));
  std::string extra_condition = extra.empty() ? "" : "extra == \"" + std::string(extra) + "\"";
  if (marker.empty()) return extra_condition;
  if (extra.empty()) return std::string(marker);
  return "(" + std::string(marker) + ") and " + extra_condition;
}

// Where a requirement's own marker starts, if it has one. PEP 508: after a URL the ';' must
// follow whitespace, since a URL may contain ';' itself.
std::optional<std::size_t> own_marker_start(std::string_view requirement) {
  bool has_url = requirement.find('@') != std::string_view::npos;
  for (std::size_t i = 0; i < requirement.size(); ++i) {
    if (requirement[i] != ';') continue;
    if (!has_url || (i > 0 && (requirement[i - 1] == ' ' || requirement[i - 1] == '\t'))) return i;
  }
  return std::nullopt;
}

std::string add_condition(std::string_view requirement, const std::string& condition) {
  if (condition.empty()) return std::string(requirement);
  // PEP 508 needs whitespace between a URL and the ';'; importlib.metadata adds it the same way.
  std::string separator = requirement.find('@') != std::string_view::npos ? " ; " : "; ";
  if (auto start = own_marker_start(requirement)) {
    std::string_view own = trim(requirement.substr(*start + 1));
    return std::string(trim(requirement.substr(0, *start))) + separator + "(" + std::string(own) +
           ") and (" + condition + ")";
  }
  return std::string(requirement) + separator + condition;
}

}  // namespace

RequiresTxtError::RequiresTxtError(const std::string& problem, std::size_t line)
    : Error(ErrorCategory::kEnvironment, "line " + std::to_string(line) + ": " + problem),
      line_(line) {}

std::vector<std::string> parse_requires_txt(std::string_view text) {
  std::vector<std::string> requirements;
  std::string condition;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    std::size_t newline = text.find('\n');
    std::string_view line = trim(text.substr(0, newline));
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);

    if (line.empty() || line.starts_with('#')) continue;
    if (line.starts_with('[')) {
      if (!line.ends_with(']'))
        throw RequiresTxtError("unterminated section header '" + std::string(line) + "'",
                               line_number);
      condition = section_condition(line.substr(1, line.size() - 2));
      continue;
    }
    requirements.push_back(add_condition(line, condition));
  }
  return requirements;
}

}  // namespace pkgsizer::packaging
