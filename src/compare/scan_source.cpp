#include "compare/scan_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "compare/snapshot.hpp"
#include "env/locate.hpp"
#include "model/scan_json.hpp"
#include "store/database.hpp"
#include "store/history.hpp"
#include "store/history_location.hpp"
#include "util/error.hpp"
#include "util/json_nesting.hpp"
#include "util/json_text.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::compare {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& side, const std::string& reason) {
  throw SourceError(fmt::format("{}: {}", side, reason));
}

// nlohmann reports the offset just past the byte it stopped at; people count lines and columns.
std::string position_of(const std::string& text, std::size_t byte) {
  const std::size_t offset = std::min(byte == 0 ? 0 : byte - 1, text.size());
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
  const std::size_t line_start = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
  const std::size_t column = offset - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
  return fmt::format("line {}, column {}", line, column);
}

std::string read_text(const std::string& side) {
  std::string error;
  std::optional<std::string> content = side == "-"
                                           ? read_standard_input(kMaxInputFileBytes, &error)
                                           : read_text_file(side, kMaxInputFileBytes, &error);
  if (!content) fail(side == "-" ? "stdin" : side, fmt::format("cannot read: {}", error));
  return std::move(*content);
}

// The environment layer names the path itself ("DIR: not a directory"); say it once.
std::string reason_of(const env::EnvironmentError& error, const std::string& side) {
  const std::string message = error.what();
  const std::string named = side + ": ";
  return message.rfind(named, 0) == 0 ? message.substr(named.size()) : message;
}

Scan scan_located(const std::string& side, const env::EnvironmentRequest& request,
                  const SourceOptions& options) {
  Environment environment;
  try {
    environment = env::locate_environment(request);
  } catch (const env::EnvironmentError& error) {
    fail(side, reason_of(error, side));
  }
  store::CachedScanResult result = store::scan_trees_cached(environment, options.scan_options,
                                                            options.cache_path, options.cache_use);
  if (options.cache_warnings)
    for (std::string& warning : result.warnings)
      options.cache_warnings->push_back(std::move(warning));
  return scan::select_distributions_view(std::move(result.scan), options.scan_options.filter);
}

bool looks_like_site_packages(const std::string& side) {
  std::error_code error;
  for (fs::directory_iterator it(side, error), end; !error && it != end; it.increment(error)) {
    const std::string extension = it->path().extension().string();
    if (extension == ".dist-info" || extension == ".egg-info") return true;
  }
  if (error) fail(side, fmt::format("cannot read directory: {}", error.message()));
  return false;
}

Scan scan_directory(const std::string& side, const SourceOptions& options) {
  env::EnvironmentRequest request;
  if (looks_like_site_packages(side))
    request.site_packages = {side};
  else
    request.venv = side;
  return scan_located(side, request, options);
}

Scan load_snapshot(const std::string& side, const std::string& history_path,
                   int connect_timeout_seconds) {
  // Reading a snapshot never creates the history: no file means no snapshot (exit 9).
  SnapshotLookup lookup;
  try {
    lookup = find_snapshot(side, history_path, connect_timeout_seconds);
  } catch (const store::StoreCorrupt& failure) {
    // README "Exit codes": a damaged history is 8, as in `track` (the store says it is left as it
    // is).
    throw Error(ErrorCategory::kStore, fmt::format("{}: {}", side, failure.what()));
  } catch (const store::StoreError& failure) {
    throw Error(ErrorCategory::kStore,
                fmt::format("{}: history {}: {}", side, history_path, failure.what()));
  } catch (const Error&) {
    throw;
  } catch (const std::runtime_error& failure) {
    throw Error(ErrorCategory::kStore,
                fmt::format("{}: history {}: {}", side, store::printable_location(history_path),
                            failure.what()));
  }
  switch (lookup.outcome) {
    case SnapshotLookup::Outcome::kFound:
      break;
    case SnapshotLookup::Outcome::kNoHistory:
      throw Error(ErrorCategory::kNotFound,
                  fmt::format("{}: no snapshot history at {} (record snapshots with `pkgsizer "
                              "track snapshot`)",
                              side, store::printable_location(history_path)));
    case SnapshotLookup::Outcome::kNoSuchSnapshot:
      throw Error(ErrorCategory::kNotFound, fmt::format("{}: no such snapshot in {}", side,
                                                        store::printable_location(history_path)));
  }
  return std::move(lookup.scan);
}

}  // namespace

Scan scan_from_text(const std::string& text, const std::string& name) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    fail(name, "empty file, not a JSON scan");
  if (const std::optional<std::size_t> at = json_too_deep_at(text))
    fail(name, fmt::format("JSON nested more than {} deep ({}): not a pkgsizer scan",
                           kMaxJsonNesting, position_of(text, *at + 1)));
  nlohmann::json json;
  try {
    json = parse_json(text);
  } catch (const nlohmann::json::parse_error& error) {
    fail(name, fmt::format("not JSON ({})", position_of(text, error.byte)));
  } catch (const nlohmann::json::exception&) {
    // RFC 8259 section 6 lets a parser limit numbers; nlohmann's double stops at 1.8e308.
    fail(name, "not a pkgsizer scan: a number too large for any field");
  }
  try {
    return model::scan_from_json(json);
  } catch (const std::runtime_error& error) {
    fail(name, error.what());
  }
}

Scan load_scan_source(const std::string& side, const SourceOptions& options) {
  if (is_snapshot_reference(side))
    return load_snapshot(side, options.history_path, options.connect_timeout_seconds);
  if (side == "-") return scan_from_text(read_text(side), "stdin");
  std::error_code error;
  const fs::file_status status = fs::status(side, error);
  if (status.type() == fs::file_type::not_found) fail(side, "no such file or directory");
  if (error) fail(side, error.message());
  if (fs::is_directory(status)) return scan_directory(side, options);
  return scan_from_text(read_text(side), side);
}

Scan scan_interpreter(const std::string& python, const SourceOptions& options) {
  env::EnvironmentRequest request;
  request.python = python;
  return scan_located(python, request, options);
}

}  // namespace pkgsizer::compare
