#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
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

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

char32_t decode_utf8(std::string_view sequence) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(sequence[i]); };
  if (sequence.size() == 1) return byte(0);
  const unsigned char lead_bits = sequence.size() == 2 ? 0x1F : sequence.size() == 3 ? 0x0F : 0x07;
  char32_t code_point = byte(0) & lead_bits;
  for (std::size_t i = 1; i < sequence.size(); ++i)
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  return code_point;
}

// Code points that change how a terminal or a viewer shows the text around them.
bool is_hidden_control(char32_t code_point) {
  return (code_point >= 0x80 && code_point <= 0x9F) || code_point == 0x200E ||
         code_point == 0x200F || (code_point >= 0x202A && code_point <= 0x202E) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

void append_control(unsigned char c, std::string& out) {
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += fmt::format("\\x{:02x}", c);
  }
}

// The blanks .NET's String.TrimStart removes (Char.IsWhiteSpace), which the GitHub runner
// applies before it looks for "::".
bool is_unicode_blank(char32_t code_point) {
  return code_point == ' ' || (code_point >= 0x09 && code_point <= 0x0D) || code_point == 0x85 ||
         code_point == 0xA0 || code_point == 0x1680 ||
         (code_point >= 0x2000 && code_point <= 0x200A) || code_point == 0x2028 ||
         code_point == 0x2029 || code_point == 0x202F || code_point == 0x205F ||
         code_point == 0x3000;
}

// Where a line's text starts after its blanks.
std::size_t skip_blanks(std::string_view line) {
  std::size_t at = 0;
  while (at < line.size()) {
    const std::size_t length = std::max<std::size_t>(utf8_sequence_length(line, at), 1);
    if (!is_unicode_blank(decode_utf8(line.substr(at, length)))) break;
    at += length;
  }
  return at;
}

std::string neutralize_line(std::string_view line) {
  std::string out(line);
  const std::size_t start = skip_blanks(out);
  if (out.compare(start, 2, "::") == 0) out.replace(start, 2, "%3A%3A");
  for (std::size_t at = out.find("##["); at != std::string::npos; at = out.find("##[", at))
    out.replace(at, 3, "##%5B");
  for (std::size_t at = out.find('\r'); at != std::string::npos; at = out.find('\r', at))
    out.replace(at, 1, "\\r");
  return out;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  if (byte(at + 1) < second_min || byte(at + 1) > second_max) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (!is_continuation(byte(at + i))) return 0;
  return length;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      append_control(c, out);
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", c);  // not UTF-8: the byte's value
      ++i;
      continue;
    }
    const std::string_view sequence = text.substr(i, length);
    const char32_t code_point = decode_utf8(sequence);
    if (is_hidden_control(code_point))
      out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(code_point));
    else
      out.append(sequence);
    i += length;
  }
  return out;
}

std::string escape_markup_cell(std::string_view text) {
  std::string out;
  for (const char c : printable(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '|':
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '~':
      case '#':
      case '!':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_code_span(std::string_view text) {
  // A code span shows "<" as it is, but a reader that renders Markdown by other rules (or a
  // filter on the raw text) would not: such text is escaped instead.
  if (text.find_first_of("<>&") != std::string_view::npos) return escape_markup_cell(text);
  std::string content;
  std::size_t run = 0, longest_run = 0;
  for (const char c : printable(text)) {
    run = c == '`' ? run + 1 : 0;
    longest_run = std::max(longest_run, run);
    if (c == '|') content += '\\';
    content += c;
  }
  const std::string fence(longest_run + 1, '`');
  // A space on each side keeps a backtick at either end off the fence (CommonMark 6.1).
  const bool pad = !content.empty() && (content.front() == '`' || content.back() == '`');
  return pad ? fence + " " + content + " " + fence : fence + content + fence;
}

std::string neutralize_workflow_commands(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    out += neutralize_line(line);
    if (end == std::string_view::npos) break;
    out += '\n';
    start = end + 1;
  }
  return out;
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

bool is_all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;  // not a continuation byte
  return width;
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

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  return std::string(text.substr(0, max_bytes)) + "... (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace pkgsizer
