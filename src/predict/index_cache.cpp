#include "predict/index_cache.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "store/database.hpp"
#include "util/dirs.hpp"
#include "util/text.hpp"

namespace pkgsizer::predict {
namespace {

using store::Database;
using store::Statement;

constexpr std::int32_t kHttpCacheApplicationId = 0x706B6874;  // "pkht"

const std::vector<Database::Migration>& http_cache_migrations() {
  static const std::vector<Database::Migration> migrations{
      [](Database& db) {
        db.exec(R"SQL(
          CREATE TABLE responses (
            key TEXT PRIMARY KEY,          -- cache_key(): URL without credentials + Accept
            status INTEGER NOT NULL,       -- 200, or 404/410 (a project an index lacks)
            effective_url TEXT NOT NULL,   -- after redirects, without credentials
            content_type TEXT NOT NULL,
            etag TEXT NOT NULL,            -- '' when the server sent none
            last_modified TEXT NOT NULL,   -- '' when the server sent none
            body BLOB NOT NULL,            -- decoded (never gzip)
            stored_at INTEGER NOT NULL,    -- unix seconds of the last 200 or 304
            fresh_until INTEGER NOT NULL   -- unix seconds
          );
          CREATE TABLE wheel_members (
            url TEXT NOT NULL,             -- without credentials
            size INTEGER NOT NULL,         -- bytes: with the URL, names one immutable file
            members BLOB NOT NULL,         -- MessagePack: [[name, compressed, uncompressed,
                                           --   method, local header offset], ...]
            stored_at INTEGER NOT NULL,
            PRIMARY KEY (url, size)
          );
        )SQL");
      },
      [](Database& db) {
        db.exec(R"SQL(
          CREATE TABLE wheel_metadata (
            url TEXT NOT NULL,             -- without credentials
            size INTEGER NOT NULL,         -- bytes: with the URL, names one immutable file
            text BLOB NOT NULL,            -- its .dist-info/METADATA member
            stored_at INTEGER NOT NULL,
            PRIMARY KEY (url, size)
          );
        )SQL");
      },
  };
  return migrations;
}

std::optional<std::int64_t> parse_seconds(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = text.substr(1, text.size() - 2);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0)
    return std::nullopt;
  return value;
}

std::string header_or_empty(const HttpHeaders& headers, std::string_view name) {
  return headers.get(name).value_or("");
}

bool has_header(const HttpRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const auto& field) { return lowercase(field.first) == lowercase(name); });
}

}  // namespace

struct IndexCache::Entry {
  long status = 200;
  std::string effective_url;
  std::string content_type;
  std::string etag;
  std::string last_modified;
  std::string body;
  std::int64_t stored_at = 0;
  std::int64_t fresh_until = 0;
};

// ----- pure helpers -----------------------------------------------------------------------

CacheControl parse_cache_control(const std::vector<std::string>& values) {
  CacheControl control;
  for (const std::string& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      const std::string_view directive = trim(std::string_view(value).substr(start, comma - start));
      start = comma + 1;
      if (directive.empty()) continue;
      const std::size_t equals = directive.find('=');
      const std::string name = lowercase(trim(directive.substr(0, equals)));
      const std::string_view argument =
          equals == std::string_view::npos ? "" : directive.substr(equals + 1);
      if (name == "max-age") {
        // RFC 9111 4.2.1: with several, the first wins... unless one is invalid: then stale.
        if (const auto seconds = parse_seconds(argument)) {
          if (!control.max_age) control.max_age = seconds;
        } else {
          control.max_age = 0;
        }
      } else if (name == "no-store") {
        control.no_store = true;
      } else if (name == "no-cache") {
        control.no_cache = true;
      } else if (name == "immutable") {
        control.immutable = true;
      }
    }
  }
  return control;
}

std::int64_t freshness_lifetime(const HttpHeaders& headers, std::chrono::seconds max_freshness) {
  const CacheControl control = parse_cache_control(headers.get_all("Cache-Control"));
  if (control.no_cache || control.no_store || !control.max_age) return 0;
  const std::int64_t age = parse_seconds(header_or_empty(headers, "Age")).value_or(0);
  std::int64_t lifetime = std::max<std::int64_t>(0, *control.max_age - age);
  if (!control.immutable) lifetime = std::min<std::int64_t>(lifetime, max_freshness.count());
  return lifetime;
}

std::string cache_key(const HttpRequest& request) {
  std::string accept;
  for (const auto& [name, value] : request.headers)
    if (lowercase(name) == "accept") accept = value;
  return fmt::format("GET {}\nAccept: {}", url_without_credentials(request.url), accept);
}

