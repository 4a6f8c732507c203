#include "predict/find_links.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "predict/http_client.hpp"
#include "predict/wheel_tags.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::predict {
namespace {

namespace fs = std::filesystem;

bool is_web_url(const std::string& location) {
  return location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0;
}

// A directory's distribution files, sorted by name (a listing's order is the file system's).
std::vector<DistributionFile> list_directory(const std::string& location,
                                             const fs::path& directory) {
  std::error_code error;
  std::vector<DistributionFile> files;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    std::error_code entry_error;  // a dangling link or a vanished file is skipped, not fatal
    if (!it->is_regular_file(entry_error)) continue;
    DistributionFile file;
    file.filename = it->path().filename().string();
    file.size = it->file_size(entry_error);
    if (entry_error) continue;
    file.url = file_url(fs::absolute(it->path()).lexically_normal().string());
    files.push_back(std::move(file));
  }
  if (error)
    throw IndexError(
        fmt::format("--find-links {}: cannot read the directory: {}", location, error.message()));
  std::sort(files.begin(), files.end(), [](const DistributionFile& a, const DistributionFile& b) {
    return a.filename < b.filename;
  });
  return files;
}

}  // namespace

FindLinks::FindLinks(HttpClient& http, const std::vector<std::string>& locations) {
  std::vector<std::string> pages;
  for (const std::string& location : locations) {
    if (is_web_url(location)) {
      pages.push_back(location);
      continue;
    }
    const std::string path = local_file_path(location).value_or(location);
    std::error_code error;
    if (fs::is_directory(path, error)) {
      for (DistributionFile& file : list_directory(location, path))
        files_.push_back(std::move(file));
    } else if (fs::is_regular_file(path, error)) {  // a saved HTML page of links
      std::string read_error;
      const std::optional<std::string> text = read_text_file(path, kMaxInputFileBytes, &read_error);
      if (!text)
        throw IndexError(fmt::format("--find-links {}: cannot read: {}", location, read_error));
      const std::string page_url = file_url(fs::absolute(path).lexically_normal().string());
      for (DistributionFile& file : parse_html_project_page(*text, page_url).files)
        files_.push_back(std::move(file));
    } else {
      throw IndexError(fmt::format(
          "--find-links {}: not a directory, an HTML file or an http(s) URL", location));
    }
  }
  if (pages.empty()) return;
  std::vector<HttpRequest> requests;
  for (const std::string& page : pages) {
    HttpRequest request;
    request.url = page;
    request.headers.emplace_back("Accept", "text/html");
    requests.push_back(std::move(request));
  }
  const std::vector<HttpResponse> responses = http.fetch_all(requests);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const HttpResponse& response = responses[i];
    if (!response.ok())
      throw IndexError(fmt::format(
          "--find-links {}: {}", redact_url(pages[i]),
          response.error.empty() ? fmt::format("HTTP {}", response.status) : response.error));
    const std::string page_url =
        response.effective_url.empty() ? response.url : response.effective_url;
    for (DistributionFile& file : parse_html_project_page(response.body, page_url).files)
      files_.push_back(std::move(file));
  }
}

std::vector<DistributionFile> FindLinks::files_for(const std::string& normalized_name) const {
  std::vector<DistributionFile> found;
  for (const DistributionFile& file : files_) {
    if (const std::optional<WheelFilename> wheel = parse_wheel_filename(file.filename)) {
      if (wheel->normalized_name == normalized_name) found.push_back(file);
    } else if (parse_sdist_filename(file.filename, normalized_name)) {
      found.push_back(file);
    }
  }
  return found;
}

std::string find_links_location(const std::string& value, const std::string& requirements_file) {
  if (is_web_url(value) || local_file_path(value) || fs::path(value).is_absolute()) return value;
  const fs::path beside = fs::path(requirements_file).parent_path() / value;
  std::error_code error;
  if (fs::exists(beside, error)) return beside.lexically_normal().string();
  return value;
}

}  // namespace pkgsizer::predict
