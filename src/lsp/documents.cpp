#include "lsp/documents.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <map>

#include "lsp/text_position.hpp"
#include "packaging/name.hpp"
#include "packaging/requirement.hpp"
#include "predict/lock_files.hpp"
#include "predict/requirements_file.hpp"
#include "util/text.hpp"

namespace pkgsizer::lsp {

namespace {

// A requirements file with more bad lines than this is not being typed: it is something else.
constexpr std::size_t kMaxBadLines = 50;

bool name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// The byte offset of `name` in `line` at or after `from`, as a whole word of a distribution
// name (PEP 508 names: letters, digits, . _ -), case-insensitively.
std::optional<std::size_t> find_name(std::string_view line, std::string_view name,
                                     std::size_t from) {
  if (name.empty()) return std::nullopt;
  for (std::size_t at = from; at + name.size() <= line.size(); ++at) {
    if (at > 0 && name_character(line[at - 1])) continue;
    if (at + name.size() < line.size() && name_character(line[at + name.size()])) continue;
    if (iequals(line.substr(at, name.size()), name)) return at;
  }
  return std::nullopt;
}

struct Lines {
  explicit Lines(std::string_view text) : lines(split_lines(text)) {}
  std::vector<std::string_view> lines;

  // Fills the span's line and UTF-16 range from a byte offset on line `line`.
  void place(RequirementSpan& span, std::size_t line, std::size_t byte_offset) const {
    span.line = line;
    span.start = utf16_length(lines[line].substr(0, byte_offset));
    span.end = span.start + utf16_length(lines[line].substr(byte_offset, span.name.size()));
  }
};

std::string predictable(const packaging::Requirement& requirement) {
  // No marker (it may not hold here: the size is still worth showing), no URL (not an index's).
  return requirement.name + requirement.specifier.str();
}

RequirementSpan span_of(const packaging::Requirement& requirement) {
  RequirementSpan span;
  span.name = requirement.name;
  span.normalized_name = packaging::normalize_name(requirement.name);
  span.requirement = predictable(requirement);
  return span;
}

// pip's logical line starts at `first` (zero-based) and goes on while a line ends in '\'. The
// name is before any comment (" #", pip's rule), so a name in a comment is not taken.
std::optional<std::pair<std::size_t, std::size_t>> locate_in_logical_line(const Lines& lines,
                                                                          std::size_t first,
                                                                          std::string_view name) {
  for (std::size_t line = first; line < lines.lines.size(); ++line) {
    std::string_view text = lines.lines[line];
    const std::size_t comment = text.find(" #");
    const std::size_t code_end =
        text.starts_with("#") ? 0 : (comment == std::string_view::npos ? text.size() : comment);
    if (const auto at = find_name(text.substr(0, code_end), name, 0))
      return std::make_pair(line, *at);
    if (!trim(text).ends_with('\\')) break;
  }
  return std::nullopt;
}

DocumentRequirements read_requirements_txt(std::string_view text, const std::string& file_name) {
  DocumentRequirements result;
  const Lines lines(text);
  // The parser stops at the first bad line; while a line is being typed, the others still
  // deserve their hints. So a bad line is blanked and the text parsed again.
  std::vector<std::string> working(lines.lines.begin(), lines.lines.end());
  auto joined = [&working] {
    std::string out;
    for (const std::string& line : working) out += line + "\n";
    return out;
  };
  const predict::FileLoader no_includes = [](const std::string&) -> std::optional<std::string> {
    return std::string();
  };
  for (std::size_t attempt = 0; attempt <= kMaxBadLines; ++attempt) {
    try {
      const predict::RequirementsFile file =
          predict::parse_requirements_file(joined(), file_name, no_includes);
      for (const predict::RequirementLine& line : file.requirements) {
        if (line.where.file != file_name || line.where.line == 0) continue;
        RequirementSpan span = span_of(line.requirement);
        if (const auto at = locate_in_logical_line(lines, line.where.line - 1, span.name)) {
          lines.place(span, at->first, at->second);
          result.requirements.push_back(std::move(span));
        }
      }
      return result;
    } catch (const predict::RequirementsFileError& error) {
      const std::size_t bad = error.where().line;
      if (bad == 0 || bad > working.size() || working[bad - 1].empty()) return result;
      result.problems.push_back({bad - 1, error.problem()});
      working[bad - 1].clear();
    }
  }
  return result;
}

std::size_t line_of(const toml::node& node) {
  const auto line = node.source().begin.line;
  return line > 0 ? static_cast<std::size_t>(line - 1) : 0;
}
std::size_t column_of(const toml::node& node) {
  const auto column = node.source().begin.column;
  return column > 0 ? static_cast<std::size_t>(column - 1) : 0;
}

// An array of PEP 508 strings ([project] dependencies, an extra, a dependency group); tables in
// it (`{include-group = "x"}`) are not requirements.
void read_requirement_array(const toml::node* node, const Lines& lines,
                            DocumentRequirements& result) {
  const toml::array* array = node ? node->as_array() : nullptr;
  if (!array) return;
  for (const toml::node& item : *array) {
    const auto text = item.value<std::string>();
    if (!text) continue;
    const std::size_t line = line_of(item);
    try {
      RequirementSpan span = span_of(packaging::Requirement::parse(*text));
      if (line >= lines.lines.size()) continue;
      // toml++ counts columns in characters, never more than bytes: a safe place to start.
      const std::size_t from = std::min(column_of(item), lines.lines[line].size());
      if (const auto at = find_name(lines.lines[line], span.name, from)) {
        lines.place(span, line, *at);
        result.requirements.push_back(std::move(span));
      }
    } catch (const packaging::RequirementError& error) {
      result.problems.push_back({line, error.what()});
    }
  }
}

// Poetry's tables of name = constraint; "python" is the interpreter, not a distribution.
void read_poetry_table(const toml::table* table, const Lines& lines, DocumentRequirements& result) {
  if (!table) return;
  for (const auto& [key, value] : *table) {
    const std::string name(key.str());
    if (name == "python") continue;
    const auto line_number = key.source().begin.line;
    const std::size_t line =
        line_number > 0 ? static_cast<std::size_t>(line_number - 1) : line_of(value);
    if (line >= lines.lines.size()) continue;
    RequirementSpan span;
    span.name = name;
    span.normalized_name = packaging::normalize_name(name);
    span.requirement = name;
    if (const auto at = find_name(lines.lines[line], name, 0)) {
      lines.place(span, line, *at);
      result.requirements.push_back(std::move(span));
    }
  }
}

DocumentRequirements read_pyproject(std::string_view text, const std::string& file_name) {
  DocumentRequirements result;
  const Lines lines(text);
  toml::table document;
  try {
    document = toml::parse(text, file_name);
  } catch (const toml::parse_error& error) {
    const auto line = error.source().begin.line;
    result.problems.push_back(
        {line > 0 ? static_cast<std::size_t>(line - 1) : 0, std::string(error.description())});
    return result;
  }
  read_requirement_array(document["project"]["dependencies"].node(), lines, result);
  if (const toml::table* extras = document["project"]["optional-dependencies"].as_table())
    for (const auto& [extra, list] : *extras) read_requirement_array(&list, lines, result);
  if (const toml::table* groups = document["dependency-groups"].as_table())
    for (const auto& [group, list] : *groups) read_requirement_array(&list, lines, result);
  read_requirement_array(document["tool"]["uv"]["dev-dependencies"].node(), lines, result);
  read_poetry_table(document["tool"]["poetry"]["dependencies"].as_table(), lines, result);
  read_poetry_table(document["tool"]["poetry"]["dev-dependencies"].as_table(), lines, result);
  if (const toml::table* groups = document["tool"]["poetry"]["group"].as_table())
    for (const auto& [group, table] : *groups)
      if (const toml::table* group_table = table.as_table())
        read_poetry_table((*group_table)["dependencies"].as_table(), lines, result);
  std::stable_sort(result.requirements.begin(), result.requirements.end(),
                   [](const RequirementSpan& a, const RequirementSpan& b) {
                     return a.line != b.line ? a.line < b.line : a.start < b.start;
                   });
  return result;
}

// The lock parsers give packages in the order of the file without lines: each package's
// `name = "..."` line is the next one, after the previous package's, that names it.
DocumentRequirements read_lock(DocumentKind kind, std::string_view text,
                               const std::string& file_name) {
  DocumentRequirements result;
  const Lines lines(text);
  predict::LockFile lock;
  try {
    lock = predict::parse_lock_file(kind == DocumentKind::kUvLock ? predict::InputKind::uv_lock
                                                                  : predict::InputKind::pylock_toml,
                                    text, file_name);
  } catch (const predict::LockFileError& error) {
    result.problems.push_back({0, error.what()});
    return result;
  }
  std::size_t cursor = 0;
  for (const predict::LockedPackage& package : lock.packages) {
    RequirementSpan span;
    span.name = package.name;
    span.normalized_name = package.normalized_name;
    span.version = package.version;
    span.requirement =
        package.version.empty() ? package.name : package.name + "==" + package.version;
    for (const predict::LockedFile& wheel : package.wheels)
      if (wheel.size) {
        span.locked_download_bytes = wheel.size;
        break;
      }
    if (!span.locked_download_bytes && package.sdist)
      span.locked_download_bytes = package.sdist->size;
    for (std::size_t line = cursor; line < lines.lines.size(); ++line) {
      const std::string_view code = trim(lines.lines[line]);
      if (!code.starts_with("name")) continue;
      const std::string_view value = trim(code.substr(4));
      if (!value.starts_with('=')) continue;
      if (const auto at =
              find_name(lines.lines[line], package.name, lines.lines[line].size() - value.size())) {
        lines.place(span, line, *at);
        result.requirements.push_back(std::move(span));
        cursor = line + 1;
        break;
      }
    }
  }
  return result;
}

}  // namespace

DocumentKind document_kind(std::string_view path) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (name == "pyproject.toml") return DocumentKind::kPyproject;
  if (name == "uv.lock") return DocumentKind::kUvLock;
  if (name == "pylock.toml" || (name.starts_with("pylock.") && name.ends_with(".toml")))
    return DocumentKind::kPylock;
  if (name.starts_with("requirements") && (name.ends_with(".txt") || name.ends_with(".in")))
    return DocumentKind::kRequirements;
  return DocumentKind::kOther;
}

DocumentRequirements find_requirements(DocumentKind kind, std::string_view text,
                                       const std::string& file_name) {
  switch (kind) {
    case DocumentKind::kRequirements:
      return read_requirements_txt(text, file_name);
    case DocumentKind::kPyproject:
      return read_pyproject(text, file_name);
    case DocumentKind::kPylock:
    case DocumentKind::kUvLock:
      return read_lock(kind, text, file_name);
    case DocumentKind::kOther:
      break;
  }
  return {};
}

}  // namespace pkgsizer::lsp
