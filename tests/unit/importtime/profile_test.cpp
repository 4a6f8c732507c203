// Medians over runs, attribution (distribution, stdlib, start-up, namespace packages, modules
// that failed to import) and the summaries, from hand-made logs.
#include "importtime/profile.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "importtime/measure.hpp"
#include "importtime/profile_diff.hpp"
#include "importtime/profile_json.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"

using namespace pkgsizer::importtime;

namespace {

RunLogs run(std::int64_t app_self, std::int64_t heavy_self) {
  RunLogs logs;
  logs.startup = parse_import_log("import time: 100 | 100 | encodings\n");
  const std::int64_t heavy_cumulative = heavy_self + 10;
  const std::int64_t app_cumulative = app_self + heavy_cumulative + 5 + 7;
  logs.measured = parse_import_log(
      fmt::format("import time: 10 | 10 |       heavy._core\n"
                  "import time: {} | {} |     heavy\n"
                  "import time: 5 | 5 |     json\n"
                  "import time: 7 | 7 |       ns.part\n"
                  "import time: 0 | 7 |     ns\n"
                  "import time: 3 | 3 |     optional_missing\n"
                  "import time: {} | {} |   app.main\n"
                  "import time: 1 | {} | app\n",
                  heavy_self, heavy_cumulative, app_self, app_cumulative, app_cumulative + 1));
  return logs;
}

Attribution attribution() {
  Attribution a;
  a.origins["encodings"] = {"file", "/usr/lib/python3.11/encodings/__init__.py"};
  a.origins["heavy"] = {"file", "/env/site/heavy/__init__.py"};
  a.origins["heavy._core"] = {"extension", "/env/site/heavy/_core.so"};
  a.origins["heavy._core"].kind = "file";
  a.origins["json"] = {"file", "/usr/lib/python3.11/json/__init__.py"};
  a.origins["ns"] = {"namespace", "/env/site/ns"};
  a.origins["ns.part"] = {"file", "/env/site/ns/part.py"};
  a.origins["app"] = {"file", "/env/site/app/__init__.py"};
  a.origins["app.main"] = {"file", "/env/site/app/main.py"};
  a.owner_of_path["/env/site/heavy/__init__.py"] = {"Heavy", "2.0"};
  a.owner_of_path["/env/site/heavy/_core.so"] = {"Heavy", "2.0"};
  a.owner_of_path["/env/site/ns/part.py"] = {"ns-part", "1.0"};
  a.owner_of_path["/env/site/app/__init__.py"] = {"app", "0.1"};
  a.owner_of_path["/env/site/app/main.py"] = {"app", "0.1"};
  a.stdlib_dirs = {"/usr/lib/python3.11"};
  a.site_packages = {"/env/site"};
  return a;
}

const DistributionTiming& dist(const ImportProfile& profile, const std::string& name) {
  for (const auto& d : profile.distributions)
    if (d.name == name) return d;
  FAIL("no distribution " << name);
  return profile.distributions.front();
}

}  // namespace

TEST_CASE("profile: medians, min and max over runs") {
  const ImportProfile profile =
      build_profile({run(100, 5000), run(300, 1000), run(200, 9000)}, attribution());
  CHECK(profile.runs == 3);
  const DistributionTiming& heavy = dist(profile, "Heavy");
  CHECK(heavy.self_us == 5000 + 10);  // median of heavy + its extension module
  CHECK(heavy.modules == 2);
  CHECK(heavy.version == "2.0");
  CHECK(heavy.chain == std::vector<std::string>{"app", "app.main", "heavy"});
  CHECK(heavy.importers == std::vector<std::string>{"app.main"});
  for (const auto& module : profile.modules)
    if (module.name == "app.main") {
      CHECK(module.self.median_us == 200);
      CHECK(module.self.min_us == 100);
      CHECK(module.self.max_us == 300);
    }
  CHECK(dist(profile, "stdlib").modules == 1);
  CHECK(dist(profile, "stdlib").kind == AttributionKind::kStdlib);
  CHECK(dist(profile, "startup").kind == AttributionKind::kStartup);
  CHECK(dist(profile, "not-loaded").kind == AttributionKind::kNotLoaded);
  CHECK(heavy.kind == AttributionKind::kDistribution);
  CHECK(dist(profile, "startup").modules == 1);
  CHECK(dist(profile, "startup").share == 0);
  CHECK(profile.startup.median_us == 100);
  CHECK(profile.distributions.back().name == "startup");
  // The namespace package takes its child's distribution; a module missing from sys.modules
  // after the run (a caught ImportError) is "not-loaded".
  CHECK(dist(profile, "ns-part").modules == 2);
  CHECK(dist(profile, "not-loaded").modules == 1);
  // Heavy is imported by app.main only, and costs most: the lazy candidate. app is what was
  // asked for: never a candidate.
  REQUIRE(!profile.lazy_candidates.empty());
  CHECK(profile.lazy_candidates.front().distribution == "Heavy");
  CHECK(profile.lazy_candidates.front().importer == "app.main");
  CHECK(profile.lazy_candidates.front().saving_us == 5010);
  for (const auto& candidate : profile.lazy_candidates) CHECK(candidate.distribution != "app");
}

