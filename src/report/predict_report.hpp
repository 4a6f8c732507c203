// `predict`'s views: the prediction as a scan model (so that compare and check-budget read it),
// as JSON with the prediction's own fields added, as a text table and as Markdown.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/model.hpp"
#include "predict/predictor.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::report {

struct PredictionContext {
  std::string input;     // the file predicted
  std::string platform;  // as given: "linux-x86_64"
  std::string created_at;
};

// Each package is a distribution whose apparent_bytes are its predicted installed bytes with
// bytecode (disk_bytes the same: blocks cannot be known before installing). Unknown sizes
// (sdists, --offline) count as 0 there and are named in the warnings.
Scan prediction_scan(const predict::Prediction& prediction, const PredictionContext& context);

// scan_to_json(prediction_scan(...)) plus, per distribution, download_bytes, installed_bytes,
// bytecode_bytes (null when unknown), chosen_file, estimate; and a top-level "prediction".
nlohmann::ordered_json prediction_to_json(const predict::Prediction& prediction,
                                          const PredictionContext& context);

// Name, version, download, installed, file; totals; whether it is an estimate or exact.
std::string render_prediction_table(const predict::Prediction& prediction,
                                    const PredictionContext& context, const RenderOptions& render);
std::string render_prediction_markdown(const predict::Prediction& prediction,
                                       const PredictionContext& context,
                                       const RenderOptions& render);

}  // namespace pkgsizer::report
