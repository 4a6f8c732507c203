#include "packaging/marker.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "packaging/name.hpp"
#include "packaging/specifier.hpp"
#include "packaging/version.hpp"
#include "util/text.hpp"

namespace pkgsizer::packaging {

namespace {

constexpr std::array<std::pair<std::string_view, MarkerVariable>, 12> variable_names = {{
    {"implementation_name", MarkerVariable::implementation_name},
    {"implementation_version", MarkerVariable::implementation_version},
    {"os_name", MarkerVariable::os_name},
    {"platform_machine", MarkerVariable::platform_machine},
    {"platform_python_implementation", MarkerVariable::platform_python_implementation},
    {"platform_release", MarkerVariable::platform_release},
    {"platform_system", MarkerVariable::platform_system},
    {"platform_version", MarkerVariable::platform_version},
    {"python_full_version", MarkerVariable::python_full_version},
    {"python_version", MarkerVariable::python_version},
    {"sys_platform", MarkerVariable::sys_platform},
    {"extra", MarkerVariable::extra},
}};

// Spellings from before PEP 508 that setuptools-era metadata still carries (PEP 345 used
// dotted names; `python_implementation` is the old name of platform_python_implementation).
constexpr std::array<std::pair<std::string_view, MarkerVariable>, 6> legacy_variable_names = {{
    {"os.name", MarkerVariable::os_name},
    {"sys.platform", MarkerVariable::sys_platform},
    {"platform.machine", MarkerVariable::platform_machine},
    {"platform.version", MarkerVariable::platform_version},
    {"platform.python_implementation", MarkerVariable::platform_python_implementation},
    {"python_implementation", MarkerVariable::platform_python_implementation},
}};

// Longest spellings first, so "===" is not read as "==" followed by "=".
constexpr std::array<std::pair<std::string_view, MarkerOperator>, 8> symbol_operators = {{
    {"===", MarkerOperator::arbitrary_equal},
    {"==", MarkerOperator::equal},
    {"!=", MarkerOperator::not_equal},
    {"<=", MarkerOperator::less_equal},
    {">=", MarkerOperator::greater_equal},
    {"~=", MarkerOperator::compatible},
    {"<", MarkerOperator::less},
    {">", MarkerOperator::greater},
}};

std::string_view operator_text(MarkerOperator op) {
  if (op == MarkerOperator::in) return "in";
  if (op == MarkerOperator::not_in) return "not in";
  for (const auto& [spelling, candidate] : symbol_operators)
    if (candidate == op) return spelling;
  return "";
}

std::optional<MarkerVariable> find_variable(std::string_view name) {
  using Table = std::span<const std::pair<std::string_view, MarkerVariable>>;
  for (Table table : {Table(variable_names), Table(legacy_variable_names)})
    for (const auto& [spelling, variable] : table)
      if (spelling == name) return variable;
  return std::nullopt;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
}

// Recursive descent over PEP 508's marker grammar, where `and` binds tighter than `or`:
//   marker_or   = marker_and ('or' marker_and)*
//   marker_and  = marker_atom ('and' marker_atom)*
//   marker_atom = '(' marker_or ')' | operand operator operand
// Each '(' is one more level of recursion here, in evaluation, in str() and in the tree's
// destructor, so the nesting is bounded (docs/security.md): real markers nest two or three deep.
class MarkerParser {
 public:
  explicit MarkerParser(std::string_view text) : text_(text) {}

  MarkerExpression parse() {
    MarkerExpression expression = parse_junction(MarkerExpression::Kind::any);
    skip_space();
    if (pos_ != text_.size()) fail("expected 'and', 'or' or end of marker");
    return expression;
  }

 private:
  // `any` is a list of `all` groups; `all` is a list of atoms.
  MarkerExpression parse_junction(MarkerExpression::Kind kind) {
    bool is_any = kind == MarkerExpression::Kind::any;
    auto parse_term = [&] {
      return is_any ? parse_junction(MarkerExpression::Kind::all) : parse_atom();
    };
    MarkerExpression junction{kind, {}, {}};
    auto add = [&](MarkerExpression term) {
      // (a and b) and c is a and b and c.
      if (term.kind == kind) {
        for (auto& inner : term.terms) junction.terms.push_back(std::move(inner));
      } else {
        junction.terms.push_back(std::move(term));
      }
    };
    add(parse_term());
    while (accept_keyword(is_any ? "or" : "and")) add(parse_term());
    if (junction.terms.size() == 1) return std::move(junction.terms.front());
    return junction;
  }

  MarkerExpression parse_atom() {
    skip_space();
    if (accept('(')) {
      if (++depth_ > kMaxMarkerNesting)
        fail("parentheses nested more than " + std::to_string(kMaxMarkerNesting) + " deep");
      MarkerExpression inner = parse_junction(MarkerExpression::Kind::any);
      skip_space();
      if (!accept(')')) fail("expected ')'");
      --depth_;
      return inner;
    }
    MarkerExpression expression;
    expression.comparison.left = parse_operand();
    expression.comparison.op = parse_operator();
    expression.comparison.right = parse_operand();
    return expression;
  }

