#include "predict/simple_index.hpp"

#include <catch2/catch.hpp>
#include <string>

using pkgsizer::predict::sha256_hex;

TEST_CASE("sha256_hex gives the FIPS 180-2 test digests", "[predict]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

using pkgsizer::predict::IndexError;
using pkgsizer::predict::parse_html_project_page;

TEST_CASE("a PEP 503 page: links, hashes, Requires-Python, yanked, core metadata", "[predict]") {
  const std::string page = R"(<!DOCTYPE html>
<html><head><meta name="pypi:repository-version" content="1.1"><title>Links for demo</title></head>
<body><h1>Links for demo</h1>
<a href="../../files/demo-1.0-py3-none-any.whl#sha256=ABCDEF" data-requires-python="&gt;=3.8">demo-1.0-py3-none-any.whl</a><br/>
<a href="https://cdn.example/demo-0.9.tar.gz#md5=0123" data-yanked="">demo-0.9.tar.gz</a><br/>
<a href="demo-1.1-py3-none-any.whl" data-yanked="broken &amp; bad" data-core-metadata="sha256=feed">
  <span>demo-1.1-py3-none-any.whl</span></a>
<a href="demo-1.2-py3-none-any.whl" data-dist-info-metadata="true">demo-1.2-py3-none-any.whl</a>
<a href="demo-1.3-py3-none-any.whl" data-core-metadata="false">demo-1.3-py3-none-any.whl</a>
<a name="no-href">not a file</a>
<a href="https://vcs.example/demo.tar.gz#egg=demo">demo.tar.gz</a>
</body></html>)";
  const auto parsed = parse_html_project_page(page, "https://index.example/simple/demo/");
  CHECK(parsed.api_version == "1.1");
  REQUIRE(parsed.files.size() == 6);
  CHECK(parsed.files[5].hashes.empty());  // "#egg=" is no hash
  const auto& wheel = parsed.files[0];
  CHECK(wheel.filename == "demo-1.0-py3-none-any.whl");
  CHECK(wheel.url == "https://index.example/files/demo-1.0-py3-none-any.whl#sha256=ABCDEF");
  CHECK(wheel.hashes.at("sha256") == "abcdef");
  CHECK(wheel.requires_python == ">=3.8");
  CHECK_FALSE(wheel.yanked);
  CHECK_FALSE(wheel.has_core_metadata);
  CHECK_FALSE(wheel.size.has_value());
  const auto& sdist = parsed.files[1];
  CHECK(sdist.url == "https://cdn.example/demo-0.9.tar.gz#md5=0123");
  CHECK(sdist.yanked);
  CHECK(sdist.yanked_reason.empty());
  CHECK_FALSE(sdist.requires_python.has_value());
  const auto& nested = parsed.files[2];
  CHECK(nested.filename == "demo-1.1-py3-none-any.whl");
  CHECK(nested.url == "https://index.example/simple/demo/demo-1.1-py3-none-any.whl");
  CHECK(nested.yanked_reason == "broken & bad");
  CHECK(nested.has_core_metadata);
  CHECK(nested.core_metadata_hashes.at("sha256") == "feed");
  CHECK(parsed.files[3].has_core_metadata);
  CHECK(parsed.files[3].core_metadata_hashes.empty());
  CHECK_FALSE(parsed.files[4].has_core_metadata);
}

TEST_CASE("a PEP 503 page: <base href> moves relative links", "[predict]") {
  const auto parsed = parse_html_project_page(
      R"(<html><head><base href="https://files.example/pkgs/"></head><body>)"
      R"(<a href="demo-1.0.tar.gz">demo-1.0.tar.gz</a></body></html>)",
      "https://index.example/simple/demo/");
  REQUIRE(parsed.files.size() == 1);
  CHECK(parsed.files[0].url == "https://files.example/pkgs/demo-1.0.tar.gz");
}

TEST_CASE("a PEP 503 page of an unknown major version is refused", "[predict]") {
  CHECK_THROWS_AS(parse_html_project_page(R"(<meta name="pypi:repository-version" content="2.0">)",
                                          "https://index.example/simple/demo/"),
                  IndexError);
  CHECK(parse_html_project_page("<html><body>nothing here</body></html>",
                                "https://index.example/simple/demo/")
            .files.empty());
}

TEST_CASE("HTML pages nested past 256 elements are refused before they are parsed") {
  // 200,000 nested <div>s kept gumbo busy for over a minute (issue 19).
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<div>";
  deep += R"(<a href="demo-1.0-py3-none-any.whl">demo-1.0-py3-none-any.whl</a>)";
  CHECK_THROWS_WITH(parse_html_project_page(deep, "https://example.org/simple/demo/"),
                    Catch::Contains("nested more than 256 deep"));
  // Closed elements do not add up, and neither do void ones nor stray end tags.
  std::string flat;
  for (int i = 0; i < 1000; ++i)
    flat +=
        R"(<div><p><a href="demo-1.0-py3-none-any.whl">demo-1.0-py3-none-any.whl</a><br></p></div></span>)";
  CHECK(parse_html_project_page(flat, "https://example.org/simple/demo/").files.size() == 1000);
}

TEST_CASE("JSON pages nested past 256 levels are refused before they are parsed") {
  const std::string deep = R"({"meta": {"api-version": "1.1"}, "name": "demo", "files": [)" +
                           std::string(100000, '[') + "]}";
  CHECK_THROWS_WITH(pkgsizer::predict::parse_project_page(deep, "https://example.org/simple/demo/"),
                    Catch::Contains("nested more than 256 deep"));
}

TEST_CASE("a PEP 691 page with a number beyond a double's range is a bad page, not a crash") {
  // nlohmann reports 1e400 as out_of_range, not parse_error; it escaped as exit code 10
  // (the fault tests/fuzz/scan_json found in the scan reader).
  CHECK_THROWS_AS(
      pkgsizer::predict::parse_project_page(
          R"({"meta": {"api-version": "1.0"}, "name": "demo", "files": [], "x": 1e400})",
          "https://index.example/simple/demo/"),
      IndexError);
}
