// Which built distribution an interpreter would install: wheel and sdist file names (PEP 427,
// PEP 491, PEP 625), the compatibility tags of PEP 425 in the order `packaging.tags.sys_tags`
// prefers them, and the platform tags of manylinux (PEP 513/571/599/600), musllinux (PEP 656),
// macOS and Windows. Pure: the target is described by its caller, the machine is never probed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "packaging/marker.hpp"

namespace pkgsizer::predict {

// One PEP 425 tag, lowercase as `packaging.tags` compares them: cp311-cp311-manylinux_2_17_x86_64.
struct Tag {
  std::string interpreter;  // "cp311", "py3", "pp310"
  std::string abi;          // "cp311", "abi3", "none", "pypy310_pp73"
  std::string platform;     // "manylinux_2_17_x86_64", "win_amd64", "any"

  std::string str() const;
  bool operator==(const Tag& other) const = default;
};

// PEP 427: the optional build tag starts with a digit and breaks ties between wheels that are
// otherwise equal, compared as (number, rest of the text).
struct BuildTag {
  std::uint64_t number = 0;
  std::string suffix;
  std::string text;  // as written
};

// PEP 427/491: {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl
struct WheelFilename {
  std::string name;             // as written; escaped, so it never holds '-'
  std::string normalized_name;  // PEP 503
  std::string version;          // as written
  std::optional<BuildTag> build;
  // PEP 425 "Compressed Tag Sets": `py2.py3-none-any` is two tags. Expanded here, interpreter
  // tags varying slowest, each lowercase, in the order written.
  std::vector<Tag> tags;
};

// Nothing when the name is not a wheel's: no ".whl", fewer than five or more than six
// dash-separated parts, an empty part, or a build tag that does not start with a digit.
std::optional<WheelFilename> parse_wheel_filename(std::string_view filename);

// A source distribution's file name: PEP 625's {name}-{version}.tar.gz, and the older archive
// kinds pip still accepts (.zip, .tar.bz2, .tar.xz, .tgz, .tar, ...).
struct SdistFilename {
  std::string name;             // as written
  std::string normalized_name;  // PEP 503
  std::string version;          // as written
  std::string extension;        // ".tar.gz", ".zip", ...
};

// Whether the name ends with an archive extension an sdist may have.
bool has_sdist_extension(std::string_view filename);

// Old sdists put unescaped names before the version ("python-dateutil-2.8.2.tar.gz"), so the
// split is ambiguous. With `project` given, the name must be that project's (compared after
// PEP 503 normalization); without it, the split is at the last '-' that is followed by a
// digit. Nothing when the name is not an sdist's, or not the project's.
std::optional<SdistFilename> parse_sdist_filename(std::string_view filename,
                                                  std::string_view project = {});

// The interpreter and platform that wheels are chosen for, as pip's --python-version,
// --implementation, --abi and --platform describe it.
struct Target {
  // "3.11" (also "311", and "3.11.7", whose micro version is ignored). A major version alone
  // ("3") gives only the generic tags, as `packaging` does.
  std::string python_version = "3.11";
  // PEP 425 abbreviation: "cp" (CPython), "pp" (PyPy), or another interpreter's.
  std::string implementation = "cp";
  // Empty: the ABIs a release build of that interpreter has (CPython: "cp311"; "cp37m" before
  // 3.8; PyPy: "pypy311_pp73"). A free-threaded CPython is described by "cp313t".
  std::vector<std::string> abis;
  // Most specific first. Each is expanded by expand_platform(), so "manylinux_2_28_x86_64"
  // accepts every older manylinux wheel too. Spellings like "macosx-11.0-arm64" are normalized
  // ('-' and '.' become '_', lowercase).
  std::vector<std::string> platforms;
};

// PEP 600, as `packaging._manylinux.platform_tags` lists them for a glibc version: every
// manylinux_2_N tag from N = `glibc_minor` down to 5 (x86_64 and i686) or 17 (every other
// architecture, which manylinux never supported before glibc 2.17), each followed by its legacy
// alias where one exists: manylinux2014 (2.17, PEP 599), manylinux2010 (2.12, PEP 571),
// manylinux1 (2.5, PEP 513). "armv8l" also accepts armv7l wheels.
std::vector<std::string> manylinux_platforms(std::string_view arch, unsigned glibc_major,
                                             unsigned glibc_minor);

// PEP 656: musllinux_1_N for N = `musl_minor` down to 0.
std::vector<std::string> musllinux_platforms(std::string_view arch, unsigned musl_major,
                                             unsigned musl_minor);

// `packaging.tags.mac_platforms`: for macOS 10.x every 10.y down to 10.0; from 11 on every
// major release down to 11, then 10.16 down to 10.4 (x86_64 binaries, or universal2 ones for
// arm64, which did not exist before 11). Each version lists the binary formats that can run
// `arch` there: x86_64 also accepts intel, fat64, fat32, universal2 and universal wheels.
std::vector<std::string> macos_platforms(std::string_view arch, unsigned major, unsigned minor);

// One platform tag as a machine with that platform accepts, most specific first:
// manylinux_2_N_ARCH (or a legacy alias) -> manylinux_platforms() then linux_ARCH;
// musllinux_1_N_ARCH -> musllinux_platforms() then linux_ARCH; macosx_X_Y_ARCH ->
// macos_platforms(); anything else (win_amd64, win32, win_arm64, linux_x86_64, any) itself.
std::vector<std::string> expand_platform(std::string_view platform);

// Every tag the target accepts, most preferred first, as `packaging.tags.sys_tags` orders them
// for that interpreter: for CPython cp3X-<abi>-<platform> tags, then cp3X-abi3, cp3X-none, then
// abi3 for each older minor version (3.(X-1) down to 3.2, not for free-threaded builds), then
// py3X-none-<platform> down to py30, then cp3X-none-any, py3X-none-any, py3-none-any and the
// older minor versions' py3Y-none-any. Other interpreters get their own tags with each ABI
// and "none", then the same generic ones (PyPy's interpreter-specific any tag is pp3).
std::vector<Tag> supported_tags(const Target& target);

// Ranks of the supported tags, for choosing among many wheels without rebuilding the list.
class TagPriority {
 public:
  explicit TagPriority(const std::vector<Tag>& supported);
  explicit TagPriority(const Target& target);

