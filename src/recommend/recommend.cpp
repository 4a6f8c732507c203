#include "recommend/recommend.hpp"

#include <sys/stat.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>

#include "recommend/context.hpp"

namespace pkgsizer::recommend {
namespace {

constexpr std::array<std::string_view, 5> kKindNames = {"unused", "bloat", "native", "leftover",
                                                        "heavier"};

bool selected(const RecommendOptions& options, FindingKind kind) {
  return options.kinds.empty() || options.kinds.count(kind) > 0;
}

// Biggest known saving first; unknown savings last; then by kind and title, for a stable order.
bool finding_order(const Finding& a, const Finding& b) {
  const std::uint64_t a_bytes = a.bytes ? a.bytes->apparent_bytes : 0;
  const std::uint64_t b_bytes = b.bytes ? b.bytes->apparent_bytes : 0;
  if (a.bytes.has_value() != b.bytes.has_value()) return a.bytes.has_value();
  if (a_bytes != b_bytes) return a_bytes > b_bytes;
  if (a.kind != b.kind) return a.kind < b.kind;
  return a.title < b.title;
}

}  // namespace

std::string_view to_string(FindingKind kind) {
  return kKindNames.at(static_cast<std::size_t>(kind));
}

std::string_view to_string(Certainty certainty) {
  switch (certainty) {
    case Certainty::kCertain:
      return "certain";
    case Certainty::kLikely:
      return "likely";
    case Certainty::kCheck:
      return "check";
  }
  return "check";
}

std::optional<FindingKind> finding_kind_from_string(std::string_view text) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == text) return static_cast<FindingKind>(i);
  return std::nullopt;
}

const std::vector<std::string>& finding_kind_names() {
  static const std::vector<std::string> names(kKindNames.begin(), kKindNames.end());
  return names;
}

Size file_size(const std::string& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) return {};
  return {static_cast<std::uint64_t>(status.st_size),
          static_cast<std::uint64_t>(status.st_blocks) * 512, 1};
}

Size distributions_size(const Scan& scan, const std::vector<std::size_t>& indices) {
  Size total;
  for (const std::size_t index : indices) total += scan.distributions.at(index).size;
  return total;
}

std::string shell_quote(const std::string& text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("/._-+=:,@").find(c) != std::string_view::npos;
  });
  if (plain && !text.empty()) return text;
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

bool gpu_present() {
  std::error_code error;
  return std::filesystem::exists("/dev/nvidiactl", error) ||
         std::filesystem::exists("/proc/driver/nvidia/version", error) ||
         std::filesystem::exists("/dev/kfd", error);
}

Recommendations recommend(const Scan& scan, const RecommendOptions& options) {
  Context context{scan, options, {}, {}, {}};
  context.files.resize(scan.distributions.size());
  if (options.files_on_disk) {
    tbb::parallel_for(std::size_t{0}, scan.distributions.size(), [&](std::size_t i) {
      context.files[i] = list_distribution_files(scan.distributions[i]);
    });
    for (std::size_t i = 0; i < scan.distributions.size(); ++i) {
      context.owners.add(i, context.files[i].paths);
      context.owners.add_names(i, context.files[i].pth_modules);
    }
  }

  Recommendations out;
  out.environment = scan.totals.all;
  if (options.project) {
    out.with_project = true;
    out.project_root = options.project->root;
    out.python_files = options.project->python_files;
    out.imports = options.project->imports.size();
    out.warnings = options.project->warnings;
  }
  if (options.files_on_disk) {
    if (options.project && selected(options, FindingKind::kUnused)) find_unused(context, out);
    if (selected(options, FindingKind::kBloat)) find_bloat(context, out);
    if (selected(options, FindingKind::kNative)) find_native(context, out);
    if (selected(options, FindingKind::kLeftover)) find_leftovers(context, out);
  }
  if (selected(options, FindingKind::kHeavier)) find_heavier(context, out);

  std::vector<Finding>& findings = out.findings;
  findings.erase(
      std::remove_if(findings.begin(), findings.end(),
                     [&](const Finding& finding) {
                       return !selected(options, finding.kind) ||
                              (finding.bytes && finding.bytes->apparent_bytes < options.min_bytes);
                     }),
      findings.end());
  std::stable_sort(findings.begin(), findings.end(), finding_order);
  for (const Finding& finding : findings)
    if (finding.bytes) out.savable += *finding.bytes;
  return out;
}

}  // namespace pkgsizer::recommend
