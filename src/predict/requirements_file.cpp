#include "predict/requirements_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <utility>

#include "util/read_file.hpp"

namespace pkgsizer::predict {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

struct LogicalLine {
  std::size_t line = 0;  // of its first physical line
  std::string text;
};

// pip's COMMENT_RE, `(^|\s+)#.*$`, matched at the start: a line whose first non-blank is '#'.
bool is_comment_line(std::string_view line) {
  const std::string_view rest = trim(line);
  return !rest.empty() && rest.front() == '#';
}

// pip's COMMENT_RE substitution: everything from the first '#' that starts the line or follows
// whitespace. A '#' inside a word is kept, so "https://host/x.whl#sha256=..." survives.
std::string_view strip_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || is_space(line[i - 1]))) return line.substr(0, i);
  return line;
}

// pip's `preprocess`: join_lines (a line ending in '\' continues on the next; a comment line
// ends the continuation), then ignore_comments. Returns non-empty lines with their number.
std::vector<LogicalLine> logical_lines(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
  std::vector<LogicalLine> joined;
  std::string pending;
  std::size_t pending_line = 0;
  bool continuing = false;
  std::size_t number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    start = end + 1;
    ++number;
    const bool comment = is_comment_line(line);
    if (!line.ends_with('\\') || comment) {
      // pip puts a space before a comment line so that it is recognized inside the joined line.
      const std::string piece = comment ? " " + std::string(line) : std::string(line);
      if (continuing) {
        joined.push_back({pending_line, pending + piece});
        pending.clear();
        continuing = false;
      } else {
        joined.push_back({number, piece});
      }
    } else {
      if (!continuing) pending_line = number;
      continuing = true;
      // Python's line.strip("\\"): backslashes at both ends go.
      std::string_view stripped = line;
      while (!stripped.empty() && stripped.front() == '\\') stripped.remove_prefix(1);
      while (!stripped.empty() && stripped.back() == '\\') stripped.remove_suffix(1);
      pending += stripped;
    }
  }
  if (continuing) joined.push_back({pending_line, pending});

  std::vector<LogicalLine> lines;
  for (LogicalLine& line : joined) {
    const std::string_view content = trim(strip_comment(line.text));
    if (!content.empty()) lines.push_back({line.line, std::string(content)});
  }
  return lines;
}

// pip's expand_env_variables: ${NAME} with NAME of uppercase letters, digits and '_' (the only
// form pip documents, so that '$' in URLs and passwords stays as written).
std::string expand_variables(const std::string& line, const EnvironmentLookup& environment) {
  if (!environment) return line;
  std::string out;
  std::size_t pos = 0;
  while (pos < line.size()) {
    const std::size_t open = line.find("${", pos);
    if (open == std::string::npos) break;
    const std::size_t close = line.find('}', open + 2);
    if (close == std::string::npos) break;
    const std::string name = line.substr(open + 2, close - open - 2);
    const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    out.append(line, pos, open - pos);
    const std::optional<std::string> value = valid ? environment(name) : std::nullopt;
    if (value)
      out += *value;
    else
      out.append(line, open, close + 1 - open);
    pos = close + 1;
  }
  out.append(line, pos, std::string::npos);
  return out;
}

// Python's shlex.split (POSIX mode), which pip applies to a line's options: quotes group,
// a backslash escapes outside single quotes. Nothing when a quote is left open.
std::optional<std::vector<std::string>> shell_split(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_space(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const std::size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      word.append(text.substr(i + 1, close - i - 1));
      i = close;
      in_word = true;
    } else if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"') {
        // Inside double quotes a backslash escapes only these characters.
        if (text[i] == '\\' && i + 1 < text.size() &&
            (text[i + 1] == '"' || text[i + 1] == '\\' || text[i + 1] == '$' || text[i + 1] == '`'))
          ++i;
        word.push_back(text[i++]);
      }
      if (i >= text.size()) return std::nullopt;
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 < text.size()) word.push_back(text[++i]);
      in_word = true;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

enum class OptionKind {
  index_url,
  extra_index_url,
  no_index,
  find_links,
  requirement,
  constraint,
  editable,
  no_binary,
  only_binary,
  prefer_binary,
  require_hashes,
  pre,
  trusted_host,
  use_feature,
  hash,
  config_settings,
  global_option,
};

