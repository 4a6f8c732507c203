// The full-screen terminal of `pkgsizer browse`, on ncurses: draws render_screen()'s lines and
// turns keys into BrowserState calls until `q`.
#pragma once

#include "browse/browser_state.hpp"

namespace pkgsizer::browse {

// Runs until the user quits. Needs a terminal on stdin and stdout; throws pkgsizer::Error
// (kUsage) when there is none.
void run_browser(BrowserState& state);

}  // namespace pkgsizer::browse
