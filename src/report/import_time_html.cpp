#include "report/import_time_html.hpp"

#include <fmt/format.h>

#include <functional>
#include <map>

#include "importtime/profile_json.hpp"
#include "util/xml_escape.hpp"

namespace pkgsizer::report {
namespace {

using importtime::ImportProfile;
using importtime::ModuleTiming;

constexpr double kWidth = 1200;
constexpr double kRowHeight = 18;
constexpr int kMaxRows = 40;

// A stable colour per distribution (a hue from its name); grey for the standard library.
std::string colour_of(const std::string& distribution) {
  if (distribution == importtime::kStdlib) return "#b0b7c3";
  if (distribution == importtime::kUnowned) return "#d9c89e";
  std::size_t hash = std::hash<std::string>{}(distribution);
  return fmt::format("hsl({},65%,62%)", hash % 360);
}

class Icicle {
 public:
  explicit Icicle(const ImportProfile& profile) : profile_(profile) {}

  std::string svg() {
    std::int64_t total = 0;
    for (std::size_t root : profile_.roots)
      if (!profile_.modules[root].startup) total += profile_.modules[root].cumulative.median_us;
    scale_ = total > 0 ? kWidth / static_cast<double>(total) : 0;
    double x = 0;
    for (std::size_t root : profile_.roots) {
      if (profile_.modules[root].startup) continue;
      x = bar(root, x, 0);
    }
    const double height = (rows_ + 1) * kRowHeight;
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"100%\" "
        "font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"import "
        "icicle\">\n{}</svg>\n",
        kWidth, height, body_);
  }

 private:
  // Draws a module at (x, depth) and its children under it; returns the x after it.
  double bar(std::size_t index, double x, int depth) {
    const ModuleTiming& module = profile_.modules[index];
    const double width = static_cast<double>(module.cumulative.median_us) * scale_;
    if (depth >= kMaxRows || width < 0.5) return x + width;
    rows_ = std::max(rows_, depth + 1);
    const double y = depth * kRowHeight;
    body_ += fmt::format(
        "<g><title>{} [{}] cumulative {} self {}</title><rect x=\"{:.2f}\" y=\"{:.0f}\" "
        "width=\"{:.2f}\" height=\"{:.0f}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"0.5\"/>",
        escape_xml(module.name), escape_xml(module.distribution),
        importtime::format_time(module.cumulative.median_us),
        importtime::format_time(module.self.median_us), x, y, width, kRowHeight - 1,
        colour_of(module.distribution));
    const std::size_t characters = static_cast<std::size_t>(width / 6.5);
    if (characters >= 3) {
      std::string label = module.name;
      if (label.size() > characters) label = label.substr(0, characters - 1) + "…";
      body_ += fmt::format("<text x=\"{:.2f}\" y=\"{:.0f}\">{}</text>", x + 3, y + 12,
                           escape_xml(label));
    }
    body_ += "</g>\n";
    double child_x = x;
    for (std::size_t child : module.children) child_x = bar(child, child_x, depth + 1);
    return x + width;
  }

  const ImportProfile& profile_;
  double scale_ = 0;
  int rows_ = 0;
  std::string body_;
};

}  // namespace

std::string import_time_icicle_svg(const ImportProfile& profile) { return Icicle(profile).svg(); }

std::string render_import_time_html(const ImportProfile& profile) {
  std::string rows;
  for (const importtime::DistributionTiming& dist : profile.distributions)
    rows += fmt::format(
        "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td>{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td "
        "class=\"n\">{:.1f}%</td><td>{}</td></tr>\n",
        colour_of(dist.name), escape_xml(dist.name), escape_xml(dist.version),
        importtime::format_time(dist.self_us), dist.modules, dist.share,
        escape_xml(fmt::format("{}", fmt::join(dist.chain, " → "))));
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<title>Import time: {0}</title>\n<style>\nbody{{font-family:sans-serif;margin:1.5em}}"
      "table{{border-collapse:collapse}}td,th{{padding:2px 8px;border-bottom:1px solid #ddd;"
      "text-align:left}}td.n{{text-align:right}}.swatch{{display:inline-block;width:10px;"
      "height:10px;margin-right:6px}}\n</style></head><body>\n"
      "<h1>Import time: {0}</h1>\n<p>{1} median of {2} runs (min {3}, max {4}), Python {5} "
      "({6}); interpreter start-up {7}. Each bar is a module, as wide as its cumulative import "
      "time; the modules it imported are under it. Hover for times.</p>\n{8}"
      "<h2>Per distribution</h2>\n<table><tr><th>Distribution</th><th>Version</th><th>Self</th>"
      "<th>Modules</th><th>Share</th><th>First import chain</th></tr>\n{9}</table>\n"
      "</body></html>\n",
      escape_xml(profile.target), importtime::format_time(profile.total.median_us), profile.runs,
      importtime::format_time(profile.total.min_us), importtime::format_time(profile.total.max_us),
      escape_xml(profile.python_version), escape_xml(profile.interpreter),
      importtime::format_time(profile.startup.median_us), import_time_icicle_svg(profile), rows);
}

}  // namespace pkgsizer::report
