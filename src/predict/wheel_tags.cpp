#include "predict/wheel_tags.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <unordered_set>

#include "packaging/name.hpp"
#include "util/text.hpp"

namespace pkgsizer::predict {
namespace {

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// Reads a decimal number followed by '_' from the front of `text` ("2_17_x86_64" -> 2,
// leaving "17_x86_64").
std::optional<unsigned> take_number(std::string_view& text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() || end == text.data() + text.size() || *end != '_')
    return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()) + 1);
  return value;
}

// "MAJOR_MINOR_ARCH" after a prefix such as "manylinux_".
struct VersionedPlatform {
  unsigned major = 0;
  unsigned minor = 0;
  std::string arch;
};

std::optional<VersionedPlatform> parse_versioned(std::string_view rest) {
  VersionedPlatform parsed;
  const auto major = take_number(rest);
  if (!major) return std::nullopt;
  const auto minor = take_number(rest);
  if (!minor || rest.empty()) return std::nullopt;
  parsed.major = *major;
  parsed.minor = *minor;
  parsed.arch = std::string(rest);
  return parsed;
}

// `packaging.tags._normalize_string`, also turning sysconfig's "macosx-11.0-arm64" into a tag.
std::string normalize_platform(std::string_view platform) {
  std::string out = lowercase(platform);
  std::replace(out.begin(), out.end(), '-', '_');
  std::replace(out.begin(), out.end(), '.', '_');
  return out;
}

// `packaging._manylinux`: an armv8l kernel also runs armv7l binaries.
std::vector<std::string> linux_archs(std::string_view arch) {
  if (arch == "armv8l") return {"armv8l", "armv7l"};
  return {std::string(arch)};
}

// `packaging.tags._mac_binary_formats`: which fat or single-architecture binary formats hold
// code for `arch` on a given macOS version.
std::vector<std::string> mac_binary_formats(PlatformVersion version, std::string_view arch) {
  const auto older_than = [&](unsigned major, unsigned minor) {
    return version.major < major || (version.major == major && version.minor < minor);
  };
  std::vector<std::string> formats{std::string(arch)};
  if (arch == "x86_64") {
    if (older_than(10, 4)) return {};
    formats.insert(formats.end(), {"intel", "fat64", "fat32"});
  } else if (arch == "i386") {
    if (older_than(10, 4)) return {};
    formats.insert(formats.end(), {"intel", "fat32", "fat"});
  } else if (arch == "ppc64") {
    if (!older_than(10, 6) || older_than(10, 4)) return {};
    formats.push_back("fat64");
  } else if (arch == "ppc") {
    if (!older_than(10, 7)) return {};
    formats.insert(formats.end(), {"fat32", "fat"});
  }
  if (arch == "arm64" || arch == "x86_64") formats.push_back("universal2");
  if (arch == "x86_64" || arch == "i386" || arch == "ppc64" || arch == "ppc" || arch == "intel")
    formats.push_back("universal");
  return formats;
}

struct PythonVersion {
  unsigned major = 3;
  std::optional<unsigned> minor;

  // `packaging.tags._version_nodot`: "311", or "3" for a major version alone.
  std::string nodot() const {
    return minor ? fmt::format("{}{}", major, *minor) : fmt::format("{}", major);
  }
  std::string nodot_with(unsigned other_minor) const {
    return fmt::format("{}{}", major, other_minor);
  }
  bool at_least(unsigned other_major, unsigned other_minor) const {
    return major > other_major || (major == other_major && minor && *minor >= other_minor);
  }
};

// "3.11", "3.11.7", "311" (pip's --python-version spelling) or "3".
PythonVersion parse_python_version(std::string_view text) {
  const auto fail = [&]() -> PythonVersion {
    throw std::invalid_argument(fmt::format("python version '{}' is not like 3.11", text));
  };
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || c == '.'; }))
    return fail();
  PythonVersion version;
  const auto parts = split(text, '.');
  const auto number = [&](std::string_view digits) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) fail();
    return value;
  };
  if (parts.size() == 1 && parts[0].size() > 1) {
    // pip: "311" is 3.11, "38" is 3.8 — the first digit is the major version.
    version.major = number(parts[0].substr(0, 1));
    version.minor = number(parts[0].substr(1));
    return version;
  }
  version.major = number(parts[0]);
  if (parts.size() > 1) version.minor = number(parts[1]);
  for (std::size_t i = 2; i < parts.size(); ++i) number(parts[i]);
  return version;
}

