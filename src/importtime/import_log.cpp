#include "importtime/import_log.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace pkgsizer::importtime {
namespace {

constexpr std::string_view kPrefix = "import time:";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// A number field: digits (times in microseconds), or "cached" (3.14, -X importtime=2).
struct Field {
  std::int64_t value = 0;
  bool cached = false;
};

std::optional<Field> parse_field(std::string_view text) {
  text = trim(text);
  if (text == "cached") return Field{0, true};
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return Field{value, false};
}

struct Line {
  Field self;
  Field cumulative;
  int depth = 0;
  std::string_view name;
};

// One module line, or nothing. The name field is "<2*depth spaces>name", after the '|' and one
// space of separation.
std::optional<Line> parse_line(std::string_view line) {
  if (!line.starts_with(kPrefix)) return std::nullopt;
  line.remove_prefix(kPrefix.size());
  const std::size_t first_bar = line.find('|');
  if (first_bar == std::string_view::npos) return std::nullopt;
  const std::size_t second_bar = line.find('|', first_bar + 1);
  if (second_bar == std::string_view::npos) return std::nullopt;
  const auto self = parse_field(line.substr(0, first_bar));
  const auto cumulative = parse_field(line.substr(first_bar + 1, second_bar - first_bar - 1));
  if (!self || !cumulative) return std::nullopt;
  std::string_view rest = line.substr(second_bar + 1);
  if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  std::size_t spaces = 0;
  while (spaces < rest.size() && rest[spaces] == ' ') ++spaces;
  const std::string_view name = rest.substr(spaces);
  if (name.empty() || name.find_first_of(" \t|") != std::string_view::npos) return std::nullopt;
  const std::size_t depth = spaces / 2;
  return Line{*self, *cumulative,
              static_cast<int>(depth > static_cast<std::size_t>(kMaxDepth) ? kMaxDepth : depth),
              name};
}

bool is_header(std::string_view line) {
  return line.starts_with(kPrefix) && line.find("self [us]") != std::string_view::npos;
}

}  // namespace

ImportLog parse_import_log(std::string_view text) {
  ImportLog log;
  // pending[d]: finished lines at depth d whose parent line (at depth d - 1) has not come yet.
  std::vector<std::vector<std::size_t>> pending;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (is_header(line)) {
      log.header_seen = true;
      continue;
    }
    const std::optional<Line> parsed = parse_line(line);
    if (!parsed) {
      if (!trim(line).empty()) log.other_lines.emplace_back(line);
      continue;
    }
    const std::size_t index = log.nodes.size();
    ImportNode& node = log.nodes.emplace_back();
    node.name = std::string(parsed->name);
    node.self_us = parsed->self.value;
    node.cumulative_us = parsed->cumulative.value;
    node.cached = parsed->self.cached || parsed->cumulative.cached;
    node.depth = parsed->depth;
    const auto depth = static_cast<std::size_t>(parsed->depth);
    if (pending.size() < depth + 2) pending.resize(depth + 2);
    // Its children: everything pending deeper (deeper than depth + 1 only when a line between
    // them is missing), in the order they were imported.
    for (std::size_t deeper = depth + 1; deeper < pending.size(); ++deeper) {
      for (std::size_t child : pending[deeper]) {
        log.nodes[child].parent = index;
        log.nodes[index].children.push_back(child);
      }
      pending[deeper].clear();
    }
    // Lines of several depths were pending: put the children back in log order.
    std::vector<std::size_t>& children = log.nodes[index].children;
    std::sort(children.begin(), children.end());
    pending[depth].push_back(index);
  }
  for (const std::vector<std::size_t>& level : pending)
    for (std::size_t node : level) log.roots.push_back(node);
  std::sort(log.roots.begin(), log.roots.end());
  return log;
}

std::vector<std::size_t> preorder(const ImportLog& log) {
  std::vector<std::size_t> order;
  order.reserve(log.nodes.size());
  std::vector<std::size_t> stack(log.roots.rbegin(), log.roots.rend());
  while (!stack.empty()) {
    const std::size_t node = stack.back();
    stack.pop_back();
    order.push_back(node);
    const auto& children = log.nodes[node].children;
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  return order;
}

}  // namespace pkgsizer::importtime
