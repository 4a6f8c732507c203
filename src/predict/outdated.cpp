#include "predict/outdated.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "packaging/name.hpp"
#include "packaging/version.hpp"
#include "util/checked.hpp"

namespace pkgsizer::predict {

std::optional<std::int64_t> Upgrade::size_change() const {
  if (!upgraded_bytes) return std::nullopt;
  return static_cast<std::int64_t>(*upgraded_bytes) - static_cast<std::int64_t>(installed_bytes);
}

namespace {

bool is_project_name(const std::string& name) {
  // PEP 508 names: letters, digits, '-', '_', '.', starting and ending alphanumeric.
  if (name.empty() || !std::isalnum(static_cast<unsigned char>(name.front())) ||
      !std::isalnum(static_cast<unsigned char>(name.back())))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
  });
}

bool larger_growth_first(const Upgrade& a, const Upgrade& b) {
  const std::optional<std::int64_t> left = a.size_change();
  const std::optional<std::int64_t> right = b.size_change();
  if (left.has_value() != right.has_value()) return left.has_value();
  if (left && *left != *right) return *left > *right;
  return packaging::normalize_name(a.name) < packaging::normalize_name(b.name);
}

}  // namespace

OutdatedReport find_upgrades(const std::vector<InstalledRelease>& installed,
                             const PredictOptions& options, const EnvironmentLookup& environment) {
  OutdatedReport report;
  std::string requirements;
  std::map<std::string, const InstalledRelease*> by_name;
  for (const InstalledRelease& release : installed) {
    if (!is_project_name(release.name)) {
      report.skipped.push_back(
          fmt::format("{}: not a project name an index can have", release.name));
      continue;
    }
    if (!packaging::Version::parse(release.version)) {
      report.skipped.push_back(
          fmt::format("{}: version '{}' is not a PEP 440 version", release.name, release.version));
      continue;
    }
    if (!by_name.emplace(packaging::normalize_name(release.name), &release).second) continue;
    // Only a newer release fits: an up-to-date distribution is "not found", and no wheel of it
    // is read.
    requirements += fmt::format("{}>{}\n", release.name, release.version);
  }
  report.checked = by_name.size();
  if (by_name.empty()) return report;
  PredictOptions no_deps = options;
  no_deps.no_deps = true;
  const Prediction prediction = predict(
      "(installed distributions)", requirements, no_deps,
      [](const std::string&) { return std::optional<std::string>(); }, environment);
  report.index_urls = prediction.index_urls;
  for (const PredictedPackage& package : prediction.packages) {
    if (package.not_found || package.version.empty()) continue;
    const auto found = by_name.find(package.normalized_name);
    if (found == by_name.end()) continue;
    Upgrade upgrade;
    upgrade.name = found->second->name;
    upgrade.installed_version = found->second->version;
    upgrade.installed_bytes = found->second->installed_bytes;
    upgrade.latest_version = package.version;
    upgrade.chosen_file = package.chosen_file;
    upgrade.download_bytes = package.download_bytes;
    if (package.installed_bytes)
      upgrade.upgraded_bytes = checked_add(*package.installed_bytes, package.bytecode_bytes);
    else
      upgrade.note = package.note.empty() ? "size unknown" : package.note;
    report.upgrades.push_back(std::move(upgrade));
  }
  std::sort(report.upgrades.begin(), report.upgrades.end(), larger_growth_first);
  return report;
}

}  // namespace pkgsizer::predict
