#include "recommend/alternatives.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "packaging/name.hpp"
#include "util/error.hpp"

namespace pkgsizer::embedded {
extern const std::string_view alternatives_toml;  // generated (cmake/EmbedText.cmake)
}

namespace pkgsizer::recommend {
namespace {

std::string required_string(const toml::table& entry, std::string_view key, std::size_t index) {
  const auto value = entry[key].value<std::string>();
  if (!value || value->empty())
    throw Error(ErrorCategory::kInternal,
                fmt::format("alternatives.toml: entry {} has no '{}'", index + 1, key));
  return *value;
}

}  // namespace

std::vector<Alternative> parse_alternatives(std::string_view text) {
  toml::table document;
  try {
    document = toml::parse(text, std::string_view("alternatives.toml"));
  } catch (const toml::parse_error& error) {
    throw Error(
        ErrorCategory::kInternal,
        fmt::format("alternatives.toml:{}: {}", error.source().begin.line, error.description()));
  }
  std::vector<Alternative> entries;
  const toml::array* list = document["alternative"].as_array();
  if (!list) return entries;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const toml::table* entry = (*list)[i].as_table();
    if (!entry) throw Error(ErrorCategory::kInternal, "alternatives.toml: an entry is no table");
    Alternative alternative;
    alternative.package = packaging::normalize_name(required_string(*entry, "package", i));
    alternative.alternative = required_string(*entry, "alternative", i);
    alternative.why = required_string(*entry, "why", i);
    alternative.source = required_string(*entry, "source", i);
    const auto date = (*entry)["date"].value<toml::date>();
    if (!date)
      throw Error(ErrorCategory::kInternal,
                  fmt::format("alternatives.toml: entry {} has no date", i + 1));
    alternative.date = fmt::format("{:04}-{:02}-{:02}", date->year, date->month, date->day);
    if (const toml::array* names = (*entry)["when_installed"].as_array())
      for (const toml::node& name : *names)
        if (const auto text_value = name.value<std::string>())
          alternative.when_installed.push_back(packaging::normalize_name(*text_value));
    alternative.predict = (*entry)["predict"].value_or(true);
    entries.push_back(std::move(alternative));
  }
  return entries;
}

std::int64_t alternatives_version() {
  static const std::int64_t version =
      toml::parse(embedded::alternatives_toml)["version"].value_or(std::int64_t{0});
  return version;
}

const std::vector<Alternative>& curated_alternatives() {
  static const std::vector<Alternative> entries = parse_alternatives(embedded::alternatives_toml);
  return entries;
}

}  // namespace pkgsizer::recommend
