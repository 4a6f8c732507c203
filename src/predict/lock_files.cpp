#include "predict/lock_files.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "packaging/name.hpp"
#include "packaging/requirement.hpp"
#include "util/json_nesting.hpp"
#include "util/text.hpp"
#include "util/toml_type_name.hpp"

namespace pkgsizer::predict {
namespace {

std::string_view trim_front(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  return text;
}

std::string_view basename(std::string_view path) {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_wheel_name(std::string_view filename) { return lowercase(filename).ends_with(".whl"); }

// ---------------------------------------------------------------------------------------------
// TOML: every lookup names the file, and the line and column toml++ recorded for the node.

class TomlReader {
 public:
  explicit TomlReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& what) const {
    if (where.begin.line == 0) throw LockFileError(fmt::format("{}: {}", file_, what));
    throw LockFileError(
        fmt::format("{}:{}:{}: {}", file_, where.begin.line, where.begin.column, what));
  }
  [[noreturn]] void fail(const std::string& what) const { fail(toml::source_region{}, what); }

  toml::table parse(std::string_view text) const {
    try {
      return toml::parse(text, file_);
    } catch (const toml::parse_error& error) {
      fail(error.source(), std::string(error.description()));
    }
  }

  const toml::table& table(const toml::node& node, std::string_view what) const {
    if (const toml::table* table = node.as_table()) return *table;
    fail(node.source(), fmt::format("{} must be a table, found {}", what, toml_type_name(node)));
  }

  // An array of tables, or nothing when the key is absent.
  std::vector<const toml::table*> tables(const toml::table& owner, std::string_view key,
                                         std::string_view context) const {
    std::vector<const toml::table*> out;
    const toml::node* node = owner.get(key);
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array)
      fail(node->source(),
           fmt::format("{}{} must be an array, found {}", context, key, toml_type_name(*node)));
    for (const toml::node& element : *array)
      out.push_back(&table(element, fmt::format("{}{}[{}]", context, key, out.size())));
    return out;
  }

  std::optional<std::string> string(const toml::table& owner, std::string_view key,
                                    std::string_view context) const {
    const toml::node* node = owner.get(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_string()) return value->get();
    fail(node->source(),
         fmt::format("{}{} must be a string, found {}", context, key, toml_type_name(*node)));
  }

  std::string required_string(const toml::table& owner, std::string_view key,
                              std::string_view context) const {
    if (auto value = string(owner, key, context)) return std::move(*value);
    fail(owner.source(), fmt::format("{}{} is missing", context, key));
  }

  std::optional<std::uint64_t> size(const toml::table& owner, std::string_view key,
                                    std::string_view context) const {
    const toml::node* node = owner.get(key);
    if (!node) return std::nullopt;
    const auto* value = node->as_integer();
    if (!value || value->get() < 0)
      fail(node->source(),
           fmt::format("{}{} must be a non-negative integer of bytes", context, key));
    return static_cast<std::uint64_t>(value->get());
  }

