#include "store/database.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "store/check_stamp.hpp"
#include "util/utc_time.hpp"

namespace pkgsizer::store {

[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view doing) {
  const std::string message =
      fmt::format("{}: {}", doing, db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  const int primary = code & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) throw StoreCorrupt(message);
  throw StoreError(message);
}

std::string move_aside_damaged(const std::string& path,
                               std::chrono::system_clock::time_point when) {
  std::string aside = fmt::format("{}.corrupt-{}", path, compact_utc(when));
  std::rename(path.c_str(), aside.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  return aside;
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int code =
      sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr);
  if (code != SQLITE_OK) throw_sqlite_error(db, code, "preparing a statement");
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), statement_(other.statement_) {
  other.statement_ = nullptr;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
  sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_blob(int index, const std::string& bytes) {
  sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

bool Statement::step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  throw_sqlite_error(db_, code, "running a statement");
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

void Statement::run() {
  while (step()) {
  }
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(statement_, index);
}

std::string Statement::column_text(int index) const { return std::string(column_view(index)); }

std::string_view Statement::column_view(int index) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(statement_, index));
  const int size = sqlite3_column_bytes(statement_, index);
  return data ? std::string_view(data, static_cast<std::size_t>(size)) : std::string_view();
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

namespace {

// An SQLite URI for a file path (RFC 3986 escapes for what a URI gives a meaning to).
std::string file_uri(const std::string& path, std::string_view query) {
  std::string uri = "file://";
  for (const char c : std::filesystem::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#')
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else
      uri += c;
  }
  return fmt::format("{}?{}", uri, query);
}

}  // namespace

void Database::open_connection(OpenMode mode) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (mode == OpenMode::kReadOnly) {
    std::error_code error;
    if (!std::filesystem::exists(path_, error))
      throw StoreError(fmt::format("{}: no such file", path_));
    flags = SQLITE_OPEN_READONLY;
  } else {
    std::error_code error;
    const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
  }
  const int code = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (code != SQLITE_OK) {
    const std::string message =
        fmt::format("{}: cannot open: {}", path_, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code));
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(message);
  }
  // Two pkgsizer processes may write at once (CI jobs, a pre-commit hook and a shell):
  // WAL lets readers go on while one writes, and the busy timeout makes writers queue.
  sqlite3_busy_timeout(db_, 10000);
  // SQLite opens a file this user may not write read-only without a word; say so now rather
  // than "attempt to write a readonly database" at the first write.
  if (mode == OpenMode::kWrite && sqlite3_db_readonly(db_, "main") == 1) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(fmt::format(
        "{}: cannot write it: read-only for this user (commands that only read can read it)",
        path_));
  }
  if (mode != OpenMode::kReadOnly) return;
  // A WAL file is read through its -shm index, which a reader must create when it is missing;
  // in a directory this user may not write it cannot. Then the file is read as immutable (no
  // index, no locks: a writer at the same moment could go unseen, which a reader of a file it
  // may not write accepts).
  const int probe =
      sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  const int primary = probe & 0xff;
  if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN) open_immutable();
}

void Database::open_immutable() {
  sqlite3_close(db_);
  db_ = nullptr;
  const std::string uri = file_uri(path_, "immutable=1");
  const int code =
      sqlite3_open_v2(uri.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  if (code != SQLITE_OK) {
    const std::string message =
        fmt::format("{}: cannot open: {}", path_, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code));
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(message);
  }
}

// quick_check reads every page and checks its structure, not that each index row matches its
// table row (integrity_check does that too, at several times the cost). A file cut short, or
// pages overwritten, fails it.
void Database::verify_integrity(const std::string& stamp_before) {
  if (checked_with_stamp(path_, stamp_before)) {
    verified_ = true;
    return;
  }
  std::string verdict;
  try {
    Statement check = prepare("PRAGMA quick_check(1)");
    verdict = check.step() ? check.column_text(0) : "no answer";
  } catch (const StoreCorrupt&) {  // pages so damaged that the check itself cannot go on
    verdict = sqlite3_errmsg(db_);
  }
  // One line: SQLite's answer starts "*** in database main ***" and a newline.
  if (const auto header = verdict.find("***\n"); header != std::string::npos)
    verdict.erase(0, header + 4);
  std::replace(verdict.begin(), verdict.end(), '\n', ' ');
  if (verdict != "ok")
    throw StoreCorrupt(fmt::format("{}: damaged (SQLite's integrity check: {})", path_, verdict));
  verified_ = true;
  if (const auto stamp_after = store_file_stamp(path_); stamp_after == stamp_before)
    remember_checked(path_, *stamp_after);
}

