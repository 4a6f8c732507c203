// The scan as CSV (RFC 4180), one row per distribution, sizes in bytes, for spreadsheets.
#pragma once

#include <string>

#include "model/model.hpp"

namespace pkgsizer::report {

std::string render_csv(const Scan& scan);

}  // namespace pkgsizer::report
