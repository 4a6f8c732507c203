// A wheel's end records and central directory (APPNOTE 4.3.12-4.3.16), read from the end of the
// file as `predict` reads a remote wheel: a short tail first, then each range read_zip_tail
// says is missing, put in front. The input is the whole file.
#include <cstdlib>

#include "fuzz_target.hpp"
#include "predict/wheel_metadata.hpp"
#include "predict/zip_central_directory.hpp"

using namespace pkgsizer::predict;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = pkgsizer::fuzz::as_text(data, size);
  std::uint64_t tail_start = size > 64 ? size - 64 : 0;
  try {
    for (int round = 0; round < 8; ++round) {
      const ZipTailRead read = read_zip_tail(file.substr(tail_start), size);
      if (read.complete) {
        metadata_member(read.members);
        break;
      }
      // The contract of read_zip_tail: a non-empty range that ends where the tail starts.
      if (read.missing_bytes == 0 || read.missing_offset > tail_start ||
          read.missing_offset + read.missing_bytes != tail_start)
        std::abort();
      tail_start = read.missing_offset;
    }
  } catch (const ZipFormatError&) {
  }
  return 0;
}
