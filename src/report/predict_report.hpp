// `predict`'s views: the prediction as JSON (its scan model, predict/prediction_scan.hpp, with
// the prediction's own fields added), as a text table and as Markdown.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/model.hpp"
#include "predict/prediction_scan.hpp"
#include "predict/predictor.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::report {

using predict::PredictionContext;

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
