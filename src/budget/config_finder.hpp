// Where a budget lives when no --config names it: the nearest pkgsizer.toml, or pyproject.toml
// with a [tool.pkgsizer] table, in the start directory or one of its parents (as ruff and
// black find theirs). The only part of the budget module that reads the disk.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace pkgsizer::budget {

// Walks up from `start_dir` to the filesystem root. In each directory a pkgsizer.toml wins over
// a pyproject.toml; a pyproject.toml without [tool.pkgsizer] is passed over.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& start_dir);

// Whether a pyproject.toml's text has a [tool.pkgsizer] table. A file that is not valid TOML
// counts when it mentions tool.pkgsizer at all, so that its syntax error is reported rather
// than the file silently skipped. Pure.
bool pyproject_has_pkgsizer(std::string_view text);

}  // namespace pkgsizer::budget
