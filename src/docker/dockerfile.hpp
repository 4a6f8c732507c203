// A Dockerfile's layer-making instructions (RUN, COPY, ADD of its last stage), to name layers
// whose history does not: BuildKit's "# buildkit" comments, squashed or imported bases.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "docker/analysis.hpp"

namespace pkgsizer::docker {

struct DockerfileInstruction {
  std::size_t line = 0;  // 1-based, where the instruction starts
  std::string text;      // "RUN pip install -r requirements.txt" (continuations joined)
};

// The RUN, COPY and ADD instructions after the last FROM, in order. Comments, parser
// directives and line continuations (`\` or the `# escape=` character) as the Dockerfile
// reference describes them. Pure; never throws.
std::vector<DockerfileInstruction> layer_instructions(std::string_view text);

// Names the image's last layers after the instructions, last with last (the ones before are
// the base image's): sets each matched layer's `dockerfile` to "FILE:LINE: TEXT".
void apply_dockerfile(ImageAnalysis& analysis, const std::vector<DockerfileInstruction>& steps,
                      const std::string& file_name);

}  // namespace pkgsizer::docker