  MarkerOperand parse_operand() {
    skip_space();
    if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'')) {
      // PEP 508: a string is quoted with either kind and has no escapes.
      char quote = text_[pos_];
      std::size_t close = text_.find(quote, pos_ + 1);
      if (close == std::string_view::npos) fail("expected closing quote", text_.size());
      std::string literal(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      return literal;
    }
    std::size_t start = pos_;
    std::string_view word = read_word();
    if (word.empty()) fail("expected marker variable or quoted string");
    auto variable = find_variable(word);
    if (!variable) fail("unknown marker variable '" + std::string(word) + "'", start);
    return *variable;
  }

  MarkerOperator parse_operator() {
    skip_space();
    for (const auto& [spelling, op] : symbol_operators) {
      if (text_.substr(pos_).starts_with(spelling)) {
        pos_ += spelling.size();
        return op;
      }
    }
    std::size_t start = pos_;
    std::string_view word = read_word();
    if (word == "in") return MarkerOperator::in;
    if (word == "not" && pos_ < text_.size() && is_space(text_[pos_]) && accept_keyword("in"))
      return MarkerOperator::not_in;
    fail("expected comparison operator", start);
  }

  // A whole word equal to `keyword` after optional spaces; consumes nothing otherwise.
  bool accept_keyword(std::string_view keyword) {
    std::size_t start = pos_;
    skip_space();
    if (read_word() == keyword) return true;
    pos_ = start;
    return false;
  }

