#include "importtime/measure.hpp"

#include <fmt/format.h>
#include <stdlib.h>  // mkdtemp

#include <cctype>
#include <filesystem>
#include <system_error>

#include "importtime/import_log.hpp"
#include "scan/scanner.hpp"
#include "util/error.hpp"
#include "util/subprocess.hpp"

namespace pkgsizer::importtime {
namespace {

constexpr std::string_view kStartMarker = "@@pkgsizer-import-time:start@@";
constexpr std::string_view kEndMarker = "@@pkgsizer-import-time:end@@";
constexpr std::string_view kTableMarker = "@@pkgsizer-import-time:modules@@";

// The driver run with -c: the markers on standard error split the interpreter's own start-up
// imports from the measured ones, and the imports after the end marker (sysconfig, for the
// table) from both. Only built-ins and already-loaded modules are used before the end marker,
// so the driver adds no import line of its own. argv[1] is the mode, argv[2] its argument.
constexpr const char* kDriver = R"PY(import sys
sys.stderr.write('\n@@pkgsizer-import-time:start@@\n'); sys.stderr.flush()
_mode, _arg = sys.argv[1], sys.argv[2]
if _mode == 'modules':
    for _name in _arg.split(','):
        __import__(_name)
elif _mode == 'code':
    sys.argv = ['-c'] + sys.argv[3:]
    exec(compile(_arg, '<string>', 'exec'), {'__name__': '__main__', '__builtins__': __builtins__})
else:
    sys.argv = sys.argv[2:]
    _os = sys.modules.get('os') or __import__('os')
    sys.path[0] = _os.path.dirname(_os.path.abspath(_arg))
    with open(_arg, 'rb') as _file:
        _source = _file.read()
    _globals = {'__name__': '__main__', '__file__': _arg, '__builtins__': __builtins__}
    try:
        exec(compile(_source, _arg, 'exec'), _globals)
    except SystemExit as _exit:
        if _exit.code not in (None, 0):
            raise
sys.stderr.flush()
sys.stderr.write('\n@@pkgsizer-import-time:end@@\n'); sys.stderr.flush()
_rows = []
for _name, _module in list(sys.modules.items()):
    try:
        _path = getattr(_module, '__file__', None)
        if isinstance(_path, str):
            _kind = 'file'
        else:
            _spec = getattr(_module, '__spec__', None)
            _origin = getattr(_spec, 'origin', None) if _spec is not None else None
            _search = getattr(_module, '__path__', None)
            _path = ''
            if _origin in ('built-in', 'frozen'):
                _kind = _origin
            elif _search is not None:
                _kind = 'namespace'
                for _path in _search:
                    break
            else:
                _kind = 'none'
        if not isinstance(_name, str) or any(c in _name + _path for c in '\t\n\r'):
            continue
        _rows.append(_name + '\t' + _kind + '\t' + _path)
    except Exception:
        pass
import sysconfig
_paths = sysconfig.get_paths()
for _key in ('stdlib', 'platstdlib'):
    _rows.append('@stdlib\t\t' + _paths.get(_key, ''))
_rows.append('@version\t\t' + sys.version.split()[0])
_rows.append('@executable\t\t' + (sys.executable or ''))
sys.stdout.flush()
sys.stdout.buffer.write(('\n@@pkgsizer-import-time:modules@@\n' + '\n'.join(_rows) + '\n').encode('utf-8', 'surrogateescape'))
sys.stdout.flush()
)PY";

bool is_identifier(std::string_view part) {
  if (part.empty() || std::isdigit(static_cast<unsigned char>(part.front()))) return false;
  for (const char c : part)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
          static_cast<unsigned char>(c) >= 0x80))
      return false;
  return true;
}

// Where a marker line starts (at the beginning of a line), or npos.
std::size_t find_marker(const std::string& text, std::string_view marker) {
  std::size_t at = 0;
  while ((at = text.find(marker, at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') return at;
    at += marker.size();
  }
  return std::string::npos;
}

// The last line of a traceback: the exception and its message.
std::string last_error_line(const ImportLog& log) {
  for (auto line = log.other_lines.rbegin(); line != log.other_lines.rend(); ++line)
    if (line->find_first_not_of(" \t") != std::string::npos) return *line;
  return "";
}

class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/pkgsizer-pycache-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("cannot create a temporary directory for --cold in {}",
                              pattern.substr(0, pattern.rfind('/'))));
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string describe_target(const MeasureRequest& request) {
  if (!request.modules.empty()) return fmt::format("import {}", fmt::join(request.modules, ", "));
  if (!request.script.empty()) return fmt::format("--script {}", request.script);
  return fmt::format("-c {}", request.code);
}

std::vector<std::string> driver_argv(const std::string& python, const MeasureRequest& request,
                                     const std::string& pycache_prefix) {
  std::vector<std::string> argv{python, "-X", "importtime"};
  if (!pycache_prefix.empty()) {
    argv.emplace_back("-X");
    argv.push_back("pycache_prefix=" + pycache_prefix);
  }
  argv.emplace_back("-c");
  argv.emplace_back(kDriver);
  if (!request.modules.empty()) {
    argv.emplace_back("modules");
    argv.push_back(fmt::format("{}", fmt::join(request.modules, ",")));
  } else if (!request.script.empty()) {
    argv.emplace_back("script");
    argv.push_back(request.script);
  } else {
    argv.emplace_back("code");
    argv.push_back(request.code);
  }
  return argv;
}

SplitRun run_once(const std::string& python, const MeasureRequest& request) {
  std::optional<TemporaryDirectory> pycache;
  if (request.cold) pycache.emplace();
  const CapturedProcess process = run_process_capturing(
      driver_argv(python, request, pycache ? pycache->path() : ""), request.timeout);
  if (!process.started)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("cannot run the interpreter {}: {}", python, process.error));
  if (process.timed_out)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{} did not finish within {} s (--timeout)", describe_target(request),
                            request.timeout.count() / 1000));
  if (process.exit_code != 0) {
    const std::size_t start = find_marker(process.standard_error, kStartMarker);
    const ImportLog log = parse_import_log(
        start == std::string::npos ? std::string_view(process.standard_error)
                                   : std::string_view(process.standard_error).substr(start));
    const std::string reason = last_error_line(log);
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{} failed in {} (exit code {}): {}", describe_target(request), python,
                            process.exit_code, reason.empty() ? "no error message" : reason));
  }
  return split_run(process.standard_error, process.standard_output);
}

}  // namespace

