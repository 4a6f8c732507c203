// The -X importtime parser on real logs (tests/unit/importtime/data/*.txt, each with a
// .header.txt saying which interpreter and command made it) and on hand-made edge cases.
#include "importtime/import_log.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using pkgsizer::importtime::ImportLog;
using pkgsizer::importtime::kNoParent;
using pkgsizer::importtime::parse_import_log;

namespace {

std::string sample(const std::string& name) {
  const auto path = std::filesystem::path(PKGSIZER_UNIT_TEST_DIR) / "importtime" / "data" / name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t find(const ImportLog& log, const std::string& name) {
  for (std::size_t i = 0; i < log.nodes.size(); ++i)
    if (log.nodes[i].name == name) return i;
  FAIL("no module " << name);
  return 0;
}

std::string parent_name(const ImportLog& log, const std::string& name) {
  const std::size_t parent = log.nodes[find(log, name)].parent;
  return parent == kNoParent ? "" : log.nodes[parent].name;
}

// cumulative == self + the children's cumulative, to within the rounding of each value.
void check_sums(const ImportLog& log) {
  for (const auto& node : log.nodes) {
    if (node.cached) continue;
    std::int64_t children = 0;
    for (std::size_t child : node.children)
      if (!log.nodes[child].cached) children += log.nodes[child].cumulative_us;
    INFO(node.name);
    CHECK(node.cumulative_us >=
          node.self_us + children - 2 * static_cast<std::int64_t>(node.children.size()) - 2);
    CHECK(node.cumulative_us <=
          node.self_us + children + 2 * static_cast<std::int64_t>(node.children.size()) + 2);
  }
}

}  // namespace

TEST_CASE("import log: Debian 3.11 requests, every line, roots and depths") {
  const ImportLog log = parse_import_log(sample("requests-py3.11.2-debian.txt"));
  CHECK(log.header_seen);
  CHECK(log.nodes.size() == 275);
  CHECK(log.other_lines.empty());
  std::vector<std::string> roots;
  for (std::size_t root : log.roots) roots.push_back(log.nodes[root].name);
  CHECK(roots == std::vector<std::string>{"_frozen_importlib_external", "zipimport", "encodings",
                                          "encodings.utf_8", "_signal", "io", "site", "requests"});
  CHECK(parent_name(log, "_io") == "_frozen_importlib_external");
  CHECK(parent_name(log, "_codecs") == "codecs");
  CHECK(parent_name(log, "codecs") == "encodings");
  check_sums(log);
}

TEST_CASE("import log: Debian 3.11 pandas, 595 lines, depth 20, parents inside children") {
  const ImportLog log = parse_import_log(sample("pandas-py3.11.2-debian.txt"));
  CHECK(log.nodes.size() == 595);
  int deepest = 0;
  for (const auto& node : log.nodes) deepest = std::max(deepest, node.depth);
  CHECK(deepest == 20);
  // A parent package is imported inside its child's line.
  CHECK(parent_name(log, "urllib") == "urllib.parse");
  CHECK(parent_name(log, "pandas.core.indexes") == "pandas.core.indexes.base");
  CHECK(log.nodes[log.roots.back()].name == "pandas");
  CHECK(parent_name(log, "_distutils_hack") == "site");
  check_sums(log);
}

TEST_CASE("import log: 3.13 venv, warnings interleaved are kept aside") {
  const ImportLog log = parse_import_log(sample("requests-py3.13.0-venv.txt"));
  REQUIRE(log.other_lines.size() == 2);
  CHECK(log.other_lines[0].find("RequestsDependencyWarning") != std::string::npos);
  CHECK(log.nodes[log.roots.back()].name == "requests");
  CHECK(std::count_if(log.roots.begin(), log.roots.end(),
                      [&](std::size_t r) { return log.nodes[r].name == "linecache"; }) == 1);
  check_sums(log);
}

TEST_CASE("import log: pyenv 3.11.7 and a Debian warning between lines") {
  const ImportLog json = parse_import_log(sample("json-email-py3.11.7-pyenv.txt"));
  CHECK(json.other_lines.empty());
  CHECK(parent_name(json, "json.decoder") == "json");
  check_sums(json);
  const ImportLog yaml = parse_import_log(sample("warning-yaml-py3.11.2-debian.txt"));
  REQUIRE(yaml.other_lines.size() == 1);
  CHECK(yaml.other_lines[0] == "<string>:1: DeprecationWarning: deprecated thing");
  CHECK(yaml.nodes[yaml.roots.back()].name == "yaml");
  check_sums(yaml);
}

TEST_CASE("import log: Python 3.14 -X importtime=2 cached lines (hand-written sample)") {
  const ImportLog log = parse_import_log(sample("importtime2-py3.14-handwritten.txt"));
  CHECK(log.other_lines.empty());
  REQUIRE(log.nodes.size() == 12);
  const auto& sys = log.nodes[find(log, "sys")];
  CHECK(sys.cached);
  CHECK(sys.self_us == 0);
  CHECK(parent_name(log, "app") == "app.cli");
  CHECK(parent_name(log, "app.helpers") == "app");  // the first, timed line
  std::size_t cached_helpers = 0;
  for (std::size_t child : log.nodes[find(log, "app.cli")].children)
    if (log.nodes[child].name == "app.helpers" && log.nodes[child].cached) ++cached_helpers;
  CHECK(cached_helpers == 1);
  check_sums(log);
}

TEST_CASE("import log: depth jumps, orphans, bad numbers, CRLF, no trailing newline") {
  const ImportLog log = parse_import_log(
      "import time:        10 |         10 |       deep\r\n"  // depth 3, its parents never came
      "import time:        x1 |         10 | bad\n"
      "import time:        -5 |         10 | negative\n"
      "import time: 99999999999999999999999 | 1 | overflow\n"
      "import time:         5 |          5 |   mid\n"
      "import time:        20 |         35 | top");
  REQUIRE(log.nodes.size() == 3);
  CHECK(log.other_lines.size() == 3);
  CHECK(log.nodes[0].name == "deep");
  CHECK(log.nodes[0].depth == 3);
  // Post-order: whatever is pending deeper when a line comes was imported inside it, even when
  // the lines between them are missing.
  CHECK(parent_name(log, "deep") == "mid");
  CHECK(parent_name(log, "mid") == "top");
  CHECK(log.nodes[2].children == std::vector<std::size_t>{1});
  REQUIRE(log.roots.size() == 1);
}

TEST_CASE("import log: a log cut short leaves its lines as roots") {
  const ImportLog log = parse_import_log(
      "import time: self [us] | cumulative | imported package\n"
      "import time:         1 |          1 |     a\n"
      "import time:         2 |          3 |   b\n"
      "import time:         4 |          4 |   c\n");
  CHECK(log.roots == std::vector<std::size_t>{1, 2});
  CHECK(parent_name(log, "a") == "b");
  CHECK(parse_import_log("").nodes.empty());
}

TEST_CASE("import log: indentation beyond the limit is clamped") {
  const std::string line =
      "import time: 1 | 1 | " + std::string(5000, ' ') + "x\nimport time: 1 | 2 | y\n";
  const ImportLog log = parse_import_log(line);
  REQUIRE(log.nodes.size() == 2);
  CHECK(log.nodes[0].depth == pkgsizer::importtime::kMaxDepth);
  CHECK(parent_name(log, "x") == "y");
}
