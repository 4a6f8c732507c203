#include "store/postgres_history.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "model/scan_json.hpp"
#include "store/history_location.hpp"
#include "store/postgres_connection.hpp"
#include "store/snapshot_reference.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"

namespace pkgsizer::store {
namespace {

// The key of the advisory lock that migrations hold ("pksh", as the SQLite application_id).
constexpr const char* kMigrationLockKey = "1886089064";

// Migration i takes the schema from version i to i + 1, one statement at a time (PQexecParams
// runs one). Never edit one that has shipped: add one.
using Migration = std::vector<std::string>;

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> steps{
      {
          R"SQL(CREATE TABLE pkgsizer_snapshots (
            id bigserial PRIMARY KEY,
            environment text NOT NULL,
            label text NOT NULL,
            created_at text NOT NULL,
            git_commit text NOT NULL DEFAULT '',
            git_branch text NOT NULL DEFAULT '',
            distributions bigint NOT NULL,
            apparent_bytes bigint NOT NULL,
            disk_bytes bigint NOT NULL,
            scan_json text NOT NULL))SQL",
          "CREATE INDEX pkgsizer_snapshots_by_environment ON pkgsizer_snapshots (environment, id)",
          "CREATE INDEX pkgsizer_snapshots_by_label ON pkgsizer_snapshots (label, id)",
          "CREATE INDEX pkgsizer_snapshots_by_created_at ON pkgsizer_snapshots (created_at)",
          R"SQL(CREATE TABLE pkgsizer_distributions (
            snapshot_id bigint NOT NULL REFERENCES pkgsizer_snapshots (id) ON DELETE CASCADE,
            name text NOT NULL,
            version text NOT NULL,
            apparent_bytes bigint NOT NULL,
            disk_bytes bigint NOT NULL))SQL",
          R"SQL(CREATE INDEX pkgsizer_distributions_by_snapshot
            ON pkgsizer_distributions (snapshot_id))SQL",
          R"SQL(CREATE INDEX pkgsizer_distributions_by_name
            ON pkgsizer_distributions (name, snapshot_id))SQL",
      },
  };
  return steps;
}

constexpr const char* kSummaryColumns =
    "id, environment, label, created_at, git_commit, git_branch, distributions, apparent_bytes, "
    "disk_bytes";

SnapshotSummary summary_from(const PostgresRows& rows, int row) {
  SnapshotSummary summary;
  summary.id = rows.integer(row, 0);
  summary.environment = rows.text(row, 1);
  summary.label = rows.text(row, 2);
  summary.created_at = rows.text(row, 3);
  summary.git_commit = rows.text(row, 4);
  summary.git_branch = rows.text(row, 5);
  summary.distributions = static_cast<std::uint64_t>(rows.integer(row, 6));
  summary.apparent_bytes = static_cast<std::uint64_t>(rows.integer(row, 7));
  summary.disk_bytes = static_cast<std::uint64_t>(rows.integer(row, 8));
  return summary;
}

// The distributions of a scan as one JSON array: one parameter for all their rows. These rows
// are for SQL (the scan itself, in scan_json, keeps every byte): a name or version that is not
// UTF-8, which PostgreSQL's text refuses, is stored printable() (a byte 0xff as "\xff").
std::string distributions_json(const Scan& scan) {
  nlohmann::json rows = nlohmann::json::array();
  for (const Distribution& distribution : scan.distributions)
    rows.push_back(
        {{"name", printable(distribution.normalized_name.empty() ? distribution.name
                                                                 : distribution.normalized_name)},
         {"version", printable(distribution.version)},
         {"apparent_bytes", distribution.size.apparent_bytes},
         {"disk_bytes", distribution.size.disk_bytes}});
  return dump_json(rows);
}

PostgresConnectOptions connect_options(const std::string& url, int connect_timeout_seconds) {
  PostgresConnectOptions options;
  options.url = url;
  options.location = printable_location(url);
  options.connect_timeout_seconds = connect_timeout_seconds;
  return options;
}

}  // namespace

