#include "predict/wheel_tags.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <stdexcept>

#include "packaging/marker.hpp"

using namespace pkgsizer::predict;
using pkgsizer::packaging::MarkerEnvironment;

namespace {

std::vector<std::string> tag_strings(const std::vector<Tag>& tags) {
  std::vector<std::string> out;
  out.reserve(tags.size());
  for (const Tag& tag : tags) out.push_back(tag.str());
  return out;
}

std::ptrdiff_t position(const std::vector<std::string>& list, const std::string& item) {
  const auto found = std::find(list.begin(), list.end(), item);
  return found == list.end() ? -1 : found - list.begin();
}

}  // namespace

TEST_CASE("wheel file names: name, version, tags") {
  const auto wheel = parse_wheel_filename("requests-2.31.0-py3-none-any.whl");
  REQUIRE(wheel);
  CHECK(wheel->name == "requests");
  CHECK(wheel->version == "2.31.0");
  CHECK_FALSE(wheel->build);
  REQUIRE(wheel->tags.size() == 1);
  CHECK(wheel->tags[0] == Tag{"py3", "none", "any"});
  CHECK(wheel->tags[0].str() == "py3-none-any");
}

TEST_CASE("wheel file names: compressed tag sets expand (PEP 425)") {
  const auto six = parse_wheel_filename("six-1.16.0-py2.py3-none-any.whl");
  REQUIRE(six);
  CHECK(tag_strings(six->tags) == std::vector<std::string>{"py2-none-any", "py3-none-any"});

  const auto numpy = parse_wheel_filename(
      "numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  REQUIRE(numpy);
  CHECK(tag_strings(numpy->tags) == std::vector<std::string>{"cp311-cp311-manylinux_2_17_x86_64",
                                                             "cp311-cp311-manylinux2014_x86_64"});

  const auto many = parse_wheel_filename("x-1.0-cp38.cp39-abi3.none-win32.win_amd64.whl");
  REQUIRE(many);
  CHECK(many->tags.size() == 8);
  CHECK(many->tags.front().str() == "cp38-abi3-win32");
  CHECK(many->tags.back().str() == "cp39-none-win_amd64");
}

TEST_CASE("wheel file names: build tags, escaped names, case") {
  const auto built = parse_wheel_filename("Pillow_SIMD-9.0.0.post1-12b-CP310-cp310-Win_AMD64.whl");
  REQUIRE(built);
  CHECK(built->name == "Pillow_SIMD");
  CHECK(built->normalized_name == "pillow-simd");
  CHECK(built->version == "9.0.0.post1");
  REQUIRE(built->build);
  CHECK(built->build->number == 12);
  CHECK(built->build->suffix == "b");
  CHECK(built->build->text == "12b");
  CHECK(built->tags[0].str() == "cp310-cp310-win_amd64");  // tags compare lowercase
}

TEST_CASE("wheel file names: what is not a wheel") {
  CHECK_FALSE(parse_wheel_filename("requests-2.31.0.tar.gz"));
  CHECK_FALSE(parse_wheel_filename("requests-2.31.0-py3-none.whl"));   // 4 parts
  CHECK_FALSE(parse_wheel_filename("a-1-b-c-py3-none-any.whl"));       // 7 parts
  CHECK_FALSE(parse_wheel_filename("pkg-1.0-x1-py3-none-any.whl"));    // build tag
  CHECK_FALSE(parse_wheel_filename("pkg-1.0--none-any.whl"));          // empty part
  CHECK_FALSE(parse_wheel_filename("pkg-1.0-py2.-none-any.whl"));      // empty tag
  CHECK_FALSE(parse_wheel_filename("dist/pkg-1.0-py3-none-any.whl"));  // a path
  CHECK_FALSE(parse_wheel_filename("pkg-1.0-py3-none-any.WHL.zip"));
}

TEST_CASE("sdist file names: PEP 625 and legacy archives") {
  const auto modern = parse_sdist_filename("typing_extensions-4.12.2.tar.gz");
  REQUIRE(modern);
  CHECK(modern->name == "typing_extensions");
  CHECK(modern->normalized_name == "typing-extensions");
  CHECK(modern->version == "4.12.2");
  CHECK(modern->extension == ".tar.gz");

  // Unescaped legacy names: the split is at the last '-' before a digit...
  const auto legacy = parse_sdist_filename("python-dateutil-2.8.2.tar.gz");
  REQUIRE(legacy);
  CHECK(legacy->name == "python-dateutil");
  CHECK(legacy->version == "2.8.2");
  // ...or where the project's name ends, when it is known.
  const auto named = parse_sdist_filename("foo-2-1.0.zip", "foo-2");
  REQUIRE(named);
  CHECK(named->name == "foo-2");
  CHECK(named->version == "1.0");
  CHECK(named->extension == ".zip");
  CHECK(parse_sdist_filename("Foo.Bar-1.0.TAR.GZ", "foo-bar")->extension == ".TAR.GZ");

  CHECK_FALSE(parse_sdist_filename("foo-1.0.tar.gz", "bar"));
  CHECK_FALSE(parse_sdist_filename("foo-1.0-py3-none-any.whl"));
  CHECK_FALSE(parse_sdist_filename("foo.tar.gz"));  // no version
  CHECK_FALSE(parse_sdist_filename(".tar.gz"));

  CHECK(has_sdist_extension("x-1.tgz"));
  CHECK(has_sdist_extension("x-1.tar.bz2"));
  CHECK(has_sdist_extension("x-1.tar.xz"));
  CHECK_FALSE(has_sdist_extension("x-1.whl"));
  CHECK_FALSE(has_sdist_extension("x-1.egg"));
}

TEST_CASE("manylinux platforms for a glibc version, with their legacy aliases") {
  const auto x86 = manylinux_platforms("x86_64", 2, 17);
  CHECK(x86 == std::vector<std::string>{
                   "manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_16_x86_64",
                   "manylinux_2_15_x86_64", "manylinux_2_14_x86_64", "manylinux_2_13_x86_64",
                   "manylinux_2_12_x86_64", "manylinux2010_x86_64", "manylinux_2_11_x86_64",
                   "manylinux_2_10_x86_64", "manylinux_2_9_x86_64", "manylinux_2_8_x86_64",
                   "manylinux_2_7_x86_64", "manylinux_2_6_x86_64", "manylinux_2_5_x86_64",
                   "manylinux1_x86_64"});
  // Architectures other than x86 start at glibc 2.17 (manylinux2014).
  const auto arm = manylinux_platforms("aarch64", 2, 28);
  CHECK(arm.size() == 13);
  CHECK(arm.front() == "manylinux_2_28_aarch64");
  CHECK(arm.back() == "manylinux2014_aarch64");
  CHECK(position(arm, "manylinux2010_aarch64") == -1);
  // armv8l also runs armv7l binaries.
  const auto armv8l = manylinux_platforms("armv8l", 2, 17);
  CHECK(armv8l == std::vector<std::string>{"manylinux_2_17_armv8l", "manylinux2014_armv8l",
                                           "manylinux_2_17_armv7l", "manylinux2014_armv7l"});
}

TEST_CASE("musllinux and macOS platforms") {
  CHECK(musllinux_platforms("aarch64", 1, 2) == std::vector<std::string>{"musllinux_1_2_aarch64",
                                                                         "musllinux_1_1_aarch64",
                                                                         "musllinux_1_0_aarch64"});

  const auto arm = macos_platforms("arm64", 14, 0);
  CHECK(std::vector<std::string>(arm.begin(), arm.begin() + 4) ==
        std::vector<std::string>{"macosx_14_0_arm64", "macosx_14_0_universal2", "macosx_13_0_arm64",
                                 "macosx_13_0_universal2"});
  // No arm64 binary predates 11.0, but universal2 ones may claim 10.x for their x86_64 half.
  CHECK(position(arm, "macosx_11_0_arm64") == 6);
  CHECK(position(arm, "macosx_10_16_universal2") == 8);
  CHECK(arm.back() == "macosx_10_4_universal2");
  CHECK(position(arm, "macosx_10_9_arm64") == -1);
  CHECK(arm.size() == 21);

  const auto intel = macos_platforms("x86_64", 10, 9);
  CHECK(std::vector<std::string>(intel.begin(), intel.begin() + 6) ==
        std::vector<std::string>{"macosx_10_9_x86_64", "macosx_10_9_intel", "macosx_10_9_fat64",
                                 "macosx_10_9_fat32", "macosx_10_9_universal2",
                                 "macosx_10_9_universal"});
  CHECK(intel.back() == "macosx_10_4_universal");  // nothing for x86_64 before 10.4
  CHECK(position(intel, "macosx_11_0_x86_64") == -1);
}

TEST_CASE("expand_platform follows the platform family") {
  const auto linux = expand_platform("manylinux_2_28_x86_64");
  CHECK(linux.front() == "manylinux_2_28_x86_64");
  CHECK(linux.back() == "linux_x86_64");
  CHECK(position(linux, "manylinux1_x86_64") == static_cast<std::ptrdiff_t>(linux.size()) - 2);
  // Legacy aliases stand for their glibc version.
  CHECK(
      expand_platform("manylinux2014_aarch64") ==
      std::vector<std::string>{"manylinux_2_17_aarch64", "manylinux2014_aarch64", "linux_aarch64"});
  CHECK(expand_platform("manylinux1_i686").size() == 3);
  CHECK(expand_platform("manylinux2010_x86_64").front() == "manylinux_2_12_x86_64");
  CHECK(expand_platform("musllinux_1_1_x86_64") ==
        std::vector<std::string>{"musllinux_1_1_x86_64", "musllinux_1_0_x86_64", "linux_x86_64"});
  // sysconfig spellings are normalized.
  CHECK(expand_platform("macosx-11.0-arm64").front() == "macosx_11_0_arm64");
  CHECK(expand_platform("win_amd64") == std::vector<std::string>{"win_amd64"});
  CHECK(expand_platform("WIN32") == std::vector<std::string>{"win32"});
  CHECK(expand_platform("linux_x86_64") == std::vector<std::string>{"linux_x86_64"});
  CHECK(expand_platform("manylinux_x_y_z") == std::vector<std::string>{"manylinux_x_y_z"});
}

TEST_CASE("supported tags for CPython 3.13 on Windows, exactly as packaging.tags lists them") {
  // packaging 24.1: list(cpython_tags((3, 13), ["cp313"], ["win_amd64"])) +
  //                 list(compatible_tags((3, 13), "cp313", ["win_amd64"]))
  const std::vector<std::string> expected{
      "cp313-cp313-win_amd64", "cp313-abi3-win_amd64", "cp313-none-win_amd64",
      "cp312-abi3-win_amd64",  "cp311-abi3-win_amd64", "cp310-abi3-win_amd64",
      "cp39-abi3-win_amd64",   "cp38-abi3-win_amd64",  "cp37-abi3-win_amd64",
      "cp36-abi3-win_amd64",   "cp35-abi3-win_amd64",  "cp34-abi3-win_amd64",
      "cp33-abi3-win_amd64",   "cp32-abi3-win_amd64",  "py313-none-win_amd64",
      "py3-none-win_amd64",    "py312-none-win_amd64", "py311-none-win_amd64",
      "py310-none-win_amd64",  "py39-none-win_amd64",  "py38-none-win_amd64",
      "py37-none-win_amd64",   "py36-none-win_amd64",  "py35-none-win_amd64",
      "py34-none-win_amd64",   "py33-none-win_amd64",  "py32-none-win_amd64",
      "py31-none-win_amd64",   "py30-none-win_amd64",  "cp313-none-any",
      "py313-none-any",        "py3-none-any",         "py312-none-any",
      "py311-none-any",        "py310-none-any",       "py39-none-any",
      "py38-none-any",         "py37-none-any",        "py36-none-any",
      "py35-none-any",         "py34-none-any",        "py33-none-any",
      "py32-none-any",         "py31-none-any",        "py30-none-any"};
  CHECK(tag_strings(supported_tags({"3.13", "cp", {}, {"win_amd64"}})) == expected);
}

// The counts below were checked tag for tag against packaging 24.1 (pip 24.2's vendored copy),
// with its glibc/musl probes replaced by the version under test.
TEST_CASE("supported tags for CPython on manylinux: order and size match packaging.tags") {
  const auto tags = tag_strings(supported_tags({"3.11", "cp", {}, {"manylinux_2_17_x86_64"}}));
  CHECK(tags.size() == 439);
  CHECK(tags[0] == "cp311-cp311-manylinux_2_17_x86_64");
  CHECK(tags[1] == "cp311-cp311-manylinux2014_x86_64");
  CHECK(tags[16] == "cp311-cp311-linux_x86_64");
  CHECK(tags[17] == "cp311-abi3-manylinux_2_17_x86_64");
  CHECK(tags[34] == "cp311-none-manylinux_2_17_x86_64");
  CHECK(tags[51] == "cp310-abi3-manylinux_2_17_x86_64");
  CHECK(position(tags, "cp32-abi3-manylinux1_x86_64") <
        position(tags, "py311-none-manylinux_2_17_x86_64"));
  CHECK(position(tags, "cp31-abi3-manylinux1_x86_64") == -1);  // no stable ABI before 3.2
  CHECK(tags[425] == "cp311-none-any");
  CHECK(tags[426] == "py311-none-any");
  CHECK(tags[427] == "py3-none-any");
  CHECK(tags.back() == "py30-none-any");
  // The same target spelled as pip spells it.
  CHECK(tag_strings(supported_tags({"311", "cp", {}, {"manylinux2014_x86_64"}})) == tags);
  CHECK(tag_strings(supported_tags({"3.11.7", "cp", {}, {"manylinux_2_17_x86_64"}})) == tags);
}

TEST_CASE("supported tags: macOS, musllinux, old and free-threaded CPython, PyPy") {
  CHECK(supported_tags({"3.12", "cp", {}, {"macosx-14.0-arm64"}}).size() == 582);
  CHECK(supported_tags({"3.11", "cp", {}, {"macosx_11_0_x86_64"}}).size() == 2114);
  CHECK(supported_tags({"3.12", "cp", {}, {"musllinux_1_2_x86_64"}}).size() == 123);
  CHECK(supported_tags({"3.11", "cp", {}, {"manylinux2014_armv8l"}}).size() == 164);

  // Before 3.8 CPython's ABI had pymalloc's 'm'.
  const auto old = tag_strings(supported_tags({"3.7", "cp", {}, {"macosx_10_15_x86_64"}}));
  CHECK(old.size() == 1234);
  CHECK(old[0] == "cp37-cp37m-macosx_10_15_x86_64");

  // A free-threaded build has no stable ABI (PEP 703).
  const auto threaded =
      tag_strings(supported_tags({"3.13", "cp", {"cp313t"}, {"manylinux_2_28_aarch64"}}));
  CHECK(threaded.size() == 254);
  CHECK(threaded[0] == "cp313-cp313t-manylinux_2_28_aarch64");
  CHECK(std::none_of(threaded.begin(), threaded.end(),
                     [](const std::string& tag) { return tag.find("abi3") != std::string::npos; }));

  const auto pypy = tag_strings(supported_tags({"3.10", "pp", {}, {"manylinux_2_31_x86_64"}}));
  CHECK(pypy.size() == 447);
  CHECK(pypy[0] == "pp310-pypy310_pp73-manylinux_2_31_x86_64");
  CHECK(position(pypy, "pp310-none-manylinux_2_31_x86_64") > 0);
  CHECK(position(pypy, "pp3-none-any") >= 0);
  CHECK(position(pypy, "cp310-abi3-manylinux_2_31_x86_64") == -1);
}

TEST_CASE("supported tags: no platform means pure wheels only, and bad versions throw") {
  const auto pure = tag_strings(supported_tags({"3.12", "cp", {}, {}}));
  CHECK(pure.front() == "cp312-none-any");
  CHECK(pure.size() == 15);
  const auto major_only = tag_strings(supported_tags({"3", "cp", {}, {"win_amd64"}}));
  CHECK(major_only == std::vector<std::string>{"cp3-none-win_amd64", "py3-none-win_amd64",
                                               "cp3-none-any", "py3-none-any"});
  CHECK_THROWS_AS(supported_tags({"three", "cp", {}, {}}), std::invalid_argument);
  CHECK_THROWS_AS(supported_tags({"", "cp", {}, {}}), std::invalid_argument);
  CHECK_THROWS_AS(supported_tags({"3.x", "cp", {}, {}}), std::invalid_argument);
}

TEST_CASE("best_wheel picks the most specific compatible wheel") {
  // numpy 1.26.4's files on PyPI, in the order the Simple API lists them (abridged).
  const std::vector<std::string> files{
      "numpy-1.26.4-cp311-cp311-macosx_10_9_x86_64.whl",
      "numpy-1.26.4-cp311-cp311-macosx_11_0_arm64.whl",
      "numpy-1.26.4-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
      "numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
      "numpy-1.26.4-cp311-cp311-musllinux_1_1_aarch64.whl",
      "numpy-1.26.4-cp311-cp311-musllinux_1_1_x86_64.whl",
      "numpy-1.26.4-cp311-cp311-win32.whl",
      "numpy-1.26.4-cp311-cp311-win_amd64.whl",
      "numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
      "numpy-1.26.4.tar.gz",
  };
  CHECK(best_wheel(files, Target{"3.11", "cp", {}, {"manylinux_2_28_x86_64"}}) == 3u);
  CHECK(best_wheel(files, Target{"3.11", "cp", {}, {"manylinux_2_17_aarch64"}}) == 2u);
  CHECK(best_wheel(files, Target{"3.11", "cp", {}, {"musllinux_1_2_x86_64"}}) == 5u);
  CHECK(best_wheel(files, Target{"3.11", "cp", {}, {"macosx_14_0_arm64"}}) == 1u);
  CHECK(best_wheel(files, Target{"3.11", "cp", {}, {"macosx_10_15_x86_64"}}) == 0u);
  CHECK(best_wheel(files, Target{"3.11", "cp", {}, {"win_amd64"}}) == 7u);
  CHECK(best_wheel(files, Target{"3.12", "cp", {}, {"manylinux_2_17_x86_64"}}) == 8u);
  CHECK_FALSE(best_wheel(files, Target{"3.13", "cp", {}, {"manylinux_2_17_x86_64"}}));
  CHECK_FALSE(
      best_wheel(files, Target{"3.11", "cp", {}, {"manylinux_2_12_x86_64"}}));  // too old a glibc
}

TEST_CASE("best_wheel: specific beats abi3 beats pure, and build tags break ties") {
  const std::vector<std::string> files{
      "cryptography-42.0.5-py3-none-any.whl",
      "cryptography-42.0.5-cp39-abi3-manylinux_2_28_x86_64.whl",
      "cryptography-42.0.5-cp37-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
      "not a wheel",
  };
  const TagPriority linux(Target{"3.12", "cp", {}, {"manylinux_2_28_x86_64"}});
  CHECK(best_wheel(files, linux) == 1u);
  CHECK(best_wheel(files, TagPriority(Target{"3.12", "cp", {}, {"manylinux_2_17_x86_64"}})) == 2u);
  CHECK(best_wheel(files, TagPriority(Target{"3.12", "cp", {}, {"win_amd64"}})) == 0u);
  CHECK(linux.rank(Tag{"py3", "none", "any"}));
  CHECK_FALSE(linux.rank(Tag{"cp312", "cp312", "win_amd64"}));

  const std::vector<std::string> rebuilt{"pkg-1.0-py3-none-any.whl", "pkg-1.0-2-py3-none-any.whl",
                                         "pkg-1.0-10-py3-none-any.whl",
                                         "pkg-1.0-10a-py3-none-any.whl"};
  CHECK(best_wheel(rebuilt, linux) == 3u);
  CHECK(best_wheel(
            std::vector<std::string>{"pkg-1.0-py3-none-any.whl", "pkg-1.0-py2.py3-none-any.whl"},
            linux) == 0u);  // equal in every way: the first listed
  CHECK_FALSE(best_wheel(std::vector<std::string>{}, linux));
}

TEST_CASE("the target of an interpreter from its marker values") {
  const MarkerEnvironment linux = MarkerEnvironment::for_cpython("3.11.7", "linux-x86_64");
  Target target = target_for_environment(linux);
  CHECK(target.python_version == "3.11");
  CHECK(target.implementation == "cp");
  CHECK(target.platforms == std::vector<std::string>{"manylinux_2_17_x86_64"});
  target = target_for_environment(linux, {false, PlatformVersion{2, 36}, std::nullopt});
  CHECK(target.platforms == std::vector<std::string>{"manylinux_2_36_x86_64"});
  target = target_for_environment(MarkerEnvironment::for_cpython("3.12", "linux-aarch64"),
                                  {true, std::nullopt, std::nullopt});
  CHECK(target.platforms == std::vector<std::string>{"musllinux_1_2_aarch64"});

  MarkerEnvironment mac = MarkerEnvironment::for_cpython("3.12", "macosx-11.0-arm64");
  CHECK(target_for_environment(mac).platforms == std::vector<std::string>{"macosx_11_0_arm64"});
  mac.platform_release = "23.4.0";  // Darwin 23 is macOS 14
  CHECK(target_for_environment(mac).platforms == std::vector<std::string>{"macosx_14_0_arm64"});
  mac.platform_release = "19.6.0";  // Darwin 19 is macOS 10.15
  CHECK(target_for_environment(mac).platforms == std::vector<std::string>{"macosx_10_15_arm64"});
  mac.platform_release = "25.0.0";  // Darwin 25 is macOS 26
  CHECK(target_for_environment(mac).platforms == std::vector<std::string>{"macosx_26_0_arm64"});
  CHECK(target_for_environment(mac, {false, std::nullopt, PlatformVersion{13, 0}}).platforms ==
        std::vector<std::string>{"macosx_13_0_arm64"});
  CHECK(target_for_environment(MarkerEnvironment::for_cpython("3.12", "macosx-10.9-x86_64"))
            .platforms == std::vector<std::string>{"macosx_10_12_x86_64"});

  CHECK(target_for_environment(MarkerEnvironment::for_cpython("3.12", "win-amd64")).platforms ==
        std::vector<std::string>{"win_amd64"});
  CHECK(target_for_environment(MarkerEnvironment::for_cpython("3.12", "win32")).platforms ==
        std::vector<std::string>{"win32"});
  CHECK(target_for_environment(MarkerEnvironment::for_cpython("3.12", "win-arm64")).platforms ==
        std::vector<std::string>{"win_arm64"});

  MarkerEnvironment pypy = linux;
  pypy.implementation_name = "pypy";
  CHECK(target_for_environment(pypy).implementation == "pp");
  MarkerEnvironment unknown;
  CHECK_THROWS_AS(target_for_environment(unknown), std::invalid_argument);
}

TEST_CASE("marker values for a target, so dependencies' markers can be evaluated") {
  MarkerEnvironment environment =
      marker_environment_for({"3.12", "cp", {}, {"manylinux_2_28_aarch64"}});
  CHECK(environment.python_version == "3.12");
  CHECK(environment.sys_platform == "linux");
  CHECK(environment.platform_system == "Linux");
  CHECK(environment.platform_machine == "aarch64");
  CHECK(environment.implementation_name == "cpython");

  CHECK(marker_environment_for({"3.11", "cp", {}, {"manylinux2014_x86_64"}}).platform_machine ==
        "x86_64");
  CHECK(marker_environment_for({"3.11", "cp", {}, {"musllinux_1_2_x86_64"}}).sys_platform ==
        "linux");
  environment = marker_environment_for({"3.11", "cp", {}, {"win_amd64"}});
  CHECK(environment.sys_platform == "win32");
  CHECK(environment.os_name == "nt");
  CHECK(environment.platform_machine == "AMD64");
  CHECK(marker_environment_for({"3.11", "cp", {}, {"win32"}}).platform_machine == "x86");
  environment = marker_environment_for({"3.13", "cp", {}, {"macosx_14_0_universal2"}});
  CHECK(environment.sys_platform == "darwin");
  CHECK(environment.platform_machine == "arm64");
  environment = marker_environment_for({"3.10", "pp", {}, {"linux_x86_64"}});
  CHECK(environment.implementation_name == "pypy");
  CHECK(environment.platform_python_implementation == "PyPy");
  CHECK(environment.platform_machine == "x86_64");

  // The round trip: an environment's target describes the same machine.
  const MarkerEnvironment original = MarkerEnvironment::for_cpython("3.12", "linux-x86_64");
  const MarkerEnvironment again = marker_environment_for(target_for_environment(original));
  CHECK(again.sys_platform == original.sys_platform);
  CHECK(again.platform_machine == original.platform_machine);
  CHECK(again.python_version == original.python_version);
}
