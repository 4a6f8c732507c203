#include "budget/budget_config.hpp"

#include <catch2/catch.hpp>

#include "budget/config_finder.hpp"

using namespace pkgsizer::budget;

namespace {

// The message of the ConfigError that parsing `text` as `file` throws ("" when none).
std::string error_of(const std::string& text, const std::string& file = "pkgsizer.toml") {
  try {
    parse_budget_config(text, file);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a pkgsizer.toml budget reads every key") {
  const BudgetConfig config = parse_budget_config(R"([budget]
total = "500MB"
per_package = "50MiB"
warn_at = "80%"
max_increase = "10%"

[budget.packages]
torch = "2GB"
Pandas = "100MB"
typing_extensions = 123
)",
                                                  "pkgsizer.toml");
  CHECK(config.file == "pkgsizer.toml");
  REQUIRE(config.total);
  CHECK(config.total->bytes == 500000000u);
  CHECK(config.total->line == 2);
  REQUIRE(config.per_package);
  CHECK(config.per_package->bytes == 50u * 1024 * 1024);
  CHECK(config.per_package->line == 3);
  CHECK(config.warn_at_percent == Approx(80.0));
  REQUIRE(config.max_increase);
  CHECK_FALSE(config.max_increase->bytes);
  REQUIRE(config.max_increase->percent);
  CHECK(*config.max_increase->percent == Approx(10.0));
  REQUIRE(config.packages.size() == 3);
  CHECK(config.packages[0].name == "torch");
  CHECK(config.packages[0].bytes == 2000000000u);
  CHECK(config.packages[0].line == 8);
  CHECK(config.packages[1].name == "Pandas");
  CHECK(config.packages[1].normalized_name == "pandas");
  CHECK(config.packages[2].normalized_name == "typing-extensions");
  CHECK(config.packages[2].bytes == 123u);
}

TEST_CASE("sizes take decimal and binary units, and integers are bytes") {
  const auto total_of = [](const std::string& value) {
    return parse_budget_config("[budget]\ntotal = " + value + "\n", "pkgsizer.toml").total->bytes;
  };
  CHECK(total_of("\"1kB\"") == 1000u);
  CHECK(total_of("\"1KB\"") == 1000u);
  CHECK(total_of("\"1.5MB\"") == 1500000u);
  CHECK(total_of("\"2 GB\"") == 2000000000u);
  CHECK(total_of("\"1TB\"") == 1000000000000u);
  CHECK(total_of("\"1KiB\"") == 1024u);
  CHECK(total_of("\"1.5MiB\"") == 1572864u);
  CHECK(total_of("\"2GiB\"") == 2147483648u);
  CHECK(total_of("\"512B\"") == 512u);
  CHECK(total_of("4096") == 4096u);
  CHECK(total_of("0") == 0u);
}

TEST_CASE("max_increase is a percentage or a size; warn_at defaults to 90%") {
  const BudgetConfig bytes =
      parse_budget_config("[budget]\nmax_increase = \"20MB\"\n", "pkgsizer.toml");
  REQUIRE(bytes.max_increase);
  CHECK(bytes.max_increase->bytes == 20000000u);
  CHECK_FALSE(bytes.max_increase->percent);
  CHECK(bytes.warn_at_percent == Approx(90.0));
  const BudgetConfig percent =
      parse_budget_config("[budget]\nmax_increase = \"2.5 %\"\n", "pkgsizer.toml");
  CHECK(*percent.max_increase->percent == Approx(2.5));
  const BudgetConfig integer =
      parse_budget_config("[budget]\nmax_increase = 1000\n", "pkgsizer.toml");
  CHECK(integer.max_increase->bytes == 1000u);
}

TEST_CASE("packages may be written inline or with dotted keys") {
  const BudgetConfig inline_table = parse_budget_config(
      "[budget]\npackages = { \"Zope.Interface\" = \"1MB\", numpy = \"30MB\" }\n", "pkgsizer.toml");
  REQUIRE(inline_table.packages.size() == 2);
  CHECK(inline_table.packages[0].normalized_name == "zope-interface");
  const BudgetConfig dotted =
      parse_budget_config("[budget]\npackages.PyYAML = \"1MB\"\n", "pkgsizer.toml");
  REQUIRE(dotted.packages.size() == 1);
  CHECK(dotted.packages[0].normalized_name == "pyyaml");
}

TEST_CASE("pyproject.toml keeps the budget under [tool.pkgsizer.budget]") {
  const BudgetConfig config = parse_budget_config(R"([project]
name = "demo"

[tool.black]
line-length = 100

[tool.pkgsizer.budget]
total = "1GB"

[tool.pkgsizer.budget.packages]
torch = "900MB"
)",
                                                  "/src/demo/pyproject.toml");
  REQUIRE(config.total);
  CHECK(config.total->bytes == 1000000000u);
  CHECK(config.total->line == 8);
  REQUIRE(config.packages.size() == 1);
  CHECK(config.packages[0].line == 11);
  CHECK(is_pyproject("pyproject.toml"));
  CHECK(is_pyproject("a/b/pyproject.toml"));
  CHECK_FALSE(is_pyproject("pkgsizer.toml"));
  CHECK_FALSE(is_pyproject("my-pyproject.toml"));
}

