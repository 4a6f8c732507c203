// The one module that talks to SQLite: opening a store file (WAL, busy timeout, schema
// migrations by PRAGMA user_version), prepared statements, and transactions.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::store {

// A store file that is not ours, or is damaged: the caller decides (cache: move aside and
// rebuild; history: stop and say so, never drop it).
class StoreCorrupt : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Any other SQLite failure (disk full, permissions, a lock held longer than the busy timeout).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, const std::string& value);
  Statement& bind_blob(int index, const std::string& bytes);
  Statement& bind_null(int index);
  bool step();  // true while a row is available
  void reset();
  void run();  // step to completion, for statements without rows

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  // The column's bytes without a copy: valid until the next step(), reset() or destruction.
  std::string_view column_view(int index) const;
  bool column_is_null(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

class Database {
 public:
  // Each migration takes the schema from version i to i + 1 (index i in the list).
  using Migration = std::function<void(Database&)>;

  // Opens (creating parent directories and the file) and migrates. Throws StoreCorrupt when
  // the file is not a pkgsizer store of this kind (application_id) or SQLite calls it damaged.
  Database(const std::string& path, std::int32_t application_id,
           const std::vector<Migration>& migrations);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  // The first column of the first row (0 when there is none).
  std::int64_t query_int(std::string_view sql);
  std::int64_t last_insert_id() const;
  const std::string& path() const { return path_; }

  // Runs `work` in BEGIN IMMEDIATE ... COMMIT, rolling back if it throws.
  void transaction(const std::function<void()>& work);

 private:
  void set_journal_mode_wal();

  sqlite3* db_ = nullptr;
  std::string path_;
};

// Moves a damaged store file (and its -wal and -shm companions) out of the way, to
// PATH.corrupt-TIME, so that a new one can be made; returns the new name. Only for caches:
// history is never moved.
std::string move_aside_damaged(const std::string& path, std::chrono::system_clock::time_point when);

// Throws the right exception for an SQLite result code, naming what was being done.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view doing);

}  // namespace pkgsizer::store
