#include "predict/predictor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "metadata/core_metadata.hpp"
#include "packaging/name.hpp"
#include "packaging/requirement.hpp"
#include "packaging/specifier.hpp"
#include "packaging/version.hpp"
#include "predict/bytecode_estimate.hpp"
#include "predict/exact_bytecode.hpp"
#include "predict/find_links.hpp"
#include "predict/http_client.hpp"
#include "predict/index_cache.hpp"
#include "predict/simple_index.hpp"
#include "predict/wheel_metadata.hpp"
#include "predict/wheel_size.hpp"

namespace pkgsizer::predict {
namespace {

constexpr const char* kDefaultIndex = "https://pypi.org/simple";

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream stream(text);
  std::vector<std::string> words;
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

// CLI first, then the requirements file's own options, then pip's environment variables.
std::vector<std::string> choose_indexes(const PredictOptions& options, const IndexOptions* file,
                                        const EnvironmentLookup& environment) {
  std::vector<std::string> urls;
  if (!options.index_urls.empty())
    urls.push_back(options.index_urls.front());
  else if (file && file->index_url)
    urls.push_back(file->index_url->value);
  else if (auto value = environment ? environment("PIP_INDEX_URL") : std::nullopt)
    urls.push_back(*value);
  else
    urls.push_back(kDefaultIndex);
  for (const std::string& url : options.extra_index_urls) urls.push_back(url);
  if (file)
    for (const OptionValue& url : file->extra_index_urls) urls.push_back(url.value);
  if (auto value = environment ? environment("PIP_EXTRA_INDEX_URL") : std::nullopt)
    for (const std::string& url : split_words(*value)) urls.push_back(url);
  std::vector<std::string> unique;
  for (const std::string& url : urls)
    if (std::find(unique.begin(), unique.end(), url) == unique.end()) unique.push_back(url);
  return unique;
}

std::vector<WheelMemberSize> member_sizes(const std::vector<ZipMember>& members) {
  std::vector<WheelMemberSize> sizes;
  sizes.reserve(members.size());
  for (const ZipMember& member : members) sizes.push_back({member.name, member.uncompressed_size});
  return sizes;
}

// The HTTP cache, when one was asked for; one that cannot be opened only costs a warning.
std::unique_ptr<IndexCache> open_cache(const PredictOptions& options,
                                       std::vector<std::string>& warnings) {
  if (options.http_cache_path.empty()) return nullptr;
  try {
    // --offline: what the cache holds, however old; a miss is an unknown size, not a request.
    IndexCacheOptions cache_options;
    if (options.offline) cache_options.mode = CacheMode::kOffline;
    auto cache = std::make_unique<IndexCache>(options.http_cache_path, cache_options);
    for (const std::string& warning : cache->warnings()) warnings.push_back(warning);
    return cache;
  } catch (const std::exception& error) {
    warnings.push_back(fmt::format("HTTP cache not used: {}", error.what()));
    return nullptr;
  }
}

// --exact-bytecode: the target's interpreter, when one is at hand (else every package's bytecode
// is estimated, and a warning says so). Its cache lives beside the HTTP cache.
std::optional<BytecodeCompiler> exact_compiler(const PredictOptions& options,
                                               std::vector<std::string>& warnings) {
  const std::string cache =
      options.http_cache_path.empty()
          ? ""
          : (std::filesystem::path(options.http_cache_path).parent_path() / "bytecode").string();
  BytecodeCompiler compiler(options.target.python_version, cache);
  if (compiler.interpreter().empty()) {
    warnings.push_back(fmt::format(
        "--exact-bytecode: no python{} on PATH to compile with; the bytecode is estimated",
        options.target.python_version));
    return std::nullopt;
  }
  return compiler;
}

// Measures every package that has a wheel URL, in one concurrent batch, and adds bytecode.
// `known`: wheels already measured on the way (to read their METADATA), by URL.
void measure(std::vector<PredictedPackage>& packages, const PredictOptions& options,
             HttpClient& http, IndexCache* cache, std::vector<std::string>& warnings,
             const std::map<std::string, WheelSize>& known = {}) {
  std::map<std::size_t, const WheelSize*> wheels;  // package index -> its wheel
  std::vector<WheelSizeRequest> requests;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    if (packages[i].sdist_only || packages[i].url.empty()) continue;
    if (const auto found = known.find(packages[i].url); found != known.end()) {
      wheels[i] = &found->second;
    } else {
      requests.push_back({packages[i].url, packages[i].download_bytes});
      which.push_back(i);
    }
  }
  const std::vector<WheelSizeResult> results =
      requests.empty() ? std::vector<WheelSizeResult>{} : measure_wheels(http, requests, cache);
  for (std::size_t k = 0; k < results.size(); ++k) {
    if (!results[k].ok)
      throw PredictError(PredictError::Kind::unreachable,
                         fmt::format("cannot read wheel {}: {}", packages[which[k]].chosen_file,
                                     results[k].error));
    wheels[which[k]] = &results[k].wheel;
  }
  const PycSizeModel model = pyc_size_model(options.target.python_version);
  std::optional<BytecodeCompiler> compiler;
  if (options.compile && options.exact_bytecode) compiler = exact_compiler(options, warnings);
  for (const auto& [index, measured] : wheels) {
    PredictedPackage& package = packages[index];
    const WheelSize& wheel = *measured;
    package.download_bytes = wheel.download_bytes;
    package.installed_bytes = wheel.totals.installed_bytes;
    package.file_count = wheel.totals.file_count;
    if (!options.compile) continue;
    if (compiler) {
      try {
        const CompiledBytecode compiled = compiler->compile(http, package.url, package.hash);
        package.bytecode_bytes = compiled.bytes;
        package.file_count += compiled.files;
        package.bytecode_exact = true;
        continue;
      } catch (const std::runtime_error& error) {
        warnings.push_back(fmt::format("{} {}: --exact-bytecode: {}; the bytecode is estimated",
                                       package.name, package.version, error.what()));
      }
    }
    const BytecodeEstimate bytecode = estimate_bytecode(member_sizes(wheel.members), model);
    package.bytecode_bytes = bytecode.bytes;
    package.file_count += bytecode.files;
  }
}

// ----- Requirements files ------------------------------------------------------------------

struct Wanted {
  packaging::Requirement requirement;
  std::string from;  // "FILE:LINE" or "NAME VERSION" of the dependent
};

bool is_pinned(const packaging::SpecifierSet& specifier) {
  return std::any_of(
      specifier.specifiers().begin(), specifier.specifiers().end(),
      [](const packaging::Specifier& one) {
        return (one.op() == packaging::SpecifierOperator::equal && !one.has_wildcard()) ||
               one.op() == packaging::SpecifierOperator::arbitrary;
      });
}

std::optional<std::string> file_version(const DistributionFile& file, const std::string& project,
                                        bool& is_wheel) {
  if (auto wheel = parse_wheel_filename(file.filename)) {
    is_wheel = true;
    return wheel->version;
  }
  is_wheel = false;
  if (auto sdist = parse_sdist_filename(file.filename, project)) return sdist->version;
  return std::nullopt;
}

struct Candidate {
  std::string version;
  std::optional<DistributionFile> wheel;
  std::optional<DistributionFile> sdist;
};

// The newest version allowed by the specifiers (and Requires-Python) that has a wheel for the
// target or an sdist: what pip would install.
std::optional<Candidate> choose(const ProjectPage& page, const std::string& project,
                                const std::vector<packaging::SpecifierSet>& specifiers,
                                const PredictOptions& options, const TagPriority& priority) {
  const auto python = packaging::Version::parse(options.target.python_version);
  bool pinned = false;
  for (const auto& specifier : specifiers) pinned = pinned || is_pinned(specifier);
  std::map<packaging::Version, std::vector<const DistributionFile*>, std::greater<>> by_version;
  std::map<std::string, std::string> spelling;
  for (const DistributionFile& file : page.files) {
    bool is_wheel = false;
    const auto text = file_version(file, project, is_wheel);
    if (!text) continue;
    const auto version = packaging::Version::parse(*text);
    if (!version) continue;
    if (file.yanked && !pinned) continue;  // PEP 592: yanked files only when pinned
    if (file.requires_python && python) {
      const auto allowed = packaging::SpecifierSet::parse(*file.requires_python);
      if (allowed && !allowed->contains(*python, true)) continue;
    }
    by_version[*version].push_back(&file);
  }
  for (const auto& [version, files] : by_version) {
    bool allowed = true;
    for (const auto& specifier : specifiers)
      allowed =
          allowed && specifier.contains(version, options.pre || specifier.mentions_prerelease());
    if (!allowed) continue;
    Candidate candidate;
    candidate.version = version.str();
    std::vector<std::string> names;
    for (const DistributionFile* file : files) names.push_back(file->filename);
    if (const auto best = best_wheel(names, priority)) {
      candidate.wheel = *files[*best];
      candidate.version = parse_wheel_filename(files[*best]->filename)->version;
      return candidate;
    }
    for (const DistributionFile* file : files)
      if (!parse_wheel_filename(file->filename)) {
        candidate.sdist = *file;
        return candidate;
      }
  }
  return std::nullopt;
}

std::vector<packaging::SpecifierSet> specifiers_for(
    const packaging::Requirement& requirement,
    const std::vector<packaging::SpecifierSet>& constraints) {
  std::vector<packaging::SpecifierSet> specifiers{requirement.specifier};
  specifiers.insert(specifiers.end(), constraints.begin(), constraints.end());
  return specifiers;
}

PredictedPackage not_found_package(const packaging::Requirement& requirement,
                                   const std::string& normalized_name, const std::string& why) {
  PredictedPackage package;
  package.name = requirement.name;
  package.normalized_name = normalized_name;
  package.not_found = true;
  package.note = why;
  return package;
}

// Where distributions are looked for: the indexes (unless --no-index) and --find-links.
class PackageSources {
 public:
  PackageSources(HttpClient& http, IndexCache* cache, std::vector<std::string> index_urls,
                 std::vector<std::string> find_links)
      : index_urls_(std::move(index_urls)) {
    if (!index_urls_.empty()) index_.emplace(http, index_urls_, cache);
    try {
      links_.emplace(http, find_links);
    } catch (const IndexError& error) {
      throw PredictError(PredictError::Kind::unreachable, error.what());
    }
    if (index_urls_.empty())
      searched_ = fmt::format("--find-links {}", fmt::join(find_links, ", "));
  }

