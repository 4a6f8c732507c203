#include "report/docker_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "model/scan_json.hpp"
#include "util/text.hpp"

namespace pkgsizer::report {
namespace {

using Json = nlohmann::ordered_json;

std::string one_line(std::string_view command, std::size_t max_width) {
  std::string text = printable(command);
  // Docker 20's history says "/bin/sh -c #(nop) COPY ..." for metadata-only and COPY steps.
  if (const std::size_t nop = text.find("#(nop) "); nop != std::string::npos)
    text = text.substr(nop + 7);
  std::replace(text.begin(), text.end(), '\n', ' ');
  text = std::string(trim(text));
  if (max_width > 3 && text.size() > max_width) text = text.substr(0, max_width - 3) + "...";
  return text;
}

// The Dockerfile's line when --dockerfile gave one, else the history's command.
std::string instruction(const docker::LayerAnalysis& layer) {
  return layer.dockerfile.empty() ? layer.created_by : layer.dockerfile;
}

std::string changes_text(const docker::LayerAnalysis& layer, SizeUnits units) {
  std::vector<std::string> parts;
  for (const docker::DistributionChange& change : layer.changes) {
    if (change.kind == docker::LayerChangeKind::kRemoved)
      parts.push_back(fmt::format("-{} {}", change.name, change.previous_version));
    else if (change.kind == docker::LayerChangeKind::kAdded)
      parts.push_back(fmt::format("+{} {} ({})", change.name, change.version,
                                  format_size(change.bytes, units)));
    else
      parts.push_back(fmt::format("{} {} -> {} ({})", change.name, change.previous_version,
                                  change.version, format_size(change.bytes, units)));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

struct DistributionRow {
  std::size_t index;
  std::uint64_t bytes;
};

std::vector<DistributionRow> biggest(const docker::ImageAnalysis& analysis, std::size_t count) {
  std::vector<DistributionRow> rows;
  for (std::size_t i = 0; i < analysis.scan.distributions.size(); ++i)
    rows.push_back({i, analysis.scan.distributions[i].size.apparent_bytes});
  std::stable_sort(
      rows.begin(), rows.end(),
      [](const DistributionRow& a, const DistributionRow& b) { return a.bytes > b.bytes; });
  if (rows.size() > count) rows.resize(count);
  return rows;
}

std::string summary_line(const docker::ImageAnalysis& analysis, SizeUnits units) {
  return fmt::format(
      "{} ({}): {} layers, {} of files shipped, {} in the final filesystem, {} "
      "wasted, efficiency {:.1f}%\n",
      printable(analysis.reference), analysis.platform, analysis.layers.size(),
      format_size(analysis.total_bytes, units), format_size(analysis.final_bytes, units),
      format_size(analysis.wasted_bytes, units), analysis.efficiency * 100.0);
}

}  // namespace

std::string render_image_table(const docker::ImageAnalysis& analysis, const RenderOptions& options,
                               std::size_t top_distributions) {
  const SizeUnits units = options.units;
  std::string out = summary_line(analysis, units);
  out += fmt::format("\n{:>3}  {:>9}  {:>9}  {:>9}  {:>6} {:>6} {:>6}  {}\n", "#", "Size", "Final",
                     "Wasted", "+files", "~files", "-files", "Instruction");
  for (const docker::LayerAnalysis& layer : analysis.layers) {
    out += fmt::format("{:>3}  {:>9}  {:>9}  {:>9}  {:>6} {:>6} {:>6}  {}\n", layer.index,
                       format_size(layer.bytes, units), format_size(layer.final_bytes, units),
                       format_size(layer.wasted_bytes, units), layer.files_added,
                       layer.files_changed, layer.files_deleted, one_line(instruction(layer), 70));
    if (!layer.changes.empty())
      out += fmt::format("     python: {}\n", printable(changes_text(layer, units)));
    for (std::size_t g = 0; g < std::min<std::size_t>(layer.other_files.size(), 3); ++g)
      out +=
          fmt::format("     other:  {} {} ({} files)\n", printable(layer.other_files[g].directory),
                      format_size(layer.other_files[g].bytes, units), layer.other_files[g].files);
  }
  if (!analysis.scan.distributions.empty()) {
    out +=
        fmt::format("\n{:<30} {:<14} {:>9}  {:>5}\n", "Distribution", "Version", "Size", "Layer");
    for (const DistributionRow& row : biggest(analysis, top_distributions)) {
      const Distribution& dist = analysis.scan.distributions[row.index];
      out +=
          fmt::format("{:<30} {:<14} {:>9}  {:>5}\n", printable(dist.name), printable(dist.version),
                      format_size(row.bytes, units), analysis.distribution_layer[row.index]);
    }
  }
  if (!analysis.waste_by_distribution.empty()) {
    out += "\nWasted by distributions (deleted or replaced, still shipped):\n";
    for (const docker::DistributionWaste& waste : analysis.waste_by_distribution)
      out += fmt::format("  {} {}: {} (hidden by layer {})\n", waste.name, waste.version,
                         format_size(waste.bytes, units), waste.layer);
  }
  return out;
}

std::string render_image_markdown(const docker::ImageAnalysis& analysis,
                                  const RenderOptions& options, std::size_t top_distributions) {
  const SizeUnits units = options.units;
  std::string out = "### " + escape_markup_cell(summary_line(analysis, units));
  out += "\n| # | Size | Final | Wasted | Files +/~/- | Instruction | Python |\n";
  out += "|--:|--:|--:|--:|--:|---|---|\n";
  for (const docker::LayerAnalysis& layer : analysis.layers)
    out +=
        fmt::format("| {} | {} | {} | {} | {}/{}/{} | {} | {} |\n", layer.index,
                    format_size(layer.bytes, units), format_size(layer.final_bytes, units),
                    format_size(layer.wasted_bytes, units), layer.files_added, layer.files_changed,
                    layer.files_deleted, markdown_code_span(one_line(instruction(layer), 80)),
                    escape_markup_cell(changes_text(layer, units)));
  if (!analysis.scan.distributions.empty()) {
    out += "\n| Distribution | Version | Size | Layer |\n|---|---|--:|--:|\n";
    for (const DistributionRow& row : biggest(analysis, top_distributions)) {
      const Distribution& dist = analysis.scan.distributions[row.index];
      out += fmt::format("| {} | {} | {} | {} |\n", escape_markup_cell(dist.name),
                         escape_markup_cell(dist.version), format_size(row.bytes, units),
                         analysis.distribution_layer[row.index]);
    }
  }
  return out;
}

Json image_to_json(const docker::ImageAnalysis& analysis) {
  Json document = model::scan_to_json(analysis.scan);
  Json image = Json::object();
  image["reference"] = analysis.reference;
  image["source"] = analysis.source;
  image["platform"] = analysis.platform;
  image["tags"] = analysis.tags;
  image["total_bytes"] = analysis.total_bytes;
  image["final_bytes"] = analysis.final_bytes;
  image["wasted_bytes"] = analysis.wasted_bytes;
  image["efficiency"] = analysis.efficiency;
  Json layers = Json::array();
  for (const docker::LayerAnalysis& layer : analysis.layers) {
    Json changes = Json::array();
    for (const docker::DistributionChange& change : layer.changes)
      changes.push_back({{"kind", docker::to_string(change.kind)},
                         {"name", change.name},
                         {"version", change.version},
                         {"previous_version", change.previous_version},
                         {"site_packages", change.site_packages},
                         {"bytes", change.bytes},
                         {"hidden_bytes", change.hidden_bytes}});
    Json groups = Json::array();
    for (const docker::FileGroup& group : layer.other_files)
      groups.push_back(
          {{"directory", group.directory}, {"bytes", group.bytes}, {"files", group.files}});
    layers.push_back({{"index", layer.index},
                      {"created_by", layer.created_by},
                      {"dockerfile", layer.dockerfile},
                      {"digest", layer.digest},
                      {"diff_id", layer.diff_id},
                      {"media_type", layer.media_type},
                      {"compression", layer.compression},
                      {"stored_bytes", layer.stored_bytes},
                      {"uncompressed_bytes", layer.uncompressed_bytes},
                      {"files_added", layer.files_added},
                      {"files_changed", layer.files_changed},
                      {"files_deleted", layer.files_deleted},
                      {"bytes", layer.bytes},
                      {"final_bytes", layer.final_bytes},
                      {"wasted_bytes", layer.wasted_bytes},
                      {"hidden_bytes", layer.hidden_bytes},
                      {"distributions", changes},
                      {"other_files", groups}});
  }
  image["layers"] = layers;
  Json placement = Json::array();
  for (std::size_t i = 0; i < analysis.scan.distributions.size(); ++i)
    placement.push_back({{"name", analysis.scan.distributions[i].normalized_name},
                         {"version", analysis.scan.distributions[i].version},
                         {"layer", analysis.distribution_layer[i]}});
  image["distribution_layers"] = placement;
  Json waste = Json::array();
  for (const docker::DistributionWaste& item : analysis.waste_by_distribution)
    waste.push_back({{"name", item.name},
                     {"version", item.version},
                     {"layer", item.layer},
                     {"bytes", item.bytes}});
  image["waste_by_distribution"] = waste;
  Json groups = Json::array();
  for (const docker::FileGroup& group : analysis.other_files)
    groups.push_back(
        {{"directory", group.directory}, {"bytes", group.bytes}, {"files", group.files}});
  image["other_files"] = groups;
  document["image"] = image;
  return document;
}

}  // namespace pkgsizer::report
