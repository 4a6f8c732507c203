// pip's --find-links: directories of distribution files, or pages of links to them, searched
// beside the indexes (or, with --no-index, instead of them): wheelhouses for air-gapped CI,
// vendored wheels, a plain web server's directory listing.
#pragma once

#include <string>
#include <vector>

#include "predict/simple_index.hpp"

namespace pkgsizer::predict {

class HttpClient;

class FindLinks {
 public:
  // Reads every location at once: a local directory (or the file:// URL of one) is listed; a
  // local HTML file, or an http(s) URL, is read as a page of links (PEP 503 markup, files of
  // any project; relative links resolve against the page).
  // Throws IndexError naming a location that cannot be read.
  FindLinks(HttpClient& http, const std::vector<std::string>& locations);

  // The files of one project (PEP 503 name): wheels by the name in their file names, sdists by
  // their file names' stems, in the order the locations gave them.
  std::vector<DistributionFile> files_for(const std::string& normalized_name) const;
  bool empty() const { return files_.empty(); }

 private:
  std::vector<DistributionFile> files_;
};

// Where a --find-links value of a requirements file points: pip takes a relative path relative
// to the requirements file when it exists there, else relative to the current directory.
std::string find_links_location(const std::string& value, const std::string& requirements_file);

}  // namespace pkgsizer::predict
