// RECORD (PEP 376, RFC 4180 CSV) of an installed distribution: bad rows are reported, never thrown.
#include "fuzz_target.hpp"
#include "metadata/record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto record = pkgsizer::metadata::parse_record(pkgsizer::fuzz::as_text(data, size));
  // Read every path's bytes: each must be a view into the input or into `record.unquoted`, and
  // ASan checks that it is.
  unsigned checksum = 0;
  for (const auto& row : record.rows)
    for (const char c : row.path) checksum += static_cast<unsigned char>(c);
  volatile unsigned sink = checksum;
  (void)sink;
  return 0;
}
