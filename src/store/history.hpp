// Size history in SQLite: snapshots of whole scans, per named environment, for `track` and
// for `compare @label`. Default file: $XDG_DATA_HOME/pkgsizer/history.sqlite3.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace pkgsizer::store {

class Database;

struct SnapshotSummary {
  std::int64_t id = 0;
  std::string environment;  // the name it is tracked under (--name, default: its path)
  std::string label;
  std::string created_at;  // ISO 8601 UTC
  std::string git_commit;  // empty outside a git repository
  std::string git_branch;
  std::uint64_t distributions = 0;
  std::uint64_t apparent_bytes = 0;  // totals.selected of the scan
  std::uint64_t disk_bytes = 0;
};

class History {
 public:
  // Opens or creates the store. Throws StoreCorrupt (never moves history aside) or StoreError.
  explicit History(const std::string& path);
  ~History();

  std::int64_t add_snapshot(const std::string& environment, const std::string& label,
                            const std::string& git_commit, const std::string& git_branch,
                            const Scan& scan);
  // Oldest first. An empty environment lists every environment's snapshots.
  std::vector<SnapshotSummary> list(const std::string& environment) const;
  std::vector<std::string> environments() const;
  // "@12" or "12": by id; "@label" or "label": the newest snapshot with that label (in
  // `environment` when it is not empty); "@latest": the newest.
  std::optional<SnapshotSummary> find(const std::string& reference,
                                      const std::string& environment) const;
  Scan load(std::int64_t id) const;
  bool remove(std::int64_t id);
  const std::string& path() const;

 private:
  std::unique_ptr<Database> database_;
};

// $PKGSIZER_HISTORY, else $XDG_DATA_HOME/pkgsizer/history.sqlite3, else
// ~/.local/share/pkgsizer/history.sqlite3. The environment is read by the caller and passed in.
std::string default_history_path(const char* pkgsizer_history, const char* xdg_data_home,
                                 const char* home);

}  // namespace pkgsizer::store
