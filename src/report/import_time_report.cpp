#include "report/import_time_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "importtime/profile_json.hpp"
#include "util/text.hpp"

namespace pkgsizer::report {
namespace {

using importtime::DistributionTiming;
using importtime::format_time;
using importtime::ImportProfile;
using importtime::ModuleTiming;

// "myapp → requests → urllib3 → ssl": the chain shortened to the modules where the
// distribution changes (and its last module), the way people say why something was imported.
std::string short_chain(const ImportProfile& profile, const std::vector<std::string>& chain) {
  if (chain.empty()) return "";
  std::vector<std::string> distributions_of;
  std::vector<std::string> kept;
  std::string previous;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    std::string owner;
    for (const ModuleTiming& module : profile.modules)
      if (module.name == chain[i]) {
        owner = module.distribution;
        break;
      }
    if (i == 0 || owner != previous || i + 1 == chain.size()) kept.push_back(printable(chain[i]));
    previous = owner;
  }
  return fmt::format("{}", fmt::join(kept, " → "));
}

std::string distribution_label(const DistributionTiming& dist) {
  return dist.version.empty() ? printable(dist.name)
                              : fmt::format("{} {}", printable(dist.name), printable(dist.version));
}

std::vector<std::size_t> measured_modules(const ImportProfile& profile) {
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < profile.modules.size(); ++i)
    if (!profile.modules[i].startup && !profile.modules[i].cached) indices.push_back(i);
  return indices;
}

std::vector<std::size_t> slowest(const ImportProfile& profile, bool cumulative, std::size_t top) {
  std::vector<std::size_t> indices = measured_modules(profile);
  auto time_of = [&](std::size_t i) {
    return cumulative ? profile.modules[i].cumulative.median_us : profile.modules[i].self.median_us;
  };
  std::stable_sort(indices.begin(), indices.end(),
                   [&](std::size_t a, std::size_t b) { return time_of(a) > time_of(b); });
  if (indices.size() > top) indices.resize(top);
  return indices;
}

std::string header(const ImportProfile& profile) {
  std::string out = fmt::format(
      "{} with {} (Python {}): {} median of {} run{} (min {}, max {}); interpreter start-up {}\n",
      printable(profile.target), printable(profile.interpreter), printable(profile.python_version),
      format_time(profile.total.median_us), profile.runs, profile.runs == 1 ? "" : "s",
      format_time(profile.total.min_us), format_time(profile.total.max_us),
      format_time(profile.startup.median_us));
  out += profile.cold ? "cold: every run compiled its bytecode afresh (--cold)\n"
                      : fmt::format("warm: {} warm-up run{} first, not counted\n", profile.warmup,
                                    profile.warmup == 1 ? "" : "s");
  return out;
}

void append_tree(const ImportProfile& profile, std::size_t index, int depth,
                 const ImportTimeRenderOptions& options, std::string& out) {
  const ModuleTiming& module = profile.modules[index];
  out += fmt::format("{:>10} {:>10}  {}{} [{}]{}\n",
                     module.cached ? "cached" : format_time(module.cumulative.median_us),
                     module.cached ? "" : format_time(module.self.median_us),
                     std::string(static_cast<std::size_t>(depth) * 2, ' '), printable(module.name),
                     printable(module.distribution), "");
  std::size_t hidden = 0;
  std::int64_t hidden_us = 0;
  for (std::size_t child : module.children) {
    const ModuleTiming& child_module = profile.modules[child];
    if (options.min_time_us > 0 && child_module.cumulative.median_us < options.min_time_us) {
      ++hidden;
      hidden_us += child_module.cumulative.median_us;
      continue;
    }
    append_tree(profile, child, depth + 1, options, out);
  }
  if (hidden > 0)
    out += fmt::format("{:>10} {:>10}  {}… {} more below {}\n", format_time(hidden_us), "",
                       std::string(static_cast<std::size_t>(depth + 1) * 2, ' '), hidden,
                       format_time(options.min_time_us));
}

}  // namespace

