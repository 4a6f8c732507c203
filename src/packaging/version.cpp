#include "packaging/version.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <span>

#include "util/text.hpp"

namespace pkgsizer::packaging {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z'); }
bool is_separator(char c) { return c == '-' || c == '_' || c == '.'; }

// Reads PEP 440's "Appendix B" grammar from lowercased text, one segment at a time. Each
// read_* consumes input only when its segment is there.
class VersionReader {
 public:
  explicit VersionReader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  bool at_digit(std::size_t offset = 0) const {
    return pos_ + offset < text_.size() && is_digit(text_[pos_ + offset]);
  }

  bool accept(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool accept_separator() {
    if (pos_ < text_.size() && is_separator(text_[pos_])) {
      ++pos_;
      return true;
    }
    return false;
  }

  // Digits at the cursor; nothing (and no input consumed) when absent or too large.
  std::optional<std::uint64_t> read_number() {
    std::size_t end = pos_;
    std::uint64_t value = 0;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    while (end < text_.size() && is_digit(text_[end])) {
      auto digit = static_cast<std::uint64_t>(text_[end] - '0');
      if (value > (max - digit) / 10) return std::nullopt;
      value = value * 10 + digit;
      ++end;
    }
    if (end == pos_) return std::nullopt;
    pos_ = end;
    return value;
  }

  // The first of `labels` found after an optional separator, or nothing (and no input consumed).
  // Longer spellings come first in `labels`, so "preview" is not read as "pre" + "view".
  std::optional<std::string_view> read_label(std::span<const std::string_view> labels) {
    std::size_t start = pos_;
    accept_separator();
    for (std::string_view label : labels) {
      if (text_.substr(pos_).starts_with(label)) {
        pos_ += label.size();
        return label;
      }
    }
    pos_ = start;
    return std::nullopt;
  }

  // PEP 440 "Pre-release separators" etc.: a label may be followed by a separator and a number,
  // either of which may be missing; a missing number is 0. A separator with no number after it
  // is still consumed, as the reference regex does ("1.0a." is 1.0a0).
  std::optional<std::uint64_t> read_label_number(bool& overflow) {
    accept_separator();
    if (!at_digit()) return 0;
    auto number = read_number();
    if (!number) overflow = true;
    return number;
  }

  std::string_view rest() const { return text_.substr(pos_); }
  void skip_all() { pos_ = text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string lowercase_trimmed(std::string_view text) { return lowercase(trim(text)); }

// PEP 440 "Local version segments": lowercase alphanumerics separated by '.', '-' or '_',
// normalized to '.'. All-digit parts compare as integers, so their leading zeros are dropped.
std::optional<std::vector<std::string>> parse_local(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = start;
    while (end < text.size() && is_alnum(text[end])) ++end;
    if (end == start) return std::nullopt;
    std::string part(text.substr(start, end - start));
    if (is_all_digits(part)) {
      std::size_t first_nonzero = part.find_first_not_of('0');
      part = first_nonzero == std::string::npos ? "0" : part.substr(first_nonzero);
    }
    parts.push_back(std::move(part));
    if (end == text.size()) return parts;
    if (!is_separator(text[end])) return std::nullopt;
    start = end + 1;
  }
}

// PEP 440: "Within a numeric local version segment, ... numeric sections always compare as
// greater than lexicographic sections"; numbers compare by value (no leading zeros remain).
std::strong_ordering compare_local_part(const std::string& a, const std::string& b) {
  bool a_numeric = is_all_digits(a);
  bool b_numeric = is_all_digits(b);
  if (a_numeric != b_numeric)
    return a_numeric ? std::strong_ordering::greater : std::strong_ordering::less;
  if (a_numeric && a.size() != b.size()) return a.size() <=> b.size();
  return a.compare(b) <=> 0;
}

// PEP 440 "Pre-release spelling": alpha is a, beta is b, and c, pre and preview are rc.
PreReleaseKind pre_release_kind(std::string_view label) {
  if (label.starts_with('a')) return PreReleaseKind::alpha;
  if (label.starts_with('b')) return PreReleaseKind::beta;
  return PreReleaseKind::release_candidate;
}

// Where the pre-release segment puts a version among its siblings with the same release:
// a bare .devN sorts before every pre-release, and a final or post release after them all.
int pre_release_rank(const std::optional<PreRelease>& pre, bool has_post, bool has_dev) {
  if (pre) return 1;
  if (!has_post && has_dev) return 0;
  return 2;
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
  static constexpr std::array<std::string_view, 8> pre_labels = {"alpha", "beta", "preview", "pre",
                                                                 "rc",    "a",    "b",       "c"};
  static constexpr std::array<std::string_view, 3> post_labels = {"post", "rev", "r"};
  static constexpr std::array<std::string_view, 1> dev_labels = {"dev"};

  std::string lowered = lowercase_trimmed(text);
  VersionReader reader(lowered);
  Version version;
  bool overflow = false;

  reader.accept('v');  // PEP 440 "Preceding v character"

  auto first = reader.read_number();
  if (!first) return std::nullopt;
  if (reader.accept('!')) {
    version.epoch_ = *first;
    first = reader.read_number();
    if (!first) return std::nullopt;
  }
  version.release_.push_back(*first);
  while (reader.rest().starts_with('.') && reader.at_digit(1)) {
    reader.accept('.');
    auto number = reader.read_number();
    if (!number) return std::nullopt;
    version.release_.push_back(*number);
  }

  if (auto label = reader.read_label(pre_labels)) {
    version.pre_ = PreRelease{pre_release_kind(*label), 0};
    auto number = reader.read_label_number(overflow);
    if (number) version.pre_->number = *number;
  }

  // PEP 440 "Implicit post release number": "1.0-1" means 1.0.post1.
  if (reader.rest().starts_with('-') && reader.at_digit(1)) {
    reader.accept('-');
    version.post_ = reader.read_number();
    if (!version.post_) return std::nullopt;
  } else if (reader.read_label(post_labels)) {
    version.post_ = reader.read_label_number(overflow);
  }

  if (reader.read_label(dev_labels)) version.dev_ = reader.read_label_number(overflow);

  if (reader.accept('+')) {
    auto local = parse_local(reader.rest());
    if (!local) return std::nullopt;
    version.local_ = std::move(*local);
    reader.skip_all();
  }

  if (overflow || !reader.at_end()) return std::nullopt;
  return version;
}

std::string Version::local() const {
  std::string joined;
  for (const auto& part : local_) {
    if (!joined.empty()) joined += '.';
    joined += part;
  }
  return joined;
}

Version Version::public_version() const {
  Version copy = *this;
  copy.local_.clear();
  return copy;
}

Version Version::base_version() const {
  Version base;
  base.epoch_ = epoch_;
  base.release_ = release_;
  return base;
}

std::string Version::str() const {
  std::string out;
  if (epoch_ != 0) out += std::to_string(epoch_) + "!";
  for (std::size_t i = 0; i < release_.size(); ++i) {
    if (i != 0) out += '.';
    out += std::to_string(release_[i]);
  }
  if (pre_) {
    static constexpr std::array<std::string_view, 3> spellings = {"a", "b", "rc"};
    out += spellings[static_cast<std::size_t>(pre_->kind)];
    out += std::to_string(pre_->number);
  }
  if (post_) out += ".post" + std::to_string(*post_);
  if (dev_) out += ".dev" + std::to_string(*dev_);
  if (!local_.empty()) out += "+" + local();
  return out;
}

std::strong_ordering Version::operator<=>(const Version& other) const {
  if (auto c = epoch_ <=> other.epoch_; c != 0) return c;

  // PEP 440 "Release segment": trailing zeros are insignificant when comparing.
  std::size_t length = std::max(release_.size(), other.release_.size());
  for (std::size_t i = 0; i < length; ++i) {
    std::uint64_t mine = i < release_.size() ? release_[i] : 0;
    std::uint64_t theirs = i < other.release_.size() ? other.release_[i] : 0;
    if (auto c = mine <=> theirs; c != 0) return c;
  }

  int rank = pre_release_rank(pre_, post_.has_value(), dev_.has_value());
  int other_rank = pre_release_rank(other.pre_, other.post_.has_value(), other.dev_.has_value());
  if (auto c = rank <=> other_rank; c != 0) return c;
  if (pre_ && other.pre_) {
    if (auto c = pre_->kind <=> other.pre_->kind; c != 0) return c;
    if (auto c = pre_->number <=> other.pre_->number; c != 0) return c;
  }

  // No post release sorts before any post release.
  if (auto c = post_.has_value() <=> other.post_.has_value(); c != 0) return c;
  if (post_) {
    if (auto c = *post_ <=> *other.post_; c != 0) return c;
  }

  // A developmental release sorts before the same version without one.
  if (auto c = other.dev_.has_value() <=> dev_.has_value(); c != 0) return c;
  if (dev_) {
    if (auto c = *dev_ <=> *other.dev_; c != 0) return c;
  }

  // PEP 440 "Local version identifiers": a local version sorts after its public version;
  // segments compare one by one, and a longer label wins when all shared segments are equal.
  std::size_t shared = std::min(local_.size(), other.local_.size());
  for (std::size_t i = 0; i < shared; ++i) {
    if (auto c = compare_local_part(local_[i], other.local_[i]); c != 0) return c;
  }
  return local_.size() <=> other.local_.size();
}

}  // namespace pkgsizer::packaging
