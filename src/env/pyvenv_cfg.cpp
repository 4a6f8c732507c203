#include "env/pyvenv_cfg.hpp"

#include <cctype>

#include "util/text.hpp"

namespace pkgsizer::env {
PyvenvCfg parse_pyvenv_cfg(std::string_view text) {
  PyvenvCfg cfg;
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string key = lowercase(trim(line.substr(0, equals)));
    const std::string value(trim(line.substr(equals + 1)));
    if (key == "home") {
      cfg.home = value;
    } else if (key == "version" || key == "version_info") {
      if (cfg.version.empty() || key == "version") cfg.version = value;
    } else if (key == "include-system-site-packages") {
      cfg.include_system_site_packages = lowercase(value) == "true";
    }
  }
  return cfg;
}

}  // namespace pkgsizer::env