// `packaging.tags._is_threaded_cpython`: a 't' in the ABI suffix (cp313t) is a free-threaded
// build, which has no stable ABI.
bool is_threaded_cpython(const std::vector<std::string>& abis) {
  for (const std::string& abi : abis) {
    if (!abi.starts_with("cp")) continue;
    std::size_t i = 2;
    while (i < abi.size() && is_digit(abi[i])) ++i;
    if (i > 2 && abi.find('t', i) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> expanded_platforms(const std::vector<std::string>& platforms) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const std::string& platform : platforms)
    for (std::string& expanded : expand_platform(platform))
      if (seen.insert(expanded).second) out.push_back(std::move(expanded));
  return out;
}

// `packaging.tags._py_interpreter_range`: py311, py3, py310, ..., py30.
std::vector<std::string> py_interpreter_range(const PythonVersion& version) {
  std::vector<std::string> out;
  if (version.minor) out.push_back("py" + version.nodot());
  out.push_back(fmt::format("py{}", version.major));
  if (version.minor)
    for (unsigned minor = *version.minor; minor-- > 0;)
      out.push_back("py" + version.nodot_with(minor));
  return out;
}

// `packaging.tags.cpython_tags`.
void add_cpython_tags(const PythonVersion& version, std::vector<std::string> abis,
                      const std::vector<std::string>& platforms, std::vector<Tag>& tags) {
  const std::string interpreter = "cp" + version.nodot();
  if (abis.empty() && version.minor) {
    // `_cpython_abis` for a release (non-debug) build: pymalloc's 'm' suffix until 3.8.
    abis.push_back(version.at_least(3, 8) ? interpreter : interpreter + "m");
  }
  std::erase_if(abis, [](const std::string& abi) { return abi == "abi3" || abi == "none"; });
  for (const std::string& abi : abis)
    for (const std::string& platform : platforms) tags.push_back({interpreter, abi, platform});
  // The stable ABI (PEP 384) exists since 3.2, and not in free-threaded builds (PEP 703).
  const bool use_abi3 = version.minor && version.at_least(3, 2) && !is_threaded_cpython(abis);
  if (use_abi3)
    for (const std::string& platform : platforms) tags.push_back({interpreter, "abi3", platform});
  for (const std::string& platform : platforms) tags.push_back({interpreter, "none", platform});
  if (use_abi3)
    for (unsigned minor = *version.minor - 1; minor > 1; --minor)
      for (const std::string& platform : platforms)
        tags.push_back({"cp" + version.nodot_with(minor), "abi3", platform});
}

// `packaging.tags.generic_tags`, for interpreters other than CPython.
void add_generic_tags(const std::string& interpreter, std::vector<std::string> abis,
                      const std::vector<std::string>& platforms, std::vector<Tag>& tags) {
  if (std::find(abis.begin(), abis.end(), "none") == abis.end()) abis.push_back("none");
  for (const std::string& abi : abis)
    for (const std::string& platform : platforms) tags.push_back({interpreter, abi, platform});
}

// `packaging.tags.compatible_tags`: pure-Python wheels for this version and older ones.
void add_compatible_tags(const PythonVersion& version,
                         const std::optional<std::string>& interpreter,
                         const std::vector<std::string>& platforms, std::vector<Tag>& tags) {
  const std::vector<std::string> versions = py_interpreter_range(version);
  for (const std::string& py : versions)
    for (const std::string& platform : platforms) tags.push_back({py, "none", platform});
  if (interpreter) tags.push_back({*interpreter, "none", "any"});
  for (const std::string& py : versions) tags.push_back({py, "none", "any"});
}

bool build_is_better(const std::optional<BuildTag>& candidate,
                     const std::optional<BuildTag>& best) {
  // pip sorts an absent build tag as (), below every present one.
  if (!candidate) return false;
  if (!best) return true;
  if (candidate->number != best->number) return candidate->number > best->number;
  return candidate->suffix > best->suffix;
}

// Windows' platform.machine() spellings ("AMD64", "ARM64", "x86") as wheel platform tags.
std::string windows_platform(std::string_view machine) {
  const std::string lower = lowercase(machine);
  if (lower == "arm64" || lower == "aarch64") return "win_arm64";
  if (lower == "x86" || lower == "i386" || lower == "i686" || lower == "win32") return "win32";
  return "win_amd64";
}

// Darwin kernel versions as macOS versions: Darwin 8-19 were 10.4-10.15, Darwin 20-24 were
// macOS 11-15, and Darwin 25 is macOS 26 (versions follow the year since then).
std::optional<PlatformVersion> macos_from_darwin(std::string_view release) {
  unsigned darwin = 0;
  const auto [end, error] =
      std::from_chars(release.data(), release.data() + release.size(), darwin);
  if (error != std::errc() || end == release.data() || darwin < 5) return std::nullopt;
  if (darwin < 20) return PlatformVersion{10, darwin - 4};
  if (darwin < 25) return PlatformVersion{darwin - 9, 0};
  return PlatformVersion{darwin + 1, 0};
}

}  // namespace

