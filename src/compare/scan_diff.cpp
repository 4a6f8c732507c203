#include "compare/scan_diff.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <tuple>
#include <utility>

#include "packaging/version.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"

namespace pkgsizer::compare {
namespace {

std::int64_t difference(std::uint64_t before, std::uint64_t after) {
  return static_cast<std::int64_t>(after) - static_cast<std::int64_t>(before);
}

using NameIndex = std::map<std::string, std::vector<const Distribution*>>;

NameIndex index_by_name(const Scan& scan) {
  NameIndex index;
  for (const Distribution& dist : scan.distributions) index[dist.normalized_name].push_back(&dist);
  return index;
}

// Versions that parse compare by PEP 440 (so 1.0 == 1.0.0 and 1.10 > 1.9); otherwise only
// their spelling can be compared.
ChangeKind version_change(const std::string& old_version, const std::string& new_version) {
  if (old_version == new_version) return ChangeKind::kUnchanged;
  const auto old_parsed = packaging::Version::parse(old_version);
  const auto new_parsed = packaging::Version::parse(new_version);
  if (!old_parsed || !new_parsed) return ChangeKind::kChanged;
  if (*old_parsed < *new_parsed) return ChangeKind::kUpgraded;
  if (*new_parsed < *old_parsed) return ChangeKind::kDowngraded;
  return ChangeKind::kUnchanged;
}

DistributionChange make_change(const Distribution* old_dist, const Distribution* new_dist,
                               bool name_repeats) {
  const Distribution& named = new_dist ? *new_dist : *old_dist;
  DistributionChange change;
  change.name = named.name;
  change.normalized_name = named.normalized_name;
  change.location = named.location;
  change.name_repeats = name_repeats;
  if (old_dist) {
    change.old_version = old_dist->version;
    change.old_size = old_dist->size;
  }
  if (new_dist) {
    change.new_version = new_dist->version;
    change.new_size = new_dist->size;
  }
  if (!old_dist)
    change.kind = ChangeKind::kAdded;
  else if (!new_dist)
    change.kind = ChangeKind::kRemoved;
  else
    change.kind = version_change(old_dist->version, new_dist->version);
  if (change.kind == ChangeKind::kUnchanged && change.apparent_delta() != 0)
    change.kind = change.apparent_delta() > 0 ? ChangeKind::kGrown : ChangeKind::kShrunk;
  return change;
}

// Pairs the copies of one name: same location first, then the rest in order of appearance.
std::vector<std::pair<const Distribution*, const Distribution*>> pair_copies(
    std::vector<const Distribution*> olds, std::vector<const Distribution*> news) {
  std::vector<std::pair<const Distribution*, const Distribution*>> pairs;
  for (auto old_it = olds.begin(); old_it != olds.end();) {
    const auto same_place = std::find_if(news.begin(), news.end(), [&](const Distribution* dist) {
      return dist->location == (*old_it)->location;
    });
    if (same_place == news.end()) {
      ++old_it;
      continue;
    }
    pairs.emplace_back(*old_it, *same_place);
    news.erase(same_place);
    old_it = olds.erase(old_it);
  }
  const std::size_t common = std::min(olds.size(), news.size());
  for (std::size_t i = 0; i < common; ++i) pairs.emplace_back(olds[i], news[i]);
  for (std::size_t i = common; i < olds.size(); ++i) pairs.emplace_back(olds[i], nullptr);
  for (std::size_t i = common; i < news.size(); ++i) pairs.emplace_back(nullptr, news[i]);
  return pairs;
}

void sort_group(std::vector<DistributionChange>& group) {
  std::sort(
      group.begin(), group.end(), [](const DistributionChange& a, const DistributionChange& b) {
        const auto magnitude_a = std::llabs(a.apparent_delta());
        const auto magnitude_b = std::llabs(b.apparent_delta());
        if (magnitude_a != magnitude_b) return magnitude_a > magnitude_b;
        return std::tie(a.normalized_name, a.location) < std::tie(b.normalized_name, b.location);
      });
}

ScanIdentity identify(const Scan& scan) {
  return {"",
          scan.created_at,
          scan.tool_version,
          std::string(to_string(scan.environment.kind)),
          scan.environment.prefix,
          scan.environment.python_version,
          scan.totals.selected,
          scan.totals.distributions};
}

}  // namespace

std::int64_t DistributionChange::apparent_delta() const {
  return difference(old_size.apparent_bytes, new_size.apparent_bytes);
}
std::int64_t DistributionChange::disk_delta() const {
  return difference(old_size.disk_bytes, new_size.disk_bytes);
}

std::int64_t NetChange::apparent_delta() const {
  return difference(before.apparent_bytes, after.apparent_bytes);
}
std::int64_t NetChange::disk_delta() const {
  return difference(before.disk_bytes, after.disk_bytes);
}
std::int64_t NetChange::distributions_delta() const {
  return difference(before_distributions, after_distributions);
}

std::vector<DistributionChange>& ScanDiff::group(ChangeKind kind) {
  return const_cast<std::vector<DistributionChange>&>(std::as_const(*this).group(kind));
}

const std::vector<DistributionChange>& ScanDiff::group(ChangeKind kind) const {
  switch (kind) {
    case ChangeKind::kAdded:
      return added;
    case ChangeKind::kRemoved:
      return removed;
    case ChangeKind::kUpgraded:
      return upgraded;
    case ChangeKind::kDowngraded:
      return downgraded;
    case ChangeKind::kChanged:
      return changed;
    case ChangeKind::kGrown:
      return grown;
    case ChangeKind::kShrunk:
      return shrunk;
    case ChangeKind::kUnchanged:
      break;
  }
  return unchanged;
}

ScanDiff diff_scans(const Scan& before, const Scan& after) {
  ScanDiff diff;
  diff.before = identify(before);
  diff.after = identify(after);
  diff.net = {before.totals.selected, after.totals.selected, before.totals.distributions,
              after.totals.distributions};
  const NameIndex olds = index_by_name(before);
  NameIndex news = index_by_name(after);
  for (const auto& [name, copies] : olds) news[name];  // every name, on either side, once
  for (const auto& [name, new_copies] : news) {
    const auto old_copies = olds.count(name) ? olds.at(name) : std::vector<const Distribution*>{};
    const bool repeats = old_copies.size() > 1 || new_copies.size() > 1;
    for (const auto& [old_dist, new_dist] : pair_copies(old_copies, new_copies)) {
      DistributionChange change = make_change(old_dist, new_dist, repeats);
      diff.group(change.kind).push_back(std::move(change));
    }
  }
  for (ChangeKind kind :
       {ChangeKind::kAdded, ChangeKind::kRemoved, ChangeKind::kUpgraded, ChangeKind::kDowngraded,
        ChangeKind::kChanged, ChangeKind::kGrown, ChangeKind::kShrunk, ChangeKind::kUnchanged})
    sort_group(diff.group(kind));
  return diff;
}

std::optional<IncreaseLimit> parse_increase_limit(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.back() != '%') {
    const auto bytes = parse_size(text);
    if (!bytes) return std::nullopt;
    return IncreaseLimit{*bytes, std::nullopt};
  }
  text = trim(text.substr(0, text.size() - 1));
  double percent = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), percent);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(percent) || percent < 0)
    return std::nullopt;
  return IncreaseLimit{0, percent};
}

std::uint64_t allowed_increase(const IncreaseLimit& limit, const NetChange& net) {
  if (!limit.percent) return limit.bytes;
  return static_cast<std::uint64_t>(
      std::llround(static_cast<double>(net.before.apparent_bytes) * *limit.percent / 100));
}

bool exceeds(const IncreaseLimit& limit, const NetChange& net) {
  const std::int64_t increase = net.apparent_delta();
  return increase > 0 && static_cast<std::uint64_t>(increase) > allowed_increase(limit, net);
}

}  // namespace pkgsizer::compare