  // 0 is the most preferred; nothing when the tag is not supported.
  std::optional<std::size_t> rank(const Tag& tag) const;
  // The best rank among the wheel's tags, as pip's `support_index_min`.
  std::optional<std::size_t> rank(const WheelFilename& wheel) const;

 private:
  std::unordered_map<std::string, std::size_t> ranks_;
};

// The index of the wheel pip would pick among files of one release: the one whose best tag
// ranks highest; equal ranks go to the higher build tag (PEP 427), then to the first listed.
// Names that are not wheels (sdists) are skipped. Nothing when no wheel fits.
std::optional<std::size_t> best_wheel(const std::vector<std::string>& filenames,
                                      const Target& target);
std::optional<std::size_t> best_wheel(const std::vector<std::string>& filenames,
                                      const TagPriority& priority);

// A version of a platform component: glibc 2.36, musl 1.2, macOS 14.0.
struct PlatformVersion {
  unsigned major = 0;
  unsigned minor = 0;
};

// What marker values do not say about a machine but its wheel tags depend on.
struct PlatformDetails {
  bool musl = false;                     // the Linux C library: glibc (manylinux) or musl
  std::optional<PlatformVersion> libc;   // unknown: glibc 2.17 (manylinux2014) or musl 1.2
  std::optional<PlatformVersion> macos;  // unknown: from platform_release, else 11.0 / 10.9
};

// The target of the interpreter whose PEP 508 marker values these are (python_version,
// implementation_name, sys_platform, platform_machine; on macOS platform_release, the Darwin
// version: Darwin 23 is macOS 14). The caller supplies what markers cannot tell.
Target target_for_environment(const packaging::MarkerEnvironment& environment,
                              const PlatformDetails& details = {});

// The other way round: marker values for evaluating dependencies' markers on a target (its
// first platform decides sys_platform and platform_machine). platform_release and
// platform_version stay empty, as nothing says what they would be.
packaging::MarkerEnvironment marker_environment_for(const Target& target);

}  // namespace pkgsizer::predict
