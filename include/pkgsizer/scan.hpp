// pkgsizer's public interface: scanning an environment.
//   1. pkgsizer::env::locate_environment(request): a venv, conda env, prefix, interpreter or
//      site-packages directories, resolved to an Environment (throws env::EnvironmentError);
//   2. pkgsizer::graph::scan_environment(environment, options): walks it and attributes every
//      byte (scan::scan_trees), adds the dependency graph, and selects (options.filter).
// The scan cache (store/scan_cache.hpp) is the command line's business, not part of this.
#pragma once

#include "env/locate.hpp"      // IWYU pragma: export
#include "graph/analysis.hpp"  // IWYU pragma: export
#include "pkgsizer/model.hpp"
#include "scan/scanner.hpp"  // IWYU pragma: export
