#include "compare/scan_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "env/locate.hpp"
#include "report/json_report.hpp"
#include "store/history.hpp"
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
  std::stringstream text;
  if (side == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::optional<std::string> content = read_text_file(side);
  if (!content) fail(side, fmt::format("cannot read: {}", std::strerror(errno)));
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
  store::CachedScanResult result = store::scan_trees_cached(
      environment, options.scan_options, options.cache_path, options.cache_use);
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

Scan load_snapshot(const std::string& side, const std::string& history_path) {
  std::error_code error;
  if (history_path.empty() || !fs::exists(history_path, error))
    fail(side, fmt::format("no snapshot history at {} (record snapshots with `pkgsizer track`)",
                           history_path));
  try {
    const store::History history(history_path);
    const auto summary = history.find(side, "");
    if (!summary) fail(side, fmt::format("no such snapshot in {}", history_path));
    return history.load(summary->id);
  } catch (const SourceError&) {
    throw;
  } catch (const std::runtime_error& failure) {
    fail(side, fmt::format("history {}: {}", history_path, failure.what()));
  }
}

}  // namespace

Scan scan_from_text(const std::string& text, const std::string& name) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    fail(name, "empty file, not a JSON scan");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    fail(name, fmt::format("not JSON ({})", position_of(text, error.byte)));
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double's range (1e400)
    fail(name, "not JSON (a number out of range)");
  }
  try {
    return report::scan_from_json(json);
  } catch (const std::runtime_error& error) {
    fail(name, error.what());
  }
}

Scan load_scan_source(const std::string& side, const SourceOptions& options) {
  if (side.rfind('@', 0) == 0) return load_snapshot(side, options.history_path);
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
