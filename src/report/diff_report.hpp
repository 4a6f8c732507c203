// `compare` as text, Markdown and JSON: views of a ScanDiff (compare/scan_diff.hpp). They only
// choose what to show (threshold, unchanged); every number comes from the diff.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "compare/scan_diff.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::report {

struct DiffOptions {
  // Say nothing of unchanged distributions (by default: their count, and in JSON the list).
  bool show_changes_only = false;
  // Hide entries whose |apparent delta| is below this (added and removed ones: their size).
  std::uint64_t threshold_bytes = 0;
  // Same-version changes (grown, shrunk) smaller than this are one line of text or Markdown —
  // two environments with the same versions differ mostly by compiled bytecode and caches —
  // and stay listed one by one in JSON. 0 lists each everywhere.
  std::uint64_t group_below_bytes = kDefaultGroupBelowBytes;
  static constexpr std::uint64_t kDefaultGroupBelowBytes = 1'000'000;  // 1 MB
};

// Sections Added / Removed / Upgraded / Downgraded / Changed / Grown / Shrunk, then
// "Net change: +3.70 MB (12 distributions → 13)". Colour only when options.color.
std::string render_diff_text(const compare::ScanDiff& diff, const DiffOptions& diff_options,
                             const RenderOptions& options);

// A summary line and one table row per shown change, for a PR comment.
std::string render_diff_markdown(const compare::ScanDiff& diff, const DiffOptions& diff_options,
                                 const RenderOptions& options);

// schema_version 1: before/after identification, one array per group, counts, net deltas.
nlohmann::ordered_json diff_to_json(const compare::ScanDiff& diff, const DiffOptions& diff_options);

// "+3.00 MB", "-512 B", "0 B".
std::string format_size_delta(std::int64_t delta, SizeUnits units);

}  // namespace pkgsizer::report
