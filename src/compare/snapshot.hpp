// Scans from the `track` history and from saved files, for the commands that compare against
// one: the one lookup of an @reference ("@label", "@12", "@latest") behind `compare @ref`,
// `track`'s references and `--baseline` (check-budget, scan-env --budget).
#pragma once

#include <optional>
#include <string>

#include "model/model.hpp"

namespace pkgsizer::compare {

// "@label", "@12", "@latest" name a snapshot; anything else is a path.
bool is_snapshot_reference(const std::string& text);

struct SnapshotLookup {
  enum class Outcome { kFound, kNoHistory, kNoSuchSnapshot };
  Outcome outcome = Outcome::kNoHistory;
  Scan scan;  // when found
};

// The snapshot `reference` names in the history at `history_path` (empty: none). A missing
// history or snapshot is an outcome, worded by the caller; the store's own errors (a damaged
// or foreign history: store::StoreCorrupt, ...) pass through. `connect_timeout_seconds`: how
// long to wait for a PostgreSQL history's server (0: $PGCONNECT_TIMEOUT, else 10; as `track
// --timeout`).
SnapshotLookup find_snapshot(const std::string& reference, const std::string& history_path,
                             int connect_timeout_seconds = 0);

// A baseline: a snapshot when `reference` starts with '@', else a JSON scan file. Throws
// pkgsizer::Error, its message starting with `option` ("--baseline"): kNotFound for a missing
// history or snapshot, kStore for a history that cannot be read, kUsage for a file that cannot
// be read or is not a scan.
Scan load_baseline(const std::string& reference, const std::string& history_path,
                   const std::string& option, int connect_timeout_seconds = 0);

}  // namespace pkgsizer::compare
