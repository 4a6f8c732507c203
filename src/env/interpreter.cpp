#include "env/interpreter.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "util/error.hpp"
#include "util/subprocess.hpp"

namespace pkgsizer::env {
namespace {

// -I: isolated (no user site, no PYTHON* variables, no cwd on sys.path). -S would also skip
// site, which is the module that knows the site-packages directories, so it stays.
constexpr const char* kQueryScript = R"PY(
import json, os, platform, site, sys, sysconfig
paths = sysconfig.get_paths()
def sitedirs(prefixes=None):
    try:
        return site.getsitepackages(prefixes) if prefixes else site.getsitepackages()
    except Exception:
        return []
impl = sys.implementation
v = impl.version
impl_version = "%d.%d.%d" % (v.major, v.minor, v.micro)
if v.releaselevel != "final":
    impl_version += v.releaselevel[0] + str(v.serial)
print(json.dumps({
    "executable": sys.executable,
    "version": platform.python_version(),
    "prefix": sys.prefix,
    "base_prefix": sys.base_prefix,
    "in_venv": sys.prefix != sys.base_prefix,
    "platform": sysconfig.get_platform(),
    "site_packages": [paths["purelib"], paths["platlib"]] + sitedirs(),
    "base_site_packages": sitedirs([sys.base_prefix]) if sys.prefix != sys.base_prefix else [],
    "markers": {
        "implementation_name": impl.name,
        "implementation_version": impl_version,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_python_implementation": platform.python_implementation(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    },
}))
)PY";

}  // namespace

InterpreterInfo parse_interpreter_info(const std::string& json_text) {
  const nlohmann::json json = nlohmann::json::parse(json_text, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    throw Error(ErrorCategory::kEnvironment, "its answer is not JSON");
  InterpreterInfo info;
  try {
    info.executable = json.at("executable").get<std::string>();
    info.version = json.at("version").get<std::string>();
    info.prefix = json.at("prefix").get<std::string>();
    info.base_prefix = json.at("base_prefix").get<std::string>();
    info.in_venv = json.at("in_venv").get<bool>();
    info.platform = json.at("platform").get<std::string>();
    info.site_packages = json.at("site_packages").get<std::vector<std::string>>();
    info.base_site_packages = json.at("base_site_packages").get<std::vector<std::string>>();
    info.markers = json.at("markers").get<std::map<std::string, std::string>>();
  } catch (const nlohmann::json::exception& error) {
    throw Error(ErrorCategory::kEnvironment, fmt::format("unexpected answer: {}", error.what()));
  }
  return info;
}

InterpreterInfo query_interpreter(const std::string& python) {
  const ProcessResult result =
      run_process({python, "-I", "-c", kQueryScript}, std::chrono::seconds(30));
  if (!result.started)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("cannot run {}: {}", python, result.error));
  if (result.timed_out)
    throw Error(ErrorCategory::kEnvironment, fmt::format("{} did not answer within 30 s", python));
  if (result.exit_code != 0)
    throw Error(
        ErrorCategory::kEnvironment,
        fmt::format("{} exited with status {} when asked for its paths", python, result.exit_code));
  try {
    return parse_interpreter_info(result.standard_output);
  } catch (const Error& error) {
    throw Error(ErrorCategory::kEnvironment, fmt::format("{}: {}", python, error.what()));
  }
}

}  // namespace pkgsizer::env
