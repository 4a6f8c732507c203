// The HTTP cache of `predict`, in SQLite: index pages and metadata files kept with their
// validators (ETag, Last-Modified) and revalidated with conditional requests (a 304 reuses
// the stored body), fresh for a short while when Cache-Control says so; and wheel member lists
// read from central directories, kept by URL and size because a released file never changes
// (PyPI forbids re-uploads). Its own file, default $XDG_CACHE_HOME/pkgsizer/http.sqlite3,
// apart from the scan cache: either can be deleted without touching the other.
//
// A subset of RFC 9111: GET only, keyed by URL (without credentials) and Accept; max-age, Age,
// no-store, no-cache and immutable; no heuristic freshness (a response without max-age is
// revalidated every time, which an ETag makes cheap).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "predict/http_client.hpp"
#include "predict/zip_central_directory.hpp"

namespace pkgsizer::store {
class Database;
}

namespace pkgsizer::predict {

enum class CacheMode {
  kUse,      // fresh entries without a request; stale ones revalidated
  kRefresh,  // every entry revalidated (a 304 still saves the body)
  kOffline,  // no network: any stored entry, however old; a miss is an error response
};

struct IndexCacheOptions {
  CacheMode mode = CacheMode::kUse;
  // The longest a page is trusted without asking, whatever its max-age says: a new release
  // should show up within minutes. Responses marked `immutable` are not capped.
  std::chrono::seconds max_freshness{600};
};

struct IndexCacheStats {
  int fresh_hits = 0;   // answered from the cache without a request
  int revalidated = 0;  // 304: the stored body reused
  int stored = 0;       // 200s written to the cache
  int misses = 0;       // requests that went to the network with nothing stored
  int member_hits = 0;  // central directories found by URL and size
};

class IndexCache {
 public:
  // Opens or creates the cache at `path`. A corrupt or foreign file is moved aside (to
  // PATH.corrupt-TIME), with a warning, and a new one made. Throws store::StoreError only
  // when no cache can be had at all.
  explicit IndexCache(const std::string& path, IndexCacheOptions options = {});
  ~IndexCache();
  IndexCache(const IndexCache&) = delete;
  IndexCache& operator=(const IndexCache&) = delete;

  // GET requests through the cache: fresh entries are answered at once (from_cache), stale
  // ones are sent with If-None-Match / If-Modified-Since and a 304 answered with the stored
  // body (status 200, from_cache); a 200 is stored, and so are 404 and 410 (offline, an index
  // that lacks a project must still say so). HEAD requests, Range requests and
  // requests that carry their own validators go to the network untouched. The answers come
  // back in the order of the requests, as HttpClient::fetch_all's do.
  std::vector<HttpResponse> fetch_all(HttpClient& http, const std::vector<HttpRequest>& requests);
  HttpResponse fetch(HttpClient& http, const HttpRequest& request);

  // The size stored with `url` when the URL names its content (a "#sha256=..." fragment, as
  // indexes write them): then the URL alone is as good as URL and size.
  std::optional<std::uint64_t> size_of_hashed_url(const std::string& url);
  // Members of the wheel at `url` of `size` bytes, as read before.
  std::optional<std::vector<ZipMember>> lookup_members(const std::string& url, std::uint64_t size);
  void store_members(const std::string& url, std::uint64_t size,
                     const std::vector<ZipMember>& members);
  // The METADATA read out of the wheel at `url` of `size` bytes (wheel_metadata.hpp).
  std::optional<std::string> lookup_metadata(const std::string& url, std::uint64_t size);
  void store_metadata(const std::string& url, std::uint64_t size, const std::string& text);

  const IndexCacheStats& stats() const { return stats_; }
  // Cache trouble (a corrupt file replaced, a write that failed): the work went on without it.
  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::string& path() const { return path_; }
  CacheMode mode() const { return options_.mode; }

  // For tests: the clock that decides freshness.
  void set_clock(std::function<std::chrono::system_clock::time_point()> clock) {
    clock_ = std::move(clock);
  }

 private:
  struct Entry;
  void open();
  std::optional<Entry> lookup(const std::string& key);
  void store(const std::string& key, const Entry& entry);
  // A table of what was read out of wheels, by URL and size: wheel_members, wheel_metadata.
  struct FileTable {
    const char* table;
    const char* column;  // the blob
    const char* what;    // for warnings: "the members"
  };
  static constexpr FileTable kMembersTable{"wheel_members", "members", "the members"};
  static constexpr FileTable kMetadataTable{"wheel_metadata", "text", "the METADATA"};
  std::optional<std::string> lookup_file_blob(const FileTable& table, const std::string& url,
                                              std::uint64_t size);
  void store_file_blob(const FileTable& table, const std::string& url, std::uint64_t size,
                       const std::string& blob);
  std::int64_t now_seconds() const;

  std::string path_;
  IndexCacheOptions options_;
  std::unique_ptr<store::Database> database_;
  std::vector<std::string> warnings_;
  IndexCacheStats stats_;
  std::function<std::chrono::system_clock::time_point()> clock_;
};

// ----- Pure helpers (exposed for tests) ---------------------------------------------------

// The directives of every Cache-Control field of a response (RFC 9111 5.2.2).
struct CacheControl {
  std::optional<std::int64_t> max_age;  // seconds
  bool no_store = false;
  bool no_cache = false;
  bool immutable = false;  // RFC 8246
};
CacheControl parse_cache_control(const std::vector<std::string>& values);

// How many seconds from now a response stays fresh: max-age less Age, capped by
// max_freshness unless immutable; 0 with no-cache or without max-age.
std::int64_t freshness_lifetime(const HttpHeaders& headers, std::chrono::seconds max_freshness);

// What a request is stored under: the URL without credentials, and the Accept header (the
// same URL serves JSON or HTML by it, PEP 691).
std::string cache_key(const HttpRequest& request);

// $PKGSIZER_CACHE_DIR/http.sqlite3, else $XDG_CACHE_HOME/pkgsizer/http.sqlite3, else
// ~/.cache/pkgsizer/http.sqlite3 (beside the scan cache, as store::default_cache_path); "" without
// a home (then no HTTP cache).
std::string default_http_cache_path(const char* pkgsizer_cache_dir, const char* xdg_cache_home,
                                    const char* home);

}  // namespace pkgsizer::predict
