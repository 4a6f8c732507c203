#include "cli/docker_command.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <optional>

#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "cli/terminal.hpp"
#include "docker/analysis.hpp"
#include "docker/dockerfile.hpp"
#include "docker/source.hpp"
#include "report/docker_report.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/read_file.hpp"
#include "util/size_units.hpp"

namespace pkgsizer::cli {
namespace {

struct DockerOptions {
  std::string image;
  std::string platform;
  std::string fail_on_waste;  // "50MB" or "10%"
  std::optional<double> lowest_efficiency;
  std::string max_layer_size;
  std::string dockerfile;
  std::size_t top = 15;
  long timeout = 30;
  bool plain_http = false;
  bool markdown = false;
  SizeUnits units = SizeUnits::kDecimal;
};

constexpr const char* kExamples = R"(
Images:
  image.tar              a `docker save` tarball (legacy or OCI layout, plain or compressed)
  oci:DIR[:TAG]          an OCI image-layout directory (skopeo, buildah, umoci)
  NAME[:TAG]             an image in the local daemon (DOCKER_HOST, default /var/run/docker.sock)
  registry://HOST/NAME[:TAG|@DIGEST], docker://[HOST/]NAME[:TAG]
                         an image in a registry (credentials: ~/.docker/config.json "auths")
Examples:
  pkgsizer docker app:latest
  pkgsizer docker app.tar --json report.json
  pkgsizer docker oci:build/oci:v2 --fail-on-waste 10% --lowest-efficiency 0.9
Exit codes: 0 ok, 1 --fail-on-waste or --lowest-efficiency exceeded, 2 usage, 3 unreadable or
            malformed image, 5 output not written, 9 no such image or tag.
)";

docker::SourceOptions source_options(const std::string& platform, const std::string& max_layer,
                                     long timeout = 30, bool plain_http = false) {
  docker::SourceOptions options;
  options.registry.timeout_seconds = timeout;
  options.registry.plain_http = plain_http;
  options.read.platform = platform;
  if (!max_layer.empty()) {
    const std::optional<std::uint64_t> bytes = parse_size(max_layer);
    if (!bytes || *bytes == 0)
      throw Error(ErrorCategory::kUsage, fmt::format("--max-layer-size {}: not a size", max_layer));
    options.read.limits.max_uncompressed_bytes = *bytes;
  }
  if (const char* host = std::getenv("DOCKER_HOST")) options.docker_host = host;
  return options;
}

// True when the analysis breaks a CI rule; says which on stderr.
bool rules_broken(const docker::ImageAnalysis& analysis, const DockerOptions& options) {
  bool broken = false;
  if (!options.fail_on_waste.empty()) {
    const std::string& limit = options.fail_on_waste;
    if (limit.ends_with('%')) {
      const double percent = std::strtod(limit.c_str(), nullptr);
      const double wasted = analysis.total_bytes == 0
                                ? 0.0
                                : 100.0 * static_cast<double>(analysis.wasted_bytes) /
                                      static_cast<double>(analysis.total_bytes);
      if (wasted > percent) {
        fmt::print(stderr, "pkgsizer: {:.1f}% of the image is wasted, over --fail-on-waste {}\n",
                   wasted, limit);
        broken = true;
      }
    } else if (analysis.wasted_bytes > *parse_size(limit)) {
      fmt::print(stderr, "pkgsizer: {} wasted, over --fail-on-waste {}\n",
                 format_size(analysis.wasted_bytes, options.units), limit);
      broken = true;
    }
  }
  if (options.lowest_efficiency && analysis.efficiency < *options.lowest_efficiency) {
    fmt::print(stderr, "pkgsizer: efficiency {:.4f} is below --lowest-efficiency {}\n",
               analysis.efficiency, *options.lowest_efficiency);
    broken = true;
  }
  return broken;
}

void check_waste_limit(const std::string& limit) {
  if (limit.empty()) return;
  if (limit.ends_with('%')) {
    char* end = nullptr;
    const double percent = std::strtod(limit.c_str(), &end);
    if (end == limit.c_str() || *end != '%' || percent < 0 || percent > 100)
      throw Error(ErrorCategory::kUsage,
                  fmt::format("--fail-on-waste {}: not a percentage", limit));
  } else if (!parse_size(limit)) {
    throw Error(ErrorCategory::kUsage,
                fmt::format("--fail-on-waste {}: not a size or percentage", limit));
  }
}

int run_docker(const DockerOptions& options, const std::optional<std::string>& json_path) {
  check_waste_limit(options.fail_on_waste);
  const docker::Image image =
      docker::open_image(options.image, source_options(options.platform, options.max_layer_size,
                                                       options.timeout, options.plain_http));
  docker::ImageAnalysis analysis = docker::analyse_image(image);
  if (!options.dockerfile.empty()) {
    std::string error;
    const std::optional<std::string> text =
        read_text_file(options.dockerfile, kMaxInputFileBytes, &error);
    if (!text)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("--dockerfile {}: {}", options.dockerfile, error));
    docker::apply_dockerfile(analysis, docker::layer_instructions(*text), options.dockerfile);
  }
  report::RenderOptions render;
  render.units = options.units;
  if (json_path) write_output(*json_path, dump_json(report::image_to_json(analysis), 2) + "\n");
  if (!json_path || *json_path != "-")
    write_output("-", options.markdown
                          ? report::render_image_markdown(analysis, render, options.top)
                          : report::render_image_table(analysis, render, options.top));
  return rules_broken(analysis, options) ? kExitThresholdExceeded : kExitOk;
}

}  // namespace