std::string Tag::str() const { return fmt::format("{}-{}-{}", interpreter, abi, platform); }

std::optional<WheelFilename> parse_wheel_filename(std::string_view filename) {
  if (!filename.ends_with(".whl") || filename.find('/') != std::string_view::npos)
    return std::nullopt;
  const auto parts = split(filename.substr(0, filename.size() - 4), '-');
  if (parts.size() != 5 && parts.size() != 6) return std::nullopt;
  if (std::any_of(parts.begin(), parts.end(), [](std::string_view part) { return part.empty(); }))
    return std::nullopt;
  WheelFilename wheel;
  wheel.name = std::string(parts[0]);
  wheel.normalized_name = packaging::normalize_name(parts[0]);
  wheel.version = std::string(parts[1]);
  if (parts.size() == 6) {
    const std::string_view build = parts[2];
    if (!is_digit(build.front())) return std::nullopt;
    BuildTag tag;
    const auto [end, error] =
        std::from_chars(build.data(), build.data() + build.size(), tag.number);
    if (error != std::errc()) return std::nullopt;
    tag.suffix = std::string(end, build.data() + build.size());
    tag.text = std::string(build);
    wheel.build = std::move(tag);
  }
  const std::size_t first_tag = parts.size() - 3;
  const auto interpreters = split(parts[first_tag], '.');
  const auto abis = split(parts[first_tag + 1], '.');
  const auto platforms = split(parts[first_tag + 2], '.');
  for (const auto* set : {&interpreters, &abis, &platforms})
    if (std::any_of(set->begin(), set->end(), [](std::string_view tag) { return tag.empty(); }))
      return std::nullopt;
  for (std::string_view interpreter : interpreters)
    for (std::string_view abi : abis)
      for (std::string_view platform : platforms)
        wheel.tags.push_back({lowercase(interpreter), lowercase(abi), lowercase(platform)});
  return wheel;
}

namespace {
// pip's SUPPORTED_EXTENSIONS minus .whl, longest spelling first so ".tar.gz" wins over ".gz".
constexpr std::array<std::string_view, 11> kSdistExtensions{
    ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.lzma", ".tar.lz", ".tar",
    ".tgz",    ".tbz",     ".txz",    ".tlz",      ".zip"};

std::string_view sdist_extension(std::string_view filename) {
  const std::string lower = lowercase(filename);
  for (std::string_view extension : kSdistExtensions)
    if (lower.ends_with(extension) && lower.size() > extension.size())
      return filename.substr(filename.size() - extension.size());
  return {};
}
}  // namespace

bool has_sdist_extension(std::string_view filename) { return !sdist_extension(filename).empty(); }

std::optional<SdistFilename> parse_sdist_filename(std::string_view filename,
                                                  std::string_view project) {
  if (filename.find('/') != std::string_view::npos) return std::nullopt;
  const std::string_view extension = sdist_extension(filename);
  if (extension.empty()) return std::nullopt;
  const std::string_view stem = filename.substr(0, filename.size() - extension.size());
  std::optional<std::size_t> separator;
  if (!project.empty()) {
    // pip's `_find_name_version_sep`: the first '-' after which what is left of it names the
    // project.
    const std::string wanted = packaging::normalize_name(project);
    for (std::size_t dash = stem.find('-'); dash != std::string_view::npos;
         dash = stem.find('-', dash + 1))
      if (packaging::normalize_name(stem.substr(0, dash)) == wanted) {
        separator = dash;
        break;
      }
  } else {
    for (std::size_t dash = stem.rfind('-'); dash != std::string_view::npos && dash > 0;
         dash = stem.rfind('-', dash - 1))
      if (dash + 1 < stem.size() && is_digit(stem[dash + 1])) {
        separator = dash;
        break;
      }
  }
  if (!separator || *separator == 0 || *separator + 1 >= stem.size()) return std::nullopt;
  SdistFilename sdist;
  sdist.name = std::string(stem.substr(0, *separator));
  sdist.normalized_name = packaging::normalize_name(sdist.name);
  sdist.version = std::string(stem.substr(*separator + 1));
  sdist.extension = std::string(extension);
  return sdist;
}

