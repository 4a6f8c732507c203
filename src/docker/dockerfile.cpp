#include "docker/dockerfile.hpp"

#include <fmt/format.h>

#include "util/text.hpp"

namespace pkgsizer::docker {
namespace {

std::string_view first_word(std::string_view text) {
  text = trim(text);
  const std::size_t end = text.find_first_of(" \t");
  return text.substr(0, end);
}

// `# escape=`` ` at the top of the file (a parser directive) changes the continuation character.
char escape_character(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::string_view line = trim(text.substr(at, end - at));
    if (!line.starts_with('#')) break;
    std::string directive = lowercase(trim(line.substr(1)));
    directive.erase(std::remove(directive.begin(), directive.end(), ' '), directive.end());
    if (directive.starts_with("escape=") && directive.size() == 8) return directive[7];
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return '\\';
}

}  // namespace

std::vector<DockerfileInstruction> layer_instructions(std::string_view text) {
  const char escape = escape_character(text);
  std::vector<DockerfileInstruction> steps;
  std::string current;
  std::size_t start_line = 0;
  std::size_t line_number = 0;
  std::size_t at = 0;
  const auto finish = [&] {
    const std::string keyword = lowercase(first_word(current));
    if (keyword == "from")
      steps.clear();
    else if (keyword == "run" || keyword == "copy" || keyword == "add")
      steps.push_back({start_line, std::string(trim(current))});
    current.clear();
  };
  while (at <= text.size()) {
    const std::size_t end = text.find('\n', at);
    std::string_view line =
        text.substr(at, end == std::string_view::npos ? text.size() - at : end - at);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view stripped = trim(line);
    if (!stripped.starts_with('#')) {  // comments, inside continuations too
      if (current.empty()) start_line = line_number;
      std::string_view body = line;
      const std::string_view right = trim(body);
      const bool continues = !right.empty() && right.back() == escape;
      if (continues) body = right.substr(0, right.size() - 1);
      if (!trim(body).empty()) {
        if (!current.empty()) current += ' ';
        current += trim(body);
      }
      if (!continues && !current.empty()) finish();
    }
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  if (!current.empty()) finish();
  return steps;
}

void apply_dockerfile(ImageAnalysis& analysis, const std::vector<DockerfileInstruction>& steps,
                      const std::string& file_name) {
  std::size_t layer = analysis.layers.size();
  std::size_t step = steps.size();
  while (layer > 0 && step > 0) {
    --layer;
    --step;
    analysis.layers[layer].dockerfile =
        fmt::format("{}:{}: {}", file_name, steps[step].line, steps[step].text);
  }
}

}  // namespace pkgsizer::docker
