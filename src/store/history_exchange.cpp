#include "store/history_exchange.hpp"

#include <fmt/format.h>

#include "model/scan_json.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"

namespace pkgsizer::store {
namespace {

constexpr const char* kExportKind = "pkgsizer-history";

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorCategory::kUsage, message); }

NewSnapshot snapshot_from_entry(const nlohmann::json& entry, const std::string& environment) {
  if (!entry.is_object()) fail("not an object");
  NewSnapshot snapshot;
  snapshot.environment = environment.empty() ? entry.value("environment", "imported") : environment;
  snapshot.label = entry.value("label", "");
  snapshot.git_commit = entry.value("git_commit", "");
  snapshot.git_branch = entry.value("git_branch", "");
  if (!entry.contains("scan")) fail("no scan");
  snapshot.scan = model::scan_from_json(entry.at("scan"));
  return snapshot;
}

}  // namespace

nlohmann::ordered_json snapshot_summary_to_json(const SnapshotSummary& snapshot) {
  return {{"id", snapshot.id},
          {"environment", snapshot.environment},
          {"label", snapshot.label},
          {"created_at", snapshot.created_at},
          {"git_commit", snapshot.git_commit},
          {"git_branch", snapshot.git_branch},
          {"distributions", snapshot.distributions},
          {"apparent_bytes", snapshot.apparent_bytes},
          {"disk_bytes", snapshot.disk_bytes}};
}

nlohmann::ordered_json export_history(const History& history, const std::string& environment) {
  nlohmann::ordered_json snapshots = nlohmann::ordered_json::array();
  for (const auto& snapshot : history.list(environment)) {
    nlohmann::ordered_json entry = snapshot_summary_to_json(snapshot);
    entry["scan"] = model::scan_to_json(history.load(snapshot.id));
    snapshots.push_back(std::move(entry));
  }
  return {{"schema_version", 1}, {"kind", kExportKind}, {"snapshots", snapshots}};
}

std::vector<NewSnapshot> parse_history_export(const std::string& text, const std::string& file_name,
                                              const std::string& environment) {
  nlohmann::json document;
  try {
    document = parse_json(text);
  } catch (const nlohmann::json::parse_error& error) {
    fail(fmt::format("{}: not JSON (byte {})", file_name, error.byte));
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double's range (1e400)
    fail(fmt::format("{}: not JSON (a number out of range)", file_name));
  }
  const bool marked = document.is_object() && document.contains("kind") &&
                      document.at("kind").is_string() && document.at("kind") == kExportKind;
  if (!marked || !document.contains("snapshots") || !document.at("snapshots").is_array())
    fail(fmt::format("{}: not a pkgsizer history export (from `track export`)", file_name));
  std::vector<NewSnapshot> snapshots;
  for (const nlohmann::json& entry : document.at("snapshots")) {
    try {
      snapshots.push_back(snapshot_from_entry(entry, environment));
    } catch (const std::exception& error) {  // scan_from_json's, and nlohmann's type errors
      fail(fmt::format("{}: snapshot {}: {}", file_name, snapshots.size() + 1, error.what()));
    }
  }
  return snapshots;
}

}  // namespace pkgsizer::store
