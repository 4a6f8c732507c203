#include "packaging/version.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using pkgsizer::packaging::PreReleaseKind;
using pkgsizer::packaging::Version;

namespace {

Version v(const std::string& text) {
  auto version = Version::parse(text);
  INFO("version text: " << text);
  REQUIRE(version);
  return *version;
}

}  // namespace

TEST_CASE("PEP 440 spellings normalize") {
  struct Case {
    const char* text;
    const char* normalized;
  };
  auto [text, normalized] = GENERATE(values<Case>({
      {"1.0", "1.0"},
      {"v1.0", "1.0"},
      {"V1.0", "1.0"},
      {"  1.0\n", "1.0"},
      {"1", "1"},
      {"01.02.003", "1.2.3"},
      {"0!1.0", "1.0"},
      {"1!2.0", "1!2.0"},
      // Pre-releases: spellings, separators, implicit number.
      {"1.0a1", "1.0a1"},
      {"1.0alpha1", "1.0a1"},
      {"1.0-ALPHA.1", "1.0a1"},
      {"1.0_beta_2", "1.0b2"},
      {"1.0c1", "1.0rc1"},
      {"1.0pre1", "1.0rc1"},
      {"1.0preview1", "1.0rc1"},
      {"1.0.RC.3", "1.0rc3"},
      {"1.0a", "1.0a0"},
      {"1.0b", "1.0b0"},
      {"1.0a.", "1.0a0"},
      {"1.0a-1", "1.0a1"},
      // Post-releases: spellings, the implicit "-N" form, implicit number.
      {"1.0.post1", "1.0.post1"},
      {"1.0post1", "1.0.post1"},
      {"1.0-post-1", "1.0.post1"},
      {"1.0.rev1", "1.0.post1"},
      {"1.0r1", "1.0.post1"},
      {"1.0.post", "1.0.post0"},
      {"1.0-1", "1.0.post1"},
      {"1.0a1-1", "1.0a1.post1"},
      // Developmental releases.
      {"1.0.dev1", "1.0.dev1"},
      {"1.0dev1", "1.0.dev1"},
      {"1.0-dev", "1.0.dev0"},
      {"1.0_DEV_2", "1.0.dev2"},
      {"1.0a1.post2.dev3", "1.0a1.post2.dev3"},
      {"1.0rc1-2.dev4", "1.0rc1.post2.dev4"},
      // Local labels: lowercase, '.' separators, numeric parts without leading zeros.
      {"1.0+abc", "1.0+abc"},
      {"1.0+Ubuntu-1", "1.0+ubuntu.1"},
      {"1.0+a_b.c-d", "1.0+a.b.c.d"},
      {"1.0+007.x", "1.0+7.x"},
      {"1.0+00", "1.0+0"},
      {"1!1.0rc1.post2.dev3+Local.7", "1!1.0rc1.post2.dev3+local.7"},
  }));
  INFO("version text: " << text);
  auto version = Version::parse(text);
  REQUIRE(version);
  CHECK(version->str() == normalized);
}

TEST_CASE("text that is not a PEP 440 version is rejected") {
  auto text = GENERATE(as<std::string>{}, "", " ", "v", "french toast", "1.0.", ".1", "1..0",
                       "1.0+", "1.0+a..b", "1.0+a+b", "1.0+_a", "1.0-", "1.0 dev", "1!", "!1",
                       "1.0a1a1", "1.0.post1.post2", "1.0.dev1.dev2", "1.0.dev1a1", "1.*",
                       "1.0+abc def", "1.0.x", "1.0-1-1",
                       "99999999999999999999999",  // does not fit in 64 bits
                       "1.0a99999999999999999999999");
  INFO("version text: '" << text << "'");
  CHECK_FALSE(Version::parse(text));
}

