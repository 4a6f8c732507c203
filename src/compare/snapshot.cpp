#include "compare/snapshot.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "compare/scan_source.hpp"
#include "store/database.hpp"
#include "store/history.hpp"
#include "store/history_location.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::compare {
namespace {

namespace fs = std::filesystem;

Scan load_baseline_snapshot(const std::string& reference, const std::string& history_path,
                            const std::string& option, int connect_timeout_seconds) {
  SnapshotLookup lookup;
  try {
    lookup = find_snapshot(reference, history_path, connect_timeout_seconds);
  } catch (const Error&) {
    throw;  // the history (SQLite or PostgreSQL) said what is wrong, and that it was left as it is
  } catch (const std::exception& failure) {
    throw Error(ErrorCategory::kStore, failure.what());
  }
  switch (lookup.outcome) {
    case SnapshotLookup::Outcome::kFound:
      break;
    case SnapshotLookup::Outcome::kNoHistory:
      throw Error(ErrorCategory::kNotFound,
                  fmt::format("{} {}: no snapshot history at {} (record one with "
                              "`pkgsizer track snapshot`)",
                              option, reference, store::printable_location(history_path)));
    case SnapshotLookup::Outcome::kNoSuchSnapshot:
      throw Error(ErrorCategory::kNotFound,
                  fmt::format("{}: no snapshot {} in {}", option, reference,
                              store::printable_location(history_path)));
  }
  return std::move(lookup.scan);
}

}  // namespace

bool is_snapshot_reference(const std::string& text) { return text.rfind('@', 0) == 0; }

SnapshotLookup find_snapshot(const std::string& reference, const std::string& history_path,
                             int connect_timeout_seconds) {
  SnapshotLookup lookup;
  std::error_code error;
  if (history_path.empty()) return lookup;
  if (!store::is_remote_history(history_path) && !fs::exists(history_path, error)) return lookup;
  std::optional<store::History> opened;
  try {
    opened.emplace(history_path, store::HistoryAccess::kRead, connect_timeout_seconds);
  } catch (const Error& failure) {  // a database without a history in it
    if (failure.category() == ErrorCategory::kNotFound) return lookup;
    throw;
  }
  const store::History& history = *opened;
  const auto summary = history.find(reference, "");
  if (!summary) {
    lookup.outcome = SnapshotLookup::Outcome::kNoSuchSnapshot;
    return lookup;
  }
  lookup.outcome = SnapshotLookup::Outcome::kFound;
  lookup.scan = history.load(summary->id);
  return lookup;
}

Scan load_baseline(const std::string& reference, const std::string& history_path,
                   const std::string& option, int connect_timeout_seconds) {
  if (is_snapshot_reference(reference))
    return load_baseline_snapshot(reference, history_path, option, connect_timeout_seconds);
  std::error_code status_error;
  if (fs::is_directory(reference, status_error))
    throw Error(ErrorCategory::kUsage,
                fmt::format("{} {}: cannot read: is a directory", option, reference));
  std::string reason;
  const std::optional<std::string> text = read_text_file(reference, kMaxInputFileBytes, &reason);
  if (!text)
    throw Error(ErrorCategory::kUsage,
                fmt::format("{} {}: cannot read: {}", option, reference, reason));
  try {
    return scan_from_text(*text, reference);
  } catch (const SourceError& failure) {
    throw Error(ErrorCategory::kUsage, fmt::format("{} {}", option, failure.what()));
  }
}

}  // namespace pkgsizer::compare
