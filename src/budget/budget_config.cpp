#include "budget/budget_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <unordered_map>
#include <utility>
#include <vector>

#include "packaging/name.hpp"
#include "util/duration.hpp"
#include "util/size_units.hpp"
#include "util/toml_type_name.hpp"

namespace pkgsizer::budget {
namespace {

constexpr std::array<std::string_view, 7> kBudgetKeys{
    "total", "per_package", "warn_at", "max_increase", "packages", "unused", "import_time"};
constexpr std::array<std::string_view, 4> kImportTimeKeys{"total", "per_distribution", "modules",
                                                          "distributions"};

// Reads one file; every error names it and, when toml++ knows it, the line and column.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& what) const {
    if (where.begin.line == 0) throw ConfigError(fmt::format("{}: {}", file_, what));
    throw ConfigError(
        fmt::format("{}:{}:{}: {}", file_, where.begin.line, where.begin.column, what));
  }

  [[noreturn]] void fail(const std::string& what) const { fail(toml::source_region{}, what); }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

// toml++ keeps a table's keys sorted by name; people read a file from the top, so entries are
// visited (and the first mistake reported) in the order of the file.
std::vector<std::pair<const toml::key*, const toml::node*>> in_file_order(
    const toml::table& table) {
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (const auto& [key, value] : table) entries.emplace_back(&key, &value);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const toml::source_position& left = a.first->source().begin;
    const toml::source_position& right = b.first->source().begin;
    return left.line != right.line ? left.line < right.line : left.column < right.column;
  });
  return entries;
}

// Edit distance, to suggest the key a typo meant ("totl" -> "total").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

template <std::size_t N>
std::string unknown_key_message(std::string_view key, std::string_view table,
                                const std::array<std::string_view, N>& known) {
  std::string message = table.empty() ? fmt::format("unknown key '{}' at the top level", key)
                                      : fmt::format("unknown key '{}' in {}", key, table);
  std::string_view closest;
  std::size_t best = 3;  // suggest only near misses
  for (std::string_view candidate : known) {
    const std::size_t distance = edit_distance(key, candidate);
    if (distance < best) best = distance, closest = candidate;
  }
  if (!closest.empty()) return message + fmt::format(" (did you mean '{}'?)", closest);
  return message + fmt::format(" (known keys: {})", fmt::join(known, ", "));
}

// A size: a string in decimal or binary units, or an integer number of bytes.
std::uint64_t read_size(const Reader& reader, const toml::node& node, const std::string& key) {
  if (const auto* integer = node.as_integer()) {
    if (integer->get() < 0)
      reader.fail(node.source(), fmt::format("{}: a size cannot be negative", key));
    return static_cast<std::uint64_t>(integer->get());
  }
  if (const auto* string = node.as_string()) {
    if (const auto bytes = parse_size(string->get())) return *bytes;
    reader.fail(
        node.source(),
        fmt::format("{}: '{}' is not a size (try \"500MB\", \"1.5GiB\" or a number of bytes)", key,
                    string->get()));
  }
  reader.fail(node.source(), fmt::format("{}: expected a size such as \"500MB\", found {}", key,
                                         toml_type_name(node)));
}

double read_warn_at(const Reader& reader, const toml::node& node) {
  const auto* string = node.as_string();
  if (!string)
    reader.fail(node.source(),
                fmt::format("warn_at: expected a percentage such as \"90%\", found {}",
                            toml_type_name(node)));
  const std::optional<double> percent = parse_percent(string->get());
  if (!percent || *percent <= 0 || *percent > 100)
    reader.fail(
        node.source(),
        fmt::format("warn_at: '{}' is not a percentage above 0% and at most 100% (try \"90%\")",
                    string->get()));
  return *percent;
}

IncreaseLimit read_max_increase(const Reader& reader, const toml::node& node) {
  IncreaseLimit limit;
  limit.line = node.source().begin.line;
  const auto* string = node.as_string();
  if (string && string->get().find('%') != std::string::npos) {
    limit.percent = parse_percent(string->get());
    if (!limit.percent)
      reader.fail(node.source(), fmt::format("max_increase: '{}' is not a percentage (try \"10%\")",
                                             string->get()));
    return limit;
  }
  limit.bytes = read_size(reader, node, "max_increase");
  return limit;
}