  std::vector<std::string> strings(const toml::table& owner, std::string_view key,
                                   std::string_view context) const {
    std::vector<std::string> out;
    const toml::node* node = owner.get(key);
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array) fail(node->source(), fmt::format("{}{} must be an array of strings", context, key));
    for (const toml::node& element : *array) {
      const auto* value = element.as_string();
      if (!value)
        fail(element.source(), fmt::format("{}{} must hold strings, found {}", context, key,
                                           toml_type_name(element)));
      out.push_back(value->get());
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

LockedDependency make_dependency(std::string name) {
  LockedDependency dependency;
  dependency.normalized_name = packaging::normalize_name(name);
  dependency.name = std::move(name);
  return dependency;
}

LockedPackage make_package(std::string name, std::string version) {
  LockedPackage package;
  package.normalized_name = packaging::normalize_name(name);
  package.name = std::move(name);
  package.version = std::move(version);
  return package;
}

// What uv.lock and pylock.toml file tables share: url, path, size, and the file's name, from
// `name_key` or else the last component of the URL or path (empty when there is neither).
LockedFile locked_file(const TomlReader& reader, const toml::table& table, std::string_view context,
                       std::string_view name_key) {
  LockedFile file;
  file.url = reader.string(table, "url", context).value_or("");
  file.path = reader.string(table, "path", context).value_or("");
  file.size = reader.size(table, "size", context);
  if (auto name = reader.string(table, name_key, context))
    file.filename = std::move(*name);
  else if (!file.url.empty())
    file.filename = filename_from_url(file.url);
  else if (!file.path.empty())
    file.filename = std::string(basename(file.path));
  return file;
}

// Sorts a file into the package's wheels or its sdist.
void add_file(LockedPackage& package, LockedFile file) {
  if (is_wheel_name(file.filename))
    package.wheels.push_back(std::move(file));
  else
    package.sdist = std::move(file);
}

// ---------------------------------------------------------------------------------------------
// uv.lock (https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile): version = 1,
// [[package]] tables with source = { registry | git | url | path | directory | editable |
// virtual = ... }, sdist = { url | path, hash, size }, wheels = [{ url | path | filename, hash,
// size }], dependencies = [{ name, version?, extra?, marker? }], and
// [package.optional-dependencies] / [package.dev-dependencies] tables of the same arrays.

LockedSource uv_source(const TomlReader& reader, const toml::table& package,
                       std::string_view context) {
  LockedSource source;
  const toml::node* node = package.get("source");
  if (!node) return source;
  const toml::table& table = reader.table(*node, fmt::format("{}source", context));
  constexpr std::array<std::string_view, 7> kinds{"registry",  "git",      "url",    "path",
                                                  "directory", "editable", "virtual"};
  for (std::string_view kind : kinds)
    if (auto location = reader.string(table, kind, fmt::format("{}source.", context))) {
      source.kind = std::string(kind);
      source.location = std::move(*location);
      return source;
    }
  reader.fail(node->source(),
              fmt::format("{}source names none of registry, git, url, path, directory, "
                          "editable, virtual",
                          context));
}

std::vector<LockedDependency> uv_dependencies(const TomlReader& reader, const toml::table& owner,
                                              std::string_view key, std::string_view context) {
  std::vector<LockedDependency> out;
  for (const toml::table* entry : reader.tables(owner, key, context)) {
    const std::string where = fmt::format("{}{}[{}].", context, key, out.size());
    LockedDependency dependency = make_dependency(reader.required_string(*entry, "name", where));
    dependency.version = reader.string(*entry, "version", where).value_or("");
    dependency.marker = reader.string(*entry, "marker", where).value_or("");
    for (std::string& extra : reader.strings(*entry, "extra", where))
      dependency.extras.insert(std::move(extra));
    out.push_back(std::move(dependency));
  }
  return out;
}

// [package.optional-dependencies] and [package.dev-dependencies]: extra or group -> edges.
void add_uv_optional(const TomlReader& reader, const toml::table& package, std::string_view key,
                     bool groups, std::string_view context, std::vector<LockedDependency>& out) {
  const toml::node* node = package.get(key);
  if (!node) return;
  const toml::table& table = reader.table(*node, fmt::format("{}{}", context, key));
  for (const auto& [name, value] : table) {
    (void)value;
    const std::string part(name.str());
    for (LockedDependency& dependency :
         uv_dependencies(reader, table, part, fmt::format("{}{}.", context, key))) {
      (groups ? dependency.for_group : dependency.for_extra) = part;
      out.push_back(std::move(dependency));
    }
  }
}

LockedFile uv_file(const TomlReader& reader, const toml::table& table, std::string_view context,
                   const LockedSource& source) {
  LockedFile file = locked_file(reader, table, context, "filename");
  file.hash = reader.string(table, "hash", context).value_or("");
  if (file.filename.empty() && (source.kind == "url" || source.kind == "path"))
    // An sdist of a direct URL or path source records only its hash and size; the file is the
    // source itself.
    file.filename = filename_from_url(source.location);
  return file;
}

}  // namespace

LockFile parse_uv_lock(std::string_view text, const std::string& file_name) {
  const TomlReader reader(file_name);
  const toml::table document = reader.parse(text);
  LockFile lock;
  lock.kind = InputKind::uv_lock;
  if (const toml::node* version = document.get("version")) {
    const auto* number = version->as_integer();
    if (!number || number->get() != 1)
      reader.fail(version->source(), "unsupported uv.lock version (pkgsizer reads version 1)");
  }
  std::vector<std::string> members;
  if (const toml::node* manifest = document.get("manifest"))
    for (const std::string& member :
         reader.strings(reader.table(*manifest, "manifest"), "members", "manifest."))
      members.push_back(packaging::normalize_name(member));

  // uv called the tables [[distribution]] before its lock format settled.
  const char* key = document.contains("package") ? "package" : "distribution";
  for (const toml::table* table : reader.tables(document, key, "")) {
    const std::string at = fmt::format("{}[{}]", key, lock.packages.size());
    const std::string name = reader.required_string(*table, "name", at + ".");
    const std::string context = fmt::format("package '{}': ", name);
    LockedPackage package =
        make_package(name, reader.string(*table, "version", context).value_or(""));
    package.source = uv_source(reader, *table, context);
    if (const toml::node* sdist = table->get("sdist"))
      package.sdist = uv_file(reader, reader.table(*sdist, context + "sdist"), context + "sdist.",
                              package.source);
    std::size_t index = 0;
    for (const toml::table* wheel : reader.tables(*table, "wheels", context))
      package.wheels.push_back(
          uv_file(reader, *wheel, fmt::format("{}wheels[{}].", context, index++), package.source));
    package.dependencies = uv_dependencies(reader, *table, "dependencies", context);
    add_uv_optional(reader, *table, "optional-dependencies", /*groups=*/false, context,
                    package.dependencies);
    add_uv_optional(reader, *table, "dev-dependencies", /*groups=*/true, context,
                    package.dependencies);
    if (!members.empty())
      package.requested =
          std::find(members.begin(), members.end(), package.normalized_name) != members.end();
    else
      package.requested = (package.source.kind == "editable" || package.source.kind == "virtual") &&
                          (package.source.location == "." || package.source.location.empty());
    lock.packages.push_back(std::move(package));
  }
  return lock;
}

namespace {

// ---------------------------------------------------------------------------------------------
// pylock.toml (PEP 751): lock-version = "1.0", [[packages]] with name, version?, marker?,
// index?, dependencies?, and one of vcs / directory / archive / sdist + wheels.

// PEP 751 `hashes`: a table of algorithm -> hex digest. The strongest common one is kept.
std::string pylock_hash(const TomlReader& reader, const toml::table& owner,
                        std::string_view context) {
  const toml::node* node = owner.get("hashes");
  if (!node) return "";
  const toml::table& hashes = reader.table(*node, fmt::format("{}hashes", context));
  for (std::string_view algorithm : {"sha256", "sha384", "sha512"})
    if (auto digest = reader.string(hashes, algorithm, fmt::format("{}hashes.", context)))
      return fmt::format("{}:{}", algorithm, *digest);
  for (const auto& [algorithm, digest] : hashes)
    if (const auto* text = digest.as_string())
      return fmt::format("{}:{}", algorithm.str(), text->get());
  return "";
}

LockedFile pylock_file(const TomlReader& reader, const toml::table& table,
                       std::string_view context) {
  // PEP 751: `name` may be left out when the URL or path ends with the file name.
  LockedFile file = locked_file(reader, table, context, "name");
  if (file.filename.empty())
    reader.fail(table.source(), fmt::format("{}name, url or path is required", context));
  file.hash = pylock_hash(reader, table, context);
  return file;
}

}  // namespace

LockFile parse_pylock(std::string_view text, const std::string& file_name) {
  const TomlReader reader(file_name);
  const toml::table document = reader.parse(text);
  LockFile lock;
  lock.kind = InputKind::pylock_toml;
  const std::string version = reader.required_string(document, "lock-version", "");
  // PEP 751: tools must refuse a major version they do not know, and may warn on a minor one.
  if (!version.starts_with("1.") && version != "1")
    reader.fail(document.get("lock-version")->source(),
                fmt::format("unsupported lock-version '{}' (pkgsizer reads 1.x)", version));
  if (!document.contains("packages")) reader.fail("[[packages]] is missing");
  for (const toml::table* table : reader.tables(document, "packages", "")) {
    const std::string at = fmt::format("packages[{}].", lock.packages.size());
    const std::string name = reader.required_string(*table, "name", at);
    const std::string context = fmt::format("package '{}': ", name);
    LockedPackage package =
        make_package(name, reader.string(*table, "version", context).value_or(""));
    package.marker = reader.string(*table, "marker", context).value_or("");
    if (auto index = reader.string(*table, "index", context))
      package.source = {"registry", std::move(*index)};
    if (const toml::node* sdist = table->get("sdist"))
      package.sdist =
          pylock_file(reader, reader.table(*sdist, context + "sdist"), context + "sdist.");
    std::size_t index = 0;
    for (const toml::table* wheel : reader.tables(*table, "wheels", context))
      package.wheels.push_back(
          pylock_file(reader, *wheel, fmt::format("{}wheels[{}].", context, index++)));
    if (const toml::node* archive = table->get("archive")) {
      // A direct URL or path to one archive, which may be a wheel or an sdist.
      add_file(package, pylock_file(reader, reader.table(*archive, context + "archive"),
                                    context + "archive."));
      const LockedFile& file = package.sdist ? *package.sdist : package.wheels.back();
      package.source = {file.url.empty() ? "path" : "url", file.url.empty() ? file.path : file.url};
    }
    if (const toml::node* vcs = table->get("vcs")) {
      const toml::table& vcs_table = reader.table(*vcs, context + "vcs");
      package.source = {
          "git", reader.string(vcs_table, "url", context + "vcs.")
                     .value_or(reader.string(vcs_table, "path", context + "vcs.").value_or(""))};
    }
    if (const toml::node* directory = table->get("directory")) {
      const toml::table& directory_table = reader.table(*directory, context + "directory");
      const toml::node* editable = directory_table.get("editable");
      const bool is_editable = editable && editable->value<bool>().value_or(false);
      package.source = {is_editable ? "editable" : "directory",
                        reader.required_string(directory_table, "path", context + "directory.")};
    }
    index = 0;
    for (const toml::table* entry : reader.tables(*table, "dependencies", context)) {
      const std::string where = fmt::format("{}dependencies[{}].", context, index++);
      // PEP 751 lets a dependency be identified by any keys of the package it points at; the
      // name is the one that matters here.
      if (auto dependency_name = reader.string(*entry, "name", where)) {
        LockedDependency dependency = make_dependency(std::move(*dependency_name));
        dependency.version = reader.string(*entry, "version", where).value_or("");
        package.dependencies.push_back(std::move(dependency));
      }
    }
    lock.packages.push_back(std::move(package));
  }
  return lock;
}

namespace {

// ---------------------------------------------------------------------------------------------
// poetry.lock: [[package]] with name, version, files = [{file, hash}] (no sizes, no URLs: the
// files come from the package's source, PyPI unless [package.source] says otherwise),
// [package.dependencies] and [package.extras]; lock-version 2.1 adds `groups` and `markers`.

std::string poetry_markers(const TomlReader& reader, const toml::table& package,
                           std::string_view context) {
  const toml::node* node = package.get("markers");
  if (!node) return "";
  if (const auto* text = node->as_string()) return text->get();
  // Per group ({main = "...", dev = "..."}): installed when any group's marker holds.
  const toml::table& table = reader.table(*node, fmt::format("{}markers", context));
  std::vector<std::string> each;
  for (const auto& [group, marker] : table)
    if (const auto* text = marker.as_string()) each.push_back(text->get());
  std::sort(each.begin(), each.end());
  each.erase(std::unique(each.begin(), each.end()), each.end());
  if (each.size() == 1) return each.front();
  std::string joined;
  for (const std::string& marker : each) joined += (joined.empty() ? "(" : " or (") + marker + ")";
  return joined;
}

// One `name = ...` of [package.dependencies]: a constraint string, a table with version,
// markers, extras and optional, or an array of such tables (one per environment).
void add_poetry_dependency(const TomlReader& reader, const std::string& name,
                           const toml::node& value, std::string_view context,
                           std::vector<LockedDependency>& out) {
  const auto add_table = [&](const toml::table& table) {
    LockedDependency dependency = make_dependency(name);
    dependency.marker = reader.string(table, "markers", context).value_or("");
    for (std::string& extra : reader.strings(table, "extras", context))
      dependency.extras.insert(std::move(extra));
    const toml::node* optional = table.get("optional");
    if (optional && optional->value<bool>().value_or(false)) dependency.for_extra = "*";
    out.push_back(std::move(dependency));
  };
  if (value.is_string()) {
    out.push_back(make_dependency(name));
  } else if (const toml::table* table = value.as_table()) {
    add_table(*table);
  } else if (const toml::array* array = value.as_array()) {
    for (const toml::node& element : *array)
      add_table(reader.table(element, fmt::format("{}{}", context, name)));
  } else {
    reader.fail(value.source(),
                fmt::format("{}{} must be a string, a table or an array", context, name));
  }
}

}  // namespace

LockFile parse_poetry_lock(std::string_view text, const std::string& file_name) {
  const TomlReader reader(file_name);
  const toml::table document = reader.parse(text);
  LockFile lock;
  lock.kind = InputKind::poetry_lock;
  for (const toml::table* table : reader.tables(document, "package", "")) {
    const std::string at = fmt::format("package[{}].", lock.packages.size());
    const std::string name = reader.required_string(*table, "name", at);
    const std::string context = fmt::format("package '{}': ", name);
    LockedPackage package = make_package(name, reader.required_string(*table, "version", context));
    package.marker = poetry_markers(reader, *table, context);
    if (const toml::node* source = table->get("source")) {
      const toml::table& source_table = reader.table(*source, context + "source");
      const std::string type =
          reader.string(source_table, "type", context + "source.").value_or("");
      std::string url = reader.string(source_table, "url", context + "source.").value_or("");
      // Poetry's source types: legacy (an index), git, url, file (an archive), directory.
      if (type == "legacy")
        package.source = {"registry", std::move(url)};
      else if (type == "file")
        package.source = {"path", std::move(url)};
      else if (type == "directory") {
        const toml::node* develop = table->get("develop");
        package.source = {
            develop && develop->value<bool>().value_or(false) ? "editable" : "directory",
            std::move(url)};
      } else
        package.source = {type, std::move(url)};
    }
    std::size_t index = 0;
    for (const toml::table* entry : reader.tables(*table, "files", context)) {
      const std::string where = fmt::format("{}files[{}].", context, index++);
      LockedFile file;
      file.filename = reader.required_string(*entry, "file", where);
      file.hash = reader.string(*entry, "hash", where).value_or("");
      file.url = reader.string(*entry, "url", where).value_or("");
      add_file(package, std::move(file));
    }
    if (const toml::node* dependencies = table->get("dependencies")) {
      const toml::table& dependency_table = reader.table(*dependencies, context + "dependencies");
      for (const auto& [dependency_name, value] : dependency_table)
        add_poetry_dependency(reader, std::string(dependency_name.str()), value,
                              context + "dependencies.", package.dependencies);
    }
    // [package.extras] says which extra brings each optional dependency ("PySocks (>=1.5.6)").
    if (const toml::node* extras = table->get("extras")) {
      const toml::table& extras_table = reader.table(*extras, context + "extras");
      for (const auto& [extra, requirements] : extras_table)
        for (const std::string& requirement :
             reader.strings(extras_table, extra.str(), context + "extras.")) {
          std::string_view requirement_name = requirement;
          requirement_name =
              requirement_name.substr(0, requirement_name.find_first_of(" ([;<>=!~"));
          const std::string wanted = packaging::normalize_name(requirement_name);
          for (LockedDependency& dependency : package.dependencies)
            if (dependency.normalized_name == wanted && dependency.for_extra == "*")
              dependency.for_extra = std::string(extra.str());
        }
    }
    for (std::string& group : reader.strings(*table, "groups", context))
      package.groups.push_back(std::move(group));
    if (auto category = reader.string(*table, "category", context))
      package.groups.push_back(std::move(*category));
    lock.packages.push_back(std::move(package));
  }
  if (lock.packages.empty() && !document.contains("metadata"))
    reader.fail("no [[package]] tables and no [metadata]: not a poetry.lock");
  return lock;
}

namespace {

// ---------------------------------------------------------------------------------------------
// pip's installation report (https://pip.pypa.io/en/stable/reference/installation-report/):
// {"version": "1", "install": [{"metadata": {...}, "download_info": {"url", "archive_info" |
// "dir_info" | "vcs_info"}, "requested", "is_direct"}], "environment": {...}}. Its
// download_info is PEP 610's direct_url.json layout.

// 1-based line and column of a byte offset, for JSON syntax errors.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string json_string(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// PEP 610 archive_info: "hashes" ({"sha256": hex}) or the older "hash" ("sha256=hex").
std::string archive_hash(const nlohmann::json& archive_info) {
  if (!archive_info.is_object()) return "";
  const auto hashes = archive_info.find("hashes");
  if (hashes != archive_info.end() && hashes->is_object()) {
    for (const char* algorithm : {"sha256", "sha384", "sha512"}) {
      const std::string digest = json_string(*hashes, algorithm);
      if (!digest.empty()) return fmt::format("{}:{}", algorithm, digest);
    }
    for (const auto& [algorithm, digest] : hashes->items())
      if (digest.is_string()) return fmt::format("{}:{}", algorithm, digest.get<std::string>());
  }
  std::string legacy = json_string(archive_info, "hash");
  if (const std::size_t equals = legacy.find('='); equals != std::string::npos)
    legacy[equals] = ':';
  return legacy;
}

}  // namespace

LockFile parse_pip_report(std::string_view text, const std::string& file_name) {
  if (const std::optional<std::size_t> at = json_too_deep_at(text)) {
    const auto [line, column] = line_and_column(text, *at);
    throw LockFileError(fmt::format("{}:{}:{}: JSON nested more than {} deep", file_name, line,
                                    column, kMaxJsonNesting));
  }
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    const auto [line, column] = line_and_column(text, error.byte == 0 ? 0 : error.byte - 1);
    // nlohmann's what() starts with "[json.exception.parse_error.101] parse error at line ..."
    std::string what = error.what();
    if (const std::size_t colon = what.find(": "); colon != std::string::npos)
      what = what.substr(colon + 2);
    throw LockFileError(fmt::format("{}:{}:{}: {}", file_name, line, column, what));
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double's range (1e400)
    throw LockFileError(fmt::format("{}: not JSON: a number out of range", file_name));
  }
  const auto fail = [&](const std::string& what) -> void {
    throw LockFileError(fmt::format("{}: {}", file_name, what));
  };
  if (!document.is_object()) fail("not a pip installation report: expected a JSON object");
  const auto install = document.find("install");
  if (install == document.end() || !install->is_array())
    fail("not a pip installation report: no \"install\" array");
  const std::string version = json_string(document, "version");
  if (!version.empty() && version != "0" && version != "1")
    fail(fmt::format("unsupported report version '{}' (pkgsizer reads version 1)", version));

