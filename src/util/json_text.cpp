#include "util/json_text.hpp"

#include <fmt/format.h>

#include "util/text.hpp"

namespace pkgsizer {
namespace {

// In memory, byte 0xNN stands as U+10FF00+0xNN (the last 128 code points of plane 16, private
// use), which nlohmann writes and reads as any other character: UTF-8 F4 8F BE|BF 80..BF.
constexpr char32_t kByteBase = 0x10FF00;

void append_stand_in(unsigned char byte, std::string& out) {
  const char32_t code_point = kByteBase + byte;
  out += static_cast<char>(0xF0 | (code_point >> 18));
  out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
  out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (code_point & 0x3F));
}

// The byte a stand-in at text[at] stands for, or -1.
int stand_in_at(std::string_view text, std::size_t at) {
  if (at + 4 > text.size() || static_cast<unsigned char>(text[at]) != 0xF4 ||
      static_cast<unsigned char>(text[at + 1]) != 0x8F)
    return -1;
  const auto third = static_cast<unsigned char>(text[at + 2]);
  const auto fourth = static_cast<unsigned char>(text[at + 3]);
  if ((third != 0xBE && third != 0xBF) || (fourth & 0xC0) != 0x80) return -1;
  return static_cast<int>(((third & 0x3F) << 6 | (fourth & 0x3F)) & 0xFF);
}

bool is_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string with_stand_ins(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      append_stand_in(static_cast<unsigned char>(text[i]), out);
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string without_stand_ins(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (const int byte = stand_in_at(text, i); byte >= 0) {
      out += static_cast<char>(byte);
      i += 4;
    } else {
      out += text[i++];
    }
  }
  return out;
}

template <class Json>
bool all_utf8(const Json& value) {
  if (value.is_string()) return is_utf8(value.template get_ref<const std::string&>());
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it)
      if (!is_utf8(it.key()) || !all_utf8(it.value())) return false;
    return true;
  }
  if (value.is_array()) {
    for (const Json& element : value)
      if (!all_utf8(element)) return false;
  }
  return true;
}

template <class Json, class Convert>
Json converted(const Json& value, const Convert& convert) {
  if (value.is_string()) return convert(value.template get_ref<const std::string&>());
  if (value.is_array()) {
    Json array = Json::array();
    for (const Json& element : value) array.push_back(converted(element, convert));
    return array;
  }
  if (value.is_object()) {
    Json object = Json::object();
    for (auto it = value.begin(); it != value.end(); ++it)
      object[convert(it.key())] = converted(it.value(), convert);
    return object;
  }
  return value;
}

// The stand-ins of a dumped text as \udcNN escapes.
std::string escape_stand_ins(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (const int byte = stand_in_at(text, i); byte >= 0) {
      out += fmt::format("\\udc{:02x}", byte);
      i += 4;
    } else {
      out += text[i++];
    }
  }
  return out;
}

int hex_value(std::string_view digits) {
  int value = 0;
  for (const char c : digits) {
    const int digit = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// \udcNN escapes (of bytes 0x80..0xFF) not after a high surrogate: as the surrogate pair of the
// stand-in U+10FFNN, \udbff\udfNN, which the parser accepts. Backslashes occur in JSON text only
// inside strings, each starting an escape, so escapes are found by skipping from one to the next.
std::string pair_lone_byte_escapes(std::string_view text, bool& any) {
  std::string out;
  out.reserve(text.size());
  bool after_high_surrogate = false;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out += text[i++];
      after_high_surrogate = false;
      continue;
    }
    if (text[i + 1] != 'u' || i + 6 > text.size()) {
      out.append(text.substr(i, 2));
      i += 2;
      after_high_surrogate = false;
      continue;
    }
    const int unit = hex_value(text.substr(i + 2, 4));
    if (unit >= 0xDC80 && unit <= 0xDCFF && !after_high_surrogate) {
      out += fmt::format("\\udbff\\udf{:02x}", unit & 0xFF);
      any = true;
    } else {
      out.append(text.substr(i, 6));
    }
    after_high_surrogate = unit >= 0xD800 && unit <= 0xDBFF;
    i += 6;
  }
  return out;
}

template <class Json>
std::string dump_any(const Json& value, int indent) {
  if (all_utf8(value)) return value.dump(indent);
  return escape_stand_ins(converted(value, with_stand_ins).dump(indent));
}

}  // namespace

std::string dump_json(const nlohmann::json& value, int indent) { return dump_any(value, indent); }

std::string dump_json(const nlohmann::ordered_json& value, int indent) {
  return dump_any(value, indent);
}

nlohmann::json parse_json(std::string_view text) {
  bool any = false;
  std::string paired = pair_lone_byte_escapes(text, any);
  if (!any) return nlohmann::json::parse(text);
  return converted(nlohmann::json::parse(paired), without_stand_ins);
}

nlohmann::ordered_json number_or_null(const std::optional<std::uint64_t>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace pkgsizer
