#include "packaging/name.hpp"

#include <cctype>

namespace pkgsizer::packaging {

std::string normalize_name(std::string_view name) {
  std::string normalized;
  normalized.reserve(name.size());
  bool in_separator_run = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_separator_run) normalized.push_back('-');
      in_separator_run = true;
    } else {
      normalized.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      in_separator_run = false;
    }
  }
  return normalized;
}

std::string escape_name(std::string_view name) {
  std::string escaped = normalize_name(name);
  for (char& c : escaped)
    if (c == '-') c = '_';
  return escaped;
}

}  // namespace pkgsizer::packaging