bool is_image_reference(const std::string& text) { return docker::looks_like_image(text); }

Scan scan_image(const std::string& reference) {
  const docker::Image image = docker::open_image(reference, source_options("", ""));
  return docker::analyse_image(image).scan;
}

std::function<int()> register_docker(CLI::App& app) {
  auto options = std::make_shared<DockerOptions>();
  CLI::App* command = app.add_subcommand(
      "docker", "Which image layer put which Python distributions there, and what is wasted");
  command->footer(kExamples);
  command->add_option("image", options->image, "The image: FILE.tar, oci:DIR[:TAG] or NAME[:TAG]")
      ->required();
  CLI::Option* json_option =
      command->add_option("--json", "Write the analysis as JSON to FILE (or stdout)")
          ->expected(0, 1)
          ->type_name("[FILE|-]");
  command->add_flag("--markdown", options->markdown, "Render Markdown instead of a table");
  command->add_option("--platform", options->platform,
                      "OS/ARCH[/VARIANT] of a multi-platform image (default: this machine's)");
  command
      ->add_option("--fail-on-waste", options->fail_on_waste,
                   "Exit 1 when more than SIZE or PCT% of the image is wasted")
      ->type_name("SIZE|PCT%");
  command
      ->add_option("--lowest-efficiency", options->lowest_efficiency,
                   "Exit 1 when the efficiency (1 - wasted/total) is below this")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--top", options->top, "Show the N biggest distributions (default 15)")
      ->check(CLI::Range(1, 1000000));
  command
      ->add_option("--max-layer-size", options->max_layer_size,
                   "Refuse a layer that expands past SIZE (default 256GiB)")
      ->type_name("SIZE");
  command
      ->add_option("--dockerfile", options->dockerfile,
                   "Name layers after this Dockerfile's RUN/COPY/ADD lines (last with last)")
      ->type_name("FILE");
  command
      ->add_option("--timeout", options->timeout,
                   "Seconds a registry may take to connect or stall (default 30)")
      ->check(CLI::Range(1, 3600));
  command->add_flag("--plain-http", options->plain_http,
                    "Talk to the registry over http:// (loopback hosts always are)");
  add_units_option(*command, options->units);
  return [=]() -> int {
    if (!command->parsed()) return -1;
    std::optional<std::string> json_path;
    if (json_option->count() > 0)
      json_path = json_option->results().empty() || json_option->results().front().empty()
                      ? "-"
                      : json_option->results().front();
    return run_docker(*options, json_path);
  };
}

}  // namespace pkgsizer::cli
