#include "predict/prediction_scan.hpp"

#include "pkgsizer/version.hpp"

namespace pkgsizer::predict {

std::uint64_t predicted_bytes(const PredictedPackage& package) {
  return package.installed_bytes ? *package.installed_bytes + package.bytecode_bytes : 0;
}

Scan prediction_scan(const Prediction& prediction, const PredictionContext& context) {
  Scan scan;
  scan.tool_version = kVersion;
  scan.created_at = context.created_at;
  scan.environment.kind = "prediction";
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
    scan.totals.all += dist.size;
    scan.totals.owned += dist.size;
    scan.totals.selected += dist.size;
    scan.distributions.push_back(std::move(dist));
  }
  scan.totals.distributions = scan.distributions.size();
  for (const std::string& warning : prediction.warnings)
    scan.problems.push_back({Severity::kWarning, context.input, warning});
  return scan;
}

}  // namespace pkgsizer::predict
