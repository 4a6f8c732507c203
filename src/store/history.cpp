#include "store/history.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "model/scan_json.hpp"
#include "store/database.hpp"
#include "store/history_location.hpp"
#include "store/postgres_history.hpp"
#include "store/snapshot_reference.hpp"
#include "util/dirs.hpp"
#include "util/error.hpp"
#include "util/home.hpp"
#include "util/json_text.hpp"

namespace pkgsizer::store {
namespace {

constexpr std::int32_t kHistoryApplicationId = 0x706B7368;  // "pksh"

const std::vector<Database::Migration>& history_migrations() {
  static const std::vector<Database::Migration> migrations{
      [](Database& db) {
        db.exec(R"SQL(
          CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            environment TEXT NOT NULL,
            label TEXT NOT NULL,
            created_at TEXT NOT NULL,
            git_commit TEXT NOT NULL DEFAULT '',
            git_branch TEXT NOT NULL DEFAULT '',
            distributions INTEGER NOT NULL,
            apparent_bytes INTEGER NOT NULL,
            disk_bytes INTEGER NOT NULL,
            scan_json TEXT NOT NULL
          );
          CREATE INDEX snapshots_by_environment ON snapshots (environment, id);
        )SQL");
      },
  };
  return migrations;
}

constexpr const char* kSummaryColumns =
    "id, environment, label, created_at, git_commit, git_branch, distributions, apparent_bytes, "
    "disk_bytes";

SnapshotSummary summary_from(const Statement& row) {
  SnapshotSummary summary;
  summary.id = row.column_int(0);
  summary.environment = row.column_text(1);
  summary.label = row.column_text(2);
  summary.created_at = row.column_text(3);
  summary.git_commit = row.column_text(4);
  summary.git_branch = row.column_text(5);
  summary.distributions = static_cast<std::uint64_t>(row.column_int(6));
  summary.apparent_bytes = static_cast<std::uint64_t>(row.column_int(7));
  summary.disk_bytes = static_cast<std::uint64_t>(row.column_int(8));
  return summary;
}

void insert_snapshot(Database& database, const std::string& environment, const std::string& label,
                     const std::string& git_commit, const std::string& git_branch,
                     const Scan& scan) {
  Statement insert = database.prepare(
      "INSERT INTO snapshots (environment, label, created_at, git_commit, git_branch, "
      "distributions, apparent_bytes, disk_bytes, scan_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, environment)
      .bind(2, label)
      .bind(3, scan.created_at)
      .bind(4, git_commit)
      .bind(5, git_branch)
      .bind(6, static_cast<std::int64_t>(scan.totals.distributions))
      .bind(7, static_cast<std::int64_t>(scan.totals.selected.apparent_bytes))
      .bind(8, static_cast<std::int64_t>(scan.totals.selected.disk_bytes))
      .bind(9, dump_json(model::scan_to_json(scan)));
  insert.run();
}

std::unique_ptr<Database> open_history_database(const std::string& path, HistoryAccess access) {
  std::error_code error;
  if (access != HistoryAccess::kWrite && !std::filesystem::exists(path, error))
    throw Error(ErrorCategory::kNotFound,
                fmt::format("no snapshot history at {} (take a snapshot with `pkgsizer track "
                            "snapshot`)",
                            path));
  OpenOptions options;
  options.mode = access == HistoryAccess::kRead ? OpenMode::kReadOnly : OpenMode::kWrite;
  options.verify_integrity = true;
  try {
    return std::make_unique<Database>(path, kHistoryApplicationId, history_migrations(), options);
  } catch (const StoreCorrupt& error) {
    // Unlike the cache, a history holds what cannot be measured again: never moved or rebuilt.
    throw StoreCorrupt(fmt::format(
        "{}; the history was left as it is (move it away to start a new one)", error.what()));
  }
}

}  // namespace

History::History(const std::string& path, HistoryAccess access, int connect_timeout_seconds) {
  if (is_postgres_url(path))
    postgres_ = std::make_unique<PostgresHistory>(path, access, connect_timeout_seconds);
  else
    database_ = open_history_database(path, access);
}

History::~History() = default;

bool is_remote_history(const std::string& path) { return is_postgres_url(path); }

const std::string& History::path() const {
  return postgres_ ? postgres_->location() : database_->path();
}

std::int64_t History::add_snapshot(const std::string& environment, const std::string& label,
                                   const std::string& git_commit, const std::string& git_branch,
                                   const Scan& scan) {
  if (postgres_) return postgres_->add_snapshot(environment, label, git_commit, git_branch, scan);
  std::int64_t id = 0;
  database_->transaction([&] {
    insert_snapshot(*database_, environment, label, git_commit, git_branch, scan);
    id = database_->last_insert_id();
  });
  return id;
}

void History::add_snapshots(const std::vector<NewSnapshot>& snapshots) {
  if (postgres_) return postgres_->add_snapshots(snapshots);
  database_->transaction([&] {
    for (const NewSnapshot& snapshot : snapshots)
      insert_snapshot(*database_, snapshot.environment, snapshot.label, snapshot.git_commit,
                      snapshot.git_branch, snapshot.scan);
  });
}

std::vector<SnapshotSummary> History::list(const std::string& environment) const {
  if (postgres_) return postgres_->list(environment);
  Statement query = database_->prepare(fmt::format(
      "SELECT {} FROM snapshots WHERE ? = '' OR environment = ? ORDER BY id", kSummaryColumns));
  query.bind(1, environment).bind(2, environment);
  std::vector<SnapshotSummary> snapshots;
  while (query.step()) snapshots.push_back(summary_from(query));
  return snapshots;
}

std::vector<std::string> History::environments() const {
  if (postgres_) return postgres_->environments();
  Statement query =
      database_->prepare("SELECT DISTINCT environment FROM snapshots ORDER BY environment");
  std::vector<std::string> names;
  while (query.step()) names.push_back(query.column_text(0));
  return names;
}

std::optional<SnapshotSummary> History::find(const std::string& reference,
                                             const std::string& environment) const {
  if (postgres_) return postgres_->find(reference, environment);
  const SnapshotReference key = parse_snapshot_reference(reference);
  std::optional<Statement> query;
  switch (key.kind) {
    case SnapshotReference::Kind::kNone:
      return std::nullopt;
    case SnapshotReference::Kind::kLatest:
      query.emplace(database_->prepare(fmt::format(
          "SELECT {} FROM snapshots WHERE ? = '' OR environment = ? ORDER BY id DESC LIMIT 1",
          kSummaryColumns)));
      query->bind(1, environment).bind(2, environment);
      break;
    case SnapshotReference::Kind::kId:
      query.emplace(database_->prepare(
          fmt::format("SELECT {} FROM snapshots WHERE id = ?", kSummaryColumns)));
      query->bind(1, key.id);
      break;
    case SnapshotReference::Kind::kLabel:
      query.emplace(
          database_->prepare(fmt::format("SELECT {} FROM snapshots WHERE label = ? AND (? = '' OR "
                                         "environment = ?) ORDER BY id DESC LIMIT 1",
                                         kSummaryColumns)));
      query->bind(1, key.label).bind(2, environment).bind(3, environment);
      break;
  }
  if (!query->step()) return std::nullopt;
  return summary_from(*query);
}

Scan History::load(std::int64_t id) const {
  if (postgres_) return postgres_->load(id);
  Statement query = database_->prepare("SELECT scan_json FROM snapshots WHERE id = ?");
  query.bind(1, id);
  if (!query.step()) throw StoreError(fmt::format("{}: no snapshot {}", path(), id));
  nlohmann::json json;
  try {
    json = parse_json(query.column_text(0));
  } catch (const nlohmann::json::exception&) {
    throw StoreCorrupt(fmt::format(
        "{}: snapshot {} is not valid JSON; the history was left as it is", path(), id));
  }
  try {
    return model::scan_from_json(json);
  } catch (const std::runtime_error& error) {
    throw StoreCorrupt(fmt::format("{}: snapshot {}: {}; the history was left as it is", path(), id,
                                   error.what()));
  }
}

bool History::remove(std::int64_t id) {
  if (postgres_) return postgres_->remove(id);
  bool removed = false;
  database_->transaction([&] {
    Statement erase = database_->prepare("DELETE FROM snapshots WHERE id = ?");
    erase.bind(1, id);
    erase.run();
    removed = database_->query_int("SELECT changes()") > 0;
  });
  return removed;
}

std::int64_t History::remove_created_before(const std::string& created_before,
                                            const std::string& environment) {
  if (postgres_) return postgres_->remove_created_before(created_before, environment);
  std::int64_t removed = 0;
  database_->transaction([&] {
    Statement erase = database_->prepare(
        "DELETE FROM snapshots WHERE created_at < ? AND (? = '' OR environment = ?)");
    erase.bind(1, created_before).bind(2, environment).bind(3, environment);
    erase.run();
    removed = database_->query_int("SELECT changes()");
  });
  return removed;
}

std::string default_history_path(const char* pkgsizer_history, const char* xdg_data_home,
                                 const char* home) {
  if (pkgsizer_history && *pkgsizer_history) return pkgsizer_history;
  const std::string directory = user_data_dir(xdg_data_home, home);
  return directory.empty() ? "" : directory + "/history.sqlite3";
}

std::string history_path_from_environment() {
  return default_history_path(std::getenv("PKGSIZER_HISTORY"), std::getenv("XDG_DATA_HOME"),
                              home_directory().c_str());
}

}  // namespace pkgsizer::store
