#include "metadata/record.hpp"

#include <fmt/format.h>

#include <charconv>

namespace pkgsizer::metadata {
namespace {

// Splits one CSV record starting at `pos`; advances `pos` past its line end. Quoted fields may
// hold commas, doubled quotes and even newlines (RFC 4180), so lines are counted as we go.
bool read_csv_row(std::string_view text, std::size_t& pos, std::size_t& line,
                  std::vector<std::string>& fields, std::string& error) {
  fields.clear();
  std::string field;
  bool in_quotes = false;
  bool field_was_quoted = false;
  while (pos < text.size()) {
    const char c = text[pos];
    if (in_quotes) {
      if (c == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          field.push_back('"');
          pos += 2;
          continue;
        }
        in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      ++pos;
      continue;
    }
    if (c == '"' && field.empty() && !field_was_quoted) {
      in_quotes = field_was_quoted = true;
      ++pos;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      field_was_quoted = false;
      ++pos;
    } else if (c == '\r' || c == '\n') {
      pos += (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ? 2 : 1;
      fields.push_back(std::move(field));
      return true;
    } else {
      field.push_back(c);
      ++pos;
    }
  }
  if (in_quotes) {
    error = "unterminated quoted field";
    return false;
  }
  fields.push_back(std::move(field));
  return true;
}

bool looks_binary(std::string_view text) {
  for (char c : text)
    if (c == '\0') return true;
  return false;
}

}  // namespace

Record parse_record(std::string_view text) {
  Record record;
  if (looks_binary(text)) {
    record.unusable = true;
    record.errors.push_back({1, "binary data, not a CSV file"});
    return record;
  }
  std::size_t pos = 0;
  std::size_t line = 1;
  std::vector<std::string> fields;
  while (pos < text.size()) {
    const std::size_t row_line = line;
    std::string error;
    if (!read_csv_row(text, pos, line, fields, error)) {
      record.errors.push_back({row_line, error});
      break;
    }
    ++line;
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() > 3) {
      record.errors.push_back(
          {row_line, fmt::format("expected 3 fields (path,hash,size), found {}", fields.size())});
      continue;
    }
    RecordRow row;
    row.line = row_line;
    row.path = std::move(fields[0]);
    if (row.path.empty()) {
      record.errors.push_back({row_line, "empty path"});
      continue;
    }
    if (fields.size() > 2 && !fields[2].empty()) {
      const std::string& size_text = fields[2];
      std::uint64_t size = 0;
      const auto [end, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
      if (ec != std::errc() || end != size_text.data() + size_text.size()) {
        record.errors.push_back({row_line, fmt::format("bad size field '{}'", size_text)});
        continue;
      }
      row.size = size;
    }
    record.rows.push_back(std::move(row));
  }
  if (record.rows.empty() && !record.errors.empty()) record.unusable = true;
  return record;
}

}  // namespace pkgsizer::metadata
