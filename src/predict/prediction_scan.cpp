#include "predict/prediction_scan.hpp"

#include <fmt/format.h>

#include "pkgsizer/version.hpp"
#include "util/checked.hpp"

namespace pkgsizer::predict {

namespace {
// Sizes an index served: sums of them are checked (util/checked.hpp), never wrapped.
constexpr const char* kSumOverflow = "the predicted sizes add up to more than 2^64 bytes";
}  // namespace

std::uint64_t predicted_bytes(const PredictedPackage& package) {
  return package.installed_bytes
             ? add_or_throw(*package.installed_bytes, package.bytecode_bytes, kSumOverflow)
             : 0;
}

Scan prediction_scan(const Prediction& prediction, const PredictionContext& context) {
  Scan scan;
  scan.tool_version = kVersion;
  scan.created_at = context.created_at;
  scan.environment.kind = EnvironmentKind::kPrediction;
  scan.environment.prefix = context.input;
  scan.environment.platform = context.platform;
  for (const auto& package : prediction.packages) {
    Distribution dist;
    dist.name = package.name;
    dist.normalized_name = package.normalized_name;
    dist.version = package.version;
    dist.location = package.url;
    dist.metadata_kind = MetadataKind::kPrediction;
    dist.files_source = package.sdist_only ? FilesSource::kSdist : FilesSource::kWheel;
    dist.size.apparent_bytes = predicted_bytes(package);
    dist.size.disk_bytes = dist.size.apparent_bytes;
    dist.size.file_count = package.file_count;
    dist.root = true;
    accumulate_checked(scan.totals.all.apparent_bytes, dist.size.apparent_bytes, kSumOverflow);
    scan.totals.all.disk_bytes = scan.totals.all.apparent_bytes;
    scan.totals.all.file_count += dist.size.file_count;
    scan.totals.owned = scan.totals.all;
    scan.totals.selected = scan.totals.all;
    scan.distributions.push_back(std::move(dist));
  }
  scan.totals.distributions = scan.distributions.size();
  for (const std::string& warning : prediction.warnings)
    scan.problems.push_back({Severity::kWarning, context.input, warning});
  // A size left out is an error of the result, not a warning: a budget checked on it is
  // incomplete (budget_check.hpp).
  for (const auto& package : prediction.packages)
    if (!package.installed_bytes)
      scan.problems.push_back({Severity::kError, context.input,
                               fmt::format("{}{}: {}", package.name,
                                           package.version.empty() ? "" : " " + package.version,
                                           package.note.empty() ? "size unknown" : package.note),
                               ProblemKind::kUnknownSize});
  return scan;
}

}  // namespace pkgsizer::predict