TEST_CASE("errors name the file, line and column") {
  CHECK(error_of("[budget]\ntotl = \"5MB\"\n") ==
        "pkgsizer.toml:2:1: unknown key 'totl' in [budget] (did you mean 'total'?)");
  CHECK(error_of("[budget]\ntotal = \"5MB\"\ncolour = 1\n") ==
        "pkgsizer.toml:3:1: unknown key 'colour' in [budget] (known keys: total, per_package, "
        "warn_at, max_increase, "
        "packages, unused, import_time)");
  CHECK(error_of("[budget]\ntotal = \"5 parsecs\"\n") ==
        "pkgsizer.toml:2:9: total: '5 parsecs' is not a size (try \"500MB\", \"1.5GiB\" or a "
        "number of bytes)");
  CHECK(error_of("[budget]\n  per_package = 1.5\n") ==
        "pkgsizer.toml:2:17: per_package: expected a size such as \"500MB\", found a float");
  CHECK(error_of("[budget]\ntotal = -1\n") ==
        "pkgsizer.toml:2:9: total: a size cannot be negative");
  CHECK(error_of("[budget.packages]\ntorch = \"lots\"\n") ==
        "pkgsizer.toml:2:9: packages.torch: 'lots' is not a size (try \"500MB\", \"1.5GiB\" or a "
        "number of bytes)");
  CHECK(error_of("[budget]\ntotal = \"1MB\"\nwarn_at = 90\n") ==
        "pkgsizer.toml:3:11: warn_at: expected a percentage such as \"90%\", found an integer");
  CHECK(error_of("[budget]\ntotal = \"1MB\"\nwarn_at = \"150%\"\n") ==
        "pkgsizer.toml:3:11: warn_at: '150%' is not a percentage above 0% and at most 100% (try "
        "\"90%\")");
  CHECK(error_of("[budget]\nmax_increase = \"ten %\"\n") ==
        "pkgsizer.toml:2:16: max_increase: 'ten %' is not a percentage (try \"10%\")");
  CHECK(error_of("[budgte]\ntotal = \"1MB\"\n") ==
        "pkgsizer.toml:1:2: unknown key 'budgte' at the top level (did you mean 'budget'?)");
  CHECK(error_of("budget = 5\n") ==
        "pkgsizer.toml:1:10: [budget] must be a table, found an integer");
  CHECK(error_of("[budget]\npackages = [\"torch\"]\n") ==
        "pkgsizer.toml:2:12: packages: expected a table of name = size ([budget.packages]), found "
        "an array");
}

