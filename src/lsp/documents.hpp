// The documents the language server reads, and where each requirement's name sits in them:
// requirements*.txt (predict's parser), pyproject.toml ([project] dependencies and
// optional-dependencies, [dependency-groups], [tool.uv] dev-dependencies,
// [tool.poetry.dependencies] and its groups), pylock.toml and uv.lock (predict's lock parsers,
// read-only). Pure: text in, spans out; positions in LSP's terms (text_position.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::lsp {

enum class DocumentKind { kRequirements, kPyproject, kPylock, kUvLock, kOther };

// From the file name: requirements*.txt (and *.in, pip-tools' input), pyproject.toml,
// pylock.toml / pylock.NAME.toml (PEP 751), uv.lock.
DocumentKind document_kind(std::string_view path);

struct RequirementSpan {
  std::string name;             // as written
  std::string normalized_name;  // PEP 503
  std::string requirement;      // name, extras and specifier, without the marker: what to predict
  std::size_t line = 0;         // zero-based
  std::size_t start = 0;        // UTF-16 offsets of the name on that line
  std::size_t end = 0;
  std::string version;  // lock files: the locked version
  // Lock files: the size of the file the lock records for the package (its first wheel, else
  // its sdist), when recorded.
  std::optional<std::uint64_t> locked_download_bytes;
};

struct DocumentProblem {
  std::size_t line = 0;  // zero-based
  std::string message;
};

struct DocumentRequirements {
  std::vector<RequirementSpan> requirements;  // in the order of the document
  std::vector<DocumentProblem> problems;      // a line that does not parse (while typing)
};

// `file_name` labels messages and resolves nothing: -r/-c includes are not followed (their
// requirements live in their own documents).
DocumentRequirements find_requirements(DocumentKind kind, std::string_view text,
                                       const std::string& file_name);

}  // namespace pkgsizer::lsp
