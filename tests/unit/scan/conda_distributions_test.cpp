// Which distributions a conda prefix has (scan/conda_distributions.hpp), on trees in memory:
// its package records, and the metadata entries of its site-packages that no record claims.
#include "scan/conda_distributions.hpp"

#include <catch2/catch.hpp>

#include "util/file_system.hpp"

using namespace pkgsizer;
using pkgsizer::scan::conda_record_names;
using pkgsizer::scan::scans_conda_prefix;
using pkgsizer::scan::unrecorded_metadata_entries;

namespace {

constexpr const char* kPrefix = "/opt/conda/envs/app";
constexpr const char* kSite = "/opt/conda/envs/app/lib/python3.11/site-packages";

Environment conda_environment() {
  Environment environment;
  environment.kind = EnvironmentKind::kConda;
  environment.prefix = kPrefix;
  return environment;
}

}  // namespace

TEST_CASE("conda prefix: scanned as a prefix only when conda-meta/ is a directory") {
  MemoryFileSystem files;
  files.add_directory(std::string(kPrefix) + "/bin");
  CHECK_FALSE(scans_conda_prefix(conda_environment(), files));
  files.add_file(std::string(kPrefix) + "/conda-meta");
  CHECK_FALSE(scans_conda_prefix(conda_environment(), files));
  MemoryFileSystem linked;  // a link to a directory is one, as stat(2) sees it
  linked.add_directory("/shared/conda-meta");
  linked.add_link(std::string(kPrefix) + "/conda-meta", "/shared/conda-meta");
  CHECK(scans_conda_prefix(conda_environment(), linked));
  Environment venv = conda_environment();
  venv.kind = EnvironmentKind::kVenv;
  CHECK_FALSE(scans_conda_prefix(venv, linked));
  Environment no_prefix = conda_environment();
  no_prefix.prefix.clear();
  CHECK_FALSE(scans_conda_prefix(no_prefix, linked));
}

TEST_CASE("conda records: the *.json files of conda-meta, sorted; history and dot files not") {
  MemoryFileSystem files;
  const std::string meta = std::string(kPrefix) + "/conda-meta";
  files.add_file(meta + "/python-3.11.9-h0.json");
  files.add_file(meta + "/numpy-1.26.4-py311.json");
  files.add_file(meta + "/history");
  files.add_file(meta + "/.json");
  files.add_file(meta + "/.hidden.json");
  std::vector<Problem> problems;
  CHECK(conda_record_names(meta, problems, files) ==
        std::vector<std::string>{"numpy-1.26.4-py311.json", "python-3.11.9-h0.json"});
  CHECK(problems.empty());
}

TEST_CASE("conda records: a conda-meta that cannot be listed is an error naming it") {
  MemoryFileSystem files;
  const std::string meta = std::string(kPrefix) + "/conda-meta";
  files.add_file(meta + "/numpy-1.26.4-py311.json");
  files.deny_reading(meta);
  std::vector<Problem> problems;
  CHECK(conda_record_names(meta, problems, files).empty());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].severity == Severity::kError);
  CHECK(problems[0].path == meta);
  CHECK(problems[0].message == "cannot list: Permission denied");
}

TEST_CASE("conda site-packages: the metadata entries no record claims, sorted") {
  MemoryFileSystem files;
  const std::string site = kSite;
  files.add_file(site + "/numpy-1.26.4.dist-info/RECORD");
  files.add_file(site + "/requests-2.32.3.dist-info/RECORD");
  files.add_file(site + "/legacy-0.1-py3.11.egg-info/PKG-INFO");
  files.add_file(site + "/devpkg.egg-link");
  files.add_file(site + "/numpy/__init__.py");
  files.add_file(site + "/six.py");
  // numpy's record lists its dist-info directory: conda installed it.
  const std::unordered_set<std::string> claimed{
      "lib/python3.11/site-packages/numpy-1.26.4.dist-info"};
  CHECK(unrecorded_metadata_entries(kPrefix, site, claimed, files) ==
        std::vector<std::string>{"devpkg.egg-link", "legacy-0.1-py3.11.egg-info",
                                 "requests-2.32.3.dist-info"});
  CHECK(unrecorded_metadata_entries(kPrefix, site + "/missing", claimed, files).empty());
}
