#include "packaging/requirement.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using pkgsizer::packaging::MarkerEnvironment;
using pkgsizer::packaging::Requirement;
using pkgsizer::packaging::RequirementError;
using pkgsizer::packaging::SpecifierOperator;
using pkgsizer::packaging::Version;

namespace {

Version v(const std::string& text) { return *Version::parse(text); }

}  // namespace

TEST_CASE("a bare name is a requirement") {
  Requirement requirement = Requirement::parse("requests");
  CHECK(requirement.name == "requests");
  CHECK(requirement.extras.empty());
  CHECK(requirement.specifier.empty());
  CHECK(requirement.url.empty());
  CHECK_FALSE(requirement.marker);
  CHECK(requirement.str() == "requests");

  CHECK(Requirement::parse("  Zope.Interface_x-y  ").name == "Zope.Interface_x-y");
  CHECK(Requirement::parse("1password").name == "1password");
  CHECK(Requirement::parse("a").name == "a");
}

TEST_CASE("PEP 508's full example parses into its parts") {
  Requirement requirement =
      Requirement::parse("requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"");
  CHECK(requirement.name == "requests");
  CHECK(requirement.extras == std::set<std::string>{"security", "tests"});
  REQUIRE(requirement.specifier.specifiers().size() == 2);
  CHECK(requirement.specifier.specifiers()[0].op() == SpecifierOperator::greater_equal);
  CHECK(requirement.specifier.specifiers()[1].has_wildcard());
  CHECK(requirement.specifier.contains(v("2.8.5")));
  CHECK_FALSE(requirement.specifier.contains(v("2.9")));
  REQUIRE(requirement.marker);
  CHECK_FALSE(requirement.marker->evaluate(MarkerEnvironment::for_cpython("3.11", "linux-x86_64")));
  CHECK(requirement.marker->evaluate(MarkerEnvironment::for_cpython("2.6", "linux-x86_64")));
  CHECK(requirement.str() == "requests[security,tests]>=2.8.1,==2.8.*; python_version < \"2.7\"");
}

TEST_CASE("version specifiers with and without parentheses") {
  Requirement bare = Requirement::parse("foo>=1.0,<2");
  CHECK(bare.specifier.str() == ">=1.0,<2");

  Requirement parenthesized = Requirement::parse("foo (>=1.0, <2)");
  CHECK(parenthesized.specifier.str() == ">=1.0,<2");
  CHECK(parenthesized.str() == "foo>=1.0,<2");

  CHECK(Requirement::parse("foo ( ==1.0 )").specifier.str() == "==1.0");
  CHECK(Requirement::parse("foo()").specifier.empty());
  CHECK(Requirement::parse("foo[bar](>=1)").extras == std::set<std::string>{"bar"});
  CHECK(Requirement::parse("foo ===weird-1").specifier.str() == "===weird-1");
  CHECK(Requirement::parse("foo==1.0+local").specifier.contains(v("1.0+local")));
  CHECK(Requirement::parse("foo ~= 1.4.5 ,!= 1.4.7").specifier.str() == "~=1.4.5,!=1.4.7");
  // A trailing comma is tolerated, as `packaging` does.
  CHECK(Requirement::parse("foo >=1.0, ; os_name == 'nt'").specifier.str() == ">=1.0");
  CHECK(Requirement::parse("foo (>=1.0,)").specifier.str() == ">=1.0");
}

TEST_CASE("extras in brackets") {
  CHECK(Requirement::parse("foo[]").extras.empty());
  CHECK(Requirement::parse("foo[ a ]").extras == std::set<std::string>{"a"});
  CHECK(Requirement::parse("foo [a , b,c]").extras == std::set<std::string>{"a", "b", "c"});
  CHECK(Requirement::parse("foo[b,a,b]").str() == "foo[a,b]");
  CHECK(Requirement::parse("foo[Socks_Proxy]").extras == std::set<std::string>{"Socks_Proxy"});
}

TEST_CASE("URL requirements") {
  Requirement pip = Requirement::parse(
      "pip @ "
      "https://github.com/pypa/pip/archive/"
      "1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686");
  CHECK(pip.name == "pip");
  CHECK(pip.url ==
        "https://github.com/pypa/pip/archive/"
        "1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686");
  CHECK(pip.specifier.empty());
  CHECK_FALSE(pip.marker);

  Requirement with_marker =
      Requirement::parse("name[x]@ file:///tmp/name-1.0-py3-none-any.whl ; os_name == 'nt'");
  CHECK(with_marker.extras == std::set<std::string>{"x"});
  CHECK(with_marker.url == "file:///tmp/name-1.0-py3-none-any.whl");
  REQUIRE(with_marker.marker);
  CHECK(with_marker.str() == "name[x] @ file:///tmp/name-1.0-py3-none-any.whl ; os_name == \"nt\"");

  // PEP 508: without whitespace the ';' belongs to the URL.
  Requirement semicolon = Requirement::parse("name @ https://x/y.whl;os_name=='nt'");
  CHECK(semicolon.url == "https://x/y.whl;os_name=='nt'");
  CHECK_FALSE(semicolon.marker);
}

TEST_CASE("markers after a semicolon") {
  Requirement tight = Requirement::parse("foo;python_version<'3.8'");
  REQUIRE(tight.marker);
  CHECK(tight.marker->str() == "python_version < \"3.8\"");
  CHECK(tight.str() == "foo; python_version < \"3.8\"");

  Requirement socks = Requirement::parse("PySocks!=1.5.7,>=1.5.6; extra == \"Socks\"");
  REQUIRE(socks.marker);
  MarkerEnvironment environment = MarkerEnvironment::for_cpython("3.11", "linux-x86_64");
  CHECK_FALSE(socks.marker->evaluate(environment));
  environment.extras = {"socks"};
  CHECK(socks.marker->evaluate(environment));

  Requirement nested = Requirement::parse(
      "foo >=1 ; (os_name == 'nt' or (sys_platform == 'linux' and platform_machine == 'x86_64'))");
  REQUIRE(nested.marker);
  CHECK(nested.marker->evaluate(MarkerEnvironment::for_cpython("3.11", "linux-x86_64")));
}

TEST_CASE("parse errors name the column and what was expected") {
  struct Case {
    const char* text;
    const char* message;
    std::size_t column;
  };
  auto [text, message, column] = GENERATE(values<Case>({
      {"", "expected package name at column 1 in ''", 1},
      {"   ", "expected package name at column 4 in '   '", 4},
      {"-foo", "expected package name at column 1 in '-foo'", 1},
      {"foo- >= 1", "expected a name to end with a letter or digit at column 4 in 'foo- >= 1'", 4},
      {"foo >= ", "expected version after '>=' at column 8 in 'foo >= '", 8},
      {"foo >=1.0,,<2", "expected version specifier, ';' or end at column 11 in 'foo >=1.0,,<2'",
       11},
      {"foo (>=1.0,,<2)", "expected version specifier or ')' at column 12 in 'foo (>=1.0,,<2)'",
       12},
      {"foo ~=1.0, 2", "expected version specifier, ';' or end at column 12 in 'foo ~=1.0, 2'", 12},
      {"foo ~=1", "invalid version specifier '~=1' at column 5 in 'foo ~=1'", 5},
      {"foo >=1.0.*", "invalid version specifier '>=1.0.*' at column 5 in 'foo >=1.0.*'", 5},
      {"foo ==1.0 bar", "expected ',', ';' or end at column 11 in 'foo ==1.0 bar'", 11},
      {"foo bar", "expected version specifier, '@', ';' or end at column 5 in 'foo bar'", 5},
      {"foo[bar", "expected ',' or ']' at column 8 in 'foo[bar'", 8},
      {"foo[bar,]", "expected extra name at column 9 in 'foo[bar,]'", 9},
      {"foo[bar baz]", "expected ',' or ']' at column 9 in 'foo[bar baz]'", 9},
      {"foo (>=1.0", "expected ',' or ')' at column 11 in 'foo (>=1.0'", 11},
      {"foo (>=1.0) >=2", "expected ';' or end at column 13 in 'foo (>=1.0) >=2'", 13},
      {"foo @ ", "expected URL at column 7 in 'foo @ '", 7},
      {"foo @ ;os_name=='nt'", "expected URL at column 7 in 'foo @ ;os_name=='nt''", 7},
      {"foo @ https://x/y.whl extra",
       "expected ';' or end after URL at column 23 in "
       "'foo @ https://x/y.whl extra'",
       23},
      {"foo;", "expected marker variable or quoted string at column 5 in 'foo;'", 5},
      {"foo; python_version <",
       "expected marker variable or quoted string at column 22 in "
       "'foo; python_version <'",
       22},
      {"foo >=1; os_name = 'nt'",
       "expected comparison operator at column 18 in "
       "'foo >=1; os_name = 'nt''",
       18},
  }));
  INFO("requirement: " << text);
  try {
    Requirement::parse(text);
    FAIL("no RequirementError thrown");
  } catch (const RequirementError& error) {
    CHECK(std::string(error.what()) == message);
    CHECK(error.column() == column);
  }
}

TEST_CASE("requirement errors are runtime errors") {
  CHECK_THROWS_AS(Requirement::parse("foo >="), std::runtime_error);
  CHECK_THROWS_WITH(Requirement::parse("foo >= "),
                    "expected version after '>=' at column 8 in 'foo >= '");
}
