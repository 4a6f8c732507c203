// The language server's documents, as typed: requirements files (a bad line is blanked and the
// text parsed again), pyproject.toml and lock files, each requirement located on its line. The
// first byte picks the kind. Every span must lie on a line of the text, within it.
#include <string>

#include "fuzz_target.hpp"
#include "lsp/documents.hpp"
#include "lsp/text_position.hpp"

using namespace pkgsizer::lsp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr DocumentKind kKinds[] = {DocumentKind::kRequirements, DocumentKind::kPyproject,
                                            DocumentKind::kUvLock, DocumentKind::kPylock};
  static constexpr const char* kNames[] = {"requirements.txt", "pyproject.toml", "uv.lock",
                                           "pylock.toml"};
  const std::size_t pick = data[0] % 4;
  const std::string_view text = pkgsizer::fuzz::as_text(data + 1, size - 1);
  const DocumentRequirements found = find_requirements(kKinds[pick], text, kNames[pick]);
  const std::vector<std::string_view> lines = split_lines(text);
  for (const RequirementSpan& span : found.requirements) {
    if (span.line >= lines.size() || span.start >= span.end ||
        span.end > utf16_length(lines[span.line]))
      __builtin_trap();
  }
  return 0;
}
