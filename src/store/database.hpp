// The one module that talks to SQLite: opening a store file (WAL, busy timeout, schema
// migrations by PRAGMA user_version), prepared statements, and transactions.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace pkgsizer::store {

// A store file that is not ours, or is damaged: the caller decides (cache: move aside and
// rebuild; history: stop and say so, never drop it).
class StoreCorrupt : public Error {
 public:
  explicit StoreCorrupt(const std::string& message) : Error(ErrorCategory::kStore, message) {}
};

// Any other SQLite failure (disk full, permissions, a lock held longer than the busy timeout).
class StoreError : public Error {
 public:
  explicit StoreError(const std::string& message) : Error(ErrorCategory::kStore, message) {}
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

enum class OpenMode {
  // Read and write: the file (and its directory) is made when missing, set to WAL, migrated.
  // A file this user may not write is opened read-only by SQLite, and writes fail later (the
  // cache still serves hits from it).
  kCreate,
  // As kCreate, but a file this user may not write is refused at once (StoreError naming it).
  kWrite,
  // Only read (SQLITE_OPEN_READONLY): nothing is created, migrated or written, so a file this
  // user may not write can still be read. The file must exist (StoreError otherwise).
  kReadOnly,
};

struct OpenOptions {
  OpenMode mode = OpenMode::kCreate;
  // Run SQLite's integrity check (PRAGMA quick_check) on open when the file changed since the
  // last check that found it sound (store/check_stamp.hpp); StoreCorrupt when it fails.
  bool verify_integrity = false;
};

class Database {
 public:
  // Each migration takes the schema from version i to i + 1 (index i in the list).
  using Migration = std::function<void(Database&)>;

  // Opens and, in kCreate mode, migrates. Throws StoreCorrupt when the file is not a pkgsizer
  // store of this kind (application_id) or SQLite calls it damaged; nothing is written then.
  Database(const std::string& path, std::int32_t application_id,
           const std::vector<Migration>& migrations, OpenOptions options = {});
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
  void open_connection(OpenMode mode);
  void open_immutable();
  void verify_integrity(const std::string& stamp_before);
  void set_journal_mode_wal();
  // The message, naming this file first (Statement's errors do not know it).
  std::string with_path(const std::string& message) const;

  sqlite3* db_ = nullptr;
  std::string path_;
  bool verified_ = false;  // found sound on open (or new): a write keeps it so
  bool wrote_ = false;     // a transaction committed
};

// Moves a damaged store file (and its -wal and -shm companions) out of the way, to
// PATH.corrupt-TIME, so that a new one can be made; returns the new name. Only for caches:
// history is never moved.
std::string move_aside_damaged(const std::string& path, std::chrono::system_clock::time_point when);

// Throws the right exception for an SQLite result code, naming what was being done.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view doing);

}  // namespace pkgsizer::store
