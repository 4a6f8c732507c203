// How deep a JSON text nests, checked before it is parsed. nlohmann's parser keeps its own stack,
// but what is built from the document is walked recursively (a saved scan's module tree, and
// every value() copy of a subtree along the way): a scan with `modules` nested 100,000 deep
// crashed `compare`, and 10,000 deep needed more than 3 GiB. Real documents nest a few levels.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace pkgsizer {

// Deeper than any document pkgsizer reads or writes (a scan nests about 2 levels per module
// level, and modules go as deep as a package does); docs/security.md "Limits".
inline constexpr std::size_t kMaxJsonNesting = 256;

// The byte offset of the '[' or '{' that opens level max_depth + 1, or nothing when `text`
// nests no deeper than `max_depth`. Brackets inside strings do not count. Does not validate.
std::optional<std::size_t> json_too_deep_at(std::string_view text,
                                            std::size_t max_depth = kMaxJsonNesting);

}  // namespace pkgsizer