std::vector<std::string> manylinux_platforms(std::string_view arch, unsigned glibc_major,
                                             unsigned glibc_minor) {
  const std::vector<std::string> archs = linux_archs(arch);
  // The oldest glibc manylinux supports: 2.5 (manylinux1) on x86, 2.17 (manylinux2014) elsewhere.
  const bool x86 = std::any_of(archs.begin(), archs.end(),
                               [](const std::string& a) { return a == "x86_64" || a == "i686"; });
  const PlatformVersion too_old{2, x86 ? 4u : 16u};
  // Compatibility holds across glibc major versions; `packaging` assumes each older major
  // series ran up to minor 50.
  std::vector<PlatformVersion> glibc_max{{glibc_major, glibc_minor}};
  for (unsigned major = glibc_major - 1; glibc_major > 0 && major > 1; --major)
    glibc_max.push_back({major, 50});
  std::vector<std::string> platforms;
  for (const std::string& each_arch : archs)
    for (const PlatformVersion& max : glibc_max) {
      const int min_minor = max.major == too_old.major ? static_cast<int>(too_old.minor) : -1;
      for (int minor = static_cast<int>(max.minor); minor > min_minor; --minor) {
        platforms.push_back(fmt::format("manylinux_{}_{}_{}", max.major, minor, each_arch));
        if (max.major != 2) continue;
        if (minor == 17) platforms.push_back("manylinux2014_" + each_arch);
        if (minor == 12) platforms.push_back("manylinux2010_" + each_arch);
        if (minor == 5) platforms.push_back("manylinux1_" + each_arch);
      }
    }
  return platforms;
}

std::vector<std::string> musllinux_platforms(std::string_view arch, unsigned musl_major,
                                             unsigned musl_minor) {
  std::vector<std::string> platforms;
  for (const std::string& each_arch : linux_archs(arch))
    for (unsigned minor = musl_minor + 1; minor-- > 0;)
      platforms.push_back(fmt::format("musllinux_{}_{}_{}", musl_major, minor, each_arch));
  return platforms;
}

std::vector<std::string> macos_platforms(std::string_view arch, unsigned major, unsigned minor) {
  std::vector<std::string> platforms;
  const auto add = [&](unsigned each_major, unsigned each_minor) {
    for (const std::string& format : mac_binary_formats({each_major, each_minor}, arch))
      platforms.push_back(fmt::format("macosx_{}_{}_{}", each_major, each_minor, format));
  };
  if (major == 10) {
    // Before macOS 11 each yearly release bumped the minor version.
    for (unsigned each_minor = minor + 1; each_minor-- > 0;) add(10, each_minor);
  } else if (major >= 11) {
    // From macOS 11 on, the major version; minor versions are mid-year updates.
    for (unsigned each_major = major; each_major > 10; --each_major) add(each_major, 0);
    // macOS 11 on x86_64 runs binaries built for 10.x. Arm64 came with 11.0, so only
    // universal2 wheels can claim an older version for it (for their x86_64 half).
    for (unsigned each_minor = 16; each_minor > 3; --each_minor) {
      if (arch == "x86_64")
        add(10, each_minor);
      else
        platforms.push_back(fmt::format("macosx_10_{}_universal2", each_minor));
    }
  }
  return platforms;
}

