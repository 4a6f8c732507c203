// How `track`, `compare` and `check-budget` name a snapshot of a history ("@latest", "@42",
// "@v1.2"), read once for both history back ends (SQLite and PostgreSQL).
#pragma once

#include <cstdint>
#include <string>

namespace pkgsizer::store {

struct SnapshotReference {
  enum class Kind {
    kLatest,  // "latest": the newest snapshot (of the environment, when one is given)
    kId,      // all digits: the snapshot with that id
    kLabel,   // anything else: the newest snapshot with that label
    kNone,    // all digits but beyond a 64-bit id: names no snapshot (not a damaged store)
  };
  Kind kind = Kind::kLatest;
  std::int64_t id = 0;  // of kId
  std::string label;    // of kLabel
};

// `reference`, with or without its leading '@'.
SnapshotReference parse_snapshot_reference(const std::string& reference);

}  // namespace pkgsizer::store
