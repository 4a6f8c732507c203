// pyvenv.cfg (PEP 405): the key = value file at the root of every virtual environment.
#pragma once

#include <string>
#include <string_view>

namespace pkgsizer::env {

struct PyvenvCfg {
  std::string home;     // directory of the base interpreter
  std::string version;  // "3.11.7" ("version" or "version_info")
  bool include_system_site_packages = false;
};

PyvenvCfg parse_pyvenv_cfg(std::string_view text);

}  // namespace pkgsizer::env
