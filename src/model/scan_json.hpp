// The scan model as JSON (docs/json-format.md), both ways: every command writes and reads this.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/model.hpp"

namespace pkgsizer::model {

nlohmann::ordered_json scan_to_json(const Scan& scan);

// Throws pkgsizer::Error naming what is wrong when the JSON is not a pkgsizer scan.
Scan scan_from_json(const nlohmann::json& object);

}  // namespace pkgsizer::model
