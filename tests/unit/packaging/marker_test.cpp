#include "packaging/marker.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using pkgsizer::packaging::Marker;
using pkgsizer::packaging::MarkerEnvironment;
using pkgsizer::packaging::MarkerError;
using pkgsizer::packaging::MarkerExpression;
using pkgsizer::packaging::MarkerOperator;
using pkgsizer::packaging::MarkerVariable;

namespace {

MarkerEnvironment linux_311() { return MarkerEnvironment::for_cpython("3.11.7", "linux-x86_64"); }

bool holds(const std::string& marker, const MarkerEnvironment& environment = linux_311()) {
  INFO("marker: " << marker);
  return Marker::parse(marker).evaluate(environment);
}

MarkerEnvironment with_extras(std::set<std::string> extras) {
  MarkerEnvironment environment = linux_311();
  environment.extras = std::move(extras);
  return environment;
}

}  // namespace

TEST_CASE("a comparison parses into variable, operator and literal") {
  Marker marker = Marker::parse("python_version < '3.8'");
  const MarkerExpression& expression = marker.expression();
  REQUIRE(expression.kind == MarkerExpression::Kind::comparison);
  CHECK(std::get<MarkerVariable>(expression.comparison.left) == MarkerVariable::python_version);
  CHECK(expression.comparison.op == MarkerOperator::less);
  CHECK(std::get<std::string>(expression.comparison.right) == "3.8");
  CHECK(marker.str() == "python_version < \"3.8\"");
}

TEST_CASE("markers print in a normalized form") {
  struct Case {
    const char* text;
    const char* normalized;
  };
  auto [text, normalized] = GENERATE(values<Case>({
      {"os_name=='nt'", "os_name == \"nt\""},
      {"  sys_platform  !=  \"win32\"  ", "sys_platform != \"win32\""},
      {"'3.8'>=python_version", "\"3.8\" >= python_version"},
      {"python_version<\"3\"or os_name==\"nt\"", "python_version < \"3\" or os_name == \"nt\""},
      {"platform_machine in 'x86_64 aarch64'", "platform_machine in \"x86_64 aarch64\""},
      {"'win' not  in sys_platform", "\"win\" not in sys_platform"},
      {"python_full_version ~= '3.8.1'", "python_full_version ~= \"3.8.1\""},
      {"implementation_version === '3.11.7'", "implementation_version === \"3.11.7\""},
      {"platform_version == 'say \"hi\"'", "platform_version == 'say \"hi\"'"},
      {"((os_name == 'nt'))", "os_name == \"nt\""},
      {"(os_name == 'nt' or os_name == 'posix') and extra == 'test'",
       "(os_name == \"nt\" or os_name == \"posix\") and extra == \"test\""},
      {"os_name == 'a' and (sys_platform == 'b' and platform_system == 'c')",
       "os_name == \"a\" and sys_platform == \"b\" and platform_system == \"c\""},
      {"os_name == 'a' or sys_platform == 'b' and platform_system == 'c'",
       "os_name == \"a\" or (sys_platform == \"b\" and platform_system == \"c\")"},
      // Legacy spellings map to PEP 508 names.
      {"os.name == 'nt'", "os_name == \"nt\""},
      {"sys.platform == 'linux'", "sys_platform == \"linux\""},
      {"platform.machine == 'x86_64'", "platform_machine == \"x86_64\""},
      {"python_implementation == 'CPython'", "platform_python_implementation == \"CPython\""},
  }));
  INFO("marker: " << text);
  CHECK(Marker::parse(text).str() == normalized);
}

TEST_CASE("and binds tighter than or; parentheses regroup") {
  Marker plain = Marker::parse("os_name == 'a' and os_name == 'b' or os_name == 'c'");
  REQUIRE(plain.expression().kind == MarkerExpression::Kind::any);
  REQUIRE(plain.expression().terms.size() == 2);
  CHECK(plain.expression().terms[0].kind == MarkerExpression::Kind::all);
  CHECK(plain.expression().terms[1].kind == MarkerExpression::Kind::comparison);

  Marker grouped = Marker::parse("os_name == 'a' and (os_name == 'b' or os_name == 'c')");
  REQUIRE(grouped.expression().kind == MarkerExpression::Kind::all);
  CHECK(grouped.expression().terms[1].kind == MarkerExpression::Kind::any);

  Marker chain = Marker::parse("os_name == 'a' and (os_name == 'b' and os_name == 'c')");
  REQUIRE(chain.expression().kind == MarkerExpression::Kind::all);
  CHECK(chain.expression().terms.size() == 3);
}