std::vector<PackageLimit> read_packages(const Reader& reader, const toml::node& node) {
  const toml::table* table = node.as_table();
  if (!table)
    reader.fail(
        node.source(),
        fmt::format("packages: expected a table of name = size ([budget.packages]), found {}",
                    toml_type_name(node)));
  std::vector<PackageLimit> packages;
  // Normalized name -> index in `packages`: a search per entry was quadratic (100k entries: 20 s).
  std::unordered_map<std::string, std::size_t> by_name;
  for (const auto& [key_pointer, value_pointer] : in_file_order(*table)) {
    const toml::key& key = *key_pointer;
    const toml::node& value = *value_pointer;
    const std::string name(key.str());
    PackageLimit limit{name, packaging::normalize_name(name), 0, value.source().begin.line};
    if (limit.normalized_name.empty() || limit.normalized_name == "-")
      reader.fail(key.source(), fmt::format("packages: '{}' is not a distribution name", name));
    // PEP 503: "PyYAML" and "pyyaml" name one distribution; two limits for it would contradict.
    const auto [known, added] = by_name.try_emplace(limit.normalized_name, packages.size());
    if (!added) {
      const PackageLimit* same = &packages[known->second];
      reader.fail(
          key.source(),
          fmt::format("packages: '{}' names the same distribution as '{}' (line {}; names are "
                      "compared after PEP 503 normalization)",
                      name, same->name, same->line));
    }
    limit.bytes = read_size(reader, value, "packages." + name);
    packages.push_back(std::move(limit));
  }
  return packages;
}

std::int64_t read_duration(const Reader& reader, const toml::node& node, const std::string& key) {
  if (const auto* string = node.as_string())
    if (const auto microseconds = parse_duration_us(string->get())) return *microseconds;
  reader.fail(node.source(), fmt::format("import_time.{}: expected a duration such as \"300ms\" "
                                         "or \"1.5s\", found {}",
                                         key,
                                         node.as_string() ? "'" + node.as_string()->get() + "'"
                                                          : std::string(toml_type_name(node))));
}

std::vector<TimeLimit> read_time_limits(const Reader& reader, const toml::node& node,
                                        const std::string& key, bool distributions) {
  const toml::table* table = node.as_table();
  if (!table)
    reader.fail(node.source(), fmt::format("import_time.{}: expected a table of name = duration, "
                                           "found {}",
                                           key, toml_type_name(node)));
  std::vector<TimeLimit> limits;
  for (const auto& [key_pointer, value_pointer] : in_file_order(*table)) {
    const std::string name(key_pointer->str());
    TimeLimit limit{name, distributions ? packaging::normalize_name(name) : name,
                    read_duration(reader, *value_pointer, key + "." + name),
                    value_pointer->source().begin.line};
    if (limit.normalized_name.empty())
      reader.fail(key_pointer->source(),
                  fmt::format("import_time.{}: '{}' is not a name", key, name));
    limits.push_back(std::move(limit));
  }
  return limits;
}

ImportTimeBudget read_import_time(const Reader& reader, const toml::node& node,
                                  std::string_view table_name) {
  const toml::table* table = node.as_table();
  if (!table)
    reader.fail(node.source(),
                fmt::format("import_time must be a table, found {}", toml_type_name(node)));
  ImportTimeBudget budget;
  const std::string where =
      fmt::format("[{}.import_time]", table_name.substr(1, table_name.size() - 2));
  for (const auto& [key_pointer, value_pointer] : in_file_order(*table)) {
    const std::string_view name = key_pointer->str();
    const toml::node& value = *value_pointer;
    const std::size_t line = value.source().begin.line;
    if (name == "total")
      budget.total = TimeLimit{"", "", read_duration(reader, value, "total"), line};
    else if (name == "per_distribution")
      budget.per_distribution =
          TimeLimit{"", "", read_duration(reader, value, "per_distribution"), line};
    else if (name == "modules")
      budget.modules = read_time_limits(reader, value, "modules", false);
    else if (name == "distributions")
      budget.distributions = read_time_limits(reader, value, "distributions", true);
    else
      reader.fail(key_pointer->source(), unknown_key_message(name, where, kImportTimeKeys));
  }
  return budget;
}

