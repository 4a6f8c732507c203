#include "predict/installed_wheels.hpp"

#include <fmt/format.h>

#include <memory>

#include "packaging/name.hpp"
#include "packaging/version.hpp"
#include "predict/http_client.hpp"
#include "predict/index_cache.hpp"
#include "predict/simple_index.hpp"
#include "predict/wheel_size.hpp"

namespace pkgsizer::predict {
namespace {

// Offline, the cache answers with whatever it has, however old (CacheMode::kOffline); without a
// cache file (--no-cache) offline knows nothing and every size is unknown.
std::unique_ptr<IndexCache> open_index_cache(const PredictOptions& options,
                                             std::vector<std::string>& notes) {
  if (options.http_cache_path.empty()) return nullptr;
  IndexCacheOptions cache_options;
  cache_options.mode = options.offline ? CacheMode::kOffline : CacheMode::kUse;
  try {
    return std::make_unique<IndexCache>(options.http_cache_path, cache_options);
  } catch (const std::exception& error) {
    notes.push_back(fmt::format("HTTP cache not used: {}", error.what()));
    return nullptr;
  }
}

bool same_version(const std::string& file_version, const packaging::Version& wanted) {
  const std::optional<packaging::Version> version = packaging::Version::parse(file_version);
  return version && *version == wanted;
}

std::string unknown_note(const ProjectLookup& lookup, const InstalledWheel& wheel) {
  if (lookup.not_found) return "not on the index";
  if (!lookup.error.empty()) return lookup.error;
  return fmt::format("no wheel of version {} for this Python and platform", wheel.version);
}

}  // namespace

std::optional<DistributionFile> wheel_of_version(const ProjectPage& page,
                                                 const std::string& version,
                                                 const TagPriority& priority) {
  const std::optional<packaging::Version> wanted = packaging::Version::parse(version);
  if (!wanted) return std::nullopt;
  // PEP 440: "1.0" and "1.0.0" are one version, so the file names are compared as versions.
  std::vector<const DistributionFile*> files;
  std::vector<std::string> names;
  for (const DistributionFile& file : page.files) {
    const std::optional<WheelFilename> parsed = parse_wheel_filename(file.filename);
    if (!parsed || !same_version(parsed->version, *wanted)) continue;
    files.push_back(&file);
    names.push_back(file.filename);
  }
  const std::optional<std::size_t> best = best_wheel(names, priority);
  if (!best) return std::nullopt;
  return *files[*best];
}

InstalledWheels find_installed_wheels(const std::vector<InstalledRelease>& installed,
                                      const PredictOptions& options,
                                      const EnvironmentLookup& environment) {
  InstalledWheels result;
  for (const InstalledRelease& release : installed)
    result.wheels.push_back({release.name, release.version, "", std::nullopt, ""});
  if (installed.empty()) return result;
  // --find-links directories hold what the user has, not what the index serves: only indexes
  // are asked here, and --no-index leaves nothing to ask.
  if (options.no_index) {
    for (InstalledWheel& wheel : result.wheels) wheel.note = "--no-index: no index to ask";
    result.unknown = result.wheels.size();
    return result;
  }
  result.index_urls = index_urls_for(options, environment);

  const std::unique_ptr<IndexCache> cache = open_index_cache(options, result.warnings);
  if (options.offline && !cache) {
    for (InstalledWheel& wheel : result.wheels)
      wheel.note = "--offline without an HTTP cache: nothing is known";
    result.unknown = result.wheels.size();
    return result;
  }
  HttpClient http;
  SimpleIndex index(http, result.index_urls, cache.get());
  std::vector<std::string> names;
  names.reserve(installed.size());
  for (const InstalledRelease& release : installed)
    names.push_back(packaging::normalize_name(release.name));
  const std::vector<ProjectLookup> lookups = index.projects(names);

  const TagPriority priority(options.target);
  std::vector<WheelSizeRequest> unsized;  // pages without PEP 700 sizes
  std::vector<std::size_t> unsized_of;
  for (std::size_t i = 0; i < result.wheels.size(); ++i) {
    InstalledWheel& wheel = result.wheels[i];
    const ProjectLookup& lookup = lookups[i];
    std::optional<DistributionFile> file;
    if (lookup.page && lookup.error.empty())
      file = wheel_of_version(*lookup.page, wheel.version, priority);
    if (!file) {
      wheel.note = unknown_note(lookup, wheel);
      continue;
    }
    wheel.file_name = file->filename;
    wheel.download_bytes = file->size;
    if (!file->size) {
      unsized.push_back({file->url, std::nullopt});
      unsized_of.push_back(i);
    }
  }
  const std::vector<WheelSizeResult> measured =
      unsized.empty() ? std::vector<WheelSizeResult>{} : measure_wheels(http, unsized, cache.get());
  for (std::size_t k = 0; k < measured.size(); ++k) {
    InstalledWheel& wheel = result.wheels[unsized_of[k]];
    if (measured[k].ok)
      wheel.download_bytes = measured[k].wheel.download_bytes;
    else
      wheel.note = measured[k].error;
  }
  for (const InstalledWheel& wheel : result.wheels) result.unknown += !wheel.download_bytes;
  if (cache)
    for (const std::string& warning : cache->warnings()) result.warnings.push_back(warning);
  return result;
}

}  // namespace pkgsizer::predict
