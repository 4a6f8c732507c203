#include "browse/browser_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "graph/paths.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"

namespace pkgsizer::browse {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Cut to `width` columns (one per code point, as display_width counts), "…" or "~" marking a cut.
std::string fit(std::string_view text, std::size_t width, bool utf8) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return {};
  std::size_t kept = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if (is_continuation(static_cast<unsigned char>(text[end]))) continue;
    if (kept == width - 1) break;
    ++kept;
  }
  return std::string(text.substr(0, end)) + (utf8 ? "…" : "~");
}

std::string pad(const std::string& text, std::size_t width) {
  const std::size_t used = display_width(text);
  return used >= width ? text : text + std::string(width - used, ' ');
}

std::string pad_left(const std::string& text, std::size_t width) {
  const std::size_t used = display_width(text);
  return used >= width ? text : std::string(width - used, ' ') + text;
}

// Names come from the environment: controls become visible escapes, and without a UTF-8
// locale every byte beyond ASCII becomes '?' (the terminal could not show it).
std::string shown(std::string_view name, bool utf8) {
  std::string text = printable(name);
  if (utf8) return text;
  std::string ascii;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80)
      ascii += text[i];
    else if (!is_continuation(byte))
      ascii += '?';
  }
  return ascii;
}

std::string symbols(const std::string& text, bool utf8) {
  return utf8 ? text : ascii_symbols(text);
}

std::vector<Entry> module_entries(const std::vector<ModuleNode>& nodes) {
  std::vector<Entry> entries;
  entries.reserve(nodes.size());
  for (const ModuleNode& node : nodes)
    entries.push_back(
        {node.name, std::string(to_string(node.kind)), node.size, &node.children, std::nullopt});
  return entries;
}

// What `whole` holds beyond its `parts`, never below zero.
Size remainder(const Size& whole, const std::vector<ModuleNode>& parts) {
  Size in_parts;
  for (const ModuleNode& node : parts) in_parts += node.size;
  Size rest;
  rest.apparent_bytes =
      whole.apparent_bytes - std::min(whole.apparent_bytes, in_parts.apparent_bytes);
  rest.disk_bytes = whole.disk_bytes - std::min(whole.disk_bytes, in_parts.disk_bytes);
  rest.file_count = whole.file_count - std::min(whole.file_count, in_parts.file_count);
  return rest;
}

// A package's rows: its children, and its own __init__.py (with its bytecode), which the module
// tree counts in the package and in no child.
std::vector<Entry> package_entries(const Entry& package) {
  std::vector<Entry> entries = module_entries(*package.children);
  const Size own = remainder(package.size, *package.children);
  if (own.apparent_bytes > 0 || own.file_count > 0)
    entries.push_back({"__init__.py", "the package itself", own, nullptr, std::nullopt});
  return entries;
}

// A distribution's rows: its module tree, and what the tree does not hold (the metadata
// directory, scripts, files outside site-packages), so that the rows add up to its size.
std::vector<Entry> distribution_entries(const Distribution& dist) {
  std::vector<Entry> entries = module_entries(dist.modules);
  const Size rest = remainder(dist.size, dist.modules);
  if (rest.apparent_bytes > 0 || rest.file_count > 0)
    entries.push_back({"(metadata, scripts)", "metadata", rest, nullptr, std::nullopt});
  return entries;
}

}  // namespace

BrowserState::BrowserState(Scan scan) : scan_(std::move(scan)) {
  trees_attached_ = std::any_of(scan_.distributions.begin(), scan_.distributions.end(),
                                [](const Distribution& dist) { return !dist.modules.empty(); });
  top_.reserve(scan_.distributions.size());
  for (std::size_t i = 0; i < scan_.distributions.size(); ++i) {
    const Distribution& dist = scan_.distributions[i];
    // A distribution always opens: at least its "(metadata, scripts)" row is inside.
    top_.push_back({dist.name, dist.version, dist.size, &dist.modules, i});
  }
  refresh();
}

void BrowserState::attach_module_trees(const Scan& with_trees) {
  if (!stack_.empty()) return;
  std::map<std::string, const Distribution*> by_metadata;
  for (const Distribution& dist : with_trees.distributions)
    by_metadata.emplace(dist.metadata_path, &dist);
  for (Distribution& dist : scan_.distributions)
    if (const auto found = by_metadata.find(dist.metadata_path); found != by_metadata.end())
      dist.modules = found->second->modules;
  trees_attached_ = true;
}

void BrowserState::refresh() {
  const std::vector<Entry>& all = stack_.empty() ? top_ : stack_.back().entries;
  visible_.clear();
  const std::string needle = lowercase(search_);
  for (const Entry& entry : all)
    if (needle.empty() || lowercase(entry.name).find(needle) != std::string::npos)
      visible_.push_back(entry);
  std::stable_sort(visible_.begin(), visible_.end(), [&](const Entry& a, const Entry& b) {
    switch (sort_) {
      case SortKey::kName:
        return lowercase(a.name) < lowercase(b.name);
      case SortKey::kFiles:
        return a.size.file_count > b.size.file_count;
      case SortKey::kSize:
        break;
    }
    return bytes(a.size) > bytes(b.size);
  });
  if (selected_ >= visible_.size()) selected_ = visible_.empty() ? 0 : visible_.size() - 1;
}

