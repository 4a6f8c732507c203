#include "compare/scan_diff.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

#include "compare/scan_source.hpp"
#include "model/scan_json.hpp"
#include "report/diff_report.hpp"

using namespace pkgsizer;
using compare::ChangeKind;

namespace {

Distribution dist(const std::string& name, const std::string& version, std::uint64_t bytes,
                  const std::string& location = "/site") {
  Distribution distribution;
  distribution.name = name;
  distribution.normalized_name = name;
  distribution.version = version;
  distribution.location = location;
  distribution.size = {bytes, bytes + 4096, 3};
  return distribution;
}

Scan scan_of(std::vector<Distribution> distributions) {
  Scan scan;
  for (const Distribution& distribution : distributions) scan.totals.selected += distribution.size;
  scan.totals.distributions = distributions.size();
  scan.distributions = std::move(distributions);
  return scan;
}

// before: numpy 1.26.4 32 MB, six 42 kB, pip 3 MB, attrs 100 kB, tiny 10 B
// after:  numpy 2.0.0 35 MB, requests 502 kB, pip 3 MB, attrs 150 kB, tiny 11 B
compare::ScanDiff sample_diff() {
  const Scan before = scan_of({dist("numpy", "1.26.4", 32'000'000), dist("six", "1.16.0", 42'000),
                               dist("pip", "24.0", 3'000'000), dist("attrs", "23.1", 100'000),
                               dist("tiny", "1", 10)});
  const Scan after = scan_of({dist("numpy", "2.0.0", 35'000'000),
                              dist("requests", "2.31.0", 502'000), dist("pip", "24.0", 3'000'000),
                              dist("attrs", "23.1", 150'000), dist("tiny", "1", 11)});
  compare::ScanDiff diff = compare::diff_scans(before, after);
  diff.before.source = "before.json";
  diff.after.source = "after.json";
  return diff;
}

std::vector<std::string> names(const std::vector<compare::DistributionChange>& group) {
  std::vector<std::string> result;
  result.reserve(group.size());
  for (const auto& change : group) result.push_back(change.normalized_name);
  return result;
}

}  // namespace

TEST_CASE("diff_scans classifies added, removed, upgraded, grown and unchanged") {
  const compare::ScanDiff diff = sample_diff();
  CHECK(names(diff.added) == std::vector<std::string>{"requests"});
  CHECK(names(diff.removed) == std::vector<std::string>{"six"});
  CHECK(names(diff.upgraded) == std::vector<std::string>{"numpy"});
  CHECK(names(diff.grown) == std::vector<std::string>{"attrs", "tiny"});
  CHECK(names(diff.unchanged) == std::vector<std::string>{"pip"});
  CHECK(diff.downgraded.empty());
  CHECK(diff.shrunk.empty());
  CHECK(diff.changed.empty());

  const auto& numpy = diff.upgraded.front();
  CHECK(numpy.kind == ChangeKind::kUpgraded);
  CHECK(numpy.old_version == "1.26.4");
  CHECK(numpy.new_version == "2.0.0");
  CHECK(numpy.apparent_delta() == 3'000'000);
  CHECK(numpy.disk_delta() == 3'000'000);
  const auto& requests = diff.added.front();
  CHECK(requests.old_version.empty());
  CHECK(requests.old_size.apparent_bytes == 0);
  CHECK(requests.apparent_delta() == 502'000);
  CHECK(diff.removed.front().apparent_delta() == -42'000);
}

TEST_CASE("diff_scans orders versions by PEP 440, not by spelling") {
  auto kind_of = [](const std::string& old_version, const std::string& new_version) {
    const compare::ScanDiff diff = compare::diff_scans(scan_of({dist("pkg", old_version, 100)}),
                                                       scan_of({dist("pkg", new_version, 100)}));
    for (ChangeKind kind : {ChangeKind::kUpgraded, ChangeKind::kDowngraded, ChangeKind::kChanged,
                            ChangeKind::kUnchanged})
      if (!diff.group(kind).empty()) return kind;
    FAIL("no group holds pkg");
    return ChangeKind::kAdded;
  };
  CHECK(kind_of("1.9", "1.10") == ChangeKind::kUpgraded);
  CHECK(kind_of("1.10", "1.9") == ChangeKind::kDowngraded);
  CHECK(kind_of("2.0rc1", "2.0") == ChangeKind::kUpgraded);
  CHECK(kind_of("2.0", "2.0.dev1") == ChangeKind::kDowngraded);
  CHECK(kind_of("1.0.post1", "1.0") == ChangeKind::kDowngraded);
  CHECK(kind_of("1.0", "1.0.0") == ChangeKind::kUnchanged);  // equal by PEP 440
  CHECK(kind_of("1.0", "not a version") == ChangeKind::kChanged);
  CHECK(kind_of("weird-1", "weird-1") == ChangeKind::kUnchanged);
}

TEST_CASE("diff_scans sorts each group by the size of the change, largest first") {
  const Scan before = scan_of(
      {dist("a", "1", 100), dist("b", "1", 100), dist("c", "1", 100), dist("d", "1", 5000)});
  const Scan after =
      scan_of({dist("a", "1", 150), dist("b", "1", 1100), dist("c", "1", 90), dist("d", "1", 100)});
  const compare::ScanDiff diff = compare::diff_scans(before, after);
  CHECK(names(diff.grown) == std::vector<std::string>{"b", "a"});
  CHECK(names(diff.shrunk) == std::vector<std::string>{"d", "c"});
  CHECK(diff.shrunk.front().apparent_delta() == -4900);
}

TEST_CASE("diff_scans matches a name installed twice by location") {
  const Scan before =
      scan_of({dist("six", "1.15.0", 100, "/base"), dist("six", "1.16.0", 200, "/venv")});
  const Scan after =
      scan_of({dist("six", "1.16.0", 200, "/venv"), dist("six", "1.15.0", 100, "/base")});
  const compare::ScanDiff diff = compare::diff_scans(before, after);
  CHECK(diff.unchanged.size() == 2);
  CHECK(diff.upgraded.empty());
  CHECK(diff.downgraded.empty());
  CHECK(diff.unchanged.front().name_repeats);

  const compare::ScanDiff gone =
      compare::diff_scans(before, scan_of({dist("six", "1.16.0", 200, "/venv")}));
  REQUIRE(gone.removed.size() == 1);
  CHECK(gone.removed.front().location == "/base");
  CHECK(gone.unchanged.size() == 1);
}

TEST_CASE("diff_scans reports the net change of the selected totals") {
  const compare::ScanDiff diff = sample_diff();
  CHECK(diff.net.before_distributions == 5);
  CHECK(diff.net.after_distributions == 5);
  CHECK(diff.net.distributions_delta() == 0);
  CHECK(diff.net.apparent_delta() == 3'000'000 + 502'000 - 42'000 + 50'000 + 1);
  CHECK(diff.net.disk_delta() == diff.net.apparent_delta());
  CHECK(diff.before.selected.apparent_bytes == 35'142'010);

  const compare::ScanDiff more = compare::diff_scans(scan_of({}), scan_of({dist("a", "1", 7)}));
  CHECK(more.net.distributions_delta() == 1);
  CHECK(more.net.apparent_delta() == 7);
}

TEST_CASE("increase limits (--fail-on-increase) take a size or a percentage of the before total") {
  CHECK(compare::parse_increase_limit("10MB")->bytes == 10'000'000);
  CHECK_FALSE(compare::parse_increase_limit("10MB")->percent);
  CHECK(compare::parse_increase_limit("1B")->bytes == 1);
  CHECK(*compare::parse_increase_limit("5%")->percent == Approx(5.0));
  CHECK(*compare::parse_increase_limit("2.5 %")->percent == Approx(2.5));
  CHECK_FALSE(compare::parse_increase_limit(""));
  CHECK_FALSE(compare::parse_increase_limit("%"));
  CHECK_FALSE(compare::parse_increase_limit("-5%"));
  CHECK_FALSE(compare::parse_increase_limit("5 parsecs"));

  compare::NetChange net;
  net.before.apparent_bytes = 1000;
  net.after.apparent_bytes = 1100;
  CHECK(compare::exceeds(*compare::parse_increase_limit("1B"), net));
  CHECK_FALSE(compare::exceeds(*compare::parse_increase_limit("100"), net));  // not more than
  CHECK(compare::exceeds(*compare::parse_increase_limit("5%"), net));
  CHECK_FALSE(compare::exceeds(*compare::parse_increase_limit("10%"), net));
  CHECK(compare::allowed_increase(*compare::parse_increase_limit("5%"), net) == 50);
  net.after.apparent_bytes = 10;  // shrinking never fails
  CHECK_FALSE(compare::exceeds(*compare::parse_increase_limit("0"), net));
}

// Every change on a line of its own, small same-version ones too.
report::DiffOptions listing_each() {
  report::DiffOptions options;
  options.group_below_bytes = 0;
  return options;
}

TEST_CASE("the text report has a section per group and the net change") {
  const std::string text = report::render_diff_text(sample_diff(), listing_each(), {});
  CHECK_THAT(text, Catch::Contains("Comparing before.json"));
  CHECK_THAT(text, Catch::Contains("Added (1)\n  ✚ requests 2.31.0: 502 kB\n"));
  CHECK_THAT(text, Catch::Contains("Removed (1)\n  ✖ six 1.16.0: 42.0 kB\n"));
  CHECK_THAT(text, Catch::Contains("▲ numpy 1.26.4 → 2.0.0: 32.0 MB → 35.0 MB (+3.00 MB)"));
  CHECK_THAT(text, Catch::Contains("Grown (2)"));
  CHECK_THAT(text, Catch::Contains("1 unchanged"));
  CHECK_THAT(text, Catch::EndsWith("Net change: +3.51 MB (5 distributions → 5)\n"));
  CHECK(text.find("Downgraded") == std::string::npos);
  CHECK(text.find('\033') == std::string::npos);

  report::RenderOptions color;
  color.color = true;
  CHECK(report::render_diff_text(sample_diff(), {}, color).find('\033') != std::string::npos);
}

TEST_CASE("the threshold hides small changes, added and removed ones too") {
  report::DiffOptions options;
  options.threshold_bytes = 100'000;
  const std::string text = report::render_diff_text(sample_diff(), options, {});
  CHECK_THAT(text, Catch::Contains("numpy"));
  CHECK_THAT(text, Catch::Contains("requests"));
  CHECK(text.find("six") == std::string::npos);    // removed, 42 kB
  CHECK(text.find("attrs") == std::string::npos);  // grown by 50 kB
  CHECK(text.find("tiny") == std::string::npos);
  CHECK_THAT(text, Catch::Contains("3 changes below 100 kB not shown"));
  CHECK_THAT(text, Catch::Contains("Net change: +3.51 MB"));  // the net counts everything
}

TEST_CASE("show_changes_only leaves out the unchanged count") {
  report::DiffOptions options;
  options.show_changes_only = true;
  CHECK(report::render_diff_text(sample_diff(), options, {}).find("unchanged") ==
        std::string::npos);
  CHECK(report::render_diff_markdown(sample_diff(), options, {}).find("unchanged") ==
        std::string::npos);

  const Scan same = scan_of({dist("a", "1", 5)});
  const std::string text = report::render_diff_text(compare::diff_scans(same, same), {}, {});
  CHECK_THAT(text, Catch::Contains("No distribution changed."));
  CHECK_THAT(text, Catch::Contains("1 unchanged"));
  CHECK_THAT(text, Catch::Contains("Net change: 0 B (1 distribution → 1)"));
}

TEST_CASE("the Markdown report is a summary line and a table") {
  const std::string markdown = report::render_diff_markdown(sample_diff(), {}, {});
  CHECK_THAT(markdown, Catch::StartsWith("**Net change: +3.51 MB (5 distributions → 5)**"));
  CHECK_THAT(
      markdown,
      Catch::Contains(
          "| | Distribution | Version | Before | After | Change |\n|---|---|---|--:|--:|--:|\n"));
  CHECK_THAT(markdown, Catch::Contains("| ✚ added | requests | 2.31.0 | – | 502 kB | +502 kB |\n"));
  CHECK_THAT(markdown, Catch::Contains("| ✖ removed | six | 1.16.0 | 42.0 kB | – | -42.0 kB |\n"));
  CHECK_THAT(
      markdown,
      Catch::Contains("| ▲ upgraded | numpy | 1.26.4 → 2.0.0 | 32.0 MB | 35.0 MB | +3.00 MB |\n"));
  std::size_t rows = 0;
  for (std::size_t at = markdown.find("\n| "); at != std::string::npos;
       at = markdown.find("\n| ", at + 1))
    ++rows;
  CHECK(rows == 1 + 4);  // header, three changes and the line of the two small grown ones
  CHECK_THAT(markdown, Catch::Contains("| ↕ drift | 2 distributions of the same version"));
}

TEST_CASE("small same-version changes are one line of text, and each in JSON") {
  const std::string grouped = report::render_diff_text(sample_diff(), {}, {});
  CHECK(grouped.find("Grown") == std::string::npos);
  CHECK_THAT(grouped, Catch::Contains("Same version, small changes\n  ↕ 2 distributions of the "
                                      "same version changed by less than 1.00 MB each (2 grown, "
                                      "0 shrunk): "));
  CHECK_THAT(report::render_diff_text(sample_diff(), listing_each(), {}),
             Catch::Contains("Grown (2)"));
  const nlohmann::ordered_json json = report::diff_to_json(sample_diff(), {});
  CHECK(json["grown"].size() == 2);
  CHECK(json["grouped"]["count"] == 2);
  CHECK(json["grouped"]["below_bytes"] == 1'000'000);
}

TEST_CASE("the JSON report has every group, the sides and the net") {
  const nlohmann::ordered_json json = report::diff_to_json(sample_diff(), {});
  CHECK(json["schema_version"] == 1);
  CHECK(json["before"]["source"] == "before.json");
  CHECK(json["after"]["totals"]["apparent_bytes"] == 38'652'011);
  for (const char* key :
       {"added", "removed", "upgraded", "downgraded", "changed", "grown", "shrunk", "unchanged"})
    CHECK(json[key].is_array());
  CHECK(json["upgraded"][0]["name"] == "numpy");
  CHECK(json["upgraded"][0]["old_version"] == "1.26.4");
  CHECK(json["upgraded"][0]["new_version"] == "2.0.0");
  CHECK(json["upgraded"][0]["old_apparent_bytes"] == 32'000'000);
  CHECK(json["upgraded"][0]["new_disk_bytes"] == 35'004'096);
  CHECK(json["upgraded"][0]["delta_apparent_bytes"] == 3'000'000);
  CHECK(json["added"][0]["old_version"].is_null());
  CHECK(json["removed"][0]["new_version"].is_null());
  CHECK(json["removed"][0]["delta_apparent_bytes"] == -42'000);
  CHECK(json["unchanged_count"] == 1);
  CHECK(json["hidden_count"] == 0);
  CHECK(json["net"]["apparent_bytes"] == 3'510'001);
  CHECK(json["net"]["distributions"] == 0);

  report::DiffOptions options;
  options.show_changes_only = true;
  options.threshold_bytes = 1'000'000;
  const nlohmann::ordered_json shown = report::diff_to_json(sample_diff(), options);
  CHECK_FALSE(shown.contains("unchanged"));
  CHECK(shown["unchanged_count"] == 1);
  CHECK(shown["removed"].empty());
  CHECK(shown["hidden_count"] == 4);
  CHECK(shown["threshold_bytes"] == 1'000'000);
}

TEST_CASE("size deltas carry their sign") {
  CHECK(report::format_size_delta(3'000'000, SizeUnits::kDecimal) == "+3.00 MB");
  CHECK(report::format_size_delta(-512, SizeUnits::kDecimal) == "-512 B");
  CHECK(report::format_size_delta(0, SizeUnits::kDecimal) == "0 B");
  CHECK(report::format_size_delta(1536, SizeUnits::kBinary) == "+1.50 KiB");
}

TEST_CASE("a JSON scan side is read back, and bad text is named with its position") {
  const Scan scan = scan_of({dist("numpy", "2.0.0", 35)});
  const Scan read = compare::scan_from_text(model::scan_to_json(scan).dump(), "after.json");
  REQUIRE(read.distributions.size() == 1);
  CHECK(read.distributions.front().version == "2.0.0");

  auto error_of = [](const std::string& text) {
    try {
      compare::scan_from_text(text, "before.json");
    } catch (const compare::SourceError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("{\n  \"a\": 1,\n    x\n}") == "before.json: not JSON (line 3, column 5)");
  CHECK(error_of("garbage") == "before.json: not JSON (line 1, column 1)");
  CHECK(error_of("") == "before.json: empty file, not a JSON scan");
  CHECK_THAT(error_of("{\"x\": 1}"), Catch::StartsWith("before.json: not a pkgsizer scan"));
  CHECK_THAT(error_of("[1, 2"), Catch::StartsWith("before.json: not JSON (line 1, column"));
}