struct OptionSpec {
  std::string_view short_name;  // "-i", or empty
  std::string_view long_name;   // "--index-url"
  bool takes_value;
  OptionKind kind;
};

// pip's SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ (req_file.py): nothing else is allowed in a
// requirements file.
constexpr std::array<OptionSpec, 17> kOptions{{
    {"-i", "--index-url", true, OptionKind::index_url},
    {"", "--extra-index-url", true, OptionKind::extra_index_url},
    {"", "--no-index", false, OptionKind::no_index},
    {"-f", "--find-links", true, OptionKind::find_links},
    {"-r", "--requirement", true, OptionKind::requirement},
    {"-c", "--constraint", true, OptionKind::constraint},
    {"-e", "--editable", true, OptionKind::editable},
    {"", "--no-binary", true, OptionKind::no_binary},
    {"", "--only-binary", true, OptionKind::only_binary},
    {"", "--prefer-binary", false, OptionKind::prefer_binary},
    {"", "--require-hashes", false, OptionKind::require_hashes},
    {"", "--pre", false, OptionKind::pre},
    {"", "--trusted-host", true, OptionKind::trusted_host},
    {"", "--use-feature", true, OptionKind::use_feature},
    {"", "--hash", true, OptionKind::hash},
    {"", "--config-settings", true, OptionKind::config_settings},
    {"", "--global-option", true, OptionKind::global_option},
}};

bool applies_to_requirement(OptionKind kind) {
  return kind == OptionKind::hash || kind == OptionKind::config_settings ||
         kind == OptionKind::global_option;
}

struct ParsedOption {
  const OptionSpec* spec = nullptr;
  std::string spelling;  // as written, for messages
  std::string value;
};

// PEP 610 / pip: "scheme://", and the VCS forms "git+https://..." are URLs.
bool is_url(std::string_view text) {
  const std::size_t colon = text.find("://");
  if (colon == std::string_view::npos || colon == 0) return text.starts_with("file:");
  if (!std::isalpha(static_cast<unsigned char>(text.front()))) return false;
  return std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

// pip's is_archive_file: the extensions it unpacks (wheels included).
bool is_archive(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  constexpr std::array<std::string_view, 12> extensions{".whl", ".zip",     ".tar.gz", ".tgz",
                                                        ".tar", ".tar.bz2", ".tbz",    ".tar.xz",
                                                        ".txz", ".tlz",     ".tar.lz", ".tar.lzma"};
  return std::any_of(extensions.begin(), extensions.end(),
                     [&](std::string_view extension) { return lower.ends_with(extension); });
}

// A requirement line that pip reads as a path or URL rather than a PEP 508 requirement. A
// named requirement can hold '/' only after '@' ("name @ https://..."), and a wheel's file name
// is also a valid project name, so archives are recognized by their extension first.
bool names_path_or_url(std::string_view text) {
  if (is_url(text)) return true;
  const std::string_view before_marker = text.substr(0, text.find(';'));
  if (before_marker.find('@') != std::string_view::npos) return false;
  if (text.starts_with('.') || text.starts_with('/') || text.starts_with('~')) return true;
  if (before_marker.find('/') != std::string_view::npos ||
      before_marker.find('\\') != std::string_view::npos)
    return true;
  std::string_view target = trim(before_marker);
  if (target.ends_with(']')) target = target.substr(0, target.rfind('['));
  return is_archive(target);
}

// "name[extra1,extra2]" from the end of a path (pip's _strip_extras), and "#egg=name[extras]".
void split_extras(std::string& target, std::set<std::string>& extras) {
  if (!target.ends_with(']')) return;
  const std::size_t open = target.rfind('[');
  if (open == std::string::npos || open == 0) return;
  std::string_view list(target);
  list = list.substr(open + 1, list.size() - open - 2);
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view extra = trim(list.substr(start, comma - start));
    if (!extra.empty()) extras.emplace(extra);
    start = comma + 1;
  }
  target.erase(open);
}

// A URL's "#egg=name[extras]" fragment (pip's Link.egg_fragment); the extras go to `extras`.
std::string egg_name(std::string_view target, std::set<std::string>& extras) {
  const std::size_t fragment = target.find('#');
  if (fragment == std::string_view::npos) return "";
  std::string_view rest = target.substr(fragment + 1);
  for (std::size_t start = 0; start < rest.size();) {
    const std::size_t end = std::min(rest.find('&', start), rest.size());
    const std::string_view field = rest.substr(start, end - start);
    if (field.starts_with("egg=")) {
      std::string name(field.substr(4));
      split_extras(name, extras);
      return name;
    }
    start = end + 1;
  }
  return "";
}