std::string BrowserState::location() const {
  std::string path;
  for (const Level& level : stack_) path += "/" + level.name;
  return path.empty() ? "/" : path;
}

void BrowserState::move(long delta) {
  if (visible_.empty()) return;
  const long last = static_cast<long>(visible_.size()) - 1;
  selected_ = static_cast<std::size_t>(std::clamp(static_cast<long>(selected_) + delta, 0L, last));
}

void BrowserState::move_to(std::size_t row) {
  selected_ = visible_.empty() ? 0 : std::min(row, visible_.size() - 1);
}

bool BrowserState::descend() {
  if (visible_.empty()) return false;
  const Entry entry = visible_[selected_];
  std::vector<Entry> inside;
  if (entry.distribution)
    inside = distribution_entries(scan_.distributions[*entry.distribution]);
  else if (entry.children != nullptr && !entry.children->empty())
    inside = package_entries(entry);
  if (inside.empty()) return false;
  if (stack_.empty())
    top_selected_ = selected_;
  else
    stack_.back().selected = selected_;
  const std::optional<std::size_t> distribution =
      entry.distribution ? entry.distribution : stack_.back().distribution;
  stack_.push_back({entry.name, std::move(inside), 0, distribution});
  search_.clear();
  selected_ = 0;
  refresh();
  return true;
}

bool BrowserState::ascend() {
  if (stack_.empty()) return false;
  stack_.pop_back();
  search_.clear();
  selected_ = stack_.empty() ? top_selected_ : stack_.back().selected;
  refresh();
  return true;
}

void BrowserState::cycle_sort() {
  sort_ = sort_ == SortKey::kSize   ? SortKey::kName
          : sort_ == SortKey::kName ? SortKey::kFiles
                                    : SortKey::kSize;
  refresh();
}

void BrowserState::toggle_disk() {
  disk_ = !disk_;
  refresh();
}

void BrowserState::set_search(std::string text) {
  search_ = std::move(text);
  selected_ = 0;
  refresh();
}

std::optional<std::size_t> BrowserState::current_distribution() const {
  if (!stack_.empty()) return stack_.back().distribution;
  if (visible_.empty()) return std::nullopt;
  return visible_[selected_].distribution;
}

std::vector<std::string> BrowserState::why_lines(bool utf8) const {
  const std::optional<std::size_t> target = current_distribution();
  if (!target) return {"No distribution selected."};
  const Distribution& dist = scan_.distributions[*target];
  std::vector<std::string> lines{
      fmt::format("Why {} {} is installed:", shown(dist.name, utf8), shown(dist.version, utf8))};
  if (dist.required_by.empty()) {
    lines.push_back(dist.root ? "  nothing requires it: it was installed directly (a root)"
                              : "  nothing installed requires it");
    return lines;
  }
  constexpr std::size_t kShown = 12;
  const graph::DependencyPaths found =
      graph::dependency_paths(scan_.distributions, *target, kShown);
  for (const std::vector<std::size_t>& path : found.paths) {
    std::string line = " ";
    for (std::size_t i = 0; i < path.size(); ++i)
      line += (i == 0 ? " "
               : utf8 ? " → "
                      : " -> ") +
              shown(scan_.distributions[path[i]].name, utf8);
    lines.push_back(line);
  }
  if (found.paths.empty())
    lines.push_back(fmt::format("  required by {} (no root reaches it: a cycle)",
                                shown(fmt::format("{}", fmt::join(dist.required_by, ", ")), utf8)));
  if (found.total > found.paths.size())
    lines.push_back(fmt::format("  {} and {}{} more paths", utf8 ? "…" : "...",
                                found.total_is_lower_bound ? "at least " : "",
                                found.total - found.paths.size()));
  return lines;
}