TEST_CASE("syntax errors name the column and what was expected") {
  struct Case {
    const char* text;
    const char* message;
    std::size_t column;
  };
  auto [text, message, column] = GENERATE(values<Case>({
      {"", "expected marker variable or quoted string at column 1 in ''", 1},
      {"python_version", "expected comparison operator at column 15 in 'python_version'", 15},
      {"python_version <",
       "expected marker variable or quoted string at column 17 in "
       "'python_version <'",
       17},
      {"python_version < '3.8", "expected closing quote at column 22 in 'python_version < '3.8'",
       22},
      {"(os_name == 'nt'", "expected ')' at column 17 in '(os_name == 'nt''", 17},
      {"os_name == 'nt')",
       "expected 'and', 'or' or end of marker at column 16 in "
       "'os_name == 'nt')'",
       16},
      {"os_name == 'nt' xor os_name == 'posix'",
       "expected 'and', 'or' or end of marker at column 17 in "
       "'os_name == 'nt' xor os_name == 'posix''",
       17},
      {"python_version < 3.8",
       "unknown marker variable '3.8' at column 18 in "
       "'python_version < 3.8'",
       18},
      {"foo == 'bar'", "unknown marker variable 'foo' at column 1 in 'foo == 'bar''", 1},
      {"os_name = 'nt'", "expected comparison operator at column 9 in 'os_name = 'nt''", 9},
      {"os_name not 'nt'", "expected comparison operator at column 9 in 'os_name not 'nt''", 9},
      {"os_name == 'nt' and",
       "expected marker variable or quoted string at column 20 in "
       "'os_name == 'nt' and'",
       20},
      {"os_name == 'nt' andos_name == 'x'",
       "expected 'and', 'or' or end of marker at column 17 in "
       "'os_name == 'nt' andos_name == 'x''",
       17},
  }));
  INFO("marker: " << text);
  try {
    Marker::parse(text);
    FAIL("no MarkerError thrown");
  } catch (const MarkerError& error) {
    CHECK(std::string(error.what()) == message);
    CHECK(error.column() == column);
  }
}

TEST_CASE("python versions compare as PEP 440 versions") {
  CHECK_FALSE(holds("python_version < \"3.8\""));
  CHECK(holds("python_version >= \"3.8\""));
  CHECK(holds("python_version > \"3.9\""));  // as strings "3.11" < "3.9"
  CHECK(holds("python_version == \"3.11\""));
  CHECK(holds("python_version == \"3.11.0\""));  // PEP 440 zero padding
  CHECK(holds("python_version == \"3.*\""));
  CHECK(holds("python_version != \"3.10.*\""));
  CHECK(holds("python_version ~= \"3.9\""));
  CHECK(holds("python_full_version >= \"3.11.4\""));
  CHECK_FALSE(holds("python_full_version < \"3.11.7\""));
  CHECK(holds("python_full_version === \"3.11.7\""));
  CHECK(holds("implementation_version >= \"3\""));
  CHECK(holds("\"3.8\" <= python_version"));  // literal on the left
  CHECK_FALSE(holds("\"3.12\" <= python_version"));
  CHECK(
      holds("python_version < \"3.8\"", MarkerEnvironment::for_cpython("3.7.17", "linux-x86_64")));
}

TEST_CASE("a pre-release interpreter is compared as one") {
  MarkerEnvironment rc = MarkerEnvironment::for_cpython("3.13.0rc1", "linux-x86_64");
  CHECK(rc.python_version == "3.13");
  CHECK(holds("python_full_version >= \"3.12\"", rc));
  CHECK(holds("python_full_version >= \"3.13.0rc1\"", rc));
  CHECK_FALSE(holds("python_full_version >= \"3.13\"", rc));
  // PEP 440: <3.13 does not admit pre-releases of 3.13 itself.
  CHECK_FALSE(holds("python_full_version < \"3.13\"", rc));
  CHECK(holds("python_version >= \"3.13\"", rc));
}

TEST_CASE("other variables compare as strings") {
  CHECK(holds("os_name == \"posix\""));
  CHECK(holds("sys_platform != \"win32\""));
  CHECK(holds("platform_system == \"Linux\""));
  CHECK_FALSE(holds("platform_system == \"linux\""));  // case matters
  CHECK(holds("platform_machine == \"x86_64\""));
  CHECK(holds("platform_python_implementation == \"CPython\""));
  CHECK(holds("implementation_name == \"cpython\""));
  CHECK(holds("os_name < \"z\""));
  CHECK_FALSE(holds("platform_machine ~= \"x86\""));  // undefined for strings

  // Only version-like variables compare as versions: "1.0" and "1.0.0" differ as strings.
  MarkerEnvironment environment = linux_311();
  environment.platform_version = "1.0.0";
  CHECK_FALSE(holds("platform_version == \"1.0\"", environment));
  CHECK(holds("platform_version >= \"1.0\"", environment));

  // A platform_release that is no PEP 440 version falls back to strings.
  environment.platform_release = "5.15.0-91-generic";
  CHECK(holds("platform_release >= \"5.0\"", environment));
  CHECK(holds("platform_release == \"5.15.0-91-generic\"", environment));
  environment.platform_release = "6.1.0";
  CHECK(holds("platform_release >= \"5.10\"", environment));  // as a version
}

