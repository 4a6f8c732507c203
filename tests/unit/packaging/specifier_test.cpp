#include "packaging/specifier.hpp"

#include <catch2/catch.hpp>
#include <string>

using pkgsizer::packaging::Specifier;
using pkgsizer::packaging::SpecifierOperator;
using pkgsizer::packaging::SpecifierSet;
using pkgsizer::packaging::Version;

namespace {

Version v(const std::string& text) {
  auto version = Version::parse(text);
  INFO("version text: " << text);
  REQUIRE(version);
  return *version;
}

Specifier spec(const std::string& text) {
  auto specifier = Specifier::parse(text);
  INFO("specifier text: " << text);
  REQUIRE(specifier);
  return *specifier;
}

SpecifierSet set(const std::string& text) {
  auto specifiers = SpecifierSet::parse(text);
  INFO("specifier set text: " << text);
  REQUIRE(specifiers);
  return *specifiers;
}

struct Case {
  const char* version;
  const char* specifier;
};

}  // namespace

TEST_CASE("specifiers parse into operator and version") {
  Specifier compatible = spec(" ~= 2.2 ");
  CHECK(compatible.op() == SpecifierOperator::compatible);
  CHECK(compatible.version_text() == "2.2");
  CHECK_FALSE(compatible.has_wildcard());
  CHECK(compatible.str() == "~=2.2");

  Specifier prefix = spec("== 1.1.*");
  CHECK(prefix.op() == SpecifierOperator::equal);
  CHECK(prefix.version_text() == "1.1");
  CHECK(prefix.has_wildcard());
  CHECK(prefix.str() == "==1.1.*");

  CHECK(spec("===foobar").op() == SpecifierOperator::arbitrary);
  CHECK(spec("!=1.0").op() == SpecifierOperator::not_equal);
  CHECK(spec("<=1.0").op() == SpecifierOperator::less_equal);
  CHECK(spec(">=1.0").op() == SpecifierOperator::greater_equal);
  CHECK(spec("<1.0").op() == SpecifierOperator::less);
  CHECK(spec(">1.0").op() == SpecifierOperator::greater);
  CHECK(spec("==1.0+local").version_text() == "1.0+local");
  CHECK(spec(">=v1.0.post1.dev2").str() == ">=v1.0.post1.dev2");
}

TEST_CASE("invalid specifiers are rejected") {
  auto text = GENERATE(as<std::string>{}, "", "1.0", "=1.0", "=>1.0", ">=", ">= ", "==1.0 .1",
                       ">=foo", "~=1",      // ~= needs two release numbers
                       "~=1.*", ">=1.0.*",  // wildcards only with == and !=
                       "==1.0a1.*", "==1.0.post1.*", "==1.0.dev1.*", "==1.0+local.*", "==1.*.0",
                       ">=1.0+local", "<1.0+local", "~=1.0+local", "===", "=== ");
  INFO("specifier text: '" << text << "'");
  CHECK_FALSE(Specifier::parse(text));
}

TEST_CASE("versions that satisfy a specifier") {
  auto [version, specifier] = GENERATE(values<Case>({
      // == and != with PEP 440 zero padding and local labels
      {"2.0", "==2"},
      {"2.0", "==2.0"},
      {"2.0", "==2.0.0"},
      {"2.0+deadbeef", "==2"},
      {"2.0+deadbeef", "==2.0+deadbeef"},
      {"2.0", "!=2.2"},
      {"2.0.post1", "!=2.0.post2"},
      {"2.0", "!=2.0+deadbeef"},
      // prefix matching
      {"2.0", "==2.*"},
      {"2.0", "==2.0.*"},
      {"2.0.0", "==2.0.*"},
      {"2", "==2.0.*"},
      {"2.1+local.version", "==2.1.*"},
      {"2.1.post3", "==2.1.*"},
      {"2.1", "!=2.0.*"},
      {"2.10", "!=2.1.*"},
      // inclusive ordered comparisons ignore the candidate's local label
      {"2.0", "<=2"},
      {"2.0+local", "<=2"},
      {"2.0", ">=2"},
      {"2.0.post1", ">=2"},
      {"3", ">=2"},
      // exclusive ordered comparisons
      {"1", "<2"},
      {"2.0.1", ">2"},
      {"2.1", ">2.0"},
      {"2.1+local", ">2.0"},
      {"2.0.post2", ">2.0.post1"},
      {"2.0.5", ">2.0dev"},
      // compatible release
      {"2.2", "~=2.2"},
      {"2.3", "~=2.2"},
      {"2.9.9", "~=2.2"},
      {"2.2.post1", "~=2.2"},
      {"1.4.5", "~=1.4.5"},
      {"1.4.9", "~=1.4.5"},
      {"1.4.5+local", "~=1.4.5"},
      {"2.2.post3", "~=2.2.post3"},
      {"2.3", "~=2.2.post3"},
      {"1.4.5", "~=1.4.5a4"},
      {"2022.1.1", "~=2022.01.01"},
      // epochs
      {"2!1.0", "~=2!1.0"},
      {"2!1.0", "==2!1.*"},
      {"2!1.0", "==2!1.0"},
      {"2!1.0", "!=1.0"},
      {"1.0", "!=2!1.0"},
      {"1.0", "<=2!0.1"},
      {"2!1.0", ">=2.0"},
      {"1.0", "<2!0.1"},
      {"2!1.0", ">2.0"},
      // arbitrary equality compares the normalized text
      {"1.0", "===1.0"},
      {"v1.0", "===1.0"},
  }));
  INFO(version << " in " << specifier);
  CHECK(spec(specifier).contains(v(version)));
  CHECK(set(specifier).contains(v(version)));
}

