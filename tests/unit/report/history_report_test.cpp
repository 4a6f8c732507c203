#include "report/history_report.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace pkgsizer;
using pkgsizer::store::SnapshotSummary;

namespace {

constexpr std::uint64_t kMB = 1000 * 1000;

SnapshotSummary snapshot(std::int64_t id, const std::string& label, const std::string& created_at,
                         std::uint64_t apparent_bytes, const std::string& git_commit = "") {
  SnapshotSummary summary;
  summary.id = id;
  summary.environment = "/srv/app/.venv";
  summary.label = label;
  summary.created_at = created_at;
  summary.git_commit = git_commit;
  summary.git_branch = git_commit.empty() ? "" : "main";
  summary.distributions = 40 + static_cast<std::uint64_t>(id);
  summary.apparent_bytes = apparent_bytes;
  summary.disk_bytes = apparent_bytes + apparent_bytes / 10;
  return summary;
}

std::vector<SnapshotSummary> three_snapshots() {
  return {snapshot(1, "baseline", "2024-05-01T09:15:00Z", 400 * kMB),
          snapshot(2, "add torch", "2024-05-03T14:02:41Z", 530 * kMB,
                   "0123456789abcdef0123456789abcdef01234567"),
          snapshot(3, "drop extras", "2024-05-10T08:00:00Z", 470 * kMB)};
}

std::vector<SnapshotSummary> many_snapshots(std::size_t count) {
  std::vector<SnapshotSummary> snapshots;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t bytes = 300 * kMB + (i * 7919 % 97) * kMB;
    snapshots.push_back(snapshot(static_cast<std::int64_t>(i + 1), "s" + std::to_string(i),
                                 "2024-01-01T00:00:00Z", bytes));
  }
  snapshots.back().created_at = "2024-12-31T23:59:00Z";
  return snapshots;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

std::size_t code_points(const std::string& text) {
  std::size_t count = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

TEST_CASE("size changes carry an arrow and a sign") {
  CHECK(report::format_size_change(400 * kMB, 530 * kMB) == "▲ +130 MB");
  CHECK(report::format_size_change(530 * kMB, 470 * kMB) == "▼ −60.0 MB");
  CHECK(report::format_size_change(470 * kMB, 470 * kMB) == "= 0 B");
  CHECK(report::format_size_change(0, 1536, SizeUnits::kBinary) == "▲ +1.50 KiB");
}

TEST_CASE("the history table shows each snapshot with its change against the previous one") {
  const std::string table = report::render_history_table(three_snapshots(), {});
  const auto lines = lines_of(table);
  REQUIRE(lines.size() == 6);  // header, three rows, blank line, summary
  CHECK(lines[0].find("Date") != std::string::npos);
  CHECK(lines[0].find("Label") != std::string::npos);
  CHECK(lines[0].find("Commit") != std::string::npos);
  CHECK(lines[1].find("2024-05-01 09:15") != std::string::npos);
  CHECK(lines[1].find("baseline") != std::string::npos);
  CHECK(lines[1].find("400 MB") != std::string::npos);
  CHECK(lines[1].find("▲") == std::string::npos);  // nothing to compare the first with
  CHECK(lines[1].find("▼") == std::string::npos);
  CHECK(lines[2].find("▲ +130 MB") != std::string::npos);
  CHECK(lines[2].find("01234567") != std::string::npos);
  CHECK(lines[2].find("012345678") == std::string::npos);  // commits are shortened to 8
  CHECK(lines[3].find("▼ −60.0 MB") != std::string::npos);
  CHECK(lines[5].find("3 snapshots") != std::string::npos);
  CHECK(lines[5].find("▲ +70.0 MB") != std::string::npos);
  CHECK(table.find('\033') == std::string::npos);
}

TEST_CASE(
    "an unchanged total reads = 0 B, and the commit column only shows when there are commits") {
  auto snapshots = three_snapshots();
  for (auto& s : snapshots) s.git_commit.clear();
  snapshots[2].apparent_bytes = snapshots[1].apparent_bytes;
  const std::string table = report::render_history_table(snapshots, {});
  CHECK(lines_of(table)[3].find("= 0 B") != std::string::npos);
  CHECK(table.find("Commit") == std::string::npos);
}

TEST_CASE("the history table colours growth red and shrinkage green only when asked") {
  report::RenderOptions options;
  options.color = true;
  const std::string table = report::render_history_table(three_snapshots(), options);
  CHECK(table.find("\033[31m▲ +130 MB") != std::string::npos);
  CHECK(table.find("\033[32m▼ −60.0 MB") != std::string::npos);
}

TEST_CASE("changes compare snapshots of the same environment") {
  auto snapshots = three_snapshots();
  snapshots[1].environment = "/other/env";
  const std::string table = report::render_history_table(snapshots, {});
  CHECK(table.find("Environment") != std::string::npos);
  const auto lines = lines_of(table);
  CHECK(lines[2].find("▲") == std::string::npos);           // first of /other/env
  CHECK(lines[3].find("▲ +70.0 MB") != std::string::npos);  // against snapshot 1, not 2
}

TEST_CASE("labels give way in a narrow terminal") {
  auto snapshots = three_snapshots();
  snapshots[0].label = std::string(120, 'x');
  report::RenderOptions options;
  options.width = 80;
  for (const std::string& line : lines_of(report::render_history_table(snapshots, options)))
    CHECK(code_points(line) <= 80);
}

TEST_CASE("an empty history says how to take a snapshot") {
  const std::vector<SnapshotSummary> none;
  const std::string table = report::render_history_table(none, {});
  CHECK(table.find("No snapshots") != std::string::npos);
  CHECK(table.find("pkgsizer track snapshot") != std::string::npos);
  CHECK(report::render_history_chart(none, {}, 80, 8).find("pkgsizer track snapshot") !=
        std::string::npos);
  const std::string svg = report::render_history_svg(none, "history");
  CHECK(starts_with(svg, "<svg"));
  CHECK(trimmed(svg).size() >= 6);
  CHECK(trimmed(svg).substr(trimmed(svg).size() - 6) == "</svg>");
  CHECK(svg.find("<circle") == std::string::npos);
  CHECK(report::render_history_html(none, "history").find("No snapshots") != std::string::npos);
}

TEST_CASE("the chart fits the width it is given") {
  const std::vector<std::size_t> counts{1, 2, 3, 12, 79, 80, 300};
  for (const std::size_t count : counts) {
    const auto snapshots = many_snapshots(count);
    for (std::size_t width : {1, 2, 5, 9, 10, 12, 20, 23, 40, 80, 132}) {
      const std::string chart = report::render_history_chart(snapshots, {}, width, 8);
      INFO("count " << count << ", width " << width << "\n" << chart);
      CHECK_FALSE(chart.empty());
      for (const std::string& line : lines_of(chart)) CHECK(code_points(line) <= width);
    }
  }
}

TEST_CASE("the chart draws bars with block characters, sizes on the axis and dates under it") {
  const std::string chart = report::render_history_chart(three_snapshots(), {}, 60, 6);
  const auto lines = lines_of(chart);
  REQUIRE(lines.size() >= 8);
  CHECK(lines[0].find("530 MB") != std::string::npos);  // the top of the axis is the largest
  CHECK(lines[0].find("█") != std::string::npos);
  CHECK(lines[6].find("└") != std::string::npos);
  CHECK(lines[7].find("2024-05-01") != std::string::npos);
  CHECK(lines[7].find("2024-05-10") != std::string::npos);
  CHECK(chart.find('\033') == std::string::npos);
  report::RenderOptions options;
  options.color = true;
  CHECK(report::render_history_chart(three_snapshots(), options, 60, 6).find("\033[36m") !=
        std::string::npos);
}

TEST_CASE("the chart defaults to 80 columns and buckets long histories") {
  const std::string chart = report::render_history_chart(many_snapshots(300), {}, 0, 0);
  for (const std::string& line : lines_of(chart)) CHECK(code_points(line) <= 80);
  // bars, axis, dates, summary, the axis note, bucket note
  CHECK(lines_of(chart).size() == 10 + 5);
  CHECK(chart.find("largest of about") != std::string::npos);
}

TEST_CASE("the chart says when its y axis does not start at zero") {
  // 500 MB to 530 MB: from zero the change would be a flat line, so the axis is cut.
  const std::string cut = report::render_history_chart(three_snapshots(), {}, 60, 6);
  CHECK(cut.find("not at zero") != std::string::npos);
  // From 10 MB to 400 MB the axis starts at zero and there is nothing to say.
  const std::vector<SnapshotSummary> spread{snapshot(1, "a", "2024-05-01T09:15:00Z", 10 * kMB),
                                            snapshot(2, "b", "2024-05-02T09:15:00Z", 400 * kMB)};
  const std::string from_zero = report::render_history_chart(spread, {}, 60, 6);
  CHECK(from_zero.find("not at zero") == std::string::npos);
  CHECK(from_zero.find(" 0 B") != std::string::npos);
  // The SVG says it too.
  CHECK(report::render_history_svg(three_snapshots(), "t").find("not zero") != std::string::npos);
  CHECK(report::render_history_svg(spread, "t").find("not zero") == std::string::npos);
}

TEST_CASE("the chart writes no date twice") {
  for (const std::size_t count : {2, 5, 300}) {
    const std::string chart = report::render_history_chart(many_snapshots(count), {}, 80, 6);
    const auto lines = lines_of(chart);
    // The dates are on the line under the axis line.
    const auto axis = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
      return line.find("└") != std::string::npos;
    });
    REQUIRE(axis + 1 < lines.end());
    const std::string& dates = *(axis + 1);
    INFO(chart);
    std::size_t at = 0;
    std::vector<std::string> seen;
    while ((at = dates.find("20", at)) != std::string::npos && at + 10 <= dates.size()) {
      const std::string date = dates.substr(at, 10);
      CHECK(std::find(seen.begin(), seen.end(), date) == seen.end());
      seen.push_back(date);
      at += 10;
    }
  }
}