std::string default_http_cache_path(const char* pkgsizer_cache_dir, const char* xdg_cache_home,
                                    const char* home) {
  const std::string directory = user_cache_dir(pkgsizer_cache_dir, xdg_cache_home, home);
  return directory.empty() ? "" : directory + "/http.sqlite3";
}

// ----- the cache --------------------------------------------------------------------------

IndexCache::IndexCache(const std::string& path, IndexCacheOptions options)
    : path_(path), options_(options), clock_([] { return std::chrono::system_clock::now(); }) {
  try {
    open();
  } catch (const store::StoreCorrupt& error) {
    // The cache holds nothing the network cannot give again: keep the bad file for a look.
    const std::string aside = store::move_aside_damaged(path_, clock_());
    warnings_.push_back(
        fmt::format("{}; moved it aside to {} and started a new HTTP cache", error.what(), aside));
    open();
  }
}

IndexCache::~IndexCache() = default;

void IndexCache::open() {
  database_ = std::make_unique<Database>(path_, kHttpCacheApplicationId, http_cache_migrations());
}

std::int64_t IndexCache::now_seconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
}

std::optional<IndexCache::Entry> IndexCache::lookup(const std::string& key) {
  Statement query = database_->prepare(
      "SELECT effective_url, content_type, etag, last_modified, body, stored_at, fresh_until, "
      "status "
      "FROM responses WHERE key = ?");
  query.bind(1, key);
  if (!query.step()) return std::nullopt;
  Entry entry;
  entry.effective_url = query.column_text(0);
  entry.content_type = query.column_text(1);
  entry.etag = query.column_text(2);
  entry.last_modified = query.column_text(3);
  entry.body = query.column_text(4);
  entry.stored_at = query.column_int(5);
  entry.fresh_until = query.column_int(6);
  entry.status = static_cast<long>(query.column_int(7));
  return entry;
}

void IndexCache::store(const std::string& key, const Entry& entry) {
  Statement upsert = database_->prepare(
      "INSERT INTO responses (key, effective_url, content_type, etag, last_modified, body, "
      "stored_at, "
      "fresh_until, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
      "effective_url = excluded.effective_url, content_type = excluded.content_type, etag = "
      "excluded.etag, "
      "last_modified = excluded.last_modified, body = excluded.body, stored_at = "
      "excluded.stored_at, "
      "fresh_until = excluded.fresh_until, status = excluded.status");
  upsert.bind(1, key)
      .bind(2, entry.effective_url)
      .bind(3, entry.content_type)
      .bind(4, entry.etag)
      .bind(5, entry.last_modified)
      .bind_blob(6, entry.body)
      .bind(7, entry.stored_at)
      .bind(8, entry.fresh_until)
      .bind(9, static_cast<std::int64_t>(entry.status));
  upsert.run();
}

namespace {

// A stored entry as the response it stands for.
HttpResponse cached_response(const HttpRequest& request, long status,
                             const std::string& effective_url, const std::string& content_type,
                             const std::string& etag, const std::string& last_modified,
                             std::string body) {
  HttpResponse response;
  response.url = request.url;
  // Stored without credentials: give back the request's own URL when it is the same page, so
  // that links resolve against a URL that still carries them.
  response.effective_url =
      effective_url == url_without_credentials(request.url) ? request.url : effective_url;
  response.status = status;
  response.from_cache = true;
  if (!content_type.empty()) response.headers.add("Content-Type", content_type);
  if (!etag.empty()) response.headers.add("ETag", etag);
  if (!last_modified.empty()) response.headers.add("Last-Modified", last_modified);
  response.received_bytes = 0;
  response.body = std::move(body);
  return response;
}

bool cacheable_request(const HttpRequest& request) {
  return !request.head && request.keep_last_bytes == 0 && request.stop_full_body_over == 0 &&
         !has_header(request, "Range") && !has_header(request, "If-None-Match") &&
         !has_header(request, "If-Modified-Since") && !has_header(request, "Authorization");
}

}  // namespace

