#include "util/text.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <utility>

namespace pkgsizer {

std::string lowercase(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lowered;
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  // Three rows of the dynamic-programming table: the swap of neighbours looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  const std::size_t allowed = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
  std::optional<std::string> best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance <= allowed && distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string ascii_symbols(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> kSymbols[] = {
      {"→", "->"}, {"←", "<-"},    {"·", "|"}, {"…", "..."}, {"—", "-"}, {"–", "-"},  {"−", "-"},
      {"▲", "^"},  {"▼", "v"},     {"↑", "^"}, {"↓", "v"},   {"↕", "~"}, {"✚", "+"},  {"✖", "x"},
      {"◆", "*"},  {"├", "|"},     {"└", "`"}, {"│", "|"},   {"─", "-"}, {"┤", "|"},  {"┼", "+"},
      {"┬", "+"},  {"┴", "+"},     {"┌", "+"}, {"┐", "+"},   {"┘", "+"}, {"✅", "ok"}, {"❌", "FAIL"},
      {"⚠", "!"},  {"\uFE0F", ""}, {"█", "#"}, {"▇", "#"},   {"▆", "#"}, {"▅", "="},  {"▄", "="},
      {"▃", "-"},  {"▂", "_"},     {"▁", "_"}, {"∞", "inf"}, {"×", "x"}, {"≥", ">="}, {"≤", "<="},
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      out += text[i++];
      continue;
    }
    bool replaced = false;
    for (const auto& [symbol, ascii] : kSymbols)
      if (text.substr(i, symbol.size()) == symbol) {
        out += ascii;
        i += symbol.size();
        replaced = true;
        break;
      }
    if (!replaced) out += text[i++];
  }
  return out;
}

bool LineReader::next(std::string_view& line) {
  if (pos_ >= text_.size()) return false;
  std::size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = text_.size();
  line = text_.substr(pos_, end - pos_);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  pos_ = end + 1;
  return true;
}

}  // namespace pkgsizer