PostgresHistory::PostgresHistory(const std::string& url, HistoryAccess access,
                                 int connect_timeout_seconds)
    : location_(printable_location(url)),
      connection_(
          std::make_unique<PostgresConnection>(connect_options(url, connect_timeout_seconds))) {
  const auto latest = static_cast<std::int64_t>(migrations().size());
  const std::int64_t version = schema_version();
  if (version > latest)
    throw Error(ErrorCategory::kStore,
                fmt::format("history {}: schema version {} is newer than this pkgsizer knows ({})",
                            location_, version, latest));
  if (version == latest) return;
  if (access != HistoryAccess::kWrite) {
    if (version == 0)
      throw Error(ErrorCategory::kNotFound,
                  fmt::format("no snapshot history at {} (take a snapshot with `pkgsizer track "
                              "snapshot`)",
                              location_));
    throw Error(ErrorCategory::kStore,
                fmt::format("history {}: schema version {}, not the {} this pkgsizer reads "
                            "(`pkgsizer track init` migrates it)",
                            location_, version, latest));
  }
  migrate();
}

PostgresHistory::~PostgresHistory() = default;

std::int64_t PostgresHistory::schema_version() const {
  const PostgresRows exists =
      connection_->run("SELECT to_regclass($1) IS NOT NULL", {"pkgsizer_schema_version"});
  if (exists.text(0, 0) != "t") return 0;
  const PostgresRows rows =
      connection_->run("SELECT coalesce(max(version), 0) FROM pkgsizer_schema_version");
  return rows.integer(0, 0);
}

// Under the advisory lock, processes that migrate at once take turns: the second finds the
// schema made and has nothing to do. The lock is the transaction's: a process killed holding
// it lets it go with its connection, and its half-made schema is rolled back with it.
void PostgresHistory::migrate() {
  connection_->transaction([&] {
    connection_->run("SELECT pg_advisory_xact_lock($1::bigint)", {kMigrationLockKey});
    connection_->run(
        "CREATE TABLE IF NOT EXISTS pkgsizer_schema_version (version integer NOT NULL)");
    const PostgresRows rows =
        connection_->run("SELECT coalesce(max(version), 0) FROM pkgsizer_schema_version");
    const auto latest = static_cast<std::int64_t>(migrations().size());
    const std::int64_t version = rows.integer(0, 0);
    for (std::int64_t step = version; step < latest; ++step)
      for (const std::string& statement : migrations()[static_cast<std::size_t>(step)])
        connection_->run(statement);
    if (version >= latest) return;
    connection_->run("DELETE FROM pkgsizer_schema_version");
    connection_->run("INSERT INTO pkgsizer_schema_version (version) VALUES ($1::integer)",
                     {std::to_string(latest)});
  });
}

std::int64_t PostgresHistory::insert(const std::string& environment, const std::string& label,
                                     const std::string& git_commit, const std::string& git_branch,
                                     const Scan& scan) {
  const PostgresRows rows = connection_->run(
      "INSERT INTO pkgsizer_snapshots (environment, label, created_at, git_commit, git_branch, "
      "distributions, apparent_bytes, disk_bytes, scan_json) VALUES ($1, $2, $3, $4, $5, "
      "$6::bigint, $7::bigint, $8::bigint, $9) RETURNING id",
      {environment, label, scan.created_at, git_commit, git_branch,
       std::to_string(scan.totals.distributions),
       std::to_string(scan.totals.selected.apparent_bytes),
       std::to_string(scan.totals.selected.disk_bytes), dump_json(model::scan_to_json(scan))});
  const std::string id = rows.text(0, 0);
  connection_->run(
      "INSERT INTO pkgsizer_distributions (snapshot_id, name, version, apparent_bytes, "
      "disk_bytes) SELECT $1::bigint, d->>'name', d->>'version', (d->>'apparent_bytes')::bigint, "
      "(d->>'disk_bytes')::bigint FROM jsonb_array_elements($2::jsonb) AS d",
      {id, distributions_json(scan)});
  return rows.integer(0, 0);
}

std::int64_t PostgresHistory::add_snapshot(const std::string& environment, const std::string& label,
                                           const std::string& git_commit,
                                           const std::string& git_branch, const Scan& scan) {
  std::int64_t id = 0;
  connection_->transaction([&] { id = insert(environment, label, git_commit, git_branch, scan); });
  return id;
}