std::string render_import_time(const ImportProfile& profile,
                               const ImportTimeRenderOptions& options) {
  std::string out = header(profile);
  if (options.tree) {
    out += fmt::format("\n{:>10} {:>10}  {}\n", "cumulative", "self", "module [attributed to]");
    for (std::size_t root : profile.roots) {
      if (profile.modules[root].startup) continue;
      if (options.min_time_us > 0 &&
          profile.modules[root].cumulative.median_us < options.min_time_us)
        continue;
      append_tree(profile, root, 0, options, out);
    }
    return out;
  }
  out += fmt::format("\n{:<32} {:>10} {:>8} {:>7}  {}\n", "Distribution", "Self", "Modules",
                     "Share", "First imported by");
  for (const DistributionTiming& dist : profile.distributions)
    out += fmt::format(
        "{:<32} {:>10} {:>8} {:>7}  {}\n", distribution_label(dist), format_time(dist.self_us),
        dist.modules,
        dist.kind == importtime::AttributionKind::kStartup ? "-"
                                                           : fmt::format("{:.1f}%", dist.share),
        dist.kind == importtime::AttributionKind::kStartup ? "(interpreter start-up)"
                                                           : short_chain(profile, dist.chain));
  out += fmt::format("\nSlowest modules (self time, median):\n");
  for (std::size_t i : slowest(profile, false, options.top)) {
    const ModuleTiming& module = profile.modules[i];
    out += fmt::format("  {:>10}  {} [{}]\n", format_time(module.self.median_us),
                       printable(module.name), printable(module.distribution));
  }
  out += fmt::format("\nSlowest chains (cumulative time, median):\n");
  for (std::size_t i : slowest(profile, true, options.top))
    out += fmt::format(
        "  {:>10}  {}\n", format_time(profile.modules[i].cumulative.median_us),
        printable(fmt::format("{}", fmt::join(importtime::chain_to(profile, i), " → "))));
  if (!profile.lazy_candidates.empty()) {
    out += "\nLazy import candidates (imported by a single module):\n";
    for (const importtime::LazyCandidate& candidate : profile.lazy_candidates)
      out += fmt::format("  {:>10}  {} (only imported by {})\n", format_time(candidate.saving_us),
                         printable(candidate.distribution), printable(candidate.importer));
  }
  return out;
}

std::string render_import_time_markdown(const ImportProfile& profile,
                                        const ImportTimeRenderOptions& options) {
  std::string out = fmt::format(
      "## Import time: {}\n\n{} median of {} runs (min {}, max {}) with Python {}; interpreter "
      "start-up {}.\n\n",
      markdown_code_span(profile.target), format_time(profile.total.median_us), profile.runs,
      format_time(profile.total.min_us), format_time(profile.total.max_us),
      escape_markup_cell(profile.python_version), format_time(profile.startup.median_us));
  out += "| Distribution | Self | Modules | Share | First imported by |\n";
  out += "|---|---:|---:|---:|---|\n";
  for (const DistributionTiming& dist : profile.distributions)
    out +=
        fmt::format("| {} | {} | {} | {:.1f}% | {} |\n",
                    escape_markup_cell(distribution_label(dist)), format_time(dist.self_us),
                    dist.modules, dist.share, escape_markup_cell(short_chain(profile, dist.chain)));
  out +=
      "\n### Slowest modules\n\n| Module | Distribution | Self | Cumulative "
      "|\n|---|---|---:|---:|\n";
  for (std::size_t i : slowest(profile, false, options.top)) {
    const ModuleTiming& module = profile.modules[i];
    out += fmt::format("| {} | {} | {} | {} |\n", markdown_code_span(module.name),
                       escape_markup_cell(module.distribution), format_time(module.self.median_us),
                       format_time(module.cumulative.median_us));
  }
  if (!profile.lazy_candidates.empty()) {
    out +=
        "\n### Lazy import candidates\n\n| Distribution | Only imported by | Saving "
        "|\n|---|---|---:|\n";
    for (const importtime::LazyCandidate& candidate : profile.lazy_candidates)
      out += fmt::format("| {} | {} | {} |\n", escape_markup_cell(candidate.distribution),
                         markdown_code_span(candidate.importer), format_time(candidate.saving_us));
  }
  return out;
}

std::string render_import_time_diff(const importtime::ProfileDiff& diff) {
  auto signed_time = [](std::int64_t us) {
    return us > 0 ? "+" + format_time(us) : us < 0 ? "-" + format_time(-us) : format_time(0);
  };
  std::string out =
      fmt::format("Import time: {} → {} ({})\n\n{:<32} {:>10} {:>10} {:>11}\n",
                  format_time(diff.before_total.median_us), format_time(diff.after_total.median_us),
                  signed_time(diff.after_total.median_us - diff.before_total.median_us),
                  "Distribution", "Before", "After", "Change");
  for (const importtime::DistributionChange& change : diff.changes) {
    std::string name = printable(change.name);
    if (!change.before_present) name += " (new)";
    if (!change.after_present) name += " (gone)";
    if (change.before_present && change.after_present &&
        change.before_version != change.after_version)
      name += fmt::format(" {} → {}", printable(change.before_version),
                          printable(change.after_version));
    out += fmt::format("{:<32} {:>10} {:>10} {:>11}\n", name,
                       change.before_present ? format_time(change.before_us) : "-",
                       change.after_present ? format_time(change.after_us) : "-",
                       signed_time(change.change_us()));
  }
  return out;
}

}  // namespace pkgsizer::report