  // Every project at once. Files from --find-links join the index's, as pip merges them (an
  // index's file of the same name comes first); a project only there is found all the same.
  std::vector<ProjectLookup> projects(const std::vector<std::string>& names) {
    std::vector<ProjectLookup> lookups =
        index_ ? index_->projects(names) : std::vector<ProjectLookup>(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) add_found_links(lookups[i], names[i]);
    return lookups;
  }

  // PEP 658 files from the index; without an index, nothing (the wheels are read instead).
  std::vector<MetadataLookup> core_metadata(const std::vector<DistributionFile>& files) {
    return index_ ? index_->core_metadata(files) : std::vector<MetadataLookup>{};
  }
  bool has_index() const { return index_.has_value(); }

  // Where a project was looked for, for "not found" messages.
  std::string where(const std::string& name) const {
    return index_urls_.empty() ? searched_
                               : redact_url(project_page_url(index_urls_.front(), name));
  }

 private:
  void add_found_links(ProjectLookup& lookup, const std::string& name) const {
    std::vector<DistributionFile> files = links_->files_for(name);
    if (lookup.name.empty()) lookup.name = name;
    if (files.empty()) {
      if (!lookup.page && lookup.error.empty()) lookup.not_found = true;
      return;
    }
    if (lookup.not_found) lookup.error.clear();  // the index's 404: found here instead
    if (!lookup.page) {
      lookup.page = ProjectPage{};
      lookup.page->name = name;
      lookup.page->url = searched_.empty() ? "--find-links" : searched_;
    }
    lookup.not_found = false;
    for (DistributionFile& file : files) {
      const bool known =
          std::any_of(lookup.page->files.begin(), lookup.page->files.end(),
                      [&](const DistributionFile& have) { return have.filename == file.filename; });
      if (!known) lookup.page->files.push_back(std::move(file));
    }
  }

