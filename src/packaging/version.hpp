// PEP 440 version identifiers: parsing with the standard's spelling normalizations, the
// normalized string form, and the total ordering that specifiers and markers compare by.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::packaging {

// PEP 440 "Pre-releases": declared in sort order, so a < b < rc.
enum class PreReleaseKind { alpha, beta, release_candidate };

struct PreRelease {
  PreReleaseKind kind;
  std::uint64_t number = 0;
};

class Version {
 public:
  // Accepts every spelling PEP 440 "Normalization" allows ("v1.0", "1.0-ALPHA.1", "1.0-1",
  // "1.0.dev", "1.0+Ubuntu-1"). Returns nothing for anything else, and for a numeric component
  // that does not fit in 64 bits.
  static std::optional<Version> parse(std::string_view text);

  std::uint64_t epoch() const { return epoch_; }
  const std::vector<std::uint64_t>& release() const { return release_; }
  const std::optional<PreRelease>& pre() const { return pre_; }
  const std::optional<std::uint64_t>& post() const { return post_; }
  const std::optional<std::uint64_t>& dev() const { return dev_; }
  // The normalized local label ("ubuntu.1"), empty when there is none.
  std::string local() const;

  // PEP 440 "Handling of pre-releases": developmental releases count as pre-releases too.
  bool is_prerelease() const { return pre_ || dev_; }
  bool is_postrelease() const { return post_.has_value(); }
  bool is_devrelease() const { return dev_.has_value(); }
  bool has_local() const { return !local_.empty(); }

  // This version without its local label.
  Version public_version() const;
  // Epoch and release only: 1!2.0rc1.post3+x -> 1!2.0.
  Version base_version() const;

  // The normalized form: "1.0-ALPHA.1" -> "1.0a1", "1.0-1" -> "1.0.post1", "1.0+Ubuntu-1" ->
  // "1.0+ubuntu.1".
  std::string str() const;

  // PEP 440 "Summary of permitted suffixes and relative ordering": 1.0.dev0 < 1.0a1.dev0 < 1.0a1
  // < 1.0a1.post0.dev0 < 1.0a1.post0 < 1.0 < 1.0+local < 1.0.post0.dev0 < 1.0.post0. Release
  // segments compare as if padded with zeros, so 1.0 == 1.0.0.
  std::strong_ordering operator<=>(const Version& other) const;
  bool operator==(const Version& other) const { return (*this <=> other) == 0; }

 private:
  Version() = default;

  std::uint64_t epoch_ = 0;
  std::vector<std::uint64_t> release_;
  std::optional<PreRelease> pre_;
  std::optional<std::uint64_t> post_;
  std::optional<std::uint64_t> dev_;
  // Lowercased, split on '.', '-' and '_'; all-digit parts have their leading zeros removed.
  std::vector<std::string> local_;
};

}  // namespace pkgsizer::packaging
