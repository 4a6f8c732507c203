#include "packaging/specifier.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <utility>

#include "util/text.hpp"

namespace pkgsizer::packaging {

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Longest spellings first, so "===" is not read as "==" followed by "=".
constexpr std::array<std::pair<std::string_view, SpecifierOperator>, 8> operator_spellings = {{
    {"===", SpecifierOperator::arbitrary},
    {"~=", SpecifierOperator::compatible},
    {"==", SpecifierOperator::equal},
    {"!=", SpecifierOperator::not_equal},
    {"<=", SpecifierOperator::less_equal},
    {">=", SpecifierOperator::greater_equal},
    {"<", SpecifierOperator::less},
    {">", SpecifierOperator::greater},
}};

// PEP 440 "Version matching": with a trailing ".*", the candidate's release (padded with zeros)
// must start with the wanted release; the candidate's suffixes and local label are ignored.
bool matches_prefix(const Version& candidate, std::uint64_t epoch,
                    std::span<const std::uint64_t> wanted_release) {
  if (candidate.epoch() != epoch) return false;
  const auto& release = candidate.release();
  for (std::size_t i = 0; i < wanted_release.size(); ++i) {
    std::uint64_t component = i < release.size() ? release[i] : 0;
    if (component != wanted_release[i]) return false;
  }
  return true;
}

bool matches_prefix(const Version& candidate, const Version& prefix) {
  return matches_prefix(candidate, prefix.epoch(), prefix.release());
}

// PEP 440 "Version matching": a specifier without a local label ignores the candidate's.
bool matches_exactly(const Version& candidate, const Version& wanted) {
  if (!wanted.has_local()) return candidate.public_version() == wanted;
  return candidate == wanted;
}

// PEP 440 "Compatible release": ~=V.N is >=V.N together with ==V.*, whatever suffixes V.N has.
bool matches_compatible(const Version& candidate, const Version& wanted) {
  if (candidate.public_version() < wanted) return false;
  std::span<const std::uint64_t> release = wanted.release();
  return matches_prefix(candidate, wanted.epoch(), release.first(release.size() - 1));
}

// PEP 440 "Exclusive ordered comparison": <V does not match pre-releases of V itself unless V
// is a pre-release ("<3.1" rejects 3.1.dev0 but accepts 3.0.dev0).
bool matches_less(const Version& candidate, const Version& wanted) {
  if (!(candidate < wanted)) return false;
  if (!wanted.is_prerelease() && candidate.is_prerelease() &&
      candidate.base_version() == wanted.base_version())
    return false;
  return true;
}

// PEP 440 "Exclusive ordered comparison": >V does not match post-releases of V unless V is a
// post-release, nor local versions of V (">3.1" rejects 3.1.post1 and 3.1+local).
bool matches_greater(const Version& candidate, const Version& wanted) {
  if (!(candidate > wanted)) return false;
  bool same_base = candidate.base_version() == wanted.base_version();
  if (!wanted.is_postrelease() && candidate.is_postrelease() && same_base) return false;
  if (candidate.has_local() && same_base) return false;
  return true;
}

}  // namespace

std::string_view operator_spelling(SpecifierOperator op) {
  for (const auto& [spelling, candidate] : operator_spellings)
    if (candidate == op) return spelling;
  return "";
}

Specifier::Specifier(SpecifierOperator op, std::string version_text, std::optional<Version> version,
                     bool wildcard)
    : op_(op),
      version_text_(std::move(version_text)),
      version_(std::move(version)),
      wildcard_(wildcard) {}

