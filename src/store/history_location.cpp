#include "store/history_location.hpp"

#include <vector>

namespace pkgsizer::store {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "user:secret@host/db" → "user@host/db". The user info ends at the last '@' before the path:
// a password must percent-encode '@' and '/' (RFC 3986 §3.2.1), so a raw '@' ends it.
std::string without_user_password(std::string rest) {
  const std::size_t path = rest.find_first_of("/?");
  const std::size_t at = rest.rfind('@', path == std::string::npos ? std::string::npos : path);
  if (at == std::string::npos || (path != std::string::npos && at > path)) return rest;
  const std::size_t colon = rest.find(':');
  if (colon != std::string::npos && colon < at) rest.erase(colon, at - colon);
  return rest;
}

// "?sslmode=require&password=secret" → "?sslmode=require".
std::string without_query_password(const std::string& rest) {
  const std::size_t query = rest.find('?');
  if (query == std::string::npos) return rest;
  std::string kept = rest.substr(0, query);
  char separator = '?';
  std::size_t start = query + 1;
  while (start <= rest.size()) {
    std::size_t end = rest.find('&', start);
    if (end == std::string::npos) end = rest.size();
    const std::string parameter = rest.substr(start, end - start);
    if (!parameter.empty() && !starts_with(parameter, "password=") && parameter != "password") {
      kept += separator;
      kept += parameter;
      separator = '&';
    }
    start = end + 1;
  }
  return kept;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The passwords a URL holds: in its user info, and in password= of its query.
std::vector<std::string> url_passwords(const std::string& url) {
  std::vector<std::string> passwords;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return passwords;
  const std::string rest = url.substr(scheme_end + 3);
  const std::size_t path = rest.find_first_of("/?");
  const std::size_t at = rest.rfind('@', path);
  const std::size_t colon = rest.find(':');
  if (at != std::string::npos && (path == std::string::npos || at < path) &&
      colon != std::string::npos && colon < at)
    passwords.push_back(rest.substr(colon + 1, at - colon - 1));
  for (std::size_t key = rest.find("password="); key != std::string::npos;
       key = rest.find("password=", key + 1)) {
    const std::size_t start = key + 9;
    const std::size_t end = rest.find('&', start);
    passwords.push_back(rest.substr(start, end == std::string::npos ? end : end - start));
  }
  return passwords;
}

}  // namespace

std::string without_secrets(std::string message, const std::string& url) {
  if (url.empty()) return message;
  replace_all(message, url, printable_location(url));
  constexpr std::size_t kShortest = 4;
  for (const std::string& password : url_passwords(url))
    if (password.size() >= kShortest) replace_all(message, password, "****");
  return message;
}

bool is_postgres_url(std::string_view location) {
  return starts_with(location, "postgresql://") || starts_with(location, "postgres://");
}

std::string printable_location(const std::string& location) {
  if (!is_postgres_url(location)) return location;
  const std::size_t scheme_end = location.find("://") + 3;
  return location.substr(0, scheme_end) +
         without_query_password(without_user_password(location.substr(scheme_end)));
}

}  // namespace pkgsizer::store
