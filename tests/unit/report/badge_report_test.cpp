#include "report/badge_report.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace pkgsizer;
using pkgsizer::store::SnapshotSummary;

namespace {

constexpr std::uint64_t kMB = 1000 * 1000;

SnapshotSummary snapshot(const std::string& environment, std::uint64_t apparent_bytes) {
  SnapshotSummary summary;
  summary.environment = environment;
  summary.apparent_bytes = apparent_bytes;
  return summary;
}

}  // namespace

TEST_CASE("badge_value: the newest total and its change against the same environment") {
  CHECK(report::badge_value({}, SizeUnits::kDecimal) == "no data");
  CHECK(report::badge_value({snapshot("a", 142 * kMB)}, SizeUnits::kDecimal) == "142 MB");
  CHECK(report::badge_value({snapshot("a", 100 * kMB), snapshot("a", 142 * kMB)},
                            SizeUnits::kDecimal) == "142 MB ▲ +42.0 MB");
  CHECK(report::badge_value({snapshot("a", 150 * kMB), snapshot("a", 142 * kMB)},
                            SizeUnits::kDecimal) == "142 MB ▼ −8.00 MB");
  // Another environment's snapshot in between is not the previous one.
  CHECK(report::badge_value(
            {snapshot("a", 100 * kMB), snapshot("b", 900 * kMB), snapshot("a", 100 * kMB)},
            SizeUnits::kDecimal) == "100 MB = 0 B");
  CHECK(report::badge_value({snapshot("b", 1 * kMB), snapshot("a", 2 * kMB)},
                            SizeUnits::kDecimal) == "2.00 MB");
}

TEST_CASE("render_badge_svg: colours by trend, text escaped, width grows with the text") {
  const std::string grew =
      report::render_badge_svg({snapshot("a", 1 * kMB), snapshot("a", 2 * kMB)}, "size");
  CHECK(grew.find("fill=\"#fe7d37\"") != std::string::npos);
  const std::string shrank =
      report::render_badge_svg({snapshot("a", 2 * kMB), snapshot("a", 1 * kMB)}, "size");
  CHECK(shrank.find("fill=\"#4c1\"") != std::string::npos);
  CHECK(report::render_badge_svg({}, "size").find("#9f9f9f") != std::string::npos);

  const std::string hostile = report::render_badge_svg({snapshot("a", 1)}, "<x a=\"1\">&");
  CHECK(hostile.find("<x a") == std::string::npos);
  CHECK(hostile.find("&lt;x a=&quot;1&quot;&gt;&amp;") != std::string::npos);
  CHECK(hostile.rfind("<svg ", 0) == 0);
  CHECK(hostile.find("</svg>") != std::string::npos);

  const std::string short_label = report::render_badge_svg({snapshot("a", 1)}, "s");
  const std::string long_label =
      report::render_badge_svg({snapshot("a", 1)}, "a much longer label");
  const auto width = [](const std::string& svg) {
    const auto at = svg.find("width=\"") + 7;
    return std::stoul(svg.substr(at, svg.find('"', at) - at));
  };
  CHECK(width(long_label) == width(short_label) + 18 * 7);
}
