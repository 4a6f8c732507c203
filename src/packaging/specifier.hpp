// PEP 440 version specifiers (">=1.0", "==1.1.*", "~=2.2") and comma-separated sets of them:
// which versions a requirement accepts, including the rules for pre-releases.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packaging/version.hpp"

namespace pkgsizer::packaging {

enum class SpecifierOperator {
  compatible,     // ~=
  equal,          // ==
  not_equal,      // !=
  less_equal,     // <=
  greater_equal,  // >=
  less,           // <
  greater,        // >
  arbitrary,      // ===
};

// "~=", "==", ... as written in a specifier.
std::string_view operator_spelling(SpecifierOperator op);

class Specifier {
 public:
  // One clause such as ">= 1.0" or "==1.1.*". Returns nothing when the text is not a PEP 440
  // specifier, including the combinations PEP 440 forbids: a local label on anything but
  // ==/!=, a wildcard after anything but a release, or ~= with a single release number.
  static std::optional<Specifier> parse(std::string_view text);

  SpecifierOperator op() const { return op_; }
  // The version as written, without surrounding whitespace and without a ".*" suffix.
  const std::string& version_text() const { return version_text_; }
  bool has_wildcard() const { return wildcard_; }

  // Whether the specifier names a pre-release itself (">=1.0b1", "<2.0rc1"), which lets it
  // match pre-releases without being asked to. "!=1.0b1" does not count: it asks for nothing.
  bool mentions_prerelease() const;

  // Whether `candidate` satisfies this clause. Pre-releases only match when allowed or when
  // mentions_prerelease() (PEP 440 "Handling of pre-releases").
  bool contains(const Version& candidate, bool allow_prereleases = false) const;

  // ">=1.0", "==1.1.*": the operator and the version as written, without whitespace.
  std::string str() const;

 private:
  Specifier(SpecifierOperator op, std::string version_text, std::optional<Version> version,
            bool wildcard);

  bool matches(const Version& candidate) const;

  SpecifierOperator op_;
  std::string version_text_;
  std::optional<Version> version_;  // empty only for === with a string that is not a version
  bool wildcard_;
};

class SpecifierSet {
 public:
  // The empty set accepts every final release.
  SpecifierSet() = default;
  explicit SpecifierSet(std::vector<Specifier> specifiers) : specifiers_(std::move(specifiers)) {}

  // Comma-separated clauses (">=1.0, !=1.3.*, <2"); an empty or blank text is the empty set.
  // Returns nothing when any clause is invalid.
  static std::optional<SpecifierSet> parse(std::string_view text);

  const std::vector<Specifier>& specifiers() const { return specifiers_; }
  bool empty() const { return specifiers_.empty(); }

  bool mentions_prerelease() const;

  // Whether every clause accepts `candidate`. Pre-releases are excluded unless
  // `allow_prereleases` or some clause mentions a pre-release, in which case every clause
  // considers them (PEP 440 "Handling of pre-releases", as `packaging` implements it).
  bool contains(const Version& candidate, bool allow_prereleases = false) const;

  // The clauses in the order written, joined by ','.
  std::string str() const;

 private:
  std::vector<Specifier> specifiers_;
};

}  // namespace pkgsizer::packaging