  std::vector<std::string> index_urls_;
  std::optional<SimpleIndex> index_;
  std::optional<FindLinks> links_;
  std::string searched_;  // "--find-links A, B" when no index is asked
};

// ----- Lock files --------------------------------------------------------------------------

// Whether the command line names where files come from: then a lock file's own URLs give way
// to those sources, as a requirements file's index would (a mirror, a wheelhouse, no index).
bool sources_replace_lock_urls(const PredictOptions& options) {
  return options.no_index || !options.index_urls.empty() || !options.find_links.empty();
}

// Finds each chosen file by name in the sources (index pages, --find-links): poetry.lock records
// no URLs at all, and with --index-url, --no-index or --find-links no lock file's URL is used
// (only find-links alone keeps the lock's URL for a file it lacks). A file not found is left out
// with its reason (not_found).
void find_lock_files(std::vector<PredictedPackage>& packages, const PredictOptions& options,
                     const EnvironmentLookup& environment, HttpClient& http, IndexCache* cache,
                     Prediction& prediction) {
  const bool replace = sources_replace_lock_urls(options);
  std::vector<std::string> names;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < packages.size(); ++i)
    if ((replace || packages[i].url.empty()) && !packages[i].chosen_file.empty() &&
        !packages[i].sdist_only) {
      names.push_back(packages[i].normalized_name);
      which.push_back(i);
    }
  if (names.empty()) return;
  if (!options.no_index) prediction.index_urls = choose_indexes(options, nullptr, environment);
  PackageSources sources(http, cache, prediction.index_urls, options.find_links);
  const std::vector<ProjectLookup> lookups = sources.projects(names);
  const bool keep_lock_url = !options.no_index && options.index_urls.empty();
  for (std::size_t k = 0; k < lookups.size(); ++k) {
    PredictedPackage& package = packages[which[k]];
    const ProjectLookup& lookup = lookups[k];
    const DistributionFile* found = nullptr;
    if (lookup.page)
      for (const DistributionFile& file : lookup.page->files)
        if (file.filename == package.chosen_file) found = &file;
    if (found) {
      package.url = found->url;
      if (found->size) package.download_bytes = found->size;
      package.note.clear();
      continue;
    }
    if (keep_lock_url && !package.url.empty()) continue;
    const std::string why =
        fmt::format("{} not found on {}{}", package.chosen_file, sources.where(names[k]),
                    lookup.error.empty() || lookup.not_found ? "" : " (" + lookup.error + ")");
    prediction.warnings.push_back(fmt::format("{} {}: {}", package.name, package.version, why));
    package.url.clear();
    package.not_found = true;
    package.note = why;
  }
}

