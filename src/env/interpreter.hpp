// Asks a Python interpreter where its site-packages are and what it is (PEP 508 marker values).
// Starting Python costs tens of milliseconds, so this is only done when the layout is not enough.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pkgsizer::env {

struct InterpreterInfo {
  std::string executable;
  std::string version;  // "3.11.7"
  std::string prefix;
  std::string base_prefix;
  bool in_venv = false;
  std::string platform;                         // sysconfig.get_platform()
  std::vector<std::string> site_packages;       // purelib, platlib, site.getsitepackages()
  std::vector<std::string> base_site_packages;  // the base interpreter's, for a venv
  std::map<std::string, std::string> markers;
};

// Parses the JSON that the query script prints. Throws pkgsizer::Error when it is not that.
InterpreterInfo parse_interpreter_info(const std::string& json_text);

// Runs `python` with the query script. Throws pkgsizer::Error with a one-line reason.
InterpreterInfo query_interpreter(const std::string& python);

}  // namespace pkgsizer::env
