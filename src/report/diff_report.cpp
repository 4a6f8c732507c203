#include "report/diff_report.hpp"

#include <fmt/format.h>

#include <array>

#include "pkgsizer/version.hpp"
#include "report/ansi_style.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"

namespace pkgsizer::report {
namespace {

using compare::ChangeKind;
using compare::DistributionChange;
using compare::ScanDiff;
using ordered = nlohmann::ordered_json;

struct Group {
  ChangeKind kind;
  const char* title;
  const char* marker;
  const char* key;  // in JSON, and the kind column of Markdown
  const char* color;
};

// The order of the report: what appeared and went first, then what moved, then what drifted.
constexpr std::array<Group, 7> kGroups{{
    {ChangeKind::kAdded, "Added", "✚", "added", kGreen},
    {ChangeKind::kRemoved, "Removed", "✖", "removed", kRed},
    {ChangeKind::kUpgraded, "Upgraded", "▲", "upgraded", kCyan},
    {ChangeKind::kDowngraded, "Downgraded", "▼", "downgraded", kMagenta},
    {ChangeKind::kChanged, "Changed version", "◆", "changed", kCyan},
    {ChangeKind::kGrown, "Grown", "↑", "grown", kYellow},
    {ChangeKind::kShrunk, "Shrunk", "↓", "shrunk", kGreen},
}};

struct Paint {
  bool color;
  std::string operator()(const char* style, const std::string& text) const {
    return color ? fmt::format("{}{}{}", style, text, kReset) : text;
  }
};

std::uint64_t magnitude(std::int64_t delta) {
  return delta < 0 ? 0 - static_cast<std::uint64_t>(delta) : static_cast<std::uint64_t>(delta);
}

bool shown(const DistributionChange& change, const DiffOptions& options) {
  return magnitude(change.apparent_delta()) >= options.threshold_bytes;
}

std::vector<const DistributionChange*> shown_entries(const std::vector<DistributionChange>& group,
                                                     const DiffOptions& options) {
  std::vector<const DistributionChange*> entries;
  for (const DistributionChange& change : group)
    if (shown(change, options)) entries.push_back(&change);
  return entries;
}

std::string plural(std::uint64_t count, const char* noun);

// A same-version drift that text and Markdown sum into one line (DiffOptions::group_below_bytes).
bool grouped(const DistributionChange& change, const DiffOptions& options) {
  return (change.kind == ChangeKind::kGrown || change.kind == ChangeKind::kShrunk) &&
         magnitude(change.apparent_delta()) < options.group_below_bytes;
}

// The entries shown one by one in text and Markdown.
std::vector<const DistributionChange*> listed_entries(const std::vector<DistributionChange>& group,
                                                      const DiffOptions& options) {
  std::vector<const DistributionChange*> entries;
  for (const DistributionChange* change : shown_entries(group, options))
    if (!grouped(*change, options)) entries.push_back(change);
  return entries;
}

struct Drift {
  std::size_t grown = 0, shrunk = 0;
  std::int64_t apparent_delta = 0;
  std::size_t count() const { return grown + shrunk; }
};

Drift grouped_drift(const ScanDiff& diff, const DiffOptions& options) {
  Drift drift;
  for (ChangeKind kind : {ChangeKind::kGrown, ChangeKind::kShrunk})
    for (const DistributionChange* change : shown_entries(diff.group(kind), options))
      if (grouped(*change, options)) {
        (kind == ChangeKind::kGrown ? drift.grown : drift.shrunk) += 1;
        drift.apparent_delta += change->apparent_delta();
      }
  return drift;
}

// "37 distributions of the same version changed by less than 1.00 MB each (30 grown, 7 shrunk):
// +2.31 MB in all", or "" when none did.
std::string drift_line(const Drift& drift, const DiffOptions& options, SizeUnits units) {
  if (drift.count() == 0) return "";
  return fmt::format(
      "{} of the same version changed by less than {} each ({} grown, {} shrunk): {} in all",
      plural(drift.count(), "distribution"), format_size(options.group_below_bytes, units),
      drift.grown, drift.shrunk, format_size_delta(drift.apparent_delta, units));
}

std::size_t hidden_count(const ScanDiff& diff, const DiffOptions& options) {
  std::size_t hidden = 0;
  for (const Group& group : kGroups)
    hidden += diff.group(group.kind).size() - shown_entries(diff.group(group.kind), options).size();
  return hidden;
}

std::string display_name(const DistributionChange& change) {
  return change.name_repeats ? fmt::format("{} (in {})", change.name, change.location)
                             : change.name;
}

std::string versions_of(const DistributionChange& change) {
  switch (change.kind) {
    case ChangeKind::kRemoved:
      return change.old_version;
    case ChangeKind::kUpgraded:
    case ChangeKind::kDowngraded:
    case ChangeKind::kChanged:
      return fmt::format("{} → {}", change.old_version, change.new_version);
    default:
      return change.new_version;
  }
}

}  // namespace

std::string format_size_delta(std::int64_t delta, SizeUnits units) {
  if (delta == 0) return format_size(0, units);
  return fmt::format("{}{}", delta > 0 ? "+" : "-", format_size(magnitude(delta), units));
}

namespace {

std::string plural(std::uint64_t count, const char* noun) {
  return fmt::format("{} {}{}", format_count(count), noun, count == 1 ? "" : "s");
}

std::string net_line(const ScanDiff& diff, SizeUnits units) {
  return fmt::format("Net change: {} ({} → {})",
                     format_size_delta(diff.net.apparent_delta(), units),
                     plural(diff.net.before_distributions, "distribution"),
                     format_count(diff.net.after_distributions));
}

// "80 unchanged · 3 changes below 1.00 MB not shown", or "" when there is nothing to say.
std::string footnote(const ScanDiff& diff, const DiffOptions& diff_options, SizeUnits units) {
  std::vector<std::string> notes;
  if (!diff_options.show_changes_only)
    notes.push_back(fmt::format("{} unchanged", format_count(diff.unchanged.size())));
  if (const std::size_t hidden = hidden_count(diff, diff_options); hidden > 0)
    notes.push_back(fmt::format("{} below {} not shown", plural(hidden, "change"),
                                format_size(diff_options.threshold_bytes, units)));
  return fmt::format("{}", fmt::join(notes, " · "));
}

// --- text

std::string text_sizes(const DistributionChange& change, const RenderOptions& options,
                       const Paint& paint) {
  if (change.kind == ChangeKind::kAdded)
    return format_size(change.new_size.apparent_bytes, options.units);
  if (change.kind == ChangeKind::kRemoved)
    return format_size(change.old_size.apparent_bytes, options.units);
  const std::int64_t delta = change.apparent_delta();
  const char* style = delta > 0 ? kYellow : (delta < 0 ? kGreen : kDim);
  return fmt::format("{} → {} {}", format_size(change.old_size.apparent_bytes, options.units),
                     format_size(change.new_size.apparent_bytes, options.units),
                     paint(style, fmt::format("({})", format_size_delta(delta, options.units))));
}

std::string text_section(const Group& group, const std::vector<const DistributionChange*>& entries,
                         const RenderOptions& options, const Paint& paint) {
  if (entries.empty()) return "";
  std::string out =
      fmt::format("\n{}\n", paint(kBold, fmt::format("{} ({})", group.title, entries.size())));
  for (const DistributionChange* change : entries)
    out += fmt::format("  {} {} {}: {}\n", paint(group.color, group.marker),
                       printable(display_name(*change)), printable(versions_of(*change)),
                       text_sizes(*change, options, paint));
  return out;
}

std::string side_summary(const compare::ScanIdentity& side, SizeUnits units) {
  return fmt::format("{} ({}, {})", side.source.empty() ? "?" : printable(side.source),
                     format_size(side.selected.apparent_bytes, units),
                     plural(side.distributions, "distribution"));
}

// --- Markdown

std::string markdown_row(const Group& group, const DistributionChange& change, SizeUnits units) {
  const std::string before =
      change.kind == ChangeKind::kAdded ? "–" : format_size(change.old_size.apparent_bytes, units);
  const std::string after = change.kind == ChangeKind::kRemoved
                                ? "–"
                                : format_size(change.new_size.apparent_bytes, units);
  return fmt::format("| {} {} | {} | {} | {} | {} | {} |\n", group.marker, group.key,
                     escape_markup_cell(display_name(change)),
                     escape_markup_cell(versions_of(change)), before, after,
                     format_size_delta(change.apparent_delta(), units));
}

// --- JSON

ordered identity_to_json(const compare::ScanIdentity& side) {
  return {{"source", side.source},
          {"created_at", side.created_at},
          {"tool_version", side.tool_version},
          {"environment",
           {{"kind", side.environment_kind},
            {"prefix", side.prefix},
            {"python_version", side.python_version}}},
          {"totals",
           {{"distributions", side.distributions},
            {"apparent_bytes", side.selected.apparent_bytes},
            {"disk_bytes", side.selected.disk_bytes},
            {"file_count", side.selected.file_count}}}};
}

ordered version_or_null(const std::string& version, bool present) {
  return present ? ordered(version) : ordered();
}

ordered change_to_json(const DistributionChange& change) {
  return {{"name", change.name},
          {"normalized_name", change.normalized_name},
          {"location", change.location},
          {"old_version", version_or_null(change.old_version, change.kind != ChangeKind::kAdded)},
          {"new_version", version_or_null(change.new_version, change.kind != ChangeKind::kRemoved)},
          {"old_apparent_bytes", change.old_size.apparent_bytes},
          {"new_apparent_bytes", change.new_size.apparent_bytes},
          {"old_disk_bytes", change.old_size.disk_bytes},
          {"new_disk_bytes", change.new_size.disk_bytes},
          {"delta_apparent_bytes", change.apparent_delta()},
          {"delta_disk_bytes", change.disk_delta()}};
}

ordered changes_to_json(const std::vector<const DistributionChange*>& entries) {
  ordered array = ordered::array();
  for (const DistributionChange* change : entries) array.push_back(change_to_json(*change));
  return array;
}

}  // namespace

std::string render_diff_text(const ScanDiff& diff, const DiffOptions& diff_options,
                             const RenderOptions& options) {
  const Paint paint{options.color};
  std::string out = fmt::format("Comparing {} → {}\n", side_summary(diff.before, options.units),
                                side_summary(diff.after, options.units));
  std::string sections;
  for (const Group& group : kGroups)
    sections +=
        text_section(group, listed_entries(diff.group(group.kind), diff_options), options, paint);
  if (const std::string drift =
          drift_line(grouped_drift(diff, diff_options), diff_options, options.units);
      !drift.empty())
    sections +=
        fmt::format("\n{}\n  {} {} (--group-below 0 lists them)\n",
                    paint(kBold, "Same version, small changes"), paint(kYellow, "↕"), drift);
  out += sections.empty() ? "\nNo distribution changed.\n" : sections;
  if (const std::string note = footnote(diff, diff_options, options.units); !note.empty())
    out += "\n" + paint(kDim, note) + "\n";
  return out + "\n" + paint(kBold, net_line(diff, options.units)) + "\n";
}

std::string render_diff_markdown(const ScanDiff& diff, const DiffOptions& diff_options,
                                 const RenderOptions& options) {
  std::string out =
      fmt::format("**{}** · {} → {}\n\n", net_line(diff, options.units),
                  escape_markup_cell(diff.before.source), escape_markup_cell(diff.after.source));
  std::string rows;
  for (const Group& group : kGroups)
    for (const DistributionChange* change : listed_entries(diff.group(group.kind), diff_options))
      rows += markdown_row(group, *change, options.units);
  const Drift drift = grouped_drift(diff, diff_options);
  if (drift.count() > 0)
    rows += fmt::format("| ↕ drift | {} | | | | {} |\n",
                        escape_markup_cell(drift_line(drift, diff_options, options.units)),
                        format_size_delta(drift.apparent_delta, options.units));
  if (rows.empty())
    out += "No distribution changed.\n";
  else
    out += "| | Distribution | Version | Before | After | Change |\n|---|---|---|--:|--:|--:|\n" +
           rows;
  if (const std::string note = footnote(diff, diff_options, options.units); !note.empty())
    out += "\n" + note + "\n";
  return out;
}

ordered diff_to_json(const ScanDiff& diff, const DiffOptions& diff_options) {
  ordered json = {{"schema_version", 1},
                  {"tool", {{"name", "pkgsizer"}, {"version", kVersion}}},
                  {"before", identity_to_json(diff.before)},
                  {"after", identity_to_json(diff.after)},
                  {"threshold_bytes", diff_options.threshold_bytes}};
  for (const Group& group : kGroups)
    json[group.key] = changes_to_json(shown_entries(diff.group(group.kind), diff_options));
  if (!diff_options.show_changes_only)
    json["unchanged"] = changes_to_json(shown_entries(diff.unchanged, {}));
  json["unchanged_count"] = diff.unchanged.size();
  json["hidden_count"] = hidden_count(diff, diff_options);
  // What text and Markdown sum into one line; the entries stay in "grown" and "shrunk".
  const Drift drift = grouped_drift(diff, diff_options);
  json["grouped"] = {{"below_bytes", diff_options.group_below_bytes},
                     {"count", drift.count()},
                     {"delta_apparent_bytes", drift.apparent_delta}};
  json["net"] = {{"apparent_bytes", diff.net.apparent_delta()},
                 {"disk_bytes", diff.net.disk_delta()},
                 {"distributions", diff.net.distributions_delta()}};
  return json;
}

}  // namespace pkgsizer::report
