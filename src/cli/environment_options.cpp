#include "cli/environment_options.hpp"

#include <cstdlib>

namespace pkgsizer::cli {

void add_environment_options(CLI::App& command, env::EnvironmentRequest& request) {
  command
      .add_option("--site-packages", request.site_packages,
                  "Scan this site-packages directory (repeatable); nothing else is looked up")
      ->group("Environment");
  command
      .add_option("--venv", request.venv,
                  "Scan the virtual environment (or conda env, or prefix) at DIR")
      ->group("Environment");
  command.add_option("--python", request.python, "Ask this interpreter for its site-packages")
      ->group("Environment");
  command
      .add_flag(
          "--include-system-site-packages", request.include_system_site_packages,
          "Also scan the base interpreter's packages of a venv made with --system-site-packages "
          "(they are marked inherited)")
      ->group("Environment");
}

void read_environment_variables(env::EnvironmentRequest& request) {
  if (const char* virtual_env = std::getenv("VIRTUAL_ENV")) request.virtual_env = virtual_env;
  if (const char* conda_prefix = std::getenv("CONDA_PREFIX")) request.conda_prefix = conda_prefix;
}

}  // namespace pkgsizer::cli
