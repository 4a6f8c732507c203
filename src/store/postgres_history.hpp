// The history (store/history.hpp) in a PostgreSQL database, so that every CI runner of a team
// writes one shared history. The schema (docs/team-history.md): one row per snapshot in
// pkgsizer_snapshots (its summary and its whole scan as JSON), one row per distribution of it
// in pkgsizer_distributions, and the schema's version in pkgsizer_schema_version. Migrations
// run under an advisory lock, so that processes migrating at once queue up; every write is one
// transaction. Only store/history.cpp uses it: above the store, no one knows the backend.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/history.hpp"

namespace pkgsizer::store {

class PostgresConnection;

class PostgresHistory {
 public:
  // Connects and, for kWrite, creates or migrates the schema. Throws pkgsizer::Error: kStore
  // for a server that cannot be reached or refuses (one line, no password), kNotFound when a
  // command that does not create finds no history there.
  PostgresHistory(const std::string& url, HistoryAccess access, int connect_timeout_seconds);
  ~PostgresHistory();
  PostgresHistory(const PostgresHistory&) = delete;
  PostgresHistory& operator=(const PostgresHistory&) = delete;

  std::int64_t add_snapshot(const std::string& environment, const std::string& label,
                            const std::string& git_commit, const std::string& git_branch,
                            const Scan& scan);
  void add_snapshots(const std::vector<NewSnapshot>& snapshots);
  std::vector<SnapshotSummary> list(const std::string& environment) const;
  std::vector<std::string> environments() const;
  std::optional<SnapshotSummary> find(const std::string& reference,
                                      const std::string& environment) const;
  Scan load(std::int64_t id) const;
  bool remove(std::int64_t id);
  std::int64_t remove_created_before(const std::string& created_before,
                                     const std::string& environment);
  const std::string& location() const { return location_; }

 private:
  std::int64_t schema_version() const;
  void migrate();
  std::int64_t insert(const std::string& environment, const std::string& label,
                      const std::string& git_commit, const std::string& git_branch,
                      const Scan& scan);

  std::string location_;
  std::unique_ptr<PostgresConnection> connection_;
};

}  // namespace pkgsizer::store
