#include "report/predict_report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/scan_json.hpp"
#include "pkgsizer/version.hpp"
#include "util/checked.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"

namespace pkgsizer::report {
namespace {

using predict::predicted_bytes;

// Sizes an index served: sums of them are checked (util/checked.hpp), never wrapped.
constexpr const char* kSumOverflow = "the predicted sizes add up to more than 2^64 bytes";

std::string size_or(const std::optional<std::uint64_t>& bytes, SizeUnits units,
                    const char* unknown) {
  return bytes ? format_size(*bytes, units) : std::string(unknown);
}

std::string installed_text(const predict::PredictedPackage& package, SizeUnits units) {
  if (package.sdist_only) return "unknown until built";
  if (package.not_found) return "not found";
  if (!package.installed_bytes) return "unknown";
  return format_size(predicted_bytes(package), units);
}

struct Sums {
  std::uint64_t download = 0, installed = 0, bytecode = 0;
  std::size_t unknown = 0;
  std::size_t not_found = 0;
};

Sums sum(const predict::Prediction& prediction) {
  Sums sums;
  for (const auto& package : prediction.packages) {
    accumulate_checked(sums.download, package.download_bytes.value_or(0), kSumOverflow);
    accumulate_checked(sums.installed, predicted_bytes(package), kSumOverflow);
    accumulate_checked(sums.bytecode, package.bytecode_bytes, kSumOverflow);
    if (!package.installed_bytes) ++sums.unknown;
    if (package.not_found) ++sums.not_found;
  }
  return sums;
}

// --exact-bytecode measured every package's bytecode.
bool all_exact(const predict::Prediction& prediction) {
  return std::all_of(prediction.packages.begin(), prediction.packages.end(),
                     [](const predict::PredictedPackage& package) {
                       return package.bytecode_exact || !package.installed_bytes ||
                              package.bytecode_bytes == 0;
                     });
}

std::string verdict(const predict::Prediction& prediction) {
  const Sums sums = sum(prediction);
  const std::string incomplete =
      sums.unknown == 0
          ? ""
          : fmt::format(" Incomplete: {} package(s) of unknown installed size{}.", sums.unknown,
                        sums.not_found > 0 ? fmt::format(", {} not found", sums.not_found) : "");
  return (prediction.estimate
              ? fmt::format("Estimate: versions of the unpinned {} were resolved here, simply "
                            "(pip may choose others).",
                            predict::input_kind_name(prediction.kind))
              : fmt::format("Exact: every version is pinned by the {}.",
                            predict::input_kind_name(prediction.kind))) +
         incomplete;
}

}  // namespace

nlohmann::ordered_json prediction_to_json(const predict::Prediction& prediction,
                                          const PredictionContext& context) {
  nlohmann::ordered_json json = model::scan_to_json(prediction_scan(prediction, context));
  auto& distributions = json["distributions"];
  for (std::size_t i = 0; i < prediction.packages.size(); ++i) {
    const auto& package = prediction.packages[i];
    auto& dist = distributions[i];
    dist["download_bytes"] = number_or_null(package.download_bytes);
    dist["installed_bytes"] = number_or_null(package.installed_bytes);
    dist["bytecode_bytes"] = number_or_null(
        package.installed_bytes ? std::optional(package.bytecode_bytes) : std::nullopt);
    dist["chosen_file"] = package.chosen_file;
    dist["estimate"] = prediction.estimate;
    dist["sdist_only"] = package.sdist_only;
    dist["not_found"] = package.not_found;
    dist["bytecode_exact"] = package.bytecode_exact;
    dist["note"] = package.note;
  }
  const Sums sums = sum(prediction);
  json["prediction"] = {{"input", context.input},
                        {"input_kind", std::string(predict::input_kind_name(prediction.kind))},
                        {"estimate", prediction.estimate},
                        {"index_urls", prediction.index_urls},
                        {"download_bytes", sums.download},
                        {"installed_bytes", sums.installed},
                        {"bytecode_bytes", sums.bytecode},
                        {"unknown_sizes", sums.unknown},
                        {"not_found", sums.not_found}};
  return json;
}

std::string render_prediction_table(const predict::Prediction& prediction,
                                    const PredictionContext& context, const RenderOptions& render) {
  std::size_t name_width = 4, version_width = 7;
  for (const auto& package : prediction.packages) {
    name_width = std::max(name_width, printable(package.name).size());
    version_width = std::max(version_width, printable(package.version).size());
  }
  std::string out = fmt::format("{:<{}}  {:<{}}  {:>10}  {:>19}  {}\n", "Name", name_width,
                                "Version", version_width, "Download", "Installed", "File");
  for (const auto& package : prediction.packages)
    out += fmt::format("{:<{}}  {:<{}}  {:>10}  {:>19}  {}\n", printable(package.name), name_width,
                       printable(package.version), version_width,
                       size_or(package.download_bytes, render.units, "unknown"),
                       installed_text(package, render.units),
                       package.chosen_file.empty() ? "-" : printable(package.chosen_file));
  const Sums sums = sum(prediction);
  out += fmt::format("{:<{}}  {:<{}}  {:>10}  {:>19}\n", "Total", name_width, "", version_width,
                     format_size(sums.download, render.units),
                     format_size(sums.installed, render.units));
  if (sums.bytecode > 0)
    out += fmt::format("Installed sizes include {} of {} bytecode (--no-compile: without).\n",
                       format_size(sums.bytecode, render.units),
                       all_exact(prediction) ? "compiled" : "estimated");
  if (sums.unknown > 0)
    out += fmt::format("{} package(s) of unknown installed size are not in the total.\n",
                       sums.unknown);
  out += fmt::format("{} ({})\n", verdict(prediction), printable(context.input));
  return out;
}

std::string render_prediction_markdown(const predict::Prediction& prediction,
                                       const PredictionContext& context,
                                       const RenderOptions& render) {
  std::string out = "| Name | Version | Download | Installed | File |\n|---|---|--:|--:|---|\n";
  for (const auto& package : prediction.packages)
    out +=
        fmt::format("| {} | {} | {} | {} | {} |\n", escape_markup_cell(package.name),
                    escape_markup_cell(package.version),
                    size_or(package.download_bytes, render.units, "unknown"),
                    installed_text(package, render.units), markdown_code_span(package.chosen_file));
  const Sums sums = sum(prediction);
  out += fmt::format("| **Total** | | **{}** | **{}** | |\n\n",
                     format_size(sums.download, render.units),
                     format_size(sums.installed, render.units));
  out += fmt::format("{} ({})\n", verdict(prediction), markdown_code_span(context.input));
  return out;
}

}  // namespace pkgsizer::report
