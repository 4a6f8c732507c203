#include "report/budget_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string_view>
#include <vector>

#include "util/duration.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"
#include "util/xml_escape.hpp"

namespace pkgsizer::report {
namespace {

using budget::BudgetEvaluation;
using budget::Rule;
using budget::RuleResult;
using budget::Status;

constexpr const char* kRed = "\x1b[1;31m";
constexpr const char* kYellow = "\x1b[33m";
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kReset = "\x1b[0m";

const char* icon(Status status) {
  switch (status) {
    case Status::kFail:
      return "❌";
    case Status::kWarn:
      return "⚠️";
    case Status::kOk:
      return "✅";
  }
  return "✅";
}

std::string format_percent(double percent) {
  if (std::isinf(percent)) return "∞";
  return fmt::format("{:.1f}%", percent);
}

// warn_at as written: "90%", "87.5%".
std::string format_warn_at(double percent) { return fmt::format("{:g}%", percent); }

std::string signed_change(std::uint64_t from, std::uint64_t to, SizeUnits units) {
  if (to == from) return format_size(0, units);
  return to > from ? "+" + format_size(to - from, units) : "-" + format_size(from - to, units);
}

std::string plural(std::size_t count, std::string_view word) {
  return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

std::string name_and_version(const RuleResult& result) {
  return result.version.empty() ? result.subject
                                : fmt::format("{} {}", result.subject, result.version);
}

// A size, or for an import-time rule a duration (both are kept in the same fields).
std::string amount(const RuleResult& result, std::uint64_t value, SizeUnits units) {
  return result.is_time() ? format_duration_us(static_cast<std::int64_t>(value))
                          : format_size(value, units);
}

bool is_summary(const RuleResult& result) {
  return result.rule == Rule::kPerPackage && result.distributions > 0;
}

std::string pad(const std::string& text, std::size_t width, bool right) {
  const std::size_t used = display_width(text);
  const std::string fill(width > used ? width - used : 0, ' ');
  return right ? fill + text : text + fill;
}

// The cells every tabular view shares.
struct Row {
  std::string icon, rule, subject, used, limit, use, note;
};

Row row_of(const RuleResult& result, const BudgetEvaluation& evaluation, SizeUnits units) {
  Row row{icon(result.status),
          budget::rule_name(result.rule),
          result.subject,
          amount(result, result.used_bytes, units),
          amount(result, result.limit_bytes, units),
          format_percent(result.percent),
          ""};
  switch (result.rule) {
    case Rule::kTotal:
      row.subject = "environment";
      row.note = plural(evaluation.distribution_count, "distribution");
      break;
    case Rule::kPackage:
      if (!result.installed) {
        row.used = "—";
        row.use = "—";
        row.note = "not installed";
      } else {
        row.note = result.version;
      }
      break;
    case Rule::kPerPackage:
      if (is_summary(result)) {
        row.subject = plural(result.distributions, "distribution");
        row.note = "largest: " + name_and_version(result);
      } else {
        row.note = result.version;
      }
      break;
    case Rule::kIncrease:
      row.subject = "since baseline";
      row.used = signed_change(result.baseline_bytes, result.current_bytes, units);
      row.note = fmt::format("{} → {}", format_size(result.baseline_bytes, units),
                             format_size(result.current_bytes, units));
      if (result.limit_percent)
        row.note +=
            fmt::format(", limit {} of the baseline", format_warn_at(*result.limit_percent));
      break;
    case Rule::kUnused:
      row.limit = "—";
      row.use = "—";
      row.note = result.finding;
      break;
    case Rule::kImportTotal:
      row.subject = "imports";
      row.note = "median";
      break;
    case Rule::kImportDistribution:
    case Rule::kImportModule:
    case Rule::kImportPerDistribution:
      if (!result.installed) {
        row.used = "—";
        row.use = "—";
        row.note = "not imported";
      } else {
        row.note = result.version;
      }
      break;
  }
  return row;
}

std::string verdict_line(const BudgetEvaluation& evaluation) {
  const std::size_t failed = evaluation.count(Status::kFail);
  const std::size_t warned = evaluation.count(Status::kWarn);
  const std::size_t ok = evaluation.count(Status::kOk);
  std::vector<std::string> parts;
  if (failed) parts.push_back(fmt::format("{} failed", failed));
  if (warned) parts.push_back(fmt::format("{} near the limit", warned));
  if (ok) parts.push_back(fmt::format("{} within", ok));
  const std::string counts = fmt::format("{}", fmt::join(parts, ", "));
  const std::size_t unknown = evaluation.unknown.size();
  if (evaluation.overall() == Status::kFail)
    return unknown == 0 ? fmt::format("Over budget: {}.", counts)
                        : fmt::format("Over budget: {}; besides, {} not counted.", counts,
                                      plural(unknown, "unknown size"));
  if (!evaluation.complete())
    return fmt::format(
        "Incomplete: {} not counted, so the budget cannot be confirmed; the known sizes: {}.",
        plural(unknown, "unknown size"), counts.empty() ? "no rule checked" : counts);
  const std::string allowed = unknown == 0 ? ""
                                           : fmt::format(" ({} not counted: --allow-unknown)",
                                                         plural(unknown, "unknown size"));
  if (evaluation.overall() == Status::kWarn)
    return fmt::format("Within budget, but {}{}.", counts, allowed);
  if (evaluation.results.empty()) return "No rule could be checked.";
  return fmt::format("Within budget: {} checked{}.", plural(ok, "rule"), allowed);
}

// The icon of the verdict: an incomplete check is neither a pass nor a failure.
const char* verdict_icon(const BudgetEvaluation& evaluation) {
  const Status overall = evaluation.overall();
  if (overall != Status::kFail && !evaluation.complete()) return "❓";
  return icon(overall);
}

// What was not counted, at most `shown` lines, then how many more.
std::vector<std::string> unknown_lines(const BudgetEvaluation& evaluation, std::size_t shown = 20) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < evaluation.unknown.size() && i < shown; ++i)
    lines.push_back(evaluation.unknown[i]);
  if (evaluation.unknown.size() > shown)
    lines.push_back(fmt::format("... and {} more", evaluation.unknown.size() - shown));
  return lines;
}

// GitHub workflow commands: the message escapes %, CR and LF; properties also ':' and ','.
// Control characters are made visible first: the annotation is shown in a job's log too.
std::string github_escape_data(std::string_view text) {
  std::string out;
  for (const char c : printable(text)) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string github_escape_property(std::string_view text) {
  std::string out;
  for (const char c : github_escape_data(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

std::string testcase_name(const RuleResult& result) {
  std::string rule = budget::rule_name(result.rule);
  if (result.rule == Rule::kTotal || result.rule == Rule::kIncrease ||
      result.rule == Rule::kImportTotal)
    return rule;
  if (is_summary(result))
    return fmt::format("{}: {} within the limit", rule,
                       plural(result.distributions, "distribution"));
  return fmt::format("{}: {}", rule, result.subject);
}

}  // namespace

std::string describe_budget_rule(const RuleResult& result, SizeUnits units) {
  const std::string limit = amount(result, result.limit_bytes, units);
  const std::string percent = std::isinf(result.percent) ? "" : format_percent(result.percent);
  const auto judged = [&](const std::string& who, const std::string& budget_name) {
    switch (result.status) {
      case Status::kFail:
        return fmt::format("{}, over {} of {}{}.", who, budget_name, limit,
                           percent.empty() ? "" : " (" + percent + ")");
      case Status::kWarn:
        return fmt::format("{}, {} of {} of {}.", who, percent, budget_name, limit);
      case Status::kOk:
        break;
    }
    return fmt::format("{}, within {} of {}{}.", who, budget_name, limit,
                       percent.empty() ? "" : " (" + percent + ")");
  };
  const std::string used = amount(result, result.used_bytes, units);
  switch (result.rule) {
    case Rule::kImportTotal:
      return judged(fmt::format("The imports take {} (median)", used), "their total budget");
    case Rule::kImportDistribution:
    case Rule::kImportModule:
      if (!result.installed)
        return fmt::format("{} is not imported (budget {}).", result.subject, limit);
      return judged(fmt::format("{} takes {} to import (median)", name_and_version(result), used),
                    "its budget");
    case Rule::kImportPerDistribution:
      return judged(fmt::format("{} takes {} to import (median)", name_and_version(result), used),
                    "the per-distribution budget");
    case Rule::kTotal:
      return judged(fmt::format("The environment uses {}", used), "its total budget");
    case Rule::kPackage:
      if (!result.installed)
        return fmt::format("{} is not installed (budget {}).", result.subject, limit);
      return judged(fmt::format("{} uses {}", name_and_version(result), used), "its budget");
    case Rule::kPerPackage:
      if (is_summary(result))
        return fmt::format("{} within the per-package budget of {}; the largest, {}, uses {} ({}).",
                           plural(result.distributions, "distribution"), limit,
                           name_and_version(result), used, percent);
      return judged(fmt::format("{} uses {}", name_and_version(result), used),
                    "the per-package budget");
    case Rule::kUnused:
      return fmt::format("{}: removing {} saves {}{}.", result.finding,
                         fmt::join(result.removes, ", "), used,
                         result.action.empty() ? "" : " (" + result.action + ")");
    case Rule::kIncrease: {
      const std::string change =
          result.current_bytes > result.baseline_bytes
              ? "grew by " + format_size(result.used_bytes, units)
          : result.current_bytes < result.baseline_bytes
              ? "shrank by " + format_size(result.baseline_bytes - result.current_bytes, units)
              : "did not change";
      const std::string budget_name = result.limit_percent
                                          ? fmt::format("the allowed increase ({} of the baseline)",
                                                        format_warn_at(*result.limit_percent))
                                          : std::string("the allowed increase");
      return judged(fmt::format("The environment {} since the baseline ({} → {})", change,
                                format_size(result.baseline_bytes, units),
                                format_size(result.current_bytes, units)),
                    budget_name);
    }
  }
  return "";
}

std::string render_budget_text(const BudgetEvaluation& evaluation, const RenderOptions& options) {
  std::string out =
      fmt::format("Budget {} for {} (warn at {})\n\n", printable(evaluation.config_file),
                  printable(evaluation.environment), format_warn_at(evaluation.warn_at_percent));
  std::vector<Row> rows{{"", "Rule", "Subject", "Used", "Limit", "Use", "Note"}};
  for (const RuleResult& result : evaluation.results) {
    Row row = row_of(result, evaluation, options.units);
    row.subject = printable(row.subject);
    row.note = printable(row.note);
    rows.push_back(std::move(row));
  }
  if (rows.size() > 1) {
    std::size_t widths[5] = {0, 0, 0, 0, 0};
    for (const Row& row : rows) {
      const std::string* cells[5] = {&row.rule, &row.subject, &row.used, &row.limit, &row.use};
      for (int i = 0; i < 5; ++i) widths[i] = std::max(widths[i], display_width(*cells[i]));
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row& row = rows[i];
      // The icons take two columns; the header leaves them room.
      std::string line = fmt::format(
          "{}  {}  {}  {}  {}  {}", i == 0 ? "  " : row.icon, pad(row.rule, widths[0], false),
          pad(row.subject, widths[1], false), pad(row.used, widths[2], true),
          pad(row.limit, widths[3], true), pad(row.use, widths[4], true));
      if (!row.note.empty()) line += "  " + row.note;
      out += line + "\n";
    }
    out += "\n";
  }
  const Status overall = evaluation.overall();
  const std::string verdict =
      fmt::format("{} {}", verdict_icon(evaluation), verdict_line(evaluation));
  if (options.color) {
    const char* colour = overall == Status::kFail                             ? kRed
                         : overall == Status::kWarn || !evaluation.complete() ? kYellow
                                                                              : kGreen;
    out += fmt::format("{}{}{}\n", colour, verdict, kReset);
  } else {
    out += verdict + "\n";
  }
  for (const std::string& line : unknown_lines(evaluation))
    out += fmt::format("unknown: {}\n", printable(line));
  for (const std::string& note : evaluation.notes)
    out += fmt::format("note: {}\n", printable(note));
  return out;
}

std::string render_budget_markdown(const BudgetEvaluation& evaluation,
                                   const RenderOptions& options) {
  const Status overall = evaluation.overall();
  const char* verdict = overall == Status::kFail   ? "over budget"
                        : !evaluation.complete()   ? "incomplete (unknown sizes)"
                        : overall == Status::kWarn ? "within budget, near the limit"
                                                   : "within budget";
  std::string out =
      fmt::format("### {} pkgsizer budget: {}\n\n", verdict_icon(evaluation), verdict);
  if (!evaluation.results.empty()) {
    out += "| | Rule | Subject | Used | Limit | Use | Note |\n|:-:|---|---|--:|--:|--:|---|\n";
    for (const RuleResult& result : evaluation.results) {
      const Row row = row_of(result, evaluation, options.units);
      const bool named = result.rule == Rule::kPackage || result.rule == Rule::kUnused ||
                         (result.rule == Rule::kPerPackage && !is_summary(result));
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", row.icon, row.rule,
                         named ? markdown_code_span(row.subject) : escape_markup_cell(row.subject),
                         row.used, row.limit, row.use, escape_markup_cell(row.note));
    }
    out += "\n";
  }
  out += fmt::format(
      "{} Budget {} (warn at {}), environment {} ({}).\n", verdict_line(evaluation),
      markdown_code_span(evaluation.config_file), format_warn_at(evaluation.warn_at_percent),
      markdown_code_span(evaluation.environment),
      evaluation.import_time ? format_duration_us(static_cast<std::int64_t>(evaluation.total_bytes))
                             : format_size(evaluation.total_bytes, options.units));
  if (!evaluation.unknown.empty()) {
    out += "\nNot counted (size unknown):\n\n";
    for (const std::string& line : unknown_lines(evaluation))
      out += fmt::format("- {}\n", escape_markup_cell(line));
  }
  for (const std::string& note : evaluation.notes)
    out += fmt::format("\n> **Note:** {}\n", escape_markup_cell(note));
  return out;
}

nlohmann::ordered_json budget_to_json(const BudgetEvaluation& evaluation) {
  nlohmann::ordered_json json;
  json["schema_version"] = 1;
  json["config"] = evaluation.config_file;
  json["environment"] = evaluation.environment;
  // "incomplete": nothing failed, but unknown sizes were left out (and not --allow-unknown).
  json["status"] = evaluation.overall() != Status::kFail && !evaluation.complete()
                       ? "incomplete"
                       : budget::status_name(evaluation.overall());
  json["complete"] = evaluation.complete();
  json["warn_at_percent"] = evaluation.warn_at_percent;
  json[evaluation.import_time ? "total_us" : "total_bytes"] = evaluation.total_bytes;
  json["distributions"] = evaluation.distribution_count;
  json["counts"] = {{"fail", evaluation.count(Status::kFail)},
                    {"warn", evaluation.count(Status::kWarn)},
                    {"ok", evaluation.count(Status::kOk)}};
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (const RuleResult& result : evaluation.results) {
    nlohmann::ordered_json rule;
    rule["rule"] = budget::rule_name(result.rule);
    rule["subject"] = result.subject;
    rule["status"] = budget::status_name(result.status);
    rule[result.is_time() ? "used_us" : "used_bytes"] = result.used_bytes;
    rule[result.is_time() ? "limit_us" : "limit_bytes"] = result.limit_bytes;
    // JSON has no infinity: a zero limit with something used has no percentage.
    if (std::isinf(result.percent))
      rule["percent"] = nullptr;
    else
      rule["percent"] = std::round(result.percent * 100.0) / 100.0;
    rule["config_line"] = result.config_line;
    rule["message"] = describe_budget_rule(result, SizeUnits::kDecimal);
    if (result.rule == Rule::kPackage) rule["installed"] = result.installed;
    if (result.rule == Rule::kImportDistribution || result.rule == Rule::kImportModule)
      rule["imported"] = result.installed;
    if (result.rule == Rule::kPackage || result.rule == Rule::kPerPackage)
      rule["version"] = result.version;
    if (result.rule == Rule::kPerPackage)
      rule["distributions"] = std::max<std::size_t>(result.distributions, 1);
    if (result.rule == Rule::kUnused) {
      rule["finding"] = result.finding;
      rule["distributions"] = result.removes;
      rule["action"] = result.action;
    }
    if (result.rule == Rule::kIncrease) {
      rule["baseline_bytes"] = result.baseline_bytes;
      rule["current_bytes"] = result.current_bytes;
      rule["change_bytes"] = static_cast<std::int64_t>(result.current_bytes) -
                             static_cast<std::int64_t>(result.baseline_bytes);
      if (result.limit_percent) rule["limit_percent"] = *result.limit_percent;
    }
    rules.push_back(std::move(rule));
  }
  json["rules"] = std::move(rules);
  json["notes"] = evaluation.notes;
  json["unknown"] = evaluation.unknown;
  json["unknown_allowed"] = evaluation.unknown_allowed;
  return json;
}

std::string render_budget_github(const BudgetEvaluation& evaluation, const RenderOptions& options) {
  std::string out;
  // A relative path is relative to the workspace, where GitHub can show the annotation on the
  // budget file itself; an absolute one would point nowhere.
  const bool point_at_file =
      !evaluation.config_file.empty() && evaluation.config_file.front() != '/';
  for (const RuleResult& result : evaluation.results) {
    if (result.status == Status::kOk) continue;
    const bool failed = result.status == Status::kFail;
    std::string properties;
    if (point_at_file && result.config_line > 0)
      properties = fmt::format("file={},line={},", github_escape_property(evaluation.config_file),
                               result.config_line);
    const std::string subject =
        result.subject.empty() ? budget::rule_name(result.rule) : result.subject;
    const char* title = result.rule == Rule::kUnused ? "Unused"
                        : failed                     ? "Over budget"
                                                     : "Near budget";
    properties += "title=" + github_escape_property(fmt::format("{}: {}", title, subject));
    out += fmt::format("::{} {}::{}\n", failed ? "error" : "warning", properties,
                       github_escape_data(describe_budget_rule(result, options.units)));
  }
  for (const std::string& line : unknown_lines(evaluation))
    out += fmt::format("::{} title=Budget incomplete::{}\n",
                       evaluation.complete() ? "notice" : "error",
                       github_escape_data("size unknown, not counted: " + line));
  for (const std::string& note : evaluation.notes)
    out += fmt::format("::notice title=pkgsizer budget::{}\n", github_escape_data(note));
  RenderOptions plain = options;
  plain.color = false;  // the log of a job is no terminal
  // The table is shown in the same log: no line of it may be a workflow command.
  return out + neutralize_workflow_commands(render_budget_text(evaluation, plain));
}

std::string render_budget_junit(const BudgetEvaluation& evaluation, const RenderOptions& options) {
  // Unknown sizes are one more test case, failed unless --allow-unknown.
  const bool has_unknown = !evaluation.unknown.empty();
  const std::size_t tests = evaluation.results.size() + (has_unknown ? 1 : 0);
  const std::size_t failures = evaluation.count(Status::kFail) + (evaluation.complete() ? 0 : 1);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"pkgsizer\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
                     tests, failures);
  out += fmt::format(
      "  <testsuite name=\"pkgsizer budget\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
      "skipped=\"0\">\n",
      tests, failures);
  out += "    <properties>\n";
  out += fmt::format("      <property name=\"config\" value=\"{}\"/>\n",
                     escape_xml(evaluation.config_file));
  out += fmt::format("      <property name=\"environment\" value=\"{}\"/>\n",
                     escape_xml(evaluation.environment));
  out += fmt::format("      <property name=\"warn_at\" value=\"{}\"/>\n",
                     format_warn_at(evaluation.warn_at_percent));
  out += "    </properties>\n";
  for (const RuleResult& result : evaluation.results) {
    const std::string message = describe_budget_rule(result, options.units);
    out += fmt::format("    <testcase classname=\"pkgsizer.budget.{}\" name=\"{}\" time=\"0\">\n",
                       budget::rule_name(result.rule), escape_xml(testcase_name(result)));
    if (result.status == Status::kFail && result.rule == Rule::kUnused) {
      out += fmt::format("      <failure type=\"unused\" message=\"{}\">{}</failure>\n",
                         escape_xml(message), escape_xml(result.action));
    } else if (result.status == Status::kFail) {
      out += fmt::format(
          "      <failure type=\"budget\" message=\"{}\">{}</failure>\n", escape_xml(message),
          escape_xml(fmt::format(
              "used {} of {} ({})", amount(result, result.used_bytes, options.units),
              amount(result, result.limit_bytes, options.units), format_percent(result.percent))));
    } else {
      out += fmt::format("      <system-out>{}{}</system-out>\n",
                         result.status == Status::kWarn ? "warning: " : "", escape_xml(message));
    }
    out += "    </testcase>\n";
  }
  if (has_unknown) {
    std::string lines;
    for (const std::string& line : evaluation.unknown) lines += line + "\n";
    const std::string message = fmt::format("{} not counted: the budget cannot be confirmed",
                                            plural(evaluation.unknown.size(), "unknown size"));
    out +=
        "    <testcase classname=\"pkgsizer.budget.unknown\" name=\"unknown sizes\" "
        "time=\"0\">\n";
    if (evaluation.complete())
      out += fmt::format("      <system-out>allowed: {}</system-out>\n", escape_xml(lines));
    else
      out += fmt::format("      <failure type=\"incomplete\" message=\"{}\">{}</failure>\n",
                         escape_xml(message), escape_xml(lines));
    out += "    </testcase>\n";
  }
  if (!evaluation.notes.empty()) {
    out += "    <system-out>";
    for (const std::string& note : evaluation.notes) out += escape_xml(note) + "\n";
    out += "</system-out>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace pkgsizer::report
