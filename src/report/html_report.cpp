#include "report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "pkgsizer/version.hpp"
#include "report/html_assets.hpp"
#include "util/json_text.hpp"
#include "util/utc_time.hpp"
#include "util/xml_escape.hpp"

namespace pkgsizer::report {
namespace {

using Json = nlohmann::ordered_json;

// JSON text safe inside a <script> element (HTML Living Standard, "Restrictions for contents of
// script elements"): '<' as \u003c means no "</script" and no "<!--" can appear; '>' and '&' go
// too, for older parsers. These characters only occur inside JSON strings, where the escape
// reads back as the same character.
std::string script_safe_json(const Json& data) {
  const std::string text = dump_json(data);
  std::string out;
  out.reserve(text.size() + 64);
  for (const char c : text) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

Json size_json(const Size& size) {
  return Json::array({size.apparent_bytes, size.disk_bytes, size.file_count});
}

// Kind codes the script colours by: c code, n native library, d data, m metadata and scripts,
// o several small nodes merged. Bytecode (b) is not a node of its own: each node carries its
// .pyc bytes, and the script splits a tile into its kinds (html_script.cpp, kindsOf).
// A node of kind kUnknown is the one distribution_tree adds for what modules do not hold.
const char* kind_code(ModuleKind kind) {
  if (kind == ModuleKind::kExtension) return "n";
  if (kind == ModuleKind::kData) return "d";
  if (kind == ModuleKind::kUnknown) return "m";
  return "c";  // package, namespace, module
}

// [name, kind, apparent, disk, files, bytecode apparent, bytecode disk, children?]; children
// smaller than `threshold` apparent bytes become one node "(N smaller)", which keeps their
// bytecode bytes, so the bytecode of a tree adds up whatever was merged.
Json module_json(const ModuleNode& module, const char* kind, std::uint64_t threshold) {
  Json node = Json::array({module.name, kind, module.size.apparent_bytes, module.size.disk_bytes,
                           module.size.file_count, module.bytecode.apparent_bytes,
                           module.bytecode.disk_bytes});
  if (module.children.empty()) return node;
  Json kids = Json::array();
  ModuleNode merged;
  std::size_t merged_count = 0;
  for (const ModuleNode& child : module.children) {
    if (child.size.apparent_bytes < threshold) {
      merged.size += child.size;
      merged.bytecode += child.bytecode;
      ++merged_count;
      continue;
    }
    kids.push_back(module_json(child, kind_code(child.kind), threshold));
  }
  if (merged_count == 1 && kids.empty()) return node;  // one small child: the node says it all
  if (merged_count > 0) {
    merged.name = fmt::format("({} smaller)", merged_count);
    kids.push_back(module_json(merged, "o", threshold));
  }
  node.push_back(std::move(kids));
  return node;
}

// A distribution's tree: its modules, and what its modules do not hold (its metadata
// directory, scripts in bin/, files outside site-packages) as one "metadata" node beside them,
// so that the children add up to the distribution's size.
Json distribution_tree(const Distribution& dist, std::uint64_t threshold) {
  ModuleNode root{dist.name, ModuleKind::kPackage, dist.size, dist.modules, {}};
  Size in_modules;
  for (const ModuleNode& module : dist.modules) {
    in_modules += module.size;
    root.bytecode += module.bytecode;
  }
  Size rest;
  rest.apparent_bytes =
      dist.size.apparent_bytes - std::min(dist.size.apparent_bytes, in_modules.apparent_bytes);
  rest.disk_bytes = dist.size.disk_bytes - std::min(dist.size.disk_bytes, in_modules.disk_bytes);
  rest.file_count = dist.size.file_count - std::min(dist.size.file_count, in_modules.file_count);
  if (rest.apparent_bytes > 0 || rest.file_count > 0)
    root.children.push_back({"(metadata, scripts)", ModuleKind::kUnknown, rest, {}, {}});
  return module_json(root, "c", threshold);
}

Json totals_json(const Totals& totals) {
  return Json{{"distributions", totals.distributions},
              {"all", size_json(totals.all)},
              {"owned", size_json(totals.owned)},
              {"unowned", size_json(totals.unowned)},
              {"directories", size_json(totals.directories)},
              {"shared", size_json(totals.shared)},
              {"outside", size_json(totals.outside)},
              {"selected", size_json(totals.selected)}};
}

}  // namespace

std::string render_html_page(const HtmlPage& page) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // No network: nothing but this file's own styles, scripts and data: images as data: URIs.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"generator\" content=\"pkgsizer {}\">\n<title>{}</title>\n<style>\n",
      escape_xml(kVersion), escape_xml(page.title));
  out += kHtmlStyle;
  out +=
      "</style>\n</head>\n<body>\n<noscript>This report lays itself out with JavaScript; "
      "the data is in the pkgsizer-data element of this file.</noscript>\n"
      "<div id=\"app\" data-view=\"";
  out += escape_xml(page.view);
  out += "\"></div>\n<script type=\"application/json\" id=\"pkgsizer-data\">";
  Json envelope{{"view", page.view},
                {"title", page.title},
                {"pkgsizer_version", kVersion},
                {"generated_at", iso8601_utc()},
                {"data", page.data}};
  out += script_safe_json(envelope);
  out += "</script>\n<script>\n";
  out += kHtmlScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

Json scan_html_data(const Scan& scan) {
  const auto threshold = static_cast<std::uint64_t>(
      static_cast<double>(scan.totals.selected.apparent_bytes) * kHtmlAggregateShare);
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < scan.distributions.size(); ++i)
    index_of.emplace(scan.distributions[i].normalized_name, i);
  Json dists = Json::array();
  for (const Distribution& dist : scan.distributions) {
    Json required_by = Json::array();
    for (const std::string& name : dist.required_by)
      if (const auto found = index_of.find(name); found != index_of.end())
        required_by.push_back(found->second);
    Json requirements = Json::array();
    for (const Dependency& dependency : dist.dependencies)
      if (const auto found = index_of.find(dependency.normalized_name); found != index_of.end())
        requirements.push_back(found->second);
    dists.push_back(Json{{"name", dist.name},
                         {"version", dist.version},
                         {"size", size_json(dist.size)},
                         {"with_deps", dist.cumulative_bytes},
                         {"frees", dist.removable() ? Json(dist.removal_bytes) : Json(nullptr)},
                         {"root", dist.root},
                         {"editable", dist.editable},
                         {"required_by", std::move(required_by)},
                         {"requires", std::move(requirements)},
                         {"tree", distribution_tree(dist, threshold)}});
  }
  const Environment& environment = scan.environment;
  return Json{{"environment",
               {{"kind", to_string(environment.kind)},
                {"prefix", environment.prefix},
                {"python_version", environment.python_version},
                {"platform", environment.platform},
                {"site_packages", environment.site_packages}}},
              {"created_at", scan.created_at},
              {"totals", totals_json(scan.totals)},
              {"aggregate_below_bytes", threshold},
              {"distributions", std::move(dists)},
              {"problems", scan.problems.size()}};
}

std::string render_scan_html(const Scan& scan) {
  const std::string where = scan.environment.prefix.empty()
                                ? scan.environment.site_packages.empty()
                                      ? std::string("environment")
                                      : scan.environment.site_packages.front()
                                : scan.environment.prefix;
  return render_html_page({"pkgsizer: " + where, "scan", scan_html_data(scan)});
}

std::string render_diff_html(const compare::ScanDiff& diff, const DiffOptions& diff_options) {
  DiffOptions every_change = diff_options;
  every_change.group_below_bytes = 0;  // the page's table filters; no grouped lines
  return render_html_page({"pkgsizer compare", "compare", diff_to_json(diff, every_change)});
}

std::string render_recommend_html(const recommend::Recommendations& result,
                                  const recommend::RenderContext& context) {
  return render_html_page({"pkgsizer recommend: " + context.environment, "recommend",
                           recommend::to_json(result, context)});
}

}  // namespace pkgsizer::report
