// Replays a corpus through a fuzz target without libFuzzer, as bloaty's tests/fuzz_driver.cc
// does: built with the normal compiler, it makes every seed (and every kept finding) a plain
// ctest case, under the sanitizers of the build. Arguments: files, or directories whose regular
// files are read (sorted, so that a failure names the same file on every run).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& argument) {
  if (!std::filesystem::is_directory(argument)) return {argument};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argument))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

bool replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read\n", file.c_str());
    return false;
  }
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // A buffer of exactly the input's size, so that ASan catches a read one byte past its end
  // (a std::string would have its terminating NUL, and often spare capacity, there).
  const auto buffer = std::make_unique<std::uint8_t[]>(std::max<std::size_t>(bytes.size(), 1));
  std::copy(bytes.begin(), bytes.end(), buffer.get());
  std::printf("%s (%zu bytes)\n", file.c_str(), bytes.size());
  LLVMFuzzerTestOneInput(buffer.get(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& file : inputs_of(argv[i])) {
      if (!replay(file)) return 1;
      ++replayed;
    }
  }
  std::printf("%zu inputs replayed\n", replayed);
  // An empty corpus is a mistake in the test's setup, not a pass.
  return replayed == 0 ? 1 : 0;
}
