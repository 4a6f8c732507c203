#include "budget/config_finder.hpp"

#include <toml++/toml.h>

#include "util/read_file.hpp"

namespace pkgsizer::budget {

namespace fs = std::filesystem;

bool pyproject_has_pkgsizer(std::string_view text) {
  try {
    const toml::table document = toml::parse(text);
    const toml::node* tool = document.get("tool");
    return tool && tool->is_table() && tool->as_table()->contains("pkgsizer");
  } catch (const toml::parse_error&) {
    return text.find("tool.pkgsizer") != std::string_view::npos;
  }
}

std::optional<fs::path> find_config(const fs::path& start_dir) {
  std::error_code error;
  fs::path directory = fs::absolute(start_dir, error);
  if (error) return std::nullopt;
  directory = directory.lexically_normal();
  while (true) {
    const fs::path own = directory / "pkgsizer.toml";
    if (fs::is_regular_file(own, error)) return own;
    const fs::path pyproject = directory / "pyproject.toml";
    if (fs::is_regular_file(pyproject, error)) {
      const std::optional<std::string> text = read_text_file(pyproject.string());
      if (text && pyproject_has_pkgsizer(*text)) return pyproject;
    }
    if (!directory.has_relative_path()) return std::nullopt;  // the root: nowhere further up
    directory = directory.parent_path();
  }
}

}  // namespace pkgsizer::budget
