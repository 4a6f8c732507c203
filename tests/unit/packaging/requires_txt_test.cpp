#include "packaging/requires_txt.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "packaging/requirement.hpp"

using pkgsizer::packaging::MarkerEnvironment;
using pkgsizer::packaging::parse_requires_txt;
using pkgsizer::packaging::Requirement;
using pkgsizer::packaging::RequiresTxtError;

using Lines = std::vector<std::string>;

TEST_CASE("unconditional lines come through unchanged") {
  CHECK(parse_requires_txt("").empty());
  CHECK(parse_requires_txt("\n\n  \n# only a comment\n").empty());
  CHECK(parse_requires_txt("six\nrequests>=2.0\n") == Lines{"six", "requests>=2.0"});
  CHECK(parse_requires_txt("  six  \r\nidna\r\n") == Lines{"six", "idna"});
  CHECK(parse_requires_txt("six") == Lines{"six"});  // no final newline
}

TEST_CASE("sections add extra and marker conditions") {
  std::string text =
      "requests>=2.0\n"
      "\n"
      "[socks]\n"
      "PySocks!=1.5.7,>=1.5.6\n"
      "\n"
      "[:python_version < \"3.8\"]\n"
      "importlib-metadata\n"
      "typing-extensions>=4\n"
      "\n"
      "[security:sys_platform == \"win32\"]\n"
      "pywin32\n"
      "\n"
      "# a comment between sections\n"
      "[Test-Tools]\n"
      "pytest\n";
  CHECK(parse_requires_txt(text) ==
        Lines{
            "requests>=2.0",
            "PySocks!=1.5.7,>=1.5.6; extra == \"socks\"",
            "importlib-metadata; python_version < \"3.8\"",
            "typing-extensions>=4; python_version < \"3.8\"",
            "pywin32; (sys_platform == \"win32\") and extra == \"security\"",
            "pytest; extra == \"Test-Tools\"",
        });
}

TEST_CASE("a marker with 'or' keeps its meaning when an extra is added") {
  auto lines = parse_requires_txt("[test:os_name == 'nt' or sys_platform == 'darwin']\nfoo\n");
  REQUIRE(lines.size() == 1);
  Requirement requirement = Requirement::parse(lines[0]);
  REQUIRE(requirement.marker);
  MarkerEnvironment linux = MarkerEnvironment::for_cpython("3.11", "linux-x86_64");
  MarkerEnvironment mac = MarkerEnvironment::for_cpython("3.11", "macosx-11.0-arm64");
  mac.extras = {"test"};
  CHECK(requirement.marker->evaluate(mac));
  MarkerEnvironment mac_without_extra = MarkerEnvironment::for_cpython("3.11", "macosx-11.0-arm64");
  CHECK_FALSE(requirement.marker->evaluate(mac_without_extra));
  linux.extras = {"test"};
  CHECK_FALSE(requirement.marker->evaluate(linux));
}

TEST_CASE("every generated line is a valid PEP 508 requirement") {
  std::string text =
      "certifi\n"
      "[socks]\nPySocks>=1.5.6\n"
      "[:python_version < '3.8']\nimportlib-metadata\n"
      "[security:sys_platform == 'win32']\npywin32>=300\n"
      "[url]\nlocal-wheel @ file:///tmp/local_wheel-1.0-py3-none-any.whl\n";
  auto lines = parse_requires_txt(text);
  REQUIRE(lines.size() == 5);
  for (const auto& line : lines) {
    INFO("line: " << line);
    CHECK_NOTHROW(Requirement::parse(line));
  }
  // PEP 508 needs whitespace between a URL and its marker.
  CHECK(lines[4] ==
        "local-wheel @ file:///tmp/local_wheel-1.0-py3-none-any.whl ; extra == \"url\"");
  CHECK(Requirement::parse(lines[4]).url == "file:///tmp/local_wheel-1.0-py3-none-any.whl");
}

TEST_CASE("a line's own marker is combined with its section's") {
  auto lines = parse_requires_txt("[test]\nfoo>=1; python_version < '3.8'\n");
  CHECK(lines == Lines{"foo>=1; (python_version < '3.8') and (extra == \"test\")"});
  CHECK_NOTHROW(Requirement::parse(lines[0]));

  auto url_lines = parse_requires_txt("[test]\nfoo @ https://x/y.whl ; os_name == 'nt'\n");
  CHECK(url_lines == Lines{"foo @ https://x/y.whl ; (os_name == 'nt') and (extra == \"test\")"});
  CHECK(Requirement::parse(url_lines[0]).marker);
}

TEST_CASE("an empty section header returns to unconditional lines") {
  CHECK(parse_requires_txt("[a]\nfoo\n[]\nbar\n") == Lines{"foo; extra == \"a\"", "bar"});
}

TEST_CASE("an unterminated section header is an error with its line") {
  try {
    parse_requires_txt("six\n\n[socks\nPySocks\n");
    FAIL("no RequiresTxtError thrown");
  } catch (const RequiresTxtError& error) {
    CHECK(error.line() == 3);
    CHECK(std::string(error.what()) == "line 3: unterminated section header '[socks'");
  }
}
