#include "recommend/project.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <toml++/toml.h>

#include <filesystem>
#include <system_error>

#include "packaging/name.hpp"
#include "packaging/requirement.hpp"
#include "predict/requirements_file.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"
#include "util/text.hpp"

namespace pkgsizer::recommend {
namespace {

namespace fs = std::filesystem;

// A Python file larger than this is generated data, not code that imports (docs/recommend.md).
constexpr std::uint64_t kMaxSourceBytes = 8 << 20;
constexpr std::uint64_t kMaxConfigBytes = 4 << 20;

bool skipped_directory(const fs::path& path) {
  const std::string name = path.filename().string();
  if (name.empty() || name.front() == '.' || name == "__pycache__" || name == "node_modules" ||
      name == "site-packages" || name == "dist-packages")
    return true;
  std::error_code error;
  return fs::exists(path / "pyvenv.cfg", error);
}

// Files whose text may name a console script: the ones that run tools.
bool is_tool_file(const std::string& relative) {
  const std::string name = fs::path(relative).filename().string();
  static const std::set<std::string> kNames = {
      "Makefile",   "tox.ini",  "noxfile.py",     "setup.cfg",
      "Dockerfile", "justfile", "pyproject.toml", ".pre-commit-config.yaml"};
  if (kNames.count(name) > 0) return true;
  if (relative.rfind(".github/workflows/", 0) == 0 || relative.rfind(".gitlab-ci", 0) == 0)
    return true;
  const std::string extension = fs::path(relative).extension().string();
  return extension == ".sh" || extension == ".mk";
}

std::size_t line_of(const toml::node& node) {
  return static_cast<std::size_t>(node.source().begin.line);
}

void add_declared(Project& project, const std::string& text, const std::string& where) {
  try {
    const packaging::Requirement requirement = packaging::Requirement::parse(text);
    project.declared.push_back(
        {packaging::normalize_name(requirement.name), text, where, requirement.extras});
  } catch (const packaging::RequirementError& error) {
    project.warnings.push_back(fmt::format("{}: {}", where, error.what()));
  }
}

void add_requirement_array(Project& project, const toml::node* node, const std::string& file) {
  const toml::array* array = node ? node->as_array() : nullptr;
  if (!array) return;
  for (const toml::node& item : *array)
    if (const auto text = item.value<std::string>())
      add_declared(project, *text, fmt::format("{}:{}", file, line_of(item)));
}

void read_pyproject(Project& project, const std::string& path) {
  const auto text = read_text_file(path, kMaxConfigBytes);
  if (!text) return;
  toml::table document;
  try {
    document = toml::parse(*text, path);
  } catch (const toml::parse_error& error) {
    project.warnings.push_back(
        fmt::format("pyproject.toml:{}: {}", error.source().begin.line, error.description()));
    return;
  }
  if (const auto name = document["project"]["name"].value<std::string>())
    project.normalized_name = packaging::normalize_name(*name);
  add_requirement_array(project, document["project"]["dependencies"].node(), "pyproject.toml");
  if (const toml::table* extras = document["project"]["optional-dependencies"].as_table())
    for (const auto& [extra, list] : *extras)
      add_requirement_array(project, &list, "pyproject.toml");
  if (const toml::table* groups = document["dependency-groups"].as_table())
    for (const auto& [group, list] : *groups)
      add_requirement_array(project, &list, "pyproject.toml");
  // Poetry: [tool.poetry.dependencies] name = "^1.0" (python is the interpreter, not a project).
  if (const toml::table* poetry = document["tool"]["poetry"]["dependencies"].as_table())
    for (const auto& [key, value] : *poetry)
      if (key.str() != "python")
        project.declared.push_back({packaging::normalize_name(key.str()),
                                    std::string(key.str()),
                                    fmt::format("pyproject.toml:{}", line_of(value)),
                                    {}});
}

void read_requirements(Project& project, const std::string& path, const std::string& relative) {
  const auto text = read_text_file(path, kMaxConfigBytes);
  if (!text) return;
  try {
    const predict::RequirementsFile file = predict::parse_requirements_file(
        *text, relative, [&](const std::string& included) -> std::optional<std::string> {
          return read_text_file((fs::path(project.root) / included).string(), kMaxConfigBytes);
        });
    for (const auto& line : file.requirements)
      project.declared.push_back({packaging::normalize_name(line.requirement.name),
                                  line.requirement.str(), line.where.str(),
                                  line.requirement.extras});
  } catch (const predict::RequirementsFileError& error) {
    project.warnings.push_back(error.what());
  }
}

// setup.cfg [options] install_requires: a dangling list, one requirement per indented line.
void read_setup_cfg(Project& project, const std::string& path) {
  const auto text = read_text_file(path, kMaxConfigBytes);
  if (!text) return;
  std::string section;
  bool in_list = false;
  std::size_t number = 0;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    const std::string_view raw = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    ++number;
    const std::string_view line = trim(raw);
    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (!indented && line.front() == '[') {
      section = std::string(line);
      in_list = false;
      continue;
    }
    if (!indented) {
      const std::size_t equals = line.find('=');
      in_list = section == "[options]" && equals != std::string_view::npos &&
                trim(line.substr(0, equals)) == "install_requires";
      const std::string_view value =
          equals == std::string_view::npos ? std::string_view{} : trim(line.substr(equals + 1));
      if (in_list && !value.empty())
        add_declared(project, std::string(value), fmt::format("setup.cfg:{}", number));
      continue;
    }
    if (in_list) add_declared(project, std::string(line), fmt::format("setup.cfg:{}", number));
  }
}

struct PythonFile {
  std::string relative;
  std::vector<ImportReference> imports;
  std::string error;  // empty when it was read
};

// Reads and tokenizes the files on every core (a project has thousands), then keeps them in
// the walk's order, so the output does not depend on the threads.
void read_python_files(Project& project, const fs::path& root, std::vector<PythonFile>& files) {
  tbb::parallel_for(std::size_t{0}, files.size(), [&](std::size_t i) {
    PythonFile& file = files[i];
    const auto text = read_text_file((root / file.relative).string(), kMaxSourceBytes, &file.error);
    if (text) file.imports = find_imports(*text);
    if (!text && file.error.empty()) file.error = "not readable";
  });
  for (PythonFile& file : files) {
    if (!file.error.empty()) {
      project.warnings.push_back(fmt::format("{}: not read ({})", file.relative, file.error));
      continue;
    }
    ++project.python_files;
    for (ImportReference& reference : file.imports)
      project.imports.push_back({file.relative, std::move(reference)});
  }
}

// The project's own top-level names: the first package or module of each Python file, in the
// project directory or in src/ (the src layout).
void add_local_module(Project& project, const std::string& relative) {
  std::string path = relative;
  if (path.rfind("src/", 0) == 0) path = path.substr(4);
  const std::size_t slash = path.find('/');
  std::string top = path.substr(0, slash);
  if (slash == std::string::npos && top.size() > 3) top.resize(top.size() - 3);  // ".py"
  if (is_dotted_name(top) && top.find('.') == std::string::npos) project.local_modules.insert(top);
}

}  // namespace