Prediction predict_lock(InputKind kind, const std::string& file_name, const std::string& text,
                        const PredictOptions& options, const EnvironmentLookup& environment) {
  LockFile lock;
  try {
    lock = parse_lock_file(kind, text, file_name);
  } catch (const LockFileError& error) {
    throw PredictError(PredictError::Kind::bad_input, error.what());
  }
  Prediction prediction;
  prediction.kind = kind;
  prediction.estimate = false;
  const packaging::MarkerEnvironment markers = marker_environment_for(options.target);
  const TagPriority priority(options.target);
  for (const LockedPackage& locked : lock.packages) {
    if (!locked.marker.empty()) {
      try {
        if (!packaging::Marker::parse(locked.marker).evaluate(markers)) continue;
      } catch (const packaging::MarkerError& error) {
        prediction.warnings.push_back(fmt::format("{}: {}: bad marker '{}': {}", file_name,
                                                  locked.name, locked.marker, error.problem()));
      }
    }
    // The project itself and local trees: nothing to download.
    if (locked.wheels.empty() && !locked.sdist) {
      if (locked.source.kind == "virtual" || locked.source.kind == "editable" ||
          locked.source.kind == "directory")
        continue;
    }
    PredictedPackage package;
    package.name = locked.name;
    package.normalized_name = locked.normalized_name;
    package.version = locked.version;
    std::vector<std::string> names;
    for (const LockedFile& wheel : locked.wheels) names.push_back(wheel.filename);
    if (const auto best = best_wheel(names, priority)) {
      const LockedFile& wheel = locked.wheels[*best];
      package.chosen_file = wheel.filename;
      package.url = wheel.url;
      package.hash = wheel.hash;
      package.download_bytes = wheel.size;
      if (wheel.url.empty()) package.note = "no URL in the lock file";
    } else if (locked.sdist) {
      package.chosen_file = locked.sdist->filename;
      package.download_bytes = locked.sdist->size;
      package.sdist_only = true;
      package.note = "size unknown until built";
    } else {
      package.note = "no file for the target";
      prediction.warnings.push_back(
          fmt::format("{} {}: no wheel for the target", locked.name, locked.version));
    }
    prediction.packages.push_back(std::move(package));
  }
  if (options.offline) {
    for (PredictedPackage& package : prediction.packages)
      if (!package.sdist_only && package.note.empty())
        package.note = "installed size needs the network (--offline)";
  } else {
    HttpClient http;
    const std::unique_ptr<IndexCache> cache = open_cache(options, prediction.warnings);
    find_lock_files(prediction.packages, options, environment, http, cache.get(), prediction);
    measure(prediction.packages, options, http, cache.get(), prediction.warnings);
  }
  return prediction;
}