// "dir/file.txt" + "other.txt" -> "dir/other.txt", as pip joins an included file's name to the
// including file's directory; URLs and absolute paths stand alone.
std::string resolve_include(const std::string& including, const std::string& included) {
  if (is_url(included)) return included;
  if (is_url(including)) {
    if (included.starts_with('/')) {
      const std::size_t host_end = including.find('/', including.find("://") + 3);
      return including.substr(0, host_end) + included;
    }
    return including.substr(0, including.rfind('/') + 1) + included;
  }
  const std::filesystem::path path(included);
  if (path.is_absolute()) return path.lexically_normal().generic_string();
  return (std::filesystem::path(including).parent_path() / path)
      .lexically_normal()
      .generic_string();
}

// How a file is compared with the files being read, to find include cycles.
std::string normalized(const std::string& path) {
  if (is_url(path)) return path;
  return std::filesystem::path(path).lexically_normal().generic_string();
}

void check_hash(const SourceLocation& where, const std::string& value) {
  // pip's _handle_merge_hash.
  const std::size_t colon = value.find(':');
  if (colon == std::string::npos || colon + 1 == value.size())
    throw RequirementsFileError(where,
                                fmt::format("--hash must be a hash name followed by a value, like "
                                            "--hash=sha256:abcde..., not '{}'",
                                            value));
  const std::string algorithm = value.substr(0, colon);
  if (algorithm != "sha256" && algorithm != "sha384" && algorithm != "sha512")
    throw RequirementsFileError(
        where, fmt::format("--hash algorithm '{}' is not allowed: use sha256, sha384 or sha512",
                           algorithm));
}

class Parser {
 public:
  Parser(const FileLoader& load, const EnvironmentLookup& environment)
      : load_(load), environment_(environment) {}

  void parse(std::string_view text, const std::string& file_name, bool constraint) {
    open_files_.push_back(normalized(file_name));
    for (const LogicalLine& line : logical_lines(text))
      parse_line(expand_variables(line.text, environment_), {file_name, line.line}, constraint);
    open_files_.pop_back();
  }

  RequirementsFile take() { return std::move(result_); }

 private:
  void parse_line(const std::string& line, const SourceLocation& where, bool constraint) {
    // pip's break_args_options: words up to the first that starts with '-' are the
    // requirement, the rest are options (split on single spaces, as pip does).
    std::string arguments;
    std::size_t options_start = line.size();
    for (std::size_t start = 0; start <= line.size();) {
      const std::size_t end = std::min(line.find(' ', start), line.size());
      if (line.compare(start, 1, "-") == 0) {
        options_start = start;
        break;
      }
      if (!arguments.empty() || end > start)
        arguments += (arguments.empty() ? "" : " ") + line.substr(start, end - start);
      start = end + 1;
    }
    const std::vector<ParsedOption> options =
        parse_options(std::string_view(line).substr(options_start), where);

    std::optional<std::string> editable;
    for (const ParsedOption& option : options)
      if (option.spec->kind == OptionKind::editable && !editable) editable = option.value;
    std::vector<std::string> hashes;
    for (const ParsedOption& option : options)
      if (option.spec->kind == OptionKind::hash) {
        check_hash(where, option.value);
        hashes.push_back(option.value);
      }

    const std::string_view requirement = trim(arguments);
    if (!requirement.empty() || editable) {
      // A requirement line: pip reads only its per-requirement options (and the first -e).
      bool first_editable = requirement.empty();
      for (const ParsedOption& option : options) {
        if (applies_to_requirement(option.spec->kind)) continue;
        if (option.spec->kind == OptionKind::editable && first_editable) {
          first_editable = false;
          continue;
        }
        result_.warnings.push_back(
            fmt::format("{}: {} is ignored on a requirement line, as pip ignores it", where.str(),
                        option.spelling));
      }
      if (!requirement.empty())
        add_requirement(requirement, std::move(hashes), where, constraint);
      else
        add_path_or_url(*editable, /*editable=*/true, std::move(hashes), where, constraint);
      return;
    }
    if (!hashes.empty())
      throw RequirementsFileError(where, "--hash needs a requirement on the same line");
    apply_options(options, where);
  }