void PostgresHistory::add_snapshots(const std::vector<NewSnapshot>& snapshots) {
  connection_->transaction([&] {
    for (const NewSnapshot& snapshot : snapshots)
      insert(snapshot.environment, snapshot.label, snapshot.git_commit, snapshot.git_branch,
             snapshot.scan);
  });
}

std::vector<SnapshotSummary> PostgresHistory::list(const std::string& environment) const {
  const PostgresRows rows = connection_->run(
      environment.empty()
          ? fmt::format("SELECT {} FROM pkgsizer_snapshots ORDER BY id", kSummaryColumns)
          : fmt::format("SELECT {} FROM pkgsizer_snapshots WHERE environment = $1 ORDER BY id",
                        kSummaryColumns),
      environment.empty() ? std::vector<std::string>{} : std::vector<std::string>{environment});
  std::vector<SnapshotSummary> snapshots;
  snapshots.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) snapshots.push_back(summary_from(rows, row));
  return snapshots;
}

std::vector<std::string> PostgresHistory::environments() const {
  const PostgresRows rows =
      connection_->run("SELECT DISTINCT environment FROM pkgsizer_snapshots ORDER BY environment");
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) names.push_back(rows.text(row, 0));
  return names;
}

std::optional<SnapshotSummary> PostgresHistory::find(const std::string& reference,
                                                     const std::string& environment) const {
  const SnapshotReference key = parse_snapshot_reference(reference);
  std::optional<PostgresRows> rows;
  switch (key.kind) {
    case SnapshotReference::Kind::kNone:
      return std::nullopt;
    case SnapshotReference::Kind::kLatest:
      rows.emplace(connection_->run(
          fmt::format("SELECT {} FROM pkgsizer_snapshots WHERE $1 = '' OR environment = $1 ORDER "
                      "BY id DESC LIMIT 1",
                      kSummaryColumns),
          {environment}));
      break;
    case SnapshotReference::Kind::kId:
      rows.emplace(connection_->run(
          fmt::format("SELECT {} FROM pkgsizer_snapshots WHERE id = $1::bigint", kSummaryColumns),
          {std::to_string(key.id)}));
      break;
    case SnapshotReference::Kind::kLabel:
      rows.emplace(connection_->run(
          fmt::format("SELECT {} FROM pkgsizer_snapshots WHERE label = $1 AND ($2 = '' OR "
                      "environment = $2) ORDER BY id DESC LIMIT 1",
                      kSummaryColumns),
          {key.label, environment}));
      break;
  }

  if (rows->size() == 0) return std::nullopt;
  return summary_from(*rows, 0);
}

Scan PostgresHistory::load(std::int64_t id) const {
  const PostgresRows rows = connection_->run(
      "SELECT scan_json FROM pkgsizer_snapshots WHERE id = $1::bigint", {std::to_string(id)});
  if (rows.size() == 0)
    throw Error(ErrorCategory::kNotFound, fmt::format("history {}: no snapshot {}", location_, id));
  try {
    return model::scan_from_json(parse_json(rows.text(0, 0)));
  } catch (const std::exception& error) {  // nlohmann's parse errors and scan_from_json's
    throw Error(ErrorCategory::kStore, fmt::format("history {}: snapshot {} is damaged: {}",
                                                   location_, id, one_line(error.what())));
  }
}

bool PostgresHistory::remove(std::int64_t id) {
  std::int64_t removed = 0;
  connection_->transaction([&] {
    removed =
        connection_
            ->run("DELETE FROM pkgsizer_snapshots WHERE id = $1::bigint", {std::to_string(id)})
            .affected();
  });
  return removed > 0;
}

std::int64_t PostgresHistory::remove_created_before(const std::string& created_before,
                                                    const std::string& environment) {
  std::int64_t removed = 0;
  connection_->transaction([&] {
    removed = connection_
                  ->run(
                      "DELETE FROM pkgsizer_snapshots WHERE created_at < $1 AND ($2 = '' OR "
                      "environment = $2)",
                      {created_before, environment})
                  .affected();
  });
  return removed;
}

}  // namespace pkgsizer::store
