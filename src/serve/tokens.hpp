// Access tokens of `pkgsizer serve` (docs/serve.md "Tokens"): random bearer tokens, shown once
// when made and kept only as their SHA-256 (FIPS 180-4) in a tokens file of mode 0600
// (default: $XDG_STATE_HOME/pkgsizer/serve-tokens.json). A file rather than a table of the
// history: the same file serves a SQLite and a PostgreSQL history, and reading the history never
// gives the tokens away. Two scopes: read (GET) and upload (POST /api/scans and GET).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::serve {

enum class TokenScope { kRead, kUpload };

std::string_view to_string(TokenScope scope);
std::optional<TokenScope> token_scope_from_string(std::string_view text);

// True when a token of scope `held` may do what `needed` allows (upload includes read).
bool scope_allows(TokenScope held, TokenScope needed);

// Lower-case hex SHA-256 of the token's bytes.
std::string sha256_hex(std::string_view text);

// "pks_" and 64 hex digits: 256 bits from getrandom(2).
std::string new_token_text();

struct TokenRecord {
  std::string id;  // 8 hex digits of the hash: how `token list` and `token revoke` name it
  std::string name;
  TokenScope scope = TokenScope::kRead;
  std::string sha256;  // of the token text
  std::string created_at;
};

// $XDG_STATE_HOME/pkgsizer/serve-tokens.json, else ~/.local/state/pkgsizer/serve-tokens.json
// (the XDG Base Directory default); "" without a home. Variables passed in: pure.
std::string default_tokens_path(const char* xdg_state_home, const char* home);
// default_tokens_path() for this process.
std::string tokens_path_from_environment();

// The records of a tokens file's text; throws pkgsizer::Error (kUsage) naming `path` when it is
// not one.
std::vector<TokenRecord> parse_tokens(const std::string& text, const std::string& path);
std::string tokens_to_text(const std::vector<TokenRecord>& tokens);

// The record whose hash is the token's, compared in constant time; nothing when none is.
std::optional<TokenRecord> find_token(const std::vector<TokenRecord>& tokens,
                                      std::string_view token);

// The tokens file: read whole, rewritten whole (atomically, mode 0600).
class TokenFile {
 public:
  explicit TokenFile(std::string path);
  // No file yet: no tokens.
  std::vector<TokenRecord> read() const;
  // Makes, records and returns a new token (its text is nowhere else afterwards).
  std::string add(TokenScope scope, const std::string& name);
  // Removes the token whose id or name is `which`; false when there is none.
  bool revoke(const std::string& which);
  const std::string& path() const { return path_; }

 private:
  void write(const std::vector<TokenRecord>& tokens) const;
  std::string path_;
};

}  // namespace pkgsizer::serve
