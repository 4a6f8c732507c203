#include "report/html_report.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "util/json_text.hpp"

using namespace pkgsizer;

namespace {

// The JSON inside <script type="application/json" id="pkgsizer-data">…</script>.
std::string embedded_json(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"pkgsizer-data\">";
  const std::size_t start = page.find(open);
  REQUIRE(start != std::string::npos);
  const std::size_t end = page.find("</script>", start);
  REQUIRE(end != std::string::npos);
  return page.substr(start + open.size(), end - start - open.size());
}

Scan hostile_scan() {
  Scan scan;
  scan.environment.prefix = "/env</title><script>alert(1)</script>";
  Distribution dist;
  dist.name = "x</script><!--<script>";
  dist.normalized_name = "x";
  dist.version = "1&2";
  dist.size = {1000, 4096, 3};
  dist.modules = {{"pkg",
                   pkgsizer::ModuleKind::kPackage,
                   {900, 4096, 2},
                   {{"big", pkgsizer::ModuleKind::kModule, {890, 4096, 1}, {}, {300, 0, 1}},
                    {"tiny", pkgsizer::ModuleKind::kModule, {10, 0, 1}, {}, {4, 0, 1}}},
                   {304, 0, 2}}};
  scan.distributions.push_back(dist);
  scan.totals.selected = dist.size;
  return scan;
}

}  // namespace

TEST_CASE("html: names cannot close the data element or the title") {
  const std::string page = report::render_scan_html(hostile_scan());
  CHECK(page.find("</script><!--") == std::string::npos);
  const std::string data = embedded_json(page);
  CHECK(data.find('<') == std::string::npos);
  CHECK(data.find('>') == std::string::npos);
  CHECK(data.find('&') == std::string::npos);
  // ...and the JSON reads back as the names.
  const auto json = parse_json(data);
  CHECK(json["data"]["distributions"][0]["name"] == "x</script><!--<script>");
  CHECK(json["data"]["distributions"][0]["version"] == "1&2");
  CHECK(page.find("<title>pkgsizer: /env&lt;/title&gt;") != std::string::npos);
  // Exactly the two script elements of the page.
  std::size_t scripts = 0;
  for (std::size_t at = 0; (at = page.find("<script", at)) != std::string::npos; ++at) ++scripts;
  CHECK(scripts == 2);
}

TEST_CASE("html: small module nodes are merged, and the rest of a distribution is metadata") {
  Scan scan = hostile_scan();
  scan.totals.selected.apparent_bytes = 200000;  // threshold 10 bytes: "tiny" (10) stays
  auto data = report::scan_html_data(scan);
  auto tree = data["distributions"][0]["tree"];
  // [name, kind, apparent, disk, files, bytecode apparent, bytecode disk, children]
  REQUIRE(tree.size() == 8);
  CHECK(tree[5] == 304);       // the distribution's bytecode: its modules'
  CHECK(tree[7].size() == 2);  // pkg, and (metadata, scripts) of 100 bytes
  CHECK(tree[7][1][0] == "(metadata, scripts)");
  CHECK(tree[7][1][2] == 100);
  CHECK(tree[7][1][5] == 0);
  CHECK(tree[7][0][7].size() == 2);  // big and tiny
  CHECK(tree[7][0][7][0][5] == 300);
  scan.totals.selected.apparent_bytes = 20000000;  // threshold 1000 bytes
  data = report::scan_html_data(scan);
  tree = data["distributions"][0]["tree"];
  // Every child of the distribution is under 1000 bytes: pkg (900) and metadata (100), merged
  // into one node that keeps the sum, its bytecode included.
  REQUIRE(tree[7].size() == 1);
  CHECK(tree[7][0][0] == "(2 smaller)");
  CHECK(tree[7][0][1] == "o");
  CHECK(tree[7][0][2] == 1000);
  CHECK(tree[7][0][5] == 304);
}
