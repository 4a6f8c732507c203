// A prediction as a scan model, so that compare, check-budget and every report read it like a
// scan of an installed environment.
#pragma once

#include <cstdint>
#include <string>

#include "model/model.hpp"
#include "predict/predictor.hpp"

namespace pkgsizer::predict {

struct PredictionContext {
  std::string input;     // the file predicted
  std::string platform;  // as given: "linux-x86_64"
  std::string created_at;
};

// Installed bytes with bytecode; 0 when unknown (sdists, --offline).
std::uint64_t predicted_bytes(const PredictedPackage& package);

// Each package is a distribution whose apparent_bytes are its predicted installed bytes with
// bytecode (disk_bytes the same: blocks cannot be known before installing). Unknown sizes
// (sdists, --offline) count as 0 there and are named in the warnings.
Scan prediction_scan(const Prediction& prediction, const PredictionContext& context);

}  // namespace pkgsizer::predict