TEST_CASE("TOML syntax errors keep the parser's position") {
  const std::string message = error_of("[budget]\ntotal = \"1MB\"\ntotal = \"2MB\"\n");
  CHECK(message.rfind("pkgsizer.toml:3:", 0) == 0);
  CHECK(message.find("cannot redefine existing string 'total'") != std::string::npos);
  const std::string unterminated = error_of("[budget]\ntotal = \"1MB\n");
  CHECK(unterminated.rfind("pkgsizer.toml:2:", 0) == 0);
}

TEST_CASE("two names for one distribution are an error") {
  CHECK(error_of("[budget.packages]\nzope_interface = \"1MB\"\n\"Zope.Interface\" = \"2MB\"\n") ==
        "pkgsizer.toml:3:1: packages: 'Zope.Interface' names the same distribution as "
        "'zope_interface' (line 2; names "
        "are compared after PEP 503 normalization)");
}

TEST_CASE("a budget without a limit, or without its table, is an error") {
  CHECK(error_of("[budget]\nwarn_at = \"80%\"\n") ==
        "pkgsizer.toml:1:1: [budget] sets no limit: add total, per_package, max_increase or a "
        "[budget.packages] entry");
  CHECK(error_of("") == "pkgsizer.toml: no [budget] table");
  CHECK(error_of("[project]\nname = \"x\"\n", "pyproject.toml") ==
        "pyproject.toml: no [tool.pkgsizer.budget] table");
  CHECK(error_of("[tool.pkgsizer]\nbudgets = 1\n", "pyproject.toml") ==
        "pyproject.toml:2:1: unknown key 'budgets' in [tool.pkgsizer] (did you mean 'budget'?)");
  CHECK(error_of("[tool.pkgsizer.budget]\ntotl = 1\n", "pyproject.toml") ==
        "pyproject.toml:2:1: unknown key 'totl' in [tool.pkgsizer.budget] (did you mean 'total'?)");
}

TEST_CASE("percentages parse with an optional space before the sign") {
  CHECK(parse_percent("90%") == Approx(90.0));
  CHECK(parse_percent(" 12.5 % ") == Approx(12.5));
  CHECK(parse_percent("0%") == Approx(0.0));
  CHECK(parse_percent("250%") == Approx(250.0));
  CHECK_FALSE(parse_percent("90"));
  CHECK_FALSE(parse_percent("%"));
  CHECK_FALSE(parse_percent("-5%"));
  CHECK_FALSE(parse_percent("1.2.3%"));
  CHECK_FALSE(parse_percent("ten%"));
}

TEST_CASE("a pyproject.toml counts as a budget only with [tool.pkgsizer]") {
  CHECK(pyproject_has_pkgsizer("[tool.pkgsizer.budget]\ntotal = 1\n"));
  CHECK(pyproject_has_pkgsizer("[tool]\npkgsizer = { budget = { total = 1 } }\n"));
  CHECK_FALSE(pyproject_has_pkgsizer("[project]\nname = \"x\"\n[tool.black]\n"));
  // Broken TOML that mentions us is ours to report, not to skip.
  CHECK(pyproject_has_pkgsizer("[tool.pkgsizer.budget\ntotal = 1\n"));
  CHECK_FALSE(pyproject_has_pkgsizer("[project\n"));
}

TEST_CASE("the unused rule: fail or warn, a limit of its own") {
  const BudgetConfig fail = parse_budget_config("[budget]\nunused = \"fail\"\n", "pkgsizer.toml");
  REQUIRE(fail.unused);
  CHECK(fail.unused->fail);
  CHECK(fail.unused->line == 2);
  const BudgetConfig warn = parse_budget_config("[budget]\nunused = \"warn\"\n", "pkgsizer.toml");
  REQUIRE(warn.unused);
  CHECK_FALSE(warn.unused->fail);
  CHECK(error_of("[budget]\nunused = true\n") ==
        "pkgsizer.toml:2:10: unused must be \"fail\" or \"warn\"");
}