// `name @ https://.../name-1.0-py3-none-any.whl`: the file is named, so it can be measured.
std::optional<PredictedPackage> direct_wheel(const RequirementLine& line,
                                             std::vector<std::string>& warnings) {
  const std::string file = filename_from_url(line.requirement.url);
  const std::optional<WheelFilename> wheel = parse_wheel_filename(file);
  if (!wheel) {
    warnings.push_back(fmt::format("{}: {} @ {}: not a wheel URL, not predicted", line.where.str(),
                                   line.requirement.name, line.requirement.url));
    return std::nullopt;
  }
  PredictedPackage package;
  package.name = line.requirement.name;
  package.normalized_name = packaging::normalize_name(line.requirement.name);
  package.version = wheel->version;
  package.chosen_file = file;
  package.url = line.requirement.url;
  return package;
}

// A chosen wheel whose METADATA is wanted: which package it is, with which extras.
struct MetadataRequest {
  DistributionFile file;
  std::size_t package = 0;  // index in Prediction::packages
  std::set<std::string> extras;
};

// The dependencies of the chosen wheels, for the next level: PEP 658 files from the index, or
// else the METADATA member read out of each wheel with Range requests (no download).
void queue_dependencies(const std::vector<MetadataRequest>& requests, PackageSources& sources,
                        HttpClient& http, IndexCache* cache,
                        const packaging::MarkerEnvironment& base_markers, Prediction& prediction,
                        std::deque<Wanted>& queue, std::map<std::string, WheelSize>& measured) {
  std::vector<const MetadataRequest*> order;
  std::vector<DistributionFile> from_index, from_wheels;
  for (const bool index_pass : {true, false})
    for (const MetadataRequest& request : requests)
      if ((sources.has_index() && request.file.has_core_metadata) == index_pass) {
        (index_pass ? from_index : from_wheels).push_back(request.file);
        order.push_back(&request);
      }
  std::vector<MetadataLookup> metadata = sources.core_metadata(from_index);
  for (MetadataLookup& lookup : wheel_core_metadata(http, from_wheels, cache, &measured))
    metadata.push_back(std::move(lookup));
  for (std::size_t k = 0; k < metadata.size(); ++k) {
    const PredictedPackage& owner = prediction.packages[order[k]->package];
    if (!metadata[k].ok) {
      prediction.warnings.push_back(fmt::format("{} {}: {}: dependencies not counted", owner.name,
                                                owner.version, metadata[k].error));
      continue;
    }
    packaging::MarkerEnvironment markers = base_markers;
    markers.extras = order[k]->extras;
    const metadata::CoreMetadata core = metadata::parse_core_metadata(metadata[k].text);
    for (const std::string& line : core.requires_dist) {
      try {
        packaging::Requirement requirement = packaging::Requirement::parse(line);
        if (requirement.marker && !requirement.marker->evaluate(markers)) continue;
        queue.push_back({std::move(requirement), owner.name + " " + owner.version});
      } catch (const std::exception& error) {
        prediction.warnings.push_back(fmt::format("{} {}: bad Requires-Dist '{}': {}", owner.name,
                                                  owner.version, line, error.what()));
      }
    }
  }
}

