// `pkgsizer browse`: what the interactive view shows, without the terminal. The state of the
// navigation (which level, which row, sort key, apparent or disk bytes, search) and the screen
// as lines of text; browse_screen.cpp only draws these lines with ncurses and reads keys, so
// that everything here is tested without a terminal (tests/unit/browse/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace pkgsizer::browse {

enum class SortKey { kSize, kName, kFiles };

// One row of the current level: a distribution, a package or module, or the part of a
// distribution outside its module tree.
struct Entry {
  std::string name;
  std::string detail;  // the version of a distribution, the kind of a module node
  Size size;
  const std::vector<ModuleNode>* children = nullptr;  // null or empty: nothing to open
  std::optional<std::size_t> distribution;            // index, at the top level
};

class BrowserState {
 public:
  // `scan` may come without module trees (the scan cache keeps none): then opening a
  // distribution shows only its "(metadata, scripts)" row until attach_module_trees.
  explicit BrowserState(Scan scan);

  bool module_trees_attached() const { return trees_attached_; }
  // Copies each distribution's module tree from a scan of the same environment made with a
  // module depth (matched by metadata path). Only at the top level: the rows below point into
  // the trees.
  void attach_module_trees(const Scan& with_trees);

  // The rows of the current level, sorted and filtered by the search.
  const std::vector<Entry>& entries() const { return visible_; }
  std::size_t selected() const { return selected_; }
  std::size_t depth() const { return stack_.size(); }
  // "/" at the top, then "/numpy/numpy/core".
  std::string location() const;
  const Scan& scan() const { return scan_; }

  void move(long delta);  // clamped to the rows
  void move_to(std::size_t row);
  bool descend();  // into the selected row; false when it has nothing inside
  bool ascend();   // false at the top
  void cycle_sort();
  SortKey sort_key() const { return sort_; }
  void toggle_disk();
  bool disk() const { return disk_; }
  void set_search(std::string text);
  const std::string& search() const { return search_; }

  std::uint64_t bytes(const Size& size) const {
    return disk_ ? size.disk_bytes : size.apparent_bytes;
  }
  // The distribution the selection is in (the selected row at the top, the opened one below).
  std::optional<std::size_t> current_distribution() const;
  // Why the current distribution is installed: dependency paths from roots, one per line
  // (names printable; ASCII arrows unless utf8).
  std::vector<std::string> why_lines(bool utf8) const;

 private:
  struct Level {
    std::string name;
    std::vector<Entry> entries;
    std::size_t selected = 0;
    std::optional<std::size_t> distribution;
  };
  void refresh();  // sorts and filters the current level into visible_

  Scan scan_;
  std::vector<Entry> top_;
  std::vector<Level> stack_;  // the levels opened, below the top
  std::vector<Entry> visible_;
  std::size_t selected_ = 0;
  std::size_t top_selected_ = 0;
  SortKey sort_ = SortKey::kSize;
  bool disk_ = false;
  std::string search_;
  bool trees_attached_ = false;
};

// A bar `width` cells wide, `fraction` of it filled: eighth blocks in UTF-8, '#' otherwise.
std::string bar(double fraction, std::size_t width, bool utf8);

struct ScreenText {
  std::vector<std::string> lines;  // exactly `height` lines, none wider than `width` columns
  std::size_t selected_line = 0;   // the line drawn highlighted (0: none)
};

// The whole screen: a title line, the location, the rows, and a status line (`status` when
// not empty, else the key summary). Rows scroll to keep the selection in view.
ScreenText render_screen(const BrowserState& state, std::size_t width, std::size_t height,
                         bool utf8, const std::string& status = {});

// The help text, one line each.
std::vector<std::string> help_lines();

// A page of text (help, why) fitted to the screen, with "press any key" on the last line.
std::vector<std::string> render_page(const std::vector<std::string>& text, std::size_t width,
                                     std::size_t height, bool utf8);

}  // namespace pkgsizer::browse
