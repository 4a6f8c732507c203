#include "model/model.hpp"

#include <array>
#include <utility>

namespace pkgsizer {
namespace {

constexpr std::array<std::pair<Severity, std::string_view>, 2> kSeverityNames = {{
    {Severity::kError, "error"},
    {Severity::kWarning, "warning"},
}};

constexpr std::array<std::pair<ProblemKind, std::string_view>, 5> kProblemKindNames = {{
    {ProblemKind::kScan, "scan"},
    {ProblemKind::kMissing, "missing"},
    {ProblemKind::kVersion, "version"},
    {ProblemKind::kCycle, "cycle"},
    {ProblemKind::kRequirement, "requirement"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                         Enum value) {
  for (const auto& [candidate, name] : names)
    if (candidate == value) return name;
  return "unknown";  // only for a value cast from outside the enum
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                             std::string_view text) {
  for (const auto& [value, name] : names)
    if (name == text) return value;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Severity severity) { return name_of(kSeverityNames, severity); }
std::string_view to_string(ProblemKind kind) { return name_of(kProblemKindNames, kind); }

std::optional<Severity> severity_from_string(std::string_view text) {
  return value_of(kSeverityNames, text);
}

std::optional<ProblemKind> problem_kind_from_string(std::string_view text) {
  return value_of(kProblemKindNames, text);
}

}  // namespace pkgsizer
