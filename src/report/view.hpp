// The order and number of distributions a report shows (--by, --top): a view of the model.
#pragma once

#include <cstddef>
#include <string>

#include "model/model.hpp"

namespace pkgsizer::report {

enum class SortKey { kSize, kFiles, kName };

// Sorts largest first (size, files) or alphabetically (name, PEP 503), ties by name;
// then keeps the first `top` (0: all).
void order_distributions(Scan& scan, SortKey key, std::size_t top);

// A share of a total as "12.3%", "<0.1%" for tiny non-zero shares.
std::string format_share(std::uint64_t part, std::uint64_t whole);

}  // namespace pkgsizer::report