TEST_CASE("versions that do not satisfy a specifier") {
  auto [version, specifier] = GENERATE(values<Case>({
      {"2.1", "==2"},
      {"2.1", "==2.0"},
      {"2.1", "==2.0.0"},
      {"2.0", "==2.0+deadbeef"},
      {"2.0+other", "==2.0+deadbeef"},
      {"2.0", "==3.*"},
      {"2.1", "==2.0.*"},
      {"2.10", "==2.1.*"},
      {"1!2.0", "==2.*"},
      {"2.0", "!=2"},
      {"2.0", "!=2.0"},
      {"2.0", "!=2.0.0"},
      {"2.0+deadbeef", "!=2"},
      {"2.0+deadbeef", "!=2.0+deadbeef"},
      {"2.0", "!=2.*"},
      {"2.0.1", "!=2.0.*"},
      {"2.0+local", "!=2.0.*"},
      {"2.0.post1", "<=2"},
      {"2.0", ">=2.0.post1"},
      {"1", ">=2"},
      {"2.0", "<2"},
      {"2.0", ">2"},
      {"2.0.post1", ">2"},  // PEP 440: >V excludes post-releases of V
      {"2.0+local", ">2"},  // ... and local versions of V
      {"2.0.post1", "<2"},
      {"3.0", "~=2.2"},
      {"2.1", "~=2.2"},
      {"1.5.0", "~=1.4.5"},
      {"1.4.4", "~=1.4.5"},
      {"2.2.post2", "~=2.2.post3"},
      {"3.0", "~=2.2.post3"},
      {"1.5", "~=1.4.5a4"},
      {"1.0", "~=2!1.0"},
      {"2!1.0", "~=1.0"},
      {"2!1.0", "==1.0"},
      {"1.0", "==2!1.0"},
      {"2!1.0", "==1.*"},
      {"1.0", "==2!1.*"},
      {"2!1.0", "!=2!1.0"},
      {"1.0.0", "===1.0"},
      {"1.0", "===foobar"},
  }));
  INFO(version << " not in " << specifier);
  CHECK_FALSE(spec(specifier).contains(v(version), /*allow_prereleases=*/true));
  CHECK_FALSE(set(specifier).contains(v(version), /*allow_prereleases=*/true));
}

TEST_CASE("pre-releases are excluded unless allowed or mentioned") {
  // PEP 440 "Handling of pre-releases".
  CHECK_FALSE(spec(">=1.0").contains(v("2.0a1")));
  CHECK(spec(">=1.0").contains(v("2.0a1"), /*allow_prereleases=*/true));
  CHECK_FALSE(spec(">=1.0").contains(v("2.0.dev1")));
  CHECK(spec(">=1.0").contains(v("2.0.post1")));  // post-releases are not pre-releases

  // The specifier names a pre-release itself.
  CHECK(spec(">=1.0a1").mentions_prerelease());
  CHECK(spec(">=1.0a1").contains(v("2.0b1")));
  CHECK(spec("==2.0rc1").contains(v("2.0rc1")));
  CHECK(spec("<=2.0.dev5").contains(v("2.0.dev3")));
  CHECK(spec("~=1.4.5a4").contains(v("1.4.5a4")));
  CHECK(spec("~=1.4.5a4").contains(v("1.4.6b1")));
  CHECK(spec(">1.0b1").contains(v("1.0b2")));
  CHECK(spec("<2.0rc1").contains(v("2.0b1")));
  CHECK(spec("===1.0RC1").contains(v("1.0rc1")));
  // "!=" excludes a version rather than asking for it; a wildcard cannot name a pre-release.
  CHECK_FALSE(spec("!=1.0a1").mentions_prerelease());
  CHECK_FALSE(spec("!=1.0a1").contains(v("2.0a1")));
  CHECK_FALSE(spec("==1.1.*").contains(v("1.1a1")));
  CHECK(spec("==1.1.*").contains(v("1.1a1"), /*allow_prereleases=*/true));
  CHECK_FALSE(spec("==1.1.*").contains(v("1.0a1"), /*allow_prereleases=*/true));
}

