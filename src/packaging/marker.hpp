// PEP 508 environment markers ('python_version < "3.8" and sys_platform == "win32"'): parsing
// into a small syntax tree, and deciding whether a dependency applies to an environment.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "util/error.hpp"

namespace pkgsizer::packaging {

// PEP 508 "Environment Markers": the variables a marker may name.
enum class MarkerVariable {
  implementation_name,
  implementation_version,
  os_name,
  platform_machine,
  platform_python_implementation,
  platform_release,
  platform_system,
  platform_version,
  python_full_version,
  python_version,
  sys_platform,
  extra,
};

std::string_view variable_name(MarkerVariable variable);

// The values markers are evaluated against, as Python's `os`, `sys` and `platform` report them.
struct MarkerEnvironment {
  std::string implementation_name = "cpython";
  std::string implementation_version;
  std::string os_name = "posix";
  std::string platform_machine;
  std::string platform_python_implementation = "CPython";
  std::string platform_release;
  std::string platform_system;
  std::string platform_version;
  std::string python_full_version;
  std::string python_version;
  std::string sys_platform;
  // The extras being installed. A marker that names `extra` holds when it holds for any one of
  // them, or for "" when there are none, as pip evaluates it.
  std::set<std::string> extras;

  // A CPython environment from its version ("3.11" or "3.11.7") and a sysconfig platform
  // ("linux-x86_64", "macosx-11.0-arm64", "win-amd64", "win32"). platform_release and
  // platform_version stay empty: they cannot be known without the machine.
  static MarkerEnvironment for_cpython(std::string_view python_version, std::string_view platform);

  // The value of a variable other than `extra`.
  const std::string& value(MarkerVariable variable) const;
};

// The deepest nesting of parentheses a marker may have (docs/security.md "Limits"): the parser,
// the evaluation and the tree recurse once per level, and a hostile METADATA must not overflow
// the stack. Real markers nest two or three deep.
inline constexpr std::size_t kMaxMarkerNesting = 100;

// A syntax error, with the 1-based column where it was found.
class MarkerError : public Error {
 public:
  MarkerError(std::string problem, std::size_t column, std::string_view text);
  // What went wrong, without the position: "expected ')'".
  const std::string& problem() const { return problem_; }
  std::size_t column() const { return column_; }

 private:
  std::string problem_;
  std::size_t column_;
};

enum class MarkerOperator {
  equal,            // ==
  not_equal,        // !=
  less,             // <
  less_equal,       // <=
  greater,          // >
  greater_equal,    // >=
  compatible,       // ~=
  arbitrary_equal,  // ===
  in,               // in
  not_in,           // not in
};

// One side of a comparison: a variable or a quoted string (held without its quotes).
using MarkerOperand = std::variant<MarkerVariable, std::string>;

struct MarkerComparison {
  MarkerOperand left;
  MarkerOperator op = MarkerOperator::equal;
  MarkerOperand right;
};

// The syntax tree. `a and b and c` is one `all` node with three terms; parentheses only shape
// the tree and are not kept.
struct MarkerExpression {
  enum class Kind { comparison, all, any };
  Kind kind = Kind::comparison;
  MarkerComparison comparison;          // when kind == comparison
  std::vector<MarkerExpression> terms;  // when kind is all (`and`) or any (`or`)
};

class Marker {
 public:
  // Throws MarkerError. Accepts both quote kinds, and the legacy names `os.name`,
  // `sys.platform`, `platform.machine`, `platform.version`, `platform.python_implementation`
  // and `python_implementation`, which old metadata still uses.
  static Marker parse(std::string_view text);

  const MarkerExpression& expression() const { return expression_; }

  // PEP 508 "Environment Markers": a comparison involving python_version, python_full_version,
  // implementation_version or platform_release uses PEP 440 when the operator and the right-hand
  // side form a valid specifier and the left-hand side is a valid version; every other one
  // compares strings, as Python would. `extra` is compared after PEP 503 normalization of both
  // sides (PEP 685). A `~=` between strings, which PEP 508 leaves undefined, is false.
  bool evaluate(const MarkerEnvironment& environment) const;

  // The normalized text: single spaces, double quotes (single ones around a string holding a
  // double quote), parentheses around nested groups.
  std::string str() const;

 private:
  explicit Marker(MarkerExpression expression) : expression_(std::move(expression)) {}
  MarkerExpression expression_;
};

}  // namespace pkgsizer::packaging