std::vector<HttpResponse> IndexCache::fetch_all(HttpClient& http,
                                                const std::vector<HttpRequest>& requests) {
  std::vector<HttpResponse> results(requests.size());
  std::vector<std::optional<Entry>> entries(requests.size());
  std::vector<std::string> keys(requests.size());
  std::vector<HttpRequest> network;
  std::vector<std::size_t> sent;
  const std::int64_t now = now_seconds();

  for (std::size_t i = 0; i < requests.size(); ++i) {
    const HttpRequest& request = requests[i];
    if (!cacheable_request(request)) {
      if (options_.mode == CacheMode::kOffline) {
        results[i].url = request.url;
        results[i].head = request.head;
        results[i].error = "the network is off (--offline)";
        continue;
      }
      network.push_back(request);
      sent.push_back(i);
      continue;
    }
    keys[i] = cache_key(request);
    try {
      entries[i] = lookup(keys[i]);
    } catch (const store::StoreError& error) {
      warnings_.push_back(fmt::format("HTTP cache {}: {}", path_, error.what()));
    }
    const std::optional<Entry>& entry = entries[i];
    if (options_.mode == CacheMode::kOffline) {
      if (entry) {
        results[i] =
            cached_response(request, entry->status, entry->effective_url, entry->content_type,
                            entry->etag, entry->last_modified, entry->body);
        ++stats_.fresh_hits;
      } else {
        results[i].url = request.url;
        results[i].head = request.head;
        results[i].error = "not in the HTTP cache, and the network is off (--offline)";
      }
      continue;
    }
    if (entry && options_.mode == CacheMode::kUse && entry->fresh_until > now) {
      results[i] =
          cached_response(request, entry->status, entry->effective_url, entry->content_type,
                          entry->etag, entry->last_modified, entry->body);
      ++stats_.fresh_hits;
      continue;
    }
    HttpRequest conditional = request;
    if (entry && !entry->etag.empty())
      conditional.headers.emplace_back("If-None-Match", entry->etag);
    if (entry && !entry->last_modified.empty())
      conditional.headers.emplace_back("If-Modified-Since", entry->last_modified);
    if (!entry) ++stats_.misses;
    network.push_back(std::move(conditional));
    sent.push_back(i);
  }
  if (network.empty()) return results;

  std::vector<HttpResponse> responses = http.fetch_all(network);
  const std::int64_t received = now_seconds();
  try {
    database_->transaction([&] {
      for (std::size_t k = 0; k < sent.size(); ++k) {
        const std::size_t i = sent[k];
        HttpResponse& response = responses[k];
        if (keys[i].empty() || !response.error.empty()) continue;
        const std::int64_t lifetime = freshness_lifetime(response.headers, options_.max_freshness);
        if (response.status == 304 && entries[i]) {
          // RFC 9111 4.3.4: the 304's validators and freshness replace the stored ones.
          Entry& entry = *entries[i];
          if (const auto etag = response.headers.get("ETag")) entry.etag = *etag;
          if (const auto modified = response.headers.get("Last-Modified"))
            entry.last_modified = *modified;
          entry.stored_at = received;
          entry.fresh_until = received + lifetime;
          store(keys[i], entry);
          ++stats_.revalidated;
          continue;
        }
        // 404 and 410 too: offline, an extra index that lacks a project must still say so.
        if (response.status != 200 && response.status != 404 && response.status != 410) continue;
        if (parse_cache_control(response.headers.get_all("Cache-Control")).no_store) continue;
        Entry entry;
        entry.status = response.status;
        entry.effective_url = url_without_credentials(
            response.effective_url.empty() ? response.url : response.effective_url);
        entry.content_type = header_or_empty(response.headers, "Content-Type");
        entry.etag = header_or_empty(response.headers, "ETag");
        entry.last_modified = header_or_empty(response.headers, "Last-Modified");
        entry.body = response.body;
        entry.stored_at = received;
        entry.fresh_until = received + lifetime;
        store(keys[i], entry);
        ++stats_.stored;
      }
    });
  } catch (const store::StoreError& error) {
    warnings_.push_back(
        fmt::format("HTTP cache {}: cannot store responses: {}", path_, error.what()));
  }

  for (std::size_t k = 0; k < sent.size(); ++k) {
    const std::size_t i = sent[k];
    HttpResponse& response = responses[k];
    if (response.status == 304 && response.error.empty() && entries[i]) {
      const Entry& entry = *entries[i];
      HttpResponse reused =
          cached_response(requests[i], entry.status, entry.effective_url, entry.content_type,
                          entry.etag, entry.last_modified, entry.body);
      reused.attempts = response.attempts;
      results[i] = std::move(reused);
      continue;
    }
    results[i] = std::move(response);
  }
  return results;
}

HttpResponse IndexCache::fetch(HttpClient& http, const HttpRequest& request) {
  return std::move(fetch_all(http, {request}).front());
}