Prediction predict_requirements(const std::string& file_name, const std::string& text,
                                const PredictOptions& options, const FileLoader& load,
                                const EnvironmentLookup& environment) {
  RequirementsFile file;
  try {
    file = parse_requirements_file(text, file_name, load, environment);
  } catch (const RequirementsFileError& error) {
    throw PredictError(PredictError::Kind::bad_input, error.what());
  }
  Prediction prediction;
  prediction.kind = InputKind::requirements_txt;
  prediction.warnings = file.warnings;
  for (const PathOrUrlLine& line : file.paths_and_urls)
    prediction.warnings.push_back(
        fmt::format("{}: {} is a path or URL: not predicted", line.where.str(), line.target));
  // Offline, the index pages and wheel sizes come from the HTTP cache alone (what an earlier
  // run fetched); without a cache there is nothing to answer from.
  if (options.offline && options.http_cache_path.empty())
    throw PredictError(PredictError::Kind::bad_input,
                       fmt::format("{}: a requirements file needs the index: --offline works "
                                   "only with lock files that record sizes, or with the HTTP "
                                   "cache",
                                   file_name));
  const bool no_index = options.no_index || file.index.no_index;
  std::vector<std::string> find_links = options.find_links;
  for (const OptionValue& value : file.index.find_links)
    find_links.push_back(find_links_location(value.value, value.where.file));
  if (no_index && find_links.empty())
    throw PredictError(PredictError::Kind::bad_input,
                       fmt::format("{}: --no-index without --find-links: no place to find "
                                   "distributions in",
                                   file_name));
  if (!no_index) prediction.index_urls = choose_indexes(options, &file.index, environment);

  const packaging::MarkerEnvironment base_markers = marker_environment_for(options.target);
  const TagPriority priority(options.target);
  std::map<std::string, std::vector<packaging::SpecifierSet>> constraints;
  for (const RequirementLine& line : file.constraints)
    constraints[packaging::normalize_name(line.requirement.name)].push_back(
        line.requirement.specifier);

  HttpClient http;
  const std::unique_ptr<IndexCache> cache = open_cache(options, prediction.warnings);
  PackageSources sources(http, cache.get(), prediction.index_urls, find_links);
  std::deque<Wanted> queue;
  for (const RequirementLine& line : file.requirements) {
    if (line.requirement.marker && !line.requirement.marker->evaluate(base_markers)) continue;
    if (line.requirement.url.empty())
      queue.push_back({line.requirement, line.where.str()});
    else if (std::optional<PredictedPackage> package = direct_wheel(line, prediction.warnings))
      prediction.packages.push_back(std::move(*package));
  }
  prediction.estimate = false;
  std::map<std::string, std::size_t> chosen;  // normalized name -> index in packages
  std::map<std::string, WheelSize> measured;  // wheels read for their METADATA, by URL
  while (!queue.empty()) {
    // One breadth-first level: every new name asked of the index at once.
    std::vector<Wanted> level(queue.begin(), queue.end());
    queue.clear();
    std::vector<std::string> names;
    std::vector<Wanted> fresh;  // the first request of each new name, in names' order
    std::vector<Wanted> later;
    for (Wanted& wanted : level) {
      const std::string name = packaging::normalize_name(wanted.requirement.name);
      if (const auto it = chosen.find(name); it != chosen.end()) {
        const PredictedPackage& have = prediction.packages[it->second];
        const auto version = packaging::Version::parse(have.version);
        if (version && !wanted.requirement.specifier.contains(*version, true))
          prediction.warnings.push_back(
              fmt::format("conflict: {} wants {}, but {} {} was chosen first", wanted.from,
                          wanted.requirement.str(), have.name, have.version));
        continue;
      }
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        later.push_back(std::move(wanted));  // checked against the choice in the next level
        continue;
      }
      names.push_back(name);
      fresh.push_back(std::move(wanted));
    }
    if (names.empty()) break;
    const std::vector<ProjectLookup> lookups = sources.projects(names);
    std::vector<MetadataRequest> metadata_requests;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const Wanted& wanted = fresh[i];
      const ProjectLookup& lookup = lookups[i];
      // An index that failed makes every answer doubtful; one that has no such project does not.
      if (!lookup.error.empty() && !lookup.not_found)
        throw PredictError(PredictError::Kind::unreachable, lookup.error);
      // A package the sources lack, or with no version that fits, is listed with its reason
      // and the others are still predicted (the CLI exits 9 "not found").
      std::optional<Candidate> candidate;
      std::string missing;
      if (lookup.not_found || !lookup.page)
        missing =
            fmt::format("{}: package '{}' ({}) not found on {}", wanted.from,
                        wanted.requirement.name, wanted.requirement.str(), sources.where(names[i]));
      else if (!(candidate = choose(*lookup.page, names[i],
                                    specifiers_for(wanted.requirement, constraints[names[i]]),
                                    options, priority)))
        missing = fmt::format("{}: no version of '{}' matches '{}' for Python {} on {}",
                              wanted.from, wanted.requirement.name, wanted.requirement.str(),
                              options.target.python_version, redact_url(lookup.page->url));
      if (!missing.empty()) {
        chosen[names[i]] = prediction.packages.size();
        prediction.packages.push_back(not_found_package(wanted.requirement, names[i], missing));
        prediction.warnings.push_back(missing);
        continue;
      }
      if (!is_pinned(wanted.requirement.specifier)) prediction.estimate = true;
      PredictedPackage package;
      package.name = lookup.page->name.empty() ? wanted.requirement.name : lookup.page->name;
      package.normalized_name = names[i];
      package.version = candidate->version;
      if (candidate->wheel) {
        package.chosen_file = candidate->wheel->filename;
        package.url = candidate->wheel->url;
        if (const auto sha = candidate->wheel->hashes.find("sha256");
            sha != candidate->wheel->hashes.end())
          package.hash = "sha256:" + sha->second;
        package.download_bytes = candidate->wheel->size;
        metadata_requests.push_back(
            {*candidate->wheel, prediction.packages.size(), wanted.requirement.extras});
      } else {
        package.chosen_file = candidate->sdist->filename;
        package.url = candidate->sdist->url;
        package.download_bytes = candidate->sdist->size;
        package.sdist_only = true;
        package.note = "size unknown until built";
        prediction.warnings.push_back(
            fmt::format("{} {}: only an sdist: size unknown until built, dependencies not counted",
                        package.name, package.version));
      }
      chosen[names[i]] = prediction.packages.size();
      prediction.packages.push_back(std::move(package));
    }
    // Later requests of a name first met in this level: check them against its choice.
    for (Wanted& wanted : later) queue.push_back(std::move(wanted));
    if (!options.no_deps)
      queue_dependencies(metadata_requests, sources, http, cache.get(), base_markers, prediction,
                         queue, measured);
  }
  measure(prediction.packages, options, http, cache.get(), prediction.warnings, measured);
  return prediction;
}

}  // namespace

std::vector<std::string> index_urls_for(const PredictOptions& options,
                                        const EnvironmentLookup& environment) {
  return choose_indexes(options, nullptr, environment);
}

std::vector<std::string> platform_tags_for(const std::string& platform) {
  std::string tag = platform;
  std::replace(tag.begin(), tag.end(), '-', '_');
  std::replace(tag.begin(), tag.end(), '.', '_');
  std::transform(tag.begin(), tag.end(), tag.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // sysconfig's "linux-x86_64": a glibc machine; manylinux2014 is the common floor.
  if (tag.rfind("linux_", 0) == 0) return {"manylinux_2_17_" + tag.substr(6)};
  if (tag == "win_amd64" || tag == "win32" || tag == "win_arm64") return {tag};
  return {tag};
}

Prediction predict(const std::string& file_name, const std::string& text,
                   const PredictOptions& options, const FileLoader& load,
                   const EnvironmentLookup& environment) {
  const InputKind kind = detect_input_kind(file_name, text);
  if (kind == InputKind::requirements_txt)
    return predict_requirements(file_name, text, options, load, environment);
  return predict_lock(kind, file_name, text, options, environment);
}

}  // namespace pkgsizer::predict
