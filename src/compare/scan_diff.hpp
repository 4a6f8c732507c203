// What changed between two scans: distributions added, removed, upgraded, downgraded, grown or
// shrunk, and the net change of the totals. Pure: two models in, one diff out (for `compare`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace pkgsizer::compare {

enum class ChangeKind {
  kAdded,
  kRemoved,
  kUpgraded,
  kDowngraded,
  kChanged,  // the version string changed, but one side is not PEP 440: no order is known
  kGrown,    // same version, more apparent bytes
  kShrunk,
  kUnchanged,
};

// One distribution on both sides (or on one, when added or removed).
struct DistributionChange {
  ChangeKind kind = ChangeKind::kUnchanged;
  std::string name;  // as the newer scan spells it (the older one for removed)
  std::string normalized_name;
  std::string location;       // its site-packages directory (the newer one's)
  bool name_repeats = false;  // installed more than once: tell the entries apart by location
  std::string old_version;    // empty when added
  std::string new_version;    // empty when removed
  Size old_size;              // zero when added
  Size new_size;              // zero when removed

  std::int64_t apparent_delta() const;
  std::int64_t disk_delta() const;
};

// Where a side came from, for the reader of the report.
struct ScanIdentity {
  std::string source;  // what the user named: "before.json", ".venv", "@v1.2" (set by the caller)
  std::string created_at;
  std::string tool_version;
  std::string environment_kind;
  std::string prefix;
  std::string python_version;
  Size selected;  // totals.selected
  std::uint64_t distributions = 0;
};

// totals.selected and the distribution count, before and after.
struct NetChange {
  Size before;
  Size after;
  std::uint64_t before_distributions = 0;
  std::uint64_t after_distributions = 0;

  std::int64_t apparent_delta() const;
  std::int64_t disk_delta() const;
  std::int64_t distributions_delta() const;
};

// Each group is sorted by |apparent delta|, largest first, then by name.
struct ScanDiff {
  ScanIdentity before;
  ScanIdentity after;
  std::vector<DistributionChange> added, removed, upgraded, downgraded, changed, grown, shrunk,
      unchanged;
  NetChange net;

  std::vector<DistributionChange>& group(ChangeKind kind);
  const std::vector<DistributionChange>& group(ChangeKind kind) const;
};

// Distributions are matched by PEP 503 name; a name installed more than once (a venv's own copy
// and an inherited one) is matched by location first. Versions compare by PEP 440.
ScanDiff diff_scans(const Scan& before, const Scan& after);

// --fail-on-increase: a size ("10MB") or a percentage of the before total ("5%").
struct IncreaseLimit {
  std::uint64_t bytes = 0;
  std::optional<double> percent;  // when set, `bytes` is ignored
};

// Empty when `text` is neither a size (util/size_units.hpp) nor a non-negative percentage.
std::optional<IncreaseLimit> parse_increase_limit(std::string_view text);

// The increase of apparent bytes the limit allows for this change.
std::uint64_t allowed_increase(const IncreaseLimit& limit, const NetChange& net);

// True when apparent bytes grew by more than the limit allows.
bool exceeds(const IncreaseLimit& limit, const NetChange& net);

}  // namespace pkgsizer::compare
