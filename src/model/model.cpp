#include "model/model.hpp"

#include <array>
#include <utility>

namespace pkgsizer {
namespace {

constexpr std::array<std::pair<Severity, std::string_view>, 2> kSeverityNames = {{
    {Severity::kError, "error"},
    {Severity::kWarning, "warning"},
}};

constexpr std::array<std::pair<ProblemKind, std::string_view>, 6> kProblemKindNames = {{
    {ProblemKind::kUnknownSize, "unknown_size"},
    {ProblemKind::kScan, "scan"},
    {ProblemKind::kMissing, "missing"},
    {ProblemKind::kVersion, "version"},
    {ProblemKind::kCycle, "cycle"},
    {ProblemKind::kRequirement, "requirement"},
}};

constexpr std::array<std::pair<MetadataKind, std::string_view>, 7> kMetadataKindNames = {{
    {MetadataKind::kUnknown, ""},
    {MetadataKind::kDistInfo, "dist-info"},
    {MetadataKind::kEggInfo, "egg-info"},
    {MetadataKind::kEggInfoFile, "egg-info-file"},
    {MetadataKind::kEggLink, "egg-link"},
    {MetadataKind::kPrediction, "prediction"},
    {MetadataKind::kCondaMeta, "conda-meta"},
}};

constexpr std::array<std::pair<FilesSource, std::string_view>, 9> kFilesSourceNames = {{
    {FilesSource::kUnknown, ""},
    {FilesSource::kRecord, "RECORD"},
    {FilesSource::kInstalledFiles, "installed-files.txt"},
    {FilesSource::kTopLevel, "top_level.txt"},
    {FilesSource::kName, "name"},
    {FilesSource::kEggLink, "egg-link"},
    {FilesSource::kWheel, "wheel"},
    {FilesSource::kSdist, "sdist"},
    {FilesSource::kCondaMeta, "conda-meta"},
}};

constexpr std::array<std::pair<ModuleKind, std::string_view>, 6> kModuleKindNames = {{
    {ModuleKind::kUnknown, ""},
    {ModuleKind::kPackage, "package"},
    {ModuleKind::kNamespace, "namespace"},
    {ModuleKind::kModule, "module"},
    {ModuleKind::kExtension, "extension"},
    {ModuleKind::kData, "data"},
}};

constexpr std::array<std::pair<EnvironmentKind, std::string_view>, 8> kEnvironmentKindNames = {{
    {EnvironmentKind::kUnknown, ""},
    {EnvironmentKind::kVenv, "venv"},
    {EnvironmentKind::kConda, "conda"},
    {EnvironmentKind::kSystem, "system"},
    {EnvironmentKind::kPrefix, "prefix"},
    {EnvironmentKind::kSitePackages, "site-packages"},
    {EnvironmentKind::kPrediction, "prediction"},
    {EnvironmentKind::kImage, "image"},
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

std::string_view to_string(MetadataKind kind) { return name_of(kMetadataKindNames, kind); }
std::string_view to_string(FilesSource source) { return name_of(kFilesSourceNames, source); }

std::optional<MetadataKind> metadata_kind_from_string(std::string_view text) {
  return value_of(kMetadataKindNames, text);
}

std::optional<FilesSource> files_source_from_string(std::string_view text) {
  return value_of(kFilesSourceNames, text);
}

std::string_view to_string(ModuleKind kind) { return name_of(kModuleKindNames, kind); }
std::string_view to_string(EnvironmentKind kind) { return name_of(kEnvironmentKindNames, kind); }

std::optional<ModuleKind> module_kind_from_string(std::string_view text) {
  return value_of(kModuleKindNames, text);
}

std::optional<EnvironmentKind> environment_kind_from_string(std::string_view text) {
  return value_of(kEnvironmentKindNames, text);
}

std::optional<Severity> severity_from_string(std::string_view text) {
  return value_of(kSeverityNames, text);
}

std::optional<ProblemKind> problem_kind_from_string(std::string_view text) {
  return value_of(kProblemKindNames, text);
}

}  // namespace pkgsizer