bool is_module_name(const std::string& name) {
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    if (!is_identifier(std::string_view(name).substr(
            start, dot == std::string::npos ? std::string::npos : dot - start)))
      return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

SplitRun split_run(const std::string& standard_error, const std::string& standard_output) {
  const std::size_t start = find_marker(standard_error, kStartMarker);
  const std::size_t end = find_marker(standard_error, kEndMarker);
  if (start == std::string::npos || end == std::string::npos || end < start)
    throw Error(ErrorCategory::kEnvironment,
                "the interpreter's output lacks pkgsizer's markers: was -X importtime ignored?");
  const std::string_view text(standard_error);
  SplitRun split;
  split.logs.startup = parse_import_log(text.substr(0, start));
  const std::size_t measured_start = start + kStartMarker.size();
  split.logs.measured = parse_import_log(text.substr(measured_start, end - measured_start));
  const std::size_t table = find_marker(standard_output, kTableMarker);
  if (table != std::string::npos)
    split.modules_table = standard_output.substr(table + kTableMarker.size());
  return split;
}

Attribution parse_module_table(const std::string& table, std::string* version,
                               std::string* executable) {
  Attribution attribution;
  std::size_t start = 0;
  while (start < table.size()) {
    std::size_t end = table.find('\n', start);
    if (end == std::string::npos) end = table.size();
    const std::string_view line = std::string_view(table).substr(start, end - start);
    start = end + 1;
    const std::size_t first_tab = line.find('\t');
    const std::size_t second_tab =
        first_tab == std::string_view::npos ? first_tab : line.find('\t', first_tab + 1);
    if (second_tab == std::string_view::npos) continue;
    const std::string name(line.substr(0, first_tab));
    const std::string kind(line.substr(first_tab + 1, second_tab - first_tab - 1));
    const std::string path(line.substr(second_tab + 1));
    if (name == "@stdlib") {
      if (!path.empty()) attribution.stdlib_dirs.push_back(path);
    } else if (name == "@version") {
      if (version) *version = path;
    } else if (name == "@executable") {
      if (executable) *executable = path;
    } else {
      attribution.origins[name] = {kind, path};
    }
  }
  return attribution;
}

ImportProfile measure_imports(const Environment& environment, const MeasureRequest& request) {
  for (const std::string& module : request.modules)
    if (!is_module_name(module))
      throw Error(
          ErrorCategory::kUsage,
          fmt::format("'{}' is not a module name (dotted identifiers: pkg.module)", module));
  if (!request.script.empty()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(request.script, error))
      throw Error(ErrorCategory::kUsage, fmt::format("--script {}: no such file", request.script));
  }
  const std::string& python = environment.interpreter;
  if (python.empty())
    throw Error(ErrorCategory::kUsage,
                "import-time runs the environment's interpreter: none was found for "
                "--site-packages; give --venv DIR or --python PATH");
  PhaseClock clock(request.timings);
  for (int run = 0; run < request.warmup; ++run) run_once(python, request);
  std::vector<RunLogs> runs;
  std::string table;
  for (int run = 0; run < std::max(1, request.runs); ++run) {
    SplitRun split = run_once(python, request);
    if (run == 0) table = std::move(split.modules_table);
    runs.push_back(std::move(split.logs));
  }
  clock.lap("interpreter");

  std::string version;
  std::string executable;
  Attribution attribution = parse_module_table(table, &version, &executable);
  clock.lap("parse");
  // The files of the imported modules, and who owns them, with the scan's own rules.
  scan::OwnerQuery query;
  for (const auto& [name, origin] : attribution.origins)
    if (origin.kind == "file") query.paths.push_back(origin.path);
  scan::ScanOptions options;
  options.owner_query = &query;
  const scan::EnvironmentScan scanned = scan::scan_trees(environment, options);
  for (std::size_t i = 0; i < query.paths.size(); ++i)
    if (!query.owners[i].empty()) {
      const Distribution& owner = scanned.scan.distributions[query.owners[i].front()];
      attribution.owner_of_path[query.paths[i]] = {owner.name, owner.version};
    }
  attribution.site_packages = scanned.roots;
  clock.lap("ownership");

  ImportProfile profile = build_profile(runs, attribution);
  profile.target = describe_target(request);
  profile.interpreter = executable.empty() ? python : executable;
  profile.python_version = version;
  profile.warmup = request.warmup;
  profile.cold = request.cold;
  clock.lap("profile");
  return profile;
}

}  // namespace pkgsizer::importtime
