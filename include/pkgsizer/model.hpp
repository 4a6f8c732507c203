// pkgsizer's public interface: the scan model. One environment, its distributions, their sizes,
// module trees and dependency graph, and the problems met (docs/json-format.md field by field).
// Installed by `cmake --install`; `find_package(pkgsizer)` gives the target pkgsizer::core.
#pragma once

#include "model/model.hpp"  // IWYU pragma: export