std::vector<std::string> expand_platform(std::string_view platform) {
  const std::string normalized = normalize_platform(platform);
  const std::string_view text = normalized;
  const auto with_linux = [](std::vector<std::string> platforms, const std::string& arch) {
    for (const std::string& each_arch : linux_archs(arch))
      platforms.push_back("linux_" + each_arch);
    return platforms;
  };
  if (text.starts_with("manylinux_"))
    if (const auto parsed = parse_versioned(text.substr(10)))
      return with_linux(manylinux_platforms(parsed->arch, parsed->major, parsed->minor),
                        parsed->arch);
  // The legacy names and the glibc versions they stand for (PEP 600 "Legacy manylinux tags").
  constexpr std::array<std::pair<std::string_view, unsigned>, 3> legacy{
      {{"manylinux1_", 5}, {"manylinux2010_", 12}, {"manylinux2014_", 17}}};
  for (const auto& [prefix, glibc_minor] : legacy)
    if (text.starts_with(prefix) && text.size() > prefix.size()) {
      const std::string arch(text.substr(prefix.size()));
      return with_linux(manylinux_platforms(arch, 2, glibc_minor), arch);
    }
  if (text.starts_with("musllinux_"))
    if (const auto parsed = parse_versioned(text.substr(10)))
      return with_linux(musllinux_platforms(parsed->arch, parsed->major, parsed->minor),
                        parsed->arch);
  if (text.starts_with("macosx_"))
    if (const auto parsed = parse_versioned(text.substr(7))) {
      auto platforms = macos_platforms(parsed->arch, parsed->major, parsed->minor);
      if (!platforms.empty()) return platforms;
    }
  return {normalized};
}

std::vector<Tag> supported_tags(const Target& target) {
  const PythonVersion version = parse_python_version(target.python_version);
  const std::string implementation = lowercase(target.implementation);
  std::vector<std::string> abis;
  for (const std::string& abi : target.abis) abis.push_back(lowercase(abi));
  const std::vector<std::string> platforms = expanded_platforms(target.platforms);

  std::vector<Tag> tags;
  std::optional<std::string> interpreter;  // what `sys_tags` passes to compatible_tags
  if (implementation == "cp") {
    add_cpython_tags(version, abis, platforms, tags);
    interpreter = "cp" + version.nodot();
  } else {
    if (abis.empty() && implementation == "pp" && version.minor)
      abis.push_back(fmt::format("pypy{}_pp73", version.nodot()));  // PyPy 7.3's EXT_SUFFIX
    add_generic_tags(implementation + version.nodot(), abis, platforms, tags);
    if (implementation == "pp") interpreter = fmt::format("pp{}", version.major);
  }
  add_compatible_tags(version, interpreter, platforms, tags);

  // Platforms given twice, or "any" among them, would list a tag twice; the first one counts.
  std::unordered_set<std::string> seen;
  std::erase_if(tags, [&](const Tag& tag) { return !seen.insert(tag.str()).second; });
  return tags;
}

TagPriority::TagPriority(const std::vector<Tag>& supported) {
  for (std::size_t i = 0; i < supported.size(); ++i) ranks_.emplace(supported[i].str(), i);
}

TagPriority::TagPriority(const Target& target) : TagPriority(supported_tags(target)) {}

std::optional<std::size_t> TagPriority::rank(const Tag& tag) const {
  const auto found = ranks_.find(tag.str());
  if (found == ranks_.end()) return std::nullopt;
  return found->second;
}

std::optional<std::size_t> TagPriority::rank(const WheelFilename& wheel) const {
  std::optional<std::size_t> best;
  for (const Tag& tag : wheel.tags)
    if (const auto each = rank(tag); each && (!best || *each < *best)) best = each;
  return best;
}

std::optional<std::size_t> best_wheel(const std::vector<std::string>& filenames,
                                      const Target& target) {
  return best_wheel(filenames, TagPriority(target));
}

std::optional<std::size_t> best_wheel(const std::vector<std::string>& filenames,
                                      const TagPriority& priority) {
  std::optional<std::size_t> best;
  std::size_t best_rank = 0;
  std::optional<BuildTag> best_build;
  for (std::size_t i = 0; i < filenames.size(); ++i) {
    const auto wheel = parse_wheel_filename(filenames[i]);
    if (!wheel) continue;
    const auto rank = priority.rank(*wheel);
    if (!rank) continue;
    if (!best || *rank < best_rank ||
        (*rank == best_rank && build_is_better(wheel->build, best_build))) {
      best = i;
      best_rank = *rank;
      best_build = wheel->build;
    }
  }
  return best;
}