TEST_CASE("in and not in test for substrings") {
  CHECK(holds("platform_machine in \"x86_64 aarch64\""));
  CHECK(holds("\"linux\" in sys_platform"));
  CHECK(holds("sys_platform not in \"win32 cygwin\""));
  CHECK_FALSE(holds("'x86' not in platform_machine"));
  CHECK(holds("python_version in '3.10 3.11 3.12'"));
}

TEST_CASE("nested parentheses evaluate as grouped") {
  std::string marker =
      "(python_version < \"3.8\" or (sys_platform == \"linux\" and (platform_machine == "
      "\"x86_64\" or platform_machine == \"aarch64\"))) and os_name == \"posix\"";
  CHECK(holds(marker));
  CHECK_FALSE(holds(marker, MarkerEnvironment::for_cpython("3.11", "macosx-11.0-arm64")));
  CHECK(holds(marker, MarkerEnvironment::for_cpython("3.7", "macosx-11.0-arm64")));
  CHECK_FALSE(holds(marker, MarkerEnvironment::for_cpython("3.7", "win-amd64")));
  CHECK(holds("os_name == 'nt' or os_name == 'posix' and sys_platform == 'linux'"));
  CHECK_FALSE(holds("(os_name == 'nt' or os_name == 'posix') and sys_platform == 'darwin'"));
}

TEST_CASE("extra compares PEP 503-normalized names against each requested extra") {
  CHECK(holds("extra == \"Socks\"", with_extras({"socks"})));
  CHECK(holds("extra == \"socks\"", with_extras({"SOCKS"})));
  CHECK(holds("extra == 'socks_proxy'", with_extras({"Socks.Proxy"})));
  CHECK(holds("'Socks' == extra", with_extras({"socks"})));
  CHECK_FALSE(holds("extra == \"socks\""));  // no extras requested
  CHECK(holds("extra != \"socks\""));
  CHECK(holds("extra == \"b\"", with_extras({"a", "b"})));
  // Each extra is tried on its own, as pip does: one extra cannot be two at once.
  CHECK_FALSE(holds("extra == \"a\" and extra == \"b\"", with_extras({"a", "b"})));
  CHECK(holds("python_version >= \"3.8\" and extra == \"test\"", with_extras({"test"})));
  CHECK_FALSE(holds("python_version < \"3.8\" and extra == \"test\"", with_extras({"test"})));
}

TEST_CASE("environments for CPython on common platforms") {
  MarkerEnvironment linux = MarkerEnvironment::for_cpython("3.11.7", "linux-aarch64");
  CHECK(linux.python_version == "3.11");
  CHECK(linux.python_full_version == "3.11.7");
  CHECK(linux.implementation_version == "3.11.7");
  CHECK(linux.implementation_name == "cpython");
  CHECK(linux.platform_python_implementation == "CPython");
  CHECK(linux.os_name == "posix");
  CHECK(linux.sys_platform == "linux");
  CHECK(linux.platform_system == "Linux");
  CHECK(linux.platform_machine == "aarch64");
  CHECK(linux.extras.empty());

  MarkerEnvironment mac = MarkerEnvironment::for_cpython("3.12", "macosx-11.0-arm64");
  CHECK(mac.python_version == "3.12");
  CHECK(mac.python_full_version == "3.12");
  CHECK(mac.sys_platform == "darwin");
  CHECK(mac.platform_system == "Darwin");
  CHECK(mac.platform_machine == "arm64");

  MarkerEnvironment windows = MarkerEnvironment::for_cpython("3.10.11", "win-amd64");
  CHECK(windows.os_name == "nt");
  CHECK(windows.sys_platform == "win32");
  CHECK(windows.platform_system == "Windows");
  CHECK(windows.platform_machine == "AMD64");
  CHECK(MarkerEnvironment::for_cpython("3.10", "win32").platform_machine == "x86");

  CHECK(windows.value(MarkerVariable::sys_platform) == "win32");
  CHECK(windows.value(MarkerVariable::extra).empty());
}

TEST_CASE("markers: parentheses nest at most kMaxMarkerNesting deep") {
  // 10,000 nested parentheses (20 KB of METADATA) overflowed the stack (issue 19).
  auto nested = [](std::size_t depth) {
    return std::string(depth, '(') + "python_version >= '3'" + std::string(depth, ')');
  };
  CHECK(Marker::parse(nested(pkgsizer::packaging::kMaxMarkerNesting))
            .evaluate(MarkerEnvironment::for_cpython("3.11", "linux-x86_64")));
  CHECK_THROWS_WITH(Marker::parse(nested(pkgsizer::packaging::kMaxMarkerNesting + 1)),
                    Catch::Contains("nested more than 100 deep"));
  CHECK_THROWS_AS(Marker::parse(nested(10000)), MarkerError);
  CHECK_THROWS_AS(Marker::parse(std::string(100000, '(')), MarkerError);
}
