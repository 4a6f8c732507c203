// Lock files that `predict` reads: uv.lock, pylock.toml (PEP 751), poetry.lock and pip's
// installation report (JSON). The first byte chooses the parser, so that one corpus holds seeds
// of every format; the rest of the input is the file. detect_input_kind runs on it too.
#include "fuzz_target.hpp"
#include "predict/lock_files.hpp"

using namespace pkgsizer::predict;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  constexpr InputKind kKinds[] = {InputKind::uv_lock, InputKind::pylock_toml,
                                  InputKind::poetry_lock, InputKind::pip_report};
  const InputKind kind = kKinds[data[0] % 4];
  const auto text = pkgsizer::fuzz::as_text(data + 1, size - 1);
  detect_input_kind("lock", text);
  try {
    const LockFile lock = parse_lock_file(kind, text, "lock");
    for (const auto& package : lock.packages)
      for (const auto& wheel : package.wheels) filename_from_url(wheel.url);
  } catch (const LockFileError&) {
  }
  return 0;
}
