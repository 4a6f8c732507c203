#include "packaging/requirement.hpp"

#include <array>
#include <cctype>
#include <vector>

#include "util/text.hpp"

namespace pkgsizer::packaging {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_name_char(char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; }
// What a version may be spelled with (PEP 440 Appendix B, plus '*' for wildcards).
bool is_version_char(char c) {
  return is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '+' || c == '!' || c == '*';
}

// Longest spellings first, so "===" is not read as "==" followed by "=".
constexpr std::array<std::string_view, 8> operator_spellings = {
    "===", "~=", "==", "!=", "<=", ">=", "<", ">"};

// Recursive descent over PEP 508's grammar:
//   specification = name wsp* extras? wsp* (versionspec | '@' wsp* url) wsp* (';' marker)?
//   extras        = '[' wsp* (identifier (wsp* ',' wsp* identifier)*)? wsp* ']'
//   versionspec   = '(' version_many ')' | version_many
// URL requirements need whitespace before ';', since a URL may itself contain ';'.
class RequirementParser {
 public:
  explicit RequirementParser(std::string_view text) : text_(text) {}

  Requirement parse() {
    Requirement requirement;
    skip_space();
    requirement.name = read_identifier("expected package name");
    skip_space();
    if (accept('[')) parse_extras(requirement);
    skip_space();

    std::string_view expected_next = "expected version specifier, '@', ';' or end";
    if (accept('@')) {
      skip_space();
      std::size_t start = pos_;
      while (pos_ < text_.size() && !is_space(text_[pos_])) ++pos_;
      if (pos_ == start || text_[start] == ';') fail("expected URL", start);
      requirement.url = std::string(text_.substr(start, pos_ - start));
      expected_next = "expected ';' or end after URL";
    } else if (accept('(')) {
      skip_space();
      // `packaging` accepts an empty pair of parentheses as "any version".
      if (peek() != ')') requirement.specifier = parse_specifiers();
      skip_space();
      if (!accept(')'))
        fail(trailing_comma_ ? "expected version specifier or ')'" : "expected ',' or ')'");
      expected_next = "expected ';' or end";
    } else if (at_operator()) {
      requirement.specifier = parse_specifiers();
      expected_next =
          trailing_comma_ ? "expected version specifier, ';' or end" : "expected ',', ';' or end";
    }

    skip_space();
    if (pos_ == text_.size()) return requirement;
    if (!accept(';')) fail(std::string(expected_next));
    requirement.marker = parse_marker();
    return requirement;
  }

 private:
  void parse_extras(Requirement& requirement) {
    skip_space();
    if (accept(']')) return;
    while (true) {
      skip_space();
      requirement.extras.insert(read_identifier("expected extra name"));
      skip_space();
      if (accept(']')) return;
      if (!accept(',')) fail("expected ',' or ']'");
    }
  }

  // PEP 508 "Names": letters and digits, with '-', '_' and '.' only in between.
  std::string read_identifier(const std::string& problem) {
    if (pos_ == text_.size() || !is_alnum(text_[pos_])) fail(problem);
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    if (!is_alnum(text_[pos_ - 1])) fail("expected a name to end with a letter or digit", pos_ - 1);
    return std::string(text_.substr(start, pos_ - start));
  }

  // `packaging` (and so pip) tolerates a trailing comma: "foo >=1.0,".
  SpecifierSet parse_specifiers() {
    std::vector<Specifier> specifiers;
    while (true) {
      specifiers.push_back(parse_specifier());
      std::size_t before_comma = pos_;
      skip_space();
      if (!accept(',')) {
        pos_ = before_comma;
        break;
      }
      skip_space();
      trailing_comma_ = !at_operator();
      if (trailing_comma_) break;
    }
    return SpecifierSet(std::move(specifiers));
  }

  Specifier parse_specifier() {
    std::size_t start = pos_;
    std::string_view op;
    for (std::string_view spelling : operator_spellings)
      if (text_.substr(pos_).starts_with(spelling)) {
        op = spelling;
        break;
      }
    if (op.empty()) fail("expected version operator (one of ~= == != <= >= < > ===)");
    pos_ += op.size();
    skip_space();
    std::size_t version_start = pos_;
    // PEP 440 "Arbitrary equality" compares any string, so take all up to a delimiter.
    auto in_version = [&](char c) {
      if (op == "===") return !is_space(c) && c != ',' && c != ';' && c != ')';
      return is_version_char(c);
    };
    while (pos_ < text_.size() && in_version(text_[pos_])) ++pos_;
    if (pos_ == version_start) fail("expected version after '" + std::string(op) + "'");
    std::string_view written = text_.substr(start, pos_ - start);
    auto specifier = Specifier::parse(written);
    if (!specifier) fail("invalid version specifier '" + std::string(written) + "'", start);
    return std::move(*specifier);
  }

  // The marker runs to the end of the text; its errors are reported at columns of the whole.
  Marker parse_marker() {
    try {
      return Marker::parse(text_.substr(pos_));
    } catch (const MarkerError& error) {
      throw RequirementError(error.problem(), pos_ + error.column(), text_);
    }
  }

  bool at_operator() const {
    char c = peek();
    return c == '<' || c == '>' || c == '=' || c == '!' || c == '~';
  }

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  bool accept(char c) {
    if (pos_ == text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  [[noreturn]] void fail(const std::string& problem) { fail(problem, pos_); }
  [[noreturn]] void fail(const std::string& problem, std::size_t position) {
    throw RequirementError(problem, position + 1, text_);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool trailing_comma_ = false;  // the specifiers just read ended with ','
};

}  // namespace

RequirementError::RequirementError(std::string problem, std::size_t column, std::string_view text)
    : Error(ErrorCategory::kEnvironment,
            problem + " at column " + std::to_string(column) + " in '" + excerpt(text) + "'"),
      problem_(std::move(problem)),
      column_(column) {}

Requirement Requirement::parse(std::string_view text) { return RequirementParser(text).parse(); }

std::string Requirement::str() const {
  std::string out = name;
  if (!extras.empty()) {
    out += '[';
    for (const auto& extra : extras) {
      if (out.back() != '[') out += ',';
      out += extra;
    }
    out += ']';
  }
  out += specifier.str();
  if (!url.empty()) out += " @ " + url + (marker ? " " : "");
  if (marker) out += "; " + marker->str();
  return out;
}

}  // namespace pkgsizer::packaging
