// What every text renderer needs to know about its reader: width, colour, units.
#pragma once

#include <cstddef>

#include "util/size_units.hpp"

namespace pkgsizer::report {

struct RenderOptions {
  std::size_t width = 0;  // terminal columns; 0: no limit (not a terminal)
  bool color = false;
  SizeUnits units = SizeUnits::kDecimal;
  bool show_modules = false;  // render each distribution's module tree under it
  bool show_unowned = false;  // list the unowned entries after the table
  bool mark_editable = true;
  bool show_dependency_sizes =
      false;  // "With deps" and "Frees" columns (--include-deps)  // "[editable]" after editable
              // installs (--include-editable mark)
};

}  // namespace pkgsizer::report
