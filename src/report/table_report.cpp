#include "report/table_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/ansi_style.hpp"
#include "report/view.hpp"
#include "util/text.hpp"

namespace pkgsizer::report {
namespace {

struct Styler {
  bool color;
  std::string operator()(const char* style, const std::string& text) const {
    return color ? fmt::format("{}{}{}", style, text, kReset) : text;
  }
};

std::string truncate(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  if (width <= 1) return text.substr(0, width);
  return text.substr(0, width - 1) + "~";
}

// Cut to `width` columns (one per code point), "…" marking the cut.
std::string truncate_display(const std::string& text, std::size_t width) {
  if (display_width(text) <= width) return text;
  if (width == 0) return {};
  std::size_t kept = 0, end = 0;
  for (; end < text.size(); ++end) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) continue;
    if (kept == width - 1) break;
    ++kept;
  }
  return text.substr(0, end) + "…";
}

std::string markers_of(const Distribution& dist, const RenderOptions& options) {
  std::string markers;
  if (dist.editable && options.mark_editable) markers += " [editable]";
  if (dist.inherited) markers += " [inherited]";
  if (dist.shared_files > 0) markers += " [shared]";
  return markers;
}

// One line of a module tree before alignment: the branch and name (and kind), and its bytes.
struct TreeLine {
  std::string label;  // plain text: widths are measured on it, styles come after padding
  std::string kind;   // " (module)", "" for a package
  std::uint64_t bytes = 0;
  bool dim = false;  // the "… N more" line
};

void collect_modules(const std::vector<ModuleNode>& modules, const std::string& indent,
                     std::vector<TreeLine>& lines) {
  // Long lists (setuptools has dozens of modules) end with one line for the rest.
  constexpr std::size_t kShownChildren = 12;
  const std::size_t shown = modules.size() > kShownChildren + 1 ? kShownChildren : modules.size();
  for (std::size_t i = 0; i < shown; ++i) {
    const ModuleNode& module = modules[i];
    const bool last = i + 1 == modules.size();
    const std::string kind =
        module.kind == ModuleKind::kPackage ? "" : fmt::format(" ({})", to_string(module.kind));
    lines.push_back({indent + (last ? "└── " : "├── ") + printable(module.name), kind,
                     module.size.apparent_bytes});
    collect_modules(module.children, indent + (last ? "    " : "│   "), lines);
  }
  if (shown < modules.size()) {
    Size rest;
    for (std::size_t i = shown; i < modules.size(); ++i) rest += modules[i].size;
    lines.push_back({indent + "└── " + fmt::format("… {} more", modules.size() - shown), "",
                     rest.apparent_bytes, true});
  }
}

// A bar of whole blocks, `width` cells for the whole distribution (cli/ascii_output spells █
// as # where the locale is not UTF-8).
std::string share_bar(std::uint64_t part, std::uint64_t whole, std::size_t width) {
  if (whole == 0 || width == 0) return {};
  const auto cells = static_cast<std::size_t>(std::lround(
      static_cast<double>(part) / static_cast<double>(whole) * static_cast<double>(width)));
  std::string bar;
  for (std::size_t i = 0; i < std::min(cells, width); ++i) bar += "█";
  return bar;
}

// The module tree of one distribution: names, then the sizes right-aligned in one column, then
// a bar of each node's share of the distribution. Names longer than the room left by the
// terminal's width are cut.
void render_modules(const Distribution& dist, const RenderOptions& options, const Styler& style,
                    std::string& out) {
  std::vector<TreeLine> lines;
  collect_modules(dist.modules, "  ", lines);
  if (lines.empty()) return;
  constexpr std::size_t kBarWidth = 10;
  std::size_t label_width = 0, size_width = 0;
  std::vector<std::string> sizes;
  sizes.reserve(lines.size());
  for (const TreeLine& line : lines) {
    label_width = std::max(label_width, display_width(line.label + line.kind));
    sizes.push_back(format_size(line.bytes, options.units));
    size_width = std::max(size_width, display_width(sizes.back()));
  }
  if (options.width > 0) {
    const std::size_t room =
        options.width > size_width + kBarWidth + 4 ? options.width - size_width - kBarWidth - 4 : 0;
    label_width = std::min(label_width, std::max<std::size_t>(room, 16));
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const TreeLine& line = lines[i];
    std::string label = line.label;
    std::string kind = line.kind;
    if (display_width(label + kind) > label_width) {
      kind.clear();
      label = truncate_display(label, label_width);
    }
    const std::size_t used = display_width(label + kind);
    const std::string padding(label_width - std::min(label_width, used), ' ');
    std::string text = (line.dim ? style(kDim, label) : label) + style(kDim, kind) + padding +
                       "  " + std::string(size_width - display_width(sizes[i]), ' ') +
                       style(kCyan, sizes[i]);
    const std::string bar = share_bar(line.bytes, dist.size.apparent_bytes, kBarWidth);
    if (!bar.empty()) text += "  " + style(kCyan, bar);
    out += text + "\n";
  }
}

