#include "recommend/render.hpp"

#include <fmt/format.h>

#include "pkgsizer/version.hpp"
#include "recommend/alternatives.hpp"
#include "util/text.hpp"

namespace pkgsizer::recommend {
namespace {

constexpr int kSchemaVersion = 1;

std::string_view kind_heading(FindingKind kind) {
  switch (kind) {
    case FindingKind::kUnused:
      return "distributions the project never imports";
    case FindingKind::kBloat:
      return "files inside distributions the program never needs";
    case FindingKind::kNative:
      return "native libraries";
    case FindingKind::kLeftover:
      return "duplicates and leftovers";
    case FindingKind::kHeavier:
      return "lighter alternatives";
  }
  return "";
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "0%";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string summary(const Recommendations& result, SizeUnits units) {
  return fmt::format("could save {} of {} ({})", format_size(result.savable.apparent_bytes, units),
                     format_size(result.environment.apparent_bytes, units),
                     percent(result.savable.apparent_bytes, result.environment.apparent_bytes));
}

std::string bytes_cell(const std::optional<Size>& bytes, bool disk, SizeUnits units) {
  if (!bytes) return "?";
  if (disk && bytes->disk_bytes == 0 && bytes->apparent_bytes > 0) return "?";
  return format_size(disk ? bytes->disk_bytes : bytes->apparent_bytes, units);
}

nlohmann::ordered_json size_json(const Size& size) {
  return {{"apparent_bytes", size.apparent_bytes},
          {"disk_bytes", size.disk_bytes},
          {"file_count", size.file_count}};
}

}  // namespace

std::string render_table(const Recommendations& result, const RenderContext& context) {
  std::string out = fmt::format("Recommendations for {}: {}\n", printable(context.environment),
                                summary(result, context.units));
  if (result.with_project)
    out += fmt::format("Project {}: {} Python files, {} imports\n", printable(result.project_root),
                       result.python_files, result.imports);
  for (const std::string& kind_name : finding_kind_names()) {
    const FindingKind kind = *finding_kind_from_string(kind_name);
    bool heading = false;
    for (const Finding& finding : result.findings) {
      if (finding.kind != kind) continue;
      if (!heading) {
        out += fmt::format("\n{}: {}\n  {:>9}  {:>9}  {:<7}  {}\n", kind_name, kind_heading(kind),
                           "SAVES", "DISK", "SURE", "FINDING");
        heading = true;
      }
      out += fmt::format("  {:>9}  {:>9}  {:<7}  {}\n",
                         bytes_cell(finding.bytes, false, context.units),
                         bytes_cell(finding.bytes, true, context.units),
                         to_string(finding.certainty), printable(finding.title));
      for (const std::string& line : finding.evidence)
        out += fmt::format("  {:33}evidence: {}\n", "", printable(line));
      if (!finding.glob.empty())
        out += fmt::format("  {:33}glob:     {}\n", "", printable(finding.glob));
      out += fmt::format("  {:33}action:   {}\n", "", printable(finding.action));
    }
  }
  if (result.findings.empty()) out += "\nNothing to recommend.\n";
  if (!result.declared_unused.empty()) {
    out += "\nDeclared but never imported:\n";
    for (const DeclaredUnused& item : result.declared_unused)
      out += fmt::format("  {}  ({})\n", printable(item.name), printable(item.where));
  }
  if (!result.undeclared.empty()) {
    out += "\nImported but not declared:\n";
    for (const Undeclared& item : result.undeclared)
      out += fmt::format("  {}  ({})\n", printable(item.name),
                         printable(fmt::format("{}", fmt::join(item.imported_at, ", "))));
  }
  return out;
}

std::string render_markdown(const Recommendations& result, const RenderContext& context) {
  std::string out =
      fmt::format("## pkgsizer recommend\n\n{}: {}.\n", escape_markup_cell(context.environment),
                  escape_markup_cell(summary(result, context.units)));
  for (const std::string& kind_name : finding_kind_names()) {
    const FindingKind kind = *finding_kind_from_string(kind_name);
    bool heading = false;
    for (const Finding& finding : result.findings) {
      if (finding.kind != kind) continue;
      if (!heading) {
        out += fmt::format(
            "\n### {}: {}\n\n| Saves | Disk | Sure | Finding | Action |\n"
            "|---:|---:|---|---|---|\n",
            kind_name, kind_heading(kind));
        heading = true;
      }
      out += fmt::format(
          "| {} | {} | {} | {} | {} |\n", bytes_cell(finding.bytes, false, context.units),
          bytes_cell(finding.bytes, true, context.units), to_string(finding.certainty),
          escape_markup_cell(finding.title), markdown_code_span(finding.action));
    }
  }
  if (!result.declared_unused.empty()) {
    out += "\n### Declared but never imported\n\n";
    for (const DeclaredUnused& item : result.declared_unused)
      out +=
          fmt::format("- {} ({})\n", markdown_code_span(item.name), escape_markup_cell(item.where));
  }
  if (!result.undeclared.empty()) {
    out += "\n### Imported but not declared\n\n";
    for (const Undeclared& item : result.undeclared)
      out += fmt::format("- {} ({})\n", markdown_code_span(item.name),
                         escape_markup_cell(fmt::format("{}", fmt::join(item.imported_at, ", "))));
  }
  return out;
}

nlohmann::ordered_json to_json(const Recommendations& result, const RenderContext& context) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const Finding& finding : result.findings) {
    nlohmann::ordered_json item = {
        {"kind", to_string(finding.kind)},
        {"title", finding.title},
        {"distributions", finding.distributions},
        {"bytes", finding.bytes ? size_json(*finding.bytes) : nlohmann::ordered_json(nullptr)},
        {"certainty", to_string(finding.certainty)},
        {"evidence", finding.evidence},
        {"action", finding.action},
    };
    if (!finding.glob.empty()) item["glob"] = finding.glob;
    findings.push_back(std::move(item));
  }
  nlohmann::ordered_json declared_unused = nlohmann::ordered_json::array();
  for (const DeclaredUnused& item : result.declared_unused)
    declared_unused.push_back({{"requirement", item.name}, {"where", item.where}});
  nlohmann::ordered_json undeclared = nlohmann::ordered_json::array();
  for (const Undeclared& item : result.undeclared)
    undeclared.push_back({{"name", item.name}, {"imported_at", item.imported_at}});
  nlohmann::ordered_json project = nullptr;
  if (result.with_project)
    project = {{"root", result.project_root},
               {"python_files", result.python_files},
               {"imports", result.imports}};
  return {
      {"schema_version", kSchemaVersion},
      {"tool_version", kVersion},
      {"environment", {{"path", context.environment}, {"python_version", context.python_version}}},
      {"project", project},
      {"alternatives_version", alternatives_version()},
      {"environment_bytes", size_json(result.environment)},
      {"savable_bytes", size_json(result.savable)},
      {"findings", findings},
      {"declared_unused", declared_unused},
      {"undeclared", undeclared},
      {"warnings", result.warnings},
  };
}

}  // namespace pkgsizer::recommend