TEST_CASE("a parsed version exposes its segments") {
  Version version = v("2!1.4.5rc3.post6.dev7+deb.12");
  CHECK(version.epoch() == 2);
  CHECK(version.release() == std::vector<std::uint64_t>{1, 4, 5});
  REQUIRE(version.pre());
  CHECK(version.pre()->kind == PreReleaseKind::release_candidate);
  CHECK(version.pre()->number == 3);
  CHECK(version.post() == 6u);
  CHECK(version.dev() == 7u);
  CHECK(version.local() == "deb.12");
  CHECK(version.public_version().str() == "2!1.4.5rc3.post6.dev7");
  CHECK(version.base_version().str() == "2!1.4.5");

  Version plain = v("3.11");
  CHECK(plain.epoch() == 0);
  CHECK_FALSE(plain.pre());
  CHECK_FALSE(plain.post());
  CHECK_FALSE(plain.dev());
  CHECK(plain.local().empty());
  CHECK_FALSE(plain.has_local());
}

TEST_CASE("pre-releases include developmental releases, not post or local ones") {
  CHECK(v("1.0a1").is_prerelease());
  CHECK(v("1.0rc1.post1").is_prerelease());
  CHECK(v("1.0.dev0").is_prerelease());
  CHECK(v("1.0.post1.dev0").is_prerelease());
  CHECK_FALSE(v("1.0").is_prerelease());
  CHECK_FALSE(v("1.0.post1").is_prerelease());
  CHECK_FALSE(v("1.0+local").is_prerelease());
  CHECK(v("1.0.post1").is_postrelease());
  CHECK(v("1.0.dev1").is_devrelease());
}

TEST_CASE("PEP 440 summary ordering example is strictly increasing") {
  // PEP 440 "Summary of permitted suffixes and relative ordering", plus epochs and locals.
  std::vector<std::string> ordered = {
      "1.0.dev456",    "1.0a1",         "1.0a2.dev456", "1.0a12.dev456",
      "1.0a12",        "1.0b1.dev456",  "1.0b2",        "1.0b2.post345.dev456",
      "1.0b2.post345", "1.0rc1.dev456", "1.0rc1",       "1.0",
      "1.0+abc.5",     "1.0+abc.7",     "1.0+5",        "1.0.post456.dev34",
      "1.0.post456",   "1.0.15",        "1.1.dev1",     "1!0.1",
  };
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    for (std::size_t j = 0; j < ordered.size(); ++j) {
      INFO(ordered[i] << " vs " << ordered[j]);
      Version a = v(ordered[i]);
      Version b = v(ordered[j]);
      CHECK((a < b) == (i < j));
      CHECK((a == b) == (i == j));
      CHECK((a > b) == (i > j));
    }
  }
}

TEST_CASE("release segments compare as if padded with zeros") {
  CHECK(v("1.0") == v("1"));
  CHECK(v("1.0") == v("1.0.0.0"));
  CHECK(v("v1.0") == v("1.0"));
  CHECK(v("1.0a") == v("1.0a0"));
  CHECK(v("1.0-1") == v("1.0.post1"));
  CHECK(v("1.0.1") > v("1.0"));
  CHECK(v("1.10") > v("1.9"));
  CHECK(v("1.0.post1") > v("1.0"));
  CHECK(v("2.0") > v("1.0.post1"));
}

TEST_CASE("local versions sort after the public one, segment by segment") {
  // PEP 440 "Local version identifiers".
  CHECK(v("1.0+local") > v("1.0"));
  CHECK(v("1.0+local") != v("1.0"));
  CHECK(v("1.0+local") < v("1.0.post1"));
  CHECK(v("1.0+local") < v("1.0.1"));
  CHECK(v("1.0+abc") < v("1.0+abd"));
  CHECK(v("1.0+ABC") == v("1.0+abc"));
  CHECK(v("1.0+a-b") == v("1.0+a.b"));
  CHECK(v("1.0+2") < v("1.0+10"));  // numerically, not lexically
  CHECK(v("1.0+007") == v("1.0+7"));
  CHECK(v("1.0+zzz") < v("1.0+1"));  // numeric segments beat alphanumeric ones
  CHECK(v("1.0+1") < v("1.0+1.0"));  // a longer label wins when the shared part is equal
  CHECK(v("1.0+abc") < v("1.0+abc.1"));
}

TEST_CASE("epochs dominate everything else") {
  CHECK(v("1!1.0") > v("2.0"));
  CHECK(v("1!1.0") > v("2020.1"));
  CHECK(v("0!2.0") == v("2.0"));
  CHECK(v("2!0.1") > v("1!9.9"));
}
