#include "predict/exact_bytecode.hpp"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"
#include "util/subprocess.hpp"

namespace pkgsizer::predict {
namespace {

namespace fs = std::filesystem;

// Compiles each .py member of the wheel (argv[1]) as pip does: at its installed path (the
// co_filename stored in the .pyc; a typical venv prefix stands in for the real one), with the
// default optimization, into a timestamp-based .pyc — importlib's own serializer, which
// py_compile (and so compileall, which pip calls) uses. A file that does not compile is left
// out, as pip leaves it. Members a *.data/purelib or platlib entry installs are counted once,
// at their destination. Prints "BYTES FILES".
constexpr const char* kCompileScript = R"(
import importlib._bootstrap_external as bootstrap, sys, zipfile
prefix = "/venv/lib/python%d.%d/site-packages/" % sys.version_info[:2]
seen = {}
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for info in wheel.infolist():
        parts = info.filename.split("/")
        if not info.filename.endswith(".py"):
            continue
        if len(parts) > 2 and parts[0].endswith(".data"):
            if parts[1] not in ("purelib", "platlib"):
                dest = "/venv/" + "/".join(parts[1:])
            else:
                dest = prefix + "/".join(parts[2:])
        else:
            dest = prefix + info.filename
        seen[dest] = info
    total = files = 0
    for dest, info in seen.items():
        source = wheel.read(info)
        try:
            code = compile(source, dest, "exec", dont_inherit=True)
        except Exception:
            continue
        total += len(bootstrap._code_to_timestamp_pyc(code, 0, len(source)))
        files += 1
print(total, files)
)";

// FNV-1a: a stable file name for a URL key (std::hash is not stable across builds).
std::string stable_hash(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return fmt::format("url-{:016x}", hash);
}

std::string cache_name(const std::string& key, const std::string& url) {
  if (key.rfind("sha256:", 0) == 0 && key.size() > 7) {
    std::string hex = key.substr(7);
    for (char c : hex)
      if (!std::isxdigit(static_cast<unsigned char>(c))) return stable_hash(url);
    return "sha256-" + hex;
  }
  return stable_hash(url);
}

std::string version_of(const std::string& interpreter) {
  const ProcessResult result =
      run_process({interpreter, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"},
                  std::chrono::seconds(20), true);
  if (!result.started || result.timed_out || result.exit_code != 0) return "";
  std::string version = result.standard_output;
  while (!version.empty() && std::isspace(static_cast<unsigned char>(version.back())))
    version.pop_back();
  return version;
}

CompiledBytecode parse_output(const std::string& text) {
  std::istringstream stream(text);
  CompiledBytecode result;
  if (!(stream >> result.bytes >> result.files))
    throw Error(ErrorCategory::kEnvironment, fmt::format("unexpected compiler output '{}'", text));
  return result;
}

}  // namespace

BytecodeCompiler::BytecodeCompiler(std::string python_version, std::string cache_directory)
    : python_version_(std::move(python_version)), cache_directory_(std::move(cache_directory)) {
  const std::string major_minor = python_version_.substr(0, python_version_.find('.', 2));
  for (const std::string& candidate : {"python" + major_minor, std::string("python3")})
    if (version_of(candidate) == major_minor) {
      interpreter_ = candidate;
      break;
    }
  python_version_ = major_minor;
}

CompiledBytecode BytecodeCompiler::compile(HttpClient& http, const std::string& url,
                                           const std::string& key) {
  const std::string file = fmt::format("{}-cp{}.txt", cache_name(key, url), python_version_);
  const fs::path cached = cache_directory_.empty() ? fs::path() : fs::path(cache_directory_) / file;
  if (!cached.empty())
    if (const std::optional<std::string> text = read_text_file(cached.string())) try {
        return parse_output(*text);
      } catch (const std::runtime_error&) {
        // A damaged entry: compiled again and rewritten.
      }
  const HttpResponse response = http.get(url);
  const bool local = url.rfind("file://", 0) == 0;
  if (!(response.ok() || (local && response.error.empty() && !response.body.empty())))
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("cannot download {}", response.describe()));
  // A directory of our own (mkdtemp: mode 0700, a name nobody could have prepared).
  std::error_code error;
  std::string pattern = (fs::temp_directory_path(error) / "pkgsizer-bytecode-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("cannot create a temporary directory {}", pattern));
  const fs::path directory = pattern;
  const fs::path wheel = directory / "wheel.zip";
  {
    std::ofstream out(wheel, std::ios::binary);
    out << response.body;
    if (!out) {
      fs::remove_all(directory, error);
      throw Error(ErrorCategory::kEnvironment, fmt::format("cannot write {}", wheel.string()));
    }
  }
  const ProcessResult result = run_process(
      {interpreter_, "-I", "-c", kCompileScript, wheel.string()}, std::chrono::minutes(10), true);
  fs::remove_all(directory, error);
  if (!result.started || result.timed_out || result.exit_code != 0)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{} could not compile {}{}", interpreter_, url,
                            result.error.empty() ? "" : ": " + result.error));
  const CompiledBytecode compiled = parse_output(result.standard_output);
  if (!cached.empty()) {
    fs::create_directories(cached.parent_path(), error);
    try {
      write_output(cached.string(), result.standard_output);
    } catch (const std::exception&) {
      // The cache is an optimization: a full disk only costs the next run a compile.
    }
  }
  return compiled;
}

}  // namespace pkgsizer::predict
