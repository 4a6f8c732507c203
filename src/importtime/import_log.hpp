// The text `python -X importtime` writes to standard error, parsed into import trees.
// Format (CPython Python/import.c): a header "import time: self [us] | cumulative | imported
// package" once, then one line per import, "import time: %9ld | %10ld | <2 spaces per depth>name",
// written when the import finishes: children come before their parent (post-order). Python 3.14's
// `-X importtime=2` also writes a line for a module found already imported, with "cached" in
// both number fields. Any other line (a warning printed while importing) is kept aside.
// The text is untrusted (tests/fuzz/import_log_fuzzer.cpp): nothing in it can crash the parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::importtime {

inline constexpr std::size_t kNoParent = static_cast<std::size_t>(-1);

struct ImportNode {
  std::string name;  // the dotted module name
  std::int64_t self_us = 0;
  std::int64_t cumulative_us = 0;
  bool cached = false;  // an `-X importtime=2` line of a module already imported: no times
  int depth = 0;
  std::size_t parent = kNoParent;
  std::vector<std::size_t> children;  // in import order
};

struct ImportLog {
  std::vector<ImportNode> nodes;         // in the order of the log (post-order)
  std::vector<std::size_t> roots;        // depth-0 imports (and orphans), in import order
  std::vector<std::string> other_lines;  // lines that are not import-time lines, in order
  bool header_seen = false;
};

// Depths deeper than this are kept at this depth (a hostile log cannot make the parser allocate
// per level of indentation).
inline constexpr int kMaxDepth = 1000;

// Parses the whole text. Never throws for bad content: a line that does not parse goes to
// other_lines. A child whose parent line never came (a failed import) becomes a child of the
// next shallower line, or a root.
ImportLog parse_import_log(std::string_view text);

// The node indices in pre-order (each parent before its children, roots in import order).
std::vector<std::size_t> preorder(const ImportLog& log);

}  // namespace pkgsizer::importtime