std::optional<std::uint64_t> IndexCache::size_of_hashed_url(const std::string& url) {
  const std::size_t fragment = url.find('#');
  if (fragment == std::string::npos) return std::nullopt;
  const std::string_view hash = std::string_view(url).substr(fragment + 1);
  if (!(hash.starts_with("sha256=") || hash.starts_with("sha384=") ||
        hash.starts_with("sha512=")) ||
      hash.size() < 7 + 64)
    return std::nullopt;
  try {
    Statement query = database_->prepare("SELECT size FROM wheel_members WHERE url = ?");
    query.bind(1, url_without_credentials(url));
    if (!query.step()) return std::nullopt;
    const std::int64_t size = query.column_int(0);
    if (query.step()) return std::nullopt;  // two sizes for one hash: trust neither
    return static_cast<std::uint64_t>(size);
  } catch (const store::StoreError& error) {
    warnings_.push_back(fmt::format("HTTP cache {}: {}", path_, error.what()));
  }
  return std::nullopt;
}

std::optional<std::vector<ZipMember>> IndexCache::lookup_members(const std::string& url,
                                                                 std::uint64_t size) {
  const std::optional<std::string> blob = lookup_file_blob(kMembersTable, url, size);
  if (!blob) return std::nullopt;
  try {
    const nlohmann::json data = nlohmann::json::from_msgpack(*blob);
    std::vector<ZipMember> members;
    members.reserve(data.size());
    for (const auto& row : data) {
      const auto& name = row.at(0);
      // Rows of 3 (before the method and offset were kept) fail here: a miss, then replaced.
      members.push_back({name.is_binary()
                             ? std::string(name.get_binary().begin(), name.get_binary().end())
                             : name.get<std::string>(),
                         row.at(1).get<std::uint64_t>(), row.at(2).get<std::uint64_t>(),
                         row.at(3).get<std::uint16_t>(), row.at(4).get<std::uint64_t>()});
    }
    ++stats_.member_hits;
    return members;
  } catch (const nlohmann::json::exception&) {
    // An entry we cannot read is a miss; the next store replaces it.
  }
  return std::nullopt;
}

void IndexCache::store_members(const std::string& url, std::uint64_t size,
                               const std::vector<ZipMember>& members) {
  if (options_.mode == CacheMode::kOffline) return;
  nlohmann::json data = nlohmann::json::array();
  for (const ZipMember& member : members)
    // Names are bytes: binary strings survive MessagePack whatever their encoding.
    data.push_back({nlohmann::json::binary_t(
                        std::vector<std::uint8_t>(member.name.begin(), member.name.end())),
                    member.compressed_size, member.uncompressed_size, member.method,
                    member.local_header_offset});
  const std::vector<std::uint8_t> payload = nlohmann::json::to_msgpack(data);
  store_file_blob(kMembersTable, url, size, std::string(payload.begin(), payload.end()));
}

std::optional<std::string> IndexCache::lookup_metadata(const std::string& url, std::uint64_t size) {
  return lookup_file_blob(kMetadataTable, url, size);
}

void IndexCache::store_metadata(const std::string& url, std::uint64_t size,
                                const std::string& text) {
  store_file_blob(kMetadataTable, url, size, text);
}

std::optional<std::string> IndexCache::lookup_file_blob(const FileTable& table,
                                                        const std::string& url,
                                                        std::uint64_t size) {
  try {
    Statement query = database_->prepare(
        fmt::format("SELECT {} FROM {} WHERE url = ? AND size = ?", table.column, table.table));
    query.bind(1, url_without_credentials(url)).bind(2, static_cast<std::int64_t>(size));
    if (query.step()) return query.column_text(0);
  } catch (const store::StoreError& error) {
    warnings_.push_back(fmt::format("HTTP cache {}: {}", path_, error.what()));
  }
  return std::nullopt;
}

void IndexCache::store_file_blob(const FileTable& table, const std::string& url, std::uint64_t size,
                                 const std::string& blob) {
  if (options_.mode == CacheMode::kOffline) return;
  try {
    database_->transaction([&] {
      Statement upsert = database_->prepare(
          fmt::format("INSERT INTO {0} (url, size, {1}, stored_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (url, size) DO UPDATE SET {1} = excluded.{1}, "
                      "stored_at = excluded.stored_at",
                      table.table, table.column));
      upsert.bind(1, url_without_credentials(url))
          .bind(2, static_cast<std::int64_t>(size))
          .bind_blob(3, blob)
          .bind(4, now_seconds());
      upsert.run();
    });
  } catch (const store::StoreError& error) {
    warnings_.push_back(fmt::format("HTTP cache {}: cannot store {} of {}: {}", path_, table.what,
                                    redact_url(url), error.what()));
  }
}

}  // namespace pkgsizer::predict
