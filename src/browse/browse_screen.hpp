// The full-screen terminal of `pkgsizer browse`, on ncurses: draws render_screen()'s lines and
// turns keys into BrowserState calls until `q`.
#pragma once

#include <functional>
#include <optional>

#include "browse/browser_state.hpp"

namespace pkgsizer::browse {

// Runs until the user quits. Needs a terminal on stdin and stdout; throws pkgsizer::Error
// (kUsage) when there is none.
// `load_module_trees` scans the environment again with module trees (the cache keeps none), the
// first time a distribution is opened: the browser opens from the cache at once, and pays for
// the walk only when it goes below the distributions. It may return nullopt (a failure).
void run_browser(BrowserState& state,
                 const std::function<std::optional<Scan>()>& load_module_trees);

}  // namespace pkgsizer::browse
