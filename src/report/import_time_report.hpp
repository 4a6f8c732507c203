// `pkgsizer import-time` for people: the summary (per distribution, slowest modules and chains,
// lazy candidates), the indented tree (--tree), Markdown, and the comparison of two profiles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "importtime/profile.hpp"
#include "importtime/profile_diff.hpp"

namespace pkgsizer::report {

struct ImportTimeRenderOptions {
  bool tree = false;             // the cumulative tree instead of the slowest lists
  std::int64_t min_time_us = 0;  // --min-time: children below it are collapsed into one line
  std::size_t top = 10;          // rows of each "slowest" list
  bool color = false;
};

std::string render_import_time(const importtime::ImportProfile& profile,
                               const ImportTimeRenderOptions& options);
std::string render_import_time_markdown(const importtime::ImportProfile& profile,
                                        const ImportTimeRenderOptions& options);
std::string render_import_time_diff(const importtime::ProfileDiff& diff);

}  // namespace pkgsizer::report
