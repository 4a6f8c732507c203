#include "store/snapshot_reference.hpp"

#include <charconv>

#include "util/text.hpp"

namespace pkgsizer::store {

SnapshotReference parse_snapshot_reference(const std::string& reference) {
  const std::string key =
      !reference.empty() && reference.front() == '@' ? reference.substr(1) : reference;
  SnapshotReference parsed;
  if (key == "latest") return parsed;
  if (!is_all_digits(key)) {
    parsed.kind = SnapshotReference::Kind::kLabel;
    parsed.label = key;
    return parsed;
  }
  const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), parsed.id);
  const bool fits = error == std::errc() && end == key.data() + key.size();
  parsed.kind = fits ? SnapshotReference::Kind::kId : SnapshotReference::Kind::kNone;
  return parsed;
}

}  // namespace pkgsizer::store
