// pkgsizer's public interface: the scan model as JSON (docs/json-format.md), both ways —
// pkgsizer::model::scan_to_json and scan_from_json.
#pragma once

#include "model/scan_json.hpp"  // IWYU pragma: export
#include "pkgsizer/model.hpp"