TEST_CASE("a single snapshot or a flat history charts without dividing by zero") {
  const std::vector<SnapshotSummary> one{snapshot(1, "only", "2024-05-01T09:15:00Z", 400 * kMB)};
  const std::string chart = report::render_history_chart(one, {}, 40, 5);
  CHECK(chart.find("nan") == std::string::npos);
  CHECK(chart.find("inf") == std::string::npos);
  CHECK(chart.find("█") != std::string::npos);
  CHECK(chart.find("2024-05-01") != std::string::npos);

  const std::vector<SnapshotSummary> empty_env{snapshot(1, "", "2024-05-01T09:15:00Z", 0),
                                               snapshot(2, "", "2024-05-02T09:15:00Z", 0)};
  const std::string zero_chart = report::render_history_chart(empty_env, {}, 40, 5);
  CHECK(zero_chart.find("nan") == std::string::npos);
  const std::string svg = report::render_history_svg(one, "one");
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  CHECK(occurrences(svg, "<circle") == 1);
  CHECK(report::render_history_svg(empty_env, "zero").find("nan") == std::string::npos);
}

TEST_CASE("the SVG is a standalone document with a point per snapshot") {
  const auto snapshots = many_snapshots(12);
  const std::string svg = report::render_history_svg(snapshots, "numpy env");
  CHECK(starts_with(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(trimmed(svg).substr(trimmed(svg).size() - 6) == "</svg>");
  CHECK(occurrences(svg, "<svg") == 1);
  CHECK(occurrences(svg, "<circle") == 12);
  CHECK(occurrences(svg, "</circle>") == 12);
  CHECK(occurrences(svg, "<title>") == occurrences(svg, "</title>"));
  CHECK(occurrences(svg, "<g") == occurrences(svg, "</g>"));
  CHECK(occurrences(svg, "<text") == occurrences(svg, "</text>"));
  CHECK(svg.find("2024-01-01") != std::string::npos);
  CHECK(svg.find("2024-12-31") != std::string::npos);
  CHECK(svg.find(" MB</text>") != std::string::npos);  // sizes on the y axis
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(occurrences(report::render_history_svg(many_snapshots(300), "t"), "<circle") == 300);
}

TEST_CASE("labels and titles are escaped in SVG and HTML") {
  auto snapshots = three_snapshots();
  snapshots[1].label = "<b>&\"quoted\"' \x01label";
  snapshots[1].environment = snapshots[0].environment = snapshots[2].environment = "a&b <env>";
  const std::string title = "Size of \"a&b\" <env>";
  for (const std::string& document : {report::render_history_svg(snapshots, title),
                                      report::render_history_html(snapshots, title)}) {
    CHECK(document.find("<b>") == std::string::npos);
    CHECK(document.find("\"quoted\"") == std::string::npos);
    CHECK(document.find("a&b") == std::string::npos);
    CHECK(document.find("<env>") == std::string::npos);
    CHECK(document.find('\x01') == std::string::npos);
    CHECK(document.find("&lt;b&gt;&amp;&quot;quoted&quot;&#39;") != std::string::npos);
    CHECK(document.find("Size of &quot;a&amp;b&quot; &lt;env&gt;") != std::string::npos);
  }
}

TEST_CASE("bytes that are not UTF-8 do not reach the SVG") {
  auto snapshots = three_snapshots();
  snapshots[0].label = std::string("caf\xE9 \xC3\xA9");  // Latin-1 é, then UTF-8 é
  const std::string svg = report::render_history_svg(snapshots, "t");
  CHECK(svg.find("caf\xEF\xBF\xBD \xC3\xA9") != std::string::npos);
}

TEST_CASE("the HTML page embeds the chart and a table of the snapshots") {
  const std::string html = report::render_history_html(three_snapshots(), "History");
  CHECK(starts_with(html, "<!DOCTYPE html>"));
  CHECK(trimmed(html).substr(trimmed(html).size() - 7) == "</html>");
  CHECK(occurrences(html, "<svg") == 1);
  CHECK(occurrences(html, "<circle") == 3);
  CHECK(occurrences(html, "<tr>") == 4);  // header and three snapshots
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));  // the SVG namespace only
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("▲ +130 MB") != std::string::npos);
  CHECK(html.find("class=\"down\">▼ −60.0 MB") != std::string::npos);
}
