// The import finder of `recommend` reads every Python file of a project, which may be anyone's.
#include <cstdlib>

#include "fuzz_target.hpp"
#include "recommend/python_imports.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = pkgsizer::fuzz::as_text(data, size);
  const auto imports = pkgsizer::recommend::find_imports(text);
  std::size_t lines = 1;
  for (const char c : text) lines += c == '\n';
  for (const auto& reference : imports) {
    // Every name found is a dotted name, on a line of the text.
    if (!pkgsizer::recommend::is_dotted_name(reference.module)) std::abort();
    if (reference.line == 0 || reference.line > lines) std::abort();
  }
  return 0;
}
