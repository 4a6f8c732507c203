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

// What a command does with the history.
enum class HistoryAccess {
  kWrite,  // creates the file when missing
  // Only reads (history, show, diff, graph, export, compare @REF): nothing is created or
  // written, and a file this user may only read can be read.
  kRead,
};

// One snapshot to add, with everything it is recorded with.
struct NewSnapshot {
  std::string environment;
  std::string label;
  std::string git_commit;
  std::string git_branch;
  Scan scan;
};

class History {
 public:
  // Opens the store, or creates it (kWrite). On open, a file that changed since it was last
  // found sound is checked with SQLite's quick_check (store/check_stamp.hpp). Throws
  // StoreCorrupt when it is damaged or foreign (never moves history aside, never writes to it)
  // or StoreError; with kRead, pkgsizer::Error (kNotFound) "no history at PATH" when the file
  // does not exist.
  explicit History(const std::string& path, HistoryAccess access = HistoryAccess::kWrite);
  ~History();

  std::int64_t add_snapshot(const std::string& environment, const std::string& label,
                            const std::string& git_commit, const std::string& git_branch,
                            const Scan& scan);
  // All of them in one transaction: after a crash or an error, either all or none are there.
  void add_snapshots(const std::vector<NewSnapshot>& snapshots);
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
// ~/.local/share/pkgsizer/history.sqlite3; "" without a home. The environment is read by the
// caller and passed in.
std::string default_history_path(const char* pkgsizer_history, const char* xdg_data_home,
                                 const char* home);

// default_history_path() for this process: $PKGSIZER_HISTORY, $XDG_DATA_HOME and the home
// directory (util/home). Empty when there is no home.
std::string history_path_from_environment();

}  // namespace pkgsizer::store