  std::vector<ParsedOption> parse_options(std::string_view text, const SourceLocation& where) {
    std::vector<ParsedOption> options;
    const auto words = shell_split(text);
    if (!words) throw RequirementsFileError(where, "no closing quotation");
    for (std::size_t i = 0; i < words->size(); ++i) {
      const std::string& word = (*words)[i];
      if (!word.starts_with('-') || word == "-" || word == "--") {
        result_.warnings.push_back(
            fmt::format("{}: '{}' is ignored, as pip ignores it", where.str(), word));
        continue;
      }
      ParsedOption option;
      std::optional<std::string> attached;  // "--opt=value" or "-rfile"
      const OptionSpec* spec = nullptr;
      if (word.starts_with("--")) {
        const std::size_t equals = word.find('=');
        option.spelling = word.substr(0, equals);
        if (equals != std::string::npos) attached = word.substr(equals + 1);
        for (const OptionSpec& each : kOptions)
          if (each.long_name == option.spelling) spec = &each;
      } else {
        option.spelling = word.substr(0, 2);
        if (word.size() > 2) attached = word.substr(2);
        for (const OptionSpec& each : kOptions)
          if (!each.short_name.empty() && each.short_name == option.spelling) spec = &each;
      }
      if (!spec)
        throw RequirementsFileError(
            where,
            fmt::format("{} is not an option pip allows in a requirements file", option.spelling));
      option.spec = spec;
      if (spec->takes_value) {
        if (attached) {
          option.value = *attached;
        } else if (i + 1 < words->size()) {
          option.value = (*words)[++i];
        } else {
          throw RequirementsFileError(where, fmt::format("{} needs a value", option.spelling));
        }
        if (option.value.empty())
          throw RequirementsFileError(where, fmt::format("{} needs a value", option.spelling));
      } else if (attached) {
        throw RequirementsFileError(where, fmt::format("{} takes no value", option.spelling));
      }
      options.push_back(std::move(option));
    }
    return options;
  }

  // pip's handle_option_line.
  void apply_options(const std::vector<ParsedOption>& options, const SourceLocation& where) {
    IndexOptions& index = result_.index;
    const ParsedOption* include_option = nullptr;
    for (const ParsedOption& option : options) {
      switch (option.spec->kind) {
        case OptionKind::index_url:
          // pip: "-i URL" in a file makes URL the only index, dropping extra ones read so far.
          index.index_url = OptionValue{option.value, where};
          index.extra_index_urls.clear();
          break;
        case OptionKind::extra_index_url:
          index.extra_index_urls.push_back({option.value, where});
          break;
        case OptionKind::no_index:
          index.no_index = true;
          break;
        case OptionKind::find_links:
          index.find_links.push_back({option.value, where});
          break;
        case OptionKind::trusted_host:
          index.trusted_hosts.push_back({option.value, where});
          break;
        case OptionKind::no_binary:
          index.no_binary.push_back({option.value, where});
          break;
        case OptionKind::only_binary:
          index.only_binary.push_back({option.value, where});
          break;
        case OptionKind::prefer_binary:
          index.prefer_binary = true;
          break;
        case OptionKind::require_hashes:
          index.require_hashes = true;
          break;
        case OptionKind::pre:
          index.pre = true;
          break;
        case OptionKind::requirement:
        case OptionKind::constraint:
          // pip follows one included file per line: the first -r, else the first -c.
          if (!include_option || (include_option->spec->kind == OptionKind::constraint &&
                                  option.spec->kind == OptionKind::requirement))
            include_option = &option;
          break;
        case OptionKind::use_feature:
        case OptionKind::editable:  // handled as a requirement line
        case OptionKind::hash:
        case OptionKind::config_settings:
        case OptionKind::global_option:
          break;
      }
    }
    if (!include_option) return;
    for (const ParsedOption& option : options)
      if (&option != include_option && (option.spec->kind == OptionKind::requirement ||
                                        option.spec->kind == OptionKind::constraint))
        result_.warnings.push_back(
            fmt::format("{}: {} {} is ignored: pip reads one included file per line", where.str(),
                        option.spelling, option.value));
    include(*include_option, where);
  }