std::optional<Specifier> Specifier::parse(std::string_view text) {
  text = trim(text);
  const auto* spelling =
      std::find_if(operator_spellings.begin(), operator_spellings.end(),
                   [&](const auto& entry) { return text.starts_with(entry.first); });
  if (spelling == operator_spellings.end()) return std::nullopt;
  SpecifierOperator op = spelling->second;
  std::string_view version_text = trim(text.substr(spelling->first.size()));
  if (version_text.empty()) return std::nullopt;
  if (std::any_of(version_text.begin(), version_text.end(), is_space)) return std::nullopt;

  // PEP 440 "Arbitrary equality": any string; it need not be a version at all.
  if (op == SpecifierOperator::arbitrary)
    return Specifier(op, std::string(version_text), Version::parse(version_text), false);

  bool wildcard = version_text.ends_with(".*");
  if (wildcard) {
    // PEP 440 "Version matching": only == and != take a prefix, and only of a release.
    if (op != SpecifierOperator::equal && op != SpecifierOperator::not_equal) return std::nullopt;
    version_text.remove_suffix(2);
  }
  auto version = Version::parse(version_text);
  if (!version) return std::nullopt;
  if (wildcard && (version->pre() || version->post() || version->dev() || version->has_local()))
    return std::nullopt;
  // PEP 440: local labels are only meaningful to version matching (== and !=).
  if (version->has_local() && op != SpecifierOperator::equal && op != SpecifierOperator::not_equal)
    return std::nullopt;
  // PEP 440 "Compatible release": "~=1" would mean ">=1, ==*", which is not allowed.
  if (op == SpecifierOperator::compatible && version->release().size() < 2) return std::nullopt;
  return Specifier(op, std::string(version_text), std::move(version), wildcard);
}

bool Specifier::mentions_prerelease() const {
  // `packaging` 26: every operator but != (which excludes a version rather than asking for it)
  // opts in to pre-releases when its version is one; a wildcard never names a pre-release.
  return op_ != SpecifierOperator::not_equal && version_ && version_->is_prerelease();
}

bool Specifier::contains(const Version& candidate, bool allow_prereleases) const {
  if (candidate.is_prerelease() && !allow_prereleases && !mentions_prerelease()) return false;
  return matches(candidate);
}

bool Specifier::matches(const Version& candidate) const {
  // PEP 440 "Arbitrary equality": plain (case-insensitive) string comparison.
  if (op_ == SpecifierOperator::arbitrary)
    return lowercase(candidate.str()) == lowercase(version_text_);

  const Version& wanted = *version_;
  switch (op_) {
    case SpecifierOperator::equal:
      return wildcard_ ? matches_prefix(candidate, wanted) : matches_exactly(candidate, wanted);
    case SpecifierOperator::not_equal:
      return wildcard_ ? !matches_prefix(candidate, wanted) : !matches_exactly(candidate, wanted);
    case SpecifierOperator::compatible:
      return matches_compatible(candidate, wanted);
    // PEP 440 "Inclusive ordered comparison": local labels are not permitted in the specifier,
    // so the candidate's is ignored.
    case SpecifierOperator::less_equal:
      return candidate.public_version() <= wanted;
    case SpecifierOperator::greater_equal:
      return candidate.public_version() >= wanted;
    case SpecifierOperator::less:
      return matches_less(candidate, wanted);
    case SpecifierOperator::greater:
      return matches_greater(candidate, wanted);
    case SpecifierOperator::arbitrary:
      break;
  }
  return false;
}

std::string Specifier::str() const {
  return std::string(operator_spelling(op_)) + version_text_ + (wildcard_ ? ".*" : "");
}

std::optional<SpecifierSet> SpecifierSet::parse(std::string_view text) {
  std::vector<Specifier> specifiers;
  if (trim(text).empty()) return SpecifierSet();
  while (true) {
    std::size_t comma = text.find(',');
    auto specifier = Specifier::parse(text.substr(0, comma));
    if (!specifier) return std::nullopt;
    specifiers.push_back(std::move(*specifier));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return SpecifierSet(std::move(specifiers));
}

bool SpecifierSet::mentions_prerelease() const {
  return std::any_of(specifiers_.begin(), specifiers_.end(),
                     [](const Specifier& s) { return s.mentions_prerelease(); });
}

bool SpecifierSet::contains(const Version& candidate, bool allow_prereleases) const {
  bool prereleases = allow_prereleases || mentions_prerelease();
  if (candidate.is_prerelease() && !prereleases) return false;
  return std::all_of(specifiers_.begin(), specifiers_.end(),
                     [&](const Specifier& s) { return s.contains(candidate, prereleases); });
}

std::string SpecifierSet::str() const {
  std::string joined;
  for (const auto& specifier : specifiers_) {
    if (!joined.empty()) joined += ',';
    joined += specifier.str();
  }
  return joined;
}

}  // namespace pkgsizer::packaging
