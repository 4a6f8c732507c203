// Where a history lives: a SQLite file path, or a PostgreSQL URL (postgresql:// or postgres://,
// the two schemes libpq accepts; libpq's "Connection URIs"). Pure text rules, unit-tested.
#pragma once

#include <string>
#include <string_view>

namespace pkgsizer::store {

// True for "postgresql://..." and "postgres://..." (case as libpq: lower case only).
bool is_postgres_url(std::string_view location);

// The location as it may be shown, logged or written to JSON: a URL's password (in its user
// info, "user:secret@host", or its query, "?password=secret") is removed. A file path is
// returned as it is.
std::string printable_location(const std::string& location);

// `message` (libpq's, which may quote the URL it could not parse) with `url` replaced by its
// printable_location() and its password, wherever else it appears, by "****". A password of
// fewer than 4 characters is only removed as part of the URL (replacing "x" everywhere would
// garble the message, and hides nothing such a password protects).
std::string without_secrets(std::string message, const std::string& url);

}  // namespace pkgsizer::store
