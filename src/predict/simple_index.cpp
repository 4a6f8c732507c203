#include "predict/simple_index.hpp"

#include <fmt/format.h>
#include <nettle/sha2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "packaging/name.hpp"
#include "predict/curl_api.hpp"
#include "predict/http_client.hpp"
#include "predict/index_cache.hpp"
#include "util/json_nesting.hpp"
#include "util/text.hpp"

namespace pkgsizer::predict {
namespace {

using Json = nlohmann::json;

// libcurl's URL parser (RFC 3986), which is also what will fetch the URL.
struct UrlHandle {
  CURLU* handle = curl().url();
  UrlHandle() {
    if (!handle) throw std::bad_alloc();
  }
  ~UrlHandle() { curl().url_cleanup(handle); }
  UrlHandle(const UrlHandle&) = delete;
  UrlHandle& operator=(const UrlHandle&) = delete;

  bool set(CURLUPart part, const std::string& value) {
    return curl().url_set(handle, part, value.c_str(), 0) == CURLUE_OK;
  }
  std::optional<std::string> get(CURLUPart part, unsigned flags = 0) const {
    char* value = nullptr;
    if (curl().url_get(handle, part, &value, flags) != CURLUE_OK) return std::nullopt;
    std::string result(value);
    curl().free(value);
    return result;
  }
};

// ----- page parsing -----------------------------------------------------------------------

std::optional<std::string> optional_string(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::map<std::string, std::string> hash_map(const Json& value) {
  std::map<std::string, std::string> hashes;
  if (!value.is_object()) return hashes;
  for (const auto& [algorithm, digest] : value.items())
    if (digest.is_string()) hashes[lowercase(algorithm)] = lowercase(digest.get<std::string>());
  return hashes;
}

// PEP 714: "core-metadata" first, PEP 658's "dist-info-metadata" when it is absent. Each is
// false, true, or a dict of hashes (which means true).
void read_core_metadata(const Json& entry, DistributionFile& file) {
  auto it = entry.find("core-metadata");
  if (it == entry.end()) it = entry.find("dist-info-metadata");
  if (it == entry.end()) return;
  if (it->is_boolean()) {
    file.has_core_metadata = it->get<bool>();
  } else if (it->is_object()) {
    file.has_core_metadata = true;
    file.core_metadata_hashes = hash_map(*it);
  }
}

std::string describe_failure(const HttpResponse& response) {
  std::string message = response.describe();
  if (response.error.empty() && (response.status == 401 || response.status == 403))
    message += ": put credentials in the index URL (https://user:token@host/...) or in ~/.netrc";
  return message;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
  sha256_digest(&context, digest.size(), digest.data());
  std::string hex;
  for (const std::uint8_t byte : digest) hex += fmt::format("{:02x}", byte);
  return hex;
}

std::string project_page_url(std::string_view index_url, std::string_view project) {
  while (!index_url.empty() && index_url.back() == '/') index_url.remove_suffix(1);
  return fmt::format("{}/{}/", index_url, packaging::normalize_name(project));
}

namespace {

bool is_web_scheme(const std::string& scheme) { return scheme == "http" || scheme == "https"; }

}  // namespace

std::string resolve_url(const std::string& base, const std::string& reference) {
  UrlHandle url;
  if (!url.set(CURLUPART_URL, base))
    throw IndexError(fmt::format("not a URL: '{}'", redact_url(base)));
  const std::string base_scheme = lowercase(url.get(CURLUPART_SCHEME).value_or(""));
  if (!url.set(CURLUPART_URL, reference))
    throw IndexError(
        fmt::format("{}: cannot resolve the link '{}'", redact_url(base), redact_url(reference)));
  // A page may send the client only where its own origin could: a remote index to http(s)
  // alone, never to a local file ("file:///etc/passwd" would be read, and its size told). A
  // file: page is the user's own --find-links or --index-url: its file: links stay allowed.
  const std::string scheme = lowercase(url.get(CURLUPART_SCHEME).value_or(""));
  const bool allowed = is_web_scheme(scheme) || (scheme == "file" && base_scheme == "file");
  if (!allowed)
    throw IndexError(fmt::format(
        "{}: refusing the link '{}': a page may lead only to http(s) URLs (file: URLs only from a "
        "local page)",
        redact_url(base), redact_url(reference)));
  return url.get(CURLUPART_URL).value_or(reference);
}

std::string file_url(const std::string& absolute_path) {
  UrlHandle url;
  if (!url.set(CURLUPART_SCHEME, "file") ||
      curl().url_set(url.handle, CURLUPART_PATH, absolute_path.c_str(), CURLU_URLENCODE) !=
          CURLUE_OK)
    throw IndexError(fmt::format("cannot make a file:// URL of {}", absolute_path));
  return url.get(CURLUPART_URL).value_or("file://" + absolute_path);
}

std::optional<std::string> local_file_path(const std::string& url) {
  if (lowercase(url.substr(0, 7)) != "file://") return std::nullopt;
  UrlHandle parsed;
  if (!parsed.set(CURLUPART_URL, url)) return std::nullopt;
  return parsed.get(CURLUPART_PATH, CURLU_URLDECODE);
}

std::string with_index_credentials(const std::string& url, const std::string& index_url) {
  UrlHandle target;
  UrlHandle index;
  if (!target.set(CURLUPART_URL, url) || !index.set(CURLUPART_URL, index_url)) return url;
  const std::optional<std::string> user = index.get(CURLUPART_USER);
  if (!user || target.get(CURLUPART_USER)) return url;
  const bool same_origin = lowercase(target.get(CURLUPART_SCHEME).value_or("")) ==
                               lowercase(index.get(CURLUPART_SCHEME).value_or("")) &&
                           lowercase(target.get(CURLUPART_HOST).value_or("")) ==
                               lowercase(index.get(CURLUPART_HOST).value_or("")) &&
                           target.get(CURLUPART_PORT, CURLU_DEFAULT_PORT) ==
                               index.get(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!same_origin) return url;
  target.set(CURLUPART_USER, *user);
  if (const std::optional<std::string> password = index.get(CURLUPART_PASSWORD))
    target.set(CURLUPART_PASSWORD, *password);
  return target.get(CURLUPART_URL).value_or(url);
}

std::string core_metadata_url(std::string_view file_url) {
  return std::string(file_url.substr(0, file_url.find('#'))) + ".metadata";
}

std::string DistributionFile::core_metadata_url() const { return predict::core_metadata_url(url); }

ProjectPage parse_project_page(std::string_view text, const std::string& page_url) {
  const std::string where = redact_url(page_url);
  if (const std::optional<std::size_t> at = json_too_deep_at(text))
    throw IndexError(
        fmt::format("{}: not a JSON Simple API page (PEP 691): nested more than {} "
                    "deep at byte {}",
                    where, kMaxJsonNesting, *at + 1));
  Json page;
  try {
    page = Json::parse(text);
  } catch (const Json::exception& error) {  // parse_error, or out_of_range for a number like 1e400
    throw IndexError(
        fmt::format("{}: not a JSON Simple API page (PEP 691): {}", where, error.what()));
  }
  if (!page.is_object())
    throw IndexError(fmt::format("{}: not a JSON Simple API page (PEP 691): not an object", where));

  ProjectPage result;
  result.url = page_url;
  const auto meta = page.find("meta");
  if (meta != page.end() && meta->is_object())
    result.api_version = optional_string(*meta, "api-version").value_or("");
  // PEP 629: a client must refuse a major version it does not know.
  if (!result.api_version.empty() &&
      result.api_version.substr(0, result.api_version.find('.')) != "1")
    throw IndexError(fmt::format("{}: Simple API version {} is not supported (pkgsizer reads 1.x)",
                                 where, result.api_version));
  result.name = optional_string(page, "name").value_or("");

  const auto files = page.find("files");
  if (files == page.end() || !files->is_array())
    throw IndexError(fmt::format("{}: the page has no \"files\" list (PEP 691)", where));
  std::size_t number = 0;
  for (const Json& entry : *files) {
    ++number;
    if (!entry.is_object())
      throw IndexError(fmt::format("{}: file {} is not an object", where, number));
    DistributionFile file;
    const std::optional<std::string> filename = optional_string(entry, "filename");
    const std::optional<std::string> url = optional_string(entry, "url");
    if (!filename || filename->empty() || filename->find('/') != std::string::npos)
      throw IndexError(fmt::format("{}: file {} has no valid \"filename\"", where, number));
    if (!url || url->empty())
      throw IndexError(fmt::format("{}: file {} ({}) has no \"url\"", where, number, *filename));
    file.filename = *filename;
    file.url = resolve_url(page_url, *url);
    if (const auto hashes = entry.find("hashes"); hashes != entry.end())
      file.hashes = hash_map(*hashes);
    file.requires_python = optional_string(entry, "requires-python");
    if (file.requires_python && file.requires_python->empty()) file.requires_python.reset();
    if (const auto yanked = entry.find("yanked"); yanked != entry.end()) {
      // PEP 691: false, true, or a string giving the reason (which means true).
      if (yanked->is_boolean()) {
        file.yanked = yanked->get<bool>();
      } else if (yanked->is_string()) {
        file.yanked = true;
        file.yanked_reason = yanked->get<std::string>();
      }
    }
    if (const auto size = entry.find("size"); size != entry.end() && size->is_number_unsigned())
      file.size = size->get<std::uint64_t>();
    file.upload_time = optional_string(entry, "upload-time");
    read_core_metadata(entry, file);
    result.files.push_back(std::move(file));
  }
  if (const auto versions = page.find("versions"); versions != page.end() && versions->is_array())
    for (const Json& version : *versions)
      if (version.is_string()) result.versions.push_back(version.get<std::string>());
  return result;
}

ProjectPage merge_project_pages(const std::vector<ProjectPage>& pages) {
  if (pages.empty()) return {};
  ProjectPage merged = pages.front();
  std::set<std::string> filenames;
  std::set<std::string> versions(merged.versions.begin(), merged.versions.end());
  for (const DistributionFile& file : merged.files) filenames.insert(file.filename);
  for (std::size_t i = 1; i < pages.size(); ++i) {
    for (const DistributionFile& file : pages[i].files)
      if (filenames.insert(file.filename).second) merged.files.push_back(file);
    for (const std::string& version : pages[i].versions)
      if (versions.insert(version).second) merged.versions.push_back(version);
  }
  return merged;
}

// ----- the client -------------------------------------------------------------------------

SimpleIndex::SimpleIndex(HttpClient& http, std::vector<std::string> index_urls, IndexCache* cache)
    : http_(http), index_urls_(std::move(index_urls)), cache_(cache) {
  if (index_urls_.empty()) throw std::invalid_argument("SimpleIndex needs at least one index URL");
}

std::vector<ProjectLookup> SimpleIndex::projects(const std::vector<std::string>& names) {
  std::vector<HttpRequest> requests;
  for (const std::string& name : names)
    for (const std::string& index : index_urls_) {
      HttpRequest request;
      request.url = project_page_url(index, name);
      request.headers.emplace_back("Accept", std::string(kSimpleAccept));
      requests.push_back(std::move(request));
    }
  const std::vector<HttpResponse> responses =
      cache_ ? cache_->fetch_all(http_, requests) : http_.fetch_all(requests);

  std::vector<ProjectLookup> lookups;
  for (std::size_t n = 0; n < names.size(); ++n) {
    ProjectLookup lookup;
    lookup.name = names[n];
    std::vector<ProjectPage> pages;
    std::vector<std::string> errors;
    for (std::size_t i = 0; i < index_urls_.size(); ++i) {
      const HttpResponse& response = responses[n * index_urls_.size() + i];
      const std::string& index = index_urls_[i];
      if (response.error.empty() && (response.status == 404 || response.status == 410)) continue;
      if (!response.ok()) {
        errors.push_back(describe_failure(response));
        continue;
      }
      const std::string content_type = lowercase(response.headers.get("Content-Type").value_or(""));
      const std::string page_url =
          response.effective_url.empty() ? response.url : response.effective_url;
      const bool html = content_type.rfind("text/html", 0) == 0 ||
                        content_type.rfind("application/vnd.pypi.simple.v1+html", 0) == 0;
      // application/json too: some servers label PEP 691 pages with the generic type.
      if (!html && !content_type.empty() &&
          content_type.rfind("application/vnd.pypi.simple.v1+json", 0) != 0 &&
          content_type.rfind("application/vnd.pypi.simple.latest+json", 0) != 0 &&
          content_type.rfind("application/json", 0) != 0) {
        errors.push_back(fmt::format("{}: unexpected Content-Type '{}' (expected {})",
                                     redact_url(page_url), content_type, kSimpleJsonType));
        continue;
      }
      try {
        ProjectPage page = html ? parse_html_project_page(response.body, page_url)
                                : parse_project_page(response.body, page_url);
        for (DistributionFile& file : page.files) {
          file.url = with_index_credentials(file.url, index);
          file.index_url = index;
        }
        pages.push_back(std::move(page));
      } catch (const IndexError& error) {
        errors.push_back(error.what());
      }
    }
    if (!errors.empty()) {
      lookup.error = fmt::format("project '{}': {}", names[n], fmt::join(errors, "; "));
    } else if (pages.empty()) {
      lookup.not_found = true;
      std::vector<std::string> where;
      for (const std::string& index : index_urls_)
        where.push_back(redact_url(project_page_url(index, names[n])));
      lookup.error = fmt::format("project '{}' is not on the index (HTTP 404 from {})", names[n],
                                 fmt::join(where, ", "));
    } else {
      lookup.page = merge_project_pages(pages);
    }
    lookups.push_back(std::move(lookup));
  }
  return lookups;
}

ProjectPage SimpleIndex::project(const std::string& name) {
  ProjectLookup lookup = std::move(projects({name}).front());
  if (!lookup.page) throw IndexError(lookup.error);
  return std::move(*lookup.page);
}

std::vector<MetadataLookup> SimpleIndex::core_metadata(const std::vector<DistributionFile>& files) {
  std::vector<MetadataLookup> results(files.size());
  std::vector<HttpRequest> requests;
  std::vector<std::size_t> asked;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!files[i].has_core_metadata) {
      results[i].error =
          fmt::format("{}: the index serves no core metadata for it (PEP 658)", files[i].filename);
      continue;
    }
    HttpRequest request;
    request.url = files[i].core_metadata_url();
    requests.push_back(std::move(request));
    asked.push_back(i);
  }
  const std::vector<HttpResponse> responses =
      cache_ ? cache_->fetch_all(http_, requests) : http_.fetch_all(requests);
  for (std::size_t k = 0; k < asked.size(); ++k) {
    const DistributionFile& file = files[asked[k]];
    const HttpResponse& response = responses[k];
    MetadataLookup& result = results[asked[k]];
    if (!response.ok()) {
      result.error = describe_failure(response);
      continue;
    }
    const auto expected = file.core_metadata_hashes.find("sha256");
    if (expected != file.core_metadata_hashes.end()) {
      const std::string actual = sha256_hex(response.body);
      if (actual != expected->second) {
        result.error = fmt::format("{}: sha256 {} does not match the index's {}",
                                   redact_url(response.url), actual, expected->second);
        continue;
      }
    }
    result.ok = true;
    result.text = response.body;
  }
  return results;
}

std::string SimpleIndex::core_metadata(const DistributionFile& file) {
  MetadataLookup lookup = std::move(core_metadata(std::vector<DistributionFile>{file}).front());
  if (!lookup.ok) throw IndexError(lookup.error);
  return std::move(lookup.text);
}

}  // namespace pkgsizer::predict