bool any_required(const std::vector<Distribution>& distributions) {
  return std::any_of(distributions.begin(), distributions.end(),
                     [](const Distribution& dist) { return !dist.removable(); });
}

}  // namespace

std::string describe_environment(const Environment& environment) {
  const std::string where = environment.prefix.empty()
                                ? fmt::format("{}", fmt::join(environment.site_packages, ", "))
                                : environment.prefix;
  std::vector<std::string> facts;
  if (environment.kind != EnvironmentKind::kUnknown)
    facts.emplace_back(to_string(environment.kind));
  if (!environment.python_version.empty()) facts.push_back("Python " + environment.python_version);
  // The path comes from the file system: any byte may be in it (issue: terminal escapes).
  return printable(facts.empty() ? where : fmt::format("{} ({})", where, fmt::join(facts, ", ")));
}

std::string render_summary(const Scan& scan, const RenderOptions& options) {
  const Totals& totals = scan.totals;
  // The counts first are those of the selection (-p, --exclude, editable): what --fail-over
  // checks. --top only shortens the table, and the rows it shows are summed apart.
  std::string summary =
      fmt::format("{}: {} distributions · {} files · {}", describe_environment(scan.environment),
                  format_count(totals.distributions), format_count(totals.selected.file_count),
                  format_size(totals.selected.apparent_bytes, options.units));
  if (totals.selected.apparent_bytes != totals.owned.apparent_bytes)
    summary += fmt::format(" of {} owned", format_size(totals.owned.apparent_bytes, options.units));
  if (scan.distributions.size() < totals.distributions) {
    Size shown;
    for (const Distribution& dist : scan.distributions) shown += dist.size;
    summary += fmt::format(
        " · the {} shown: {} in {} files", format_count(scan.distributions.size()),
        format_size(shown.apparent_bytes, options.units), format_count(shown.file_count));
  }
  summary += fmt::format(" · unowned {} in {} files · {} on disk in all",
                         format_size(totals.unowned.apparent_bytes, options.units),
                         format_count(totals.unowned.file_count),
                         format_size(totals.all.disk_bytes, options.units));
  return summary;
}

bool has_wheel_sizes(const Scan& scan) {
  return std::any_of(scan.distributions.begin(), scan.distributions.end(),
                     [](const Distribution& dist) { return dist.wheel.has_value(); });
}

std::string format_wheel_size(const Distribution& dist, SizeUnits units) {
  if (!dist.wheel || !dist.wheel->download_bytes) return "—";
  return format_size(*dist.wheel->download_bytes, units);
}

std::string format_wheel_ratio(const Distribution& dist) {
  const std::optional<double> ratio = dist.installed_to_wheel_ratio();
  return ratio ? fmt::format("{:.1f}×", *ratio) : "—";
}

std::string render_wheel_notes(const Scan& scan) {
  std::string notes;
  for (const Distribution& dist : scan.distributions)
    if (dist.wheel && !dist.wheel->download_bytes)
      notes += fmt::format("  {} {}: {}\n", printable(dist.name), printable(dist.version),
                           printable(dist.wheel->note));
  return notes.empty() ? "" : "Wheel —: size unknown\n" + notes;
}

