// One connection to PostgreSQL through libpq (store/libpq_api.hpp): statements only with their
// values as parameters (PQexecParams: the text of a value never becomes SQL), transactions, and
// every failure as one line, pkgsizer::Error (kStore), naming the history by a location that
// holds no password.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace pkgsizer::store {

// The rows of one statement, as text (libpq's text format).
class PostgresRows {
 public:
  explicit PostgresRows(pg_result* result);
  ~PostgresRows();
  PostgresRows(const PostgresRows&) = delete;
  PostgresRows& operator=(const PostgresRows&) = delete;
  PostgresRows(PostgresRows&& other) noexcept;
  PostgresRows& operator=(PostgresRows&&) = delete;

  int size() const;
  std::string text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  bool is_null(int row, int column) const;
  // How many rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected() const;

 private:
  pg_result* result_;
};

struct PostgresConnectOptions {
  std::string url;       // postgresql://... (libpq reads PGHOST, PGPASSWORD, ~/.pgpass too)
  std::string location;  // the URL without its password, for messages
  int connect_timeout_seconds = 0;  // 0: $PGCONNECT_TIMEOUT, else 10 s
};

class PostgresConnection {
 public:
  explicit PostgresConnection(const PostgresConnectOptions& options);
  ~PostgresConnection();
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // Runs one statement; $1, $2, ... are `parameters`, sent apart from the SQL text.
  PostgresRows run(const std::string& sql, const std::vector<std::string>& parameters = {});
  // Runs `work` between BEGIN and COMMIT; ROLLBACK when it throws (and the server rolls back by
  // itself when the connection is lost first: nothing is half-written).
  void transaction(const std::function<void()>& work);
  const std::string& location() const { return location_; }

 private:
  [[noreturn]] void fail(const std::string& doing, const std::string& detail) const;

  pg_conn* connection_ = nullptr;
  std::string url_;  // kept only to take it, and its password, out of libpq's messages
  std::string location_;
};

// libpq's message as one line: its lines joined, runs of blanks made one space, trimmed.
std::string one_line(const std::string& message);

}  // namespace pkgsizer::store