bool looks_like_project(const std::string& directory) {
  std::error_code error;
  const fs::path root(directory);
  if (fs::exists(root / "pyproject.toml", error) || fs::exists(root / "setup.py", error) ||
      fs::exists(root / "setup.cfg", error))
    return true;
  for (fs::directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("requirements", 0) == 0 && it->path().extension() == ".txt") return true;
  }
  return false;
}

Project read_project(const std::string& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error))
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("--project {}: not a directory", printable(directory)));
  Project project;
  project.root = directory;
  const fs::path root(directory);
  std::vector<PythonFile> python_files;
  const std::size_t root_prefix = (root / "").string().size();
  fs::recursive_directory_iterator it(root, fs::directory_options::none, error);
  if (error)
    throw Error(ErrorCategory::kEnvironment, fmt::format("--project {}: cannot read ({})",
                                                         printable(directory), error.message()));
  for (const fs::recursive_directory_iterator end; it != end; it.increment(error)) {
    if (error) break;
    const fs::directory_entry& entry = *it;
    if (entry.is_directory(error) && !entry.is_symlink(error)) {
      if (skipped_directory(entry.path())) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(error)) continue;
    // Lexically relative: fs::relative would resolve every path (a realpath per file).
    const std::string relative = entry.path().string().substr(root_prefix);
    if (entry.path().extension() == ".py") {
      python_files.push_back({relative, {}, {}});
      add_local_module(project, relative);
    }
    if (is_tool_file(relative)) {
      if (const auto text = read_text_file(entry.path().string(), kMaxConfigBytes))
        project.tool_text += *text + "\n";
    }
  }
  read_python_files(project, root, python_files);
  if (fs::exists(root / "pyproject.toml", error))
    read_pyproject(project, (root / "pyproject.toml").string());
  if (fs::exists(root / "setup.cfg", error)) read_setup_cfg(project, (root / "setup.cfg").string());
  for (fs::directory_iterator file(root, error), end; !error && file != end;
       file.increment(error)) {
    const std::string name = file->path().filename().string();
    if (name.rfind("requirements", 0) == 0 && file->path().extension() == ".txt")
      read_requirements(project, file->path().string(), name);
  }
  return project;
}

}  // namespace pkgsizer::recommend
