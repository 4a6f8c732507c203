#include "store/postgres_connection.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

#include "store/history_location.hpp"
#include "store/libpq_api.hpp"
#include "util/error.hpp"

namespace pkgsizer::store {
namespace {

// libpq waits for ever for a server that does not answer; a CI job should fail instead.
constexpr int kDefaultConnectTimeoutSeconds = 10;

std::string connect_timeout(const PostgresConnectOptions& options) {
  if (options.connect_timeout_seconds > 0) return std::to_string(options.connect_timeout_seconds);
  const char* from_environment = std::getenv("PGCONNECT_TIMEOUT");
  if (from_environment && *from_environment) return from_environment;
  return std::to_string(kDefaultConnectTimeoutSeconds);
}

// The server's notices ("relation ... already exists, skipping") are not the user's business:
// libpq would print them to stderr, which carries only pkgsizer's own warnings.
void ignore_notice(void* /*unused*/, const char* /*message*/) {}

}  // namespace

std::string one_line(const std::string& message) {
  std::string line;
  bool blank = false;
  for (const char c : message) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      blank = !line.empty();
      continue;
    }
    if (blank) line += ' ';
    blank = false;
    line += c;
  }
  return line;
}

PostgresRows::PostgresRows(pg_result* result) : result_(result) {}

PostgresRows::~PostgresRows() {
  if (result_) libpq().clear(result_);
}

PostgresRows::PostgresRows(PostgresRows&& other) noexcept : result_(other.result_) {
  other.result_ = nullptr;
}

int PostgresRows::size() const { return libpq().ntuples(result_); }

std::string PostgresRows::text(int row, int column) const {
  return std::string(libpq().getvalue(result_, row, column),
                     static_cast<std::size_t>(libpq().getlength(result_, row, column)));
}

std::int64_t PostgresRows::integer(int row, int column) const {
  const std::string value = text(row, column);
  std::int64_t number = 0;
  std::from_chars(value.data(), value.data() + value.size(), number);
  return number;
}

bool PostgresRows::is_null(int row, int column) const {
  return libpq().getisnull(result_, row, column) == 1;
}

std::int64_t PostgresRows::affected() const {
  const std::string count = libpq().cmd_tuples(result_);
  std::int64_t number = 0;
  std::from_chars(count.data(), count.data() + count.size(), number);
  return number;
}

PostgresConnection::PostgresConnection(const PostgresConnectOptions& options)
    : url_(options.url), location_(options.location) {
  const LibpqApi& api = libpq();
  const std::string timeout = connect_timeout(options);
  // The URL comes after the defaults (expand_dbname: its values replace them) and --timeout
  // after the URL, so that an explicit --timeout wins over a connect_timeout in the URL.
  // Labels, names and scans are UTF-8, whatever the database's own encoding.
  std::vector<const char*> keywords{"connect_timeout", "client_encoding",
                                    "fallback_application_name", "dbname"};
  std::vector<const char*> values{timeout.c_str(), "UTF8", "pkgsizer", options.url.c_str()};
  if (options.connect_timeout_seconds > 0) {
    keywords.push_back("connect_timeout");
    values.push_back(timeout.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  connection_ = api.connectdb_params(keywords.data(), values.data(), 1);
  if (!connection_) fail("cannot connect", "out of memory");
  if (api.status(connection_) != CONNECTION_OK) {
    const std::string detail = api.error_message(connection_);
    api.finish(connection_);
    connection_ = nullptr;
    fail("cannot connect", detail);
  }
  api.set_notice_processor(connection_, ignore_notice, nullptr);
}

PostgresConnection::~PostgresConnection() {
  if (connection_) libpq().finish(connection_);
}

void PostgresConnection::fail(const std::string& doing, const std::string& detail) const {
  throw Error(ErrorCategory::kStore, fmt::format("history {}: {}: {}", location_, doing,
                                                 one_line(without_secrets(detail, url_))));
}

PostgresRows PostgresConnection::run(const std::string& sql,
                                     const std::vector<std::string>& parameters) {
  const LibpqApi& api = libpq();
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const std::string& parameter : parameters) values.push_back(parameter.c_str());
  pg_result* result = api.exec_params(connection_, sql.c_str(), static_cast<int>(values.size()),
                                      nullptr, values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = result ? api.result_status(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return PostgresRows(result);
  const std::string detail =
      result ? api.result_error_message(result) : api.error_message(connection_);
  if (result) api.clear(result);
  // A server stopped, restarted or that ended this session (pg_terminate_backend).
  if (api.status(connection_) == CONNECTION_BAD) fail("lost the connection", detail);
  fail("the server refused a statement", detail);
}

void PostgresConnection::transaction(const std::function<void()>& work) {
  run("BEGIN");
  try {
    work();
    run("COMMIT");
  } catch (...) {
    // Best effort: on a lost connection the server has already rolled back.
    const LibpqApi& api = libpq();
    if (pg_result* rollback =
            api.exec_params(connection_, "ROLLBACK", 0, nullptr, nullptr, nullptr, nullptr, 0))
      api.clear(rollback);
    throw;
  }
}

}  // namespace pkgsizer::store