std::string render_table(const Scan& scan, const RenderOptions& options) {
  const Styler style{options.color};
  const std::uint64_t total = scan.totals.all.apparent_bytes;
  const bool wheels = has_wheel_sizes(scan);
  struct Row {
    std::string name, version, size, files, share, cumulative, removal, wheel, ratio;
  };
  std::vector<Row> rows;
  Row header{"Distribution", "Version", "Size",  "Files",     "Share",
             "With deps",    "Frees",   "Wheel", "Size/Wheel"};
  std::size_t name_width = header.name.size(), version_width = header.version.size(),
              size_width = 4, files_width = 5, share_width = 5,
              cumulative_width = header.cumulative.size(), removal_width = header.removal.size(),
              wheel_width = header.wheel.size(), ratio_width = header.ratio.size();
  for (const Distribution& dist : scan.distributions) {
    Row row{printable(dist.name) + markers_of(dist, options),
            printable(dist.version),
            format_size(dist.size.apparent_bytes, options.units),
            format_count(dist.size.file_count),
            format_share(dist.size.apparent_bytes, total),
            format_size(dist.cumulative_bytes, options.units),
            dist.removable() ? format_size(dist.removal_bytes, options.units) : "—",
            format_wheel_size(dist, options.units),
            format_wheel_ratio(dist)};
    name_width = std::max(name_width, row.name.size());
    version_width = std::max(version_width, row.version.size());
    size_width = std::max(size_width, row.size.size());
    files_width = std::max(files_width, row.files.size());
    share_width = std::max(share_width, row.share.size());
    cumulative_width = std::max(cumulative_width, row.cumulative.size());
    removal_width = std::max(removal_width, row.removal.size());
    wheel_width = std::max(wheel_width, display_width(row.wheel));
    ratio_width = std::max(ratio_width, display_width(row.ratio));
    rows.push_back(std::move(row));
  }
  version_width = std::min<std::size_t>(version_width, 20);
  // The name column gives way first when the terminal is narrow.
  const std::size_t fixed =
      version_width + size_width + files_width + share_width + 8 +
      (options.show_dependency_sizes ? cumulative_width + removal_width + 4 : 0) +
      (wheels ? wheel_width + ratio_width + 4 : 0);
  if (options.width > 0 && name_width + fixed > options.width)
    name_width = std::max<std::size_t>(12, options.width > fixed ? options.width - fixed : 12);

  std::string out;
  auto line = [&](const Row& row) {
    std::string text =
        fmt::format("{:<{}}  {:<{}}  {:>{}}  {:>{}}  {:>{}}", truncate(row.name, name_width),
                    name_width, truncate(row.version, version_width), version_width, row.size,
                    size_width, row.files, files_width, row.share, share_width);
    if (options.show_dependency_sizes)
      text += fmt::format("  {:>{}}  {:>{}}", row.cumulative, cumulative_width, row.removal,
                          removal_width);
    // "—" and "×" are one column wide but several bytes: padded by display width.
    if (wheels)
      text += "  " + std::string(wheel_width - display_width(row.wheel), ' ') + row.wheel + "  " +
              std::string(ratio_width - display_width(row.ratio), ' ') + row.ratio;
    return text;
  };
  out += style(kBold, line(header)) + "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string text = line(rows[i]);
    const std::string markers = markers_of(scan.distributions[i], options);
    if (options.color && !markers.empty()) {
      const std::size_t at = text.find(markers);
      if (at != std::string::npos) text.replace(at, markers.size(), style(kYellow, markers));
    }
    out += text + "\n";
    if (options.show_modules) render_modules(scan.distributions[i], options, style, out);
  }
  if (options.show_unowned && !scan.unowned.empty()) {
    out += "\n" + style(kBold, "Unowned (no distribution claims these)") + "\n";
    for (const UnownedEntry& entry : scan.unowned)
      out += fmt::format("  {:>{}}  {}\n", format_size(entry.size.apparent_bytes, options.units),
                         size_width, printable(entry.path));
  }
  out += "\n" + render_summary(scan, options) + "\n";
  if (options.show_dependency_sizes && any_required(scan.distributions))
    out += "Frees —: other distributions require it; `pkgsizer why NAME` says which.\n";
  if (wheels) out += render_wheel_notes(scan);
  return out;
}

}  // namespace pkgsizer::report