  LockFile lock;
  lock.kind = InputKind::pip_report;
  for (std::size_t i = 0; i < install->size(); ++i) {
    const nlohmann::json& item = (*install)[i];
    const std::string at = fmt::format("install[{}]", i);
    if (!item.is_object()) fail(at + ": expected an object");
    const auto metadata = item.find("metadata");
    if (metadata == item.end() || !metadata->is_object()) fail(at + ": metadata is missing");
    const std::string name = json_string(*metadata, "name");
    if (name.empty()) fail(at + ": metadata.name is missing");
    LockedPackage package = make_package(name, json_string(*metadata, "version"));
    const auto requested = item.find("requested");
    package.requested =
        requested != item.end() && requested->is_boolean() && requested->get<bool>();

    const auto download = item.find("download_info");
    if (download != item.end() && download->is_object()) {
      const std::string url = json_string(*download, "url");
      if (const auto vcs = download->find("vcs_info"); vcs != download->end()) {
        package.source = {"git", url};
      } else if (const auto dir = download->find("dir_info"); dir != download->end()) {
        const auto editable = dir->find("editable");
        const bool is_editable =
            editable != dir->end() && editable->is_boolean() && editable->get<bool>();
        package.source = {is_editable ? "editable" : "directory", url};
      } else {
        LockedFile file;
        file.url = url;
        file.filename = filename_from_url(url);
        if (const auto archive = download->find("archive_info"); archive != download->end())
          file.hash = archive_hash(*archive);
        const auto direct = item.find("is_direct");
        const bool is_direct = direct != item.end() && direct->is_boolean() && direct->get<bool>();
        package.source = {is_direct ? "url" : "registry", is_direct ? url : ""};
        add_file(package, std::move(file));
      }
    }

    const auto requires_dist = metadata->find("requires_dist");
    if (requires_dist != metadata->end() && requires_dist->is_array()) {
      for (const nlohmann::json& entry : *requires_dist) {
        if (!entry.is_string()) continue;
        packaging::Requirement requirement;
        try {
          requirement = packaging::Requirement::parse(entry.get<std::string>());
        } catch (const packaging::RequirementError& error) {
          fail(fmt::format("{} ({}): requires_dist: {}", at, name, error.what()));
        }
        LockedDependency dependency = make_dependency(requirement.name);
        dependency.extras = requirement.extras;
        if (requirement.marker) dependency.marker = requirement.marker->str();
        package.dependencies.push_back(std::move(dependency));
      }
    }
    lock.packages.push_back(std::move(package));
  }

