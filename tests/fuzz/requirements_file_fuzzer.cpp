// pip requirements files: options, -r/-c includes (an include named "self.txt" reads the input
// again, to reach the include-cycle check), ${VAR} expansion, line continuations.
#include <optional>
#include <string>

#include "fuzz_target.hpp"
#include "predict/requirements_file.hpp"

using namespace pkgsizer::predict;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text{pkgsizer::fuzz::as_text(data, size)};
  const FileLoader load = [&text](const std::string& path) -> std::optional<std::string> {
    if (path.ends_with("self.txt")) return text;
    return std::nullopt;
  };
  const EnvironmentLookup environment = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return "/home/user";
    return std::nullopt;
  };
  try {
    parse_requirements_file(text, "requirements.txt", load, environment);
  } catch (const RequirementsFileError&) {
  }
  return 0;
}