BudgetConfig read_budget_table(const Reader& reader, const toml::node& node,
                               std::string_view table_name) {
  const toml::table* table = node.as_table();
  if (!table)
    reader.fail(node.source(),
                fmt::format("{} must be a table, found {}", table_name, toml_type_name(node)));
  BudgetConfig config;
  config.file = reader.file();
  for (const auto& [key_pointer, value_pointer] : in_file_order(*table)) {
    const toml::key& key = *key_pointer;
    const toml::node& value = *value_pointer;
    const std::string_view name = key.str();
    if (name == "total") {
      config.total = SizeLimit{read_size(reader, value, "total"), value.source().begin.line};
    } else if (name == "per_package") {
      config.per_package =
          SizeLimit{read_size(reader, value, "per_package"), value.source().begin.line};
    } else if (name == "warn_at") {
      config.warn_at_percent = read_warn_at(reader, value);
    } else if (name == "max_increase") {
      config.max_increase = read_max_increase(reader, value);
    } else if (name == "packages") {
      config.packages = read_packages(reader, value);
    } else if (name == "unused") {
      const auto text = value.value<std::string>();
      if (!text || (*text != "fail" && *text != "warn"))
        reader.fail(value.source(), "unused must be \"fail\" or \"warn\"");
      config.unused = UnusedRule{*text == "fail", value.source().begin.line};
    } else if (name == "import_time") {
      config.import_time = read_import_time(reader, value, table_name);
    } else {
      reader.fail(key.source(), unknown_key_message(name, table_name, kBudgetKeys));
    }
  }
  if (!config.total && !config.per_package && !config.max_increase && config.packages.empty() &&
      !config.unused && !config.import_time)
    reader.fail(node.source(),
                fmt::format("{} sets no limit: add total, per_package, max_increase or a "
                            "[{}.packages] entry",
                            table_name, table_name.substr(1, table_name.size() - 2)));
  return config;
}

// The table under which pkgsizer's own settings live must hold nothing but known tables, so
// that a misspelt [budgt] is an error instead of a budget silently not checked.
const toml::node& settings_table(const Reader& reader, const toml::table& settings,
                                 std::string_view where, std::string_view budget_table) {
  // [notify] is read by src/notify (notify_config): a budget file may carry both.
  static constexpr std::array<std::string_view, 2> kTables{"budget", "notify"};
  for (const auto& entry : in_file_order(settings)) {
    const toml::key& key = *entry.first;
    if (std::find(kTables.begin(), kTables.end(), key.str()) == kTables.end())
      reader.fail(key.source(), unknown_key_message(key.str(), where, kTables));
  }
  const toml::node* budget = settings.get("budget");
  if (!budget) reader.fail(fmt::format("no {} table", budget_table));
  return *budget;
}

}  // namespace

bool is_pyproject(const std::string& file_name) {
  const std::size_t slash = file_name.find_last_of('/');
  return file_name.substr(slash == std::string::npos ? 0 : slash + 1) == "pyproject.toml";
}

std::optional<double> parse_percent(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.empty() || text.back() != '%') return std::nullopt;
  text.remove_suffix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
      }))
    return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

BudgetConfig parse_budget_config(std::string_view text, const std::string& file_name) {
  const Reader reader(file_name);
  toml::table document;
  try {
    document = toml::parse(text, file_name);
  } catch (const toml::parse_error& error) {
    reader.fail(error.source(), std::string(error.description()));
  }
  if (!is_pyproject(file_name))
    return read_budget_table(reader, settings_table(reader, document, "", "[budget]"), "[budget]");

  // pyproject.toml: PEP 518 gives every tool its own [tool.NAME] table; the rest is not ours.
  const toml::node* tool = document.get("tool");
  const toml::node* pkgsizer =
      tool && tool->is_table() ? tool->as_table()->get("pkgsizer") : nullptr;
  if (!pkgsizer) reader.fail("no [tool.pkgsizer.budget] table");
  if (!pkgsizer->is_table())
    reader.fail(pkgsizer->source(),
                fmt::format("tool.pkgsizer must be a table, found {}", toml_type_name(*pkgsizer)));
  return read_budget_table(
      reader,
      settings_table(reader, *pkgsizer->as_table(), "[tool.pkgsizer]", "[tool.pkgsizer.budget]"),
      "[tool.pkgsizer.budget]");
}

}  // namespace pkgsizer::budget
