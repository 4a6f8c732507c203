// A client of the Simple Repository API: a project's files with their hashes, Requires-Python,
// yanked state, size and upload time (PEP 700), and whether the index serves their core
// metadata on its own (PEP 658, key renamed by PEP 714), which gives a wheel's dependencies
// without downloading it. The JSON form (PEP 691) is asked for; an index that serves only the
// HTML form (PEP 503, as many private indexes and plain file servers do) is read in that form,
// which lacks sizes and upload times. Several indexes (--index-url first, then each
// --extra-index-url) are asked at once and their files merged, as pip does.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace pkgsizer::predict {

class HttpClient;
class IndexCache;

// What the index says about one file (PEP 691 "files" entry).
struct DistributionFile {
  std::string filename;
  std::string url;  // absolute: resolved against the page URL (after redirects)
  std::map<std::string, std::string> hashes;  // algorithm -> hex digest, e.g. "sha256"
  std::optional<std::string> requires_python;
  bool yanked = false;                     // PEP 592; `yanked` in JSON is true or a reason string
  std::string yanked_reason;               // empty when none was given
  std::optional<std::uint64_t> size;       // PEP 700 (api-version 1.1)
  std::optional<std::string> upload_time;  // PEP 700, ISO 8601
  bool has_core_metadata = false;          // PEP 658/714: FILE_URL.metadata exists
  std::map<std::string, std::string> core_metadata_hashes;  // of that .metadata file
  std::string index_url;                                    // the index whose page listed it

  std::string core_metadata_url() const;
};

struct ProjectPage {
  std::string name;                   // as the index spells it
  std::string url;                    // the page's URL (after redirects)
  std::string api_version;            // "1.0", "1.1"
  std::vector<std::string> versions;  // PEP 700; empty from api-version 1.0 servers
  std::vector<DistributionFile> files;
};

// An index answered, but not with what PEP 691 promises; or answered with an error. The message
// names the URL and the HTTP status (or the transport error).
class IndexError : public Error {
 public:
  explicit IndexError(const std::string& message) : Error(ErrorCategory::kEnvironment, message) {}
};

inline constexpr std::string_view kSimpleJsonType = "application/vnd.pypi.simple.v1+json";
// What a project page is asked for with: the JSON form, else the HTML one (as pip asks).
inline constexpr std::string_view kSimpleAccept =
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, "
    "text/html;q=0.01";

struct ProjectLookup {
  std::string name;                 // as asked
  std::optional<ProjectPage> page;  // merged over the indexes that have it
  bool not_found = false;           // every index answered 404 (or 410)
  std::string error;                // an index failed: the answer would be incomplete
};

struct MetadataLookup {
  bool ok = false;
  std::string text;   // the METADATA file (RFC 822 style headers, then the description)
  std::string error;  // names the URL; also a hash mismatch, or a file without metadata
};

class SimpleIndex {
 public:
  // index_urls: --index-url first, then each --extra-index-url. `cache` may be null.
  SimpleIndex(HttpClient& http, std::vector<std::string> index_urls, IndexCache* cache = nullptr);

  const std::vector<std::string>& index_urls() const { return index_urls_; }

  // GET {index}/{normalized name}/ from every index at once, with "Accept: kSimpleAccept".
  // Pages are merged in index order (a file name seen on an earlier index hides the same name
  // on a later one).
  std::vector<ProjectLookup> projects(const std::vector<std::string>& names);
  // One project; throws IndexError when it is on no index or an index failed.
  ProjectPage project(const std::string& name);

  // GET {file url}.metadata (PEP 658), checked against the page's hashes when it gave some.
  std::vector<MetadataLookup> core_metadata(const std::vector<DistributionFile>& files);
  std::string core_metadata(const DistributionFile& file);  // throws IndexError

 private:
  HttpClient& http_;
  std::vector<std::string> index_urls_;
  IndexCache* cache_;
};

// ----- Pure helpers (exposed for tests) ---------------------------------------------------

// {index}/{PEP 503 name}/, whatever slashes the index URL ends with.
std::string project_page_url(std::string_view index_url, std::string_view project);

// `reference` resolved against `base` (RFC 3986 5.2): "../../files/x.whl" against
// "https://host/simple/x/" is "https://host/files/x.whl". Throws IndexError when either is not
// a URL, and when the result leaves the schemes `base` may lead to: an http(s) page only to
// http(s) URLs; a local (file:) page also to file: URLs.
std::string resolve_url(const std::string& base, const std::string& reference);

// The index URL's credentials added to `url` when it has none and points at the same scheme,
// host and port (pip sends an index's credentials to every URL on its host).
std::string with_index_credentials(const std::string& url, const std::string& index_url);

// A local file's file:// URL (the path absolute; characters a URL cannot hold escaped), and
// back: the path of a file:// URL, or nothing for any other URL.
std::string file_url(const std::string& absolute_path);
std::optional<std::string> local_file_path(const std::string& url);

// PEP 658: the file URL without its fragment, plus ".metadata".
std::string core_metadata_url(std::string_view file_url);

// A PEP 691 project page. `page_url` is where it came from: relative file URLs resolve against
// it, and error messages name it. Throws IndexError on a malformed page or an unknown major
// api-version.
ProjectPage parse_project_page(std::string_view text, const std::string& page_url);

// A PEP 503 project page: every <a href> is a file, its text the file name, a "#sha256=…"
// fragment its hash, data-requires-python, data-yanked and data-core-metadata (or
// data-dist-info-metadata) as PEPs 503, 592, 714 and 658 say; <base href> and the PEP 629
// <meta name="pypi:repository-version"> are honoured. Throws IndexError on an unknown major
// repository version.
ProjectPage parse_html_project_page(std::string_view html, const std::string& page_url);

// Pages of one project from several indexes, in index order: files by first appearance of
// their file name, versions as a union in order of appearance.
ProjectPage merge_project_pages(const std::vector<ProjectPage>& pages);

// Lower-case hex SHA-256 (FIPS 180-4), to check .metadata files against their hashes.
std::string sha256_hex(std::string_view data);

}  // namespace pkgsizer::predict
