// Size history: snapshots of whole scans, per named environment, for `track` and for
// `compare @label`. In a SQLite file (default: $XDG_DATA_HOME/pkgsizer/history.sqlite3) or in a
// PostgreSQL database shared by a team (a postgresql:// URL, store/postgres_history.hpp): one
// interface, and nothing above the store knows which.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace pkgsizer::store {

class Database;
class PostgresHistory;

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
  // Writes to a history that must exist already (delete): nothing is created.
  kModify,
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
  // A postgresql:// or postgres:// `path` is a PostgreSQL database (libpq also reads PGHOST,
  // PGPASSWORD, ~/.pgpass, PGSERVICE, PGSSLMODE...); its failures are pkgsizer::Error (kStore),
  // one line without the password. `connect_timeout_seconds` (0: $PGCONNECT_TIMEOUT, else
  // 10 s) bounds the wait for its server.
  explicit History(const std::string& path, HistoryAccess access = HistoryAccess::kWrite,
                   int connect_timeout_seconds = 0);
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
  // Every snapshot (of `environment`, all when empty) created before `created_before` (ISO 8601
  // UTC), in one transaction; how many there were.
  std::int64_t remove_created_before(const std::string& created_before,
                                     const std::string& environment);
  // Where the history is, as it may be shown: a URL without its password.
  const std::string& path() const;

 private:
  std::unique_ptr<Database> database_;         // a SQLite file, or
  std::unique_ptr<PostgresHistory> postgres_;  // a PostgreSQL database
};

// True when `path` names a history that is not a local file (a postgresql:// URL): whether it
// exists is for the server to say, when it is opened.
bool is_remote_history(const std::string& path);

// $PKGSIZER_HISTORY, else $XDG_DATA_HOME/pkgsizer/history.sqlite3, else
// ~/.local/share/pkgsizer/history.sqlite3; "" without a home. The environment is read by the
// caller and passed in.
std::string default_history_path(const char* pkgsizer_history, const char* xdg_data_home,
                                 const char* home);

// default_history_path() for this process: $PKGSIZER_HISTORY, $XDG_DATA_HOME and the home
// directory (util/home). Empty when there is no home.
std::string history_path_from_environment();

}  // namespace pkgsizer::store
