// How error messages name a TOML value's type ("a string", "a table"), for the config and
// lock-file readers.
#pragma once

#include <toml++/toml.h>

#include <string_view>

namespace pkgsizer {

std::string_view toml_type_name(const toml::node& node);

}  // namespace pkgsizer