Database::Database(const std::string& path, std::int32_t application_id,
                   const std::vector<Migration>& migrations, OpenOptions options)
    : path_(path) {
  const std::optional<std::string> stamp_before =
      options.verify_integrity ? store_file_stamp(path) : std::nullopt;
  open_connection(options.mode);
  try {
    const auto migrated = static_cast<std::int64_t>(migrations.size());
    // One read transaction, so that the three answers agree even while another process is
    // creating the store; and nothing is written to a file that is not ours.
    exec("BEGIN");
    const std::int64_t first_id = query_int("PRAGMA application_id");
    const std::int64_t first_version = query_int("PRAGMA user_version");
    const bool first_empty = query_int("SELECT count(*) FROM sqlite_master") == 0;
    exec("COMMIT");
    if (!first_empty && first_id != application_id)
      throw StoreCorrupt(
          fmt::format("{}: not a pkgsizer store of this kind (application_id {})", path, first_id));
    // Checked before anything is written: a damaged file is left exactly as it was.
    if (options.verify_integrity && stamp_before && !first_empty)
      verify_integrity(*stamp_before);
    else if (options.verify_integrity)
      verified_ = true;  // new or empty: nothing to check yet
    if (options.mode == OpenMode::kReadOnly) {
      if (first_version != migrated || first_empty)
        throw StoreError(
            first_empty ? fmt::format("{}: an empty file, no store in it yet", path)
                        : fmt::format("{}: schema version {}, not the {} this pkgsizer reads (a "
                                      "command that writes migrates it)",
                                      path, first_version, migrated));
      exec("PRAGMA mmap_size = 268435456");
      return;
    }
    // Stores keep large blobs (a cached scan is megabytes): large pages write them in a tenth
    // of the calls. Only a new file can take it; in WAL mode the size stays what it was.
    if (first_empty) exec("PRAGMA page_size = 65536");
    set_journal_mode_wal();
    if (first_version == migrated && first_id == application_id)
      return;  // nothing to create or migrate
    // Checking and migrating happen under the write lock, so that processes creating the same
    // new store at once queue up instead of seeing each other's half-made schema.
    transaction([&] {
      const std::int64_t found_id = query_int("PRAGMA application_id");
      const std::int64_t version = query_int("PRAGMA user_version");
      const bool empty = query_int("SELECT count(*) FROM sqlite_master") == 0;
      if (!empty && found_id != application_id)
        throw StoreCorrupt(fmt::format("{}: not a pkgsizer store of this kind (application_id {})",
                                       path, found_id));
      if (version > migrated)
        throw StoreError(fmt::format("{}: schema version {} is newer than this pkgsizer knows ({})",
                                     path, version, migrated));
      for (std::int64_t step = version; step < migrated; ++step)
        migrations[static_cast<std::size_t>(step)](*this);
      exec(fmt::format("PRAGMA application_id = {}", application_id));
      exec(fmt::format("PRAGMA user_version = {}", migrated));
    });
  } catch (const StoreCorrupt& error) {
    sqlite3_close(db_);
    db_ = nullptr;
    const std::string message = error.what();
    throw StoreCorrupt(
        message.rfind(path, 0) == 0 ? message : fmt::format("{}: damaged ({})", path, message));
  } catch (const StoreError& error) {
    sqlite3_close(db_);
    db_ = nullptr;
    const std::string message = error.what();
    throw StoreError(message.rfind(path, 0) == 0 ? message : fmt::format("{}: {}", path, message));
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

Database::~Database() {
  sqlite3_close(db_);
  // What this connection wrote to a sound file keeps it sound: the next open need not check.
  if (verified_ && wrote_)
    if (const auto stamp = store_file_stamp(path_)) remember_checked(path_, *stamp);
}

// WAL lets readers go on while one process writes. Switching needs a moment of exclusive
// access, which the busy handler does not always wait for when several processes open a new
// file at once: retry for as long as the busy timeout would.
void Database::set_journal_mode_wal() {
  for (int attempt = 0;; ++attempt) {
    try {
      exec("PRAGMA journal_mode = WAL");
      break;
    } catch (const StoreError&) {
      if (attempt >= 200) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  exec("PRAGMA synchronous = NORMAL");
  // Reads map the file instead of copying it page by page: a cached scan is one large blob.
  exec("PRAGMA mmap_size = 268435456");
}

void Database::exec(std::string_view sql) {
  char* message = nullptr;
  const int code = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  if (code != SQLITE_OK) {
    const std::string text = message ? message : sqlite3_errstr(code);
    sqlite3_free(message);
    const int primary = code & 0xff;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
      throw StoreCorrupt(fmt::format("{}: {}", path_, text));
    throw StoreError(fmt::format("{}: {}", path_, text));
  }
}

std::string Database::with_path(const std::string& message) const {
  return message.rfind(path_, 0) == 0 ? message : fmt::format("{}: {}", path_, message);
}

Statement Database::prepare(std::string_view sql) { return Statement(db_, sql); }

std::int64_t Database::query_int(std::string_view sql) {
  Statement statement = prepare(sql);  // finalized on return: no read transaction is left open
  return statement.step() ? statement.column_int(0) : 0;
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

void Database::transaction(const std::function<void()>& work) {
  exec("BEGIN IMMEDIATE");
  try {
    work();
    exec("COMMIT");
    wrote_ = true;
  } catch (const StoreCorrupt& error) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw StoreCorrupt(with_path(error.what()));
  } catch (const StoreError& error) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw StoreError(with_path(error.what()));
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace pkgsizer::store
