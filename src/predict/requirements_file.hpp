// pip's requirements file format (pip documentation, "Requirements File Format"): PEP 508
// requirements one per line, with the options pip allows there (-r/-c includes, -e, --hash,
// index options), comments, line continuations and ${VAR} expansion. Pure: text in, values out;
// included files come from a callback, so the caller decides what reading a file means.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "packaging/marker.hpp"
#include "packaging/requirement.hpp"
#include "util/error.hpp"

namespace pkgsizer::predict {

// Where a line came from. A line continued with '\' is located at its first physical line, as
// pip reports it.
struct SourceLocation {
  std::string file;  // as the including file named it, joined to that file's directory
  std::size_t line = 0;

  std::string str() const;  // "FILE:LINE"
};

// Every problem in a requirements file; the message is "FILE:LINE: what is wrong".
class RequirementsFileError : public Error {
 public:
  RequirementsFileError(SourceLocation where, const std::string& problem);
  const SourceLocation& where() const { return where_; }
  const std::string& problem() const { return problem_; }

 private:
  SourceLocation where_;
  std::string problem_;
};

// A named requirement: "requests[socks]>=2.8; python_version>'3.7'" or "name @ URL".
struct RequirementLine {
  packaging::Requirement requirement;
  // pip's hash-checking mode: "sha256:<hex>" from each --hash option on the line, as written.
  std::vector<std::string> hashes;
  SourceLocation where;
};

// A line that names a path or a URL rather than a project (pip accepts both, PEP 508 neither):
// "-e ./pkg[dev]", "-e git+https://host/repo.git#egg=name", "./dist/x-1.0-py3-none-any.whl",
// "https://host/x-1.0.tar.gz; python_version < '3.12'". Its size cannot be predicted from an
// index, so callers report it; editable installs are flagged as such.
struct PathOrUrlLine {
  std::string target;  // the path or URL, without extras and marker
  std::set<std::string> extras;
  std::optional<packaging::Marker> marker;
  std::string egg_name;  // from a "#egg=NAME" fragment; empty when there is none
  bool editable = false;
  std::vector<std::string> hashes;
  SourceLocation where;
};

// A string option and the line that set it.
struct OptionValue {
  std::string value;
  SourceLocation where;
};

// The options that say where distributions come from. pip applies them to the whole
// installation whichever file sets them; a later --index-url replaces an earlier one.
struct IndexOptions {
  std::optional<OptionValue> index_url;       // -i, --index-url
  std::vector<OptionValue> extra_index_urls;  // --extra-index-url
  bool no_index = false;                      // --no-index
  std::vector<OptionValue> find_links;        // -f, --find-links: as written (pip resolves a
                                              // relative path against the current directory)
  std::vector<OptionValue> trusted_hosts;     // --trusted-host
  std::vector<OptionValue> no_binary;         // --no-binary: ":all:", ":none:" or names
  std::vector<OptionValue> only_binary;       // --only-binary
  bool prefer_binary = false;                 // --prefer-binary
  bool pre = false;                           // --pre: pre-releases allowed
  bool require_hashes = false;                // --require-hashes
};

// A -r or -c line, and the file it named.
struct IncludedFile {
  std::string path;      // as written
  std::string resolved;  // joined to the including file's directory, lexically normalized
  bool constraint = false;
  SourceLocation where;
};

struct RequirementsFile {
  std::vector<RequirementLine> requirements;
  // From -c files: they limit versions but install nothing (pip: constraints must be named).
  std::vector<RequirementLine> constraints;
  std::vector<PathOrUrlLine> paths_and_urls;
  IndexOptions index;
  std::vector<IncludedFile> includes;  // in the order they were met, nested ones too
  // "FILE:LINE: ..." for what pip accepts but ignores, so that it does not seem to count: an
  // index option or a second -e on a requirement line, a second -r/-c on one line, stray words.
  std::vector<std::string> warnings;
};

// How deep -r/-c includes may nest (docs/security.md "Limits"): real projects use two or three
// levels; each level is a recursion of the parser.
inline constexpr std::size_t kMaxIncludeDepth = 100;

// Reads an included file; nothing when it does not exist or cannot be read.
using FileLoader = std::function<std::optional<std::string>(const std::string& path)>;
// The value of an environment variable; nothing when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Parses `text` as the requirements file `file_name`, following -r and -c lines through `load`
// with paths joined to the including file's directory (URLs and absolute paths as they are).
// `${NAME}` (NAME of A-Z, 0-9 and '_', as pip accepts) is replaced by `environment`'s value when
// it has one and left as written otherwise; without `environment` nothing is replaced.
// Throws RequirementsFileError: bad requirement, unknown option, option without its value,
// include that cannot be read (or with no loader), include cycle.
RequirementsFile parse_requirements_file(std::string_view text, const std::string& file_name,
                                         const FileLoader& load = {},
                                         const EnvironmentLookup& environment = {});

}  // namespace pkgsizer::predict
