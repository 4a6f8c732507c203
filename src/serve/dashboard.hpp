// The pages and the JSON API of `pkgsizer serve` (docs/serve.md), over a history store (a SQLite
// file or a PostgreSQL URL, store::History), without HTTP: a request's route and parameters in,
// a status, a media type and a body out. Reads go through a pool of store connections and an
// in-memory index of the snapshot summaries (refreshed from the store every few seconds, and at
// once by this server's own uploads), so listings stay fast at tens of thousands of snapshots;
// writes go through one writer connection, one at a time (SQLite: WAL, one writer).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "serve/routes.hpp"
#include "store/history.hpp"

namespace pkgsizer::serve {

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
};

struct DashboardOptions {
  std::string history_path;
  int connect_timeout_seconds = 0;
  std::size_t readers = 4;            // store connections for reads
  std::size_t page_size = 50;         // rows of a listing page
  std::size_t chart_snapshots = 200;  // the newest ones a trend chart draws
};

// What an upload names besides its scan.
struct UploadFields {
  std::string environment;
  std::string label;
  std::string git_commit;
  std::string git_branch;
};

class Dashboard {
 public:
  explicit Dashboard(const DashboardOptions& options);
  ~Dashboard();
  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;

  // A GET of `route` with the query's `page` parameter (as given; "" when absent).
  Response get(const Route& route, const std::string& page) const;
  // POST /api/scans: `body` is the scan JSON of `scan-env --json`, or {"scan": ..., and the
  // fields}; `fields` come from the query and are overridden by the body's. Never throws for a
  // bad upload: 400 with a one-line reason.
  Response upload(const std::string& body, UploadFields fields);
  // Reads the store's summaries again (snapshots other writers added or deleted).
  void refresh();
  std::size_t snapshot_count() const;

 private:
  class Lease;
  struct Index {
    // Per environment, oldest first; environments in name order.
    std::map<std::string, std::vector<store::SnapshotSummary>> by_environment;
    std::map<std::int64_t, store::SnapshotSummary> by_id;
  };

  Response environments(const Route& route, std::size_t page) const;
  Response environment(const Route& route, std::size_t page) const;
  Response chart(const Route& route) const;
  Response snapshot(const Route& route) const;
  Response recommendations(const Route& route) const;
  Response diff(const Route& route) const;
  std::optional<store::SnapshotSummary> summary(std::int64_t id) const;
  void add_to_index(const store::SnapshotSummary& summary);

  DashboardOptions options_;
  std::mutex writer_mutex_;
  std::unique_ptr<store::History> writer_;
  mutable std::mutex pool_mutex_;
  mutable std::condition_variable pool_available_;
  mutable std::vector<std::unique_ptr<store::History>> pool_;
  mutable std::shared_mutex index_mutex_;
  Index index_;
};

}  // namespace pkgsizer::serve