  std::string_view read_word() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  bool accept(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  [[noreturn]] void fail(const std::string& problem) { fail(problem, pos_); }
  [[noreturn]] void fail(const std::string& problem, std::size_t position) {
    throw MarkerError(problem, position + 1, text_);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
};

const std::string& operand_value(const MarkerOperand& operand, const MarkerEnvironment& environment,
                                 const std::string& extra) {
  if (const auto* literal = std::get_if<std::string>(&operand)) return *literal;
  auto variable = std::get<MarkerVariable>(operand);
  return variable == MarkerVariable::extra ? extra : environment.value(variable);
}

bool is_variable(const MarkerOperand& operand, MarkerVariable wanted) {
  const auto* variable = std::get_if<MarkerVariable>(&operand);
  return variable && *variable == wanted;
}

// The variables whose values are versions; `packaging` compares only these as PEP 440 versions,
// so that e.g. platform_machine == "1.0" stays a string comparison.
bool is_version_like(const MarkerOperand& operand) {
  return is_variable(operand, MarkerVariable::python_version) ||
         is_variable(operand, MarkerVariable::python_full_version) ||
         is_variable(operand, MarkerVariable::implementation_version) ||
         is_variable(operand, MarkerVariable::platform_release);
}

// PEP 508 "Environment Markers": "The <version_cmp> operators use the PEP 440 version comparison
// rules when those are defined (that is when both sides have a valid version specifier). If
// there is no defined PEP 440 behaviour and the operator exists in Python, then the operator
// falls back to the Python behaviour." Python compares str by code point, as std::string
// compares UTF-8 bytes.
bool compare(const MarkerComparison& comparison, const MarkerEnvironment& environment,
             const std::string& extra) {
  std::string left = operand_value(comparison.left, environment, extra);
  std::string right = operand_value(comparison.right, environment, extra);
  // PEP 685: extras compare by their normalized names.
  if (is_variable(comparison.left, MarkerVariable::extra) ||
      is_variable(comparison.right, MarkerVariable::extra)) {
    left = normalize_name(left);
    right = normalize_name(right);
  }

  switch (comparison.op) {
    case MarkerOperator::in:
      return right.find(left) != std::string::npos;
    case MarkerOperator::not_in:
      return right.find(left) == std::string::npos;
    default:
      break;
  }

  if (is_version_like(comparison.left) || is_version_like(comparison.right)) {
    auto specifier = Specifier::parse(std::string(operator_text(comparison.op)) + right);
    auto version = Version::parse(left);
    // Markers describe the running interpreter, which may well be a pre-release.
    if (specifier && version) return specifier->contains(*version, /*allow_prereleases=*/true);
  }

  switch (comparison.op) {
    case MarkerOperator::equal:
    case MarkerOperator::arbitrary_equal:
      return left == right;
    case MarkerOperator::not_equal:
      return left != right;
    case MarkerOperator::less:
      return left < right;
    case MarkerOperator::less_equal:
      return left <= right;
    case MarkerOperator::greater:
      return left > right;
    case MarkerOperator::greater_equal:
      return left >= right;
    default:
      return false;  // ~= has no meaning for strings
  }
}

bool evaluate_expression(const MarkerExpression& expression, const MarkerEnvironment& environment,
                         const std::string& extra) {
  auto holds = [&](const MarkerExpression& term) {
    return evaluate_expression(term, environment, extra);
  };
  switch (expression.kind) {
    case MarkerExpression::Kind::comparison:
      return compare(expression.comparison, environment, extra);
    case MarkerExpression::Kind::all:
      return std::all_of(expression.terms.begin(), expression.terms.end(), holds);
    case MarkerExpression::Kind::any:
      return std::any_of(expression.terms.begin(), expression.terms.end(), holds);
  }
  return false;
}

std::string operand_text(const MarkerOperand& operand) {
  if (const auto* variable = std::get_if<MarkerVariable>(&operand))
    return std::string(variable_name(*variable));
  const auto& literal = std::get<std::string>(operand);
  char quote = literal.find('"') == std::string::npos ? '"' : '\'';
  return quote + literal + quote;
}

std::string expression_text(const MarkerExpression& expression) {
  if (expression.kind == MarkerExpression::Kind::comparison) {
    const auto& comparison = expression.comparison;
    return operand_text(comparison.left) + " " + std::string(operator_text(comparison.op)) + " " +
           operand_text(comparison.right);
  }
  std::string joined;
  for (const auto& term : expression.terms) {
    if (!joined.empty())
      joined += expression.kind == MarkerExpression::Kind::all ? " and " : " or ";
    if (term.kind == MarkerExpression::Kind::comparison)
      joined += expression_text(term);
    else
      joined += "(" + expression_text(term) + ")";
  }
  return joined;
}

}  // namespace

std::string_view variable_name(MarkerVariable variable) {
  for (const auto& [spelling, candidate] : variable_names)
    if (candidate == variable) return spelling;
  return "";
}

const std::string& MarkerEnvironment::value(MarkerVariable variable) const {
  static const std::string no_extra;
  switch (variable) {
    case MarkerVariable::implementation_name:
      return implementation_name;
    case MarkerVariable::implementation_version:
      return implementation_version;
    case MarkerVariable::os_name:
      return os_name;
    case MarkerVariable::platform_machine:
      return platform_machine;
    case MarkerVariable::platform_python_implementation:
      return platform_python_implementation;
    case MarkerVariable::platform_release:
      return platform_release;
    case MarkerVariable::platform_system:
      return platform_system;
    case MarkerVariable::platform_version:
      return platform_version;
    case MarkerVariable::python_full_version:
      return python_full_version;
    case MarkerVariable::python_version:
      return python_version;
    case MarkerVariable::sys_platform:
      return sys_platform;
    case MarkerVariable::extra:
      break;
  }
  return no_extra;
}

MarkerEnvironment MarkerEnvironment::for_cpython(std::string_view python_version,
                                                 std::string_view platform) {
  MarkerEnvironment environment;
  environment.python_full_version = std::string(python_version);
  environment.implementation_version = std::string(python_version);
  // python_version is "major.minor" (PEP 508: platform.python_version()[:3] in spirit).
  std::size_t dot = python_version.find('.');
  std::size_t end = dot == std::string_view::npos ? python_version.size() : dot + 1;
  while (end < python_version.size() &&
         std::isdigit(static_cast<unsigned char>(python_version[end])))
    ++end;
  environment.python_version = std::string(python_version.substr(0, end));

  // sysconfig.get_platform() spellings, mapped to what sys, os and platform report there.
  std::size_t last_dash = platform.rfind('-');
  std::string_view machine =
      last_dash == std::string_view::npos ? std::string_view() : platform.substr(last_dash + 1);
  if (platform.starts_with("linux")) {
    environment.sys_platform = "linux";
    environment.platform_system = "Linux";
    environment.platform_machine = std::string(machine);
  } else if (platform.starts_with("macosx")) {
    environment.sys_platform = "darwin";
    environment.platform_system = "Darwin";
    environment.platform_machine = std::string(machine);
  } else if (platform == "win32" || platform.starts_with("win-")) {
    environment.os_name = "nt";
    environment.sys_platform = "win32";
    environment.platform_system = "Windows";
    // platform.machine() on Windows: "AMD64" and "ARM64" in capitals, "x86" for 32-bit.
    environment.platform_machine = std::string(machine);
    for (char& c : environment.platform_machine)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (platform == "win32") environment.platform_machine = "x86";
  } else {
    environment.sys_platform = std::string(platform.substr(0, platform.find('-')));
    environment.platform_machine = std::string(machine);
  }
  return environment;
}

MarkerError::MarkerError(std::string problem, std::size_t column, std::string_view text)
    : Error(ErrorCategory::kEnvironment,
            problem + " at column " + std::to_string(column) + " in '" + excerpt(text) + "'"),
      problem_(std::move(problem)),
      column_(column) {}

Marker Marker::parse(std::string_view text) { return Marker(MarkerParser(text).parse()); }

bool Marker::evaluate(const MarkerEnvironment& environment) const {
  if (environment.extras.empty()) return evaluate_expression(expression_, environment, "");
  return std::any_of(environment.extras.begin(), environment.extras.end(),
                     [&](const std::string& extra) {
                       return evaluate_expression(expression_, environment, extra);
                     });
}

std::string Marker::str() const { return expression_text(expression_); }

}  // namespace pkgsizer::packaging
