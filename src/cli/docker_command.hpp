// `pkgsizer docker IMAGE`: which image layer put which Python distributions there, and what
// is wasted (docs/docker.md).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "model/model.hpp"

namespace pkgsizer::cli {

std::function<int()> register_docker(CLI::App& app);

// The final image's distributions as a scan, for `compare IMG1 IMG2` and
// `check-budget --image IMAGE`. Throws pkgsizer::Error.
Scan scan_image(const std::string& reference);

// True when a compare side or a budget input names an image (docker/source.hpp).
bool is_image_reference(const std::string& text);

}  // namespace pkgsizer::cli