  // The marker values pip resolved for: the report's answer to "for which machine?".
  const auto environment = document.find("environment");
  if (environment != document.end() && environment->is_object()) {
    packaging::MarkerEnvironment values;
    const auto set = [&](const char* key, std::string& field) {
      if (const auto found = environment->find(key);
          found != environment->end() && found->is_string())
        field = found->get<std::string>();
    };
    set("implementation_name", values.implementation_name);
    set("implementation_version", values.implementation_version);
    set("os_name", values.os_name);
    set("platform_machine", values.platform_machine);
    set("platform_python_implementation", values.platform_python_implementation);
    set("platform_release", values.platform_release);
    set("platform_system", values.platform_system);
    set("platform_version", values.platform_version);
    set("python_full_version", values.python_full_version);
    set("python_version", values.python_version);
    set("sys_platform", values.sys_platform);
    lock.environment = std::move(values);
  }
  return lock;
}

std::string_view input_kind_name(InputKind kind) {
  switch (kind) {
    case InputKind::requirements_txt:
      return "requirements.txt";
    case InputKind::uv_lock:
      return "uv.lock";
    case InputKind::pylock_toml:
      return "pylock.toml";
    case InputKind::poetry_lock:
      return "poetry.lock";
    case InputKind::pip_report:
      return "pip report";
  }
  return "unknown";
}

InputKind detect_input_kind(std::string_view path, std::string_view text) {
  const std::string name = lowercase(basename(path));
  if (name == "uv.lock") return InputKind::uv_lock;
  if (name == "poetry.lock") return InputKind::poetry_lock;
  // PEP 751: pylock.toml, or pylock.NAME.toml with NAME free of dots.
  if (name.starts_with("pylock.") && name.ends_with(".toml") &&
      (name == "pylock.toml" ||
       (name.size() > 12 && name.substr(7, name.size() - 12).find('.') == std::string::npos)))
    return InputKind::pylock_toml;
  if (name.ends_with(".json")) return InputKind::pip_report;

  const std::string_view content = trim_front(text);
  if (content.starts_with('{') && content.find("\"install\"") != std::string_view::npos)
    return InputKind::pip_report;
  if (content.find("[[packages]]") != std::string_view::npos &&
      content.find("lock-version") != std::string_view::npos)
    return InputKind::pylock_toml;
  if (content.find("@generated by Poetry") != std::string_view::npos ||
      (content.find("[metadata]") != std::string_view::npos &&
       content.find("content-hash") != std::string_view::npos))
    return InputKind::poetry_lock;
  if (content.find("[[package]]") != std::string_view::npos &&
      (content.starts_with("version = ") || content.find("source = {") != std::string_view::npos))
    return InputKind::uv_lock;
  return InputKind::requirements_txt;
}

LockFile parse_lock_file(InputKind kind, std::string_view text, const std::string& file_name) {
  switch (kind) {
    case InputKind::uv_lock:
      return parse_uv_lock(text, file_name);
    case InputKind::pylock_toml:
      return parse_pylock(text, file_name);
    case InputKind::poetry_lock:
      return parse_poetry_lock(text, file_name);
    case InputKind::pip_report:
      return parse_pip_report(text, file_name);
    case InputKind::requirements_txt:
      break;
  }
  throw std::invalid_argument("a requirements file is not a lock file");
}

std::string filename_from_url(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const std::string_view segment =
      url.substr(url.rfind('/') == std::string_view::npos ? 0 : url.rfind('/') + 1);
  std::string decoded;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (segment[i] == '%' && i + 2 < segment.size() && hex(segment[i + 1]) >= 0 &&
        hex(segment[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(hex(segment[i + 1]) * 16 + hex(segment[i + 2])));
      i += 2;
    } else {
      decoded.push_back(segment[i]);
    }
  }
  return decoded;
}

}  // namespace pkgsizer::predict