TEST_CASE("profile: JSON round trip and compare") {
  const ImportProfile before = build_profile({run(100, 1000)}, attribution());
  const ImportProfile after = build_profile({run(100, 8000)}, attribution());
  const std::string text = pkgsizer::dump_json(profile_to_json(after), 2);
  CHECK(is_profile_json(text));
  const ImportProfile read = profile_from_json(text, "after.json");
  CHECK(dist(read, "Heavy").self_us == 8010);
  CHECK(text.find("\"kind\": \"startup\"") != std::string::npos);
  CHECK(dist(read, "startup").kind == AttributionKind::kStartup);
  CHECK(dist(read, "Heavy").kind == AttributionKind::kDistribution);
  const ProfileDiff diff = diff_profiles(before, read);
  REQUIRE(!diff.changes.empty());
  CHECK(diff.changes.front().name == "Heavy");
  CHECK(diff.changes.front().change_us() == 7000);
  CHECK_THROWS_AS(profile_from_json("{\"kind\": \"scan\"}", "x.json"), pkgsizer::Error);
  CHECK_THROWS_AS(profile_from_json("not json", "x.json"), pkgsizer::Error);
}

TEST_CASE("durations") {
  CHECK(parse_duration("300ms") == 300000);
  CHECK(parse_duration("1.5s") == 1500000);
  CHECK(parse_duration(" 250 us ") == 250);
  CHECK(parse_duration("250\xc2\xb5s") == 250);
  CHECK_FALSE(parse_duration("300"));
  CHECK_FALSE(parse_duration("-1ms"));
  CHECK_FALSE(parse_duration("ms"));
  CHECK_FALSE(parse_duration("1e300s"));
  CHECK(format_time(1500) == "1.5 ms");
  CHECK(format_time(999) == "999 us");
}

TEST_CASE("module names and the driver's output split") {
  CHECK(is_module_name("a.b_c"));
  CHECK_FALSE(is_module_name("a..b"));
  CHECK_FALSE(is_module_name("a;import os"));
  CHECK_FALSE(is_module_name(""));
  CHECK_FALSE(is_module_name("1a"));
  const SplitRun split = split_run(
      "import time: 5 | 5 | site\n@@pkgsizer-import-time:start@@\nimport time: 7 | 7 | x\n"
      "@@pkgsizer-import-time:end@@\nimport time: 9 | 9 | sysconfig\n",
      "printed\n@@pkgsizer-import-time:modules@@\nx\tfile\t/p/x.py\n@version\t\t3.11.2\n");
  REQUIRE(split.logs.startup.nodes.size() == 1);
  REQUIRE(split.logs.measured.nodes.size() == 1);
  CHECK(split.logs.measured.nodes[0].name == "x");
  std::string version;
  const Attribution a = parse_module_table(split.modules_table, &version, nullptr);
  CHECK(version == "3.11.2");
  CHECK(a.origins.at("x").path == "/p/x.py");
  CHECK_THROWS_AS(split_run("no markers", ""), pkgsizer::Error);
}

TEST_CASE("attribution kinds: one text each, both ways") {
  for (AttributionKind kind :
       {AttributionKind::kDistribution, AttributionKind::kStdlib, AttributionKind::kStartup,
        AttributionKind::kUnowned, AttributionKind::kNotLoaded})
    CHECK(attribution_kind_from_string(to_string(kind)) == kind);
  CHECK(to_string(AttributionKind::kNotLoaded) == "not-loaded");
  CHECK_FALSE(attribution_kind_from_string("Stdlib"));
  CHECK(attribution_kind_of("stdlib") == AttributionKind::kStdlib);
  CHECK(attribution_kind_of("requests") == AttributionKind::kDistribution);
}

TEST_CASE("profile JSON: a distribution kind outside the closed set is a bad profile") {
  ImportProfile profile = build_profile({run(100, 1000)}, attribution());
  std::string text = pkgsizer::dump_json(profile_to_json(profile), 2);
  const std::string stdlib_kind = "\"kind\": \"stdlib\"";
  REQUIRE(text.find(stdlib_kind) != std::string::npos);
  text.replace(text.find(stdlib_kind), stdlib_kind.size(), "\"kind\": \"library\"");
  CHECK_THROWS_WITH(profile_from_json(text, "x.json"), Catch::Contains("kind \"library\""));
}
