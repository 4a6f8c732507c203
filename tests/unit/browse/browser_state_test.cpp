#include "browse/browser_state.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "util/text.hpp"

using namespace pkgsizer;
using pkgsizer::browse::BrowserState;

namespace {

Size size_of(std::uint64_t bytes, std::uint64_t files = 1) { return {bytes, bytes + 4096, files}; }

ModuleNode node(const std::string& name, const std::string& kind, std::uint64_t bytes,
                std::vector<ModuleNode> children = {}) {
  return {name,
          *pkgsizer::module_kind_from_string(kind),
          size_of(bytes, children.empty() ? 1 : children.size() + 1),
          std::move(children),
          {}};
}

Distribution dist(const std::string& name, std::uint64_t bytes, std::uint64_t files) {
  Distribution d;
  d.name = name;
  d.normalized_name = name;
  d.version = "1.0";
  d.metadata_path = "/site/" + name + "-1.0.dist-info";
  d.size = size_of(bytes, files);
  return d;
}

Scan sample() {
  Scan scan;
  scan.environment.prefix = "/env";
  Distribution app = dist("app", 2000, 5);
  app.root = true;
  app.modules = {
      node("app", "package", 1500, {node("core", "module", 1000), node("data", "data", 400)})};
  Distribution big = dist("Big", 9000, 2);
  big.required_by = {"app"};
  Distribution zed = dist("zed", 100, 9);
  zed.root = true;
  big.modules = {node("big", "extension", 8000)};
  scan.distributions = {app, big, zed};
  scan.distributions[0].dependencies.push_back({"big", "big", {}, "", true, "1.0", true});
  scan.totals.selected = size_of(11100, 16);
  return scan;
}

std::vector<std::string> names(const BrowserState& state) {
  std::vector<std::string> out;
  for (const auto& entry : state.entries()) out.push_back(entry.name);
  return out;
}

}  // namespace

TEST_CASE("browse: the top level is the distributions by size, and sorts by name and files") {
  BrowserState state(sample());
  CHECK(names(state) == std::vector<std::string>{"Big", "app", "zed"});
  state.cycle_sort();
  CHECK(state.sort_key() == browse::SortKey::kName);
  CHECK(names(state) == std::vector<std::string>{"app", "Big", "zed"});  // case-insensitive
  state.cycle_sort();
  CHECK(names(state) == std::vector<std::string>{"zed", "app", "Big"});
  state.cycle_sort();
  CHECK(state.sort_key() == browse::SortKey::kSize);
}

TEST_CASE("browse: descending adds the parts outside the tree, and going up restores the row") {
  BrowserState state(sample());
  state.move(1);  // app
  REQUIRE(state.descend());
  CHECK(state.location() == "/app");
  CHECK(names(state) == std::vector<std::string>{"app", "(metadata, scripts)"});
  std::uint64_t sum = 0;
  for (const auto& entry : state.entries()) sum += entry.size.apparent_bytes;
  CHECK(sum == 2000);  // the rows add up to the distribution
  REQUIRE(state.descend());
  CHECK(state.location() == "/app/app");
  CHECK(names(state) == std::vector<std::string>{"core", "data", "__init__.py"});
  CHECK_FALSE(state.descend());  // core is a module: nothing inside
  REQUIRE(state.ascend());
  REQUIRE(state.ascend());
  CHECK(state.location() == "/");
  CHECK(state.entries()[state.selected()].name == "app");
  CHECK_FALSE(state.ascend());
}

TEST_CASE("browse: disk bytes, search, why") {
  BrowserState state(sample());
  state.toggle_disk();
  CHECK(state.disk());
  CHECK(state.bytes(state.entries()[0].size) == 9000 + 4096);
  state.set_search("A");
  CHECK(names(state) == std::vector<std::string>{"app"});
  state.set_search("");
  state.move_to(0);  // Big
  const auto why = state.why_lines(true);
  REQUIRE(why.size() >= 2);
  CHECK(why[0] == "Why Big 1.0 is installed:");
  CHECK(why[1].find("app → Big") != std::string::npos);
  CHECK(state.why_lines(false)[1].find("app -> Big") != std::string::npos);
  state.move_to(2);  // zed
  CHECK(state.why_lines(true)[1].find("installed directly") != std::string::npos);
}

TEST_CASE("browse: module trees attach to a scan from the cache") {
  Scan without = sample();
  for (auto& d : without.distributions) d.modules.clear();
  BrowserState state(without);
  CHECK_FALSE(state.module_trees_attached());
  state.attach_module_trees(sample());
  CHECK(state.module_trees_attached());
  state.move_to(1);
  REQUIRE(state.descend());
  CHECK(names(state).front() == "app");
}

TEST_CASE("browse: bars in eighths or ASCII, of the width asked") {
  CHECK(browse::bar(1.0, 4, true) == "████");
  CHECK(browse::bar(0.0, 4, true) == "    ");
  CHECK(browse::bar(0.5, 4, false) == "##  ");
  CHECK(browse::bar(1.0 / 16, 2, true) == "▏ ");
  CHECK(display_width(browse::bar(0.37, 20, true)) == 20);
  CHECK(browse::bar(7.0, 3, false) == "###");  // clamped
}

TEST_CASE("browse: the screen fits its size, marks the selection and escapes names") {
  Scan scan = sample();
  scan.distributions[2].name = "zed\x1b[2J";
  BrowserState state(scan);
  for (const auto& [width, height] : std::vector<std::pair<std::size_t, std::size_t>>{
           {80, 24}, {100, 30}, {20, 5}, {40, 3}, {10, 1}}) {
    const auto screen = browse::render_screen(state, width, height, true);
    REQUIRE(screen.lines.size() == height);
    for (const std::string& line : screen.lines) CHECK(display_width(line) <= width);
  }
  const auto screen = browse::render_screen(state, 100, 10, true);
  CHECK(screen.lines[screen.selected_line].rfind('>', 0) == 0);
  CHECK(screen.lines[screen.selected_line].find("Big/") != std::string::npos);
  std::string all;
  for (const std::string& line : screen.lines) all += line + "\n";
  CHECK(all.find('\x1b') == std::string::npos);
  CHECK(all.find("zed\\x1b[2J") != std::string::npos);
  const auto ascii = browse::render_screen(state, 100, 10, false);
  for (const std::string& line : ascii.lines)
    for (const char c : line) CHECK(static_cast<unsigned char>(c) < 0x80);
}