std::string bar(double fraction, std::size_t width, bool utf8) {
  fraction = std::clamp(std::isfinite(fraction) ? fraction : 0.0, 0.0, 1.0);
  if (!utf8) {
    const auto full = static_cast<std::size_t>(std::lround(fraction * static_cast<double>(width)));
    return std::string(full, '#') + std::string(width - full, ' ');
  }
  static constexpr std::array<const char*, 8> kEighths{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const auto eighths =
      static_cast<std::size_t>(std::lround(fraction * static_cast<double>(width) * 8));
  const std::size_t full = eighths / 8;
  std::string out;
  for (std::size_t i = 0; i < full; ++i) out += "█";
  std::size_t used = full;
  if (eighths % 8 != 0 && used < width) {
    out += kEighths[eighths % 8];
    ++used;
  }
  return out + std::string(width - used, ' ');
}

ScreenText render_screen(const BrowserState& state, std::size_t width, std::size_t height,
                         bool utf8, const std::string& status) {
  ScreenText screen;
  if (height == 0) return screen;
  const Scan& scan = state.scan();
  const std::string where =
      scan.environment.prefix.empty() && !scan.environment.site_packages.empty()
          ? scan.environment.site_packages.front()
          : scan.environment.prefix;
  const char* sort_name = state.sort_key() == SortKey::kSize   ? "size"
                          : state.sort_key() == SortKey::kName ? "name"
                                                               : "files";
  // The path last: a narrow terminal cuts it, not the mode and the sort key.
  const std::string title =
      fmt::format("pkgsizer browse · {} · sort: {} · {}",
                  state.disk() ? "disk usage" : "apparent size", sort_name, shown(where, utf8));
  screen.lines.push_back(pad(fit(symbols(title, utf8), width, utf8), width));

  // At the top, the selection's total counts a file two distributions share once (as scan-env
  // does); below, the rows add up.
  Size total;
  for (const Entry& entry : state.entries()) total += entry.size;
  if (state.depth() == 0 && state.search().empty()) total = scan.totals.selected;
  std::string location =
      fmt::format("{}  {} in {} files", shown(state.location(), utf8),
                  format_size(state.bytes(total)), format_count(total.file_count));
  if (!state.search().empty())
    location += fmt::format("  (search: {})", shown(state.search(), utf8));
  screen.lines.push_back(fit(symbols(location, utf8), width, utf8));

  const std::size_t rows = height >= 3 ? height - 3 : 0;
  const std::vector<Entry>& entries = state.entries();
  std::uint64_t largest = 1;
  for (const Entry& entry : entries) largest = std::max(largest, state.bytes(entry.size));
  // Keep the selection in view: scroll by whole pages' worth as the selection moves.
  const std::size_t first = rows == 0 || state.selected() < rows ? 0 : state.selected() - rows + 1;
  const std::size_t bar_width = width >= 60 ? 20 : width >= 40 ? 10 : 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t index = first + r;
    if (index >= entries.size()) {
      screen.lines.emplace_back(
          r == 0 && entries.empty()
              ? (state.search().empty() ? " (empty)" : " (nothing matches the search)")
              : "");
      continue;
    }
    const Entry& entry = entries[index];
    const std::uint64_t bytes = state.bytes(entry.size);
    const bool opens = entry.distribution || (entry.children && !entry.children->empty());
    // '>' marks the selection also where reverse video does not show (a screen reader, a log).
    std::string line =
        (index == state.selected() ? ">" : " ") + pad_left(format_size(bytes), 8) + " ";
    const double share = total.apparent_bytes + total.disk_bytes == 0
                             ? 0
                             : static_cast<double>(bytes) / static_cast<double>(state.bytes(total));
    line += pad_left(fmt::format("{:.1f}%", 100 * share), 6) + " ";
    if (bar_width > 0)
      line += "[" +
              bar(static_cast<double>(bytes) / static_cast<double>(largest), bar_width, utf8) +
              "] ";
    line += pad_left(format_count(entry.size.file_count), 7) + "  ";
    std::string name = shown(entry.name, utf8) + (opens ? "/" : "");
    if (!entry.detail.empty()) name += "  " + shown(entry.detail, utf8);
    line += name;
    if (index == state.selected()) screen.selected_line = screen.lines.size();
    screen.lines.push_back(fit(line, width, utf8));
  }
  while (screen.lines.size() + 1 < height) screen.lines.emplace_back();
  const std::string keys =
      // Help and quit first: a narrow terminal cuts the end of the line.
      utf8 ? "? help  q quit  ↑↓ move  Enter open  ⌫ back  s sort  d disk/apparent  w why  / search"
           : "? help  q quit  Up/Dn move  Enter open  BS back  s sort  d disk/apparent  w why  "
             "/ search";
  if (height >= 2) screen.lines.push_back(fit(status.empty() ? keys : status, width, utf8));
  screen.lines.resize(height);
  return screen;
}

std::vector<std::string> help_lines() {
  return {"pkgsizer browse: the environment's distributions, largest first",
          "",
          "  Up/Down, k/j     move          PgUp/PgDn, Home/End   move further",
          "  Enter, Right     open the distribution, package or module",
          "  Backspace, Left  back up one level",
          "  s                sort by size, name or file count (in turn)",
          "  d                apparent size (du -b) or disk usage (du)",
          "  w                why the distribution is installed (dependency paths)",
          "  /                search this level by name (Enter keeps it, Esc clears it)",
          "  ?                this help",
          "  q                quit",
          "",
          "Sizes come from the scan cache when it is fresh (--refresh-cache rescans).",
          "Press any key to go back."};
}

std::vector<std::string> render_page(const std::vector<std::string>& text, std::size_t width,
                                     std::size_t height, bool utf8) {
  std::vector<std::string> lines;
  for (const std::string& line : text) {
    if (lines.size() + 1 >= height) break;
    lines.push_back(fit(line, width, utf8));
  }
  while (lines.size() + 1 < height) lines.emplace_back();
  if (height > 0) lines.push_back(fit("(any key: back)", width, utf8));
  return lines;
}

}  // namespace pkgsizer::browse
