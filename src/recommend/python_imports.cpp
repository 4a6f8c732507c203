#include "recommend/python_imports.hpp"

#include <algorithm>
#include <array>

namespace pkgsizer::recommend {
namespace {

enum class TokenType { kName, kString, kOperator, kNumber, kNewline };

struct Token {
  TokenType type = TokenType::kOperator;
  std::string_view text;  // a string's contents without prefix and quotes
  std::size_t line = 0;
  std::size_t indent = 0;   // the indentation of the logical line it starts, if it does
  bool line_start = false;  // first token of a logical line
  std::size_t depth = 0;    // bracket depth before it
};

bool is_name_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool is_name_char(unsigned char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// String prefixes of the reference ("String and Bytes literals"), any case.
bool is_string_prefix(std::string_view word) {
  if (word.size() > 2) return false;
  std::string lower;
  for (char c : word) lower += static_cast<char>(c | 0x20);
  static constexpr std::string_view kPrefixes[] = {"r",  "u",  "b",  "f",  "t", "br",
                                                   "rb", "fr", "rf", "tr", "rt"};
  return std::find(std::begin(kPrefixes), std::end(kPrefixes), lower) != std::end(kPrefixes);
}

// Splits Python source into the tokens the import finder needs. Newlines inside brackets and
// after a backslash continue the logical line (reference, "Explicit/Implicit line joining");
// blank and comment-only lines make no token.
class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  std::vector<Token> run() {
    while (pos_ < src_.size()) {
      if (at_physical_line_start_) start_physical_line();
      if (pos_ >= src_.size()) break;
      const unsigned char c = static_cast<unsigned char>(src_[pos_]);
      if (c == '\n') {
        end_physical_line();
      } else if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      } else if (c == '\\') {
        ++pos_;
        if (pos_ < src_.size() && src_[pos_] == '\r') ++pos_;
        if (pos_ < src_.size() && src_[pos_] == '\n') {
          ++pos_;
          ++line_;  // joined: the logical line goes on
        }
      } else if (c == '"' || c == '\'') {
        lex_string(pos_);
      } else if (is_name_start(c)) {
        lex_name();
      } else if (c >= '0' && c <= '9') {
        const std::size_t start = pos_;
        while (pos_ < src_.size() &&
               (is_name_char(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '.'))
          ++pos_;
        emit(TokenType::kNumber, src_.substr(start, pos_ - start));
      } else {
        lex_operator(c);
      }
    }
    if (!tokens_.empty() && tokens_.back().type != TokenType::kNewline)
      emit(TokenType::kNewline, {});
    return std::move(tokens_);
  }

 private:
  void start_physical_line() {
    at_physical_line_start_ = false;
    if (depth_ > 0 || !logical_line_done_) return;
    std::size_t indent = 0;
    while (pos_ < src_.size() && (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\f')) {
      indent = src_[pos_] == '\t' ? (indent / 8 + 1) * 8 : indent + 1;  // tabs to multiples of 8
      ++pos_;
    }
    pending_indent_ = indent;
  }

  void end_physical_line() {
    ++pos_;
    ++line_;
    at_physical_line_start_ = true;
    if (depth_ == 0 && !logical_line_done_) emit(TokenType::kNewline, {});
  }

  void emit(TokenType type, std::string_view text) {
    Token token{type, text, line_, pending_indent_, false, depth_};
    if (type != TokenType::kNewline && logical_line_done_) {
      token.line_start = true;
      logical_line_done_ = false;
    }
    if (type == TokenType::kNewline) logical_line_done_ = true;
    tokens_.push_back(token);
  }

  void lex_name() {
    const std::size_t start = pos_;
    while (pos_ < src_.size() && is_name_char(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    const std::string_view word = src_.substr(start, pos_ - start);
    if (pos_ < src_.size() && (src_[pos_] == '"' || src_[pos_] == '\'') && is_string_prefix(word))
      lex_string(start);
    else
      emit(TokenType::kName, word);
  }

  // A string literal from its quote at pos_ (its prefix began at `start`). An unterminated
  // single-quoted string ends at the line's end, a triple-quoted one at the file's end.
  void lex_string(std::size_t /*start*/) {
    const char quote = src_[pos_];
    const bool triple = src_.substr(pos_, 3) == std::string(3, quote);
    const std::size_t first_line = line_;
    pos_ += triple ? 3 : 1;
    const std::size_t content = pos_;
    std::size_t content_end = src_.size();
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '\\') {
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '\n') ++line_;
        pos_ += 2;
        continue;
      }
      if (c == '\n') {
        if (!triple) {
          content_end = pos_;
          break;
        }
        ++line_;
      }
      if (c == quote && (!triple || src_.substr(pos_, 3) == std::string(3, quote))) {
        content_end = pos_;
        pos_ += triple ? 3 : 1;
        break;
      }
      ++pos_;
    }
    pos_ = std::min(pos_, src_.size());
    content_end = std::min(content_end, src_.size());
    const std::size_t last_line = line_;
    line_ = first_line;
    emit(TokenType::kString, src_.substr(content, content_end - content));
    line_ = last_line;
  }

  void lex_operator(unsigned char c) {
    static constexpr std::string_view kTwoCharacter[] = {
        "==", "+=", "-=", "->", ":=", "!=", "<=", ">=", "**", "//"};
    const std::string_view two = src_.substr(pos_, 2);
    if (std::find(std::begin(kTwoCharacter), std::end(kTwoCharacter), two) !=
        std::end(kTwoCharacter)) {
      emit(TokenType::kOperator, two);
      pos_ += 2;
      return;
    }
    if (c == ')' || c == ']' || c == '}') depth_ = depth_ > 0 ? depth_ - 1 : 0;
    emit(TokenType::kOperator, src_.substr(pos_, 1));
    if (c == '(' || c == '[' || c == '{') ++depth_;
    ++pos_;
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t depth_ = 0;
  std::size_t pending_indent_ = 0;
  bool at_physical_line_start_ = true;
  bool logical_line_done_ = true;
  std::vector<Token> tokens_;
};

bool is_operator(const Token& token, std::string_view text) {
  return token.type == TokenType::kOperator && token.text == text;
}
bool is_name(const Token& token, std::string_view text) {
  return token.type == TokenType::kName && token.text == text;
}

enum class BlockKind { kFunction, kTypeChecking };
struct Block {
  std::size_t indent;
  BlockKind kind;
};

// Walks the tokens statement by statement, keeping the blocks (def, if TYPE_CHECKING) that the
// current line sits in by their indentation.
class ImportFinder {
 public:
  explicit ImportFinder(const std::vector<Token>& tokens) : tokens_(tokens) {}

  std::vector<ImportReference> run() {
    for (i_ = 0; i_ < tokens_.size(); ++i_) {
      const Token& token = tokens_[i_];
      if (token.line_start) start_logical_line(token);
      if (token.type == TokenType::kNewline) continue;
      if (statement_start()) statement();
      if (token.type == TokenType::kName &&
          (token.text == "import_module" || token.text == "__import__"))
        dynamic_import();
    }
    return std::move(found_);
  }

 private:
  void start_logical_line(const Token& token) {
    while (!blocks_.empty() && blocks_.back().indent >= token.indent) {
      --open_[static_cast<std::size_t>(blocks_.back().kind)];
      blocks_.pop_back();
    }
    line_indent_ = token.indent;
    line_function_ = false;
    line_type_only_ = false;
  }

  // The first token of a statement: after a newline, a ';', or a compound statement's ':'.
  bool statement_start() const {
    if (i_ == 0 || tokens_[i_].line_start) return true;
    const Token& previous = tokens_[i_ - 1];
    return previous.depth == 0 && (is_operator(previous, ";") || is_operator(previous, ":"));
  }

  // Counted, not searched: a file of 100,000 nested defs stays linear (docs/security.md).
  bool in_block(BlockKind kind) const { return open_[static_cast<std::size_t>(kind)] > 0; }

  void open_block(BlockKind kind) {
    blocks_.push_back({line_indent_, kind});
    ++open_[static_cast<std::size_t>(kind)];
  }

  void record(std::string module, std::size_t line, ImportKind kind) {
    ImportReference reference;
    reference.module = std::move(module);
    reference.line = line;
    reference.kind = kind;
    reference.type_only = line_type_only_ || in_block(BlockKind::kTypeChecking);
    reference.in_function = line_function_ || in_block(BlockKind::kFunction);
    found_.push_back(std::move(reference));
  }

  void statement() {
    const Token& token = tokens_[i_];
    if (is_name(token, "def") ||
        (is_name(token, "async") && i_ + 1 < tokens_.size() && is_name(tokens_[i_ + 1], "def"))) {
      open_block(BlockKind::kFunction);
      line_function_ = true;
    } else if (is_name(token, "if") && type_checking_condition()) {
      open_block(BlockKind::kTypeChecking);
      line_type_only_ = true;
    } else if (is_name(token, "import")) {
      import_statement();
    } else if (is_name(token, "from")) {
      from_statement();
    } else if (is_name(token, "INSTALLED_APPS")) {
      installed_apps();
    }
  }

  // `if TYPE_CHECKING:` or `if typing.TYPE_CHECKING:` (any module alias before the dot).
  bool type_checking_condition() const {
    std::size_t j = i_ + 1;
    if (j + 2 < tokens_.size() && tokens_[j].type == TokenType::kName &&
        is_operator(tokens_[j + 1], "."))
      j += 2;
    return j + 1 < tokens_.size() && is_name(tokens_[j], "TYPE_CHECKING") &&
           is_operator(tokens_[j + 1], ":");
  }

  // A dotted name starting at tokens_[j]; j is left after it. Empty when there is none.
  std::string dotted_name(std::size_t& j) const {
    std::string name;
    while (j < tokens_.size() && tokens_[j].type == TokenType::kName) {
      name += tokens_[j].text;
      ++j;
      if (j + 1 < tokens_.size() && is_operator(tokens_[j], ".") &&
          tokens_[j + 1].type == TokenType::kName) {
        name += '.';
        ++j;
      } else {
        break;
      }
    }
    return name;
  }

  bool ends_statement(const Token& token) const {
    return token.type == TokenType::kNewline || (token.depth == 0 && is_operator(token, ";"));
  }

  // import a.b [as c], d
  void import_statement() {
    const std::size_t line = tokens_[i_].line;
    std::size_t j = i_ + 1;
    while (j < tokens_.size() && !ends_statement(tokens_[j])) {
      const std::string name = dotted_name(j);
      if (name.empty()) break;
      record(name, line, ImportKind::kImport);
      if (j < tokens_.size() && is_name(tokens_[j], "as")) j += 2;
      if (j < tokens_.size() && is_operator(tokens_[j], ",")) {
        ++j;
        continue;
      }
      break;
    }
  }

  // from a.b import c; relative imports (from . / from .x) name the project's own modules.
  void from_statement() {
    std::size_t j = i_ + 1;
    if (j < tokens_.size() && is_operator(tokens_[j], ".")) return;
    const std::string name = dotted_name(j);
    if (name.empty() || name == "__future__") return;
    if (j < tokens_.size() && is_name(tokens_[j], "import"))
      record(name, tokens_[i_].line, ImportKind::kImport);
  }

  // import_module("a.b") or __import__("a.b"): only a literal, absolute name is known.
  void dynamic_import() {
    const std::size_t j = i_ + 1;
    if (j + 2 >= tokens_.size() || !is_operator(tokens_[j], "(") ||
        tokens_[j + 1].type != TokenType::kString)
      return;
    const Token& argument = tokens_[j + 1];
    if (!is_operator(tokens_[j + 2], ")") && !is_operator(tokens_[j + 2], ",")) return;
    if (i_ > 0 && is_name(tokens_[i_ - 1], "def")) return;
    if (is_dotted_name(argument.text))
      record(std::string(argument.text), argument.line, ImportKind::kDynamic);
  }

  // INSTALLED_APPS = [...] or += [...]: Django imports each app by its dotted name.
  void installed_apps() {
    std::size_t j = i_ + 1;
    if (j >= tokens_.size() || !(is_operator(tokens_[j], "=") || is_operator(tokens_[j], "+=")))
      return;
    for (++j; j < tokens_.size() && tokens_[j].type != TokenType::kNewline; ++j)
      if (tokens_[j].type == TokenType::kString && is_dotted_name(tokens_[j].text))
        record(std::string(tokens_[j].text), tokens_[j].line, ImportKind::kInstalledApps);
  }

  const std::vector<Token>& tokens_;
  std::size_t i_ = 0;
  std::vector<Block> blocks_;
  std::array<std::size_t, 2> open_{};  // open blocks of each BlockKind
  std::size_t line_indent_ = 0;
  bool line_function_ = false;
  bool line_type_only_ = false;
  std::vector<ImportReference> found_;
};

}  // namespace

bool is_dotted_name(std::string_view text) {
  if (text.empty()) return false;
  bool expect_start = true;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '.') {
      if (expect_start) return false;
      expect_start = true;
    } else if (expect_start ? is_name_start(c) : is_name_char(c)) {
      expect_start = false;
    } else {
      return false;
    }
  }
  return !expect_start;
}

std::vector<ImportReference> find_imports(std::string_view source) {
  const std::vector<Token> tokens = Lexer(source).run();
  return ImportFinder(tokens).run();
}

}  // namespace pkgsizer::recommend
