#include "serve/tokens.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <nettle/sha2.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "util/error.hpp"
#include "util/home.hpp"
#include "util/read_file.hpp"
#include "util/utc_time.hpp"

namespace pkgsizer::serve {
namespace {

constexpr std::array<std::string_view, 2> kScopeNames = {"read", "upload"};
constexpr std::uint64_t kMaxTokensFileBytes = 16 * kMebibyte;

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0f];
  }
  return out;
}

// Compares every byte whatever the first difference: the time taken says nothing of how much
// of a guessed hash was right.
bool equal_in_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

[[noreturn]] void fail_write(const std::string& path, int error_number) {
  throw Error(ErrorCategory::kOutput, fmt::format("{}: cannot write the tokens file: {}", path,
                                                  std::strerror(error_number)));
}

}  // namespace

std::string_view to_string(TokenScope scope) {
  return kScopeNames.at(static_cast<std::size_t>(scope));
}

std::optional<TokenScope> token_scope_from_string(std::string_view text) {
  for (std::size_t i = 0; i < kScopeNames.size(); ++i)
    if (kScopeNames[i] == text) return static_cast<TokenScope>(i);
  return std::nullopt;
}

bool scope_allows(TokenScope held, TokenScope needed) {
  return held == TokenScope::kUpload || needed == TokenScope::kRead;
}

std::string sha256_hex(std::string_view text) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, text.size(), reinterpret_cast<const std::uint8_t*>(text.data()));
  std::array<unsigned char, SHA256_DIGEST_SIZE> digest{};
  sha256_digest(&context, digest.size(), digest.data());
  return hex(digest.data(), digest.size());
}

std::string new_token_text() {
  std::array<unsigned char, 32> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0)
      throw Error(ErrorCategory::kInternal,
                  fmt::format("getrandom: no random bytes for a token: {}", std::strerror(errno)));
    filled += static_cast<std::size_t>(got);
  }
  return "pks_" + hex(bytes.data(), bytes.size());
}

std::string default_tokens_path(const char* xdg_state_home, const char* home) {
  // The spec: a relative $XDG_STATE_HOME is invalid and ignored.
  if (xdg_state_home && xdg_state_home[0] == '/')
    return std::string(xdg_state_home) + "/pkgsizer/serve-tokens.json";
  if (home && home[0] != '\0')
    return std::string(home) + "/.local/state/pkgsizer/serve-tokens.json";
  return "";
}

std::string tokens_path_from_environment() {
  const std::string home = home_directory();
  return default_tokens_path(std::getenv("XDG_STATE_HOME"), home.empty() ? nullptr : home.c_str());
}

std::vector<TokenRecord> parse_tokens(const std::string& text, const std::string& path) {
  const auto bad = [&](const std::string& what) {
    return Error(ErrorCategory::kUsage,
                 fmt::format("{}: not a pkgsizer tokens file: {}", path, what));
  };
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) throw bad("not JSON");
  if (!document.is_object() || !document.contains("tokens") || !document["tokens"].is_array())
    throw bad("no \"tokens\" array");
  std::vector<TokenRecord> tokens;
  for (const nlohmann::json& entry : document["tokens"]) {
    if (!entry.is_object()) throw bad("a token is not an object");
    TokenRecord record;
    for (const auto* key : {"id", "name", "scope", "sha256", "created_at"})
      if (!entry.contains(key) || !entry[key].is_string())
        throw bad(fmt::format("a token has no string \"{}\"", key));
    record.id = entry["id"].get<std::string>();
    record.name = entry["name"].get<std::string>();
    const auto scope = token_scope_from_string(entry["scope"].get<std::string>());
    if (!scope) throw bad("a token's scope is neither read nor upload");
    record.scope = *scope;
    record.sha256 = entry["sha256"].get<std::string>();
    record.created_at = entry["created_at"].get<std::string>();
    tokens.push_back(std::move(record));
  }
  return tokens;
}

std::string tokens_to_text(const std::vector<TokenRecord>& tokens) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const TokenRecord& record : tokens)
    list.push_back({{"id", record.id},
                    {"name", record.name},
                    {"scope", to_string(record.scope)},
                    {"sha256", record.sha256},
                    {"created_at", record.created_at}});
  return nlohmann::ordered_json{{"tokens", list}}.dump(2) + "\n";
}

std::optional<TokenRecord> find_token(const std::vector<TokenRecord>& tokens,
                                      std::string_view token) {
  const std::string hash = sha256_hex(token);
  std::optional<TokenRecord> found;
  for (const TokenRecord& record : tokens)
    if (equal_in_constant_time(record.sha256, hash)) found = record;
  return found;
}

TokenFile::TokenFile(std::string path) : path_(std::move(path)) {
  if (path_.empty())
    throw Error(ErrorCategory::kUsage, "no tokens file: give --tokens FILE (no home directory)");
}

std::vector<TokenRecord> TokenFile::read() const {
  std::error_code ignored;
  if (!std::filesystem::exists(path_, ignored)) return {};
  std::string error;
  const std::optional<std::string> text = read_text_file(path_, kMaxTokensFileBytes, &error);
  if (!text) throw Error(ErrorCategory::kUsage, fmt::format("{}: cannot read: {}", path_, error));
  return parse_tokens(*text, path_);
}

std::string TokenFile::add(TokenScope scope, const std::string& name) {
  std::vector<TokenRecord> tokens = read();
  std::string token = new_token_text();
  TokenRecord record;
  record.sha256 = sha256_hex(token);
  record.id = record.sha256.substr(0, 8);
  record.name = name.empty() ? record.id : name;
  record.scope = scope;
  record.created_at = iso8601_utc();
  tokens.push_back(record);
  write(tokens);
  return token;
}

bool TokenFile::revoke(const std::string& which) {
  std::vector<TokenRecord> tokens = read();
  const auto size = tokens.size();
  std::erase_if(tokens, [&](const TokenRecord& r) { return r.id == which || r.name == which; });
  if (tokens.size() == size) return false;
  write(tokens);
  return true;
}

// A temporary file made with mode 0600 (never readable by others, not even for a moment), synced
// and renamed over the old one; the directory is made 0700 when missing.
void TokenFile::write(const std::vector<TokenRecord>& tokens) const {
  const std::filesystem::path target(path_);
  std::error_code error;
  if (target.has_parent_path() && !std::filesystem::exists(target.parent_path(), error)) {
    std::filesystem::create_directories(target.parent_path(), error);
    if (error) fail_write(path_, error.value());
    ::chmod(target.parent_path().c_str(), 0700);
  }
  const std::string temporary = path_ + ".tmp";
  ::unlink(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) fail_write(path_, errno);
  const std::string text = tokens_to_text(tokens);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      fail_write(path_, saved);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) fail_write(path_, errno);
  if (::rename(temporary.c_str(), path_.c_str()) != 0) fail_write(path_, errno);
}

}  // namespace pkgsizer::serve
