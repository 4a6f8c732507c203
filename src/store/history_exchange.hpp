// The `track export` format (README "track"): every snapshot of a history, its summary and its
// whole scan, in one JSON document; and back, for `track import`. An import is read and checked
// whole before anything is written, and written in one transaction: all of it or nothing.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/history.hpp"

namespace pkgsizer::store {

// One snapshot's summary, as `track history --json` and the export list it.
nlohmann::ordered_json snapshot_summary_to_json(const SnapshotSummary& snapshot);

// Every snapshot of `environment` (all when empty), oldest first, with its scan.
nlohmann::ordered_json export_history(const History& history, const std::string& environment);

// The snapshots of an export's text, every one of them read and checked. `environment`, when
// not empty, replaces the names they were tracked under. Throws pkgsizer::Error (kUsage) naming
// `file_name` (and the snapshot, counted from 1) when any of it is not what an export holds.
std::vector<NewSnapshot> parse_history_export(const std::string& text, const std::string& file_name,
                                              const std::string& environment);

}  // namespace pkgsizer::store