  void include(const ParsedOption& chosen, const SourceLocation& where) {
    // pip: a -r inside a constraints file gives requirements, a -c anywhere constraints.
    const bool nested_constraint = chosen.spec->kind == OptionKind::constraint;
    IncludedFile included{chosen.value, resolve_include(where.file, chosen.value),
                          nested_constraint, where};
    const auto open =
        std::find(open_files_.begin(), open_files_.end(), normalized(included.resolved));
    if (open != open_files_.end()) {
      std::string cycle;
      for (auto each = open; each != open_files_.end(); ++each) cycle += *each + " -> ";
      throw RequirementsFileError(where,
                                  fmt::format("include cycle: {}{}", cycle, included.resolved));
    }
    // Each include is one more level of recursion (and a chain of 5,000 overflowed the stack).
    if (open_files_.size() >= kMaxIncludeDepth)
      throw RequirementsFileError(
          where, fmt::format("{} {}: included files nest more than {} deep", chosen.spelling,
                             chosen.value, kMaxIncludeDepth));
    if (!load_)
      throw RequirementsFileError(where, fmt::format("{} {}: included files cannot be read here",
                                                     chosen.spelling, chosen.value));
    errno = 0;
    const std::optional<std::string> text = load_(included.resolved);
    if (!text)
      throw RequirementsFileError(
          where,
          fmt::format("cannot read '{}' (named by {} {}){}", included.resolved, chosen.spelling,
                      chosen.value, errno ? ": " + read_error_text(errno) : std::string()));
    result_.includes.push_back(included);
    parse(*text, included.resolved, nested_constraint);
  }

  void add_requirement(std::string_view text, std::vector<std::string> hashes,
                       const SourceLocation& where, bool constraint) {
    if (names_path_or_url(text)) {
      add_path_or_url(std::string(text), /*editable=*/false, std::move(hashes), where, constraint);
      return;
    }
    RequirementLine line;
    try {
      line.requirement = packaging::Requirement::parse(text);
    } catch (const packaging::RequirementError& error) {
      throw RequirementsFileError(where, fmt::format("invalid requirement: {}", error.what()));
    }
    line.hashes = std::move(hashes);
    line.where = where;
    (constraint ? result_.constraints : result_.requirements).push_back(std::move(line));
  }

  void add_path_or_url(std::string text, bool editable, std::vector<std::string> hashes,
                       const SourceLocation& where, bool constraint) {
    if (constraint)
      throw RequirementsFileError(
          where,
          editable
              ? "editable requirements are not allowed as constraints"
              : fmt::format(
                    "'{}' has no project name: unnamed requirements are not allowed as constraints",
                    text));
    PathOrUrlLine line;
    line.editable = editable;
    line.where = where;
    line.hashes = std::move(hashes);
    // pip: a URL's marker needs "; " (a URL may hold ';'), a path's only ';'.
    const std::string_view separator = is_url(text) ? "; " : ";";
    if (const std::size_t at = text.find(separator); !editable && at != std::string::npos) {
      const std::string marker(trim(std::string_view(text).substr(at + separator.size())));
      try {
        line.marker = packaging::Marker::parse(marker);
      } catch (const packaging::MarkerError& error) {
        throw RequirementsFileError(where, fmt::format("invalid marker: {}", error.what()));
      }
      text.erase(at);
    }
    line.target = std::string(trim(text));
    // pip strips "[extras]" from paths (and file: URLs); a remote URL keeps its text, and its
    // extras, if any, are in the #egg= fragment.
    if (!is_url(line.target) || line.target.starts_with("file:"))
      split_extras(line.target, line.extras);
    line.egg_name = egg_name(line.target, line.extras);
    result_.paths_and_urls.push_back(std::move(line));
  }

  const FileLoader& load_;
  const EnvironmentLookup& environment_;
  std::vector<std::string> open_files_;  // the include chain, for cycles
  RequirementsFile result_;
};

}  // namespace

std::string SourceLocation::str() const { return fmt::format("{}:{}", file, line); }

RequirementsFileError::RequirementsFileError(SourceLocation where, const std::string& problem)
    : Error(ErrorCategory::kUsage, fmt::format("{}: {}", where.str(), problem)),
      where_(std::move(where)),
      problem_(problem) {}

RequirementsFile parse_requirements_file(std::string_view text, const std::string& file_name,
                                         const FileLoader& load,
                                         const EnvironmentLookup& environment) {
  Parser parser(load, environment);
  parser.parse(text, file_name, /*constraint=*/false);
  return parser.take();
}

}  // namespace pkgsizer::predict