TEST_CASE("exclusive ordered comparisons keep the releases of the named version out") {
  // PEP 440 "Exclusive ordered comparison": <V never admits V's own pre-releases unless V is a
  // pre-release, even when pre-releases are allowed.
  CHECK_FALSE(spec("<3.1").contains(v("3.1.dev0"), true));
  CHECK_FALSE(spec("<3.1").contains(v("3.1a1"), true));
  CHECK(spec("<3.1").contains(v("3.0.dev0"), true));
  CHECK(spec("<3.1").contains(v("3.0")));
  CHECK(spec("<3.1rc1").contains(v("3.1a1")));
  CHECK_FALSE(spec("<3.1rc1").contains(v("3.1rc1")));
  // >V never admits V's post-releases unless V is one, nor V's local versions.
  CHECK_FALSE(spec(">3.1").contains(v("3.1.post1")));
  CHECK(spec(">3.1").contains(v("3.2.post1")));
  CHECK(spec(">3.1.post1").contains(v("3.1.post2")));
  CHECK_FALSE(spec(">3.1").contains(v("3.1+local")));
  CHECK(spec(">3.1").contains(v("3.2+local")));
}

TEST_CASE("specifier sets combine clauses with and") {
  SpecifierSet range = set(">=1.0, !=1.3.*, <2");
  REQUIRE(range.specifiers().size() == 3);
  CHECK(range.str() == ">=1.0,!=1.3.*,<2");
  CHECK(range.contains(v("1.0")));
  CHECK(range.contains(v("1.2.9")));
  CHECK_FALSE(range.contains(v("1.3")));
  CHECK_FALSE(range.contains(v("1.3.4")));
  CHECK(range.contains(v("1.4")));
  CHECK_FALSE(range.contains(v("2.0")));
  CHECK_FALSE(range.contains(v("0.9")));
  CHECK_FALSE(range.contains(v("1.5b1")));
  CHECK(range.contains(v("1.5b1"), /*allow_prereleases=*/true));
  CHECK_FALSE(range.contains(v("2.0b1"), /*allow_prereleases=*/true));  // <2 excludes 2.0b1
}

TEST_CASE("one clause naming a pre-release admits pre-releases for the whole set") {
  SpecifierSet set_with_pre = set(">=1.0b1,<3");
  CHECK(set_with_pre.mentions_prerelease());
  CHECK(set_with_pre.contains(v("2.0a1")));
  CHECK_FALSE(set(">=1.0,<3").contains(v("2.0a1")));
  CHECK_FALSE(set(">=1.0,!=2.0a1").mentions_prerelease());
}

TEST_CASE("the empty set accepts every final release") {
  SpecifierSet any = set("");
  CHECK(any.empty());
  CHECK(set("   ").empty());
  CHECK(SpecifierSet().empty());
  CHECK(any.str().empty());
  CHECK(any.contains(v("0.0.1")));
  CHECK(any.contains(v("1.0.post1")));
  CHECK(any.contains(v("1.0+local")));
  CHECK_FALSE(any.contains(v("1.0a1")));
  CHECK(any.contains(v("1.0a1"), /*allow_prereleases=*/true));
}

TEST_CASE("a set with an invalid clause is rejected") {
  CHECK_FALSE(SpecifierSet::parse(">=1.0,,<2"));
  CHECK_FALSE(SpecifierSet::parse(">=1.0,"));
  CHECK_FALSE(SpecifierSet::parse(">=1.0;<2"));
  CHECK_FALSE(SpecifierSet::parse("1.0"));
  CHECK_FALSE(SpecifierSet::parse(">=1.0, ~=3"));
}
