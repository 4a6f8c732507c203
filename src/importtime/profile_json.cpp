#include "importtime/profile_json.hpp"

#include <fmt/format.h>

#include <cmath>

#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"

namespace pkgsizer::importtime {
namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json stats_json(const TimeStats& stats) {
  return ordered_json{
      {"median_us", stats.median_us}, {"min_us", stats.min_us}, {"max_us", stats.max_us}};
}

TimeStats stats_from(const nlohmann::json& value) {
  TimeStats stats;
  stats.median_us = value.at("median_us").get<std::int64_t>();
  stats.min_us = value.value("min_us", stats.median_us);
  stats.max_us = value.value("max_us", stats.median_us);
  return stats;
}

// How many ancestors a module has: a walk up, without building the chain.
int depth_of(const ImportProfile& profile, std::size_t index) {
  int depth = 0;
  for (std::size_t at = profile.modules[index].parent; at != kNoParent;
       at = profile.modules[at].parent)
    ++depth;
  return depth;
}

}  // namespace

std::string format_time(std::int64_t microseconds) { return format_duration_us(microseconds); }

std::optional<std::int64_t> parse_duration(std::string_view text) {
  return parse_duration_us(text);
}

ordered_json profile_to_json(const ImportProfile& profile) {
  ordered_json json;
  json["kind"] = kJsonKind;
  json["schema_version"] = ImportProfile::kSchemaVersion;
  json["target"] = profile.target;
  json["interpreter"] = profile.interpreter;
  json["python_version"] = profile.python_version;
  json["runs"] = profile.runs;
  json["warmup"] = profile.warmup;
  json["cold"] = profile.cold;
  json["total"] = stats_json(profile.total);
  json["startup"] = stats_json(profile.startup);
  ordered_json distributions = ordered_json::array();
  for (const DistributionTiming& dist : profile.distributions)
    distributions.push_back(ordered_json{{"name", dist.name},
                                         {"kind", to_string(dist.kind)},
                                         {"version", dist.version},
                                         {"self_us", dist.self_us},
                                         {"cumulative_us", dist.cumulative_us},
                                         {"modules", dist.modules},
                                         {"share_percent", std::round(dist.share * 100) / 100},
                                         {"chain", dist.chain},
                                         {"importers", dist.importers}});
  json["distributions"] = std::move(distributions);
  ordered_json lazy = ordered_json::array();
  for (const LazyCandidate& candidate : profile.lazy_candidates)
    lazy.push_back(ordered_json{{"distribution", candidate.distribution},
                                {"importer", candidate.importer},
                                {"saving_us", candidate.saving_us}});
  json["lazy_candidates"] = std::move(lazy);
  ordered_json modules = ordered_json::array();
  for (std::size_t index : preorder(profile)) {
    const ModuleTiming& module = profile.modules[index];
    ordered_json entry{
        {"name", module.name},
        {"distribution", module.distribution},
        {"file", module.file},
        {"startup", module.startup},
        {"depth", depth_of(profile, index)},
        {"parent", module.parent == kNoParent ? ordered_json(nullptr)
                                              : ordered_json(profile.modules[module.parent].name)}};
    if (module.cached) {
      entry["cached"] = true;
    } else {
      entry["self"] = stats_json(module.self);
      entry["cumulative"] = stats_json(module.cumulative);
    }
    modules.push_back(std::move(entry));
  }
  json["modules"] = std::move(modules);
  json["other_lines"] = profile.other_lines;
  return json;
}

bool is_profile_json(std::string_view text) {
  // Cheap: the kind is the first key profile_to_json writes.
  return text.substr(0, 200).find(std::string("\"") + kJsonKind + "\"") != std::string_view::npos;
}

ImportProfile profile_from_json(std::string_view text, const std::string& source) {
  try {
    const nlohmann::json json = parse_json(text);
    if (!json.is_object() || json.value("kind", "") != kJsonKind)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("{}: not a `pkgsizer import-time --json` file", source));
    ImportProfile profile;
    profile.target = json.value("target", "");
    profile.interpreter = json.value("interpreter", "");
    profile.python_version = json.value("python_version", "");
    profile.runs = json.value("runs", 0);
    profile.total = stats_from(json.at("total"));
    profile.startup = stats_from(json.at("startup"));
    for (const nlohmann::json& entry : json.at("distributions")) {
      DistributionTiming dist;
      dist.name = entry.at("name").get<std::string>();
      const std::string kind = entry.value("kind", "distribution");
      const std::optional<AttributionKind> known = attribution_kind_from_string(kind);
      if (!known)
        throw Error(ErrorCategory::kEnvironment,
                    fmt::format("{}: not a valid import-time profile: distribution {} has kind "
                                "\"{}\" (not distribution, stdlib, startup, unowned, not-loaded)",
                                source, printable(dist.name), printable(kind)));
      dist.kind = *known;
      dist.version = entry.value("version", "");
      dist.self_us = entry.at("self_us").get<std::int64_t>();
      dist.cumulative_us = entry.value("cumulative_us", std::int64_t{0});
      dist.modules = entry.value("modules", std::size_t{0});
      dist.share = entry.value("share_percent", 0.0);
      profile.distributions.push_back(std::move(dist));
    }
    return profile;
  } catch (const nlohmann::json::exception& error) {
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{}: not a valid import-time profile: {}", source, error.what()));
  }
}

}  // namespace pkgsizer::importtime
