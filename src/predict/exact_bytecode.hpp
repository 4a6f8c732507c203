// --exact-bytecode: the bytecode pip would write for a wheel, measured instead of estimated. The
// wheel is downloaded and every .py file it installs is compiled by the target's interpreter
// (python3.X on PATH), in memory, to the .pyc pip's compileall would write; the sizes are
// summed. Results are cached by the wheel's hash (or URL) and the Python version.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "predict/http_client.hpp"

namespace pkgsizer::predict {

struct CompiledBytecode {
  std::uint64_t bytes = 0;
  std::size_t files = 0;
};

class BytecodeCompiler {
 public:
  // `python_version`: "3.11"; `cache_directory`: empty for no cache.
  BytecodeCompiler(std::string python_version, std::string cache_directory);

  // The interpreter for the version, or empty when none is at hand ("python3.11" not on PATH,
  // or one that is another version).
  const std::string& interpreter() const { return interpreter_; }

  // Downloads (unless cached) and compiles one wheel. `key`: "sha256:<hex>" when known, else
  // empty (the URL is the key). Throws pkgsizer::Error naming the wheel and what failed.
  CompiledBytecode compile(HttpClient& http, const std::string& url, const std::string& key);

 private:
  std::string python_version_;
  std::string cache_directory_;
  std::string interpreter_;
};

}  // namespace pkgsizer::predict
