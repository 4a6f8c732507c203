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

bool looks_binary(std::string_view text) { return text.find('\0') != std::string_view::npos; }

// Most rows hold no quotes: they are split in place, without the general CSV reader.
bool split_plain_row(std::string_view line, std::vector<std::string_view>& fields) {
  if (line.find('"') != std::string_view::npos) return false;
  fields.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return true;
    }
    fields.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
}

// Turns one row's fields into a RecordRow, or explains why it cannot. `path` is where the
// path's characters live for as long as the record.
template <typename Field>
bool make_row(const std::vector<Field>& fields, std::size_t line, Record& record,
              std::string_view path) {
  if (fields.size() == 1 && std::string_view(fields[0]).empty()) return false;  // blank line
  if (fields.size() > 3) {
    record.errors.push_back(
        {line, fmt::format("expected 3 fields (path,hash,size), found {}", fields.size())});
    return false;
  }
  if (path.empty()) {
    record.errors.push_back({line, "empty path"});
    return false;
  }
  RecordRow row;
  row.line = line;
  row.path = path;
  if (fields.size() > 2 && !std::string_view(fields[2]).empty()) {
    const std::string_view size_text = fields[2];
    std::uint64_t size = 0;
    const auto [end, ec] =
        std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
    if (ec != std::errc() || end != size_text.data() + size_text.size()) {
      record.errors.push_back({line, fmt::format("bad size field '{}'", size_text)});
      return false;
    }
    row.size = size;
  }
  record.rows.push_back(std::move(row));
  return true;
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
  std::vector<std::string_view> plain_fields;
  std::vector<std::string> quoted_fields;
  while (pos < text.size()) {
    const std::size_t row_line = line;
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view row = text.substr(pos, end - pos);
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (split_plain_row(row, plain_fields)) {
      pos = end + 1;
      ++line;
      make_row(plain_fields, row_line, record, plain_fields.front());
      continue;
    }
    std::string error;  // PEP 376 allows CSV quoting: paths with commas or quotes
    if (!read_csv_row(text, pos, line, quoted_fields, error)) {
      record.errors.push_back({row_line, error});
      break;
    }
    ++line;
    const std::string_view path = quoted_fields.front().empty()
                                      ? std::string_view()
                                      : record.unquoted.emplace_back(quoted_fields.front());
    make_row(quoted_fields, row_line, record, path);
  }
  if (record.rows.empty() && !record.errors.empty()) record.unusable = true;
  return record;
}

}  // namespace pkgsizer::metadata
