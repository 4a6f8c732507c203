#include "report/import_time_html.hpp"

#include <algorithm>
#include <cmath>

#include "importtime/profile_json.hpp"
#include "report/html_report.hpp"

namespace pkgsizer::report {
namespace {

using importtime::ImportProfile;
using importtime::ModuleTiming;
using Json = nlohmann::ordered_json;

constexpr double kWidth = 1200;
constexpr int kMaxRows = 40;

// Lays the icicle out in units of a kWidth-wide plot: the page's script only draws the bars.
class Icicle {
 public:
  explicit Icicle(const ImportProfile& profile) : profile_(profile) {}

  Json layout() {
    std::int64_t total = 0;
    for (std::size_t root : profile_.roots)
      if (!profile_.modules[root].startup) total += profile_.modules[root].cumulative.median_us;
    scale_ = total > 0 ? kWidth / static_cast<double>(total) : 0;
    double x = 0;
    for (std::size_t root : profile_.roots) {
      if (profile_.modules[root].startup) continue;
      x = bar(root, x, 0);
    }
    return Json{{"width", kWidth}, {"rows", rows_}, {"bars", std::move(bars_)}};
  }

 private:
  // Lays out a module at (x, depth) and its children under it; returns the x after it.
  double bar(std::size_t index, double x, int depth) {
    const ModuleTiming& module = profile_.modules[index];
    const double width = static_cast<double>(module.cumulative.median_us) * scale_;
    if (depth >= kMaxRows || width < 0.5) return x + width;
    rows_ = std::max(rows_, depth + 1);
    // Two decimals are enough for a 1200-unit plot and keep the page small.
    const auto rounded = [](double value) {
      return static_cast<double>(std::lround(value * 100)) / 100;
    };
    bars_.push_back(
        Json::array({rounded(x), depth, rounded(width), module.name, module.distribution,
                     module.cumulative.median_us, module.self.median_us}));
    double child_x = x;
    for (std::size_t child : module.children) child_x = bar(child, child_x, depth + 1);
    return x + width;
  }

  const ImportProfile& profile_;
  double scale_ = 0;
  int rows_ = 0;
  Json bars_ = Json::array();
};

}  // namespace

Json import_time_html_data(const ImportProfile& profile) {
  Json full = importtime::profile_to_json(profile);
  Json data = Json::object();
  for (const char* key : {"target", "interpreter", "python_version", "runs", "warmup", "cold",
                          "total", "startup", "distributions", "lazy_candidates"})
    data[key] = std::move(full[key]);
  data["module_count"] = profile.modules.size();
  data["icicle"] = Icicle(profile).layout();
  return data;
}

std::string render_import_time_html(const ImportProfile& profile) {
  return render_html_page(
      {"Import time: " + profile.target, "import-time", import_time_html_data(profile)});
}

}  // namespace pkgsizer::report