Target target_for_environment(const packaging::MarkerEnvironment& environment,
                              const PlatformDetails& details) {
  Target target;
  target.python_version = !environment.python_version.empty() ? environment.python_version
                                                              : environment.python_full_version;
  parse_python_version(target.python_version);  // throws when there is none
  // `packaging.tags.INTERPRETER_SHORT_NAMES`; other interpreters keep their whole name.
  const std::string name = lowercase(environment.implementation_name);
  if (name == "cpython" || name.empty())
    target.implementation = "cp";
  else if (name == "pypy")
    target.implementation = "pp";
  else if (name == "ironpython")
    target.implementation = "ip";
  else if (name == "jython")
    target.implementation = "jy";
  else
    target.implementation = name;

  const std::string& machine = environment.platform_machine;
  if (environment.sys_platform == "linux") {
    const std::string arch = lowercase(machine);
    if (details.musl) {
      const PlatformVersion musl = details.libc.value_or(PlatformVersion{1, 2});
      target.platforms.push_back(fmt::format("musllinux_{}_{}_{}", musl.major, musl.minor, arch));
    } else {
      const PlatformVersion glibc = details.libc.value_or(PlatformVersion{2, 17});
      target.platforms.push_back(fmt::format("manylinux_{}_{}_{}", glibc.major, glibc.minor, arch));
    }
  } else if (environment.sys_platform == "darwin") {
    const std::string arch = lowercase(machine) == "aarch64" ? "arm64" : lowercase(machine);
    // Unknown versions: the deployment targets uv assumes (11.0 for arm64, 10.12 for x86_64).
    const PlatformVersion fallback =
        arch == "arm64" ? PlatformVersion{11, 0} : PlatformVersion{10, 12};
    const PlatformVersion macos =
        details.macos.value_or(macos_from_darwin(environment.platform_release).value_or(fallback));
    target.platforms.push_back(fmt::format("macosx_{}_{}_{}", macos.major, macos.minor, arch));
  } else if (environment.sys_platform == "win32") {
    target.platforms.push_back(windows_platform(machine));
  } else if (!environment.sys_platform.empty()) {
    target.platforms.push_back(normalize_platform(environment.sys_platform + "_" + machine));
  }
  return target;
}

packaging::MarkerEnvironment marker_environment_for(const Target& target) {
  const PythonVersion version = parse_python_version(target.python_version);
  const std::string python = version.minor ? fmt::format("{}.{}", version.major, *version.minor)
                                           : fmt::format("{}", version.major);
  // The first platform as sysconfig.get_platform() would spell it, which for_cpython maps.
  std::string sysconfig_platform;
  const std::string platform =
      target.platforms.empty() ? "" : normalize_platform(target.platforms.front());
  const std::string_view text = platform;
  const auto linux_arch = [&](std::string_view rest) -> std::string {
    if (const auto parsed = parse_versioned(rest)) return parsed->arch;
    const std::size_t underscore = rest.find('_');  // manylinux2014_x86_64
    return std::string(underscore == std::string_view::npos ? rest : rest.substr(underscore + 1));
  };
  if (text.starts_with("manylinux_") || text.starts_with("musllinux_")) {
    sysconfig_platform = "linux-" + linux_arch(text.substr(10));
  } else if (text.starts_with("manylinux")) {  // a legacy alias: manylinux2014_x86_64
    sysconfig_platform = "linux-" + linux_arch(text.substr(9));
  } else if (text.starts_with("linux_")) {
    sysconfig_platform = "linux-" + std::string(text.substr(6));
  } else if (text.starts_with("macosx_")) {
    const auto parsed = parse_versioned(text.substr(7));
    std::string arch = parsed ? parsed->arch : "arm64";
    // A fat binary does not say which machine runs it; universal2 targets today's (arm64).
    if (arch == "universal2") arch = "arm64";
    if (arch == "intel" || arch == "fat64" || arch == "universal") arch = "x86_64";
    if (arch == "fat32" || arch == "fat") arch = "i386";
    sysconfig_platform = parsed ? fmt::format("macosx-{}.{}-{}", parsed->major, parsed->minor, arch)
                                : "macosx-11.0-" + arch;
  } else if (text == "win32") {
    sysconfig_platform = "win32";
  } else if (text.starts_with("win_")) {
    sysconfig_platform = "win-" + std::string(text.substr(4));
  }
  packaging::MarkerEnvironment environment =
      packaging::MarkerEnvironment::for_cpython(python, sysconfig_platform);
  const std::string implementation = lowercase(target.implementation);
  if (implementation == "pp") {
    environment.implementation_name = "pypy";
    environment.platform_python_implementation = "PyPy";
    environment.implementation_version.clear();  // PyPy's own version (7.3.x): not known here
  } else if (implementation != "cp") {
    environment.implementation_name = implementation;
    environment.platform_python_implementation.clear();
    environment.implementation_version.clear();
  }
  return environment;
}

}  // namespace pkgsizer::predict
